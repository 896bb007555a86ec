"""How soon a trim is published: `streaming.trim.publish_trim` from call to the switched version.

A 60-s camera-like clip (640x360) is processed once by the real pipeline on local storage, then
trimmed (10..50 s), trimmed again (start only) and restored to its full length. Each row is
one publish: new playlists, the stream-copied offline MP4, captions and the master, stored and
switched. Target from issue 9: a new version playable within 10 s (there for a 60-min
recording; a trim's cost grows with the offline MP4's size, not with an encode).

    .venv/bin/python benchmarks/trim_speed.py [seconds]     # default: 60
    .venv/bin/python benchmarks/trim_speed.py --archive MINUTES

With --archive, the trimmed video is a live archive of MINUTES at the default live ladder
(720p source, four rungs and the sound), made as benchmarks/live_archive.py makes it (cached
there): the issue's own target, a long recording's trim playable within 10 s. The table then
also says how many segments each rung holds and how big the offline MP4 is, and each step's
time inside the offline MP4's remux, and until a signed-in editor's browser would have the new
master and lowest-rung playlists from the media view (Django's test client, in process).
"""

import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import embedded_env, make_clip, table

TARGET_SECONDS = 10.0


def _archived(minutes: int, media_root: Path):
    """A ready live archive of `minutes`, archived from the cached packager output."""
    from django.utils import timezone
    from live_archive import default_rungs, session_run

    from streaming.live.archive import archive_session
    from streaming.models import LiveRun, LiveSession, LiveState

    rungs = default_rungs()
    source = session_run(minutes, rungs)
    session = LiveSession.objects.create(
        title=f"{minutes} min", starts_at=timezone.now(), state=LiveState.ENDED
    )
    LiveRun.objects.create(session=session, number=1, rungs=rungs)
    live = media_root / session.media_prefix / "r1"
    live.parent.mkdir(parents=True)
    shutil.copytree(source, live, copy_function=os.link)
    return archive_session(session.pk)


class RemuxClock:
    """Seconds spent in `trim.remux_cut` (the offline MP4), measured around the real call."""

    def __init__(self, trim_module):
        self.seconds = 0.0
        self._module, self._real = trim_module, trim_module.remux_cut
        trim_module.remux_cut = self._timed

    def _timed(self, *args, **kwargs):
        started = time.monotonic()
        try:
            return self._real(*args, **kwargs)
        finally:
            self.seconds += time.monotonic() - started


def served_playlists(client, video) -> int:
    """Fetch the published master and its first media playlist as a player would; segments."""
    from streaming.pipeline.trim_playlists import master_renditions

    master = client.get(video.master_url)
    assert master.status_code == 200, master.status_code
    text = b"".join(master.streaming_content if master.streaming else [master.content]).decode()
    first = master_renditions(text)[0].uri
    base = video.master_url.rsplit("/", 1)[0]
    media = client.get(posixpath.normpath(f"{base}/{first}"))  # as a browser resolves it
    assert media.status_code == 200, media.status_code
    body = b"".join(media.streaming_content if media.streaming else [media.content]).decode()
    return body.count("#EXTINF")


def describe(video, media_root: Path) -> str:
    """Segments per rung and the offline MP4 of the published version, from what is stored."""
    folder = media_root / video.media_prefix
    counts = {
        playlist.parent.name: playlist.read_text().count("#EXTINF")
        for playlist in sorted(folder.glob("*/index.m3u8"))
    }
    download = folder / "download.mp4"
    mp4 = "no offline MP4"
    if download.exists():
        length = subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
             str(download)],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        mp4 = f"offline MP4 {download.stat().st_size / 1e6:.0f} MB, {float(length):.0f} s"
    rungs = ", ".join(f"{name} {count}" for name, count in counts.items())
    return f"segments per rung: {rungs}; {mp4}"


def main(seconds: int, archive_minutes: int = 0) -> None:
    state = Path(tempfile.mkdtemp(prefix="trim-bench-"))
    try:
        os.environ.clear()
        os.environ.update(embedded_env(state))
        (state / "work").mkdir()
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.files import File
        from django.core.management import call_command
        from django.test import Client

        from streaming import trim
        from streaming.jobs import run_processing
        from streaming.models import Video, VideoStatus

        call_command("migrate", verbosity=0)
        started = time.monotonic()
        if archive_minutes:
            video = _archived(archive_minutes, state / "media")
            what = f"{archive_minutes}-min live archive (720p source, default live ladder)"
        else:
            clip = make_clip(state / "clip.mp4", seconds, "640x360", "camera")
            video = Video(title="Trim benchmark")
            with clip.open("rb") as handle:
                video.original.save("clip.mp4", File(handle))
            run_processing(video)
            what = f"{seconds} s clip, 640x360"
        processed = time.monotonic() - started
        video.refresh_from_db()
        assert video.status == VideoStatus.READY, video.error_detail

        print(describe(video, state / "media"))
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(
            get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
        )
        remux = RemuxClock(trim)
        rows = []
        full = video.duration
        steps = [
            (f"trim 10..{full - 10:.0f} s", lambda: trim.publish_trim(video.pk, 10, full - 10)),
            (f"trim again 20..{full:.0f} s", lambda: trim.publish_trim(video.pk, 20, full)),
            ("restore full length", lambda: trim.restore_full_length(video.pk)),
        ]
        for name, step in steps:
            remux.seconds = 0.0
            started = time.monotonic()
            assert step()
            published = time.monotonic() - started
            video.refresh_from_db()
            segments = served_playlists(client, video)
            playable = time.monotonic() - started
            verdict = "PASS" if playable <= TARGET_SECONDS else "FAIL"
            rows.append([
                name, f"{video.duration:.1f}", segments, f"{published:.2f}",
                f"{remux.seconds:.2f}", f"{playable:.2f}", verdict,
            ])  # fmt: skip
        print(f"{what}, made in {processed:.1f} s; local storage")
        print(table(["step", "duration after (s)", "segments served", "publish (s)",
                     "of which MP4 remux (s)", "playlists served (s)", "<= 10 s"],
                    rows))  # fmt: skip
    finally:
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--archive"]:
        main(0, archive_minutes=int(sys.argv[2]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
