"""Glass-to-glass latency of a live session on loopback, read from a clock burned into the picture.

A throwaway environment runs as in production: `manage.py runserver` (SQLite and MEDIA_ROOT in a
temporary folder) and `manage.py run_ingest` (nginx-rtmp and the packager supervisor) on free
ports. An ffmpeg publisher sends a synthetic 720p30 (then 360p30) picture with `-re`; the frame
number is drawn into the top band as 16 Gray-code boxes plus their complement (16 `drawbox`
filters with timeline `enable` expressions), so it is read back from the lowest rung's pixels
without OCR. Frame n is "on glass" when the publisher reads it: -re paces frame n at s + n/30;
s is taken from the publisher's own `-progress` reports (frames encoded by a wall time), which
also give the pacing drift over the run.

The player is hls.js at its default live edge: it polls the lowest rung's `live.m3u8` every
second and plays 3 target durations behind the end of the playlist (liveSyncDurationCount=3).
For a playlist received at T, the frame at (end - 3 x TARGETDURATION) is fetched over HTTP
(init + segment), decoded to gray pixels and read: latency = T - its glass time. That is the
latency a viewer joining at T keeps (hls.js then plays at rate 1). Packaging delay, reported
separately: when a segment appears in ffmpeg's own list and in the viewers' window, against the
glass time of its last frame.

    .venv/bin/python benchmarks/live_latency.py [--seconds 60] [--sizes 1280x720 640x360]

`live_cpu.py` reuses this file's environment and publisher helpers.
"""

import argparse
import contextlib
import http.client
import json
import os
import posixpath
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import ROOT, embedded_env, table

FPS = 30
BITS = 16
TARGET_SECONDS = 8.0
HOLD_BACK_COUNT = 3  # hls.js liveSyncDurationCount


