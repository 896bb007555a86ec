"""Limits that a container cannot lie to: a file claiming 2 s that holds 20 s, and runaway output.

The probe reads the length a container declares; these uploads declare less than they hold. The
pipeline must stop ffmpeg at the configured limit whatever the claim, refuse output much longer
than claimed, and stop an encode that writes too many bytes or files.
"""

import json
import subprocess
import time
from pathlib import Path

import pytest
from django.utils import translation

from streaming.pipeline import run, safety
from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.errors import MediaRejected
from streaming.pipeline.probe import probe
from streaming.pipeline.run import transcode
from tests.streaming import clips

REAL_SECONDS = 20
CLAIMED_SECONDS = 2
CONFIG = PipelineConfig(preset="ultrafast", max_duration=60)


@pytest.fixture(scope="module", params=[".mkv", ".mp4"])
def liar(request, tmp_path_factory) -> Path:
    """20 s of frames in a container whose length fields say 2 s."""
    folder = tmp_path_factory.mktemp("liar")
    honest = clips.make_clip(
        folder / f"honest{request.param}", seconds=REAL_SECONDS, size="160x120"
    )
    return clips.claim_duration(honest, folder / f"liar{request.param}", CLAIMED_SECONDS)


def last_packet_seconds(path: Path) -> float:
    """The real length: the last video packet's time, read packet by packet."""
    packets = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "packet=pts_time",
         "-of", "json", str(path)],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return max(float(p["pts_time"]) for p in json.loads(packets)["packets"])


def english(message) -> str:
    with translation.override("en"):
        return str(message)


def refuse(tmp_path: Path, upload: Path, code: str, config: PipelineConfig) -> MediaRejected:
    out = tmp_path / "out"
    before = set(tmp_path.rglob("*"))
    with pytest.raises(MediaRejected) as refusal:
        transcode(upload, out, config)
    assert refusal.value.code == code, refusal.value.detail
    assert len(str(refusal.value.message)) > 20  # a sentence staff can act on
    assert not out.exists() and set(tmp_path.rglob("*")) == before
    return refusal.value


def test_ffprobe_believes_the_lie(liar):
    """Without this, the tests below would prove nothing."""
    assert probe(liar, CONFIG).duration == pytest.approx(CLAIMED_SECONDS, abs=0.1)
    assert last_packet_seconds(liar) > REAL_SECONDS - 1


def test_lying_file_is_refused_after_a_few_seconds_of_output(tmp_path, liar):
    refusal = refuse(tmp_path, liar, "longer_than_claimed", CONFIG)
    assert "longer than its file says" in english(refusal.message)
    assert f"claims {CLAIMED_SECONDS:.1f} s" in refusal.detail
    produced = float(refusal.detail.split("output reached ")[1].split(" s")[0])
    assert CLAIMED_SECONDS < produced < 2 * CLAIMED_SECONDS + 3 * CONFIG.segment_seconds


def test_lying_file_is_cut_at_the_duration_limit(tmp_path, liar):
    """With the limit near the claim, the lie stays within tolerance: published, but no longer
    than the limit (plus the last segment's rounding)."""
    config = PipelineConfig(preset="ultrafast", max_duration=4)
    result = transcode(liar, tmp_path / "out", config)
    assert result.duration <= config.max_duration + config.segment_seconds
    published = last_packet_seconds(tmp_path / "out" / "download.mp4")
    assert published <= config.max_duration + config.segment_seconds


def test_honest_file_of_the_same_length_is_still_refused_as_too_long(tmp_path, liar):
    honest = liar.with_name(liar.name.replace("liar", "honest"))
    refuse(tmp_path, honest, "too_long", PipelineConfig(preset="ultrafast", max_duration=4))


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory) -> Path:
    """20 s of grainy honest footage: enough bytes to overrun a small output limit."""
    folder = tmp_path_factory.mktemp("long")
    return clips.make_clip(folder / "long.mp4", seconds=REAL_SECONDS, size="320x240", noise=30)


@pytest.fixture
def real_time(monkeypatch):
    """ffmpeg reads the upload at its own pace (`-re`), so 20 s of input take 20 s to encode and
    a limit that acts while ffmpeg runs is told apart from one that acts afterwards."""
    working_command = run.build_command

    def paced(*args):
        command = working_command(*args)
        at = command.index("-i")
        return [*command[:at], "-re", *command[at:]]

    monkeypatch.setattr(run, "build_command", paced)


def test_too_many_bytes_stop_ffmpeg_while_it_runs(tmp_path, long_clip, real_time):
    config = PipelineConfig(preset="ultrafast", max_output_bytes=30_000, output_check_seconds=0.1)
    started = time.monotonic()
    refusal = refuse(tmp_path, long_clip, "too_much_output", config)
    assert time.monotonic() - started < REAL_SECONDS / 2
    assert "bytes written, limit 30000" in refusal.detail
    assert "far more data" in english(refusal.message)


def test_output_is_measured_again_when_ffmpeg_is_done(tmp_path, small_clip):
    config = PipelineConfig(preset="ultrafast", max_output_bytes=20_000, output_check_seconds=3600)
    refusal = refuse(tmp_path, small_clip, "too_much_output", config)
    assert "bytes written" in refusal.detail


def test_too_many_files_are_refused(tmp_path, small_clip):
    config = PipelineConfig(preset="ultrafast", max_output_files=5)
    refusal = refuse(tmp_path, small_clip, "too_much_output", config)
    assert "files written, limit 5" in refusal.detail


def test_wall_clock_limit_still_stops_endless_work(tmp_path, long_clip, real_time, monkeypatch):
    monkeypatch.setattr(safety, "transcode_timeout", lambda seconds, config: 1.0)
    started = time.monotonic()
    refuse(tmp_path, long_clip, "timeout", PipelineConfig(preset="ultrafast"))
    assert time.monotonic() - started < REAL_SECONDS / 2
