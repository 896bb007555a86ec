"""A real nginx-rtmp ingest server and ffmpeg publishers, cleaned up after every test."""

import socket
import subprocess
import time
from pathlib import Path

import pytest

from streaming.live import nginx
from tests.helpers import free_port, stop_group


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not listen in time")


def start_ingest_server(config: nginx.IngestConfig) -> subprocess.Popen:
    """nginx-rtmp with `config` written out, quiet, in its own process group (`stop_group`)."""
    nginx.write(config)
    return subprocess.Popen(
        nginx.command(config),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


class Ingest:
    """The running server: its RTMP base URL and helpers to start ffmpeg against it."""

    def __init__(self, port: int, log_dir: Path):
        self.port = port
        self.url = f"rtmp://127.0.0.1:{port}/live"
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []

    def _start(self, argv: list[str], log_name: str) -> subprocess.Popen:
        log = open(self.log_dir / log_name, "wb")  # noqa: SIM115 (closed with the test's tmp dir)
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
        )
        self.processes.append(process)
        return process

    def publish(
        self, key: str, seconds: float, log_name: str = "publisher.log", size: str = "320x180"
    ):
        return self._start(
            ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "info", "-re"]
            + ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate=15"]
            + ["-f", "lavfi", "-i", "sine", "-t", str(seconds)]
            + ["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30"]
            + ["-c:a", "aac", "-f", "flv", f"{self.url}/{key}"],
            log_name,
        )

    def read(self, key: str, seconds: float, log_name: str = "reader.log"):
        return self._start(
            ["ffmpeg", "-nostdin", "-hide_banner", "-i", f"{self.url}/{key}"]
            + ["-t", str(seconds), "-f", "null", "-"],
            log_name,
        )

    def stop_all(self) -> None:
        for process in self.processes:
            stop_group(process)


@pytest.fixture
def ingest(live_server, tmp_path):
    """nginx with the config `run_ingest` writes, calling back this test run's live server."""
    callback_url = live_server.url.replace("localhost", "127.0.0.1")
    config = nginx.config_from_settings(
        state_dir=tmp_path / "ingest",
        port=free_port(),
        callback_url=callback_url,
    )
    server = start_ingest_server(config)
    running = Ingest(config.port, tmp_path)
    running.server = server
    try:
        _wait_for_port(config.port, server)
        yield running
    finally:
        running.stop_all()
        stop_group(server)


@pytest.fixture
def packaging(ingest, settings, tmp_path):
    """The live supervisor in a thread of this test process, packaging from `ingest`."""
    import threading

    from streaming.live.supervisor import Supervisor

    settings.KOTIKANAVA_RTMP_PORT = ingest.port
    supervisor = Supervisor(work_dir=tmp_path / "packaging")
    stop = threading.Event()
    thread = threading.Thread(target=supervisor.run_forever, args=(stop,), daemon=True)
    thread.start()
    try:
        yield supervisor
    finally:
        stop.set()
        thread.join(timeout=30)
