"""A session's live playlists in storage: every rung's viewer window and the live master.

It remembers each run's playlists (read back from storage for runs a previous supervisor
closed), so a reconnect continues the same windows with a discontinuity instead of starting over.
"""

import tempfile
from pathlib import Path

from django.core.files.storage import default_storage

from streaming.conf import pipeline_config, setting
from streaming.live import playlists, storage_copy
from streaming.live.packaging import AUDIO, LIVE_MASTER, RUN_PLAYLIST, WINDOW_PLAYLIST, run_folder
from streaming.live.playlists import RunPlaylist, Track
from streaming.models import LiveRun, LiveSession
from streaming.pipeline.playlists import avc_codec_string


class SessionOutput:
    def __init__(self, session: LiveSession):
        self.session = session
        self.config = pipeline_config()
        self.playlists: dict[int, dict[str, RunPlaylist]] = {}  # run -> folder -> playlist
        self.rungs: dict[int, list[dict]] = {}  # run -> its rungs
        self.codecs: dict[str, str] = {}  # rung -> CODECS string
        self._master = ""

    @classmethod
    def load(cls, session: LiveSession) -> "SessionOutput":
        output = cls(session)
        for run in LiveRun.objects.filter(session=session, ended_at__isnull=False):
            output._load_run(run)
        return output

    def _load_run(self, run: LiveRun) -> None:
        folders = {}
        for folder in [rung["name"] for rung in run.rungs] + [AUDIO]:
            base = f"{run_folder(run.number)}/{folder}"
            text = self._read(f"{base}/{RUN_PLAYLIST}")
            if text:
                folders[folder] = playlists.parse_run_playlist(text, base)
                if folder != AUDIO and folder not in self.codecs:
                    self.codecs[folder] = _stored_codec(self.session.media_prefix + base)
        self.playlists[run.number] = folders
        self.rungs[run.number] = run.rungs

    def add(self, packaged) -> None:
        self.playlists[packaged.run.number] = dict(packaged.playlists)
        self.rungs[packaged.run.number] = packaged.run.rungs
        self.codecs.update(packaged.codecs)

    def names(self) -> list[str]:
        present = {number: list(folders) for number, folders in self.playlists.items()}
        return playlists.session_rungs(present)

    def tracks(self, name: str) -> list[Track]:
        tracks = []
        for number in sorted(self.playlists):
            folders = self.playlists[number]
            used = playlists.stand_in(name, list(folders))
            if used and folders[used].segments:
                tracks.append(Track(number, folders[used]))
        return tracks

    def publish_windows(self, ended: bool = False) -> None:
        size = setting("LIVE_WINDOW_SEGMENTS")
        target = self.config.segment_seconds
        names = self.names()
        tracks = {name: self.tracks(name) for name in [*names, AUDIO]}
        for name, joined in tracks.items():
            if joined:
                self._write(
                    f"{name}/{WINDOW_PLAYLIST}", playlists.window(joined, size, target, ended)
                )
        if names and all(tracks.values()):
            self._publish_master(names)

    def _publish_master(self, names: list[str]) -> None:
        variants = []
        for name in names:
            rung = self._latest_rung(name)
            if rung is None or name not in self.codecs:
                return
            variants.append({**rung, "codec": self.codecs[name]})
        text = playlists.live_master(variants, self.config.audio_kbps)
        if text != self._master:
            self._write(LIVE_MASTER, text)
            self._master = text

    def _read(self, name: str) -> str | None:
        return storage_copy.read_text(default_storage, self.session.media_prefix + name)

    def _write(self, name: str, text: str) -> None:
        storage_copy.put_text(default_storage, self.session.media_prefix + name, text)

    def _latest_rung(self, name: str) -> dict | None:
        for number in sorted(self.rungs, reverse=True):
            for rung in self.rungs[number]:
                if rung["name"] == name:
                    return rung
        return None


def _stored_codec(folder: str) -> str:
    """CODECS of a stored run's rung, from its init segment (read in place on a local disk)."""
    with tempfile.TemporaryDirectory() as work:
        init = f"{folder}/init.mp4"
        local = storage_copy.fetch(default_storage, [init], Path(work))[init]
        return avc_codec_string(local)
