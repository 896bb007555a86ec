"""Trimming a published video without a transcode, and restoring its full length.

A trim is a new output version (see `streaming.versions`) whose media playlists list only the
kept segments of the full-length ladder, by relative URI, so no segment is copied or encoded:
a few kilobytes of playlists, the captions moved to the new start, the offline MP4 remuxed
(`-c copy`) and the storyboard track shifted. The full-length ladder and everything needed to
go back to it (its master playlist, measured rates and download size) stay in the version's
manifest under "trim", so "Restore full length" and a later trim of the same video start from
the whole recording again, and no database column is needed.
"""

import posixpath
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import ffmpeg
from django.core.files.storage import default_storage

from streaming.conf import pipeline_config, work_dir
from streaming.live import storage_copy
from streaming.models import Video
from streaming.pipeline import playlists
from streaming.pipeline.captions import parse, to_webvtt
from streaming.pipeline.download import DOWNLOAD
from streaming.pipeline.ffmpeg_run import OWN_OUTPUT, run_ffmpeg
from streaming.pipeline.images import POSTER, STORYBOARD_VTT
from streaming.pipeline.run import (
    CAPTIONS_DIR,
    MASTER,
    CaptionInput,
    describe,
    describe_audio,
    write_captions,
)
from streaming.pipeline.trim_playlists import (
    TrimRangeError,
    kept_indices,
    master_renditions,
    parse_media_playlist,
    relative_to,
    shift_cues,
    shift_storyboard,
    snap_to_grid,
    span,
    trimmed_playlist,
)
from streaming.versions import (
    OUT,
    caption_inputs,
    caption_tracks,
    delete_files,
    publish_or_hold,
    reserve_prefix,
    scratch,
    store_captions_over,
    store_folder,
    undone_on_failure,
)

TRIM = "trim"  # the manifest key of a trimmed version
PUBLISH_ATTEMPTS = 3
REMUX_TIMEOUT_SECONDS = 600

__all__ = ["TrimRangeError", "publish_trim", "restore_full_length", "trim_range"]


@dataclass(frozen=True)
class FullLength:
    """The whole recording as published before any trim: where its ladder is stored, its
    master playlist (URIs relative to `prefix`, no captions) and what the manifest said."""

    prefix: str
    master: str
    duration: float
    variants: list
    download_size: int | None


def trim_range(video: Video) -> tuple[float, float] | None:
    """The kept part of a trimmed video on the full recording's timeline, else None."""
    trim = video.output_manifest.get(TRIM)
    return (trim["start"], trim["end"]) if trim else None


def full_length(video: Video) -> FullLength:
    trim = video.output_manifest.get(TRIM)
    if trim:
        return FullLength(**trim["source"])
    with default_storage.open(video.output_prefix + MASTER, "rb") as handle:
        master = handle.read().decode("utf-8")
    rebase = relative_to(video.output_prefix, video.media_prefix)
    return FullLength(
        prefix=video.media_prefix,
        master=playlists.relink_master(master, rebase, []),
        duration=video.duration or 0.0,
        variants=video.output_manifest.get("variants", []),
        download_size=video.output_manifest.get("download_size"),
    )


def publish_trim(video_id: int, start: float, end: float, requested_by=None) -> bool:
    """Publish (or hold for approval) a version keeping `start`..`end` s of the full recording,
    widened to the 2 s keyframe grid. False when nothing is published yet. Raises
    `TrimRangeError` for a range that keeps nothing."""
    return _attempt(video_id, requested_by, lambda video: _build_trim(video, start, end))


def restore_full_length(video_id: int, requested_by=None) -> bool:
    """Publish (or hold) a version spanning the whole recording again; False if not trimmed."""
    video = Video.objects.get(pk=video_id)
    if not video.output_manifest.get(TRIM):
        return False
    return _attempt(video_id, requested_by, _build_full)


