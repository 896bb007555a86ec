"""HDR phone recordings (PQ and HLG) come out as SDR that looks like the scene, not grey."""

import json
import subprocess
from pathlib import Path

import pytest

from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.run import transcode
from tests.streaming.clips import make_clip, to_hdr

CONFIG = PipelineConfig(preset="ultrafast")
# Read as SDR without tone mapping, these clips score about 14-16 dB against the scene;
# tone mapped they score about 22 dB (the highlights are rolled off a little).
MIN_PSNR_DB = 20


def psnr(a: Path, b: Path) -> float:
    graph = "[0:v]setpts=PTS-STARTPTS[a];[1:v]setpts=PTS-STARTPTS[b];[a][b]psnr"
    completed = subprocess.run(
        ["ffmpeg", "-nostdin", "-i", str(a), "-i", str(b), "-lavfi", graph, "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(completed.stderr.rsplit("average:", 1)[1].split()[0])


def colour_tags(path: Path) -> dict:
    completed = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-of", "json", "-show_entries",
         "stream=pix_fmt,color_transfer,color_primaries,color_space", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(completed.stdout)["streams"][0]


@pytest.mark.parametrize("transfer", ["smpte2084", "arib-std-b67"], ids=["pq", "hlg"])
def test_hdr_recording_is_tone_mapped_to_sdr(tmp_path, transfer):
    scene = make_clip(tmp_path / "scene.mp4", seconds=2, size="640x360", audio=False)
    phone = to_hdr(scene, tmp_path / "phone.mp4", transfer)
    assert colour_tags(phone)["color_transfer"] == transfer

    transcode(phone, tmp_path / "out", CONFIG)

    download = tmp_path / "out" / "download.mp4"
    assert colour_tags(download) == {
        "pix_fmt": "yuv420p",
        "color_space": "bt709",
        "color_transfer": "bt709",
        "color_primaries": "bt709",
    }
    assert psnr(download, scene) >= MIN_PSNR_DB
