"""Hundreds of simulated HLS viewers of one recording and of one live session, through nginx.

A production-shaped site on loopback (benchmarks/production.py: gunicorn behind
deploy/nginx/kotikanava.conf, run_ingest for live, SQLite and local media in a temporary folder)
shows a recording on a public page (a generated clip through the real pipeline) and a public live
session fed by an ffmpeg publisher. Each simulated viewer (asyncio + aiohttp, one connection of
its own) plays like hls.js at its pace: master, a variant (viewers spread over the rungs), the
init segment, then segments. Playback starts once `--start-buffer` seconds are fetched; later
segments are asked for when the buffer ahead falls to `--ahead` seconds, so each viewer fetches
in real time. A segment arriving after its playback deadline is a stall (the player then waits,
and its clock moves on by the wait). Live viewers join 3 target durations behind the live edge
(hls.js's default) and reload the playlist every target duration.

Reported per case: stalls, p50/p95/max segment latency (request to last byte), segments and
bytes fetched, and what reached the app: public segments should not (nginx serves them through
the links the app signed in the playlist), playlists at most once per cache period.

    .venv/bin/python benchmarks/hls_viewers.py [--viewers 300] [--seconds 60] [--ramp 10]
"""

import argparse
import asyncio
import itertools
import re
import time

import aiohttp
from common import make_clip, table
from live_latency import _wait, exit_on_sigterm, publisher_input
from production import ProductionSite, load_note, pct

RECORDING_SETUP = """
import json
from django.core.files import File
from streaming.jobs import run_processing
from streaming.models import Video
from tests.library.tree import exercise_showing, exercise_topic
video = Video(title="Tuolijumppa")
with open({clip!r}, "rb") as handle:
    video.original.save("tuolijumppa.mp4", File(handle))
run_processing(video)
video.refresh_from_db()
exercise_showing(video, exercise_topic(), "tuolijumppa")
print(json.dumps({{"master": video.master_url}}))
"""
MAP_URI = re.compile(r'#EXT-X-MAP:URI="([^"]+)"')


class Stats:
    def __init__(self):
        self.latencies: list[float] = []
        self.stalls = 0
        self.stalled_viewers: set[int] = set()
        self.segments = 0
        self.bytes = 0
        self.errors = 0
        self.viewers_started = 0

    def segment(self, viewer: int, latency: float, size: int, late: bool):
        self.latencies.append(latency)
        self.segments += 1
        self.bytes += size
        if late:
            self.stalls += 1
            self.stalled_viewers.add(viewer)


def variants(master: str) -> list[str]:
    lines = master.splitlines()
    return [lines[i + 1] for i, line in enumerate(lines) if line.startswith("#EXT-X-STREAM-INF:")]


def media_lines(text: str) -> tuple[float, list[tuple[str, float]], list[str]]:
    """(target duration, [(segment uri, duration)], [init uris]) of a media playlist."""
    target, segments, duration = 2.0, [], None
    for line in text.splitlines():
        if line.startswith("#EXT-X-TARGETDURATION:"):
            target = float(line.split(":", 1)[1])
        elif line.startswith("#EXTINF:"):
            duration = float(line[len("#EXTINF:") :].split(",")[0])
        elif line and not line.startswith("#") and duration is not None:
            segments.append((line, duration))
            duration = None
    return target, segments, MAP_URI.findall(text)


def absolute(base: str, uri: str) -> str:
    if uri.startswith("/"):
        return uri
    return base.rsplit("/", 1)[0] + "/" + uri


class Player:
    """One viewer's playback clock: deadlines, stalls, the buffer ahead."""

    def __init__(self, number: int, stats: Stats, start_buffer: float, ahead: float):
        self.number, self.stats = number, stats
        self.start_buffer, self.ahead = start_buffer, ahead
        self.buffered = 0.0  # media seconds fetched
        self.play_start: float | None = None  # wall time at which media time 0 plays

    async def fetch_segment(self, http: aiohttp.ClientSession, url: str, duration: float):
        if self.play_start is not None:
            # Real-time pace: ask when the buffer ahead has fallen to `ahead` seconds.
            playhead = time.monotonic() - self.play_start
            await asyncio.sleep(max(0.0, self.buffered - playhead - self.ahead))
        started = time.monotonic()
        async with http.get(url) as response:
            body = await response.read()
            if response.status != 200:
                self.stats.errors += 1
        done = time.monotonic()
        late = False
        if self.play_start is not None:
            deadline = self.play_start + self.buffered
            if done > deadline:
                late = True
                self.play_start += done - deadline  # the player waited this long
        self.stats.segment(self.number, done - started, len(body), late)
        self.buffered += duration
        if self.play_start is None and self.buffered >= self.start_buffer:
            self.play_start = done


async def get_text(http: aiohttp.ClientSession, url: str) -> str | None:
    async with http.get(url) as response:
        text = await response.text()
        return text if response.status == 200 else None


async def vod_viewer(number, base, master_url, rung, stats, args, stop_at):
    async with aiohttp.ClientSession(base) as http:
        master = await get_text(http, master_url)
        stats.viewers_started += 1
        playlist_url = absolute(master_url, variants(master)[rung])
        _, segments, maps = media_lines(await get_text(http, playlist_url))
        player = Player(number, stats, args.start_buffer, args.ahead)
        for uri in maps:
            async with http.get(absolute(playlist_url, uri)) as response:
                await response.read()
        for uri, duration in segments:
            if time.monotonic() > stop_at:
                break
            await player.fetch_segment(http, absolute(playlist_url, uri), duration)


