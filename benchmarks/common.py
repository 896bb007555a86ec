"""Shared by the benchmark scripts: clip generation, the app's server, timing of child processes,
a table."""

import http.client
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Settings that would point a benchmark at shared servers instead of its own temporary state.
SHARED_SERVICES = ("DATABASE_URL", "KOTIKANAVA_S3_BUCKET", "REDIS_URL")


def embedded_env(state: Path, **extra: str) -> dict:
    """The environment of an embedded-default site (SQLite, local files) kept under `state`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "studio.settings",
        "KOTIKANAVA_STATE_DIR": str(state),
        "KOTIKANAVA_MEDIA_ROOT": str(state / "media"),
        "KOTIKANAVA_WORK_DIR": str(state / "work"),
        **extra,
    }
    for name in SHARED_SERVICES:
        env.pop(name, None)
    return env


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


PERSON_LIKE = (
    # A still "room": one frame of a fractal, slightly blurred and desaturated, a little larger
    # than the picture so that a hand-held camera's shake can move over it.
    "mandelbrot=s={rw}x{rh}:r=30:maxiter=64:start_x=-0.743:start_y=0.131:start_scale=0.02:"
    "end_scale=0.02,trim=end_frame=1,loop=-1:1:0,setpts=N/30/TB,gblur=sigma={blur},hue=s=0.35,"
    "eq=brightness=-0.05[room];"
    # Head and shoulders: a slowly changing fractal texture inside a static silhouette mask.
    "mandelbrot=s={pw}x{ph}:r=30:maxiter=96:start_x=-0.75:start_y=0.1:start_scale=0.5:"
    "end_scale=0.3:end_pts=2000,hue=H=1.2:s=0.5,format=yuv420p[skin];"
    "color=c=black:s={pw}x{ph}:r=30,format=gray,"
    "geq=lum='255*(lt(hypot((X-W/2)/(W*0.242)\\,(Y-H*0.297)/(H*0.25))\\,1)"
    "+gt(Y\\,H*0.516)*lt(hypot((X-W/2)/(W/2)\\,(Y-H*1.03)/(H*0.47))\\,1))',"
    "trim=end_frame=1,loop=-1:1:0,setpts=N/30/TB[mask];"
    "[skin][mask]alphamerge[person];"
    # Swaying and nodding as someone talking does, the camera's shake, and sensor noise.
    "[room][person]overlay=x='{x}+{k}*(28*sin(t*0.8)+9*sin(t*2.3))':y='{y}+{k}*8*sin(t*0.6)',"
    "crop={w}:{h}:x='{k}*(20+{shake}*(6*sin(t*0.9)+3*sin(t*2.1)))':"
    "y='{k}*(15+{shake}*4*sin(t*0.7))',"
    "noise=alls={noise}:allf=t+u,format=yuv420p,trim=duration={seconds}"
)
# Tuned so that a PeerTube-style 360p encode lands near what real recordings of a person take.
PERSON_NOISE, PERSON_BLUR, PERSON_SHAKE = 12, 0.8, 1.0
PERSON_LIKE_DESCRIPTION = (
    "talking head as a hand-held phone films it: a swaying, nodding head-and-shoulders "
    "silhouette with a slowly changing fractal texture over a still fractal 'room', "
    f"gentle shake, temporal noise {PERSON_NOISE}, 30 fps"
)


def person_clip(path: Path, seconds: int, width: int, height: int) -> Path:
    """Camera-like footage of a person (see PERSON_LIKE_DESCRIPTION), with a tone as sound."""
    if path.exists():
        return path
    k = height / 480
    pw, ph = round(256 * k / 2) * 2, round(320 * k / 2) * 2
    room_w, room_h = width + round(40 * k), height + round(30 * k)
    graph = PERSON_LIKE.format(
        w=width, h=height, rw=room_w, rh=room_h, pw=pw, ph=ph, k=f"{k:.3f}",
        x=(room_w - pw) // 2, y=room_h - ph - round(15 * k), seconds=seconds,
        noise=PERSON_NOISE, blur=PERSON_BLUR, shake=PERSON_SHAKE,
    )  # fmt: skip
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-filter_complex", graph,
         "-f", "lavfi", "-i", f"sine=frequency=220:sample_rate=48000:duration={seconds}",
         "-c:v", "libx264", "-preset", "ultrafast", "-crf", "14", "-pix_fmt", "yuv420p",
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
