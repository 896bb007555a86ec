"""Work folders of processing jobs, and reclaiming those whose job died.

A job removes its folder in a `finally`, which SIGKILL, the out-of-memory killer or a power cut
skip; every leftover holds a copy of an original and a whole ladder, and soon fills the disk.
So a job holds an exclusive `flock` on a file in its folder for as long as it lives. The kernel
drops that lock when the process dies, however it dies, so any process on the machine can tell a
dead job's folder from a live one without knowing which worker made it, and any number of workers
can sweep at once. Only folders with our prefix and our lock file are removed.

The lock file also notes the video and the job's last heartbeat: a worker that finds the folder
unlocked knows that attempt is dead and can queue it again at once (see `streaming.recovery`).

The work dir must be local to the machine, or on a file system whose `flock` works between
machines (NFSv4 does); otherwise one machine could take another's live folder for dead.
"""

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from streaming.conf import work_dir

PREFIX = "kotikanava-job-"
LOCK_NAME = ".kotikanava-lock"
# A lock file with no note yet belongs to a job that is starting (or died in that instant).
STARTING_GRACE_SECONDS = 3600


@dataclass(frozen=True)
class DeadJob:
    """What a dead job's folder said: its video and the last heartbeat it wrote, if any."""

    video_id: int
    beat: datetime | None


class JobFolder:
    """A job's own temporary folder, locked while the job lives and removed when it ends."""

    def __init__(self, video_id: int):
        self.video_id = video_id
        self.path: Path | None = None
        self._fd: int | None = None

    def __enter__(self) -> "JobFolder":
        root = work_dir()
        root.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}video-{self.video_id}-", dir=root))
        try:
            self._fd = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            self.note_beat(None)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def note_beat(self, beat: datetime | None) -> None:
        """Record the heartbeat just written to the video row (overwritten in place)."""
        note = json.dumps({"video": self.video_id, "beat": beat and beat.isoformat()}).encode()
        os.pwrite(self._fd, note, 0)
        os.ftruncate(self._fd, len(note))

    def __exit__(self, *exc_info) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        if self._fd is not None:
            os.close(self._fd)  # only now, so no sweep sees the folder unlocked
            self._fd = None


def reclaim_dead_folders() -> list[DeadJob]:
    """Remove the folders of jobs that died on this machine and say which jobs they were."""
    try:
        entries = [e for e in os.scandir(work_dir()) if e.name.startswith(PREFIX)]
    except FileNotFoundError:
        return []
    dead = []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            job = _reclaim(Path(entry.path))
            if job:
                dead.append(job)
    return dead


def _reclaim(path: Path) -> DeadJob | None:
    try:
        fd = os.open(path / LOCK_NAME, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        # Not ours, or its job died before the lock file existed: only an empty folder goes.
        if _age(path) > STARTING_GRACE_SECONDS:
            with contextlib.suppress(OSError):
                path.rmdir()  # only if empty
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # its job is alive
        note = _read_note(fd)
        if note is None and _age(path) < STARTING_GRACE_SECONDS:
            return None  # its job has created the file but not locked it yet
        shutil.rmtree(path, ignore_errors=True)
        return note
    finally:
        os.close(fd)


def _read_note(fd: int) -> DeadJob | None:
    """The note, which may carry a tail of a longer earlier note if its job died mid-write."""
    try:
        note, _end = json.JSONDecoder().raw_decode(os.pread(fd, 4096, 0).decode())
        beat = note["beat"] and datetime.fromisoformat(note["beat"])
        return DeadJob(video_id=int(note["video"]), beat=beat or None)
    except (ValueError, KeyError, TypeError):
        return None


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0
