"""Who may publish to a live session: the rules behind nginx-rtmp's callbacks.

nginx asks on every publish (`admit`), tells when a connection leaves (`publish_done`) and sends a
heartbeat while it streams (`update`). Connections are tracked by nginx's `clientid`, not by the
stream name: a refused second publisher on a busy key still fires `publish_done` with the same
name, and that must not end the running publisher's row. Refusals are logged with the reason and
the address, never the key.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q

from streaming.conf import setting
from streaming.live import lifecycle
from streaming.live.keys import session_for_key
from streaming.models import LivePublisher, LiveSession, LiveState

logger = logging.getLogger("streaming.live")

OVER = {LiveState.ENDED, LiveState.ARCHIVED, LiveState.FAILED}
NEW_PUBLISH_SECONDS = 3


@dataclass(frozen=True)
class Decision:
    admitted: bool
    reason: str
    publisher: LivePublisher | None = None


def admit(key: str, client_id: str, address: str | None, now: datetime) -> Decision:
    """Admit a publisher: right key, inside the session's window, and nobody else streaming."""
    session = session_for_key(key)
    if session is None:
        return _refuse("wrong, rotated or unknown key", address)
    if not within_window(session, now):
        return _refuse(f"session {session.pk} is outside its publishing window", address)
    if session.state in OVER and not lifecycle.resume_session(session.pk, now):
        return _refuse(f"session {session.pk} is {session.state}", address)
    with transaction.atomic():
        _end_stale_publisher(session, now)
        try:
            with transaction.atomic():
                publisher = LivePublisher.objects.create(
                    session=session, client_id=client_id, address=address, last_seen_at=now
                )
        except IntegrityError:
            return _refuse(f"session {session.pk} already has a publisher", address)
        LiveSession.objects.filter(pk=session.pk, state=LiveState.SCHEDULED).update(
            state=LiveState.LIVE, went_live_at=now
        )
    logger.info("Publisher %s admitted to session %s from %s", client_id, session.pk, address)
    return Decision(True, "admitted", publisher)


def publish_done(client_id: str, name: str, now: datetime) -> LivePublisher | None:
    """End this connection's row, if it had one (a refused publisher has none)."""
    publisher = _open_publisher(client_id, name)
    if publisher is None:
        return None
    publisher.ended_at = now
    publisher.save(update_fields=["ended_at"])
    logger.info("Publisher %s of session %s has left", client_id, publisher.session_id)
    return publisher


def update(client_id: str, name: str, now: datetime, publishing: bool = True) -> bool:
    """Record a heartbeat; False when the connection may no longer stream, so nginx drops it.

    A publisher without an open row lost it to a newer one (its own was taken for gone): dropping
    it lets it reconnect through `admit`. Readers (loopback packagers) have no rows.
    """
    publisher = _open_publisher(client_id, name)
    if publisher is None:
        if publishing:
            logger.warning("Publisher %s dropped: it has no open row", client_id)
        return not publishing
    if LiveSession.objects.filter(pk=publisher.session_id, state__in=OVER).exists():
        publisher.ended_at = now
        publisher.save(update_fields=["ended_at"])
        logger.info("Publisher %s dropped: session %s is over", client_id, publisher.session_id)
        return False
    publisher.last_seen_at = now
    publisher.save(update_fields=["last_seen_at"])
    return True


def publish_gone(publisher_id: int, now: datetime) -> None:
    """The ingest server no longer has this publisher's stream, though no `publish_done`
    reached the app (it was down): the connection is over, and the grace period starts.

    A connection of the last few seconds may not be registered by nginx yet: it is left open,
    and its packager simply starts again."""
    settled = now - timedelta(seconds=NEW_PUBLISH_SECONDS)
    ended = LivePublisher.objects.filter(
        pk=publisher_id, ended_at__isnull=True, started_at__lt=settled
    ).update(ended_at=now)
    if ended:
        logger.warning(
            "Publisher %s has no stream on the ingest server: taken for gone", publisher_id
        )


def end_silent_publishers(now: datetime) -> int:
    """End every connection whose heartbeats stopped: the ingest server died, or its end was
    lost. Their sessions then wait out the grace period like any other disconnect."""
    found = list(_silent(now))  # read first: this runs every supervisor step, and rarely finds any
    for publisher in found:
        logger.warning(
            "Publisher %s of session %s went silent", publisher.client_id, publisher.session_id
        )
    if not found:
        return 0
    return LivePublisher.objects.filter(pk__in=[p.pk for p in found]).update(ended_at=now)


def end_all_publishers(now: datetime) -> int:
    """End every open row: when the ingest server (re)starts, no earlier connection survives."""
    return LivePublisher.objects.filter(ended_at__isnull=True).update(ended_at=now)


def _refuse(reason: str, address: str | None) -> Decision:
    logger.warning("Publish refused from %s: %s", address, reason)
    return Decision(False, reason)


def within_window(session: LiveSession, now: datetime) -> bool:
    """Whether a source (RTMP or the browser studio) may broadcast into the session now."""
    opens = session.starts_at - timedelta(minutes=setting("LIVE_EARLY_MINUTES"))
    closes = session.planned_end + timedelta(minutes=setting("LIVE_LATE_MINUTES"))
    return opens <= now <= closes


def _end_stale_publisher(session: LiveSession, now: datetime) -> None:
    """A connection silent past the heartbeat limit is gone (nginx died, or its end was lost)."""
    stale = _silent(now).filter(session=session)
    for publisher in stale:
        logger.warning("Publisher %s of session %s went silent", publisher.client_id, session.pk)
    stale.update(ended_at=now)


def _silent(now: datetime):
    """Open connections without a heartbeat (on_update, every 10 s) for the stale limit."""
    stale_before = now - timedelta(seconds=setting("LIVE_PUBLISHER_STALE_SECONDS"))
    return LivePublisher.objects.filter(ended_at__isnull=True).filter(
        Q(last_seen_at__lt=stale_before) | Q(last_seen_at__isnull=True, started_at__lt=stale_before)
    )


def _open_publisher(client_id: str, name: str) -> LivePublisher | None:
    """The open row of this connection on this name's session.

    The session comes from the name's public part only: the key may have been rotated meanwhile,
    and a row can only be ended or refreshed here, never opened.
    """
    try:
        public_id = uuid.UUID(name.partition(".")[0])
    except ValueError:
        return None
    return LivePublisher.objects.filter(
        session__public_id=public_id, client_id=client_id, ended_at__isnull=True
    ).first()
