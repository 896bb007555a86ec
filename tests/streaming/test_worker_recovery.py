"""A worker killed in the middle of a transcode: restarting only the worker finishes the job once.

Production path: real PostgreSQL, a real `db_worker` or RQ worker process on real Redis. No
scheduler runs and nothing is requeued by hand: the restarted worker finds the dead job itself,
reclaims its work folder, and the video gets exactly one published version.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files import File
from django.db import connection
from django.utils import timezone

from streaming.models import Video, VideoStatus
from streaming.processing import request_processing
from streaming.recovery import WorkerDied
from streaming.tasks import process_video
from streaming.workdir import PREFIX
from tests.helpers import wait_for
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


def start_worker(kind: str, log, work_dir: Path, **env: str) -> subprocess.Popen:
    """The worker's output goes to `log`, which the test prints when it fails."""
    args, extra = WORKERS[kind]
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=worker_env({**extra, "KOTIKANAVA_WORK_DIR": str(work_dir), **env}),
        start_new_session=True,  # its own process group: the kill takes ffmpeg down too
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def kill(worker: subprocess.Popen) -> None:
    """SIGKILL the worker with everything it started: RQ's work horse has a group of its own."""
    for group in process_groups(worker.pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    worker.wait()


def process_groups(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    group_of: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            _state, ppid, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except OSError:
            continue
        children.setdefault(int(ppid), []).append(int(stat.parent.name))
        group_of[int(stat.parent.name)] = int(pgrp)
    groups, todo = set(), [pid]
    while todo:
        process = todo.pop()
        if process in group_of:
            groups.add(group_of[process])
        todo.extend(children.get(process, []))
    return groups


def status(video: Video) -> Video:
    video.refresh_from_db()
    return video


def our_folders(work_dir: Path) -> list[str]:
    return sorted(p.name for p in work_dir.iterdir() if p.name.startswith(PREFIX))


def task_rows(video: Video) -> list:
    """The database backend's rows of this video's processing tasks, oldest first."""
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(
            task_path=process_video.module_path, args_kwargs__args=[video.pk]
        ).order_by("enqueued_at")
    )


def rq_jobs(video: Video, since: datetime) -> dict[str, int]:
    """This video's processing jobs on RQ by status, counting only those of this test."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.registry import FinishedJobRegistry, StartedJobRegistry

    queue = django_rq.get_queue("default", job_class=Job)
    ids = set(queue.job_ids)
    for registry in (StartedJobRegistry, FinishedJobRegistry):
        ids.update(registry(queue=queue).get_job_ids())
    counts: dict[str, int] = {}
    for job in Job.fetch_many(list(ids), connection=queue.connection):
        if job and job.args == (video.pk,) and job.enqueued_at.replace(tzinfo=UTC) >= since:
            key = job.get_status().value
            counts[key] = counts.get(key, 0) + 1
    return counts


def published_once(video: Video) -> None:
    """Ready, with a master, and one publish only: a second run would take version 2."""
    assert video.status == VideoStatus.READY, video.error_detail
    assert video.version == 1
    assert video.output_prefix == f"videos/{video.pk}/1/"
    assert (Path(settings.MEDIA_ROOT) / video.output_path("master.m3u8")).is_file()
    assert sorted(p.name for p in (Path(settings.MEDIA_ROOT) / f"videos/{video.pk}").iterdir()) == [
        "1"
    ]


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


@pytest.fixture
def since() -> datetime:
    return timezone.now()


@pytest.fixture
def long_video(tmp_path, since) -> Video:
    """A video long enough to kill its transcode midway, queued for processing."""
    source = make_clip(tmp_path / "long.mp4", seconds=10, size="1280x720", noise=20)
    video = Video(title="Pitkä jumppa")
    with source.open("rb") as handle:
        video.original.save("long.mp4", File(handle))
    request_processing(video)
    return video


@pytest.fixture
def worker_log(tmp_path):
    """The workers' output, shown (as captured teardown output) when the test fails."""
    path = tmp_path / "worker.log"
    with path.open("w") as log:
        yield log
    print(path.read_text()[-4000:])


def kill_mid_transcode(kind: str, video: Video, log, work_dir: Path) -> None:
    worker = start_worker(kind, log, work_dir)
    try:
        wait_for(lambda: status(video).progress > 0, 120, "the transcode to start")
    finally:
        kill(worker)
    assert status(video).status == VideoStatus.PROCESSING
    assert len(our_folders(work_dir)) == 1  # SIGKILL skipped the job's clean-up


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tasks_on", ["database", "rq"], indirect=True)
def test_killed_worker_job_completes_once_when_only_the_worker_restarts(
    migrated_db, tasks_on, since, long_video, worker_log, tmp_path
):
    video, work_dir = long_video, tmp_path / "work"
    kill_mid_transcode(tasks_on, video, worker_log, work_dir)

    worker = start_worker(tasks_on, worker_log, work_dir)
    try:
        wait_for(
            lambda: status(video).status in {VideoStatus.READY, VideoStatus.FAILED},
            240,
            "the transcode to finish after the restart",
        )
        if tasks_on == "database":
            wait_for(lambda: task_rows(video)[-1].status == "SUCCESSFUL", 30, "the task to end")
        else:
            wait_for(lambda: rq_jobs(video, since).get("finished"), 30, "the job to end")
        time.sleep(1)  # room for a wrongly queued second run to show itself
    finally:
        kill(worker)

    published_once(status(video))
    assert our_folders(work_dir) == []
    if tasks_on == "database":
        dead, recovered = task_rows(video)
        assert dead.status == "FAILED"
        assert dead.exception_class_path == f"{WorkerDied.__module__}.WorkerDied"
        assert recovered.status == "SUCCESSFUL"
    else:
        # The dead job stays "started" until RQ's own maintenance sees its lease run out.
        assert rq_jobs(video, since) == {"started": 1, "finished": 1}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tasks_on", ["database"], indirect=True)
def test_job_of_a_dead_machine_is_taken_over_by_another_once(
    migrated_db, tasks_on, long_video, worker_log, tmp_path
):
    """Another machine sees only the silent heartbeat; the first one, back later, its folder."""
    video, first, other = long_video, tmp_path / "first", tmp_path / "other"
    kill_mid_transcode(tasks_on, video, worker_log, first)
    time.sleep(2.5)  # the heartbeat goes stale for a stall time of 2 s

    worker = start_worker(tasks_on, worker_log, other, KOTIKANAVA_STALL_SECONDS="2")
    try:
        wait_for(
            lambda: status(video).status in {VideoStatus.READY, VideoStatus.FAILED},
            240,
            "the other machine to finish the transcode",
        )
        wait_for(lambda: task_rows(video)[-1].status == "SUCCESSFUL", 30, "the task to end")
    finally:
        kill(worker)
    published_once(status(video))
    assert len(our_folders(first)) == 1

    worker = start_worker(tasks_on, worker_log, first)
    try:
        wait_for(lambda: not our_folders(first), 60, "the first machine to reclaim its folder")
        time.sleep(1)
    finally:
        kill(worker)
    published_once(status(video))
    assert [row.status for row in task_rows(video)] == ["FAILED", "SUCCESSFUL"]
    assert our_folders(other) == []
