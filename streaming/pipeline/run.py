"""The pipeline's entry point: probe -> validate -> ladder -> one ffmpeg pass -> master playlist.

Everything is written to a staging folder first and moved into place only when complete, so a
refused or failed input leaves nothing behind, and a finished folder always has a whole ladder.
"""

import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from streaming.pipeline import images, limits, playlists, safety
from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.download import DOWNLOAD, remux_download
from streaming.pipeline.errors import PipelineFailed, rejected
from streaming.pipeline.graph import AUDIO_DIR, INIT_SEGMENT, PLAYLIST, build_command
from streaming.pipeline.ladder import choose_ladder, download_rung
from streaming.pipeline.probe import MediaInfo, probe
from streaming.pipeline.progress import ProgressCallback, ProgressParser
from streaming.pipeline.watch import OutputWatch, measure

MASTER = "master.m3u8"
CAPTIONS_DIR = "captions"
# The output must cover nearly all of the probed duration, or the upload was cut short.
MIN_COVERAGE = 0.9
# The encode's share of the progress bar; posters, storyboard and playlists take the rest.
ENCODE_SHARE = 0.95
# How long a stopped ffmpeg may take to close its files before it is killed.
STOP_GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class CaptionInput:
    language: str
    name: str
    path: Path  # a WebVTT file, already validated


@dataclass
class Result:
    """What was written: paths relative to out_dir, and each variant's measured rates."""

    duration: float
    has_video: bool
    width: int = 0
    height: int = 0
    files: list[str] = field(default_factory=list)
    variants: list[dict] = field(default_factory=list)
    master: str = MASTER
    poster: str | None = None
    storyboard: str | None = None
    download: str | None = None

    def variants_manifest(self) -> list[dict]:
        return self.variants


def transcode(
    source: Path,
    out_dir: Path,
    config: PipelineConfig,
    on_progress: ProgressCallback | None = None,
    captions: tuple | list = (),
) -> Result:
    """Turn one upload into an HLS ladder in `out_dir`, or raise and leave nothing there.

    Raises `MediaRejected` for uploads we will not process (staff can act on its message) and
    `PipelineFailed` when ffmpeg fails on an accepted upload. `captions` are validated WebVTT
    files as `CaptionInput`s or (language, name, path) tuples. `on_progress(percent, eta)` is
    called from this thread as the encode advances, and with 100 once everything is written.
    """
    info = probe(Path(source), config)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=out_dir.parent))
    try:
        result = _build(Path(source), info, staging, config, on_progress, captions)
        out_dir.mkdir(exist_ok=True)
        for name in sorted(staging.iterdir(), key=lambda p: p.name == MASTER):
            name.rename(out_dir / name.name)  # master.m3u8 last
        if on_progress:
            on_progress(100.0, 0.0)
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _build(source, info: MediaInfo, out: Path, config, on_progress, captions) -> Result:
    rungs = choose_ladder(info, config)
    bounds = limits.for_run(info.duration, [r.max_kbps for r in rungs], info.has_audio, config)
    for folder in [rung.name for rung in rungs] + ([AUDIO_DIR] if info.has_audio else []):
        (out / folder).mkdir()
    command = build_command(source, info, rungs, out, config)
    _run_ladder(command, out, info, bounds, config, on_progress)

    audio = (
        playlists.measure(out / AUDIO_DIR / PLAYLIST, f"{AUDIO_DIR}/{PLAYLIST}")
        if info.has_audio
        else None
    )
    variants = [
        playlists.VideoVariant(
            playlist=playlists.measure(out / rung.name / PLAYLIST, f"{rung.name}/{PLAYLIST}"),
            width=rung.width,
            height=rung.height,
            fps=rung.fps,
            video_codec=playlists.avc_codec_string(out / rung.name / INIT_SEGMENT),
        )
        for rung in rungs
    ]
    produced = max([v.playlist.duration for v in variants] + [audio.duration if audio else 0])
    if produced < info.duration * MIN_COVERAGE:
        raise rejected("truncated", f"output {produced:.1f} s of {info.duration:.1f} s")
    if limits.overran_claim(produced, bounds):
        raise rejected(
            "longer_than_claimed",
            f"output reached {produced:.1f} s (stopped at {bounds.seconds:.1f} s); "
            f"the file claims {info.duration:.1f} s",
        )

    if rungs:
        _images(out, produced, variants, rungs, config)
        download = download_rung(rungs, config)
        remux_download(
            out / download.name / PLAYLIST,
            out / AUDIO_DIR / PLAYLIST if info.has_audio else None,
            out / DOWNLOAD,
        )
    tracks = write_captions(out, captions, produced)
    (out / MASTER).write_text(playlists.master_playlist(variants, audio, tracks))

    top = rungs[-1] if rungs else None
    return Result(
        duration=round(produced, 3),
        has_video=bool(rungs),
        width=top.width if top else 0,
        height=top.height if top else 0,
        files=sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()),
        variants=[describe(v, audio) for v in variants]
        + ([describe_audio(audio)] if audio else []),
        poster=images.POSTER if rungs else None,
        storyboard=images.STORYBOARD_VTT if rungs else None,
        download=DOWNLOAD if rungs else None,
    )


