"""Resumable chunked uploads: sessions, chunks written to local disk, and the finished Video.

Recordings are large and the links they travel over are weak, so a file arrives in chunks at known
offsets and a dropped connection costs only the chunk in flight. The request body is copied to a
temporary file in small blocks (never held whole in memory); when the last byte is in, the file
goes to the storage backend through Django's storage API, so S3 works like local disk.

The temporary files live on the web server's local disk (``KOTIKANAVA_UPLOAD_DIR``): with several
web servers, route one session's requests to the same server.
"""

import errno
import fcntl
import os
import re
import shutil
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.db import transaction
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
    _make_room_for_another_session(user)
    upload_dir().mkdir(parents=True, exist_ok=True)
    _check_space(name, size)
    session = UploadSession.objects.create(
        user=user, filename=name, size=size, collection=collection
    )
    part_path(session).touch()
    return session


def _make_room_for_another_session(user) -> None:
    """At the cap, forget the person's longest-idle upload; refuse if every one is in use."""
    open_sessions = UploadSession.objects.filter(user=user, state=UploadState.OPEN)
    count = open_sessions.count()
    if count < max_open_sessions():
        return
    idle = open_sessions.filter(updated_at__lt=timezone.now() - IDLE_BEFORE_EVICTION)
    oldest = idle.order_by("updated_at").first()
    if oldest is None:
        raise TooManyUploads(
            _("You are already sending %(count)s files. Wait until one of them is finished.")
            % {"count": count}
        )
    cancel(oldest)


def _check_space(name: str, size: int) -> None:
    """Refuse a file the disk cannot hold next to the uploads already under way."""
    pending = UploadSession.objects.filter(state=UploadState.OPEN).aggregate(
        pending=Coalesce(Sum(F("size") - F("received")), 0)
    )["pending"]
    free = shutil.disk_usage(upload_dir()).free
    if size + pending + disk_reserve_bytes() > free:
        raise NoSpace(
            _(
                "There is not enough space on the server for “%(name)s” (%(size)s). "
                "Ask an administrator to free some space, then try again."
            )
            % {"name": name, "size": filesizeformat(size)}
        )


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

    Whatever arrives before a dropped connection is kept, so the client resumes mid-chunk.
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
        handle.seek(start)
        handle.truncate()
        written = 0
        disk_full = False
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
        finally:
            _record_received(session, start + written)
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
                state=UploadState.FINISHED, video=video, updated_at=timezone.now()
            )
            request_processing(video)
    path.unlink(missing_ok=True)
    session.state, session.video = UploadState.FINISHED, video
    return video


def cancel(session: UploadSession) -> None:
    if session.state == UploadState.FINISHED:
        raise UploadClosed(_("This upload is already finished."))
    UploadSession.objects.filter(pk=session.pk).update(
        state=UploadState.CANCELLED, updated_at=timezone.now()
    )
    session.state = UploadState.CANCELLED
    part_path(session).unlink(missing_ok=True)


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
