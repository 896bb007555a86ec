"""The health endpoint: django-health-check's view with this installation's parts.

Database, cache and storage use the library's checks; the task queues, ffmpeg and the live ingest
are ours. Each part is named in the answer (``Accept: application/json`` or ``?format=json``),
with the library's status code: 200 when all are well, 500 when any is not. Messages say what
failed, never addresses, paths or credentials: the endpoint is open to load balancers.
"""

import dataclasses
import os
import shutil
import socket
import subprocess
import time

from django.conf import settings
from django.db import DatabaseError, connections
from health_check import Cache, Database, HealthCheck
from health_check import Storage as LibraryStorage
from health_check.exceptions import ServiceReturnedUnexpectedResult, ServiceUnavailable
from health_check.views import HealthCheckView

from streaming.conf import setting

FFMPEG_BINARIES = ("ffmpeg", "ffprobe")
FFMPEG_CACHE_SECONDS = 300
_ffmpeg_ran: dict[str, float] = {}  # binary path -> when `-version` last succeeded


@dataclasses.dataclass
class FileStorage(LibraryStorage):
    """The library's write, read and delete of a probe file, with a refused write reported as
    the storage being down rather than as an unexpected error."""

    def run(self):
        try:
            super().run()
        except OSError as error:
            raise ServiceUnavailable(f"cannot write a file ({type(error).__name__})") from error


@dataclasses.dataclass
class TaskQueues(HealthCheck):
    """The task backend `alias` (settings.TASKS) can take work: its table or its Redis answers
    (on RQ, whose workers register, also: no queue has work waiting with no worker)."""

    alias: str = "default"

    def run(self):
        from django_tasks import task_backends

        backend = task_backends[self.alias]
        kind = type(backend).__name__
        if kind == "DatabaseBackend":
            self._check_database()
        elif kind == "RQBackend":
            self._check_redis(backend)

    def _check_database(self):
        from django_tasks_db.models import DBTaskResult

        try:
            DBTaskResult.objects.ready().exists()
        except DatabaseError as error:
            raise ServiceUnavailable("the task table cannot be read") from error
        finally:
            connections.close_all()  # this executor thread's own connections

    def _check_redis(self, backend):
        """Redis answers for every queue, and a queue with work waiting has a worker."""
        import django_rq
        from redis.exceptions import RedisError
        from rq import Worker

        for name in sorted(backend.queues):
            queue = django_rq.get_queue(name)
            try:
                queue.connection.ping()
                stranded = queue.count and not Worker.count(queue=queue)
            except RedisError as error:
                raise ServiceUnavailable(f"queue {name}: Redis does not answer") from error
            finally:
                queue.connection.close()
            if stranded:
                raise ServiceUnavailable(f"queue {name}: jobs wait and no worker listens")


@dataclasses.dataclass
class FFmpeg(HealthCheck):
    """ffmpeg and ffprobe (found on PATH, as the pipeline finds them) start and answer
    `-version`; a success is remembered for a few minutes, as the binaries rarely change."""

    def run(self):
        for name in FFMPEG_BINARIES:
            path = shutil.which(name)
            if path is None:
                raise ServiceUnavailable(f"{name} is not installed")
            if _ran_recently(path):
                continue
            try:
                subprocess.run(
                    [path, "-hide_banner", "-version"],
                    capture_output=True,
                    check=True,
                    timeout=10,
                    env={"PATH": os.environ.get("PATH", "")},
                )
            except (OSError, subprocess.SubprocessError) as error:
                raise ServiceUnavailable(f"{name} does not run") from error
            _ffmpeg_ran[path] = time.monotonic()


def _ran_recently(path: str) -> bool:
    ran_at = _ffmpeg_ran.get(path)
    return ran_at is not None and time.monotonic() - ran_at < FFMPEG_CACHE_SECONDS


RTMP_C0 = b"\x03"  # RTMP version 3
RTMP_HANDSHAKE_BYTES = 1536


@dataclasses.dataclass
class Ingest(HealthCheck):
    """The live ingest (nginx-rtmp at KOTIKANAVA_RTMP_HOST:PORT) answers an RTMP handshake:
    an open port alone could be anything."""

    def run(self):
        address = (setting("RTMP_HOST"), int(setting("RTMP_PORT")))
        try:
            with socket.create_connection(address, timeout=3) as sock:
                sock.sendall(RTMP_C0 + bytes(RTMP_HANDSHAKE_BYTES))
                answer = sock.recv(1)
        except OSError as error:
            raise ServiceUnavailable("the RTMP server does not answer") from error
        if answer != RTMP_C0:
            raise ServiceReturnedUnexpectedResult("the port does not speak RTMP")


def checks() -> list[HealthCheck]:
    """The parts to check, read from the settings at each request."""
    found = [Database(), Cache(), FileStorage()]
    found += [TaskQueues(alias=alias) for alias in getattr(settings, "TASKS", {"default": {}})]
    found.append(FFmpeg())
    if getattr(settings, "KOTIKANAVA_HEALTH_INGEST", False):
        found.append(Ingest())
    return found


class HealthView(HealthCheckView):
    """django-health-check's view (HTML, text, JSON by Accept or ?format=), never cached."""

    def get_checks(self):
        yield from checks()
