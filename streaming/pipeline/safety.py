"""The one place that knows how untrusted media may be opened.

An upload named `.mp4` may be a text HLS playlist or a concat script that makes ffmpeg read
other local files (CVE-2016-1897/1898, CVE-2017-9993). Uploads are therefore opened only through
the `file` protocol, only with demuxers of real containers, with a pixel limit for the decoders
and a time limit for every process. The byte pre-check refuses the obvious cases before any
demuxer runs; the whitelists hold even when the pre-check is fooled.
"""

from pathlib import Path

from streaming.pipeline.errors import rejected

# Demuxers of real recording containers (ffmpeg matches any name of a demuxer's list, so "mov"
# covers mov,mp4,m4a,3gp,3g2,mj2). Never hls, concat, image sequences, tty, data, subfile, ...
ALLOWED_DEMUXERS = (
    "mov",
    "mp4",
    "m4a",
    "3gp",
    "3g2",
    "mj2",
    "matroska",
    "webm",
    "avi",
    "asf",
    "flv",
    "mpegts",
    "mpeg",
    "mp3",
    "wav",
    "ogg",
    "flac",
    "aac",
)

# Text that marks a playlist or a script rather than a recording.
PLAYLIST_SIGNATURES = (
    b"#EXTM3U",
    b"#EXT",
    b"ffconcat",
    b"file ",
    b"[playlist]",
    b"<?xml",
    b"<MPD",
    b"<smil",
)
HEAD_BYTES = 512
# Recordings start with binary headers; a head of printable text is a document or a script.
TEXT_CONTROL_CHARACTERS = frozenset("\t\n\r\f")


def input_options(max_pixels: int) -> dict:
    """ffmpeg/ffprobe options that must come before every untrusted input."""
    return {
        "protocol_whitelist": "file",
        "format_whitelist": ",".join(ALLOWED_DEMUXERS),
        "max_pixels": str(max_pixels),
    }


def input_flags(max_pixels: int) -> list[str]:
    return [arg for name, value in input_options(max_pixels).items() for arg in (f"-{name}", value)]


def input_url(path: Path) -> str:
    """`file:` keeps a name such as `concat:x` or `subfile,,...` from being read as a protocol."""
    return f"file:{Path(path).resolve()}"


def probe_timeout(config) -> float:
    return float(config.probe_timeout)


def transcode_timeout(duration: float, config) -> float:
    """Encoding may take `timeout_factor` times the recording's length, plus a minute to start."""
    return duration * config.timeout_factor + 60.0


def precheck(path: Path) -> None:
    """Refuse empty files, playlists and text documents before any demuxer sees them."""
    if path.stat().st_size == 0:
        raise rejected("empty", "zero bytes")
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if any(stripped.startswith(signature) for signature in PLAYLIST_SIGNATURES):
        raise rejected("playlist", f"playlist or script: starts with {stripped[:16]!r}")
    if looks_like_text(head):
        raise rejected("not_media", f"text file starting {stripped[:24]!r}")


def looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # not just a character cut at the read boundary
            return False
        text = head[: error.start].decode("utf-8")
    return all(char.isprintable() or char in TEXT_CONTROL_CHARACTERS for char in text)
