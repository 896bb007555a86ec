"""A large tus upload over a link that drops every 30 s: does the original arrive byte for byte?

Issue 9's target: a 2 GB upload over a link that drops every 30 s completes with a
byte-identical original. This starts the app (Django's server, SQLite, a temporary state
folder), makes a staff member and an upload token (`manage.py create_upload_token`), writes a
file of seeded random bytes to /tmp, and uploads it with tuspy (an independent tus client,
4 MiB PATCH requests, each on its own connection) through a small TCP proxy written here: it
paces the upload direction to `--rate` MB/s (a link, not loopback) and every `--drop-every`
seconds aborts every connection it carries, as a link going down does. tuspy then waits a second
and asks the server with HEAD where to go on. Finally the stored original's sha256 is compared
with the file's. The big files are removed at the end.

    .venv/bin/python benchmarks/upload_drops.py [--size-mb 2048] [--rate 12] [--drop-every 30]

Without enough free space in /tmp (file + upload part + stored original, plus 2 GB) the size is
lowered and the table says so.
"""

import argparse
import asyncio
import hashlib
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, embedded_env, serve, table

MB = 1024**2
CHUNK = 4 * MB  # the server's largest request body (KOTIKANAVA_UPLOAD_CHUNK_BYTES)
BLOCK = 64 * 1024


class DroppingLink:
    """A TCP proxy on loopback: paced upstream, every connection cut at each drop."""

    def __init__(self, target_port: int, rate_bytes: float, drop_every: float):
        self.target_port, self.rate, self.drop_every = target_port, rate_bytes, drop_every
        self.drops = self.cut = self.connections = 0
        self._open: set = set()
        self._next_send = 0.0
        self.loop = asyncio.new_event_loop()
        listening = socket.create_server(("127.0.0.1", 0))
        self.port = listening.getsockname()[1]
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(listening,), daemon=True)
        self._thread.start()
        self._ready.wait()

    def _run(self, listening):
        asyncio.set_event_loop(self.loop)

        async def start():
            await asyncio.start_server(self._carry, sock=listening)
            self.loop.create_task(self._drop_forever())
            self._ready.set()

        self.loop.run_until_complete(start())
        self.loop.run_forever()

    async def _drop_forever(self):
        while True:
            await asyncio.sleep(self.drop_every)
            self.drops += 1
            for pair in list(self._open):
                for writer in pair:
                    writer.transport.abort()
                self.cut += 1
            self._open.clear()

    async def _pace(self, size: int):
        now = time.monotonic()
        self._next_send = max(self._next_send, now) + size / self.rate
        if self._next_send > now:
            await asyncio.sleep(self._next_send - now)

    async def _carry(self, client_reader, client_writer):
        self.connections += 1
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        pair = (client_writer, server_writer)
        self._open.add(pair)

        async def pipe(reader, writer, paced):
            try:
                while data := await reader.read(BLOCK):
                    if paced:
                        await self._pace(len(data))
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                writer.close()

        await asyncio.gather(
            pipe(client_reader, server_writer, True), pipe(server_reader, client_writer, False)
        )
        self._open.discard(pair)

    def close(self):
        def stop():
            for task in asyncio.all_tasks(self.loop):
                task.cancel()
            self.loop.call_soon(self.loop.stop)

        self.loop.call_soon_threadsafe(stop)
        self._thread.join(timeout=5)


def random_file(path: Path, size: int, seed: int = 9) -> str:
    """`size` bytes from a seeded generator; returns their sha256."""
    generator, digest = random.Random(seed), hashlib.sha256()
    with path.open("wb") as handle:
        left = size
        while left:
            block = generator.randbytes(min(16 * MB, left))
            handle.write(block)
            digest.update(block)
            left -= len(block)
    return digest.hexdigest()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(16 * MB):
            digest.update(block)
    return digest.hexdigest()


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    return done.stdout.strip()


