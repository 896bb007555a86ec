"""Asking for a video to be processed: the one place that enqueues the pipeline task."""

from django.db import transaction

from streaming.models import Video, VideoStatus


def request_processing(video: Video) -> None:
    """Mark the video queued and enqueue its processing once the transaction commits."""
    from streaming.tasks import process_video

    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.QUEUED, progress=0, eta_seconds=None, error_message="", error_detail=""
    )
    video.status = VideoStatus.QUEUED
    transaction.on_commit(lambda: process_video.enqueue(video.pk))
