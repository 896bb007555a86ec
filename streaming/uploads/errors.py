"""Upload refusals: each carries a message staff read and, where it helps, the offset to
resume from."""

import errno

from django.utils.translation import gettext_lazy as _


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


class FileTooLarge(UploadError):
    """The file is larger than one upload may be (tus: 413 on creation)."""

    status = 413


class ChecksumMismatch(UploadError):
    """The bytes of one request did not match the checksum the client sent (tus: 460)."""

    status = 460


class TooManyUploads(UploadError):
    status = 429


class NoSpace(UploadError):
    """The server's disk is full; what arrived is kept and the upload resumes once there is room."""

    status = 507


class ReservationCapReached(UploadError):
    """The person's uploads in progress already claim as much disk as one person may."""

    status = 429


NO_SPACE_ERRORS = (errno.ENOSPC, errno.EDQUOT)


def disk_full_error(offset: int | None = None) -> NoSpace:
    return NoSpace(
        _(
            "The server's disk is full. What you have sent so far is kept: ask an administrator "
            "to free some space, then press “Try again”."
        ),
        offset=offset,
    )
