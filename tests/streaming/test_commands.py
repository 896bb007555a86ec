"""The operator commands, run as operators run them: as processes."""

import subprocess
import sys
from pathlib import Path

import pytest

from streaming.models import Video, VideoStatus
from tests.streaming.clips import make_clip

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_transcode_writes_a_self_contained_folder(tmp_path):
    clip = make_clip(tmp_path / "in.mov", seconds=2)
    out = tmp_path / "out"
    completed = manage("transcode", clip, out)
    assert completed.returncode == 0, completed.stderr
    master = (out / "master.m3u8").read_text()
    assert "v234/index.m3u8" in master
    assert "://" not in master and "/tmp" not in master  # relative URIs only


def test_transcode_refuses_with_one_line_on_stderr(tmp_path):
    bogus = tmp_path / "video.mp4"
    bogus.write_text("#EXTM3U\n#EXT-X-TARGETDURATION:1\n/etc/passwd\n")
    out = tmp_path / "out"
    completed = manage("transcode", bogus, out)
    assert completed.returncode != 0
    assert len(completed.stderr.strip().splitlines()) == 1
    assert "playlist" in completed.stderr.lower()
    assert not (out / "master.m3u8").exists()


@pytest.mark.django_db
def test_import_videos_with_wait_processes_a_folder(tmp_path, settings):
    from django.core.management import call_command

    folder = tmp_path / "recordings"
    folder.mkdir()
    make_clip(folder / "tuolijumppa.mp4", seconds=2)
    make_clip(folder / "radio.m4a", video=False, seconds=2)
    (folder / "notes.txt").write_text("not a video")
    call_command("import_videos", folder, "--collection", "Liikunta", "--wait")
    videos = {video.title: video for video in Video.objects.all()}
    assert set(videos) == {"tuolijumppa", "radio"}
    assert {video.status for video in videos.values()} == {VideoStatus.READY}
    assert {video.collection.name for video in videos.values()} == {"Liikunta"}
    assert videos["radio"].has_video is False
