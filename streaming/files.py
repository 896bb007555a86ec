"""How output files are served: content types and cache lifetimes, by file name."""

import mimetypes
from pathlib import PurePosixPath

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
}

# Segments, images and downloads never change under a version prefix; playlists may be re-read.
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=60"
# A live playlist changes every segment (2 s): caches may share it for a second.
LIVE_PLAYLIST = "public, max-age=1"


def content_type(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def cache_control(name: str) -> str:
    if not name.endswith(".m3u8"):
        return IMMUTABLE
    return LIVE_PLAYLIST if name.startswith("live/") else SHORT
