"""Upload settings with their embedded defaults, and where unfinished files wait."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings

from streaming.models import UploadSession

MIB = 1024**2
# How much of a request body is read into memory at a time.
BLOCK_SIZE = MIB
# Containers phones, cameras and screen recorders write; the pipeline checks the content itself.
DEFAULT_EXTENSIONS = [
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
]


def max_upload_bytes() -> int:
    return settings.KOTIKANAVA_MAX_UPLOAD_BYTES


def chunk_size() -> int:
    """Chunk size the browser uses; also the most one request may carry (proxies limit bodies)."""
    return int(getattr(settings, "KOTIKANAVA_UPLOAD_CHUNK_BYTES", 4 * MIB))


def upload_dir() -> Path:
    default = Path(settings.STATE_DIR) / "uploads"
    return Path(settings.KOTIKANAVA_UPLOAD_DIR or default)


def stale_after() -> timedelta:
    """How long an untouched session may wait for its owner: long enough to resume next morning."""
    return timedelta(seconds=getattr(settings, "KOTIKANAVA_UPLOAD_STALE_SECONDS", 2 * 86400))


def disk_reserve_bytes() -> int:
    """Space uploads leave free on their disk, for the database, logs and the transcoder."""
    return settings.KOTIKANAVA_UPLOAD_DISK_RESERVE_BYTES


def max_open_sessions() -> int:
    """Unfinished uploads one person may have; each may be holding gigabytes of disk."""
    return settings.KOTIKANAVA_UPLOAD_MAX_OPEN_SESSIONS


def lease() -> timedelta:
    """How long an upload keeps its claim on disk after its last sign of life.

    Longer than the browser's longest wait between retries (30 s), so a flaky link keeps its room.
    """
    return timedelta(seconds=settings.KOTIKANAVA_UPLOAD_LEASE_SECONDS)


def max_reserved_bytes() -> int:
    """Disk one person's moving uploads may claim at once, so one person cannot starve the rest."""
    return settings.KOTIKANAVA_UPLOAD_MAX_RESERVED_BYTES


def allowed_extensions() -> list[str]:
    return list(getattr(settings, "KOTIKANAVA_UPLOAD_EXTENSIONS", DEFAULT_EXTENSIONS))


def part_path(session: UploadSession) -> Path:
    return upload_dir() / f"{session.pk}.part"
