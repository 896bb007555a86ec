"""A session's live playlists in storage: every rung's viewer window and the live master.

It remembers each run's playlists (read back from storage for runs a previous supervisor
closed), so a reconnect continues the same windows with a discontinuity instead of starting over.
"""

import tempfile
from pathlib import Path

from django.conf import settings

from streaming.conf import pipeline_config
from streaming.live import playlists, store
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
            text = store.read_text(f"{self.session.media_prefix}{base}/{RUN_PLAYLIST}")
            if text:
                folders[folder] = playlists.parse_run_playlist(text, base)
                if folder != AUDIO and folder not in self.codecs:
                    self.codecs[folder] = _stored_codec(self.session.media_prefix + base)
        self.playlists[run.number] = folders
        self.rungs[run.number] = run.rungs

    def note_run_started(self) -> None:
        """Nothing to write until the new run's first segment is complete."""

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
        size = settings.KOTIKANAVA_LIVE_WINDOW_SEGMENTS
        target = self.config.segment_seconds
        names = self.names()
        for name in [*names, AUDIO]:
            tracks = self.tracks(name)
            if tracks:
                text = playlists.window(tracks, size, target, ended=ended)
                store.put_text(f"{self.session.media_prefix}{name}/{WINDOW_PLAYLIST}", text)
        if names and all(self.tracks(name) for name in [*names, AUDIO]):
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
            store.put_text(self.session.media_prefix + LIVE_MASTER, text)
            self._master = text

    def _latest_rung(self, name: str) -> dict | None:
        for number in sorted(self.rungs, reverse=True):
            for rung in self.rungs[number]:
                if rung["name"] == name:
                    return rung
        return None


def _stored_codec(folder: str) -> str:
    from django.core.files.storage import default_storage

    with tempfile.NamedTemporaryFile(suffix=".mp4") as local:
        with default_storage.open(f"{folder}/init.mp4", "rb") as init:
            local.write(init.read())
        local.flush()
        return avc_codec_string(Path(local.name))
