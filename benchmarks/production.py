"""A production-shaped site on loopback for the load benchmarks: gunicorn behind deploy/nginx,
optionally with the live ingest, all in one temporary folder (SQLite, local media).

The app's own access log says which requests reached it, so a benchmark can show that nginx
answered the rest (public segments through signed links, cached public playlists).
"""

import contextlib
import http.client
import json
import os
import re
import secrets
import sys
import tempfile
from pathlib import Path

from common import ROOT, embedded_env
from live_latency import LiveEnvironment, _wait, free_port

from deploy.nginx import render

LINK_SECRET = secrets.token_urlsafe(16)  # shared by the app and nginx of one run
ACCESS_LINE = re.compile(r'"GET (\S+) HTTP')


class ProductionSite(LiveEnvironment):
    """gunicorn (deploy/gunicorn.conf.py, `workers` x `threads`) + nginx (+ run_ingest with
    `ingest`), cleaned up on exit.

    `cache_url` names a Redis cache for the app (as production has); without it, each
    gunicorn process keeps its own memory cache.
    """

    def __init__(self, workers=3, threads=4, nginx_workers=1, ingest=False, cache_url=""):
        super().__init__()
        self.workers, self.threads, self.nginx_workers = workers, threads, nginx_workers
        self.with_ingest, self.cache_url = ingest, cache_url

    def __enter__(self):
        self.processes = []
        self.tmp = Path(tempfile.mkdtemp(prefix="kotikanava-production-bench-"))
        self.media_root = self.tmp / "media"
        self.live_work = self.tmp / "live-work"
        self.web_port, self.nginx_port, self.rtmp_port = free_port(), free_port(), free_port()
        extra = {"KOTIKANAVA_CACHE_URL": self.cache_url} if self.cache_url else {}
        self.env = embedded_env(
            self.tmp,
            KOTIKANAVA_MEDIA_ROOT=str(self.media_root),
            KOTIKANAVA_LIVE_WORK_DIR=str(self.live_work),
            KOTIKANAVA_RTMP_PORT=str(self.rtmp_port),
            KOTIKANAVA_INGEST_CALLBACK_URL=f"http://127.0.0.1:{self.web_port}",
            KOTIKANAVA_BASE_URL=f"http://127.0.0.1:{self.nginx_port}",
            KOTIKANAVA_MEDIA_ACCEL_PREFIX="/_media_checked/",
            KOTIKANAVA_MEDIA_LINK_SECRET=LINK_SECRET,
            KOTIKANAVA_TRUSTED_PROXIES="1",
            KOTIKANAVA_LIVE_GRACE_SECONDS="3",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
            **extra,
        )
        try:
            self.manage("migrate", "--no-input", "-v", "0")
            gunicorn = Path(sys.executable).parent / "gunicorn"
            self.env.update(
                GUNICORN_BIND=f"127.0.0.1:{self.web_port}",
                GUNICORN_WORKERS=str(self.workers),
                GUNICORN_THREADS=str(self.threads),
            )
            self.web = self.start(
                [str(gunicorn), "-c", "deploy/gunicorn.conf.py",
                 "--access-logfile", str(self.tmp / "app-access.log")],
                "web.log",
            )  # fmt: skip
            _wait(self._web_up, 60, "gunicorn")
            site = {
                "KOTIKANAVA_LISTEN": f"127.0.0.1:{self.nginx_port}",
                "KOTIKANAVA_APP": f"127.0.0.1:{self.web_port}",
                "KOTIKANAVA_STATIC_ROOT": str(ROOT / "static"),
                "KOTIKANAVA_MEDIA_ROOT": str(self.media_root),
                "KOTIKANAVA_MEDIA_LINK_SECRET": LINK_SECRET,
            }
            conf = render.standalone(self.tmp / "nginx", site, workers=self.nginx_workers)
            self.nginx = self.start(render.command(conf), "nginx.log")
            _wait(self._nginx_up, 20, "nginx")
            if self.with_ingest:
                self.ingest = self.start([sys.executable, "manage.py", "run_ingest"], "ingest.log")
                _wait(self._rtmp_up, 30, "run_ingest's nginx")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _nginx_up(self) -> bool:
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", self.nginx_port, timeout=2)
            connection.request("GET", "/static/")
            connection.getresponse().read()
            return True
        return False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    def shell(self, code: str) -> dict:
        """Run `code` in the site's Django (it prints one JSON object) and return that object."""
        return json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])

    def app_requests(self) -> list[str]:
        """The paths of every request that reached the app so far."""
        with contextlib.suppress(OSError):
            return ACCESS_LINE.findall((self.tmp / "app-access.log").read_text())
        return []


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def load_note() -> str:
    """The machine's load while measuring: other work on a shared machine skews the figures."""
    with open("/proc/loadavg") as handle:
        one_minute = handle.read().split()[0]
    return f"load average {one_minute} on {len(os.sched_getaffinity(0))} cores"
