"""/health/: every part of the installation named in the answer, a broken one by its name."""

import json

import pytest
from redis import Redis

from streaming.live import nginx
from tests.helpers import free_port, stop_group, wait_for
from tests.operations.tasks import write_greeting
from tests.streaming.live.conftest import start_ingest_server

JSON = {"HTTP_ACCEPT": "application/json"}


def health(client):
    response = client.get("/health/", **JSON)
    return response, json.loads(response.content)


def failing(answer: dict) -> dict:
    return {name: state for name, state in answer.items() if state != "OK"}


@pytest.fixture
def database_tasks(settings):
    """The embedded default's task backend (the suite otherwise runs tasks inline)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.mark.django_db
def test_healthy_installation_answers_200_naming_every_part(client, database_tasks):
    response, answer = health(client)

    assert response.status_code == 200
    assert failing(answer) == {}
    assert {name.split("(")[0] for name in answer} == {
        "Database",
        "Cache",
        "FileStorage",
        "TaskQueues",
        "FFmpeg",
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_unwritable_media_folder_is_reported_as_the_storage(client, settings, tmp_path):
    # A file where the media folder should be: no file can be written there, even by root.
    blocker = tmp_path / "disk"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"

    response, answer = health(client)

    assert response.status_code == 500
    assert list(failing(answer)) == ["FileStorage(alias='default')"]
    assert "cannot write a file" in answer["FileStorage(alias='default')"]
    assert str(blocker) not in response.content.decode()


@pytest.mark.django_db
def test_missing_ffmpeg_is_reported_by_name(client, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))

    response, answer = health(client)

    assert response.status_code == 500
    assert answer["FFmpeg()"] == "Unavailable: ffmpeg is not installed"
    assert list(failing(answer)) == ["FFmpeg()"]


@pytest.mark.django_db
def test_ffmpeg_that_does_not_run_is_reported(client, monkeypatch, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("ffmpeg", "ffprobe"):
        broken = bin_dir / name
        broken.write_text("#!/bin/sh\necho 'error while loading shared libraries' >&2\nexit 127\n")
        broken.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))

    response, answer = health(client)

    assert response.status_code == 500
    assert answer["FFmpeg()"] == "Unavailable: ffmpeg does not run"


@pytest.mark.django_db
def test_ingest_is_checked_with_an_rtmp_handshake(client, settings, tmp_path):
    """Down while nginx-rtmp is not running, up once the real ingest server listens."""
    settings.KOTIKANAVA_HEALTH_INGEST = True
    settings.KOTIKANAVA_RTMP_PORT = free_port()

    response, answer = health(client)
    assert response.status_code == 500
    assert list(failing(answer)) == ["Ingest()"]

    config = nginx.config_from_settings(state_dir=tmp_path / "ingest")
    server = start_ingest_server(config)
    try:
        wait_for(lambda: health(client)[0].status_code == 200, 10, "the ingest to answer")
        assert health(client)[1]["Ingest()"] == "OK"
    finally:
        stop_group(server)


@pytest.mark.postgres
@pytest.mark.django_db
def test_rq_queues_are_checked_on_their_redis(client, settings, tmp_path, request):
    queues = ["transcode", "live", "default"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": queues}}
    url = "redis://127.0.0.1:6379/12"  # a database of its own: other tests' workers use 0
    settings.RQ_QUEUES = {name: {"URL": url} for name in queues}
    redis = Redis.from_url(url)
    redis.flushdb()
    request.addfinalizer(redis.flushdb)

    response, answer = health(client)
    assert response.status_code == 200, answer
    assert answer["TaskQueues(alias='default')"] == "OK"

    # Work waiting on a queue no worker listens to: the live sessions would never be packaged.
    write_greeting.using(queue_name="live").enqueue(str(tmp_path))
    response, answer = health(client)
    assert response.status_code == 500
    assert answer["TaskQueues(alias='default')"] == (
        "Unavailable: queue live: jobs wait and no worker listens"
    )

    dead_port = free_port()
    settings.RQ_QUEUES = {
        **settings.RQ_QUEUES,
        "live": {"URL": f"redis://:secret-password@127.0.0.1:{dead_port}/0"},
    }
    response, answer = health(client)
    assert response.status_code == 500
    assert answer["TaskQueues(alias='default')"] == "Unavailable: queue live: Redis does not answer"
    assert "secret-password" not in response.content.decode()
    assert str(dead_port) not in response.content.decode()