def _attempt(video_id: int, requested_by, build) -> bool:
    """Build on what the video shows now; a version published meanwhile means build again."""
    for _attempt in range(PUBLISH_ATTEMPTS):
        video = Video.objects.get(pk=video_id)
        if not video.output_prefix:
            return False
        if requested_by is not None:
            Video.objects.filter(pk=video_id).update(change_requested_by=requested_by)
        prefix, manifest, fields = build(video)
        if publish_or_hold(video_id, prefix, manifest, fields, expected_prefix=video.output_prefix):
            return True
        delete_files(name for name in manifest["files"] if name.startswith(prefix))
    raise RuntimeError(f"video {video_id} kept changing while its trim was published")


def _source_files(files: list[str], full: FullLength) -> list[str]:
    """The full-length ladder's files, kept by every trim so that a trim can be undone."""
    own = (full.prefix + MASTER, full.prefix + CAPTIONS_DIR + "/")
    return [name for name in files if name.startswith(full.prefix) and not name.startswith(own)]


def keep_trim(video_id: int, prefix: str, manifest: dict, fields: dict):
    """A newly processed full-length version, trimmed as the published one is (else as it is).

    Processing the video again (a pipeline change, a retry) then keeps what staff cut off; the
    new ladder becomes the full length that "Restore full length" brings back.
    """
    kept = trim_range(Video.objects.get(pk=video_id))
    if kept is None:
        return prefix, manifest, fields
    with default_storage.open(prefix + MASTER, "rb") as handle:
        master = handle.read().decode("utf-8")
    full = FullLength(
        prefix=prefix,
        master=playlists.relink_master(master, lambda uri: uri, []),
        duration=fields["duration"],
        variants=manifest["variants"],
        download_size=manifest.get("download_size"),
    )
    video = Video.objects.get(pk=video_id)
    trimmed = _build_trim(video, *kept, full=full, files=manifest["files"])
    delete_files(name for name in manifest["files"] if name not in trimmed[1]["files"])
    return trimmed[0], trimmed[1], {**fields, **trimmed[2]}


def _build_trim(video: Video, start: float, end: float, full=None, files=None):
    full = full or full_length(video)
    files = video.output_manifest.get("files", []) if files is None else files
    segment_seconds = pipeline_config().segment_seconds
    wanted = snap_to_grid(start, end, full.duration, segment_seconds)
    renditions = master_renditions(full.master)
    parsed = {
        r.uri: parse_media_playlist(storage_copy.read_text(default_storage, full.prefix + r.uri))
        for r in renditions
    }
    reference = next((r for r in renditions if not r.audio), renditions[0])
    cut_start, cut_end = span(
        parsed[reference.uri].durations, kept_indices(parsed[reference.uri].durations, *wanted)
    )
    sizes = storage_copy.sizes_under(default_storage, full.prefix)
    prefix = reserve_prefix(video.pk)
    with undone_on_failure() as stored, scratch("trim", video) as work:
        out = work / OUT
        variants, audio = [], None
        for rendition in renditions:
            measured = _write_cut(
                parsed[rendition.uri],
                rendition.uri,
                full,
                prefix,
                sizes,
                cut_start,
                cut_end,
                out,
            )
            if rendition.audio:
                audio = measured
            else:
                variants.append(
                    playlists.VideoVariant(
                        measured,
                        rendition.width,
                        rendition.height,
                        rendition.fps,
                        rendition.video_codec,
                    )
                )
        duration = round(max([v.playlist.duration for v in variants] + [_length(audio)]), 3)
        download_size = None
        if full.download_size is not None and full.prefix + DOWNLOAD in sizes:
            local = storage_copy.fetch(default_storage, [full.prefix + DOWNLOAD], work / "in")
            remux_cut(local[full.prefix + DOWNLOAD], cut_start, cut_end, out / DOWNLOAD)
            download_size = (out / DOWNLOAD).stat().st_size
        if full.prefix + STORYBOARD_VTT in sizes:
            board = storage_copy.read_text(default_storage, full.prefix + STORYBOARD_VTT)
            rebase = relative_to(full.prefix, prefix)
            (out / STORYBOARD_VTT).write_text(shift_storyboard(board, cut_start, cut_end, rebase))
        tracks = write_captions(out, _shifted_captions(video, work, cut_start, cut_end), duration)
        audio_codec = next((r.audio_codec for r in renditions if r.audio), "mp4a.40.2")
        (out / MASTER).write_text(playlists.master_playlist(variants, audio, tracks, audio_codec))
        if full.prefix + POSTER in sizes:
            stored += storage_copy.copy_within(
                default_storage, [(full.prefix + POSTER, prefix + POSTER)]
            )
        store_folder(out, prefix, stored)
        master = (out / MASTER).read_text()
    manifest = {
        "files": _source_files(files, full) + stored,
        "variants": [describe(v, audio) for v in variants]
        + ([describe_audio(audio)] if audio else []),
        "download_size": download_size,
        "media_prefix": prefix,
        "captions": caption_tracks(master),
        TRIM: {"start": round(cut_start, 3), "end": round(cut_end, 3), "source": asdict(full)},
    }
    return prefix, manifest, {"duration": duration}


