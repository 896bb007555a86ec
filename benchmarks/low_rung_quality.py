"""Picture per bit at the low rungs: x264 `veryfast` against the slower low-rung preset.

The 234p and 360p rungs are what a weak link plays, and they are cheap to encode, so they get a
slower preset (streaming.pipeline.config.LOW_RUNG_PRESET) and a mild temporal denoise
(streaming.pipeline.graph.LOW_RUNG_DENOISE); "veryfast" below is the rung without either. This
encodes a camera-like clip (640x480: a zooming fractal with fine detail, a moving test card, a
shaking frame and sensor noise) at both rungs with capped CRF, as the pipeline does, and prints
bitrate, SSIM against the source scaled to the rung, and CPU seconds. Bits saved at equal SSIM:
the low-rung encode is run at several CRFs and its bitrate interpolated at the SSIM `veryfast`
reaches at the configured CRF.
Then the whole ladder of a 60 s 720p camera clip before (every rung `veryfast`) and after, and
the listen-only variant's measured rates (fMP4 overhead included) against a 150 kbit/s link.
Run: python benchmarks/low_rung_quality.py [seconds]
"""

import re
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import ffmpeg
from common import ChildCpu, make_clip, table
from ladder_cpu import encode

from library.demo.media import voice
from streaming.pipeline.config import LOW_RUNG_PRESET, PipelineConfig
from streaming.pipeline.graph import build_command, output_folders, rung_picture, video_options
from streaming.pipeline.ladder import Rung, choose_ladder
from streaming.pipeline.playlists import measure
from streaming.pipeline.probe import probe

LOW_RUNGS = ("v234", "v360")
# The slower preset is swept over higher CRFs and, where the cap binds, lower caps, to find its
# bitrate at veryfast's SSIM: (CRF above the configured one, share of the rung's cap).
SWEEP = ((0, 1.0), (1, 1.0), (2, 1.0), (3, 1.0), (4, 1.0), (0, 0.9), (0, 0.8), (0, 0.7))
WEAK_LINK_KBPS = 150
CAMERA_LIKE = (
    "mandelbrot=s=800x600:r=30:maxiter=256:end_scale=0.02:end_pts=400,format=yuv420p[fractal];"
    "testsrc2=s=320x240:r=30[card];"
    "[fractal][card]overlay=x='240+200*sin(t/3)':y='180+120*cos(t/4)':shortest=1,"
    "crop=640:480:x='80+12*sin(t*0.7)':y='60+8*sin(t*0.9)',noise=alls=4:allf=t+u,"
    "trim=duration={seconds}"
)


def camera_like_clip(path: Path, seconds: int) -> Path:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y",
         "-filter_complex", CAMERA_LIKE.format(seconds=seconds),
         "-c:v", "libx264", "-preset", "ultrafast", "-crf", "14", "-pix_fmt", "yuv420p",
         str(path)],
        check=True,
    )  # fmt: skip
    return path


def encode_rung(source: Path, rung: Rung, config: PipelineConfig, target: Path) -> ChildCpu:
    """One rung as the pipeline encodes it (same filters and encoder options), into an MP4."""
    picture = rung_picture(
        ffmpeg.input(str(source)).video.filter("fps", fps=rung.fps).filter("format", "yuv420p"),
        rung,
    )
    command = (
        ffmpeg.output(picture, str(target), **video_options(rung, config))
        .global_args("-nostdin", "-loglevel", "error")
        .overwrite_output()
        .compile()
    )
    with ChildCpu() as cost:
        subprocess.run(command, check=True)
    return cost


def ssim(encoded: Path, source: Path, rung: Rung) -> float:
    """SSIM (all planes) of the encode against the source scaled to the rung by the same scaler."""
    graph = (
        f"[1:v]fps={rung.fps},format=yuv420p,scale={rung.width}:{rung.height}[ref];[0:v][ref]ssim"
    )
    done = subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-i", str(encoded), "-i", str(source),
         "-lavfi", graph, "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(re.findall(r"All:([\d.]+)", done.stderr)[-1])


def kbps(path: Path, seconds: float) -> float:
    return path.stat().st_size * 8 / seconds / 1000


def kbps_at_ssim(points: list[tuple[float, float]], target: float) -> tuple[float, bool] | None:
    """Bitrate at `target` SSIM on the best-quality-per-bit frontier of (ssim, kbps) points,
    linear between the two frontier points around it, and whether that is exact: when even the
    cheapest point beats `target`, its rate is an upper bound. None above the measured range."""
    frontier = []
    for quality, rate in sorted(points, key=lambda point: point[1]):
        if not frontier or quality > frontier[-1][0]:
            frontier.append((quality, rate))
    if frontier and frontier[0][0] >= target:
        return frontier[0][1], False
    for (low_ssim, low_kbps), (high_ssim, high_kbps) in zip(frontier, frontier[1:], strict=False):
        if low_ssim <= target <= high_ssim:
            share = (target - low_ssim) / (high_ssim - low_ssim)
            return low_kbps + share * (high_kbps - low_kbps), True
    return None


