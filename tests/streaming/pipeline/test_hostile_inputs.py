"""Hostile and broken uploads: each refused with a plain reason, nothing written, nothing leaked."""

import os
import subprocess
from pathlib import Path

import pytest

from streaming.pipeline import safety
from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.errors import MediaRejected
from streaming.pipeline.run import transcode

CONFIG = PipelineConfig(preset="ultrafast")
HLS_PLAYLIST = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{}\n#EXT-X-ENDLIST\n"


def refuse(tmp_path: Path, upload: Path, code: str, config=CONFIG) -> MediaRejected:
    out = tmp_path / "out"
    before = set(tmp_path.rglob("*"))
    with pytest.raises(MediaRejected) as refusal:
        transcode(upload, out, config)
    assert refusal.value.code == code, refusal.value.detail
    assert len(str(refusal.value.message)) > 20  # a sentence staff can act on
    assert not out.exists()
    assert set(tmp_path.rglob("*")) == before  # no staging folder, no stray files
    return refusal.value


def assert_secret_never_leaked(tmp_path: Path, secret: Path, secret_bytes: bytes):
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != secret:
            assert secret_bytes not in path.read_bytes(), path


def test_hls_playlist_saved_as_mp4(tmp_path, secret, secret_bytes):
    upload = tmp_path / "upload.mp4"
    upload.write_text(HLS_PLAYLIST.format(secret))
    refuse(tmp_path, upload, "playlist")
    assert_secret_never_leaked(tmp_path, secret, secret_bytes)


def test_ffmpeg_itself_refuses_a_playlist_that_got_past_the_byte_check(
    tmp_path, secret, secret_bytes
):
    """The second wall: the demuxer whitelist holds even without the pre-check."""
    upload = tmp_path / "upload.mp4"
    upload.write_text(HLS_PLAYLIST.format(secret))
    completed = subprocess.run(
        ["ffmpeg", "-nostdin", *safety.input_flags(CONFIG.max_pixels),
         "-i", safety.input_url(upload), "-map", "0", "-c", "copy", "-f", "data", "-"],
        capture_output=True, check=False,
    )  # fmt: skip
    assert completed.returncode != 0
    assert b"not on whitelist" in completed.stderr
    assert secret_bytes not in completed.stdout


def test_ffconcat_script(tmp_path, secret, secret_bytes):
    upload = tmp_path / "upload.mov"
    upload.write_text(f"ffconcat version 1.0\nfile '{secret}'\n")
    refuse(tmp_path, upload, "playlist")
    assert_secret_never_leaked(tmp_path, secret, secret_bytes)


@pytest.mark.parametrize("name", ["concat:{}|x.mp4", "subfile,,start,0,end,0,,:{}"])
def test_protocol_looking_file_name_is_only_a_name(tmp_path, secret, secret_bytes, name):
    upload = tmp_path / name.format(secret.name)
    upload.write_bytes(b"\x00\x01" * 32 + os.urandom(4096))
    refuse(tmp_path, upload, "not_media")
    assert_secret_never_leaked(tmp_path, secret, secret_bytes)


def test_pixel_bomb_refused_before_encoding(tmp_path, run_ffmpeg):
    upload = tmp_path / "huge.avi"
    run_ffmpeg("-f", "lavfi", "-i", "color=size=6000x6000:duration=0.04:rate=25",
               "-c:v", "mjpeg", "-q:v", "31", str(upload))  # fmt: skip
    refuse(tmp_path, upload, "too_many_pixels")


def test_pixel_limit_is_configurable(tmp_path, small_clip):
    refuse(tmp_path, small_clip, "too_many_pixels", PipelineConfig(max_pixels=320 * 240 - 1))


def test_header_claiming_weeks_of_audio(tmp_path, make_clip):
    """Patch the MP4 header's duration: a tiny file that says it lasts 24 days."""
    data = bytearray(make_clip(tmp_path / "voice.m4a", seconds=1, video=False).read_bytes())
    header = data.find(b"mvhd")
    data[header + 20 : header + 24] = (0x7FFFFFFF).to_bytes(4, "big")
    upload = tmp_path / "long.m4a"
    upload.write_bytes(bytes(data))
    refusal = refuse(tmp_path, upload, "too_long")
    assert "s >" in refusal.detail


def test_duration_limit_is_configurable(tmp_path, small_clip):
    refuse(tmp_path, small_clip, "too_long", PipelineConfig(preset="ultrafast", max_duration=1))


def test_upload_cut_off_before_its_index(tmp_path, small_clip):
    upload = tmp_path / "cut.mp4"
    upload.write_bytes(small_clip.read_bytes()[: small_clip.stat().st_size // 2])
    refuse(tmp_path, upload, "truncated")


def test_fast_start_upload_cut_in_half_is_not_half_published(tmp_path, make_clip):
    whole = make_clip(tmp_path / "whole.mp4", seconds=4, extra=("-movflags", "+faststart"))
    upload = tmp_path / "cut.mp4"
    upload.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    whole.unlink()
    refuse(tmp_path, upload, "truncated")


def test_empty_file(tmp_path):
    upload = tmp_path / "empty.mp4"
    upload.write_bytes(b"")
    refuse(tmp_path, upload, "empty")


def test_random_bytes(tmp_path):
    upload = tmp_path / "random.mp4"
    upload.write_bytes(os.urandom(100_000))
    refuse(tmp_path, upload, "not_media")


def test_picture_file_is_not_a_recording(tmp_path, run_ffmpeg):
    """Image demuxers are not on the whitelist: a photo is refused, not made into a video."""
    upload = tmp_path / "photo.mp4"
    run_ffmpeg("-f", "lavfi", "-i", "color=size=64x64:duration=0.04", "-frames:v", "1",
               "-f", "image2", "-c:v", "png", str(upload))  # fmt: skip
    refuse(tmp_path, upload, "playlist")
