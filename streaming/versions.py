"""Published output versions: storing a finished ladder, re-captioning it, and removing it.

A version lives under `videos/<id>/<version>/` and is never changed once the video points at
it, so segments can be cached for ever; the video switches to a new version only after every
file of it is stored, and the files the old version alone used are deleted afterwards.
"""

import posixpath
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from streaming.models import Video, VideoStatus
from streaming.pipeline import playlists
from streaming.pipeline.download import DOWNLOAD
from streaming.pipeline.run import CAPTIONS_DIR, MASTER, CaptionInput, Result, write_captions

# Two caption edits saved at the same moment: the loser rebuilds on the winner's version.
CAPTION_PUBLISH_ATTEMPTS = 3


def publish_version(video: Video, out_dir: Path, result: Result) -> None:
    """Store a complete pipeline output as the video's next version and switch to it."""
    prefix = _reserve_prefix(video.pk)
    stored = [_store(prefix + relative, out_dir / relative) for relative in result.files]
    download = out_dir / DOWNLOAD
    _switch(
        video.pk,
        prefix,
        {
            "files": stored,
            "variants": result.variants_manifest(),
            "download_size": download.stat().st_size if download.exists() else None,
            "media_prefix": prefix,
        },
        duration=result.duration,
        width=result.width,
        height=result.height,
        has_video=result.has_video,
        status=VideoStatus.READY,
        progress=100,
        eta_seconds=None,
        error_message="",
        error_detail="",
    )


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


def _try_publish_captions(video: Video) -> bool:
    old_prefix = video.output_prefix
    prefix = _reserve_prefix(video.pk)
    with default_storage.open(old_prefix + MASTER, "rb") as handle:
        old_master = handle.read().decode("utf-8")

    def rebase(uri: str) -> str:
        return posixpath.relpath(posixpath.normpath(old_prefix + uri), prefix)

    stored = []
    with tempfile.TemporaryDirectory(prefix=f"captions-{video.pk}-", dir=settings.WORK_DIR) as tmp:
        workdir = Path(tmp)
        out = workdir / "out"
        out.mkdir()
        tracks = write_captions(out, caption_inputs(video, workdir), video.duration or 0)
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            stored.append(_store(prefix + str(path.relative_to(out)), path))
    master = playlists.relink_master(old_master, rebase, tracks)
    stored.append(_store_bytes(prefix + MASTER, master.encode("utf-8")))

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
    }
    if not _switch(video.pk, prefix, manifest, expected_prefix=old_prefix):
        delete_files(stored)
        return False
    return True


def _reserve_prefix(video_id: int) -> str:
    """A storage prefix no other job of this video will use: the next version number."""
    with transaction.atomic():
        version = (
            Video.objects.select_for_update().values_list("version", flat=True).get(pk=video_id)
        )
        Video.objects.filter(pk=video_id).update(version=version + 1)
    return f"videos/{video_id}/{version + 1}/"


def _switch(
    video_id: int, prefix: str, manifest: dict, expected_prefix: str | None = None, **fields
) -> bool:
    """Point the video at a stored version and delete what only the replaced one used.

    With `expected_prefix`, only if the video still shows the version the new one was built on.
    """
    with transaction.atomic():
        current = Video.objects.select_for_update().get(pk=video_id)
        if expected_prefix is not None and current.output_prefix != expected_prefix:
            return False
        Video.objects.filter(pk=video_id).update(
            output_prefix=prefix,
            output_manifest=manifest,
            processed_at=timezone.now(),
            **fields,
        )
    in_use = set(manifest["files"])
    delete_files(name for name in current.output_manifest.get("files", []) if name not in in_use)
    return True


def delete_files(names) -> None:
    for name in names:
        default_storage.delete(name)


def _store(name: str, path: Path) -> str:
    with path.open("rb") as handle:
        return _saved_as(name, default_storage.save(name, File(handle)))


def _store_bytes(name: str, data: bytes) -> str:
    return _saved_as(name, default_storage.save(name, ContentFile(data)))


def _saved_as(wanted: str, name: str) -> str:
    if name != wanted:
        default_storage.delete(name)
        raise RuntimeError(f"storage renamed {wanted} to {name}")
    return name
