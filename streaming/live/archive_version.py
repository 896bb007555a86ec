"""Storing a session's recording as a video version, shaped like a transcoded one.

The segments are copied inside the storage (`storage_copy`) to the same session-relative names
under the version's prefix (`r1/v360/seg_00003.m4s`), so a rung a run lacked costs no second copy
of its stand-in. Beside them, as in a pipeline version: `<rung>/index.m3u8` for every rung and
`audio/`, a measured `master.m3u8`, `poster.jpg`, the storyboard and `download.mp4`; only these
few small files are written here and uploaded, the master last.
"""

from dataclasses import dataclass
from pathlib import Path

from streaming.live import archive_media, storage_copy
from streaming.live.archive_plan import Plan
from streaming.live.packaging import AUDIO, RUN_PLAYLIST
from streaming.live.playlists import recording
from streaming.pipeline import images
from streaming.pipeline import playlists as hls
from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.download import DOWNLOAD
from streaming.pipeline.run import MASTER, describe, describe_audio
from streaming.versions import delete_files, store


@dataclass(frozen=True)
class StoredVersion:
    manifest: dict
    fields: dict  # duration, width, height, has_video, as `versions.switch` sets them


def build_version(
    storage, session_prefix: str, plan: Plan, prefix: str, work: Path, config: PipelineConfig
) -> StoredVersion:
    """Store every file of the version under `prefix`; on any failure delete what was stored."""
    stored = []
    try:
        pairs = [(session_prefix + name, prefix + name) for name in plan.files()]
        stored += storage_copy.copy_within(storage, pairs)
        out = work / "out"
        out.mkdir()
        local = _local_sources(storage, session_prefix, plan, work, config)
        variants, audio = _write_playlists(plan, out, local, config)
        duration = round(max([v.playlist.duration for v in variants] + [_length(audio)]), 3)
        download = _write_images_and_download(plan, out, local, duration, config)
        (out / MASTER).write_text(hls.master_playlist(variants, audio))
        for path in sorted(
            (p for p in out.rglob("*") if p.is_file()), key=lambda p: p.name == MASTER
        ):
            stored.append(store(prefix + path.relative_to(out).as_posix(), path))
    except BaseException:
        delete_files(stored)
        raise
    top = plan.shape(plan.rungs[-1]) if plan.rungs else None
    manifest = {
        "files": stored,
        "variants": [describe(v, audio) for v in variants]
        + ([describe_audio(audio)] if audio else []),
        "download_size": download.stat().st_size if download else None,
        "media_prefix": prefix,
        "captions": [],
    }
    fields = {
        "duration": duration,
        "width": top.width if top else 0,
        "height": top.height if top else 0,
        "has_video": bool(plan.rungs),
    }
    return StoredVersion(manifest, fields)


def _local_sources(storage, session_prefix, plan: Plan, work: Path, config) -> dict[str, Path]:
    """Files ffmpeg and the codec check read: every init segment, the poster's segment and the
    offline MP4's renditions. On a local disk these are the stored files themselves."""
    names = {playlist.init for run in plan.runs for playlist in run.playlists.values()}
    if plan.rungs:
        names.update(archive_media.poster_sources(plan))
        rung = archive_media.offline_rung(plan, config)
        for track in (plan.tracks(rung) if rung else []) + plan.tracks(AUDIO):
            names.update(s.uri for s in track.playlist.segments)
    fetched = storage_copy.fetch(storage, [session_prefix + n for n in names], work / "live")
    return {name: fetched[session_prefix + name] for name in names}


def _write_playlists(plan: Plan, out: Path, local, config):
    """Each rung's VOD playlist over every run (a discontinuity and the run's own init segment
    at each boundary), measured from the real sizes, with CODECS read from the init segments."""
    variants = []
    for rung in plan.rungs:
        uri = f"{rung}/{RUN_PLAYLIST}"
        _write_recording(plan, rung, out / uri, config)
        shape = plan.shape(rung)
        codecs = [hls.avc_codec_string(local[t.playlist.init]) for t in plan.tracks(rung)]
        variants.append(
            hls.VideoVariant(
                playlist=plan.measured(rung, uri),
                width=shape.width,
                height=shape.height,
                fps=shape.fps,
                video_codec=max(codecs, key=_level),
            )
        )
    audio = None
    if plan.has_audio:
        uri = f"{AUDIO}/{RUN_PLAYLIST}"
        _write_recording(plan, AUDIO, out / uri, config)
        audio = plan.measured(AUDIO, uri)
    return variants, audio


def _write_recording(plan: Plan, rung: str, path: Path, config) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The playlist sits in `<rung>/`, the segments under `r<N>/<rung>/` beside it.
    text = recording(plan.tracks(rung), config.segment_seconds, uri=lambda name: f"../{name}")
    path.write_text(text)


def _write_images_and_download(plan: Plan, out: Path, local, duration, config) -> Path | None:
    if not plan.rungs:
        return None
    init, segment = archive_media.poster_sources(plan)
    archive_media.make_poster(local[init], local[segment], out / images.POSTER, config)
    rung = archive_media.offline_rung(plan, config)
    if rung is None:
        return None  # no rung every run wrote at one size: an MP4 cannot change size midway
    download = out / DOWNLOAD
    parts = out.parent / "download-parts"
    parts.mkdir()
    archive_media.make_download(plan, rung, local, parts, download)
    archive_media.make_storyboard(download, duration, plan, rung, out, config)
    return download


def _level(codec: str) -> tuple[int, str]:
    """The highest H.264 level among a variant's runs decides what a player must decode."""
    return int(codec[-2:], 16), codec


def _length(measured: hls.Measured | None) -> float:
    return measured.duration if measured else 0.0
