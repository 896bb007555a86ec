"""Processing one video: fetch the original, run the pipeline, publish a complete new version.

Everything goes through Django's storage API, so local disk and S3 behave the same; `versions`
switches the video to the new output only once every file of it is stored.
"""

import logging
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from streaming.conf import pipeline_config
from streaming.models import Video, VideoStatus
from streaming.pipeline.errors import MediaRejected
from streaming.pipeline.run import transcode
from streaming.versions import caption_inputs, caption_state, publish_captions, publish_version

logger = logging.getLogger(__name__)


def run_processing(video: Video) -> None:
    if not video.original:
        _fail(video, _("The video has no uploaded file."), "original is empty")
        return
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.PROCESSING, progress=0, eta_seconds=None, heartbeat_at=timezone.now()
    )
    captions_used = caption_state(video)
    workdir = Path(tempfile.mkdtemp(prefix=f"video-{video.pk}-", dir=settings.WORK_DIR))
    try:
        source = _download(video, workdir)
        out_dir = workdir / "out"
        result = transcode(
            source,
            out_dir,
            pipeline_config(),
            on_progress=ProgressReporter(video.pk),
            captions=caption_inputs(video, workdir),
        )
        publish_version(video, out_dir, result)
    except MediaRejected as rejected:
        _fail(video, str(rejected.message), rejected.detail)
        return
    except Exception as error:
        logger.exception("Processing video %s failed", video.pk)
        _fail(video, _("Processing failed. Try again later or ask an administrator."), repr(error))
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    # The ladder is out and ready; captions staff changed meanwhile follow as a light version.
    if caption_state(video) != captions_used:
        publish_captions(video.pk)


def _download(video: Video, workdir: Path) -> Path:
    suffix = Path(video.original.name).suffix.lower()[:10]
    target = workdir / f"original{suffix}"
    with video.original.open("rb") as source, target.open("wb") as destination:
        shutil.copyfileobj(source, destination, length=1024 * 1024)
    return target


class ProgressReporter:
    """Writes progress (and so the heartbeat) to the video row, at most every few seconds."""

    interval = 2.0

    def __init__(self, video_id: int):
        self.video_id = video_id
        self.last = 0.0

    def __call__(self, percent: float, eta_seconds: float | None) -> None:
        now = time.monotonic()
        if now - self.last < self.interval and percent < 100:
            return
        self.last = now
        Video.objects.filter(pk=self.video_id).update(
            progress=round(percent, 1),
            eta_seconds=None if eta_seconds is None else int(eta_seconds),
            heartbeat_at=timezone.now(),
        )


def _fail(video: Video, message: str, detail: str) -> None:
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.FAILED, error_message=message, error_detail=detail[:4000]
    )
