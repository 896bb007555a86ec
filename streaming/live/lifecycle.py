"""How a live session ends: after the grace period, at an editor's word, or on a failure.

Ending only changes the session's row; the packager supervisor sees it, stops what still runs,
and queues the archive once every run has closed its files.
"""

import logging
from datetime import datetime

from streaming.models import LiveSession, LiveState

logger = logging.getLogger("streaming.live")

RUNNING = (LiveState.SCHEDULED, LiveState.LIVE)


def end_session(session_id: int, now: datetime, why: str, by=None) -> bool:
    """Mark a scheduled or live session ended; False if it had already ended.

    `by` is the editor who ended it: that ending is final. One ended by the grace period may
    take its publisher back later in its window (`resume_session`).
    """
    ended = LiveSession.objects.filter(
        pk=session_id, state__in=RUNNING, ended_at__isnull=True
    ).update(state=LiveState.ENDED, ended_at=now, ended_by=by)
    if ended:
        logger.info("Session %s ended: %s", session_id, why)
    return bool(ended)


def fail_session(session_id: int, now: datetime, reason: str) -> bool:
    """Mark a session failed with a reason editors understand (what was received is kept)."""
    failed = LiveSession.objects.filter(pk=session_id, state__in=RUNNING).update(
        state=LiveState.FAILED, ended_at=now, failure_reason=reason
    )
    if failed:
        logger.warning("Session %s failed: %s", session_id, reason)
    return bool(failed)


def resume_session(session_id: int, now: datetime) -> bool:
    """An archived session's publisher came back after the grace period, still in its window:
    the session is live again, and its next recording is a new video (the first one stays).

    Only once its archive is complete (its live folder is gone then), and never after an
    editor ended it.
    """
    resumed = LiveSession.objects.filter(
        pk=session_id, state=LiveState.ARCHIVED, ended_by__isnull=True
    ).update(state=LiveState.LIVE, ended_at=None, archive_queued_at=None, video=None)
    if resumed:
        logger.info(
            "Session %s resumed after its grace period: a new recording follows", session_id
        )
    return bool(resumed)
