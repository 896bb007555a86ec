"""The archive's poster, offline MP4 and storyboard, made from the recorded segments as they are.

Nothing is encoded again: the poster decodes one segment, the MP4 is a remux (`-c copy`) and the
storyboard decodes only the keyframes of that MP4. Each packager run starts its timestamps at
zero, so the MP4 is made run by run and the parts are joined by ffmpeg's concat demuxer, which
moves each part to where the one before ended: one continuous file, sound kept with picture.
"""

import tempfile
from pathlib import Path

import ffmpeg

from streaming.live.archive_plan import Plan
from streaming.live.packaging import AUDIO, RUN_INIT
from streaming.live.playlists import recording
from streaming.pipeline import images
from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.download import remux_download
from streaming.pipeline.ffmpeg_run import OWN_OUTPUT, run_ffmpeg
from streaming.pipeline.ladder import Rung, download_rung


def poster_sources(plan: Plan) -> tuple[str, str]:
    """(init segment, segment) for the poster: a third into the top rung's longest run."""
    top = plan.rungs[-1]
    playlist = max(
        (run.playlists[top] for run in plan.runs if top in run.shapes),
        key=lambda p: len(p.segments),
    )
    chosen = playlist.segments[int(len(playlist.segments) * images.POSTER_POSITION)]
    return playlist.init, chosen.uri


def make_poster(init: Path, segment: Path, target: Path, config: PipelineConfig) -> None:
    """`images.poster` joins the segment to the `init.mp4` beside it, as the packager names it."""
    if init == segment.parent / RUN_INIT:
        images.poster(segment.parent, [segment.name], target, config)
        return
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, RUN_INIT).write_bytes(init.read_bytes())
        Path(folder, segment.name).write_bytes(segment.read_bytes())
        images.poster(Path(folder), [segment.name], target, config)


def offline_rung(plan: Plan, config: PipelineConfig) -> str | None:
    """The rung of the offline MP4: the configured size among those every run wrote alike."""
    rungs = [_rung(plan, name) for name in plan.common_rungs()]
    chosen = download_rung(rungs, config)
    return chosen.name if chosen else None


def make_download(plan: Plan, rung: str, local: dict[str, Path], work: Path, target: Path) -> None:
    """The offline MP4 of `rung` and the sound over every run, continuous from start to end.

    `local` maps session-relative names to files ffmpeg can read.
    """
    video, sound = plan.tracks(rung), plan.tracks(AUDIO) if plan.has_audio else []
    parts = []
    for index, track in enumerate(video):
        part = target if len(video) == 1 else work / f"part-{track.run}.mp4"
        remux_download(
            _local_playlist(track, local, work / f"video-{track.run}.m3u8"),
            _local_playlist(sound[index], local, work / f"audio-{track.run}.m3u8")
            if sound
            else None,
            part,
        )
        parts.append(part)
    if len(parts) > 1:
        listing = work / "parts.txt"
        listing.write_text("".join(f"file {_quoted(part)}\n" for part in parts))
        joined = ffmpeg.input(str(listing), f="concat", safe=0, **OWN_OUTPUT)
        output = ffmpeg.output(joined, str(target), c="copy", map="0", movflags="+faststart")
        run_ffmpeg(output.overwrite_output(), timeout=600)


def make_storyboard(
    download: Path, duration: float, plan: Plan, rung: str, out: Path, config: PipelineConfig
) -> list[str]:
    """Thumbnails from the continuous MP4 (the joined playlists restart their clocks)."""
    shape = plan.shape(rung)
    return images.storyboard(download, duration, (shape.width, shape.height), out, config)


def _local_playlist(track, local: dict[str, Path], path: Path) -> Path:
    path.write_text(recording([track], 2, uri=lambda name: str(local[name])))
    return path


def _rung(plan: Plan, name: str) -> Rung:
    shape = plan.shape(name)
    return Rung(name=name, width=shape.width, height=shape.height, max_kbps=0, fps=shape.fps)


def _quoted(path: Path) -> str:
    """A path in the concat demuxer's list syntax."""
    return "'" + str(path).replace("'", "'\\''") + "'"
