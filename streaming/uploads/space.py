"""Disk for uploads: reserved only while an upload moves (a short lease), capped per person.

Disk is reserved for the rest of a file only while its upload is moving: creating a session or
sending a chunk holds a short lease (``KOTIKANAVA_UPLOAD_LEASE_SECONDS``) on ``size - received``.
An idle session keeps the bytes that arrived but claims nothing more, so forgotten uploads cannot
block other people; when it continues, it claims room again. One person's claims together are
capped (``KOTIKANAVA_UPLOAD_MAX_RESERVED_BYTES``).
"""

import shutil
import zlib
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from streaming.models import UploadSession, UploadState
from streaming.uploads.conf import (
    disk_reserve_bytes,
    lease,
    max_open_sessions,
    max_reserved_bytes,
    upload_dir,
)
from streaming.uploads.errors import NoSpace, ReservationCapReached, TooManyUploads

# An unfinished upload untouched this long may make way for a new one at the per-person cap.
IDLE_BEFORE_EVICTION = timedelta(minutes=10)
# PostgreSQL advisory lock that serialises claims on the upload disk.
RESERVATION_LOCK_ID = zlib.crc32(b"kotikanava.upload-reservations")


def session_to_evict(user, now) -> UploadSession | None:
    """At the cap, the person's longest-idle upload makes way; refuse if every one is in use."""
    open_sessions = UploadSession.objects.filter(user=user, state=UploadState.OPEN)
    count = open_sessions.count()
    if count < max_open_sessions():
        return None
    idle = open_sessions.filter(updated_at__lt=now - IDLE_BEFORE_EVICTION)
    oldest = idle.order_by("updated_at").first()
    if oldest is None:
        raise TooManyUploads(
            _("You are already sending %(count)s files. Wait until one of them is finished.")
            % {"count": count}
        )
    return oldest


@contextmanager
def reservation_lock():
    """One claim on the disk at a time, so two requests cannot both take the last free space.

    SQLite (``transaction_mode`` IMMEDIATE in settings) takes the database's write lock when the
    transaction begins; PostgreSQL takes a transaction-scoped advisory lock. Nothing slow runs
    inside: the request body is read after the claim is committed.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RESERVATION_LOCK_ID])
        yield


def reserved_bytes(sessions) -> int:
    return sessions.aggregate(reserved=Coalesce(Sum(F("size") - F("received")), 0))["reserved"]


def claim_space(user_id, name: str, remaining: int, now, session=None) -> None:
    """Refuse the rest of a file that does not fit next to the uploads moving now.

    Only sessions holding a lease count: an idle one's received bytes are already on the disk
    (so ``free`` has them) and it claims nothing more until it continues. Call inside
    ``reservation_lock()``. ``session`` is an existing upload continuing after a pause.
    """
    moving = UploadSession.objects.filter(state=UploadState.OPEN, reserved_until__gt=now)
    if session is not None:
        moving = moving.exclude(pk=session.pk)
    offset = session.received if session is not None else None
    mine = reserved_bytes(moving.filter(user_id=user_id))
    limit = max_reserved_bytes()
    if mine + remaining > limit:
        values = {"name": name, "reserved": filesizeformat(mine), "limit": filesizeformat(limit)}
        if session is None:
            message = _(
                "You are already sending %(reserved)s, and one person can send at most "
                "%(limit)s at a time. Wait until one of your uploads is finished, then add "
                "“%(name)s” again."
            )
        else:
            message = _(
                "You are already sending %(reserved)s, and one person can send at most "
                "%(limit)s at a time. What you have sent of “%(name)s” is kept: wait until "
                "another of your uploads is finished, then press “Try again”."
            )
        raise ReservationCapReached(message % values, offset=offset)
    free = shutil.disk_usage(upload_dir()).free
    if remaining + reserved_bytes(moving) + disk_reserve_bytes() > free:
        if session is None:
            message = _(
                "There is not enough space on the server for “%(name)s” (%(size)s). "
                "Ask an administrator to free some space, then try again."
            )
        else:
            message = _(
                "There is not enough space on the server to continue “%(name)s” now. "
                "What you have sent so far is kept: wait for other uploads to finish or ask an "
                "administrator to free some space, then press “Try again”."
            )
        raise NoSpace(message % {"name": name, "size": filesizeformat(remaining)}, offset=offset)


def extend_lease(session: UploadSession) -> bool:
    """Renew a lease that is still held; False if it lapsed (the room must be claimed again)."""
    now = timezone.now()
    return bool(
        UploadSession.objects.filter(
            pk=session.pk, state=UploadState.OPEN, reserved_until__gte=now
        ).update(reserved_until=now + lease())
    )


def hold_reservation(session: UploadSession) -> None:
    """Keep the room for the rest of the file, or claim it again after a pause."""
    if extend_lease(session):
        return
    with reservation_lock():
        now = timezone.now()
        claim_space(session.user_id, session.filename, session.remaining, now, session)
        UploadSession.objects.filter(pk=session.pk).update(reserved_until=now + lease())


def release_lease(session: UploadSession) -> None:
    UploadSession.objects.filter(pk=session.pk).update(reserved_until=None)
    session.reserved_until = None
