"""Glass-to-glass latency from the host's browser studio to a viewer, on loopback.

The same throwaway environment as `live_latency.py` (runserver + run_ingest in a temporary
folder). Headless Chromium opens the studio page as the host, with a camera replaced by a canvas
(`captureStream`, 1280x720 at 30 fps) on which every frame draws the wall clock as 32 black or
white boxes (milliseconds, modulo 2^32) and a tone as the microphone; it goes live the way a
host does (the studio's MediaRecorder, one-second chunks over HTTP, the relay, nginx-rtmp, the
packager). A second page plays the live page as a client (hls.js at its default live edge);
every half second the frame on its screen is drawn into a canvas, the boxes are read back and
latency = now - the clock in the frame (one machine, one clock).

    .venv/bin/python benchmarks/browser_live_latency.py [--seconds 40] [--warmup 15]
"""

import argparse
import os
import statistics
import sys
import time

from common import table
from live_latency import LiveEnvironment, exit_on_sigterm

BITS = 32
BOX = 32  # pixels in the 1280-wide picture
TARGET_SECONDS = 10.0


def _script(template: str) -> str:
    return template.replace("%(bits)d", str(BITS)).replace("%(box)d", str(BOX)).replace("%%", "%")


CLOCK_CAMERA = """
(() => {
  const BITS = %(bits)d, BOX = %(box)d;
  navigator.mediaDevices.getUserMedia = async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 1280; canvas.height = 720;
    const g = canvas.getContext('2d');
    const draw = () => {
      const now = Date.now() %% 4294967296;
      g.fillStyle = '#404040'; g.fillRect(0, 0, 1280, 720);
      g.fillStyle = '#808080'; g.fillRect((now / 4) %% 1280, 300, 80, 80);
      for (let i = 0; i < BITS; i++) {
        g.fillStyle = Math.floor(now / 2 ** (BITS - 1 - i)) %% 2 ? '#ffffff' : '#000000';
        g.fillRect(i * BOX, 0, BOX, BOX * 2);
      }
    };
    draw();
    setInterval(draw, 1000 / 60);
    const stream = canvas.captureStream(30);
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const out = audio.createMediaStreamDestination();
    tone.connect(out); tone.start();
    stream.addTrack(out.stream.getAudioTracks()[0]);
    return stream;
  };
  navigator.mediaDevices.enumerateDevices = async () => [];
})();
"""

READ_CLOCK = """
() => {
  const video = document.querySelector('video[data-live]');
  if (!video || video.readyState < 2 || !video.videoWidth) return null;
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth; canvas.height = video.videoHeight;
  const g = canvas.getContext('2d');
  g.drawImage(video, 0, 0);
  const scale = video.videoWidth / 1280;
  let value = 0;
  for (let i = 0; i < %(bits)d; i++) {
    const x = Math.floor((i + 0.5) * %(box)d * scale), y = Math.floor(%(box)d * scale);
    const [r] = g.getImageData(x, y, 1, 1).data;
    value = value * 2 + (r > 128 ? 1 : 0);
  }
  const now = Date.now() %% 4294967296;
  return {latency: ((now - value + 4294967296) %% 4294967296) / 1000, height: video.videoHeight};
}
"""


def create_host(env: LiveEnvironment) -> tuple[str, str]:
    username, password = "bench-host", "bench-password-4711"
    env.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model as g; "
        f"g().objects.create_superuser('{username}', 'host@example.invalid', '{password}')",
    )
    return username, password


def measure(env: LiveEnvironment, args) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS

    username, password = create_host(env)
    session = env.schedule("Browser latency")
    base = f"http://127.0.0.1:{env.web_port}"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=CHROMIUM_ARGS + ["--autoplay-policy=no-user-gesture-required"],
        )
        try:
            studio = browser.new_page(viewport={"width": 1280, "height": 800})
            studio.add_init_script(_script(CLOCK_CAMERA))
            studio.goto(f"{base}/admin/login/")
            studio.fill("input[name=username]", username)
            studio.fill("input[name=password]", password)
            studio.click("button[type=submit]")
            studio.wait_for_url("**/admin/")
            studio.goto(f"{base}/admin/live_sessions/studio/{session['id']}/")
            studio.wait_for_selector("[data-go-live]:not([disabled])", timeout=30_000)
            studio.click("[data-go-live]")
            went_live = time.monotonic()

            viewer = browser.new_page(viewport={"width": 800, "height": 1000})
            viewer.goto(f"{base}/fi/live/{session['public_id']}/")
            play = viewer.locator(".live-player [data-control=play]")
            play.wait_for(state="visible", timeout=90_000)
            play.click()
            viewer.wait_for_function(
                "() => document.querySelector('video[data-live]').currentTime > 1", timeout=60_000
            )
            first_picture = time.monotonic() - went_live
            viewer.wait_for_timeout(args.warmup * 1000)
            samples = []
            deadline = time.monotonic() + args.seconds
            while time.monotonic() < deadline:
                sample = viewer.evaluate(_script(READ_CLOCK))
                if sample and 0 < sample["latency"] < 120:
                    samples.append(sample)
                viewer.wait_for_timeout(500)
            viewer.close()
            studio.close()
        finally:
            browser.close()
    print(f"first picture on the viewer's screen {first_picture:.1f} s after Go live")
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=40, help="sampling time")
    parser.add_argument("--warmup", type=float, default=15, help="playing before sampling")
    args = parser.parse_args()
    exit_on_sigterm()
    with LiveEnvironment() as env:
        samples = measure(env, args)
    if not samples:
        sys.exit("no clock could be read from the viewer's picture")
    values = sorted(s["latency"] for s in samples)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    median = statistics.median(values)
    rows = [
        [
            len(values),
            f"{median:.2f}",
            f"{p95:.2f}",
            f"{values[0]:.2f}",
            f"{values[-1]:.2f}",
            "/".join(sorted({str(s["height"]) for s in samples})),
            "yes" if p95 <= TARGET_SECONDS else "NO",
        ]
    ]
    headers = ["samples", "median s", "p95 s", "min s", "max s", "rung (px)", "p95 <= 10 s"]
    print(table(headers, rows))


if __name__ == "__main__":
    main()