def _write_cut(
    playlist, uri, full: FullLength, prefix, sizes, start, end, out
) -> playlists.Measured:
    """The kept part of one media playlist, written under `out`, measured from stored sizes."""
    folder = posixpath.dirname(uri)
    kept = kept_indices(playlist.durations, start, end)
    rebase = relative_to(full.prefix + folder, prefix + folder)
    target = out / uri
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(trimmed_playlist(playlist, kept, rebase))
    entries = playlist.entries[kept.start : kept.stop]

    def stored_size(name: str) -> int:
        return sizes[posixpath.normpath(posixpath.join(full.prefix + folder, name))]

    return playlists.Measured(
        uri,
        tuple(playlists.Segment(e.uri, e.duration, stored_size(e.uri)) for e in entries),
        stored_size(entries[0].init) if entries[0].init else 0,
    )


def remux_cut(download: Path, start: float, end: float, target: Path) -> None:
    """The offline MP4 cut on the keyframe grid, stream-copied (our own output, so trusted).

    The segment muxer cuts exactly at the keyframes of `start` and `end`, where an input seek
    with `-c copy` keeps a few frames more and an edit list; the parts around are dropped.
    """
    folder = Path(tempfile.mkdtemp(prefix="cut-", dir=work_dir()))
    times = [t for t in (start, end) if t > 0]
    output = ffmpeg.output(
        ffmpeg.input(str(download), **OWN_OUTPUT),
        str(folder / "part%d.mp4"),
        c="copy",
        f="segment",
        segment_times=",".join(f"{t:.3f}" for t in times),
        segment_format="mp4",
        segment_format_options="movflags=+faststart",
        reset_timestamps=1,
    )
    try:
        run_ffmpeg(output.overwrite_output(), timeout=REMUX_TIMEOUT_SECONDS)
        shutil.move(folder / f"part{1 if start > 0 else 0}.mp4", target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _shifted_captions(video: Video, work: Path, start: float, end: float) -> list[CaptionInput]:
    """The staff's caption files (on the full recording's timeline) moved to the cut's."""
    return shift_caption_inputs(caption_inputs(video, work), start, end)


def shift_caption_inputs(captions: list[CaptionInput], start: float, end: float):
    """Rewrite the copied caption files in place on the cut's timeline."""
    for caption in captions:
        cues = shift_cues(parse(caption.path.read_bytes()), start, end)
        caption.path.write_text(to_webvtt(cues))
    return captions


def _build_full(video: Video):
    """A version spanning everything: a master over the full-length ladder, like a caption
    version, with the captions as staff wrote them."""
    full = full_length(video)
    prefix = reserve_prefix(video.pk)
    stored, master = store_captions_over(
        video,
        prefix,
        full.prefix,
        full.master,
        lambda work: caption_inputs(video, work),
        full.duration,
    )
    manifest = {
        "files": _source_files(video.output_manifest.get("files", []), full) + stored,
        "variants": full.variants,
        "download_size": full.download_size,
        "media_prefix": full.prefix,
        "captions": caption_tracks(master),
    }
    return prefix, manifest, {"duration": full.duration}


def _length(measured: playlists.Measured | None) -> float:
    return measured.duration if measured else 0.0
