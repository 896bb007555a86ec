"""A packager run in motion: its ffmpeg, its local folder, and what of it is in storage so far.

The probe and ffmpeg run in a thread of their own, so a slow or stuck publish never holds up
the supervisor's other sessions. ffmpeg writes to the ingest host's disk; `sync` moves every
segment its playlists list (so only complete ones) into storage, init segment first.
"""

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import threading
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from streaming.live import packager, storage_copy
from streaming.live.packaging import AUDIO, RUN_PLAYLIST, run_folder
from streaming.live.playlists import RunPlaylist, parse_run_playlist
from streaming.models import LivePublisher, LiveRun, LiveSession
from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.playlists import avc_codec_string

logger = logging.getLogger("streaming.live")

STOP_GRACE_SECONDS = 5.0
PID_FILE = "ffmpeg.pid"
# What ffmpeg and ffprobe say when the ingest server has no stream by that name.
NO_SUCH_STREAM = "No such stream"


class PackagerRun:
    def __init__(self, run: LiveRun, session: LiveSession, work: Path, config: PipelineConfig):
        self.run = run
        self.session = session
        self.work = work
        self.config = config
        self.process: subprocess.Popen | None = None
        self.error = ""
        self.finished = threading.Event()
        self.playlists: dict[str, RunPlaylist] = {}
        self.codecs: dict[str, str] = {}
        self._stored: dict[str, int] = {}  # folder -> segments already in storage
        self._stopping = False
        self._rungs_saved = False
        self._thread = threading.Thread(target=self._work, name=f"packager-{run}", daemon=True)

    @classmethod
    def start(
        cls, session: LiveSession, publisher: LivePublisher, work_root: Path, config
    ) -> "PackagerRun":
        with transaction.atomic():
            number = (
                LiveRun.objects.select_for_update()
                .filter(session=session)
                .aggregate(last=Max("number"))["last"]
                or 0
            ) + 1
            run = LiveRun.objects.create(session=session, number=number, publisher=publisher)
        work = work_root / str(session.public_id) / run_folder(number)
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        started = cls(run, session, work, config)
        started._thread.start()
        logger.info("Packager run %s started for publisher %s", run, publisher.client_id)
        return started

    @property
    def prefix(self) -> str:
        return f"{self.session.media_prefix}{run_folder(self.run.number)}/"

    @property
    def stream_gone(self) -> bool:
        """nginx had no such stream: the publisher left without a callback reaching the app
        (the web app was down), so it is gone, not unreadable."""
        return NO_SUCH_STREAM in self.error

    @property
    def running(self) -> bool:
        return not self.finished.is_set()

    @property
    def segment_count(self) -> int:
        """Segments complete in every rendition (none until each has its playlist)."""
        expected = [rung["name"] for rung in self.run.rungs] + [AUDIO]
        if not self.run.rungs or any(folder not in self.playlists for folder in expected):
            return 0
        return min(len(self.playlists[folder].segments) for folder in expected)

    def _work(self) -> None:
        try:
            url = packager.stream_url(self.session.public_id)
            info = packager.probe_stream(url, self.config)
            rungs = packager.live_rungs(info, self.config)
            # Recorded on the row by `sync`, in the supervisor's thread (no queries here).
            self.run.rungs = [
                {
                    "name": r.name,
                    "width": r.width,
                    "height": r.height,
                    "fps": r.fps,
                    "max_kbps": r.max_kbps,
                }
                for r in rungs
            ]
            self.run.has_audio = info.has_audio
            for folder in packager.folders(rungs):
                (self.work / folder).mkdir()
            command = packager.build_command(url, info, rungs, self.work, self.config)
            with (self.work / "ffmpeg.log").open("wb") as log:
                self.process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    start_new_session=True,
                )
                (self.work / PID_FILE).write_text(str(self.process.pid))
                if self._stopping:
                    self.stop()
                code = self.process.wait()
            if code != 0 and not self._stopping:
                self.error = _tail(self.work / "ffmpeg.log") or f"ffmpeg exited with {code}"
        except packager.UnreadableStream as unreadable:
            self.error = str(unreadable)
        except Exception as failure:  # noqa: BLE001 (recorded on the run, and logged)
            logger.exception("Packager run %s failed", self.run)
            self.error = repr(failure)
        finally:
            self.finished.set()

    def stop(self) -> None:
        """Ask ffmpeg to finish: SIGTERM lets it write its last segment and the end tag."""
        self._stopping = True
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()

    def kill_if_stuck(self, since_stop: float) -> None:
        if self.process and self.process.poll() is None and since_stop > STOP_GRACE_SECONDS:
            self.process.kill()

    def sync(self) -> bool:
        """Store what ffmpeg has completed since the last call; True if anything was new."""
        if self.run.rungs and not self._rungs_saved:
            LiveRun.objects.filter(pk=self.run.pk).update(
                rungs=self.run.rungs, has_audio=self.run.has_audio
            )
            self._rungs_saved = True
        if not self.work.exists():
            return False
        folders = [path.name for path in self.work.iterdir() if path.is_dir()]
        return any([self._sync_folder(folder) for folder in folders])

    def _sync_folder(self, folder: str) -> bool:
        """Store one rendition's new segments (its init segment first), then its list."""
        try:
            text = (self.work / folder / RUN_PLAYLIST).read_text()
        except FileNotFoundError:  # ffmpeg has not written it yet
            return False
        playlist = parse_run_playlist(text, f"{run_folder(self.run.number)}/{folder}")
        done = self._stored.get(folder, 0)
        if len(playlist.segments) == done and folder in self.playlists:
            return False
        if folder not in self._stored and playlist.init:
            init = self.work / folder / Path(playlist.init).name
            self._put(f"{folder}/{init.name}", init)
            if folder != AUDIO:
                self.codecs[folder] = avc_codec_string(init)
        for segment in playlist.segments[done:]:
            name = Path(segment.uri).name
            self._put(f"{folder}/{name}", self.work / folder / name)
        storage_copy.put_text(default_storage, f"{self.prefix}{folder}/{RUN_PLAYLIST}", text)
        self._stored[folder] = len(playlist.segments)
        self.playlists[folder] = playlist
        return True

    def _put(self, name: str, source: Path) -> None:
        storage_copy.put_file(default_storage, self.prefix + name, source)

    def save_progress(self) -> None:
        """Record the segment count; called once the session's playlists name them, since a
        count above zero is what offers the live playlist to viewers."""
        LiveRun.objects.filter(pk=self.run.pk).update(segments=self.segment_count)

    @classmethod
    def adopt(cls, run: LiveRun, work_root: Path, config) -> "PackagerRun":
        """A run left open by a supervisor that died: stop its ffmpeg, keep what it wrote."""
        work = work_root / str(run.session.public_id) / run_folder(run.number)
        kill_orphan(work)
        adopted = cls(run, run.session, work, config)
        adopted._rungs_saved = True
        adopted.error = "the packager was restarted"
        adopted.finished.set()
        return adopted

    def close(self) -> None:
        """Record the run's end; its local folder goes once everything is in storage."""
        self.sync()
        LiveRun.objects.filter(pk=self.run.pk).update(
            ended_at=timezone.now(), segments=self.segment_count, error=self.error[-2000:]
        )
        if self.error:
            logger.warning("Packager run %s stopped: %s", self.run, self.error)
        shutil.rmtree(self.work, ignore_errors=True)


def kill_orphan(work: Path) -> None:
    """The ffmpeg of a run whose supervisor died: it would go on writing where nobody reads."""
    pid_file = work / PID_FILE
    try:
        pid = int(pid_file.read_text())
        command_line = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if str(work).encode() in command_line:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)


def _tail(log: Path) -> str:
    with contextlib.suppress(OSError):
        return log.read_text(errors="replace").strip()[-1000:]
    return ""
