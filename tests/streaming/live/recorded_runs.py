"""Packager runs as the live packager leaves them, made with real ffmpeg from a synthetic source.

Each run is one ffmpeg writing every rung and the sound as fMP4 HLS (2 s segments, a keyframe on
every boundary, EVENT playlists with program date-times), into `r<N>/<rung>/` of a session folder.
"""

import subprocess
from pathlib import Path

SEGMENT_SECONDS = 2


def rung(short_side: int, width: int, height: int, fps: int = 15, max_kbps: int = 145) -> dict:
    return {
        "name": f"v{short_side}",
        "width": width,
        "height": height,
        "fps": fps,
        "max_kbps": max_kbps,
    }


def record_run(
    run_folder: Path, rungs: list[dict], seconds: float, ended: bool = True, preset="ultrafast"
) -> Path:
    """Write one run; `ended=False` drops `#EXT-X-ENDLIST` as a killed packager would."""
    top = max(rungs, key=lambda r: r["width"] * r["height"])
    fps = top["fps"]
    gop = round(fps * SEGMENT_SECONDS)
    split = "".join(f"[s{i}]" for i in range(len(rungs)))
    graph = [f"[0:v]split={len(rungs)}{split}"] + [
        f"[s{i}]scale={r['width']}:{r['height']},setsar=1[o{i}]" for i, r in enumerate(rungs)
    ]
    args = [
        "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size={top['width']}x{top['height']}:rate={fps}",
        "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000",
        "-t", str(seconds), "-filter_complex", ";".join(graph),
    ]  # fmt: skip
    for index, spec in enumerate(rungs):
        args += ["-map", f"[o{index}]", "-c:v", "libx264", "-preset", preset]
        args += ["-pix_fmt", "yuv420p", "-g", str(gop), "-keyint_min", str(gop)]
        args += ["-sc_threshold", "0", "-maxrate", f"{spec['max_kbps']}k"]
        args += ["-bufsize", f"{spec['max_kbps'] * 2}k", "-crf", "26"]
        args += _hls(run_folder / spec["name"], seconds)
    args += ["-map", "1:a", "-c:a", "aac", "-b:a", "56k", "-ac", "2"]
    args += _hls(run_folder / "audio", seconds)
    subprocess.run(args, check=True)
    if not ended:
        for playlist in run_folder.glob("*/index.m3u8"):
            text = playlist.read_text().replace("#EXT-X-ENDLIST\n", "")
            playlist.write_text(text)
    return run_folder


def _hls(folder: Path, seconds: float) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        "-t", str(seconds), "-f", "hls", "-hls_time", str(SEGMENT_SECONDS),
        "-hls_playlist_type", "event", "-hls_list_size", "0",
        "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
        "-hls_flags", "program_date_time+independent_segments",
        "-hls_segment_filename", str(folder / "seg_%05d.m4s"), str(folder / "index.m3u8"),
    ]  # fmt: skip
