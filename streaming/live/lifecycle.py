"""How a live session ends: after the grace period, at an editor's word, or on a failure.

Ending only changes the session's row; the packager supervisor sees it, stops what still runs,
and queues the archive once every run has closed its files.
"""

import logging
from datetime import datetime

from django.db.models import Q

from streaming.models import LiveSession, LiveState

logger = logging.getLogger("streaming.live")

RUNNING = (LiveState.SCHEDULED, LiveState.LIVE)


def end_session(session_id: int, now: datetime, why: str) -> bool:
    """Mark a scheduled or live session ended; False if it had already ended."""
    ended = (
        LiveSession.objects.filter(pk=session_id, state__in=RUNNING)
        .filter(Q(ended_at__isnull=True))
        .update(state=LiveState.ENDED, ended_at=now)
    )
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