async def live_viewer(number, base, master_url, rung, stats, args, stop_at):
    async with aiohttp.ClientSession(base) as http:
        master = await get_text(http, master_url)
        stats.viewers_started += 1
        playlist_url = absolute(master_url, variants(master)[rung])
        player = Player(number, stats, args.start_buffer, args.ahead)
        fetched: set[str] = set()
        maps: set[str] = set()
        first = True
        last_newest = None
        while time.monotonic() < stop_at:
            reloaded = time.monotonic()
            target, segments, new_maps = media_lines(await get_text(http, playlist_url) or "")
            newest = segments[-1][0].split("?")[0] if segments else None
            changed, last_newest = newest != last_newest, newest
            for uri in new_maps:
                if uri.split("?")[0] not in maps:
                    maps.add(uri.split("?")[0])
                    async with http.get(absolute(playlist_url, uri)) as response:
                        await response.read()
            if first and segments:
                segments = segments[-3:]  # join 3 target durations behind the live edge
                first = False
            for uri, duration in segments:
                key = uri.split("?")[0]
                if key in fetched or time.monotonic() > stop_at:
                    continue
                fetched.add(key)
                await player.fetch_segment(http, absolute(playlist_url, uri), duration)
            # RFC 8216 6.3.4, as hls.js and Safari do: the next reload one target duration after
            # a changed playlist, half of one after an unchanged one.
            wait = target if changed else target / 2
            await asyncio.sleep(max(0.0, reloaded + wait - time.monotonic()))


async def crowd(viewer, base, master_url, rungs, args) -> Stats:
    stats = Stats()
    stop_at = time.monotonic() + args.ramp + args.seconds
    tasks = []
    for number, rung in zip(range(args.viewers), itertools.cycle(range(rungs)), strict=False):
        delay = args.ramp * number / args.viewers  # a class joining over the first seconds
        tasks.append(asyncio.create_task(joining(delay, viewer, number, base, master_url, rung,
                                                 stats, args, stop_at)))  # fmt: skip
    results = await asyncio.gather(*tasks, return_exceptions=True)
    stats.errors += sum(isinstance(result, Exception) for result in results)
    return stats


async def joining(delay, viewer, *arguments):
    await asyncio.sleep(delay)
    await viewer(*arguments)


def media_seen_by_app(paths: list[str]) -> tuple[int, int]:
    """(segment requests, playlist requests) among the paths that reached the app."""
    media = [path.split("?")[0] for path in paths if path.startswith("/media/")]
    playlists = sum(path.endswith(".m3u8") for path in media)
    return len(media) - playlists, playlists


def row(case: str, stats: Stats, app_before: list[str], app_after: list[str]) -> list:
    segments, playlists = media_seen_by_app(app_after[len(app_before) :])
    return [
        case,
        stats.viewers_started,
        stats.segments,
        f"{stats.bytes / 1e6:.0f}",
        f"{stats.stalls} ({len(stats.stalled_viewers)})",
        f"{pct(stats.latencies, 0.5) * 1000:.1f}",
        f"{pct(stats.latencies, 0.95) * 1000:.1f}",
        f"{max(stats.latencies, default=0) * 1000:.0f}",
        stats.errors,
        segments,
        playlists,
    ]


def master_rungs(site: ProductionSite, master_url: str) -> int:
    status, body = site.get(master_url)
    if status != 200:
        raise RuntimeError(f"{master_url}: HTTP {status}")
    return len(variants(body.decode()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=60, help="viewing time per case")
    parser.add_argument("--ramp", type=float, default=10, help="viewers join over this long")
    parser.add_argument("--start-buffer", type=float, default=4.0, help="seconds before play")
    parser.add_argument("--ahead", type=float, default=10.0, help="buffer kept ahead (seconds)")
    parser.add_argument("--clip-seconds", type=int, default=90)
    parser.add_argument("--cases", nargs="+", default=["recording", "live"])
    args = parser.parse_args()
    exit_on_sigterm()

    rows = []
    with ProductionSite(ingest="live" in args.cases) as site:
        base = site.url
        if "recording" in args.cases:
            clip = make_clip(site.tmp / "clip.mp4", args.clip_seconds, "640x360", "camera")
            master = site.shell(RECORDING_SETUP.format(clip=str(clip)))["master"]
            rungs = master_rungs(site, master)
            before = site.app_requests()
            stats = asyncio.run(crowd(vod_viewer, base, master, rungs, args))
            rows.append(row(f"recording ({rungs} rungs)", stats, before, site.app_requests()))
        if "live" in args.cases:
            session = site.schedule("Tiistaijumppa")
            site.publish(session, publisher_input("640x360", "veryfast"), "publisher.log")
            master = session["media"] + "master.m3u8"
            site_get = site.get

            def ready():
                status, body = site_get(master)
                if status != 200:
                    return False
                playlist = absolute(master, variants(body.decode())[0])
                status, body = site_get(playlist)
                return status == 200 and body.count(b"#EXTINF") >= 3

            _wait(ready, 90, "a live window of 3 segments", 0.5)
            rungs = master_rungs(site, master)
            before = site.app_requests()
            stats = asyncio.run(crowd(live_viewer, base, master, rungs, args))
            rows.append(row(f"live ({rungs} rungs)", stats, before, site.app_requests()))
        note = load_note()
    print(
        f"{args.viewers} viewers per case joining over {args.ramp:.0f} s, {args.seconds:.0f} s "
        f"of viewing, start buffer {args.start_buffer:.0f} s, {args.ahead:.0f} s kept ahead; "
        f"gunicorn 3x4 behind nginx (1 worker) on loopback; {note}"
    )
    print(
        table(
            ["case", "viewers", "segments", "MB", "stalls (viewers)", "p50 ms", "p95 ms",
             "max ms", "errors", "app: segments", "app: playlists"],
            rows,
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
