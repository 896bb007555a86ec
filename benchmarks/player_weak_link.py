"""The player on a weak link, in Debian's chromium with DevTools-protocol throttling.

Starts the app (Django's server, SQLite, a temporary state folder) with a small library tree and
one exercise page showing a real processed clip (camera-like 720p picture with a tone), then:

- time to first frame after pressing the player's play button at 400 kbit/s, 400 ms round trip,
  once hls.js is there (the page has loaded), once after reading the page for over a minute (the
  warmed playlists' 60 s freshness has run out: the browser asks again) and once pressed as soon
  as the controls appear (play waits for hls.js instead of starting the MP4);
- data saver ("Säästä dataa", listen only) at 250 kbit/s, 400 ms round trip: time to the first
  audio (playback under way) and the bytes fetched (playlists included) per minute of sound
  fetched, whether any video segment was fetched, and any segment before play;
- stalls in the first 60 s of playback at 400 kbit/s, 400 ms round trip, after the start: how
  often the video waited for data ("waiting" events) and for how long;
- first-load bytes of the home page and of the exercise page (player assets included, nothing
  of the stream before play), empty cache, without the service worker's own precaching.

    .venv/bin/python benchmarks/player_weak_link.py [--seconds 30] [--clip-seconds 60] [--repeat 3]

The start-up figures are taken --repeat times each (median, with min-max): on a shared, busy
machine single runs scatter by a few tenths of a second.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, make_clip, serve, table

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"]
# The site's service worker fetches for itself, out of reach of the page's DevTools throttling and
# byte counts: it is blocked, so every request goes through the throttled page.
VIEWPORT = {"width": 800, "height": 1280}
VIDEO_SEGMENT = re.compile(r"/v\d+/[^/]+\.m4s$")
# Longer than public playlists stay fresh (streaming/files.py SHORT, 60 s).
READ = 65


def setup_data(state: Path, clip_seconds: int) -> dict:
    import django

    django.setup()
    from django.core.files import File
    from django.core.management import call_command

    from library.models import HomePage, TopicPage
    from streaming.jobs import run_processing
    from streaming.models import Video
    from tests.library.tree import build_tree, exercise_showing

    call_command("migrate", verbosity=0)
    build_tree()
    clip = make_clip(state / "clip.mp4", clip_seconds, "1280x720", "camera")
    video = Video(title="Tuolijumppa heikolla yhteydellä")
    with clip.open("rb") as handle:
        video.original.save("clip.mp4", File(handle))
    run_processing(video)
    video.refresh_from_db()
    if not video.is_playable:
        raise SystemExit("the clip was not processed")
    topic = TopicPage.objects.get(slug="liikunta", locale__language_code="fi")
    page = exercise_showing(video, topic, "heikko-yhteys")
    home = HomePage.objects.get(locale__language_code="fi")
    return {"home": home.url, "exercise": page.url}


def throttled(context, page, kbps, rtt_ms):
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": rtt_ms,
            "downloadThroughput": kbps * 1000 / 8,
            "uploadThroughput": kbps * 1000 / 8,
        },
    )
    sizes = {}
    urls = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    return urls, sizes


# Marks the moment the play button is pressed and the first frame (or first audio) after it.
MARKS = """() => {
    const v = document.querySelector('video');
    window.marks = {};
    document.querySelector('[data-control=play]').addEventListener('click', () => {
        window.marks.pressed = performance.now();
    }, {capture: true});
    v.addEventListener('playing', () => {
        window.marks.playing = window.marks.playing || performance.now();
    });
    const frame = () => { window.marks.frame = performance.now(); };
    if (v.requestVideoFrameCallback) v.requestVideoFrameCallback(frame);
}"""


# The player warms the HTTP cache with the lowest rung's playlists and init segments once the
# page is idle; a client reading the page for a moment presses play after that.
WARMED = """() => performance.getEntriesByType('resource')
    .filter((e) => e.name.endsWith('/init.mp4') && e.responseEnd > 0).length >= %d"""


def wait_until_ready(page, inits):
    page.wait_for_function("() => !!document.querySelector('video').hlsPlayer", timeout=60_000)
    page.wait_for_function(WARMED % inits, timeout=60_000)


def first_frame(browser, base, path, early, read_seconds=0):
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    page = context.new_page()
    throttled(context, page, 400, 400)
    page.goto(base + path, wait_until="domcontentloaded" if early else "load")
    page.locator(".player-controls").wait_for(state="visible")
    if not early:
        wait_until_ready(page, 2)
        page.wait_for_timeout(read_seconds * 1000)
    page.evaluate(MARKS)
    hls_there = page.evaluate("() => !!window.Hls")
    page.locator("[data-control=play]").click()
    page.wait_for_function("() => window.marks.frame", timeout=60_000)
    marks = page.evaluate("() => window.marks")
    mp4 = page.evaluate(
        "() => performance.getEntriesByType('resource').some(e => e.name.endsWith('.mp4')"
        " && !e.name.includes('/init'))"
    )
    context.close()
    return (marks["frame"] - marks["pressed"]) / 1000, hls_there, mp4


def data_saver(browser, base, path, seconds):
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    context.add_init_script("localStorage.setItem('kotikanava.player.mode', 'audio')")
    page = context.new_page()
    urls, sizes = throttled(context, page, 250, 400)
    page.goto(base + path, wait_until="load")
    wait_until_ready(page, 1)
    page.wait_for_timeout(2000)  # a moment's reading: hls.js would have started loading by now
    page.evaluate(MARKS)
    before = set(urls)
    early = sum(1 for key in before if urls[key].endswith(".m4s"))
    page.locator("[data-control=play]").click()
    page.wait_for_function(
        "() => window.marks.playing && document.querySelector('video').currentTime > 0.1",
        timeout=60_000,
    )
    marks = page.evaluate("() => window.marks")
    start_time = page.evaluate("() => document.querySelector('video').currentTime")
    page.wait_for_timeout(seconds * 1000)
    played = page.evaluate("() => document.querySelector('video').currentTime") - start_time
    # Seconds of sound fetched (played and buffered ahead): what the bytes paid for.
    fetched = page.evaluate(
        "() => { const b = document.querySelector('video').buffered;"
        " return b.length ? b.end(b.length - 1) : 0; }"
    )
    after = [key for key in urls if key not in before]
    total = sum(sizes.get(key, 0) for key in after)
    video_segments = sum(1 for key in after if VIDEO_SEGMENT.search(urls[key]))
    context.close()
    per_minute = total / max(fetched, 0.1) * 60
    start = (marks["playing"] - marks["pressed"]) / 1000
    return start, per_minute, video_segments, played, early


# Counts the times playback waited for data after it had started, and the seconds it waited.
STALLS = """() => {
    const v = document.querySelector('video');
    window.stalls = {count: 0, seconds: 0, since: null};
    v.addEventListener('playing', () => {
        window.stalls.started = true;
        if (window.stalls.since !== null) {
            window.stalls.seconds += (performance.now() - window.stalls.since) / 1000;
            window.stalls.since = null;
        }
    });
    v.addEventListener('waiting', () => {
        if (!window.stalls.started || v.ended) return;
        window.stalls.count += 1;
        window.stalls.since = performance.now();
    });
}"""


def stalls(browser, base, path, seconds):
    """Plays `seconds` (or to the end) at 400 kbit/s after the start; stalls and their length."""
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    page = context.new_page()
    throttled(context, page, 400, 400)
    page.goto(base + path, wait_until="load")
    wait_until_ready(page, 2)
    page.evaluate(STALLS)
    page.locator("video").evaluate("v => { v.muted = true; }")
    page.locator("[data-control=play]").click()
    page.wait_for_function("() => window.stalls.started", timeout=60_000)
    start = page.evaluate("() => document.querySelector('video').currentTime")
    page.wait_for_function(
        f"""() => {{ const v = document.querySelector('video');
            return v.ended || v.currentTime >= Math.min({start + seconds}, v.duration - 0.3); }}""",
        timeout=(seconds * 3 + 30) * 1000,
        polling=250,
    )
    result = page.evaluate(
        r"""() => { const v = document.querySelector('video'); const h = v.hlsPlayer;
            return {count: window.stalls.count, seconds: window.stalls.seconds,
                    played: v.currentTime, heights: h ? [...new Set(
                        performance.getEntriesByType('resource')
                            .map((e) => (e.name.match(/\/v(\d+)\/seg_/) || [])[1])
                            .filter(Boolean))] : []}; }"""
    )
    context.close()
    result["played"] -= start
    return result


def spread(values):
    values = sorted(values)
    median = values[len(values) // 2]
    if len(values) == 1:
        return f"{median:.2f} s"
    return f"{median:.2f} s ({values[0]:.2f}-{values[-1]:.2f})"


def first_load(browser, url):
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    page = context.new_page()
    urls, sizes = throttled(context, page, 100_000, 0)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(size for key, size in sizes.items() if not urls.get(key, "").startswith("data:"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30, help="data-saver playback measured")
    parser.add_argument("--clip-seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each start-up figure")
    parser.add_argument("--stall-seconds", type=int, default=60, help="playback checked")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="player-weak-link-") as tmp:
        state = Path(tmp)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "studio.settings",
            "KOTIKANAVA_STATE_DIR": str(state),
            "KOTIKANAVA_MEDIA_ROOT": str(state / "media"),
            "PYTHONPATH": str(ROOT),
        }
        os.environ.update(env)
        paths = setup_data(state, args.clip_seconds)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True
        )
        server = serve(env, args.port)  # threaded; WhiteNoise serves the collected files
        base = f"http://127.0.0.1:{args.port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                try:
                    exercise_path = paths["exercise"]
                    ttffs = [
                        first_frame(browser, base, exercise_path, early=False)[0]
                        for _ in range(args.repeat)
                    ]
                    after_reading = first_frame(browser, base, exercise_path, False, READ)[0]
                    early, hls_there, mp4 = first_frame(browser, base, exercise_path, True)
                    audio_starts = []
                    for _ in range(args.repeat):
                        audio_start, per_minute, video_segments, played, early_segments = (
                            data_saver(browser, base, exercise_path, args.seconds)
                        )
                        audio_starts.append(audio_start)
                    stalled = stalls(browser, base, exercise_path, args.stall_seconds)
                    home = first_load(browser, base + paths["home"])
                    exercise = first_load(browser, base + paths["exercise"])
                finally:
                    browser.close()
        finally:
            server.terminate()
            server.wait()

    rows = [
        [
            f"first frame after play, 400 kbit/s 400 ms, page ready (median of {len(ttffs)})",
            spread(ttffs),
            "<= 2.5 s",
        ],
        [
            f"first frame after play, page read for {READ} s (playlists asked again)",
            f"{after_reading:.2f} s",
            "<= 2.5 s",
        ],
        [
            "first frame, play pressed as the page appears"
            f" (hls.js {'there' if hls_there else 'not yet there'};"
            f" MP4 {'used' if mp4 else 'not used'})",
            f"{early:.2f} s",
            "no MP4; shows it is starting",
        ],
        [
            "data saver: first audio after play, 250 kbit/s 400 ms"
            f" (median of {len(audio_starts)})",
            spread(audio_starts),
            "<= 2 s",
        ],
        [
            f"data saver: bytes per minute ({played:.0f} s played)",
            f"{per_minute / 1e6:.2f} MB",
            "<= 0.5 MB",
        ],
        ["data saver: video segments fetched", str(video_segments), "0"],
        ["data saver: segments fetched before play", str(early_segments), "0"],
        [
            f"stalls in {stalled['played']:.0f} s of playback at 400 kbit/s 400 ms"
            f" (rungs played: {', '.join(stalled['heights'])})",
            f"{stalled['count']} ({stalled['seconds']:.1f} s)",
            "0",
        ],
        ["home page first load", f"{home / 1024:.1f} KiB", "<= 100 KB"],
        ["exercise page first load (player assets, no stream)", f"{exercise / 1024:.1f} KiB", "-"],
    ]
    print(table(["measure", "figure", "target (issue 8)"], rows))


if __name__ == "__main__":
    main()
