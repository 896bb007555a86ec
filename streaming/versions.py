"""Published output versions: storing a finished ladder, re-captioning it, and removing it.

A version lives under `videos/<id>/<version>/` and is never changed once the video points at
it, so segments can be cached for ever; the video switches to a new version only after every
file of it is stored, and the files the old version alone used are deleted afterwards.
"""

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from streaming.access import changes_need_approval
from streaming.conf import work_dir
from streaming.models import Video, VideoStatus
from streaming.pipeline import playlists
from streaming.pipeline.download import DOWNLOAD
from streaming.pipeline.run import CAPTIONS_DIR, MASTER, CaptionInput, Result, write_captions
from streaming.pipeline.trim_playlists import relative_to

# Two caption edits saved at the same moment: the loser rebuilds on the winner's version.
CAPTION_PUBLISH_ATTEMPTS = 3
# The folder inside a `scratch` folder that holds what a new version stores.
OUT = "out"


def publish_version(video: Video, out_dir: Path, result: Result, claim=None) -> bool:
    """Store a complete pipeline output as the video's next version and switch to it (or hold
    it for approval, see `publish_or_hold`).

    `claim` is the job's hold on the video (`jobs.ProgressReporter`): it is renewed while files
    upload, and the switch happens only if it still holds, so a job taken for dead and
    recovered elsewhere cannot publish over the new attempt. False if it no longer held.
    """
    prefix = reserve_prefix(video.pk)
    # A trimmed video stays trimmed: the new ladder becomes its full length (see streaming.trim).
    from streaming.trim import keep_trim

    with undone_on_failure() as stored:
        for relative in result.files:
            stored.append(store(prefix + relative, out_dir / relative))
            if claim is not None:
                claim.keep_alive()
        download = out_dir / DOWNLOAD
        manifest = {
            "files": stored,
            "variants": result.variants_manifest(),
            "download_size": download.stat().st_size if download.exists() else None,
            "media_prefix": prefix,
            "captions": caption_tracks((out_dir / MASTER).read_text()),
        }
        version_fields = {
            "duration": result.duration,
            "width": result.width,
            "height": result.height,
            "has_video": result.has_video,
        }
        prefix, manifest, version_fields = keep_trim(video.pk, prefix, manifest, version_fields)
    if not publish_or_hold(video.pk, prefix, manifest, version_fields, claim=claim):
        delete_files(manifest["files"])
        return False
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.READY, progress=100, eta_seconds=None, error_message="", error_detail=""
    )
    return True


def caption_tracks(master: str) -> list[dict]:
    """The caption tracks a master playlist of ours declares: language, label, WebVTT file."""
    tracks = []
    for line in master.splitlines():
        if line.startswith("#EXT-X-MEDIA:TYPE=SUBTITLES"):
            attributes = dict(re.findall(r'([A-Z-]+)="([^"]*)"', line))
            tracks.append(
                {
                    "language": attributes["LANGUAGE"],
                    "label": attributes["NAME"],
                    "uri": attributes["URI"].removesuffix(".m3u8") + ".vtt",
                }
            )
    return tracks


def caption_inputs(video: Video, workdir: Path) -> list[CaptionInput]:
    """The video's caption tracks copied into `workdir` for the pipeline."""
    captions = []
    for caption in video.captions.order_by("language"):
        path = workdir / f"caption-{caption.language}.vtt"
        with caption.file.open("rb") as source:
            path.write_bytes(source.read())
        captions.append(
            CaptionInput(caption.language, caption.label or caption.get_language_display(), path)
        )
    return captions


def caption_state(video: Video) -> list[tuple[str, str, str]]:
    """What the published captions depend on: a change means the master must be rewritten."""
    return list(video.captions.order_by("language").values_list("language", "label", "file"))


def publish_captions(video_id: int) -> bool:
    """Give a published video a new version whose master lists its current captions.

    The ladder is not encoded again: the new master points at the media the earlier version
    stored, by relative URI, so captioning an hour-long recording costs kilobytes, not a
    transcode, and viewers keep watching throughout. Returns False when there is nothing
    published yet (the coming transcode reads the captions itself).
    """
    for _attempt in range(CAPTION_PUBLISH_ATTEMPTS):
        video = Video.objects.get(pk=video_id)
        if not video.output_prefix:
            return False
        if _try_publish_captions(video):
            return True
    raise RuntimeError(f"video {video_id} kept changing while its captions were published")


def store_captions_over(
    video: Video, prefix: str, ladder_prefix: str, ladder_master: str, captions, duration: float
) -> tuple[list[str], str]:
    """Store under `prefix` the `captions(workdir)` files and a master over the ladder stored
    under `ladder_prefix` (by relative URI: no media is copied). Returns the names stored and
    the master; what was stored is deleted again if a step fails."""
    with undone_on_failure() as stored, scratch("captions", video) as workdir:
        out = workdir / OUT
        tracks = write_captions(out, captions(workdir), duration)
        store_folder(out, prefix, stored)
        rebase = relative_to(ladder_prefix, prefix)
        master = playlists.relink_master(ladder_master, rebase, tracks)
        stored.append(_store_bytes(prefix + MASTER, master.encode("utf-8")))
    return stored, master


