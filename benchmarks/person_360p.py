"""Bytes of our 360p rung against a PeerTube-style 360p encode, on footage of a person.

Issue 9's target: at equal or better SSIM, our 360p rung takes at most 0.55x the bytes of a
PeerTube-style encode (x264 `veryfast`, default rate control: CRF 23 with a 1.04 Mbit/s cap and
a 2.08 Mbit buffer, a keyframe every 2 s as PeerTube sets with `-g fps*2`, same 480x360
size). There is no real footage here, so the source is generated: a talking head as a phone
films it, 640x480, 44 s (benchmarks/common.py, PERSON_LIKE). Our rung is encoded as the
pipeline encodes it (the graph's own `rung_picture`, so the same scaler and the low rungs'
temporal denoise, and `video_options` of the 360p rung: capped CRF, its preset, 2 s keyframe
grid). SSIM (all planes, ffmpeg's `ssim` filter) is measured for both against the source scaled
to 360p by the same scaler. PeerTube itself also passes `-bf 16 -b_strategy 1`; left out here
because on this clip it is no better per bit (CRF 23: 1 302 620 bytes at SSIM 0.9421, below
the frontier without it), so the reference is not made weaker by the omission.

The two SSIMs differ, so the plain byte ratio is not quite "at equal SSIM": our rung is run
around its CRF and its bytes interpolated at the SSIM of PeerTube's default encode on our
quality-per-bit frontier; that ratio is the verdict. For reference, the PeerTube-style encode is
also swept over CRFs (same cap) and read at our rung's SSIM, where its frontier is steep.

    .venv/bin/python benchmarks/person_360p.py [seconds]     # default: 44
"""

import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from common import PERSON_LIKE_DESCRIPTION, ChildCpu, person_clip, table
from low_rung_quality import encode_rung, kbps_at_ssim, ssim

from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.ladder import choose_ladder
from streaming.pipeline.probe import probe

TARGET_RATIO = 0.55
PEERTUBE = {"preset": "veryfast", "crf": 23, "maxrate": "1040k", "bufsize": "2080k", "g": 60}
# PeerTube-style below CRF 23 too, so that the frontier also reaches our rung's SSIM; our rung
# in single CRF steps near PeerTube's SSIM, where the linear interpolation is read.
PEERTUBE_CRFS = (21, 23, 25, 27, 29, 31, 33)
OUR_CRF_STEPS = (0, 1, 2, 3, 4, -2, -4)


def peertube_encode(source: Path, rung, crf: int, target: Path) -> ChildCpu:
    options = {**PEERTUBE, "crf": crf, "g": round(rung.fps * 2)}
    args = [item for key, value in options.items() for item in (f"-{key}", str(value))]
    with ChildCpu() as cost:
        subprocess.run(
            ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(source),
             "-vf", f"fps={rung.fps},format=yuv420p,scale={rung.width}:{rung.height},setsar=1",
             "-c:v", "libx264", *args, "-an", str(target)],
            check=True,
        )  # fmt: skip
    return cost


def main(seconds: int = 44) -> None:
    config = PipelineConfig()
    with tempfile.TemporaryDirectory(prefix="person-360p-") as folder:
        work = Path(folder)
        source = person_clip(work / "person-480p.mp4", seconds, 640, 480)
        info = probe(source, config)
        rung = next(r for r in choose_ladder(info, config) if r.name == "v360")

        peertube = {}
        for crf in PEERTUBE_CRFS:
            target = work / f"peertube-{crf}.mp4"
            cost = peertube_encode(source, rung, crf, target)
            peertube[crf] = (target.stat().st_size, ssim(target, source, rung), cost.cpu)
        ours = {}
        for step in OUR_CRF_STEPS:
            crf = config.crf + step
            target = work / f"ours-{crf}.mp4"
            cost = encode_rung(source, rung, replace(config, crf=crf), target)
            ours[crf] = (target.stat().st_size, ssim(target, source, rung), cost.cpu)

        pt_bytes, pt_ssim, pt_cpu = peertube[23]
        our_bytes, our_ssim, our_cpu = ours[config.crf]
        preset = rung.preset or config.preset
        rows = [
            ["PeerTube-style", "veryfast", "CRF 23, cap 1040k, buf 2080k, GOP 2 s", pt_bytes,
             f"{pt_bytes * 8 / seconds / 1000:.0f}", f"{pt_ssim:.4f}", f"{pt_cpu:.1f}"],
            ["ours (pipeline 360p rung)", preset,
             f"CRF {config.crf}, cap {rung.max_kbps}k, buf "
             f"{round(rung.max_kbps * config.vbv_seconds)}k, GOP 2 s", our_bytes,
             f"{our_bytes * 8 / seconds / 1000:.0f}", f"{our_ssim:.4f}", f"{our_cpu:.1f}"],
        ]  # fmt: skip
        print(f"Source: {seconds} s 640x480 {PERSON_LIKE_DESCRIPTION}; rung {rung.width}x"
              f"{rung.height} at {rung.fps} fps, video only, MP4\n")  # fmt: skip
        print(table(["encode", "preset", "rate control", "bytes", "kbit/s", "SSIM", "CPU s"],
                    rows))  # fmt: skip

        print("\nPeerTube-style swept over CRF (same cap), our rung around its CRF (its cap):")
        sweep = [["PeerTube-style", c, size, f"{q:.4f}"] for c, (size, q, _) in peertube.items()]
        sweep += [["ours", crf, size, f"{q:.4f}"] for crf, (size, q, _) in ours.items()]
        print(table(["encode", "CRF", "bytes", "SSIM"], sweep))

        plain = our_bytes / pt_bytes
        print(f"\nBytes ratio as configured: {plain:.2f}x, SSIM {our_ssim:.4f} vs {pt_ssim:.4f}"
              f" ({'equal or better' if our_ssim >= pt_ssim else 'lower'})")  # fmt: skip
        at_ours = kbps_at_ssim([(q, size) for size, q, _ in peertube.values()], our_ssim)
        if at_ours:
            size, exact = at_ours
            print(f"At our SSIM {our_ssim:.4f}, PeerTube-style (off its default CRF) needs "
                  f"{size:.0f} bytes: ratio {'' if exact else 'at most '}"
                  f"{our_bytes / size:.2f}x")  # fmt: skip
        else:
            print(f"Our SSIM {our_ssim:.4f} is above every PeerTube-style point measured")
        # The verdict is read where the reference is what the target names (PeerTube's default
        # rate control), not at a PeerTube CRF picked to meet our rung.
        at_theirs = kbps_at_ssim([(q, size) for size, q, _ in ours.values()], pt_ssim)
        if at_theirs:
            size, exact = at_theirs
            ratio = size / pt_bytes
            print(f"At PeerTube's SSIM {pt_ssim:.4f}, our rung needs {'' if exact else '<= '}"
                  f"{size:.0f} bytes: ratio {ratio:.2f}x (target <= {TARGET_RATIO}x): "
                  f"{'PASS' if ratio <= TARGET_RATIO else 'FAIL'}")  # fmt: skip
        else:
            print(f"Our rung (cap {rung.max_kbps}k) reaches no higher than "
                  f"{max(q for _, q, _ in ours.values()):.4f} at CRF "
                  f"{min(ours)}: PeerTube's SSIM {pt_ssim:.4f} is out of reach: FAIL")  # fmt: skip


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
