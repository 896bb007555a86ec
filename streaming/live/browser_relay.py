"""The browser relay: the live supervisor's publisher for a session recorded in the browser.

It feeds the spooled chunks (see `browser_spool`) in sequence order to a transcoding ffmpeg,
which reads only the recording's own container (Matroska/WebM or MP4, chosen from its MIME type,
with the same pixel limit as uploads) and encodes H.264/AAC once, at one picture size no larger
than 720p, as FLV. Its tags go to `browser_publish.Publisher`, which publishes them to the local
nginx-rtmp under a signed relay name. From there on a browser source is an RTMP publisher like
any other: `admit()`'s window and one-source rules, the packager's ladder, viewers' windows, the
grace period and the archive are the same.

One relay spans several recordings: when the browser starts a new recorder (to change the
bitrate) or another tab takes over, the next recording's transcoder continues the same publish
on the same timeline, so viewers and the archive see one session without a break.

The packager joins a publish only after probing it; the relay sends the start again once the
packager's ffmpeg is connected (see `browser_publish`), so the archive begins at the first second
recorded. A relay whose chunks stop (the tab closed, the uplink gone) ends its publish after a
few seconds: the grace period starts, the browser's next chunk is answered "closed", and it
continues on a new connection (a new relay) within the same session.
"""

import contextlib
import json
import logging
import shutil
import subprocess
import threading
import time
from pathlib import Path

from streaming.conf import pipeline_config, setting
from streaming.live import browser_spool as spool
from streaming.live import flv
from streaming.live.browser_key import relay_key
from streaming.live.browser_publish import Publisher
from streaming.live.proc_sockets import connected_to
from streaming.models import LivePublisher, LiveSession, LiveState

logger = logging.getLogger("streaming.live")

# No chunk for this long: the tab is gone (a slow uplink still sends one every few seconds).
IDLE_SECONDS = 15.0
REPUBLISH_WAIT_SECONDS = 15.0
POLL_SECONDS = 0.01
WATCH_SECONDS = 0.005
TOP_WIDTH, TOP_HEIGHT = 1280, 720
FPS = 30
FORMAT_WHITELIST = {"matroska": "matroska,webm", "mov": "mov,mp4,m4a,3gp,3g2,mj2"}
# After the packager's ffmpeg has connected, time for its RTMP handshake and play request.
PLAY_MARGIN_SECONDS = 0.3
# A packager that never shows its connection gets the start again after this long anyway.
JOIN_TIMEOUT_SECONDS = 5.0


def picture_size(width: int, height: int) -> tuple[int, int]:
    """The relay's one picture size: the camera's, no larger than 720p, even."""
    scale = min(1.0, TOP_WIDTH / max(width, 1), TOP_HEIGHT / max(height, 1))
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


def probe_chunk(path: Path, container: str, max_pixels: int) -> dict:
    """The first chunk's picture size and whether it has sound (it carries the stream header)."""
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-protocol_whitelist", "file"]
        + ["-format_whitelist", FORMAT_WHITELIST[container], "-max_pixels", str(max_pixels)]
        + ["-f", container, "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        timeout=15,
        check=False,
    )
    streams = json.loads(done.stdout or b"{}").get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    if video is None or not video.get("width"):
        raise ValueError(f"no picture in the recording: {done.stderr.decode(errors='replace')}")
    return {
        "width": int(video["width"]),
        "height": int(video["height"]),
        "audio": any(s.get("codec_type") == "audio" for s in streams),
    }


def transcode_command(
    container: str, size: tuple[int, int], has_audio: bool, max_pixels: int
) -> list[str]:
    """ffmpeg reading one recording from stdin and writing H.264/AAC FLV to stdout."""
    width, height = size
    picture = (
        f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps={FPS},format=yuv420p"
    )
    gop = str(FPS)  # a keyframe every second: a recording can follow at any second
    sound = ["-map", "0:a:0"] if has_audio else ["-map", "1:a", "-shortest"]
    silence = [] if has_audio else ["-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo"]
    return [
        "ffmpeg", "-hide_banner", "-loglevel", "warning", "-nostats",
        "-protocol_whitelist", "pipe", "-format_whitelist", FORMAT_WHITELIST[container],
        "-max_pixels", str(max_pixels), "-analyzeduration", "500000",
        "-f", container, "-i", "pipe:0", *silence,
        "-map", "0:v:0", *sound, "-vf", picture,
        "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency",
        "-crf", "21", "-maxrate", "4000k", "-bufsize", "4000k",
        "-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
        "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2",
        "-flush_packets", "1", "-f", "flv", "pipe:1",
    ]  # fmt: skip


