"""Dead processing jobs: their work folders are reclaimed and their videos queued again, once.

The kill -9 of a real worker is in test_worker_recovery.py; these check the rules in-process.
"""

import json
import os
from datetime import timedelta

import pytest
from django.core.files import File
from django.utils import timezone
from django_tasks import default_task_backend

from streaming import jobs
from streaming.models import Video, VideoStatus
from streaming.recovery import WorkerDied, recover_dead_jobs
from streaming.tasks import process_video
from streaming.workdir import LOCK_NAME, PREFIX, DeadJob, JobFolder, reclaim_dead_folders

HOUR = 3600


@pytest.fixture
def work_dir(settings, tmp_path):
    settings.KOTIKANAVA_WORK_DIR = tmp_path / "work"
    return settings.KOTIKANAVA_WORK_DIR


@pytest.fixture
def dummy_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }
    default_task_backend.clear()
    return default_task_backend


def die(folder: JobFolder) -> None:
    """What SIGKILL does to a job: its lock goes, its folder stays."""
    os.close(folder._fd)


def processing(beat) -> Video:
    return Video.objects.create(
        title="Jumppa", original="originals/x.mp4", status=VideoStatus.PROCESSING, heartbeat_at=beat
    )


def queued(backend) -> list:
    return [r.args for r in backend.results if r.task.name == process_video.name]


def test_only_dead_folders_of_ours_are_reclaimed(work_dir):
    beat = timezone.now()
    with JobFolder(1) as live:
        live.note_beat(beat)
        dead = JobFolder(2).__enter__()
        dead.note_beat(beat)
        die(dead)
        foreign = work_dir / "video-3-abc"  # someone else's, in a shared /tmp
        foreign.mkdir()
        unlocked = work_dir / f"{PREFIX}no-lock"  # our prefix, but no lock file: not removed
        unlocked.mkdir()
        (unlocked / "file").write_bytes(b"x")
        os.utime(unlocked, (0, 0))

        assert reclaim_dead_folders() == [DeadJob(video_id=2, beat=beat)]
        assert not dead.path.exists()
        assert live.path.is_dir() and foreign.is_dir() and unlocked.is_dir()
        assert reclaim_dead_folders() == []
    assert not live.path.exists()


def test_a_folder_whose_job_is_still_starting_is_left_alone(work_dir):
    starting = work_dir / f"{PREFIX}video-4-abc"
    starting.mkdir(parents=True)
    (starting / LOCK_NAME).touch()  # created, not yet locked and noted
    assert reclaim_dead_folders() == []
    assert starting.is_dir()

    os.utime(starting, (0, 0))  # an hour later: its job died in that instant
    assert reclaim_dead_folders() == []
    assert not starting.exists()


def test_a_torn_note_still_reads(work_dir):
    folder = JobFolder(5).__enter__()
    folder.note_beat(timezone.now())
    die(folder)
    lock = folder.path / LOCK_NAME
    lock.write_bytes(json.dumps({"video": 5, "beat": None}).encode() + b'00+00:00"}')
    assert reclaim_dead_folders() == [DeadJob(video_id=5, beat=None)]


@pytest.mark.django_db
def test_a_job_dead_here_is_queued_again_at_once_and_only_once(work_dir, dummy_tasks):
    beat = timezone.now()
    video = processing(beat)
    folder = JobFolder(video.pk).__enter__()
    folder.note_beat(beat)
    die(folder)

    assert recover_dead_jobs() == [video.pk]
    assert recover_dead_jobs() == []
    video.refresh_from_db()
    assert video.status == VideoStatus.QUEUED
    assert queued(dummy_tasks) == [[video.pk]]
    assert not folder.path.exists()


@pytest.mark.django_db
def test_an_attempt_that_started_since_is_left_alone(work_dir, dummy_tasks):
    """The dead job's folder is found only after another machine took the video over."""
    old_beat = timezone.now() - timedelta(minutes=5)
    video = processing(timezone.now())  # the new attempt's beat
    folder = JobFolder(video.pk).__enter__()
    folder.note_beat(old_beat)
    die(folder)

    assert recover_dead_jobs() == []
    video.refresh_from_db()
    assert video.status == VideoStatus.PROCESSING
    assert queued(dummy_tasks) == []
    assert not folder.path.exists()


@pytest.mark.django_db
def test_a_silent_job_elsewhere_is_queued_again_after_the_stall_time(
    settings, work_dir, dummy_tasks
):
    settings.KOTIKANAVA_STALL_SECONDS = 60
    silent = processing(timezone.now() - timedelta(seconds=61))
    alive = processing(timezone.now() - timedelta(seconds=30))

    assert recover_dead_jobs() == [silent.pk]
    assert recover_dead_jobs() == []
    alive.refresh_from_db()
    assert alive.status == VideoStatus.PROCESSING
    assert queued(dummy_tasks) == [[silent.pk]]


@pytest.mark.django_db
def test_the_dead_jobs_task_row_is_closed(settings, work_dir):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    beat = timezone.now()
    video = processing(beat)
    other = processing(beat)
    dead = DBTaskResult.objects.get(id=process_video.enqueue(video.pk).id)
    dead.claim("dead-worker")
    DBTaskResult.objects.filter(id=dead.id).update(started_at=beat - timedelta(seconds=5))
    running_other = DBTaskResult.objects.get(id=process_video.enqueue(other.pk).id)
    running_other.claim("live-worker")
    folder = JobFolder(video.pk).__enter__()
    folder.note_beat(beat)
    die(folder)

    assert recover_dead_jobs() == [video.pk]
    dead.refresh_from_db()
    running_other.refresh_from_db()
    assert dead.status == "FAILED"
    assert dead.exception_class_path == f"{WorkerDied.__module__}.WorkerDied"
    assert dead.finished_at is not None
    assert running_other.status == "RUNNING"
    ready = DBTaskResult.objects.filter(status="READY", task_path=process_video.module_path)
    assert [row.args_kwargs["args"] for row in ready] == [[video.pk]]


@pytest.mark.django_db
def test_a_job_taken_for_dead_stops_instead_of_publishing(
    settings, work_dir, dummy_tasks, recording, monkeypatch
):
    """A job whose heartbeat stalled (a frozen machine) but that still runs is not published."""
    video = Video(title="Hidas jumppa")
    with recording.open("rb") as handle:
        video.original.save("hidas.mp4", File(handle), save=False)
    video.save()

    class Frozen(jobs.ProgressReporter):
        def __call__(self, percent, eta):
            if not queued(dummy_tasks):
                settings.KOTIKANAVA_STALL_SECONDS = 0  # as if the job froze for a while
                assert recover_dead_jobs() == [video.pk]
            super().__call__(percent, eta)

    monkeypatch.setattr(jobs, "ProgressReporter", Frozen)
    jobs.run_processing(video)

    video.refresh_from_db()
    assert video.status == VideoStatus.QUEUED
    assert video.version == 0 and not video.output_prefix
    assert queued(dummy_tasks) == [[video.pk]]
    assert not any(work_dir.iterdir())


@pytest.mark.django_db
def test_processing_leaves_no_work_folder(work_dir, recording):
    video = Video(title="Jumppa")
    with recording.open("rb") as handle:
        video.original.save("jumppa.mp4", File(handle), save=False)
    video.save()
    jobs.run_processing(video)
    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    assert not any(work_dir.iterdir())