def fitting_size(wanted: int, folder: Path) -> int:
    """The wanted size, or less so that three copies and 2 GB to spare fit in `folder`."""
    free = shutil.disk_usage(folder).free
    return min(wanted, max(64 * MB, (free - 2048 * MB) // 3 // MB * MB))


def upload(endpoint: str, token: str, path: Path) -> tuple[str, int, int]:
    """tuspy's upload with retries; returns the upload URL, PATCH failures and HEAD resumes."""
    from tusclient import client as tus_client
    from tusclient.uploader import Uploader

    counts = {"resumes": 0, "failures": 0}
    real_offset, real_retry = Uploader.get_offset, Uploader._retry_or_cry

    def counted_offset(self):
        counts["resumes"] += 1
        return real_offset(self)

    def counted_retry(self, error):
        counts["failures"] += 1
        return real_retry(self, error)

    Uploader.get_offset, Uploader._retry_or_cry = counted_offset, counted_retry
    client = tus_client.TusClient(endpoint, headers={"Authorization": f"Bearer {token}"})
    uploader = client.uploader(
        str(path), chunk_size=CHUNK, retries=50, retry_delay=1,
        metadata={"filename": "iso-tallenne.mp4", "filetype": "video/mp4"},
    )  # fmt: skip
    uploader.upload()
    return uploader.url, counts["failures"], counts["resumes"]


def main(size_mb: int, rate_mb: float, drop_every: float) -> None:
    tmp = Path(tempfile.gettempdir())
    size = fitting_size(size_mb * MB, tmp)
    state = Path(tempfile.mkdtemp(prefix="upload-drops-"))
    env = embedded_env(state, KOTIKANAVA_MAX_UPLOAD_BYTES=str(8 * 1024 * MB))
    server = link = None
    try:
        source = state / "source.bin"
        started = time.monotonic()
        source_sha = random_file(source, size)
        print(f"{size / MB:.0f} MB of seeded random bytes written in "
              f"{time.monotonic() - started:.0f} s")  # fmt: skip
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "shell", "-c",
               "from django.contrib.auth.models import Group, User;"
               "from studio.roles import STAFF_GROUP;"
               "User.objects.create_user('kuvaaja', password='x').groups.add("
               "Group.objects.get(name=STAFF_GROUP))")  # fmt: skip
        token = manage(env, "create_upload_token", "kuvaaja", "--name", "benchmark")
        with socket.socket() as probe_socket:
            probe_socket.bind(("127.0.0.1", 0))
            port = probe_socket.getsockname()[1]
        server = serve(env, port)
        link = DroppingLink(port, rate_mb * MB, drop_every)
        endpoint = f"http://127.0.0.1:{link.port}/admin/videos/uploads/"
        started = time.monotonic()
        url, failures, resumes = upload(endpoint, token, source)
        seconds = time.monotonic() - started
        print(f"uploaded to {url}")

        stored = [p for p in (state / "media").rglob("*") if p.is_file()]
        originals = [p for p in stored if p.stat().st_size == size]
        identical = bool(originals) and sha256(originals[0]) == source_sha
        print(f"\n{size / MB:.0f} MB file over a link paced to {rate_mb:g} MB/s that drops every "
              f"{drop_every:g} s; tuspy, {CHUNK // MB} MiB PATCH requests, HEAD to resume"
              + ("" if size == size_mb * MB else f" (lowered from {size_mb} MB: space in /tmp)")
              + "\n")  # fmt: skip
        print(table(
            ["size MB", "time s", "MB/s", "link drops", "connections cut", "failed PATCH/HEAD",
             "HEAD resumes", "stored original sha256 = source"],
            [[f"{size / MB:.0f}", f"{seconds:.0f}", f"{size / MB / seconds:.1f}", link.drops,
              link.cut, failures, resumes, "yes" if identical else "NO"]],
        ))  # fmt: skip
        print(f"\nTarget (completes, byte-identical original): {'PASS' if identical else 'FAIL'}")
    finally:
        if link:
            link.close()
        if server:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=2048)
    parser.add_argument("--rate", type=float, default=12.0, help="MB/s of the link upstream")
    parser.add_argument("--drop-every", type=float, default=30.0, help="seconds between drops")
    arguments = parser.parse_args()
    main(arguments.size_mb, arguments.rate, arguments.drop_every)
