"""Poster and storyboard, made from our own finished HLS output rather than the upload.

A second, cheap ffmpeg run reads a rendition instead of the original: the original is untrusted
and its decode is the expensive part (a 4K phone video), while a 2 s segment of a rendition
decodes in milliseconds. Keeping them out of the main graph also keeps that graph simple.
"""

import math
import tempfile
from pathlib import Path

import ffmpeg

from streaming.pipeline.captions import vtt_timestamp
from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.errors import PipelineFailed
from streaming.pipeline.ffmpeg_run import OWN_OUTPUT, run_ffmpeg

POSTER = "poster.jpg"
STORYBOARD_VTT = "storyboard.vtt"
STORYBOARD_COLUMNS = 5
STORYBOARD_ROWS = 5
# Where the poster frame comes from: past the opening titles, before the end credits.
POSTER_POSITION = 0.3


def poster(rendition: Path, segments: list[str], target: Path, config: PipelineConfig) -> None:
    """The most representative frame (ffmpeg's `thumbnail` filter) of one segment a third in.

    ffmpeg 5.1 cannot seek inside an fMP4 HLS playlist, so the chosen segment is joined to its
    init segment (together a valid fragmented MP4).
    """
    chosen = segments[min(len(segments) - 1, int(len(segments) * POSTER_POSITION))]
    with tempfile.NamedTemporaryFile(suffix=".mp4") as fragment:
        for part in ("init.mp4", chosen):
            fragment.write((rendition / part).read_bytes())
        fragment.flush()
        frames = (
            ffmpeg.input(fragment.name, **OWN_OUTPUT)
            .video.filter("thumbnail", 30)
            .filter("scale", f"min({config.poster_width},iw)", -2)
        )
        output = ffmpeg.output(frames, str(target), vframes=1, update=1, **{"q:v": 4})
        run_ffmpeg(output.overwrite_output(), 120)
    if not target.exists():
        raise PipelineFailed(f"no poster from {rendition / chosen}")


def storyboard(
    video_playlist: Path,
    duration: float,
    size: tuple[int, int],
    out_dir: Path,
    config: PipelineConfig,
) -> list[str]:
    """Sprite sheets of thumbnails every few seconds and a WebVTT that maps times to them.

    Reads the lowest rung, decoding keyframes only: a 2 s GOP gives a frame for every interval.
    """
    width = config.storyboard_width
    height = max(2, round(width * size[1] / size[0] / 2) * 2)
    interval = config.storyboard_interval
    frames = (
        ffmpeg.input(str(video_playlist), skip_frame="nokey", **OWN_OUTPUT)
        .video.filter("fps", fps=f"1/{interval}", start_time=0, eof_action="pass")
        .filter("scale", width, height)
        .filter("tile", f"{STORYBOARD_COLUMNS}x{STORYBOARD_ROWS}")
    )
    pattern = out_dir / "storyboard_%03d.jpg"
    output = ffmpeg.output(frames, str(pattern), fps_mode="vfr", **{"q:v": 5})
    run_ffmpeg(output.overwrite_output(), 600)
    count = max(1, math.ceil(duration / interval))
    (out_dir / STORYBOARD_VTT).write_text(storyboard_vtt(count, interval, duration, width, height))
    per_sheet = STORYBOARD_COLUMNS * STORYBOARD_ROWS
    sheets = [f"storyboard_{n:03d}.jpg" for n in range(1, math.ceil(count / per_sheet) + 1)]
    missing = [name for name in sheets if not (out_dir / name).exists()]
    if missing:
        raise PipelineFailed(f"storyboard sheets missing: {missing}")
    return [*sheets, STORYBOARD_VTT]


def storyboard_vtt(count: int, interval: float, duration: float, width: int, height: int) -> str:
    """WebVTT thumbnail track: each cue names a sheet and the tile's `#xywh=` rectangle."""
    per_sheet = STORYBOARD_COLUMNS * STORYBOARD_ROWS
    lines = ["WEBVTT", ""]
    for index in range(count):
        start, end = index * interval, min(duration, (index + 1) * interval)
        sheet, cell = divmod(index, per_sheet)
        row, column = divmod(cell, STORYBOARD_COLUMNS)
        lines += [
            f"{vtt_timestamp(start)} --> {vtt_timestamp(end)}",
            f"storyboard_{sheet + 1:03d}.jpg#xywh={column * width},{row * height},{width},{height}",
            "",
        ]
    return "\n".join(lines)
