"""Shared by the benchmark scripts: clip generation, the app's server, timing of child processes,
a table."""

import http.client
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_clip(path: Path, seconds: int, size: str, kind: str) -> Path:
    """`camera`: moving test card with sensor-like noise; `screen`: a slide changing every 4 s."""
    if path.exists():
        return path
    if kind == "camera":
        video = f"testsrc2=size={size}:rate=30:duration={seconds},noise=alls=18:allf=t+u"
    else:
        video = f"testsrc=size={size}:rate=0.25:duration={seconds},fps=30"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", video,
         "-f", "lavfi", "-i", f"sine=frequency=330:sample_rate=48000:duration={seconds}",
         "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "128k", "-shortest", str(path)],
        check=True,
    )  # fmt: skip
    return path


def serve(env: dict, port: int, threading: bool = True) -> subprocess.Popen:
    """Django's server on `port`, returned once it answers. With threads for a browser, which asks
    for several files at once; without, for one request at a time measured alone."""
    argv = [sys.executable, "manage.py", "runserver", "--noreload", str(port)]
    if not threading:
        argv.insert(-1, "--nothreading")
    server = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("HEAD", "/")
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


class ChildCpu:
    """CPU seconds (user + sys) and wall seconds spent by child processes inside the block."""

    def __enter__(self):
        self._usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self._start = time.monotonic()
        return self

    def __exit__(self, *exc):
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.wall = time.monotonic() - self._start
        self.cpu = (usage.ru_utime - self._usage.ru_utime) + (usage.ru_stime - self._usage.ru_stime)


def table(headers: list[str], rows: list[list]) -> str:
    cells = [headers] + [[str(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
