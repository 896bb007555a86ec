"""A worker killed in the middle of a transcode: the job runs again and completes.

Production path: real PostgreSQL, a real `db_worker` or RQ worker process on real Redis.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files import File
from django.db import connection

from streaming.models import Video, VideoStatus
from streaming.processing import request_processing
from streaming.recovery import requeue_stalled_videos
from tests.streaming.clips import make_clip

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
# The settings' default RQ queue (django_rq reads RQ_QUEUES once, at import).
REDIS_URL = "redis://127.0.0.1:6379/0"

WORKERS = {
    "database": (["db_worker", "--interval", "0.2"], {}),
    # django-tasks-rq runs its tasks through its own job class.
    "rq": (["rqworker", "--job-class", "django_tasks_rq.Job", "default"], {"REDIS_URL": REDIS_URL}),
}


def worker_env(extra: dict) -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "KOTIKANAVA_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **extra,
    }


def start_worker(kind: str, log) -> subprocess.Popen:
    """The worker's output goes to `log`, which the test prints when it fails."""
    args, extra = WORKERS[kind]
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=worker_env(extra),
        start_new_session=True,  # its own process group: the kill takes ffmpeg down too
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def status(video: Video) -> Video:
    video.refresh_from_db()
    return video


@pytest.fixture
def tasks_on(settings, request):
    kind = request.param
    if kind == "rq":
        import django_rq

        settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
        django_rq.get_queue("default").empty()
    else:
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return kind


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tasks_on", ["database", "rq"], indirect=True)
def test_transcode_interrupted_by_worker_crash_completes_after_restart(
    migrated_db, tasks_on, settings, tmp_path
):
    settings.KOTIKANAVA_STALL_SECONDS = 1
    source = make_clip(tmp_path / "long.mp4", seconds=10, size="1280x720", noise=20)
    video = Video(title="Pitkä jumppa")
    with source.open("rb") as handle:
        video.original.save("long.mp4", File(handle))
    request_processing(video)

    log = (tmp_path / "worker.log").open("w")
    worker = start_worker(tasks_on, log)
    try:
        wait_for(lambda: status(video).progress > 0, 120, "the transcode to start")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        assert status(video).status == VideoStatus.PROCESSING
        time.sleep(1.5)  # the heartbeat goes stale

        assert requeue_stalled_videos() == [video.pk]
        worker = start_worker(tasks_on, log)
        wait_for(
            lambda: status(video).status in {VideoStatus.READY, VideoStatus.FAILED},
            240,
            "the transcode to finish after the restart",
        )
        assert video.status == VideoStatus.READY, video.error_detail
        master = Path(settings.MEDIA_ROOT) / video.output_path("master.m3u8")
        assert master.is_file()
    except AssertionError:
        print((tmp_path / "worker.log").read_text()[-3000:])
        raise
    finally:
        log.close()
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
