"""Upload settings with their embedded defaults, and where unfinished files wait."""

from datetime import timedelta
from pathlib import Path

from streaming.conf import setting, state_dir
from streaming.models import UploadSession

MIB = 1024**2
# How much of a request body is read into memory at a time.
BLOCK_SIZE = MIB


def max_upload_bytes() -> int:
    return setting("MAX_UPLOAD_BYTES")


def chunk_size() -> int:
    """Chunk size the browser uses; also the most one request may carry (proxies limit bodies)."""
    return int(setting("UPLOAD_CHUNK_BYTES"))


def upload_dir() -> Path:
    default = state_dir() / "uploads"
    return Path(setting("UPLOAD_DIR") or default)


def stale_after() -> timedelta:
    """How long an untouched session may wait for its owner: long enough to resume next morning."""
    return timedelta(seconds=setting("UPLOAD_STALE_SECONDS"))


def disk_reserve_bytes() -> int:
    """Space uploads leave free on their disk, for the database, logs and the transcoder."""
    return setting("UPLOAD_DISK_RESERVE_BYTES")


def max_open_sessions() -> int:
    """Unfinished uploads one person may have; each may be holding gigabytes of disk."""
    return setting("UPLOAD_MAX_OPEN_SESSIONS")


def lease() -> timedelta:
    """How long an upload keeps its claim on disk after its last sign of life.

    Longer than the browser's longest wait between retries (30 s), so a flaky link keeps its room.
    """
    return timedelta(seconds=setting("UPLOAD_LEASE_SECONDS"))


def max_reserved_bytes() -> int:
    """Disk one person's moving uploads may claim at once, so one person cannot starve the rest."""
    return setting("UPLOAD_MAX_RESERVED_BYTES") or max_upload_bytes()


def part_path(session: UploadSession) -> Path:
    return upload_dir() / f"{session.pk}.part"
