"""Measuring what ffmpeg writes while it writes it, so a runaway encode is stopped, not finished.

`-t` bounds the output's timestamps; bytes and files are measured on disk, which no timestamp
can fool. The check runs in its own thread so that it works even when ffmpeg reports no progress.
"""

import os
import threading
from collections.abc import Callable
from pathlib import Path

from streaming.pipeline.limits import OutputLimits, Usage, excess


def measure(folder: Path) -> Usage:
    """Bytes and files under `folder`; files ffmpeg renames or removes meanwhile are skipped."""
    total = files = 0
    pending = [Path(folder)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except FileNotFoundError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    total += entry.stat(follow_symlinks=False).st_size
                    files += 1
            except FileNotFoundError:
                continue
    return Usage(bytes=total, files=files)


class OutputWatch:
    """Calls `on_exceeded(detail)` once if `folder` grows past `limits`, checking every
    `interval` seconds until the `with` block ends."""

    def __init__(
        self,
        folder: Path,
        limits: OutputLimits,
        on_exceeded: Callable[[str], None],
        interval: float,
    ):
        self.folder = folder
        self.limits = limits
        self.on_exceeded = on_exceeded
        self.interval = interval
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="output-watch", daemon=True)

    def __enter__(self) -> "OutputWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._done.wait(self.interval):
            detail = excess(measure(self.folder), self.limits)
            if detail:
                self.on_exceeded(detail)
                return
