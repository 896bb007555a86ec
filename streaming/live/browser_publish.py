"""The browser relay's publish: one ffmpeg that copies FLV tags to nginx-rtmp for a whole relay.

Each recording the browser makes (a new MediaRecorder after a bitrate change, another tab taking
over) is transcoded by an ffmpeg of its own whose timestamps start again at zero; here they are
re-timed to follow the previous recording, so the ingest, the packager, viewers and the archive
see one publish with one timeline.

It also gives the packager the start it would otherwise miss. The packager probes a publish
before it reads it (about two seconds), and nginx-rtmp keeps nothing for a reader that joins
late, so everything published before the packager's ffmpeg joined would be lost. The publisher
therefore keeps what it sent until then; the relay `hold`s when the packager's ffmpeg starts and
`rewind`s once it is connected, sending the kept tags again, re-timed to follow what was sent.
"""

import contextlib
import logging
import subprocess
import threading
import time
from typing import BinaryIO

from streaming.live import flv

logger = logging.getLogger("streaming.live")

# Between two recordings, or before the start sent again: a bit more than one frame.
GAP_MS = 40
# How much faster than real time the kept start is sent again.
REWIND_SPEED = 8
# The start is kept this long at most (a packager that never joins does not grow memory).
KEEP_MS = 60_000


def publish_command(target: str) -> list[str]:
    """ffmpeg copying FLV from stdin to an RTMP publish, after a short look at the input."""
    return [
        "ffmpeg", "-hide_banner", "-loglevel", "warning", "-nostats",
        "-protocol_whitelist", "pipe", "-f", "flv",
        "-probesize", "5000000", "-analyzeduration", "1000000", "-i", "pipe:0",
        "-map", "0", "-c", "copy", "-flush_packets", "1", "-f", "flv", target,
    ]  # fmt: skip


class Publisher:
    """Stage two of the relay: tags in (from any thread), one re-timed FLV stream out."""

    def __init__(self, target: str, log: BinaryIO):
        self.process = subprocess.Popen(
            publish_command(target),
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        self.lock = threading.Lock()
        self.failed = False
        self.headers: dict[int, bytes] = {}  # tag kind -> the header body last sent
        self.base = 0  # where the current recording's zero lies on the relay's timeline
        self.end = -GAP_MS  # the latest timestamp seen on that timeline
        self.shift = 0  # added on the way out: moves everything after a rewind
        self.written = -GAP_MS  # the latest timestamp written out
        self.kept: list[flv.Tag] | None = []  # the start, until rewound
        self.held = False
        self._write(flv.header())

    def begin_recording(self) -> None:
        """The next tags come from a new recording whose clock starts again at zero."""
        with self.lock:
            self.base = self.end + GAP_MS

    def put(self, tag: flv.Tag) -> None:
        if tag.ends_stream:
            return
        with self.lock:
            if tag.is_header:
                if self.headers.get(tag.kind) != tag.body:
                    first = tag.kind not in self.headers
                    self.headers[tag.kind] = tag.body
                    at = 0 if first else max(self.written, 0)
                    self._write(tag.encode(at))
                return
            at = self.base + tag.timestamp
            self.end = max(self.end, at)
            timed = flv.Tag(tag.kind, at, tag.body)
            if self.kept is not None:
                self.kept.append(timed)
                if at - self.kept[0].timestamp > KEEP_MS and not self.held:
                    self.kept = None
            if not self.held:
                self._send(timed)

    def hold(self) -> None:
        """Keep what comes from now on until `rewind` (the packager is about to join)."""
        with self.lock:
            if self.kept is not None:
                self.held = True

    def rewind(self) -> None:
        """Send the kept start again, after what was sent; from here on the packager reads.
        What is kept stays kept until `release`, in case this reader fails before writing.

        The replay starts at the first picture (sound before it, a frame at most, is left
        out), so the packager's first segment opens on a keyframe."""
        with self.lock:
            self.held = False
            if not self.kept:
                return
            firsts = [tag.timestamp for tag in self.kept if tag.kind == flv.VIDEO]
            start = firsts[0] if firsts else self.kept[0].timestamp
            replay = [
                tag
                for tag in self.kept
                if tag.timestamp > start or (tag.kind == flv.VIDEO and tag.timestamp == start)
            ]
            self.shift = self.written + GAP_MS - start
            started = time.monotonic()
            for tag in replay:
                # Paced: nginx-rtmp drops a reader whose queue overflows with the codec headers.
                ahead = (tag.timestamp - start) / 1000 / REWIND_SPEED
                time.sleep(max(0.0, ahead - (time.monotonic() - started)))
                self._send(tag)

    def release(self) -> None:
        """The packager has written its first segments: the start is safe."""
        with self.lock:
            self.kept = None
            self.held = False

    def _send(self, tag: flv.Tag) -> None:
        at = max(0, tag.timestamp + self.shift)
        self.written = max(self.written, at)
        self._write(tag.encode(at))

    def _write(self, data: bytes) -> None:
        if self.failed:
            return
        try:
            self.process.stdin.write(data)
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            self.failed = True
            logger.warning("The browser relay's publish ended early")

    @property
    def running(self) -> bool:
        return not self.failed and self.process.poll() is None

    def close(self, timeout: float = 15) -> None:
        """End the publish: ffmpeg sends what it has, and nginx's publish ends."""
        with self.lock:
            self.failed = True
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
