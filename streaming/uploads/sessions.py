"""Resumable uploads: sessions, bytes written to local disk, and the finished Video.

Recordings are large and the links they travel over are weak, so a file arrives in pieces at known
offsets (the tus protocol's PATCH requests, see ``streaming.uploads.tus``) and a dropped connection
costs nothing that reached the disk. The request body is copied to a
temporary file in small blocks (never held whole in memory); when the last byte is in, the file
goes to the storage backend through Django's storage API, so S3 works like local disk.

The temporary files live on the web server's local disk (``KOTIKANAVA_UPLOAD_DIR``): with several
web servers, route one session's requests to the same server.
"""

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import PurePosixPath

from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from streaming.intake import accepted_extensions, create_video
from streaming.models import UploadSession, UploadState, Video
from streaming.uploads.conf import (
    BLOCK_SIZE,
    lease,
    max_upload_bytes,
    part_path,
    stale_after,
    upload_dir,
)
from streaming.uploads.errors import (
    NO_SPACE_ERRORS,
    ChecksumMismatch,
    ChunkTooLarge,
    FileTooLarge,
    OffsetMismatch,
    UploadClosed,
    UploadError,
    UploadGone,
    disk_full_error,
)
from streaming.uploads.space import (
    claim_space,
    extend_lease,
    hold_reservation,
    release_lease,
    reservation_lock,
    session_to_evict,
)


def clean_filename(filename: str) -> str:
    """The last path component of what the browser sent (some send a Windows path)."""
    name = PurePosixPath(filename.replace("\\", "/")).name.strip()
    if len(name) > 200:
        stem, dot, suffix = name.rpartition(".")
        name = f"{stem[: 190 - len(suffix)]}.{suffix}" if dot and len(suffix) < 10 else name[:200]
    return name


def precheck(filename: str, size: int) -> str:
    """Refuse obviously wrong files before a single byte is sent; returns the cleaned name."""
    name = clean_filename(filename)
    if not name:
        raise UploadError(_("The file has no name."))
    if size <= 0:
        raise UploadError(_("The file “%(name)s” is empty.") % {"name": name})
    limit = max_upload_bytes()
    if size > limit:
        raise FileTooLarge(
            _(
                "The file “%(name)s” is too large (%(size)s). "
                "The largest file you can upload is %(limit)s."
            )
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in accepted_extensions():
        raise UploadError(
            _("The file “%(name)s” does not look like a video or sound recording.") % {"name": name}
        )
    return name


def create_session(user, filename: str, size: int, collection=None) -> UploadSession:
    name = precheck(filename, size)
    upload_dir().mkdir(parents=True, exist_ok=True)
    with reservation_lock():
        now = timezone.now()
        evicted = session_to_evict(user, now)
        claim_space(user.pk, name, size, now)
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


@contextmanager
def _locked_part(session: UploadSession, wait: bool = False):
    """The session's temporary file, opened and exclusively locked, with the row refreshed.

    A client retrying a request whose first attempt is still being read must not interleave with
    it: the second request is refused with the offset, and the client asks again a moment later.
    ``wait`` queues behind the holder instead (finishing: the second one finds the video made).
    """
    try:
        # Unbuffered: a full disk shows up at the write that did not fit, not at a later flush.
        handle = open(part_path(session), "r+b", buffering=0)  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise UploadGone(_("This upload has expired. Please choose the file again.")) from None
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
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


def write_chunk(session: UploadSession, start: int, length: int, stream, checksum=None) -> int:
    """Append ``length`` bytes read from ``stream`` at ``start``; returns the new offset.

    Whatever arrives before a dropped connection is kept, so the client resumes mid-request. The
    session's lease is renewed as bytes arrive (a large request can take minutes on 3G); after a
    pause the room for the rest is claimed again, and refused with the offset if it is not there.
    ``checksum`` is ``(hashlib object, expected digest)``: bytes that do not match are dropped.
    """
    if length <= 0:
        raise UploadError(_("The request carries no data."))
    with _locked_part(session) as handle:
        if session.state != UploadState.OPEN:
            raise UploadClosed(_("This upload is already finished."), offset=session.received)
        if start != session.received:
            raise OffsetMismatch(
                _("The data does not continue where the upload left off."),
                offset=session.received,
            )
        if start + length > session.size:
            raise ChunkTooLarge(
                _("The file is larger than was announced."), offset=session.received
            )
        hold_reservation(session)
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
                if checksum is not None:
                    checksum[0].update(block[:written_now])
                written += written_now
                if time.monotonic() - renewed_at > renew_every:
                    extend_lease(session)
                    renewed_at = time.monotonic()
            if checksum is not None and checksum[0].digest() != checksum[1]:
                # Unverifiable bytes are worse than none: the client sends them again.
                handle.truncate(start)
                written, bad_checksum = 0, True
            else:
                bad_checksum = False
        finally:
            _record_received(session, start + written)
            if disk_full:
                # Staff must act before this continues: let others use whatever space appears.
                release_lease(session)
            else:
                extend_lease(session)
    if bad_checksum:
        raise ChecksumMismatch(
            _("The data was damaged on the way. It will be sent again."), offset=session.received
        )
    if disk_full:
        raise disk_full_error(offset=session.received)
    if written < length:
        raise OffsetMismatch(_("The connection broke off."), offset=session.received)
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

    Safe to call twice, also at the same time: a second request waits for the first and gets
    the same video (a client retrying after a lost response, or a HEAD racing the last PATCH).
    """
    if session.state == UploadState.FINISHED and session.video_id:
        return session.video
    path = part_path(session)
    with _finishing_lock(session):
        session.refresh_from_db()
        if session.state == UploadState.FINISHED and session.video_id:
            return session.video  # another request made it while this one waited
        with _locked_part(session, wait=True) as handle:
            return _finish_locked(session, handle, path)


@contextmanager
def _finishing_lock(session: UploadSession):
    """Finishing requests one at a time.

    Not the part file's own lock: local storage moves that file into media while the video is
    made, so a request arriving then would find no file and no video yet.
    """
    path = upload_dir() / f"{session.pk}.finishing"
    with open(path, "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            path.unlink(missing_ok=True)


def _finish_locked(session: UploadSession, handle, path) -> Video:
    """The part of ``finish`` that runs holding the file's lock, with the row refreshed."""
    if session.state == UploadState.FINISHED and session.video_id:
        return session.video
    if session.state != UploadState.OPEN:
        raise UploadClosed(_("This upload was cancelled."))
    if session.received != session.size:
        raise OffsetMismatch(_("The upload is not complete yet."), offset=session.received)
    # The copy happens before the transaction: gigabytes must not hold the write lock.
    try:
        video = create_video(
            _PartFile(handle, name=str(path)),
            session.filename,
            user=session.user,
            collection=session.collection,
            on_saved=lambda video: _mark_finished(session, video),
        )
    except OSError as error:
        if error.errno in NO_SPACE_ERRORS:
            raise disk_full_error() from None  # the session stays complete: finishing can retry
        raise
    path.unlink(missing_ok=True)
    session.state, session.video = UploadState.FINISHED, video
    return video


def _mark_finished(session: UploadSession, video: Video) -> None:
    UploadSession.objects.filter(pk=session.pk).update(
        state=UploadState.FINISHED, video=video, reserved_until=None, updated_at=timezone.now()
    )


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


def expires_at(session: UploadSession):
    """When an untouched upload is forgotten (tus ``Upload-Expires``)."""
    return session.updated_at + stale_after()


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
