"""Probing real clips: what the ladder is chosen from, read under the safety restrictions."""

import subprocess

import pytest
from django.utils.translation import override

from streaming.pipeline import safety
from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.errors import MediaRejected
from streaming.pipeline.probe import probe

CONFIG = PipelineConfig()


def test_debian_ffmpeg_knows_every_safety_option():
    """The restrictions are silently useless if this ffmpeg build spells them differently."""
    help_text = subprocess.run(
        ["ffmpeg", "-hide_banner", "-h", "full"], capture_output=True, text=True, check=True
    ).stdout
    for name in safety.input_options(1):
        assert f"-{name} " in help_text


def test_landscape_clip(landscape):
    info = probe(landscape, CONFIG)
    assert (info.width, info.height, info.rotation) == (640, 360, 0)
    assert info.has_video and info.has_audio
    assert info.duration == pytest.approx(3.0, abs=0.1)
    assert info.frame_rate == 30.0
    assert (info.video_codec, info.audio_codec, info.audio_channels) == ("h264", "aac", 1)
    assert "mp4" in info.container and info.bit_rate > 0


def test_phone_portrait_is_read_through_its_display_matrix(tmp_path, make_clip, rotate):
    landscape_pixels = make_clip(tmp_path / "raw.mp4", size="320x180")
    info = probe(rotate(landscape_pixels, tmp_path / "phone.mp4", 90), CONFIG)
    assert (info.width, info.height) == (180, 320)
    assert info.rotation in (90, 270) and info.is_portrait


def test_non_square_pixels_give_the_displayed_width(tmp_path, make_clip):
    clip = make_clip(tmp_path / "dv.mp4", size="320x240", extra=("-vf", "setsar=4/3"))
    info = probe(clip, CONFIG)
    assert (info.width, info.height) == (427, 240)


def test_second_microphone_track_is_not_mixed_in(tmp_path, run_ffmpeg):
    clip = tmp_path / "two-mics.mkv"
    run_ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=30:duration=1",
        "-f", "lavfi", "-i", "sine=440:duration=1", "-f", "lavfi", "-i", "sine=880:duration=1",
        "-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset", "ultrafast",
        "-c:a", "aac", str(clip),
    )  # fmt: skip
    info = probe(clip, CONFIG)
    assert (info.video_index, info.audio_index) == (0, 1)


def test_browser_recording_without_a_duration_is_measured_from_its_packets(tmp_path, make_clip):
    clip = make_clip(tmp_path / "recorder.webm", seconds=2, extra=("-live", "1"))
    info = probe(clip, CONFIG)
    assert info.duration == pytest.approx(2.0, abs=0.15)


@pytest.mark.parametrize("suffix", [".m4a", ".mp3"])
def test_audio_only(tmp_path, make_clip, suffix):
    info = probe(make_clip(tmp_path / f"voice{suffix}", video=False), CONFIG)
    assert info.has_audio and not info.has_video
    assert (info.width, info.height) == (0, 0)


def test_probe_refuses_with_a_code_and_a_detail_for_admins(tmp_path):
    upload = tmp_path / "notes.mp4"
    upload.write_text("Tuolijumppa tiistaina kello 10.\n" * 20)
    with pytest.raises(MediaRejected) as refusal:
        probe(upload, CONFIG)
    assert refusal.value.code == "not_media"
    with override("en"):  # the project's own language is Finnish
        message = str(refusal.value.message)
    assert message == "The file is not a video or audio recording we can read."
    assert "Tuolijumppa" in refusal.value.detail
