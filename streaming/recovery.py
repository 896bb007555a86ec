"""Finding work that a crashed or restarted worker left behind, and queueing it again."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from streaming.models import Video, VideoStatus
from streaming.processing import request_processing

DEFAULT_STALL_SECONDS = 120


def requeue_stalled_videos() -> list[int]:
    """Queue again every video whose processing has sent no heartbeat for a while.

    A live job touches `heartbeat_at` every few seconds; a silent one belongs to a worker that
    died (killed, crashed, machine restarted). The pipeline writes each attempt to a fresh
    temporary folder and a new version prefix, so running it again is safe.
    """
    stall = getattr(settings, "KOTIKANAVA_STALL_SECONDS", DEFAULT_STALL_SECONDS)
    cutoff = timezone.now() - timedelta(seconds=stall)
    stalled = list(Video.objects.filter(status=VideoStatus.PROCESSING, heartbeat_at__lt=cutoff))
    for video in stalled:
        request_processing(video)
    return [video.pk for video in stalled]
