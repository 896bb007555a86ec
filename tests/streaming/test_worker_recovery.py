"""A worker killed in the middle of a transcode: restarting only the worker finishes the job once.

Production path: real PostgreSQL, a real `db_worker` or RQ worker process on real Redis. No
scheduler runs and nothing is requeued by hand: the restarted worker finds the dead job itself,
reclaims its work folder, and the video gets exactly one published version.
"""

import time
from datetime import datetime
from pathlib import Path

import pytest
from django.core.files import File
from django.utils import timezone

from streaming.models import Video, VideoStatus
from streaming.processing import request_processing
from streaming.recovery import WorkerDied
from streaming.tasks import process_video
from tests.helpers import wait_for
from tests.streaming.clips import make_clip
from tests.streaming.workers import (
    empty_rq_queues,
    kill,
    our_folders,
    published_once,
    rq_statuses,
    rq_url,
    start_worker,
    status,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

# The database worker serves every queue by default; the RQ worker is given the transcode queue.
WORKERS = {
    "database": ["db_worker", "--interval", "0.2"],
    "rq": ["rqworker", "transcode"],
}


def start(kind: str, log, work_dir, **env: str):
    if kind == "rq":
        env = {"REDIS_URL": rq_url(), **env}
    return start_worker(WORKERS[kind], log, work_dir, **env)


def task_rows(video: Video) -> list:
    """The database backend's rows of this video's processing tasks, oldest first."""
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(
            task_path=process_video.module_path, args_kwargs__args=[video.pk]
        ).order_by("enqueued_at")
    )


def finished_jobs(video: Video, since: datetime) -> int:
    return rq_statuses(process_video, (video.pk,), since).get("finished", 0)


@pytest.fixture
def tasks_on(settings, request):
    kind = request.param
    if kind == "rq":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": []}}
        empty_rq_queues()
    else:
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
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


def kill_mid_transcode(kind: str, video: Video, log, work_dir: Path) -> None:
    worker = start(kind, log, work_dir)
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

    worker = start(tasks_on, worker_log, work_dir)
    try:
        wait_for(
            lambda: status(video).status in {VideoStatus.READY, VideoStatus.FAILED},
            240,
            "the transcode to finish after the restart",
        )
        if tasks_on == "database":
            wait_for(lambda: task_rows(video)[-1].status == "SUCCESSFUL", 30, "the task to end")
        else:
            wait_for(lambda: finished_jobs(video, since), 30, "the job to end")
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
        assert rq_statuses(process_video, (video.pk,), since) == {"started": 1, "finished": 1}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tasks_on", ["database"], indirect=True)
def test_job_of_a_dead_machine_is_taken_over_by_another_once(
    migrated_db, tasks_on, long_video, worker_log, tmp_path
):
    """Another machine sees only the silent heartbeat; the first one, back later, its folder."""
    video, first, other = long_video, tmp_path / "first", tmp_path / "other"
    kill_mid_transcode(tasks_on, video, worker_log, first)
    time.sleep(2.5)  # the heartbeat goes stale for a stall time of 2 s

    worker = start(tasks_on, worker_log, other, KOTIKANAVA_STALL_SECONDS="2")
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

    worker = start(tasks_on, worker_log, first)
    try:
        wait_for(lambda: not our_folders(first), 60, "the first machine to reclaim its folder")
        time.sleep(1)
    finally:
        kill(worker)
    published_once(status(video))
    assert [row.status for row in task_rows(video)] == ["FAILED", "SUCCESSFUL"]
    assert our_folders(other) == []