# The environment


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(check, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise RuntimeError(f"timed out waiting for {what}")


class LiveEnvironment:
    """runserver + run_ingest in a temporary state folder; everything goes on exit."""

    def __init__(self, grace_seconds: int = 3):
        self.grace_seconds = grace_seconds
        self.processes: list[subprocess.Popen] = []

    def __enter__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="kotikanava-live-bench-"))
        self.media_root = self.tmp / "media"
        self.live_work = self.tmp / "live-work"
        self.web_port, self.rtmp_port = free_port(), free_port()
        self.env = embedded_env(
            self.tmp,
            KOTIKANAVA_MEDIA_ROOT=str(self.media_root),
            KOTIKANAVA_LIVE_WORK_DIR=str(self.live_work),
            KOTIKANAVA_RTMP_PORT=str(self.rtmp_port),
            KOTIKANAVA_INGEST_CALLBACK_URL=f"http://127.0.0.1:{self.web_port}",
            KOTIKANAVA_BASE_URL=f"http://127.0.0.1:{self.web_port}",
            KOTIKANAVA_LIVE_GRACE_SECONDS=str(self.grace_seconds),
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        try:
            self.manage("migrate", "--no-input", "-v", "0")
            self.web = self.start(
                [sys.executable, "manage.py", "runserver", "--noreload", str(self.web_port)],
                "web.log",
            )
            _wait(self._web_up, 60, "runserver")
            self.ingest = self.start([sys.executable, "manage.py", "run_ingest"], "ingest.log")
            _wait(self._rtmp_up, 30, "run_ingest's nginx")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed: {done.stderr[-2000:]}")
        return done.stdout

    def start(self, argv: list[str], log_name: str, **kwargs) -> subprocess.Popen:
        log = open(self.tmp / log_name, "wb")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=kwargs.pop("stdout", log),
            stderr=log,
            start_new_session=True,
            **kwargs,
        )
        process.log = log
        self.processes.append(process)
        return process

    def _web_up(self) -> bool:
        if self.web.poll() is not None:
            raise RuntimeError(f"runserver exited: {self.log_tail('web.log')}")
        with contextlib.suppress(OSError):
            return self.get("/")[0] > 0
        return False

    def _rtmp_up(self) -> bool:
        if self.ingest.poll() is not None:
            raise RuntimeError(f"run_ingest exited: {self.log_tail('ingest.log')}")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", self.rtmp_port), timeout=0.2).close()
            return True
        return False

    def log_tail(self, name: str) -> str:
        with contextlib.suppress(OSError):
            return (self.tmp / name).read_text(errors="replace")[-2000:]
        return ""

    def get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.web_port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def schedule(self, title: str) -> dict:
        """`schedule_live --json`, plus the session's public id and its media URL prefix."""
        line = self.manage(
            "schedule_live", "--title", title, "--start", "now", "--duration", "30", "--json"
        )
        session = json.loads(line.strip().splitlines()[-1])
        session["public_id"] = session["status_url"].rstrip("/").split("/")[-2]
        session["media"] = f"/media/live/{session['public_id']}/"
        return session

    def publish(self, session: dict, input_args: list[str], log_name: str, progress=False):
        """An ffmpeg publisher to the session's key (its own encoder or stream copy)."""
        argv = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error"]
        if progress:
            argv += ["-progress", "pipe:1", "-stats_period", "0.1"]
        argv += input_args + ["-f", "flv", f"{session['rtmp_url']}/{session['stream_key']}"]
        return self.start(argv, log_name, stdout=subprocess.PIPE if progress else None)

    def packager_pid(self, session: dict, run: int = 1) -> int | None:
        pid_file = self.live_work / session["public_id"] / f"r{run}" / "ffmpeg.pid"
        with contextlib.suppress(OSError, ValueError):
            return int(pid_file.read_text())
        return None

    def run_playlist(self, session: dict, rung: str, run: int = 1) -> Path:
        """ffmpeg's own complete list in the packager's work folder (before the supervisor)."""
        return self.live_work / session["public_id"] / f"r{run}" / rung / "index.m3u8"

    def window_file(self, session: dict, rung: str) -> Path:
        return self.media_root / "live" / session["public_id"] / rung / "live.m3u8"

    def stop(self, process: subprocess.Popen, timeout: float = 10) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.log.close()

    def __exit__(self, *exc):
        # Publishers first, then the ingest (it stops its packagers, keeping their files),
        # then the web app; then anything still naming this folder or port (packagers are in
        # sessions of their own), by pid.
        for process in reversed(self.processes):
            self.stop(process, timeout=25)
        for pid in self._leftovers():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _leftovers(self) -> list[int]:
        marks = [str(self.tmp).encode(), f"127.0.0.1:{self.rtmp_port}/".encode()]
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            with contextlib.suppress(OSError):
                if entry.stat().st_uid == os.getuid():
                    command_line = (entry / "cmdline").read_bytes()
                    if any(mark in command_line for mark in marks):
                        found.append(int(entry.name))
        return found