def _try_publish_captions(video: Video) -> bool:
    old_prefix = video.output_prefix
    prefix = reserve_prefix(video.pk)
    with default_storage.open(old_prefix + MASTER, "rb") as handle:
        old_master = handle.read().decode("utf-8")

    def captions(workdir: Path) -> list[CaptionInput]:
        found = caption_inputs(video, workdir)
        if video.output_manifest.get("trim"):
            # Staff edit captions on the whole recording's timeline (see streaming.trim).
            from streaming.trim import shift_caption_inputs, trim_range

            found = shift_caption_inputs(found, *trim_range(video))
        return found

    stored, master = store_captions_over(
        video, prefix, old_prefix, old_master, captions, video.duration or 0
    )
    own_files = {old_prefix + MASTER}
    kept = [
        name
        for name in video.output_manifest.get("files", [])
        if name not in own_files and not name.startswith(old_prefix + CAPTIONS_DIR + "/")
    ]
    manifest = {
        **video.output_manifest,
        "files": kept + stored,
        "media_prefix": video.media_prefix,
        "captions": caption_tracks(master),
    }
    if not publish_or_hold(video.pk, prefix, manifest, {}, expected_prefix=old_prefix):
        delete_files(stored)
        return False
    return True


def reserve_prefix(video_id: int) -> str:
    """A storage prefix no other job of this video will use: the next version number."""
    with transaction.atomic():
        version = (
            Video.objects.select_for_update().values_list("version", flat=True).get(pk=video_id)
        )
        Video.objects.filter(pk=video_id).update(version=version + 1)
    return f"videos/{video_id}/{version + 1}/"


def publish_or_hold(
    video_id: int,
    prefix: str,
    manifest: dict,
    fields: dict,
    expected_prefix: str | None = None,
    claim=None,
) -> bool:
    """Switch to the new version, unless it changes what clients already watch and the person
    who asked for it may not publish the pages showing it: then it waits for an editor."""
    video = Video.objects.select_related("change_requested_by").get(pk=video_id)
    if changes_need_approval(video, video.change_requested_by):
        return _hold(video_id, prefix, manifest, fields, expected_prefix, claim)
    return switch(video_id, prefix, manifest, expected_prefix, claim=claim, **fields)


def _still_fits(current: Video, expected_prefix: str | None, claim) -> bool:
    """The version was built on what the video still shows, by a job that still holds it."""
    if expected_prefix is not None and current.output_prefix != expected_prefix:
        return False
    return claim is None or claim.holds(current)


def _hold(
    video_id: int,
    prefix: str,
    manifest: dict,
    fields: dict,
    expected_prefix: str | None,
    claim=None,
) -> bool:
    """Keep a complete version aside for approval; it replaces any earlier one still waiting."""
    with transaction.atomic():
        current = Video.objects.select_for_update().get(pk=video_id)
        if not _still_fits(current, expected_prefix, claim):
            return False
        Video.objects.filter(pk=video_id).update(
            pending_version={
                "prefix": prefix,
                "manifest": manifest,
                "fields": fields,
                "base": current.output_prefix,
            },
            pending_requested_by=current.change_requested_by,
            pending_since=timezone.now(),
            change_requested_by=None,
        )
    in_use = set(manifest["files"]) | set(current.output_manifest.get("files", []))
    delete_files(name for name in _pending_files(current) if name not in in_use)
    return True


def switch(
    video_id: int,
    prefix: str,
    manifest: dict,
    expected_prefix: str | None = None,
    claim=None,
    **fields,
) -> bool:
    """Point the video at a stored version and delete what only the replaced one used.

    With `expected_prefix`, only if the video still shows the version the new one was built on;
    with `claim`, only if the job that built it still holds the video. A version waiting for
    approval was built on the replaced one, so it goes too.
    """
    with transaction.atomic():
        current = Video.objects.select_for_update().get(pk=video_id)
        if not _still_fits(current, expected_prefix, claim):
            return False
        Video.objects.filter(pk=video_id).update(
            output_prefix=prefix,
            output_manifest=manifest,
            processed_at=timezone.now(),
            change_requested_by=None,
            pending_version={},
            pending_requested_by=None,
            pending_since=None,
            **fields,
        )
    in_use = set(manifest["files"])
    replaced = current.output_manifest.get("files", []) + _pending_files(current)
    delete_files(name for name in replaced if name not in in_use)
    return True


def _pending_files(video: Video) -> list[str]:
    return video.pending_version.get("manifest", {}).get("files", [])


def delete_files(names) -> None:
    for name in names:
        default_storage.delete(name)


@contextmanager
def undone_on_failure() -> Iterator[list[str]]:
    """A list for the names a block stores; they are deleted again if the block fails, so a
    version that could not be finished leaves no files behind."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        delete_files(stored)
        raise


@contextmanager
def scratch(label: str, video: Video) -> Iterator[Path]:
    """A scratch folder under the work dir, with an empty `OUT` folder for a version's files."""
    with tempfile.TemporaryDirectory(prefix=f"{label}-{video.pk}-", dir=work_dir()) as tmp:
        folder = Path(tmp)
        (folder / OUT).mkdir()
        yield folder


def store_folder(folder: Path, prefix: str, stored: list[str]) -> None:
    """Store every file under `folder` at the same path under `prefix`, adding each name to
    `stored` as it lands; a master playlist goes last, so it never names a missing file."""
    files = (p for p in folder.rglob("*") if p.is_file())
    for path in sorted(files, key=lambda p: (p.name == MASTER, p)):
        stored.append(store(prefix + path.relative_to(folder).as_posix(), path))


def store(name: str, path: Path) -> str:
    """Save the local file `path` as exactly `name`; a storage that would rename it is an error."""
    with path.open("rb") as handle:
        return _saved_as(name, default_storage.save(name, File(handle)))


def _store_bytes(name: str, data: bytes) -> str:
    return _saved_as(name, default_storage.save(name, ContentFile(data)))


def _saved_as(wanted: str, name: str) -> str:
    if name != wanted:
        default_storage.delete(name)
        raise RuntimeError(f"storage renamed {wanted} to {name}")
    return name
