"""Processing one video: fetch the original, run the pipeline, publish a complete new version.

Everything goes through Django's storage API, so local disk and S3 behave the same. The video
switches to the new version only after every file of it is stored; viewers never see half a ladder.
"""

import logging
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from streaming.conf import pipeline_config
from streaming.models import Video, VideoStatus
from streaming.pipeline.errors import MediaRejected
from streaming.pipeline.run import transcode

logger = logging.getLogger(__name__)


def run_processing(video: Video) -> None:
    if not video.original:
        _fail(video, _("The video has no uploaded file."), "original is empty")
        return
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.PROCESSING, progress=0, eta_seconds=None, heartbeat_at=timezone.now()
    )
    workdir = Path(tempfile.mkdtemp(prefix=f"video-{video.pk}-", dir=settings.WORK_DIR))
    try:
        source = _download(video, workdir)
        out_dir = workdir / "out"
        result = transcode(
            source,
            out_dir,
            pipeline_config(),
            on_progress=ProgressReporter(video.pk),
            captions=_caption_files(video, workdir),
        )
        _publish(video, out_dir, result)
    except MediaRejected as rejected:
        _fail(video, str(rejected.message), rejected.detail)
    except Exception as error:
        logger.exception("Processing video %s failed", video.pk)
        _fail(video, _("Processing failed. Try again later or ask an administrator."), repr(error))
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _download(video: Video, workdir: Path) -> Path:
    suffix = Path(video.original.name).suffix.lower()[:10]
    target = workdir / f"original{suffix}"
    with video.original.open("rb") as source, target.open("wb") as destination:
        shutil.copyfileobj(source, destination, length=1024 * 1024)
    return target


def _caption_files(video: Video, workdir: Path) -> list[tuple[str, str, Path]]:
    captions = []
    for caption in video.captions.all():
        path = workdir / f"caption-{caption.language}.vtt"
        with caption.file.open("rb") as source:
            path.write_bytes(source.read())
        captions.append((caption.language, caption.label or caption.get_language_display(), path))
    return captions


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


def _publish(video: Video, out_dir: Path, result) -> None:
    video.refresh_from_db()
    version = video.version + 1
    prefix = f"videos/{video.pk}/{version}/"
    stored = []
    for relative in result.files:
        with (out_dir / relative).open("rb") as handle:
            name = default_storage.save(prefix + relative, File(handle))
        if name != prefix + relative:
            raise RuntimeError(f"storage renamed {prefix + relative} to {name}")
        stored.append(name)
    old_files = video.output_manifest.get("files", [])
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.READY,
        progress=100,
        eta_seconds=None,
        version=version,
        output_prefix=prefix,
        output_manifest={
            "files": stored,
            "variants": result.variants_manifest(),
            "download_size": _size(out_dir / "download.mp4"),
        },
        duration=result.duration,
        width=result.width,
        height=result.height,
        has_video=result.has_video,
        processed_at=timezone.now(),
        error_message="",
        error_detail="",
    )
    for name in old_files:
        default_storage.delete(name)


def _size(path: Path) -> int | None:
    return path.stat().st_size if path.exists() else None


def _fail(video: Video, message: str, detail: str) -> None:
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.FAILED, error_message=message, error_detail=detail[:4000]
    )
