"""Asking for work on a video: the one place that enqueues the media engine's tasks."""

from django.db import transaction

from streaming.models import Video, VideoStatus


def request_processing(video: Video, requested_by=None) -> None:
    """Mark the video queued and enqueue its processing once the transaction commits.

    `requested_by` is the person asking (from the admin): whether the new version needs an
    editor's approval depends on who asked. A retry of the same work keeps the earlier asker.
    """
    from streaming.tasks import process_video

    fields = {"change_requested_by": requested_by} if requested_by else {}
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.QUEUED,
        progress=0,
        eta_seconds=None,
        error_message="",
        error_detail="",
        **fields,
    )
    video.status = VideoStatus.QUEUED
    transaction.on_commit(lambda: process_video.enqueue(video.pk))


def request_caption_publish(video: Video, requested_by=None) -> None:
    """Rewrite the published master with the current captions once the transaction commits.

    While the video is queued or processing, the running job notices the change itself.
    """
    from streaming.tasks import publish_captions

    if requested_by:
        Video.objects.filter(pk=video.pk).update(change_requested_by=requested_by)
    transaction.on_commit(lambda: publish_captions.enqueue(video.pk))
