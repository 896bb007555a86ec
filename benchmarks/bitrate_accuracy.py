"""Declared AVERAGE-BANDWIDTH and BANDWIDTH against rates measured independently of our code.

Apple: measured rates within 10 % of the declared ones. The measurement here reads the media
playlists itself and takes each segment's size from disk, and the duration from ffprobe playing
the variant, so an error in `playlists.measure` would show.
Run: python benchmarks/bitrate_accuracy.py [seconds]
"""

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import make_clip, table

from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.run import transcode


def played_seconds(playlist: Path) -> float:
    data = subprocess.run(
        ["ffprobe", "-v", "error", "-protocol_whitelist", "file", "-show_entries",
         "format=duration", "-of", "json", str(playlist)],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return float(json.loads(data)["format"]["duration"])


def rendition_bits(playlist: Path) -> tuple[int, list[float]]:
    """All bits of a rendition (init included) and each segment's own rate."""
    text = playlist.read_text()
    init = re.search(r'#EXT-X-MAP:URI="([^"]+)"', text)
    total = (playlist.parent / init.group(1)).stat().st_size * 8 if init else 0
    rates = []
    for duration, name in re.findall(r"#EXTINF:([\d.]+),\s*\n([^#\s][^\n]*)", text):
        bits = (playlist.parent / name).stat().st_size * 8
        total += bits
        rates.append(bits / float(duration))
    return total, rates


def main(seconds: int = 30) -> None:
    config = PipelineConfig()
    work = Path(tempfile.mkdtemp(prefix="bitrate-accuracy-"))
    try:
        clip = make_clip(work / "camera.mp4", seconds, "1280x720", "camera")
        out = work / "out"
        transcode(clip, out, config)
        master = (out / "master.m3u8").read_text().splitlines()
        audio_bits, audio_rates = rendition_bits(out / "audio/index.m3u8")
        rows, passed = [], True
        for line, uri in zip(master, master[1:], strict=False):
            if not line.startswith("#EXT-X-STREAM-INF:"):
                continue
            declared_average = int(re.search(r"AVERAGE-BANDWIDTH=(\d+)", line).group(1))
            declared_peak = int(re.search(r"[:,]BANDWIDTH=(\d+)", line).group(1))
            bits, rates = rendition_bits(out / uri)
            if not uri.startswith("audio/"):
                bits += audio_bits
                rates = [
                    rate + audio_rate for rate, audio_rate in zip(rates, audio_rates, strict=False)
                ]
            average = bits / played_seconds(out / uri)
            error = average / declared_average - 1
            passed &= abs(error) <= 0.10
            rows.append([uri, declared_average, round(average), f"{error:+.1%}", declared_peak,
                         round(max(rates[:-1] or rates))])  # fmt: skip
        print(f"{seconds} s 720p30 camera-like clip, preset {config.preset}\n")
        print(table(["variant", "declared avg", "measured avg", "error", "declared peak",
                     "max full-segment rate"], rows))  # fmt: skip
        print(f"\nEvery average within 10 % of declared: {'PASS' if passed else 'FAIL'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
