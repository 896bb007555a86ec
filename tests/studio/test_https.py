"""Production settings from the environment: check --deploy is clean, HTTPS brings HSTS and
secure cookies.

The settings are read in a fresh process with the environment variables an operator sets, as a
server starting would, not patched into this one.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.users import PASSWORD

BASE_DIR = Path(__file__).resolve().parents[2]
SECURITY_SETTINGS = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
]
PRINT_SETTINGS = f"""
import json, django
django.setup()
from django.conf import settings
print(json.dumps({{name: getattr(settings, name, None) for name in {SECURITY_SETTINGS!r}}}))
"""


def production_env(tmp_path, **overrides):
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "KOTIKANAVA_")) and name != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="studio.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="kotikanava.example.fi",
        DJANGO_HTTPS="1",
        DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        KOTIKANAVA_STATE_DIR=str(tmp_path),
    )
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


def test_check_deploy_complains_without_https(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path, DJANGO_HTTPS=None),
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for check in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert check in output


def test_old_secure_cookies_variable_still_turns_https_on(tmp_path):
    env = production_env(tmp_path, DJANGO_HTTPS=None, DJANGO_SECURE_COOKIES="1")
    values = json.loads(run(["-c", PRINT_SETTINGS], env).stdout)
    assert values["SESSION_COOKIE_SECURE"] and values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600


@pytest.fixture
def https_settings(settings, tmp_path):
    """This process's settings replaced by what the production environment gives."""
    result = run(["-c", PRINT_SETTINGS], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    for name, value in values.items():
        setattr(settings, name, value)
    return values


HTTPS_HEADERS = {"X-Forwarded-Proto": "https"}


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(https_settings):
    response = Client().get("/admin/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/admin/login/"


@pytest.mark.django_db
def test_https_responses_carry_hsts_and_secure_cookies(https_settings, django_user_model):
    django_user_model.objects.create_superuser("toimittaja", password=PASSWORD)
    client = Client()
    response = client.get("/admin/login/", headers=HTTPS_HEADERS)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.cookies["csrftoken"]["secure"] is True

    response = client.post(
        "/admin/login/",
        {"username": "toimittaja", "password": PASSWORD},
        headers=HTTPS_HEADERS,
        secure=True,
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["csrftoken"]["secure"] is True