class Transcode:
    """One recording's ffmpeg; a thread passes its FLV tags to the publisher."""

    def __init__(self, command: list[str], publisher: Publisher, log_path: Path):
        self.log = open(log_path, "ab")  # noqa: SIM115 (closed in finish)
        self.publisher = publisher
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True, name="relay-tags")
        self.reader.start()

    def _read(self) -> None:
        try:
            if flv.read_header(self.process.stdout) is None:
                return
            while (tag := flv.read_tag(self.process.stdout)) is not None:
                self.publisher.put(tag)
        except Exception:
            logger.exception("Reading the browser relay's transcoder failed")

    def write(self, data: bytes) -> bool:
        try:
            self.process.stdin.write(data)
            self.process.stdin.flush()
            return True
        except (BrokenPipeError, OSError):
            return False

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def finish(self, timeout: float = 15) -> None:
        """End of the recording: ffmpeg encodes what it has, and every tag is passed on."""
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        self.reader.join(timeout)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Relay:
    """One session's publish: its recordings one after another, fed by one thread."""

    def __init__(self, session: LiveSession, folder: Path, known_runs: set[int] = frozenset()):
        self.session = session
        self.folder = folder  # the recording being fed
        self.known_runs = set(known_runs)  # packager runs of the session before this publish
        self.packager = None  # the packager run reading this publish, once the supervisor has one
        self.finished = threading.Event()
        self.stop_requested = threading.Event()
        self.size: tuple[int, int] | None = None
        self._held_at: float | None = None
        self._connected_at: float | None = None
        self._rewound = False
        self._released = False
        self.thread = threading.Thread(target=self._run, daemon=True, name=f"relay-{folder.name}")

    def start(self) -> "Relay":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_requested.set()

    @property
    def wants_packager(self) -> bool:
        return not self._released and self.packager is None

    def _target(self) -> str:
        base = f"rtmp://127.0.0.1:{setting('RTMP_PORT')}/{setting('RTMP_APP')}"
        return f"{base}/{relay_key(self.session)}"

    def _run(self) -> None:
        reason = spool.CLOSED_IDLE
        publisher = None
        try:
            log = self.folder.parent / "publish.log"
            with open(log, "ab") as publish_log:
                publisher = Publisher(self._target(), publish_log)
                watcher = threading.Thread(
                    target=self._watch_packager, args=(publisher,), daemon=True
                )
                watcher.start()
                folder = self.folder
                while folder is not None:
                    self.folder = folder
                    reason, folder = self._relay_recording(folder, publisher)
        except Exception:
            logger.exception("Browser relay %s failed", self.folder)
        finally:
            if publisher is not None:
                publisher.close()
            if spool.read_marker(self.folder, "closed") is None:
                spool.write_marker(self.folder, "closed", reason)
            spool.write_marker(self.folder, "done", reason)
            self.finished.set()
            logger.info("Browser relay %s closed (%s)", self.folder, reason)

    def _relay_recording(self, folder: Path, publisher: Publisher) -> tuple[str, Path | None]:
        """Feed one recording to its transcoder; the reason it ended and what follows it."""
        container = spool.read_marker(folder, "container") or "matroska"
        max_pixels = pipeline_config().max_pixels
        found = self._probe_start(folder, container, max_pixels)
        if found is None:
            return spool.CLOSED_IDLE, None
        if self.size is None:
            self.size = picture_size(found["width"], found["height"])
        publisher.begin_recording()
        command = transcode_command(container, self.size, found["audio"], max_pixels)
        transcode = Transcode(command, publisher, folder / "relay.log")
        try:
            reason, following = self._feed(folder, transcode, publisher)
        finally:
            transcode.finish()
        if following is not None:
            if spool.read_marker(folder, "closed") is None:  # "replaced" stays: that tab stops
                spool.write_marker(folder, "closed", spool.CLOSED_CONTINUED)
            spool.write_marker(folder, "done", spool.CLOSED_CONTINUED)
        return reason, following

    def _probe_start(self, folder: Path, container: str, max_pixels: int) -> dict | None:
        """The recording's picture size and sound, from its first chunk (or first two, if the
        first is too short to show a picture); None if its chunks do not come or are unreadable."""
        first = spool.next_to_feed(folder)
        deadline = time.monotonic() + IDLE_SECONDS
        for count in (1, 2):
            paths = [spool.chunk_path(folder, first + i) for i in range(count)]
            while not all(path.exists() for path in paths):
                if time.monotonic() > deadline or self.stop_requested.is_set():
                    return None
                time.sleep(POLL_SECONDS)
            start = folder / "start.probe"
            start.write_bytes(b"".join(path.read_bytes() for path in paths))
            try:
                return probe_chunk(start, container, max_pixels)
            except (ValueError, subprocess.TimeoutExpired) as unreadable:
                logger.warning("Browser relay %s: %s", folder, unreadable)
            finally:
                start.unlink(missing_ok=True)
        return None

    def _feed(self, folder: Path, transcode: Transcode, publisher: Publisher):
        """Write chunks in order until the recording ends, is followed, or goes idle."""
        last_chunk = time.monotonic()
        seq = spool.next_to_feed(folder)
        while True:
            if not transcode.running or not publisher.running:
                logger.warning(
                    "Browser relay %s: %s stopped: %s",
                    folder,
                    "the transcoder" if publisher.running else "the publish",
                    _tail(
                        folder / "relay.log" if publisher.running else folder.parent / "publish.log"
                    ),
                )
                return spool.CLOSED_IDLE, None
            path = spool.chunk_path(folder, seq)
            if path.exists() and spool.read_marker(folder, "closed") != spool.CLOSED_REPLACED:
                # Fed even when stopping: the recording is kept to its end.
                if not transcode.write(path.read_bytes()):
                    return spool.CLOSED_IDLE, None
                seq += 1
                spool.write_marker(folder, "next", str(seq))
                path.unlink()
                last_chunk = time.monotonic()
                continue
            following = spool.successor(folder, seq)
            if following is not None:
                return spool.CLOSED_CONTINUED, following
            if self.stop_requested.is_set():
                return spool.CLOSED_ENDED, None
            closed = spool.read_marker(folder, "closed")
            if closed is not None and closed != spool.CLOSED_REPLACED:
                return closed, None
            if time.monotonic() - last_chunk > IDLE_SECONDS:
                return spool.CLOSED_IDLE, None
            time.sleep(POLL_SECONDS)

    def _watch_packager(self, publisher: Publisher) -> None:
        """A thread of its own, so a busy feeder never misses the packager's start."""
        while not self.finished.is_set() and publisher.running:
            try:
                self._follow_packager(publisher)
            except Exception:
                logger.exception("Following the packager of %s failed", self.folder)
            time.sleep(WATCH_SECONDS)

    def _follow_packager(self, publisher: Publisher) -> None:
        """Hold when the packager's ffmpeg starts; send the start again once it is connected.
        A packager that stops before writing anything gets its successor the start again."""
        packaged = self.packager
        if packaged is None or self._released:
            return
        if self._rewound:
            if packaged.segment_count > 0:
                publisher.release()
                self._released = True
            elif packaged.finished.is_set():
                self.packager, self._rewound = None, False
                self._held_at = self._connected_at = None
            return
        process = packaged.process
        if process is None:
            return
        now = time.monotonic()
        if self._held_at is None:
            publisher.hold()
            self._held_at = now
        if self._connected_at is None and connected_to(process.pid, int(setting("RTMP_PORT"))):
            self._connected_at = now
        joined = self._connected_at is not None and now - self._connected_at > PLAY_MARGIN_SECONDS
        if joined or now - self._held_at > JOIN_TIMEOUT_SECONDS or process.poll() is not None:
            publisher.rewind()
            self._rewound = True
            logger.info(
                "Browser relay sent its start again to packager %s (held %.2f s)",
                process.pid,
                now - self._held_at,
            )


