"""Bytes per minute of each rung for camera footage against a still screen recording.

Capped CRF should let the screen recording spend far less. Target: screen <= 0.5x camera at
every rung. Run: python benchmarks/bytes_per_minute.py [seconds]
"""

import shutil
import sys
import tempfile
from pathlib import Path

from common import make_clip, table

from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.run import transcode


def bytes_per_minute(out: Path, result) -> dict[str, float]:
    per_minute = {}
    for variant in result.variants:
        folder = out / Path(variant["uri"]).parent
        size = sum(f.stat().st_size for f in folder.iterdir() if f.suffix != ".m3u8")
        per_minute[folder.name] = size * 60 / result.duration
    return per_minute


def main(seconds: int = 30) -> None:
    config = PipelineConfig()
    work = Path(tempfile.mkdtemp(prefix="bytes-per-minute-"))
    try:
        measured = {}
        for kind in ("camera", "screen"):
            clip = make_clip(work / f"{kind}.mp4", seconds, "1280x720", kind)
            result = transcode(clip, work / kind, config)
            measured[kind] = bytes_per_minute(work / kind, result)
        rows, passed = [], True
        for rendition, camera in measured["camera"].items():
            screen = measured["screen"][rendition]
            ratio = screen / camera
            passed &= ratio <= 0.5 or rendition == "audio"
            rows.append([rendition, f"{camera / 1e6:.2f}", f"{screen / 1e6:.2f}", f"{ratio:.2f}"])
        print(f"{seconds} s 720p30 clips, preset {config.preset}, CRF {config.crf}\n")
        print(table(["rendition", "camera MB/min", "screen MB/min", "screen/camera"], rows))
        print(f"\nTarget screen <= 0.5x camera at every video rung: {'PASS' if passed else 'FAIL'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
