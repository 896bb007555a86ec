"""Library pages at 50 concurrent clients, and the live status endpoint at 300 pollers.

A production-shaped site on loopback (benchmarks/production.py: gunicorn behind
deploy/nginx/kotikanava.conf, SQLite in a temporary folder) with the tests' small library tree
(home, three topics, content pages in Finnish and Swedish) and a public live session, and the
app's cache in Redis (`--cache-url`; production's setting) unless `--no-redis`.

- pages: one client alone, then `--clients` closed-loop clients (each asks again as soon as it
  has an answer) go round the home, topic and content pages and a search: requests/s and
  latency; first with a cookie (as signed-in people: the app renders every page), then
  anonymous (nginx shares a 5 s copy of each page among visitors without cookies);
- status, as viewers poll it: `--pollers` clients each asking every 5 s (the live page's
  default), starting spread over one period: latency at that offered load;
- status, flat out: the same clients asking as fast as they can: the most it answers.

    .venv/bin/python benchmarks/page_load.py [--seconds 20] [--clients 50] [--pollers 300]
"""

import argparse
import asyncio
import time

import aiohttp
from common import table
from live_latency import exit_on_sigterm
from production import ProductionSite, load_note, pct

POLL_SECONDS = 5  # library/live/views.py DEFAULT_POLL_SECONDS
SETUP = """
import json
from django.core.cache import cache
from wagtail.models import Page
from tests.library.tree import build_tree
cache.clear()  # nothing of an earlier run's database (Wagtail caches the sites' paths)
build_tree()
pages = [page.url for page in Page.objects.live().filter(depth__gt=1).specific()]
print(json.dumps({"pages": [url for url in pages if url]}))
"""


class Tally:
    def __init__(self):
        self.latencies: list[float] = []
        self.errors = 0

    def row(self, case: str, clients: int, seconds: float) -> list:
        return [
            case,
            clients,
            len(self.latencies),
            f"{len(self.latencies) / seconds:.0f}",
            f"{pct(self.latencies, 0.5) * 1000:.0f}",
            f"{pct(self.latencies, 0.95) * 1000:.0f}",
            f"{max(self.latencies, default=0) * 1000:.0f}",
            self.errors,
        ]


async def ask(http: aiohttp.ClientSession, path: str, tally: Tally):
    started = time.monotonic()
    try:
        async with http.get(path) as response:
            await response.read()
            ok = response.status == 200
    except aiohttp.ClientError:
        ok = False
    tally.latencies.append(time.monotonic() - started)
    tally.errors += not ok


async def closed_loop(
    base: str, paths: list[str], clients: int, seconds: float, cookie: bool = False
) -> Tally:
    """With `cookie`, every request carries one, as a signed-in person's does: nginx then passes
    it to the app (no shared copy), so the page is rendered each time."""
    tally = Tally()
    stop_at = time.monotonic() + seconds
    headers = {"Cookie": "benchmark=1"} if cookie else {}

    async def client(number: int):
        jar = aiohttp.DummyCookieJar()  # the cases stay as set: with or without a cookie
        async with aiohttp.ClientSession(base, headers=headers, cookie_jar=jar) as http:
            index = number
            while time.monotonic() < stop_at:
                await ask(http, paths[index % len(paths)], tally)
                index += 1

    await asyncio.gather(*(client(number) for number in range(clients)))
    return tally


async def pollers(base: str, path: str, count: int, seconds: float) -> Tally:
    tally = Tally()
    stop_at = time.monotonic() + seconds

    async def poller(number: int):
        await asyncio.sleep(POLL_SECONDS * number / count)
        async with aiohttp.ClientSession(base) as http:
            while time.monotonic() < stop_at:
                asked = time.monotonic()
                await ask(http, path, tally)
                await asyncio.sleep(max(0.0, asked + POLL_SECONDS - time.monotonic()))

    await asyncio.gather(*(poller(number) for number in range(count)))
    return tally


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="per case")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--pollers", type=int, default=300)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--no-redis", action="store_true", help="each process's memory cache")
    args = parser.parse_args()
    exit_on_sigterm()

    cache_url = "" if args.no_redis else args.cache_url
    rows = []
    with ProductionSite(cache_url=cache_url) as site:
        pages = site.shell(SETUP)["pages"] + ["/fi/search/?q=jumppa"]
        status_url = site.schedule("Tiistaijumppa")["status_url"].split("://", 1)[-1]
        status_path = "/" + status_url.split("/", 1)[1]
        for path in [*pages, status_path]:  # every URL answers before it is measured
            code, _ = site.get(path)
            if code != 200:
                raise SystemExit(f"{path}: HTTP {code}")
        for cookie, who in (
            (True, "with a cookie: rendered"),
            (False, "anonymous: nginx's 5 s copy"),
        ):
            tally = asyncio.run(closed_loop(site.url, pages, 1, args.seconds / 2, cookie))
            rows.append(tally.row(f"library pages, {who}, alone", 1, args.seconds / 2))
            tally = asyncio.run(closed_loop(site.url, pages, args.clients, args.seconds, cookie))
            rows.append(tally.row(f"library pages, {who}", args.clients, args.seconds))
        tally = asyncio.run(pollers(site.url, status_path, args.pollers, args.seconds))
        rows.append(tally.row(f"live status, every {POLL_SECONDS} s", args.pollers, args.seconds))
        tally = asyncio.run(closed_loop(site.url, [status_path], args.pollers, args.seconds))
        rows.append(tally.row("live status, flat out", args.pollers, args.seconds))
        note = load_note()
        site.shell("from django.core.cache import cache; cache.clear(); print('{}')")
    cache = f"Redis cache ({cache_url})" if cache_url else "per-process memory cache"
    print(f"{args.seconds:.0f} s per case through nginx to gunicorn 3x4 (SQLite), {cache}; {note}")
    print(
        table(
            ["case", "clients", "requests", "req/s", "p50 ms", "p95 ms", "max ms", "errors"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
