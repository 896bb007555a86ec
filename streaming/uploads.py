"""Resumable chunked uploads: sessions, chunks written to local disk, and the finished Video.

Recordings are large and the links they travel over are weak, so a file arrives in chunks at known
offsets and a dropped connection costs only the chunk in flight. The request body is copied to a
temporary file in small blocks (never held whole in memory); when the last byte is in, the file
goes to the storage backend through Django's storage API, so S3 works like local disk.

The temporary files live on the web server's local disk (``KOTIKANAVA_UPLOAD_DIR``): with several
web servers, route one session's requests to the same server.

Disk is reserved for the rest of a file only while its upload is moving: creating a session or
sending a chunk holds a short lease (``KOTIKANAVA_UPLOAD_LEASE_SECONDS``) on ``size - received``.
An idle session keeps the bytes that arrived but claims nothing more, so forgotten uploads cannot
block other people; when it continues, it claims room again. One person's claims together are
capped (``KOTIKANAVA_UPLOAD_MAX_RESERVED_BYTES``).
"""

import errno
import fcntl
import os
import re
import shutil
import time
import zlib
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from streaming.models import UploadSession, UploadState, Video
from streaming.processing import request_processing

MIB = 1024**2
# How much of a request body is read into memory at a time.
BLOCK_SIZE = MIB
# An unfinished upload untouched this long may make way for a new one at the per-person cap.
IDLE_BEFORE_EVICTION = timedelta(minutes=10)
# PostgreSQL advisory lock that serialises claims on the upload disk.
RESERVATION_LOCK_ID = zlib.crc32(b"kotikanava.upload-reservations")
# Containers phones, cameras and screen recorders write; the pipeline checks the content itself.
DEFAULT_EXTENSIONS = [
    "mp4",
    "m4v",
    "mov",
    "qt",
    "3gp",
    "3g2",
    "webm",
    "mkv",
    "avi",
    "mpg",
    "mpeg",
    "mts",
    "m2ts",
    "ts",
    "wmv",
    "flv",
    "ogv",
    "m4a",
    "mp3",
    "wav",
    "ogg",
    "oga",
    "opus",
    "aac",
    "flac",
]


class UploadError(Exception):
    """A request the upload cannot take; ``message`` is shown to staff."""

    status = 400

    def __init__(self, message, offset: int | None = None):
        super().__init__(str(message))
        self.message = message
        self.offset = offset


class OffsetMismatch(UploadError):
    """The chunk does not start where the received bytes end: the client resumes at ``offset``."""

    status = 409


class UploadClosed(UploadError):
    status = 409


class UploadGone(UploadError):
    status = 410


class ChunkTooLarge(UploadError):
    status = 413


class TooManyUploads(UploadError):
    status = 429


class NoSpace(UploadError):
    """The server's disk is full; what arrived is kept and the upload resumes once there is room."""

    status = 507


class ReservationCapReached(UploadError):
    """The person's uploads in progress already claim as much disk as one person may."""

    status = 429


NO_SPACE_ERRORS = (errno.ENOSPC, errno.EDQUOT)


def max_upload_bytes() -> int:
    return settings.KOTIKANAVA_MAX_UPLOAD_BYTES


def chunk_size() -> int:
    """Chunk size the browser uses; also the most one request may carry (proxies limit bodies)."""
    return int(getattr(settings, "KOTIKANAVA_UPLOAD_CHUNK_BYTES", 4 * MIB))


def upload_dir() -> Path:
    default = Path(settings.STATE_DIR) / "uploads"
    return Path(settings.KOTIKANAVA_UPLOAD_DIR or default)


def stale_after() -> timedelta:
    """How long an untouched session may wait for its owner: long enough to resume next morning."""
    return timedelta(seconds=getattr(settings, "KOTIKANAVA_UPLOAD_STALE_SECONDS", 2 * 86400))


def disk_reserve_bytes() -> int:
    """Space uploads leave free on their disk, for the database, logs and the transcoder."""
    return settings.KOTIKANAVA_UPLOAD_DISK_RESERVE_BYTES


