"""Processing one video: fetch the original, run the pipeline, publish a complete new version.

Everything goes through Django's storage API, so local disk and S3 behave the same; `versions`
switches the video to the new output only once every file of it is stored.
"""

import logging
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from streaming.conf import pipeline_config, stall_seconds
from streaming.models import Video, VideoStatus
from streaming.pipeline.errors import MediaRejected
from streaming.pipeline.run import transcode
from streaming.versions import caption_inputs, caption_state, publish_captions, publish_version
from streaming.workdir import JobFolder

logger = logging.getLogger(__name__)


def run_processing(video: Video) -> None:
    if not video.original:
        _fail(video, _("The video has no uploaded file."), "original is empty")
        return
    captions_used = caption_state(video)
    try:
        with JobFolder(video.pk) as folder:
            reporter = ProgressReporter(video.pk, folder)
            reporter.claim()
            with reporter.beating():
                workdir = folder.path
                source = _download(video, workdir, reporter)
                out_dir = workdir / "out"
                result = transcode(
                    source,
                    out_dir,
                    pipeline_config(),
                    on_progress=reporter,
                    captions=caption_inputs(video, workdir),
                )
                reporter.beat()  # still ours, just before the switch
                if not publish_version(video, out_dir, result, claim=reporter):
                    raise JobSuperseded(video.pk)
    except JobSuperseded:
        logger.warning("Processing video %s stopped: a newer attempt has taken it over", video.pk)
        return
    except MediaRejected as rejected:
        _fail(video, str(rejected.message), rejected.detail)
        return
    except Exception as error:
        logger.exception("Processing video %s failed", video.pk)
        _fail(video, _("Processing failed. Try again later or ask an administrator."), repr(error))
        raise
    # The ladder is out and ready; captions staff changed meanwhile follow as a light version.
    if caption_state(video) != captions_used:
        publish_captions(video.pk)


def _download(video: Video, workdir: Path, reporter: "ProgressReporter") -> Path:
    suffix = Path(video.original.name).suffix.lower()[:10]
    target = workdir / f"original{suffix}"
    with video.original.open("rb") as source, target.open("wb") as destination:
        while chunk := source.read(1024 * 1024):
            destination.write(chunk)
            reporter.keep_alive()  # a large original from S3 can take minutes
    return target


class JobSuperseded(Exception):
    """The attempt's claim on the video is gone: recovery or a new request took it over."""


class ProgressReporter:
    """Writes progress and the heartbeat to the video row, at most every few seconds.

    The heartbeat is this attempt's claim on the video: each beat is written only over the
    attempt's own previous one, so a job that recovery took for dead (or a newer request
    replaced) stops at its next beat instead of publishing. The work folder notes each beat so
    a worker on this machine can recover the attempt the moment it dies (`streaming.recovery`).

    Progress comes only while ffmpeg encodes; `beating()` keeps the claim alive through the
    phases that block for long without any (a slow read from S3, the storyboard, a large upload).
    """

    interval = 2.0

    def __init__(self, video_id: int, folder: JobFolder | None = None):
        self.video_id = video_id
        self.folder = folder
        self.last = 0.0  # the last beat, from either thread
        # Progress has its own clock: the background beat must not starve the progress bar.
        self.last_progress = 0.0
        self.beat_at = None
        # Several beats a stall period, so one slow write never makes a live job look dead.
        self.interval = min(type(self).interval, stall_seconds() / 4)
        self.lost = False
        self._writing = None  # the beat being written, not yet noted
        self._lock = threading.Lock()

    def claim(self) -> None:
        """Start the attempt: the video is processing and the first beat is this one's."""
        self.last = time.monotonic()
        now = timezone.now()
        Video.objects.filter(pk=self.video_id).update(
            status=VideoStatus.PROCESSING, progress=0, eta_seconds=None, heartbeat_at=now
        )
        self._noted(now)

    def __call__(self, percent: float, eta_seconds: float | None) -> None:
        if self.lost:
            raise JobSuperseded(self.video_id)
        if time.monotonic() - self.last_progress < self.interval and percent < 100:
            return
        self.last_progress = time.monotonic()
        self.beat(
            progress=round(percent, 1),
            eta_seconds=None if eta_seconds is None else int(eta_seconds),
        )

    def keep_alive(self) -> None:
        if self.lost:
            raise JobSuperseded(self.video_id)
        if time.monotonic() - self.last >= self.interval:
            self.beat()

    def beat(self, **fields) -> None:
        """Renew the claim, with any progress `fields`; raise `JobSuperseded` if it is gone."""
        with self._lock:
            if self.lost:
                raise JobSuperseded(self.video_id)
            self.last = time.monotonic()
            now = self._writing = timezone.now()
            mine = Video.objects.filter(
                pk=self.video_id, status=VideoStatus.PROCESSING, heartbeat_at=self.beat_at
            )
            if not mine.update(heartbeat_at=now, **fields):
                self.lost = True
                raise JobSuperseded(self.video_id)
            self._noted(now)

    @contextmanager
    def beating(self):
        """Beat from a background thread while the block runs; once the claim is lost, every
        later `beat`, `keep_alive` or progress report of the job raises `JobSuperseded`.

        Inside a transaction (an inline task) another connection cannot see the job's row, so
        there the job beats only from its own thread, as it reports progress.
        """
        if connection.in_atomic_block:
            yield
            return
        stop = threading.Event()
        thread = threading.Thread(
            target=self._beat_until, args=(stop,), name=f"heartbeat-{self.video_id}", daemon=True
        )
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def _beat_until(self, stop: threading.Event) -> None:
        try:
            while not stop.wait(self.interval / 2) and not self.lost:
                try:
                    self.keep_alive()
                except JobSuperseded:
                    logger.warning("Video %s: the job's claim is gone", self.video_id)
                except DatabaseError:
                    # A busy database is not a lost claim: the next beat tries again.
                    logger.warning("Video %s: a heartbeat failed", self.video_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    def holds(self, video: Video) -> bool:
        """The row (read under lock) still carries this attempt's last beat."""
        # Lock-free, as the background beat may be between its write and noting it.
        beats = {self.beat_at, self._writing}
        mine = video.status == VideoStatus.PROCESSING and video.heartbeat_at in beats
        return mine and not self.lost

    def _noted(self, beat) -> None:
        self.beat_at = beat
        if self.folder:
            self.folder.note_beat(beat)


def _fail(video: Video, message: str, detail: str) -> None:
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.FAILED, error_message=message, error_detail=detail[:4000]
    )
