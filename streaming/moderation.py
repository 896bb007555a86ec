"""Approving or rejecting a change to a video that clients already watch.

A held version (see `versions.publish_or_hold`) is complete in storage; approving switches to it
in one step. Rejecting deletes it and puts the caption working copies back to what clients see,
so the edit form shows the published captions again and no later change publishes the rejected
ones by accident.
"""

from django.core.files.storage import default_storage
from django.db import transaction

from streaming.models import Caption, Video
from streaming.pipeline.captions import Cue, parse
from streaming.versions import delete_files, switch


def approve(video: Video) -> bool:
    """Publish the waiting version; False if there is none or it no longer fits."""
    pending = video.pending_version
    if not pending:
        return False
    switched = switch(
        video.pk, pending["prefix"], pending["manifest"], pending["base"], **pending["fields"]
    )
    if not switched:
        reject(video)
    return switched


def reject(video: Video) -> None:
    with transaction.atomic():
        current = Video.objects.select_for_update().get(pk=video.pk)
        pending = current.pending_version
        Video.objects.filter(pk=video.pk).update(
            pending_version={}, pending_requested_by=None, pending_since=None
        )
        restore_captions(current)
    if pending:
        published = set(current.output_manifest.get("files", []))
        delete_files(n for n in pending["manifest"]["files"] if n not in published)


def restore_captions(video: Video) -> None:
    """Make the caption tracks staff edit match the published version's."""
    published = {track["language"]: track for track in video.output_manifest.get("captions", [])}
    for caption in Caption.objects.filter(video=video).exclude(language__in=published):
        caption.delete()
    for language, track in published.items():
        with default_storage.open(video.output_prefix + track["uri"], "rb") as handle:
            cues = parse(handle.read())
        # A trimmed version's captions start at the cut; staff edit the whole recording's.
        offset = video.output_manifest.get("trim", {}).get("start", 0)
        cues = [Cue(c.start + offset, c.end + offset, c.text) for c in cues]
        caption = Caption.objects.filter(video=video, language=language).first()
        caption = caption or Caption(video=video, language=language)
        caption.label = track["label"]
        caption.store(cues)