def exit_on_sigterm() -> None:
    """A SIGTERM runs the cleanup, as Ctrl-C does."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


# Playlists


@dataclass
class Window:
    target: int
    segments: list[tuple[str, float]]  # (uri, duration)

    @property
    def duration(self) -> float:
        return sum(duration for _, duration in self.segments)


def parse_window(text: str) -> Window:
    target, segments, duration = 0, [], None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#EXT-X-TARGETDURATION:"):
            target = int(line.split(":", 1)[1])
        elif line.startswith("#EXTINF:"):
            duration = float(line[len("#EXTINF:") :].split(",")[0])
        elif line and not line.startswith("#") and duration is not None:
            segments.append((line, duration))
            duration = None
    return Window(target, segments)


def lowest_rung(master: str) -> tuple[str, int, int]:
    """(rung folder, width, height) of the smallest video variant of a live master."""
    best = None
    lines = master.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:") and "RESOLUTION=" in line:
            width, height = (int(v) for v in line.split("RESOLUTION=")[1].split(",")[0].split("x"))
            rung = lines[index + 1].split("/")[0]
            if best is None or width * height < best[1] * best[2]:
                best = (rung, width, height)
    if best is None:
        raise RuntimeError("the live master has no video variant")
    return best


class FirstSeen(threading.Thread):
    """When each segment first appears in some playlists (polled every 50 ms)."""

    def __init__(self, files: dict[str, Path]):
        super().__init__(daemon=True)
        self.files = files
        self.seen: dict[str, dict[str, float]] = {name: {} for name in files}
        self.stopping = threading.Event()

    def run(self):
        first = True  # what is listed already when watching starts appeared at "0"
        while first or not self.stopping.wait(0.05):
            for name, path in self.files.items():
                try:
                    text = path.read_text()
                except OSError:
                    continue
                now = 0.0 if first else time.monotonic()
                for uri, _ in parse_window(text).segments:
                    self.seen[name].setdefault(Path(uri).name, now)
            first = False


# The clock in the picture


def clock_filter(width: int, height: int) -> str:
    """Frame number as Gray code in 16 boxes (top row) and its complement (second row)."""
    cell, band = width // BITS, height // 12
    parts = [f"drawbox=x=0:y=0:w={width}:h={2 * band}:color=black:t=fill"]
    for bit in range(BITS):
        x = (BITS - 1 - bit) * cell
        on = f"mod(floor((n+{2**bit})/{2 ** (bit + 1)}),2)"
        for row, value in ((0, 1), (1, 0)):
            parts.append(
                f"drawbox=x={x}:y={row * band}:w={cell}:h={band}:color=white:t=fill"
                f":enable='eq({on},{value})'"
            )
    return ",".join(parts)


def read_clock(frame: bytes, width: int, height: int) -> int | None:
    """The frame number drawn by `clock_filter`, from gray pixels; None if unreadable."""
    cell, band = width / BITS, height / 12

    def lit(cx: float, cy: float) -> bool:
        dx, dy = max(1, int(cell / 4)), max(1, int(band / 4))
        values = [
            frame[y * width + x]
            for y in range(int(cy) - dy, int(cy) + dy + 1)
            for x in range(int(cx) - dx, int(cx) + dx + 1)
        ]
        return sum(values) / len(values) > 128

    gray = 0
    for bit in range(BITS):
        cx = (BITS - 1 - bit + 0.5) * cell
        top, bottom = lit(cx, band / 2), lit(cx, band * 1.5)
        if top == bottom:
            return None
        gray |= int(top) << bit
    number, shift = gray, gray >> 1
    while shift:
        number ^= shift
        shift >>= 1
    return number


def decode_gray(data: bytes, width: int, height: int) -> list[bytes]:
    """Every picture of an fMP4 (init + segment) as gray pixels."""
    done = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", "pipe:0", "-an"]
        + ["-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"],
        input=data,
        capture_output=True,
        check=True,
    )
    size = width * height
    return [done.stdout[i : i + size] for i in range(0, len(done.stdout), size)]


def segment_frames(data: bytes, width: int, height: int) -> list[int]:
    """The clock of every frame; raises if they are not consecutive (a misread)."""
    numbers = [read_clock(frame, width, height) for frame in decode_gray(data, width, height)]
    if not numbers or None in numbers:
        raise RuntimeError(f"unreadable clock in a segment: {numbers[:5]}...")
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        raise RuntimeError(f"clock not consecutive in a segment: {numbers}")
    return numbers


# The publisher's clock


class PublisherClock(threading.Thread):
    """(monotonic time, frames encoded) from the publisher's `-progress` lines."""

    def __init__(self, process: subprocess.Popen):
        super().__init__(daemon=True)
        self.process = process
        self.reports: list[tuple[float, int]] = []

    def run(self):
        for raw in self.process.stdout:
            if raw.startswith(b"frame="):
                self.reports.append((time.monotonic(), int(raw.split(b"=")[1])))

    def start_time(self, since: float, until: float) -> float:
        """s in "frame n on glass at s + n/fps": frames 0..N-1 were read by a report (and
        frame N not yet), so each report says s ~ t - (N - 0.5)/fps; the median of a span."""
        values = [t - (n - 0.5) / FPS for t, n in self.reports if since <= t <= until and n]
        if len(values) < 5:
            raise RuntimeError("the publisher reported no progress")
        return statistics.median(values)

    def spread(self, since: float, until: float) -> float:
        """p95 - p5 of those estimates: how tightly the reports pin s down."""
        values = [t - (n - 0.5) / FPS for t, n in self.reports if since <= t <= until and n]
        return pct(values, 0.95) - pct(values, 0.05)