class BrowserRelays:
    """The supervisor's part: one relay per session with a browser source."""

    def __init__(self):
        self.relays: dict[int, Relay] = {}  # by session id
        self._last_relay: dict[int, float] = {}  # session id -> monotonic time its relay ran

    def step(self, runs=None) -> None:
        """`runs`: the supervisor's packager runs, from which a relay learns its reader."""
        for session_id, relay in list(self.relays.items()):
            self._last_relay[session_id] = time.monotonic()
            if relay.finished.is_set():
                del self.relays[session_id]
            elif runs and relay.wants_packager:
                relay.packager = self._reader(relay, runs.values())
        root = spool.spool_root()
        if not root.is_dir():
            return
        for session_dir in root.iterdir():
            if session_dir.is_dir() and session_dir.name.isdigit():
                self._step_session(int(session_dir.name), session_dir, runs or {})

    @staticmethod
    def _reader(relay: Relay, runs):
        for packaged in runs:
            if packaged.session.pk != relay.session.pk or packaged.run.pk in relay.known_runs:
                continue
            if packaged.finished.is_set():
                relay.known_runs.add(packaged.run.pk)  # its probe failed: wait for the next
                continue
            return packaged
        return None

    def _step_session(self, session_id: int, session_dir: Path, runs) -> None:
        session = LiveSession.objects.filter(pk=session_id).first()
        relay = self.relays.get(session_id)
        if session is None or session.state not in (LiveState.SCHEDULED, LiveState.LIVE):
            if relay is not None:
                relay.stop()
            else:
                shutil.rmtree(session_dir, ignore_errors=True)
            return
        if relay is not None:
            return  # it follows the session's recordings itself
        waiting = [
            folder
            for folder in session_dir.iterdir()
            if folder.is_dir()
            and spool.read_marker(folder, "closed") is None
            and spool.chunk_path(folder, spool.next_to_feed(folder)).exists()
        ]
        if not waiting:
            return
        newest = max(waiting, key=lambda folder: folder.stat().st_mtime)
        chain = _recordings_leading_to(newest, waiting)
        for folder in waiting:
            if folder not in chain:
                # Another tab's recording: the newest source wins, the other tab stops.
                spool.write_marker(folder, "closed", spool.CLOSED_REPLACED)
        newest = chain[0]  # the relay goes on from the earliest recording of that tab
        if self._other_source(session):
            # Our own previous publish may still be leaving nginx: wait for it, else refuse.
            if time.monotonic() - self._last_relay.get(session_id, -1e9) > REPUBLISH_WAIT_SECONDS:
                spool.write_marker(newest, "closed", spool.CLOSED_BUSY)
            return
        self._last_relay[session_id] = time.monotonic()
        known = {p.run.pk for p in runs.values() if p.session.pk == session_id}
        self.relays[session_id] = Relay(session, newest, known).start()

    def _other_source(self, session: LiveSession) -> bool:
        """Someone else (an RTMP encoder) is streaming to the session: one source at a time."""
        return LivePublisher.objects.filter(session=session, ended_at__isnull=True).exists()

    def shutdown(self) -> None:
        for relay in self.relays.values():
            relay.stop()
        for relay in self.relays.values():
            relay.finished.wait(15)
        self.relays.clear()


def _recordings_leading_to(folder: Path, waiting: list[Path]) -> list[Path]:
    """`folder` and the waiting recordings it continues (a bitrate change), earliest first."""
    chain = [folder]
    while True:
        previous = (spool.read_marker(chain[0], "previous") or "").partition(":")[0]
        before = folder.parent / previous if previous else None
        if before is None or before not in waiting or before in chain:
            return chain
        chain.insert(0, before)


def _tail(log: Path) -> str:
    with contextlib.suppress(OSError):
        return log.read_text(errors="replace").strip()[-500:]
    return ""
