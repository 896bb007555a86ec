"""The live system as production runs it: separate processes on PostgreSQL, archives on RQ.

The web app (runserver), the ingest process (`run_ingest`: nginx-rtmp and the supervisor) and an
RQ worker are each their own process, sharing only PostgreSQL, Redis and the media folder. The web
app is killed and started again in the middle of a live: the live goes on, and its recording is
made by the worker once the host has left.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from streaming.live.keys import issue_key
from streaming.models import LiveRun, LiveSession, LiveState, VideoStatus
from tests.helpers import free_port, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = "redis://127.0.0.1:6379/0"


class Processes:
    """The installation's processes, each in its own group, all logged to one file."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log.open("ab")
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running[name] = process
        return process

    def manage(self, name: str, *args: str) -> subprocess.Popen:
        return self.start(name, [sys.executable, "manage.py", *args])

    def kill(self, name: str, sig=signal.SIGKILL) -> None:
        process = self.running.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for name in list(self.running):
            self.kill(name, signal.SIGTERM)
        self.log.close()


@pytest.fixture
def installation(migrated_db, tmp_path, settings):
    import django_rq

    for queue in ("live", "default", "transcode"):
        django_rq.get_queue(queue).empty()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": []}}
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    web, rtmp = free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "KOTIKANAVA_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "KOTIKANAVA_STATE_DIR": str(tmp_path / "state"),
        "KOTIKANAVA_LIVE_WORK_DIR": str(tmp_path / "live-work"),
        "KOTIKANAVA_RTMP_PORT": str(rtmp),
        "KOTIKANAVA_INGEST_CALLBACK_URL": f"http://127.0.0.1:{web}",
        "KOTIKANAVA_BASE_URL": f"http://127.0.0.1:{web}",
        # Longer than a web restart takes on a busy 2-core machine (runserver starts in up to
        # ~8 s there): the host reconnects within the grace period and the session stays one.
        "KOTIKANAVA_LIVE_GRACE_SECONDS": "15",
    }
    processes = Processes(env, tmp_path / "processes.log")
    processes.web_url = f"http://127.0.0.1:{web}"
    processes.rtmp_url = f"rtmp://127.0.0.1:{rtmp}/live"
    processes.start_web = lambda: processes.manage(
        "web", "runserver", "--noreload", f"127.0.0.1:{web}"
    )
    try:
        processes.start_web()
        processes.manage("worker", "rqworker")  # every queue
        processes.manage("ingest", "run_ingest")
        wait_for(
            lambda: socket.create_connection(("127.0.0.1", rtmp), 0.2).close() or True,
            30,
            "ingest",
            retry_on=(OSError,),
        )
        yield processes
    finally:
        processes.stop_all()
        print((tmp_path / "processes.log").read_text(errors="replace")[-4000:])


def status(processes, session) -> dict:
    with urllib.request.urlopen(
        f"{processes.web_url}/live/{session.public_id}/status/", timeout=5
    ) as r:
        return json.loads(r.read())


def test_a_live_survives_a_web_restart_and_is_archived_by_a_worker(installation):
    session = LiveSession.objects.create(
        title="Aamujumppa", starts_at=timezone.now(), planned_minutes=30
    )
    key = issue_key(session)
    session.save()
    # Like OBS and Larix, the host's encoder reconnects when the server drops it (nginx drops
    # a publisher whose heartbeat the app cannot answer while it restarts).
    publish = (
        "ffmpeg -nostdin -hide_banner -loglevel error -re -f lavfi -i testsrc2=size=640x360:rate=15"
        " -f lavfi -i sine -t $left -c:v libx264 -preset ultrafast -tune zerolatency -g 30"
        f" -c:a aac -f flv {installation.rtmp_url}/{key}"
    )
    publisher = installation.start(
        "publisher",
        [
            "bash",
            "-c",
            f"end=$((SECONDS+32)); while [ $SECONDS -lt $end ]; do"
            f" left=$((end-SECONDS)); {publish} && break; sleep 1; done",
        ],
    )
    master = Path(settings.MEDIA_ROOT) / session.media_prefix / "master.m3u8"
    wait_for(master.exists, 40, "the live master playlist")
    wait_for(
        lambda: status(installation, session)["live_playlist"],
        20,
        "the status to offer it",
        retry_on=(OSError,),
    )

    # The web app goes down and comes back while the host streams on.
    installation.kill("web")
    time.sleep(1)
    installation.start_web()
    wait_for(
        lambda: status(installation, session)["state"] == "live",
        30,
        "the web app back",
        retry_on=(OSError,),
    )

    def segments() -> int:
        return LiveRun.objects.filter(session=session).aggregate(n=Sum("segments"))["n"] or 0

    before = segments()
    wait_for(lambda: segments() >= before + 2, 20, "segments after the restart")

    assert publisher.wait(timeout=50) == 0
    wait_for(
        lambda: LiveSession.objects.get(pk=session.pk).state == LiveState.ARCHIVED,
        60,
        "the worker to archive the session",
    )
    session.refresh_from_db()
    assert session.video.status == VideoStatus.READY
    assert session.video.duration >= 16
    body = status(installation, session)
    assert body["state"] == "archived" and body["video_playlist"] == session.video.master_url