def quality_table(work: Path, seconds: int, config: PipelineConfig) -> None:
    source = camera_like_clip(work / "camera-like-480p.mp4", seconds)
    info = probe(source, config)
    rows = []
    for rung in (r for r in choose_ladder(info, config) if r.name in LOW_RUNGS):
        fast = replace(rung, preset="veryfast", denoise=False, x264_params="")
        slow = replace(rung, preset=rung.preset or LOW_RUNG_PRESET)
        runs = [(fast, config.crf, 1.0)]
        runs += [(slow, config.crf + step, share) for step, share in SWEEP]
        results = {}
        for candidate, crf, share in runs:
            capped = replace(candidate, max_kbps=round(rung.max_kbps * share))
            target = work / f"{rung.name}-{candidate.preset}-{crf}-{capped.max_kbps}.mp4"
            cost = encode_rung(source, capped, replace(config, crf=crf), target)
            rate = kbps(target, info.duration)
            results[(candidate.preset, crf, capped.max_kbps)] = (
                rate, ssim(target, source, rung), cost.cpu,
            )  # fmt: skip
            target.unlink()
        base_rate, base_ssim, base_cpu = results[("veryfast", config.crf, rung.max_kbps)]
        curve = [(s, r) for (preset, *_), (r, s, _) in results.items() if preset == slow.preset]
        at_equal = kbps_at_ssim(curve, base_ssim)
        saved = "out of range"
        if at_equal:
            rate, exact = at_equal
            saved = ("" if exact else "at least ") + f"{1 - rate / base_rate:.0%}"
        for (preset, crf, cap), (rate, quality, cpu) in results.items():
            if crf == config.crf and cap == rung.max_kbps:
                rows.append([
                    preset, rung.name, crf, f"{rate:.0f}", f"{quality:.4f}", f"{cpu:.1f}",
                    f"{cpu / base_cpu:.2f}x", "-" if preset == "veryfast" else saved,
                ])  # fmt: skip
        print(f"{rung.name} {slow.preset} sweep (CRF, cap kbit/s: kbit/s, SSIM):")
        for (preset, crf, cap), (rate, quality, _) in results.items():
            if preset == slow.preset:
                print(f"  CRF {crf}, cap {cap}: {rate:.0f}, {quality:.4f}")
    print(f"\n{seconds} s 640x480 camera-like clip, capped CRF {config.crf}\n")
    print(table(["preset", "rung", "CRF", "kbit/s", "SSIM", "CPU s", "CPU vs veryfast",
                 "bits saved at equal SSIM"], rows))  # fmt: skip


def ladder_table(work: Path, config: PipelineConfig) -> None:
    """The whole ladder in its one ffmpeg process, every rung `veryfast` against the default."""
    source = make_clip(work / "camera-720p-60s.mp4", 60, "1280x720", "camera")
    info = probe(source, config)
    before = replace(
        config,
        rungs=tuple(replace(r, preset="", denoise=False, x264_params="") for r in config.rungs),
    )
    out = work / "ladder"
    rows, costs = [], []
    for label, candidate in (
        ("before: all veryfast", before),
        ("after: low rungs slower, denoised", config),
    ):
        rungs = choose_ladder(info, candidate)
        folders = [out / name for name in output_folders(info, rungs)]
        cost = encode([build_command(source, info, rungs, out, candidate)], folders)
        costs.append(cost.cpu)
        presets = " ".join(f"{r.name}:{r.preset or candidate.preset}" for r in rungs)
        rows.append([label, presets, f"{cost.cpu:.1f}", f"{cost.wall:.1f}"])
    print("\nWhole ladder of a 60 s 720p30 camera-like clip, one ffmpeg process\n")
    print(table(["ladder", "presets", "CPU s", "wall s"], rows))
    print(f"\nCPU increase for the slower low rungs: {costs[1] / costs[0] - 1:+.0%}")


def listen_only_table(work: Path, config: PipelineConfig) -> None:
    """The audio-only variant of a minute of speech-like voice, as the master declares it."""
    source = work / "voice.m4a"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", voice([(0, 25), (27, 60)], 60), "-ac", "2", "-c:a", "aac", "-b:a", "256k",
         str(source)],
        check=True,
    )  # fmt: skip
    info = probe(source, config)
    out = work / "listen-only"
    encode([build_command(source, info, [], out, config)], [out / "audio"])
    audio = measure(out / "audio" / "index.m3u8", "audio/index.m3u8")
    peak = audio.declared_peak_bps / 1000
    print(f"\nListen-only variant, AAC-LC {config.audio_kbps} kbit/s stereo, fMP4 segments\n")
    print(table(
        ["declared BANDWIDTH kbit/s", "average kbit/s", f"share of {WEAK_LINK_KBPS} kbit/s"],
        [[f"{peak:.1f}", f"{audio.average_bps / 1000:.1f}", f"{peak / WEAK_LINK_KBPS:.0%}"]],
    ))  # fmt: skip


def main(seconds: int = 40) -> None:
    config = PipelineConfig()
    with tempfile.TemporaryDirectory(prefix="low-rung-quality-") as folder:
        work = Path(folder)
        quality_table(work, seconds, config)
        ladder_table(work, config)
        listen_only_table(work, config)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
