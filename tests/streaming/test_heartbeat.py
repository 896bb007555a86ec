"""A running job beats through every phase, so recovery never takes a slow job for dead.

Real processing of a generated clip; the storage the original is read from is slowed down, as
a large original coming from S3 over a slow link would be. Each read blocks far longer than the
stall limit, so without a beat from the background the job would look dead in the middle of it.
"""

import threading
import time

import pytest
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.utils import timezone
from django_tasks import default_task_backend

from streaming import jobs
from streaming.models import Video, VideoStatus
from streaming.recovery import recover_dead_jobs
from streaming.tasks import process_video

STALL_SECONDS = 1
READ_SECONDS = 1.5  # each read of the original: longer than the stall limit


class SlowFile(File):
    def read(self, size=-1):
        time.sleep(READ_SECONDS)
        return super().read(size)


class SlowStorage(FileSystemStorage):
    """Local files whose reads for the job stall like a slow S3 download."""

    slow_prefix = "originals/"

    def open(self, name, mode="rb"):
        handle = super().open(name, mode)
        return SlowFile(handle.file, name) if name.startswith(self.slow_prefix) else handle


@pytest.fixture
def slow_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.SlowStorage"},
    }
    settings.KOTIKANAVA_STALL_SECONDS = STALL_SECONDS
    settings.KOTIKANAVA_WORK_DIR = tmp_path / "work"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }
    default_task_backend.clear()
    return default_task_backend


def uploaded(recording) -> Video:
    video = Video(title="Pitkä jumppa")
    with recording.open("rb") as handle:
        video.original.save("pitka.mp4", File(handle), save=False)
    video.save()
    return video


class Recovering(threading.Thread):
    """A second worker checking for dead jobs every tenth of a second, as `db_worker` does."""

    def __init__(self, during=None):
        super().__init__(daemon=True)
        self.stopped = threading.Event()
        self.recovered = []
        self.during = during

    def run(self):
        try:
            while not self.stopped.wait(0.1):
                self.recovered += recover_dead_jobs()
        finally:
            connection.close()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.join()


@pytest.mark.usefixtures("migrated_db")
def test_a_slow_download_is_not_run_twice(slow_storage, recording):
    video = uploaded(recording)
    started = time.monotonic()
    with Recovering() as worker:
        jobs.run_processing(video)
    took = time.monotonic() - started

    assert took > 2 * READ_SECONDS  # the download alone outlasted the stall limit twice
    assert worker.recovered == []
    assert [r for r in slow_storage.results if r.task.name == process_video.name] == []
    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    assert video.version == 1  # one version published, by the one run
    assert video.output_prefix == f"videos/{video.pk}/1/"


@pytest.mark.usefixtures("migrated_db")
def test_a_job_whose_claim_is_taken_stops_without_publishing(slow_storage, recording):
    """While the original downloads, a newer attempt takes the video over: the old one stops."""
    video = uploaded(recording)
    newer_beat = timezone.now()

    def take_over():
        time.sleep(READ_SECONDS / 2)  # the job has claimed the video and is downloading
        Video.objects.filter(pk=video.pk).update(heartbeat_at=newer_beat)
        connection.close()

    taker = threading.Thread(target=take_over)
    taker.start()
    jobs.run_processing(video)
    taker.join()

    video.refresh_from_db()
    assert video.status == VideoStatus.PROCESSING
    assert video.heartbeat_at == newer_beat  # the newer attempt's claim stands
    assert video.version == 0 and not video.output_prefix


@pytest.mark.usefixtures("migrated_db")
def test_a_job_stops_at_once_when_its_claim_is_lost_in_a_long_phase(slow_storage, recording):
    """The background beat notices the loss; the job stops before it encodes anything."""
    video = uploaded(recording)
    reporter = jobs.ProgressReporter(video.pk)
    reporter.claim()
    with reporter.beating():
        Video.objects.filter(pk=video.pk).update(status=VideoStatus.QUEUED)
        deadline = time.monotonic() + 5
        while not reporter.lost and time.monotonic() < deadline:
            time.sleep(0.05)
        assert reporter.lost
        with pytest.raises(jobs.JobSuperseded):
            reporter(50.0, 10)