def max_open_sessions() -> int:
    """Unfinished uploads one person may have; each may be holding gigabytes of disk."""
    return settings.KOTIKANAVA_UPLOAD_MAX_OPEN_SESSIONS


def lease() -> timedelta:
    """How long an upload keeps its claim on disk after its last sign of life.

    Longer than the browser's longest wait between retries (30 s), so a flaky link keeps its room.
    """
    return timedelta(seconds=settings.KOTIKANAVA_UPLOAD_LEASE_SECONDS)


def max_reserved_bytes() -> int:
    """Disk one person's moving uploads may claim at once, so one person cannot starve the rest."""
    return settings.KOTIKANAVA_UPLOAD_MAX_RESERVED_BYTES


def allowed_extensions() -> list[str]:
    return list(getattr(settings, "KOTIKANAVA_UPLOAD_EXTENSIONS", DEFAULT_EXTENSIONS))


def part_path(session: UploadSession) -> Path:
    return upload_dir() / f"{session.pk}.part"


def clean_filename(filename: str) -> str:
    """The last path component of what the browser sent (some send a Windows path)."""
    name = PurePosixPath(filename.replace("\\", "/")).name.strip()
    if len(name) > 200:
        stem, dot, suffix = name.rpartition(".")
        name = f"{stem[: 190 - len(suffix)]}.{suffix}" if dot and len(suffix) < 10 else name[:200]
    return name


def title_from_filename(filename: str) -> str:
    """A readable first title: "tuolijumppa_osa-2.mp4" becomes "tuolijumppa osa 2"."""
    stem = PurePosixPath(filename).stem if "." in filename else filename
    title = re.sub(r"[_\s]+", " ", stem).replace(" - ", " – ").strip()
    title = re.sub(r"(?<=\w)-(?=\w)", " ", title)
    return (title or filename)[:255]


