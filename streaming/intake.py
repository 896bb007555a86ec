"""The one way a recording becomes a `Video`.

Browser and tus uploads, `manage.py import_videos` and the demo loader all create videos here, so
they share one list of accepted file types, one first title and one rule for queueing.
"""

import re
from collections.abc import Callable
from pathlib import PurePosixPath

from django.core.files import File
from django.db import transaction
from wagtail.models import Collection

from streaming.conf import setting
from streaming.models import Video
from streaming.processing import request_processing

# Containers phones, cameras and screen recorders write; the pipeline checks the content itself.
DEFAULT_EXTENSIONS = (
    "mp4",
    "m4v",
    "mov",
    "qt",
    "3gp",
    "3g2",
    "webm",
    "mkv",
    "avi",
    "mpg",
    "mpeg",
    "mts",
    "m2ts",
    "ts",
    "wmv",
    "flv",
    "ogv",
    "m4a",
    "mp3",
    "wav",
    "ogg",
    "oga",
    "opus",
    "aac",
    "flac",
)


def accepted_extensions() -> list[str]:
    """File name endings (lower case, no dot) staff may upload or import."""
    return list(setting("UPLOAD_EXTENSIONS") or DEFAULT_EXTENSIONS)


def is_accepted(filename: str) -> bool:
    suffix = PurePosixPath(filename).suffix.lower().lstrip(".")
    return suffix in accepted_extensions()


def title_from_filename(filename: str) -> str:
    """A readable first title: "tuolijumppa_osa-2.mp4" becomes "tuolijumppa osa 2"."""
    stem = PurePosixPath(filename).stem if "." in filename else filename
    title = re.sub(r"[_\s]+", " ", stem).replace(" - ", " – ").strip()
    title = re.sub(r"(?<=\w)-(?=\w)", " ", title)
    return (title or filename)[:255]


def create_video(
    file: File,
    filename: str,
    *,
    title: str = "",
    user=None,
    collection: Collection | None = None,
    queue: bool = True,
    on_saved: Callable[[Video], None] | None = None,
) -> Video:
    """Store `file` as a new video's original and, unless `queue` is false, queue its processing.

    The original is copied before the database transaction opens (gigabytes must not hold the
    write lock); an `OSError` from a full disk reaches the caller with nothing saved. `on_saved`
    runs inside the transaction that saves the video, for the caller's own bookkeeping.
    """
    video = Video(
        title=(title or title_from_filename(filename))[:255],
        uploaded_by=user,
        original_size=file.size,
        collection=collection or Collection.get_first_root_node(),
    )
    video.original.save(filename, file, save=False)
    with transaction.atomic():
        video.save()
        if on_saved:
            on_saved(video)
        if queue:
            request_processing(video)
    return video
