"""Finding processing jobs that died with their worker, and queueing each again exactly once.

A job is dead when
- its work folder on this machine is no longer locked (the process is gone, however it went), or
- its heartbeat has not moved for `KOTIKANAVA_STALL_SECONDS`: the sign that works across
  machines, for a job whose machine is gone.

A job proves it is alive with `heartbeat_at`, and each of its beats is a compare-and-set on the
previous one (`streaming.jobs.ProgressReporter`). Recovery takes a video over with the same
compare-and-set on the dead job's last beat, so of several workers starting at once only one
requeues it, an attempt that has since started elsewhere is left alone, and a job that was only
slow, not dead, finds its claim gone at its next beat and stops instead of publishing.

Workers run this when they start and before each task (`db_worker`, `rqworker`); `run_scheduler`
runs it every minute too, but is not needed for it.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from streaming.conf import stall_seconds
from streaming.models import Video, VideoStatus
from streaming.workdir import reclaim_dead_folders

logger = logging.getLogger(__name__)


class WorkerDied(Exception):
    """Recorded on the task row of a job whose worker died; the video was queued again."""


def recover_dead_jobs() -> list[int]:
    """Reclaim dead jobs' work folders here, requeue every dead job's video; return their ids."""
    recovered = [
        job.video_id
        for job in reclaim_dead_folders()
        if job.beat is not None and _requeue(job.video_id, job.beat)
    ]
    silent = Video.objects.filter(
        status=VideoStatus.PROCESSING,
        heartbeat_at__lt=timezone.now() - timedelta(seconds=stall_seconds()),
    )
    for video_id, beat in silent.values_list("pk", "heartbeat_at"):
        if _requeue(video_id, beat):
            recovered.append(video_id)
    if recovered:
        logger.warning("Queued again the videos whose processing died: %s", recovered)
    return recovered


def _requeue(video_id: int, beat: datetime) -> bool:
    """Queue the video again if the row still shows the dead job's last beat."""
    from streaming.tasks import process_video

    with transaction.atomic():
        taken = Video.objects.filter(pk=video_id, status=VideoStatus.PROCESSING, heartbeat_at=beat)
        if not taken.update(status=VideoStatus.QUEUED, progress=0, eta_seconds=None):
            return False
        _close_dead_task_rows(process_video.module_path, video_id, beat)
        # Inside the transaction: with the database backend the new task row commits with the
        # status, so a crash here cannot leave the video queued with nothing to run it.
        process_video.enqueue(video_id)
    return True


def _close_dead_task_rows(task_path: str, video_id: int, beat: datetime) -> None:
    """Mark the dead job's django-tasks-db row failed, or it shows as running for ever.

    RQ has its own way: its maintenance moves a job whose worker stopped renewing it to the
    failed registry (AbandonedJobError).
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        task_path=task_path,
        args_kwargs__args=[video_id],
        started_at__lte=beat,  # not a later attempt's
    )
    rows.update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{WorkerDied.__module__}.{WorkerDied.__qualname__}",
        traceback=f"The worker running this task died; video {video_id} was queued again.\n",
    )


def recover_quietly(**_signal) -> None:
    """For workers (also as a `task_started` receiver): a failure is logged and stops nothing."""
    try:
        recover_dead_jobs()
    except Exception:
        logger.exception("Recovering dead processing jobs failed")
