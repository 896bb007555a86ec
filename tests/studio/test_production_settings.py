"""Production settings from the environment: what README "Production" documents (PostgreSQL,
Redis and all) passes `check --deploy`, a weak piece is reported, and the cache, queues and
gunicorn follow the environment. HTTPS itself: tests/studio/test_https.py.

Each case is a fresh `manage.py` (or gunicorn) process, as settings are read once, at start.
"""

import json
import os
import re
import secrets
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import free_port, stop_group, wait_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def production(tmp_path) -> dict:
    """The documented production environment (nothing is connected to by these checks)."""
    return {
        "DJANGO_HTTPS": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "kotikanava.example.fi",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://kotikanava.example.fi",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "DATABASE_URL": "postgres://kotikanava@db.internal:5432/kotikanava",
        "REDIS_URL": "redis://redis.internal:6379/0",
        "KOTIKANAVA_BASE_URL": "https://kotikanava.example.fi",
        "KOTIKANAVA_STATE_DIR": str(tmp_path / "state"),
    }


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    """`manage.py` in only this environment (none of the test run's own variables)."""
    base = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def deploy_check(env: dict) -> subprocess.CompletedProcess:
    return manage(env, "check", "--deploy", "--fail-level", "WARNING")


def settings_in(env: dict) -> dict:
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'cache': s.CACHES['default'], 'tasks': s.TASKS['default'], "
        "'rq': {k: v['URL'] for k, v in s.RQ_QUEUES.items()}}))"
    )
    done = manage(env, "shell", "--verbosity", "0", "-c", script)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_documented_production_environment_passes_the_deploy_check(production):
    done = deploy_check(production)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


# Without HTTPS: tests/studio/test_https.py.
@pytest.mark.parametrize(
    "change, reported",
    [
        ({"DJANGO_DEBUG": "1"}, "security.W018"),
        ({"DJANGO_SECRET_KEY": "kotikanava"}, "security.W009"),
        ({"DJANGO_SECURE_HSTS_SECONDS": "0"}, "security.W004"),
    ],
)
def test_a_missing_or_weak_piece_fails_the_deploy_check(production, change, reported):
    done = deploy_check({**production, **change})
    assert done.returncode != 0
    assert reported in done.stderr


def test_production_uses_redis_for_the_cache_and_the_queues_beside_each_other(production):
    found = settings_in(production)
    assert found["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    # The next database: clearing the cache must not empty the task queues.
    assert found["cache"]["LOCATION"] == "redis://redis.internal:6379/1"
    assert found["tasks"] == {
        "BACKEND": "django_tasks_rq.RQBackend",
        "QUEUES": ["live", "default", "transcode"],
    }
    assert found["rq"] == dict.fromkeys(["live", "default", "transcode"], production["REDIS_URL"])


def test_a_cache_of_its_own_is_used_when_named(production):
    env = {**production, "KOTIKANAVA_CACHE_URL": "redis://cache.internal:6379/0"}
    assert settings_in(env)["cache"]["LOCATION"] == "redis://cache.internal:6379/0"


def test_the_embedded_default_keeps_memory_cache_and_database_tasks(tmp_path):
    found = settings_in({"KOTIKANAVA_STATE_DIR": str(tmp_path / "state")})
    assert found["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["tasks"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert found["tasks"]["QUEUES"] == ["live", "default", "transcode"]


def test_gunicorn_serves_the_app_with_workers_and_threads_from_the_environment(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "3",
        "KOTIKANAVA_STATE_DIR": str(tmp_path / "state"),
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}/static/vendor/hls.js/hls.min.js"
        wait_for(lambda: urllib.request.urlopen(url, timeout=2), 60, "gunicorn", (OSError,))
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200
            assert "javascript" in response.headers["Content-Type"]
        wait_for(lambda: log.read_text().count("Booting worker") >= 2, 30, "both workers")
    finally:
        stop_group(server)
    assert len(re.findall(r"Booting worker with pid", log.read_text())) == 2
    config = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py"]
        + ["--print-config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"^threads\s+= 3$", config, re.MULTILINE)
    assert re.search(r"^worker_class\s+= gthread$", config, re.MULTILINE)
