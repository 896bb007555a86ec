"""Two RQ workers on separate queues: live work overtakes a transcode backlog, and a worker killed
mid-transcode loses nothing.

Production path: real PostgreSQL, real Redis, two real `rqworker` processes as two worker
machines would run them (one given `transcode`, one `live transcode`), real ffmpeg on tiny clips
and a real recorded live run. Nothing is requeued by hand: the surviving worker finds the dead
job itself (`streaming.recovery`) before its next task.
"""

import time
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files import File
from django.utils import timezone

from streaming.models import ArchivePolicy, LiveRun, LiveSession, LiveState, Video, VideoStatus
from streaming.processing import request_processing
from streaming.tasks import archive_live_session, process_video
from streaming.workdir import PREFIX
from tests.helpers import wait_for
from tests.streaming.clips import make_clip
from tests.streaming.live.recorded_runs import record_run, rung
from tests.streaming.workers import (
    empty_rq_queues,
    kill,
    our_folders,
    published_once,
    rq_jobs,
    rq_statuses,
    rq_url,
    start_worker,
    status,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

BACKLOG = 3  # tiny transcodes queued behind the long one
LIVE_RUNG = rung(234, 416, 234)


@pytest.fixture
def on_rq(settings) -> datetime:
    """Tasks go to RQ's queues as in production; returns when the test began."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": list(settings.RQ_QUEUES)}
    }
    empty_rq_queues()
    return timezone.now()


def uploaded(source: Path, title: str) -> Video:
    video = Video(title=title)
    with source.open("rb") as handle:
        video.original.save(source.name, File(handle))
    request_processing(video)
    return video


def ended_session(tmp_path: Path) -> LiveSession:
    """A finished live session with one packaged run in storage, ready to archive."""
    session = LiveSession.objects.create(
        title="Aamujumppa livenä",
        starts_at=timezone.now(),
        archive_policy=ArchivePolicy.REVIEW,
        state=LiveState.ENDED,
        ended_at=timezone.now(),
    )
    LiveRun.objects.create(session=session, number=1, rungs=[LIVE_RUNG], ended_at=timezone.now())
    record_run(Path(django_settings.MEDIA_ROOT) / session.media_prefix / "r1", [LIVE_RUNG], 4)
    return session


def rq_worker(queues: list[str], log, work_dir: Path):
    name = f"{'-'.join(queues)}-{uuid.uuid4().hex[:8]}"
    worker = start_worker(["rqworker", "--name", name, *queues], log, work_dir, REDIS_URL=rq_url())
    return worker, name


@pytest.mark.django_db(transaction=True)
def test_two_workers_drain_transcodes_while_live_work_goes_first_and_a_killed_job_ends_once(
    migrated_db, on_rq, worker_log, tmp_path
):
    since, work_dir = on_rq, tmp_path / "work"  # one machine's work folder for both workers
    long_clip = make_clip(tmp_path / "long.mp4", seconds=10, size="1280x720", noise=20)
    short_clip = make_clip(tmp_path / "short.mp4", seconds=4, size="640x360", noise=10)
    long = uploaded(long_clip, "Pitkä jumppa")
    backlog = [uploaded(short_clip, f"Lyhyt ohje {n}") for n in range(1, BACKLOG + 1)]
    everything = [long, *backlog]
    session = ended_session(tmp_path)

    transcoder, transcoder_name = rq_worker(["transcode"], worker_log, work_dir)
    mixed = None
    try:
        wait_for(lambda: status(long).progress > 0, 120, "the first worker to take the long one")
        # Live work comes while the backlog of older transcodes waits.
        archive_live_session.enqueue(session.pk)
        mixed, mixed_name = rq_worker(["live", "transcode"], worker_log, work_dir)
        wait_for(
            lambda: status(backlog[0]).status != VideoStatus.QUEUED,
            60,
            "the second worker to go on to the backlog",
        )
        # Both workers are busy, transcodes still wait: now the first machine loses power.
        assert status(long).status == VideoStatus.PROCESSING
        assert status(backlog[-1]).status == VideoStatus.QUEUED
        kill(transcoder)
        # SIGKILL skipped the job's clean-up: its folder is left for the survivor to reclaim.
        assert any(f.startswith(f"{PREFIX}video-{long.pk}-") for f in our_folders(work_dir))

        wait_for(
            lambda: all(
                status(v).status in {VideoStatus.READY, VideoStatus.FAILED} for v in everything
            ),
            150,
            "every transcode to end",
        )
        wait_for(
            lambda: all(
                rq_statuses(process_video, (v.pk,), since).get("finished") for v in everything
            ),
            30,
            "every transcode job to end",
        )
        time.sleep(1)  # room for a wrongly queued second run to show itself
    finally:
        kill(transcoder)
        if mixed is not None:
            kill(mixed)

    # The live job went before every transcode queued ahead of it that had not started.
    [live_job] = rq_jobs(archive_live_session, (session.pk,), since)
    assert live_job.get_status().value == "finished"
    assert live_job.worker_name == mixed_name
    for video in backlog:
        [job] = rq_jobs(process_video, (video.pk,), since)
        assert job.enqueued_at < live_job.enqueued_at
        assert live_job.ended_at <= job.started_at
    session.refresh_from_db()
    assert session.state == LiveState.ARCHIVED
    published_once(status(session.video))

    # The killed job was finished by the other worker, once; every video has one version.
    jobs = sorted(rq_jobs(process_video, (long.pk,), since), key=lambda job: job.enqueued_at)
    assert [(job.worker_name, job.get_status().value) for job in jobs] == [
        (transcoder_name, "started"),  # as the dead worker left it
        (mixed_name, "finished"),
    ]
    for video in everything:
        published_once(status(video))
    assert our_folders(work_dir) == []  # the dead job's folder was reclaimed
    videos = Path(django_settings.MEDIA_ROOT) / "videos"
    expected = {str(v.pk) for v in [*everything, session.video]}
    assert {p.name for p in videos.iterdir()} == expected  # nothing half-published elsewhere