def precheck(filename: str, size: int) -> str:
    """Refuse obviously wrong files before a single byte is sent; returns the cleaned name."""
    name = clean_filename(filename)
    if not name:
        raise UploadError(_("The file has no name."))
    if size <= 0:
        raise UploadError(_("The file “%(name)s” is empty.") % {"name": name})
    limit = max_upload_bytes()
    if size > limit:
        raise UploadError(
            _(
                "The file “%(name)s” is too large (%(size)s). "
                "The largest file you can upload is %(limit)s."
            )
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in allowed_extensions():
        raise UploadError(
            _("The file “%(name)s” does not look like a video or sound recording.") % {"name": name}
        )
    return name


def create_session(user, filename: str, size: int, collection=None) -> UploadSession:
    name = precheck(filename, size)
    upload_dir().mkdir(parents=True, exist_ok=True)
    with _reservation_lock():
        now = timezone.now()
        evicted = _session_to_evict(user, now)
        _claim_space(user.pk, name, size, now)
        if evicted is not None:
            _mark_cancelled(evicted)
        session = UploadSession.objects.create(
            user=user,
            filename=name,
            size=size,
            collection=collection,
            reserved_until=now + lease(),
        )
    if evicted is not None:
        part_path(evicted).unlink(missing_ok=True)
    part_path(session).touch()
    return session


def _session_to_evict(user, now) -> UploadSession | None:
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
def _reservation_lock():
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


def _reserved_bytes(sessions) -> int:
    return sessions.aggregate(reserved=Coalesce(Sum(F("size") - F("received")), 0))["reserved"]


def _claim_space(user_id, name: str, remaining: int, now, session=None) -> None:
    """Refuse the rest of a file that does not fit next to the uploads moving now.

    Only sessions holding a lease count: an idle one's received bytes are already on the disk
    (so ``free`` has them) and it claims nothing more until it continues. Call inside
    ``_reservation_lock()``. ``session`` is an existing upload continuing after a pause.
    """
    moving = UploadSession.objects.filter(state=UploadState.OPEN, reserved_until__gt=now)
    if session is not None:
        moving = moving.exclude(pk=session.pk)
    offset = session.received if session is not None else None
    mine = _reserved_bytes(moving.filter(user_id=user_id))
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
    if remaining + _reserved_bytes(moving) + disk_reserve_bytes() > free:
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


def _extend_lease(session: UploadSession) -> bool:
    """Renew a lease that is still held; False if it lapsed (the room must be claimed again)."""
    now = timezone.now()
    return bool(
        UploadSession.objects.filter(
            pk=session.pk, state=UploadState.OPEN, reserved_until__gte=now
        ).update(reserved_until=now + lease())
    )


def _hold_reservation(session: UploadSession) -> None:
    """Keep the room for the rest of the file, or claim it again after a pause."""
    if _extend_lease(session):
        return
    with _reservation_lock():
        now = timezone.now()
        _claim_space(session.user_id, session.filename, session.remaining, now, session)
        UploadSession.objects.filter(pk=session.pk).update(reserved_until=now + lease())


def _release_lease(session: UploadSession) -> None:
    UploadSession.objects.filter(pk=session.pk).update(reserved_until=None)
    session.reserved_until = None


def _disk_full(offset: int | None = None) -> NoSpace:
    return NoSpace(
        _(
            "The server's disk is full. What you have sent so far is kept: ask an administrator "
            "to free some space, then press “Try again”."
        ),
        offset=offset,
    )


@contextmanager
def _locked_part(session: UploadSession):
    """The session's temporary file, opened and exclusively locked, with the row refreshed.

    A browser retrying a chunk whose first attempt is still being read must not interleave with
    it: the second request is refused with the offset, and the client asks again a moment later.
    """
    try:
        # Unbuffered: a full disk shows up at the write that did not fit, not at a later flush.
        handle = open(part_path(session), "r+b", buffering=0)  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise UploadGone(_("This upload has expired. Please choose the file again.")) from None
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            session.refresh_from_db()
            raise OffsetMismatch(
                _("Another request is still sending this file."), offset=session.received
            ) from None
        session.refresh_from_db()
        on_disk = os.fstat(handle.fileno()).st_size
        if on_disk < session.received:
            # The machine went down before the last bytes reached the disk: ask for them again.
            _record_received(session, on_disk)
        yield handle
    finally:
        handle.close()


def _record_received(session: UploadSession, received: int) -> None:
    UploadSession.objects.filter(pk=session.pk).update(received=received, updated_at=timezone.now())
    session.received = received


def received_bytes(session: UploadSession) -> int:
    """Bytes safely received, as the client should resume from."""
    if session.state != UploadState.OPEN:
        return session.received
    with _locked_part(session):
        return session.received


def write_chunk(session: UploadSession, start: int, length: int, stream) -> int:
    """Append ``length`` bytes read from ``stream`` at ``start``; returns the new offset.

    Whatever arrives before a dropped connection is kept, so the client resumes mid-chunk. The
    session's lease is renewed as bytes arrive (a 4 MiB chunk can take minutes on 3G); after a
    pause the room for the rest is claimed again, and refused with the offset if it is not there.
    """
    if length <= 0:
        raise UploadError(_("The chunk is empty."))
    if length > chunk_size():
        raise ChunkTooLarge(_("The chunk is larger than the server accepts."))
    with _locked_part(session) as handle:
        if session.state != UploadState.OPEN:
            raise UploadClosed(_("This upload is already finished."), offset=session.received)
        if start != session.received:
            raise OffsetMismatch(
                _("The chunk does not continue where the upload left off."),
                offset=session.received,
            )
        if start + length > session.size:
            raise ChunkTooLarge(
                _("The file is larger than was announced."), offset=session.received
            )
        _hold_reservation(session)
        handle.seek(start)
        handle.truncate()
        written = 0
        disk_full = False
        renew_every = lease().total_seconds() / 3
        renewed_at = time.monotonic()
        try:
            while written < length and not disk_full:
                try:
                    block = stream.read(min(BLOCK_SIZE, length - written))
                except OSError:
                    break  # The client went away; keep what arrived.
                if not block:
                    break
                written_now, disk_full = _write_all(handle, block)
                written += written_now
                if time.monotonic() - renewed_at > renew_every:
                    _extend_lease(session)
                    renewed_at = time.monotonic()
        finally:
            _record_received(session, start + written)
            if disk_full:
                # Staff must act before this continues: let others use whatever space appears.
                _release_lease(session)
            else:
                _extend_lease(session)
    if disk_full:
        raise _disk_full(offset=session.received)
    if written < length:
        raise OffsetMismatch(_("The chunk was cut short."), offset=session.received)
    return session.received


def _write_all(handle, block: bytes) -> tuple[int, bool]:
    """Write `block` to an unbuffered file; returns bytes written and whether the disk filled."""
    view = memoryview(block)
    written = 0
    while written < len(view):
        try:
            written += handle.write(view[written:])
        except OSError as error:
            if error.errno in NO_SPACE_ERRORS:
                return written, True
            raise
    return written, False


class _PartFile(File):
    """The assembled file; local storage may move it into place instead of copying 8 GB."""

    def temporary_file_path(self) -> str:
        return self.file.name


def finish(session: UploadSession) -> Video:
    """Turn a complete session into a Video and ask for it to be processed.

    Safe to call twice (a browser retrying after a lost response gets the same video).
    """
    if session.state == UploadState.FINISHED and session.video_id:
        return session.video
    path = part_path(session)
    with _locked_part(session) as handle:
        if session.state == UploadState.FINISHED and session.video_id:
            return session.video
        if session.state != UploadState.OPEN:
            raise UploadClosed(_("This upload was cancelled."))
        if session.received != session.size:
            raise OffsetMismatch(_("The upload is not complete yet."), offset=session.received)
        video = Video(
            title=title_from_filename(session.filename),
            uploaded_by=session.user,
            original_size=session.size,
        )
        if session.collection_id:
            video.collection_id = session.collection_id
        # Outside the transaction: copying gigabytes must not hold the database's write lock.
        try:
            video.original.save(session.filename, _PartFile(handle, name=str(path)), save=False)
        except OSError as error:
            if error.errno in NO_SPACE_ERRORS:
                raise _disk_full() from None  # the session stays complete: finishing can retry
            raise
        with transaction.atomic():
            video.save()
            UploadSession.objects.filter(pk=session.pk).update(
                state=UploadState.FINISHED,
                video=video,
                reserved_until=None,
                updated_at=timezone.now(),
            )
            request_processing(video)
    path.unlink(missing_ok=True)
    session.state, session.video = UploadState.FINISHED, video
    return video


def cancel(session: UploadSession) -> None:
    if session.state == UploadState.FINISHED:
        raise UploadClosed(_("This upload is already finished."))
    _mark_cancelled(session)
    part_path(session).unlink(missing_ok=True)


def _mark_cancelled(session: UploadSession) -> None:
    UploadSession.objects.filter(pk=session.pk).update(
        state=UploadState.CANCELLED, reserved_until=None, updated_at=timezone.now()
    )
    session.state = UploadState.CANCELLED


def clean_stale_sessions(now=None) -> int:
    """Forget sessions nobody has touched for a while, and their temporary files.

    Run periodically (the scheduler, or ``manage.py clean_uploads``); returns how many went.
    """
    now = now or timezone.now()
    cutoff = now - stale_after()
    stale = UploadSession.objects.filter(updated_at__lt=cutoff)
    removed = 0
    for session in stale.iterator():
        part_path(session).unlink(missing_ok=True)
        removed += 1
    stale.delete()
    directory = upload_dir()
    if directory.is_dir():
        known = {f"{pk}.part" for pk in UploadSession.objects.values_list("pk", flat=True)}
        oldest = time.time() - stale_after().total_seconds()
        for path in directory.glob("*.part"):
            if path.name not in known and path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)
    return removed
