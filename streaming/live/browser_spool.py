"""The spool between the web app and the browser relay: recorded chunks as files on the ingest host.

A web worker cannot keep a long-lived ffmpeg (requests land on any worker, on any machine), so the
chunk endpoint only writes each chunk atomically as `<spool>/<session>/<connection>/<seq>.chunk`
and the live supervisor's relay feeds them to ffmpeg in order. The folder is the reorder buffer:
a chunk arriving early waits for the missing one, a chunk sent twice is ignored (by its sequence
number), and every answer names the next sequence number still missing, so the browser sends a
lost one again. One connection is one recording (one WebM or MP4 stream with its own header); a
reload or another device starts a new connection on the same session.

A recording that continues another one (the browser started a new MediaRecorder to change the
bitrate) names it and how many chunks it had (`previous`): the relay goes on from one to the other
within the same publish. A recording that names none takes the session over from any other: the
older one is closed as `replaced`, and its tab is told so and stops (one source at a time).

Markers: `previous` (`<connection>:<chunks>`, written once), `next` (the first sequence number not
yet fed), `closed` (why the connection takes no more chunks: the browser must start a new one, or
stop when it was replaced) and `done` (the relay has finished with it).
"""

import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from streaming.conf import setting, state_dir

CONNECTION = re.compile(r"^[0-9a-f]{32}$")
# Under Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): a second at 4 Mbit/s is 0.5 MB.
MAX_CHUNK_BYTES = 2 * 1024 * 1024
# Chunks (about one second each) that may wait ahead of a missing one.
REORDER_WINDOW = 120
# What a browser may record, and the one ffmpeg demuxer each may be opened with.
CONTAINERS = {
    "video/webm": "matroska",
    "video/x-matroska": "matroska",
    "video/mp4": "mov",
}
CLOSED_BUSY = "busy"
CLOSED_ENDED = "ended"
CLOSED_IDLE = "idle"
CLOSED_REPLACED = "replaced"
CLOSED_CONTINUED = "continued"
# Closed for good: the browser stops instead of starting a new recording.
REFUSED = {CLOSED_BUSY: 409, CLOSED_REPLACED: 409}
PREVIOUS = re.compile(r"^([0-9a-f]{32}):([0-9]{1,9})$")


class ChunkRefused(Exception):
    """The chunk cannot be taken; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Accepted:
    expected: int  # the next sequence number the spool is missing
    duplicate: bool


def spool_root() -> Path:
    base = setting("LIVE_WORK_DIR") or state_dir() / "live"
    return Path(base) / "browser"


def connection_dir(session_id: int, connection: str) -> Path:
    if not CONNECTION.match(connection):
        raise ChunkRefused(400, "bad connection id")
    return spool_root() / str(int(session_id)) / connection


def container_for(mime_type: str) -> str:
    base = mime_type.split(";", 1)[0].strip().lower()
    if base not in CONTAINERS:
        raise ChunkRefused(415, "unsupported recording format")
    return CONTAINERS[base]


def chunk_path(folder: Path, seq: int) -> Path:
    return folder / f"{seq:08d}.chunk"


def read_marker(folder: Path, name: str) -> str | None:
    try:
        return (folder / name).read_text()
    except FileNotFoundError:
        return None


def write_marker(folder: Path, name: str, value: str) -> None:
    _write_atomically(folder / name, value.encode())


def next_to_feed(folder: Path) -> int:
    return int(read_marker(folder, "next") or 0)


def expected(folder: Path) -> int:
    """The first sequence number neither fed nor waiting."""
    seq = next_to_feed(folder)
    while chunk_path(folder, seq).exists():
        seq += 1
    return seq


def accept(
    session_id: int,
    connection: str,
    seq: int,
    data: bytes,
    mime_type: str,
    previous: str = "",
) -> Accepted:
    """Store one chunk, once; refuse when its connection is closed (start a new one, or stop)."""
    folder = connection_dir(session_id, connection)
    container = container_for(mime_type)
    if seq < 0 or not data or len(data) > MAX_CHUNK_BYTES:
        raise ChunkRefused(400, "bad chunk")
    if previous and not PREVIOUS.match(previous):
        raise ChunkRefused(400, "bad previous recording")
    _refuse_if_closed(folder)
    if not folder.is_dir():
        _open(folder, container, previous)
        _refuse_if_closed(folder)
    fed = next_to_feed(folder)
    target = chunk_path(folder, seq)
    if seq < fed or target.exists():
        return Accepted(expected(folder), duplicate=True)
    if seq >= fed + REORDER_WINDOW:
        raise ChunkRefused(409, "too far ahead of a missing chunk")
    _write_atomically(target, data)
    return Accepted(expected(folder), duplicate=False)


def _refuse_if_closed(folder: Path) -> None:
    closed = read_marker(folder, "closed")
    if closed is not None:
        raise ChunkRefused(REFUSED.get(closed, 410), closed)


def _open(folder: Path, container: str, previous: str) -> None:
    """A new connection: it continues the recording it names, or takes the session over."""
    folder.mkdir(parents=True, exist_ok=True)
    write_marker(folder, "container", container)
    continued = PREVIOUS.match(previous)
    if continued:
        before = folder.parent / continued.group(1)
        if read_marker(before, "closed") in REFUSED:
            write_marker(folder, "closed", read_marker(before, "closed"))
        elif before.is_dir():
            write_marker(folder, "previous", previous)
            return
    for other in folder.parent.iterdir():
        if other != folder and other.is_dir() and read_marker(other, "closed") is None:
            write_marker(other, "closed", CLOSED_REPLACED)


def successor(folder: Path, fed: int) -> Path | None:
    """What follows this connection in the same publish, once it has been fed `fed` chunks: the
    recording that continues it, or the newest that replaced it."""
    siblings = [other for other in folder.parent.iterdir() if other.is_dir() and other != folder]
    for other in siblings:
        if read_marker(other, "previous") == f"{folder.name}:{fed}":
            return other if read_marker(other, "closed") is None else None
    if read_marker(folder, "closed") != CLOSED_REPLACED:
        return None
    waiting = [
        other
        for other in siblings
        if read_marker(other, "closed") is None and chunk_path(other, next_to_feed(other)).exists()
    ]
    return max(waiting, key=lambda other: other.stat().st_mtime, default=None)


def close(session_id: int, reason: str) -> None:
    """Close every connection of the session (the host ended it)."""
    folder = spool_root() / str(int(session_id))
    if folder.is_dir():
        for connection in folder.iterdir():
            if connection.is_dir() and read_marker(connection, "closed") is None:
                write_marker(connection, "closed", reason)


def wait_until_relayed(session_id: int, timeout: float) -> bool:
    """Wait for the session's relays to finish (their last second reaches the packager)."""
    folder = spool_root() / str(int(session_id))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connections = [c for c in folder.iterdir() if c.is_dir()] if folder.is_dir() else []
        if all(read_marker(c, "done") is not None for c in connections):
            return True
        time.sleep(0.1)
    return False


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