def _run_ladder(
    command, out: Path, info: MediaInfo, bounds: limits.OutputLimits, config, on_progress
) -> None:
    """Run the one ffmpeg process, reporting progress; stop it when it runs too long, writes
    too much, or anything here fails. What it wrote is measured again once it is done."""
    report = _scaled(on_progress, ENCODE_SHARE) if on_progress else None
    parser = ProgressParser(info.duration, report)
    timeout = safety.transcode_timeout(bounds.seconds, config)

    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)
        stop = _Stopper(process)
        watchdog = threading.Timer(
            timeout, stop, ("timeout", f"ffmpeg stopped after {timeout:.0f} s")
        )
        overflow = OutputWatch(
            out, bounds, lambda detail: stop("too_much_output", detail), config.output_check_seconds
        )
        watchdog.start()
        try:
            with overflow:
                for line in process.stdout:
                    parser.feed(line)
                process.wait()
        except BaseException:
            process.kill()  # a failing progress callback must not leave ffmpeg running
            process.wait()
            raise
        finally:
            watchdog.cancel()
        if stop.reason:
            raise rejected(*stop.reason)
        if process.returncode != 0:
            stderr.seek(0)
            message = stderr.read().decode(errors="replace")[-2000:]
            raise PipelineFailed(message or f"ffmpeg exited with {process.returncode}")
    detail = limits.excess(measure(out), bounds)
    if detail:
        raise rejected("too_much_output", detail)


class _Stopper:
    """Stops ffmpeg once, remembering the first reason: SIGTERM lets it close its files,
    SIGKILL follows if it does not exit in time."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.reason: tuple[str, str] | None = None
        self._lock = threading.Lock()

    def __call__(self, code: str, detail: str) -> None:
        with self._lock:
            if self.reason:
                return
            self.reason = (code, detail)
        self.process.terminate()
        try:
            self.process.wait(STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _scaled(on_progress: ProgressCallback, share: float) -> ProgressCallback:
    return lambda percent, eta: on_progress(round(percent * share, 1), eta)


def _images(out: Path, duration: float, variants, rungs, config) -> None:
    best = variants[-1].playlist
    segments = [segment.uri for segment in best.segments]
    images.poster(out / rungs[-1].name, segments, out / images.POSTER, config)
    images.storyboard(
        out / rungs[0].name / PLAYLIST,
        duration,
        (rungs[0].width, rungs[0].height),
        out,
        config,
    )


def write_captions(out: Path, captions, duration: float) -> list[playlists.CaptionTrack]:
    """Each caption as a whole-file WebVTT with its own one-segment playlist under `out`."""
    tracks = []
    if captions:
        (out / CAPTIONS_DIR).mkdir()
    for number, caption in enumerate(captions, start=1):
        caption = caption if isinstance(caption, CaptionInput) else CaptionInput(*caption)
        # The language names the files; the number keeps two tracks of one language apart.
        stem = re.sub(r"[^A-Za-z0-9-]", "", caption.language) or "captions"
        if any(track.uri == f"{CAPTIONS_DIR}/{stem}.m3u8" for track in tracks):
            stem = f"{stem}-{number}"
        shutil.copyfile(caption.path, out / CAPTIONS_DIR / f"{stem}.vtt")
        text = playlists.write_subtitles_playlist(f"{stem}.vtt", duration)
        (out / CAPTIONS_DIR / f"{stem}.m3u8").write_text(text)
        tracks.append(
            playlists.CaptionTrack(caption.language, caption.name, f"{CAPTIONS_DIR}/{stem}.m3u8")
        )
    return tracks


def describe(variant: playlists.VideoVariant, audio) -> dict:
    """A variant as the manifest records it, its bit rates including the shared audio's."""
    return {
        "uri": variant.playlist.uri,
        "width": variant.width,
        "height": variant.height,
        "average_bps": variant.playlist.average_bps + (audio.average_bps if audio else 0),
        "peak_bps": variant.playlist.declared_peak_bps + (audio.declared_peak_bps if audio else 0),
    }


def describe_audio(audio: playlists.Measured) -> dict:
    """The audio rendition as the manifest records it."""
    return {"uri": audio.uri, "average_bps": audio.average_bps, "peak_bps": audio.declared_peak_bps}
