"""Deleting originals the retention settings no longer keep, to free the storage they hold.

A ready video's original (KOTIKANAVA_ORIGINAL_RETENTION_DAYS after it was last processed; 0
keeps it for ever) and a failed upload's (KOTIKANAVA_FAILED_UPLOAD_RETENTION_HOURS after its
upload or last attempt; 0 keeps it). Playback and trimming use the published ladder, so a ready
video stays as it is; only processing again needs the original, and the admin says it is gone
(`Video.original_deleted_at`). Run by the scheduler and by `manage.py apply_retention`.
"""

import logging
from datetime import timedelta
from pathlib import PurePosixPath

from django.db.models import Q
from django.utils import timezone

from streaming.conf import setting
from streaming.models import Video, VideoStatus
from streaming.removal import remove_stored

logger = logging.getLogger(__name__)


def delete_expired_originals(now=None) -> int:
    """Originals of ready videos processed longer ago than the retention period."""
    days = int(setting("ORIGINAL_RETENTION_DAYS") or 0)
    if days <= 0:
        return 0
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    expired = Video.objects.filter(status=VideoStatus.READY).filter(
        Q(processed_at__lt=cutoff) | Q(processed_at__isnull=True, created_at__lt=cutoff)
    )
    return _delete_originals(expired, now)


def delete_failed_uploads(now=None) -> int:
    """Originals of uploads whose processing failed and which never became playable."""
    hours = int(setting("FAILED_UPLOAD_RETENTION_HOURS") or 0)
    if hours <= 0:
        return 0
    now = now or timezone.now()
    cutoff = now - timedelta(hours=hours)
    failed = Video.objects.filter(
        status=VideoStatus.FAILED, output_prefix="", created_at__lt=cutoff
    ).filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=cutoff))
    return _delete_originals(failed, now)


def apply_retention(now=None) -> dict[str, int]:
    return {
        "originals": delete_expired_originals(now),
        "failed_uploads": delete_failed_uploads(now),
    }


def _delete_originals(videos, now) -> int:
    deleted = 0
    # Read first, then write: SQLite gives no isolation between a cursor and writes to its table.
    found = list(videos.exclude(original="").values_list("pk", "status", "original"))
    for pk, status, name in found:
        # The row first, and only if nothing changed meanwhile (Process again queues the video):
        # no job ever starts on an original that is being deleted.
        if not Video.objects.filter(pk=pk, status=status, original=name).update(
            original="", original_deleted_at=now
        ):
            continue
        folder = PurePosixPath(name).parent
        own_folder = [f"{folder}/"] if folder.parent == PurePosixPath("originals") else []
        try:
            remove_stored([name], own_folder)
        except Exception:  # storage down: log it, the next run finds no row to redo
            logger.exception("Video %s: its original %s could not be deleted", pk, name)
            continue
        logger.info("Video %s: original deleted after the retention period", pk)
        deleted += 1
    return deleted
