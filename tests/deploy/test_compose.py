"""deploy/compose.yaml: every service runs a command this project has, with one set of settings.

No Docker daemon runs here: the file is read and checked against the project; bringing it up
runs only where `docker compose` works.
"""

import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands

from tests.helpers import wait_for

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose.yaml"
NGINX_SITE = ROOT / "deploy" / "nginx" / "kotikanava.conf"
APP_SERVICES = {"migrate", "bucket", "web", "nginx", "worker-transcode", "worker-live"}
APP_SERVICES |= {"scheduler", "ingest"}


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_every_part_of_a_deployment_is_a_service(services):
    roles = {"web", "nginx", "worker-transcode", "worker-live", "scheduler", "ingest"}
    assert roles | {"postgres", "redis", "s3"} <= set(services)


def test_the_app_services_run_one_image_built_from_the_dockerfile(services):
    builds = {repr(services[name].get("build")) for name in APP_SERVICES}
    assert {services[name]["image"] for name in APP_SERVICES} == {"kotikanava:latest"}
    assert len(builds) == 1
    build = services["web"]["build"]
    assert (COMPOSE.parent / build["context"] / build["dockerfile"]).is_file()


def test_each_manage_py_command_exists(services):
    commands = get_commands()
    for name, service in services.items():
        health = (service.get("healthcheck") or {}).get("test", [])[1:]
        for argv in (service.get("command") or [], health):
            if argv[:2] == ["python", "manage.py"]:
                assert argv[2] in commands, f"{name}: no command {argv[2]}"
    assert services["scheduler"]["command"][2] == "run_scheduler"
    assert services["ingest"]["command"][2] == "run_ingest"


def test_the_workers_serve_every_queue_and_transcodes_alone(services):
    queues = {}
    for name, service in services.items():
        argv = service.get("command") or []
        if argv[:3] == ["python", "manage.py", "rqworker"]:
            queues[name] = argv[3:]
    assert set(settings.RQ_QUEUES) == {queue for served in queues.values() for queue in served}
    assert queues["worker-transcode"] == ["transcode"]
    assert "transcode" not in queues["worker-live"]


def test_the_app_services_share_settings_and_nginx_matches_them(services):
    environments = [services[name]["environment"] for name in APP_SERVICES - {"nginx"}]
    for key in ("DATABASE_URL", "REDIS_URL", "KOTIKANAVA_S3_BUCKET", "DJANGO_SECRET_KEY"):
        assert len({env[key] for env in environments}) == 1, key
    app = services["web"]["environment"]
    nginx = services["nginx"]["environment"]
    assert nginx["KOTIKANAVA_MEDIA_LINK_SECRET"] == app["KOTIKANAVA_MEDIA_LINK_SECRET"]
    accel = app["KOTIKANAVA_MEDIA_ACCEL_PREFIX"]
    assert re.search(rf"location {re.escape(accel)} \{{\s*internal;", NGINX_SITE.read_text())
    assert app["KOTIKANAVA_TRUSTED_PROXIES"] == "1"
    # nginx reaches gunicorn where the web service binds it, and gunicorn believes nginx only.
    host, port = nginx["KOTIKANAVA_APP"].split(":")
    assert host == "web" and app["GUNICORN_BIND"] == f"0.0.0.0:{port}"
    nginx_ip = services["nginx"]["networks"]["default"]["ipv4_address"]
    assert app["GUNICORN_FORWARDED_ALLOW_IPS"] == nginx_ip
    assert services["web"]["command"] == ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
    assert (ROOT / "deploy" / "gunicorn.conf.py").is_file()
    # The ingest host's callbacks come from the one address the app believes.
    ingest_ip = services["ingest"]["networks"]["default"]["ipv4_address"]
    assert app["KOTIKANAVA_INGEST_HOSTS"] == ingest_ip
    assert app["KOTIKANAVA_INGEST_CALLBACK_URL"] == f"http://web:{port}"
    assert services["ingest"]["environment"]["KOTIKANAVA_RTMP_HOST"] == "0.0.0.0"  # noqa: S104 (inside its container)
    # The database and S3 server the app is given are the services' own.
    db = services["postgres"]["environment"]
    assert f"@postgres:5432/{db['POSTGRES_DB']}" in app["DATABASE_URL"]
    assert app["DATABASE_URL"].startswith(f"postgres://{db['POSTGRES_USER']}:")
    assert app["AWS_ACCESS_KEY_ID"] == services["s3"]["environment"]["MINIO_ROOT_USER"]
    assert app["AWS_SECRET_ACCESS_KEY"] == services["s3"]["environment"]["MINIO_ROOT_PASSWORD"]


def test_every_dependency_names_a_service(services):
    for name, service in services.items():
        for dependency in service.get("depends_on") or {}:
            assert dependency in services, f"{name} depends on unknown {dependency}"


def docker_compose_works() -> bool:
    if not shutil.which("docker"):
        return False
    result = subprocess.run(
        ["docker", "compose", "version"], capture_output=True, check=False, timeout=20
    )
    info = subprocess.run(["docker", "info"], capture_output=True, check=False, timeout=20)
    return result.returncode == 0 and info.returncode == 0


def test_compose_comes_up_and_the_production_path_tests_pass_against_it():
    if not docker_compose_works():
        pytest.skip("no working `docker compose` (no Docker CLI or daemon on this machine)")
    compose = ["docker", "compose", "-p", "kotikanava-test", "-f", str(COMPOSE)]
    try:
        subprocess.run([*compose, "up", "--build", "--detach", "--wait"], check=True, timeout=1800)
        wait_for(
            lambda: urllib.request.urlopen("http://127.0.0.1:8080/", timeout=5).status == 200,
            120,
            "the site through the nginx service",
            (OSError,),
        )
        env = {
            **os.environ,
            "DATABASE_URL": "postgres://kotikanava:kotikanava@127.0.0.1:15432/kotikanava",
            "REDIS_URL": "redis://127.0.0.1:16379/0",
        }
        result = subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "pytest"),
                "-m",
                "postgres",
                "-q",
                "-p",
                "no:cacheprovider",
            ],
            cwd=ROOT,
            env=env,
            check=False,
            timeout=1800,
        )
        assert result.returncode == 0
    finally:
        subprocess.run([*compose, "down", "--volumes"], check=False, timeout=300)