def publisher_input(size: str, preset: str) -> list[str]:
    width, height = (int(v) for v in size.split("x"))
    return (
        ["-re", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={FPS}"]
        + ["-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
        + ["-vf", clock_filter(width, height), "-pix_fmt", "yuv420p"]
        + ["-c:v", "libx264", "-preset", preset, "-tune", "zerolatency"]
        + ["-g", str(2 * FPS), "-keyint_min", str(2 * FPS), "-sc_threshold", "0"]
        + ["-b:v", "2500k" if height >= 720 else "800k", "-maxrate", "3000k", "-bufsize", "3000k"]
        + ["-c:a", "aac", "-b:a", "128k", "-ar", "48000"]
    )


# One measurement


@dataclass
class Sample:
    at: float  # when the player received the playlist
    uri: str
    offset: float  # seconds into that segment
    data: bytes


@dataclass
class Result:
    size: str
    latencies: list[float] = field(default_factory=list)
    ffmpeg_delays: list[float] = field(default_factory=list)
    window_delays: list[float] = field(default_factory=list)
    hold_back: float = 0.0
    drift: float = 0.0
    spread: float = 0.0  # p5-p95 of the start-time estimates
    after_launch: float = 0.0  # frame 0's glass time after the publisher was launched
    misreads: int = 0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(env: LiveEnvironment, size: str, args) -> Result:
    session = env.schedule(f"latency {size}")
    launched = time.monotonic()
    publisher = env.publish(session, publisher_input(size, args.preset), f"pub-{size}.log", True)
    clock = PublisherClock(publisher)
    clock.start()
    master_path = session["media"] + "master.m3u8"

    def master():
        if publisher.poll() is not None:
            raise RuntimeError(f"publisher exited: {env.log_tail(f'pub-{size}.log')}")
        status, body = env.get(master_path)
        return body.decode() if status == 200 else None

    rung, width, height = lowest_rung(_wait(master, 60, "the live master"))
    window_path = session["media"] + f"{rung}/live.m3u8"
    watcher = FirstSeen(
        {"ffmpeg": env.run_playlist(session, rung), "window": env.window_file(session, rung)}
    )
    watcher.start()

    def window() -> Window:
        status, body = env.get(window_path)
        if status != 200:
            raise RuntimeError(f"{window_path}: HTTP {status}")
        return parse_window(body.decode())

    _wait(lambda: len(window().segments) >= HOLD_BACK_COUNT + 1, 60, "a full window", 0.5)
    time.sleep(args.warmup)
    print(f"  {size}: sampling {args.seconds:.0f} s from {rung} ({width}x{height})", flush=True)

    init_status, init = env.get(session["media"] + f"r1/{rung}/init.mp4")
    samples, result = [], Result(size)
    began = time.monotonic()
    poll = 0
    # Polls about every second, at random phases against the 2 s segments (a viewer joins at
    # any moment); a grid of whole seconds would sample only two phases.
    phases = random.Random(7)
    while time.monotonic() - began < args.seconds:
        next_poll = began + poll + 1 + phases.random()
        current = window()
        received = time.monotonic()
        if poll % args.sample_every == 0:
            position = max(0.0, current.duration - HOLD_BACK_COUNT * current.target)
            result.hold_back = HOLD_BACK_COUNT * current.target
            start = 0.0
            for uri, duration in current.segments:
                if start <= position < start + duration or uri == current.segments[-1][0]:
                    url = posixpath.normpath(posixpath.join(posixpath.dirname(window_path), uri))
                    status, data = env.get(url)
                    if status != 200:
                        raise RuntimeError(f"{url}: HTTP {status}")
                    samples.append(Sample(received, uri, position - start, data))
                    break
                start += duration
        poll += 1
        time.sleep(max(0.0, next_poll - time.monotonic()))
    ended = time.monotonic()
    watcher.stopping.set()
    env.stop(publisher)
    clock.join(timeout=5)

    # Decoding after the publisher stopped, so it takes no CPU from the live pipeline.
    s = clock.start_time(began, ended)
    early = clock.start_time(began, began + 10)
    late = clock.start_time(ended - 10, ended)
    result.drift = late - early
    result.spread = clock.spread(began, ended)
    result.after_launch = s - launched
    if init_status != 200:
        raise RuntimeError("no init segment for the lowest rung")
    for sample in samples:
        try:
            numbers = segment_frames(init + sample.data, width, height)
        except RuntimeError:
            result.misreads += 1
            continue
        index = min(len(numbers) - 1, int(sample.offset * FPS))
        result.latencies.append(sample.at - (s + numbers[index] / FPS))
    folder = env.media_root / "live" / session["public_id"] / "r1" / rung
    for name, appeared in sorted(watcher.seen["window"].items()):
        if not began <= appeared <= ended:
            continue
        try:
            numbers = segment_frames(init + (folder / name).read_bytes(), width, height)
        except (OSError, RuntimeError):
            result.misreads += 1
            continue
        glass_last = s + numbers[-1] / FPS
        result.window_delays.append(appeared - glass_last)
        if name in watcher.seen["ffmpeg"]:
            result.ffmpeg_delays.append(watcher.seen["ffmpeg"][name] - glass_last)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="sampling time per size")
    parser.add_argument("--warmup", type=float, default=6, help="after the window is full")
    parser.add_argument("--sample-every", type=int, default=3, help="polls (1 s) per sample")
    parser.add_argument("--sizes", nargs="+", default=["1280x720", "640x360"])
    parser.add_argument("--preset", default="veryfast", help="the publisher's x264 preset")
    args = parser.parse_args()
    exit_on_sigterm()

    load = os.getloadavg()[0]
    results = []
    with LiveEnvironment() as env:
        print(f"runserver :{env.web_port}, run_ingest rtmp :{env.rtmp_port}, in {env.tmp}")
        for size in args.sizes:
            results.append(measure(env, size, args))
    rows, delays = [], []
    for r in results:
        lat = r.latencies
        verdict = "-"
        if lat:
            verdict = ", ".join(
                f"{name} {'PASS' if value <= TARGET_SECONDS else 'FAIL'}"
                for name, value in (("median", statistics.median(lat)), ("max", max(lat)))
            )
        rows.append(
            [
                f"{r.size}p30".replace("1280x720p", "720p").replace("640x360p", "360p"),
                len(lat),
                f"{statistics.median(lat):.2f}" if lat else "-",
                f"{pct(lat, 0.9):.2f}" if lat else "-",
                f"{max(lat):.2f}" if lat else "-",
                f"{r.hold_back:.0f}",
                f"{r.hold_back + statistics.median(r.window_delays) + 1:.2f}"
                if r.window_delays
                else "-",
                f"<= {TARGET_SECONDS:.0f} s: {verdict}",
            ]
        )
        for name, values in (("ffmpeg list", r.ffmpeg_delays), ("viewer window", r.window_delays)):
            if values:
                delays.append(
                    [
                        r.size,
                        name,
                        len(values),
                        f"{statistics.median(values):.2f}",
                        f"{pct(values, 0.9):.2f}",
                        f"{max(values):.2f}",
                    ]
                )
    print(f"\nGlass-to-glass latency, hls.js default live edge, lowest rung, {os.cpu_count()} CPUs")
    print(f"(load average {load:.2f} at start, {os.getloadavg()[0]:.2f} at the end)\n")
    headers = ["source", "samples", "median s", "p90 s", "max s", "hold-back s", "model s"]
    print(table([*headers, "target"], rows))
    print(
        "model: hold-back (3 x TARGETDURATION) + median window delay below + 1 s, the mean wait"
        " for the next 2 s segment (a viewer joins at any moment of it)"
    )
    print("\nPackaging delay: segment listed vs glass time of its last frame\n")
    print(table(["source", "listed in", "segments", "median s", "p90 s", "max s"], delays))
    print("\nThe publisher's clock (-re pacing, from its -progress reports)\n")
    rows = [
        [
            r.size,
            f"{r.after_launch:.2f}",
            f"{r.drift * 1000:+.0f}",
            f"{r.spread * 1000:.0f}",
            r.misreads,
        ]
        for r in results
    ]
    headers = ["source", "frame 0 after launch s", "drift ms", "p5-p95 ms", "unreadable"]
    print(table(headers, rows))


if __name__ == "__main__":
    main()
