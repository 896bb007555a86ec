"""Bytes of our 360p rung against a PeerTube-style 360p encode, on footage of a person.

Issue 9's target: at equal or better SSIM, our 360p rung takes at most 0.55x the bytes of a
PeerTube-style encode. The reference is encoded with the options PeerTube's default VOD profile
gives libx264 (packages/ffmpeg: ffmpeg-default-transcoding-profile.ts, shared/presets.ts and
encoder-options.ts): `-preset veryfast -bf 16 -b_strategy 1`, no `-crf` (so x264's CRF 23),
`-maxrate` of its target bitrate and `-bufsize` of twice that, `-r fps`, `-g fps*2` (scene-cut
keyframes left on, x264's default High profile), `scale=w=-2:h=360` with ffmpeg's default
bicubic scaler, `-pix_fmt yuv420p`. The target bitrate (core-utils bitrate.ts) is 0.15 bit per
pixel at 360p of 360 x 360*aspect x fps: 778 kbit/s for this 4:3 clip at 30 fps (the 1.04
Mbit/s the issue names is the 16:9 figure; neither cap binds here, PeerTube's CRF 23 averages
about 240 kbit/s). The source is generated: a talking head as a phone films it, 640x480, 44 s
(benchmarks/common.py, PERSON_LIKE). Our rung is encoded as the pipeline encodes it (the graph's
own `rung_picture` and `video_options` of the 360p rung). SSIM (all planes, ffmpeg's `ssim`
filter) is measured for both against the same reference: the source scaled to 480x360 by
ffmpeg's default (bicubic) scaler, which is also what both encodes use.

PeerTube's 16 B-frames with the fast B-frame decision cost it bits on this clip, so the script
also encodes a stricter reference: the same options without `-bf 16 -b_strategy 1` (x264
veryfast's own 3 B-frames). Our ratio against that is printed too, so that a pass is not won
only by the reference's own choice.

The SSIMs differ, so the plain byte ratio is not quite "at equal SSIM": our rung is run around
its CRF and its bytes interpolated at the SSIM of the reference's default encode on our
quality-per-bit frontier; that ratio is the verdict. For reference, PeerTube's encode is also
swept over CRFs (same cap) and read at our rung's SSIM, where its frontier is steep.

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
# PeerTube's default VOD options for libx264 (see the docstring); the cap and GOP per rung.
PEERTUBE = {"preset": "veryfast", "bf": 16, "b_strategy": 1}
PEERTUBE_BITS_PER_PIXEL_360P = 0.15
# PeerTube-style below CRF 23 too, so that the frontier also reaches our rung's SSIM; our rung
# in single CRF steps near PeerTube's SSIM, where the linear interpolation is read.
PEERTUBE_CRFS = (21, 23, 25, 27, 29, 31, 33)
OUR_CRF_STEPS = (0, 1, 2, 3, 4, -2, -4)


def peertube_kbps(rung, source_width: int, source_height: int) -> float:
    """PeerTube's target (and cap) at 360p: bits per pixel x 360 x 360*aspect x fps."""
    aspect = max(source_width, source_height) / min(source_width, source_height)
    return (
        rung.short_side * rung.short_side * aspect * rung.fps * PEERTUBE_BITS_PER_PIXEL_360P / 1000
    )


def peertube_encode(
    source: Path, rung, cap_kbps: float, crf: int, target: Path, b_frames: bool = True
) -> ChildCpu:
    """PeerTube's encode of the rung at `crf`; without `b_frames`, x264 veryfast's own."""
    options = {
        **PEERTUBE,
        "crf": crf,
        "maxrate": f"{cap_kbps:.0f}k",
        "bufsize": f"{2 * cap_kbps:.0f}k",
        "r": rung.fps,
        "g": round(rung.fps * 2),
    }
    if not b_frames:
        del options["bf"], options["b_strategy"]
    args = [item for key, value in options.items() for item in (f"-{key}", str(value))]
    with ChildCpu() as cost:
        subprocess.run(
            ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(source),
             "-vf", f"fps={rung.fps},format=yuv420p,scale={rung.width}:{rung.height},setsar=1",
             "-c:v", "libx264", *args, "-pix_fmt", "yuv420p", "-an", str(target)],
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
        cap = peertube_kbps(rung, info.width, info.height)

        peertube = {}
        for crf in PEERTUBE_CRFS:
            target = work / f"peertube-{crf}.mp4"
            cost = peertube_encode(source, rung, cap, crf, target)
            peertube[crf] = (target.stat().st_size, ssim(target, source, rung), cost.cpu)
        target = work / "veryfast-23.mp4"
        cost = peertube_encode(source, rung, cap, 23, target, b_frames=False)
        strict = (target.stat().st_size, ssim(target, source, rung), cost.cpu)
        ours = {}
        for step in OUR_CRF_STEPS:
            crf = config.crf + step
            target = work / f"ours-{crf}.mp4"
            cost = encode_rung(source, rung, replace(config, crf=crf), target)
            ours[crf] = (target.stat().st_size, ssim(target, source, rung), cost.cpu)

        pt_bytes, pt_ssim, pt_cpu = peertube[23]
        our_bytes, our_ssim, our_cpu = ours[config.crf]
        preset = f"{rung.preset or config.preset} {rung.x264_params}".strip()
        pt_control = f"CRF 23, cap {cap:.0f}k, buf {2 * cap:.0f}k, GOP 2 s"

        def row(label, preset, control, size, quality, cpu):
            return [label, preset, control, size, f"{size * 8 / seconds / 1000:.0f}",
                    f"{quality:.4f}", f"{cpu:.1f}"]  # fmt: skip

        rows = [
            row("PeerTube-style", "veryfast", f"{pt_control}, 16 B-frames (b_strategy 1)",
                pt_bytes, pt_ssim, pt_cpu),
            row("stricter: same, x264's 3 B-frames", "veryfast", pt_control, *strict),
            row("ours (pipeline 360p rung)", preset,
                f"CRF {config.crf}, cap {rung.max_kbps}k, buf "
                f"{round(rung.max_kbps * config.vbv_seconds)}k, GOP 2 s",
                our_bytes, our_ssim, our_cpu),
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
        frontier = [(q, size) for size, q, _ in ours.values()]
        for label, (ref_bytes, ref_ssim, _) in (
            ("PeerTube's", (pt_bytes, pt_ssim, pt_cpu)),
            ("the stricter reference's", strict),
        ):
            at_theirs = kbps_at_ssim(frontier, ref_ssim)
            if not at_theirs:
                print(f"Our rung (cap {rung.max_kbps}k) reaches no higher than "
                      f"{max(q for q, _ in frontier):.4f} at CRF {min(ours)}: {label} SSIM "
                      f"{ref_ssim:.4f} is out of reach: FAIL")  # fmt: skip
                continue
            size, exact = at_theirs
            ratio = size / ref_bytes
            print(f"At {label} SSIM {ref_ssim:.4f}, our rung needs {'' if exact else '<= '}"
                  f"{size:.0f} bytes: ratio {ratio:.2f}x (target <= {TARGET_RATIO}x): "
                  f"{'PASS' if ratio <= TARGET_RATIO else 'FAIL'}")  # fmt: skip


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
