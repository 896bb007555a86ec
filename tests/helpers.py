"""Small helpers shared by tests: ports, polling, process groups, the Finnish of a message."""

import contextlib
import os
import signal
import socket
import subprocess
import time

from django.utils import translation
from django.utils.translation import gettext


def fi(message: str) -> str:
    """`message` as a Finnish user reads it (the assertions compare what the page shows)."""
    with translation.override("fi"):
        return gettext(message)


def free_port() -> int:
    """A TCP port on 127.0.0.1 free at the moment of asking."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, retry_on: tuple = ()) -> None:
    """Poll `predicate` until it is true; exceptions in `retry_on` count as not yet."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(*retry_on):
            if predicate():
                return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def stop_group(process: subprocess.Popen, timeout: float = 5) -> None:
    """Stop a process started with `start_new_session=True` and everything it started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
