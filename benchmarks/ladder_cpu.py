"""CPU of the one-process ladder (decode once, split) against one ffmpeg process per rung.

Target: the one-process ladder uses at most 0.7x the CPU of per-rung processes. CPU seconds
are user + sys of the ffmpeg children (getrusage), so a busy machine changes the wall times, not
the ratio. Each per-rung process decodes the source itself and has the same encoder options
(`video_options`) as its rung in the one-process ladder; the first also encodes the sound.
Sources: `camera` (moving test card, heavy sensor noise) or `person` (a webcam-like talking
head, benchmarks/common.py PERSON_LIKE), both 1920x1080 at 30 fps.
Run: python benchmarks/ladder_cpu.py [seconds] [camera|person]
"""

import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from common import PERSON_LIKE_DESCRIPTION, ChildCpu, make_clip, person_clip, table

from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.graph import build_command, output_folders
from streaming.pipeline.ladder import choose_ladder
from streaming.pipeline.probe import probe


def encode(commands: list[list[str]], folders: list[Path]) -> ChildCpu:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    with ChildCpu() as cost:
        for command in commands:
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return cost


def main(seconds: int = 20, kind: str = "camera") -> None:
    config = PipelineConfig()
    work = Path(tempfile.mkdtemp(prefix="ladder-cpu-"))
    try:
        if kind == "person":
            source = person_clip(work / "person-1080p.mp4", seconds, 1920, 1080)
            described = f"{PERSON_LIKE_DESCRIPTION}, 1920x1080"
        else:
            source = make_clip(work / "camera-1080p.mp4", seconds, "1920x1080", "camera")
            described = "1080p30 camera-like clip (test card, sensor noise)"
        info = probe(source, config)
        rungs = choose_ladder(info, config)
        out = work / "out"
        folders = [out / name for name in output_folders(info, rungs)]
        together = encode([build_command(source, info, rungs, out, config)], folders)
        separate_commands = [
            build_command(source, replace(info, has_audio=sound), [rung], out, config)
            for rung, sound in zip(rungs, [info.has_audio] + [False] * len(rungs), strict=False)
        ]
        separate = encode(separate_commands, folders)
        presets = " ".join(f"{r.name}:{r.preset or config.preset}" for r in rungs)
        sound = " + audio" if info.has_audio else ""
        print(f"{seconds} s {described}; {len(rungs)} rungs{sound} ({presets})\n")
        print(
            table(
                ["layout", "processes", "CPU s", "wall s", "x real time"],
                [
                    ["one process, split", 1, f"{together.cpu:.1f}", f"{together.wall:.1f}",
                     f"{seconds / together.wall:.2f}"],
                    ["one process per rung", len(rungs), f"{separate.cpu:.1f}",
                     f"{separate.wall:.1f}", f"{seconds / separate.wall:.2f}"],
                ],
            )
        )  # fmt: skip
        ratio = together.cpu / separate.cpu
        print(f"\nCPU ratio one-process / per-rung: {ratio:.2f}x (target <= 0.70x): "
              f"{'PASS' if ratio <= 0.7 else 'FAIL'}")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]), *sys.argv[2:3])
