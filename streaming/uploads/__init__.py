"""Resumable uploads (see `sessions`, spoken as tus in `tus`), with fair use of the upload disk
(`space`)."""

from streaming.uploads.conf import (
    chunk_size,
    max_upload_bytes,
    part_path,
    upload_dir,
)
from streaming.uploads.errors import (
    ChecksumMismatch,
    ChunkTooLarge,
    FileTooLarge,
    NoSpace,
    OffsetMismatch,
    ReservationCapReached,
    TooManyUploads,
    UploadClosed,
    UploadError,
    UploadGone,
)
from streaming.uploads.sessions import (
    cancel,
    clean_filename,
    clean_stale_sessions,
    create_session,
    expires_at,
    finish,
    precheck,
    received_bytes,
    write_chunk,
)

__all__ = [
    "ChecksumMismatch",
    "ChunkTooLarge",
    "FileTooLarge",
    "NoSpace",
    "OffsetMismatch",
    "ReservationCapReached",
    "TooManyUploads",
    "UploadClosed",
    "UploadError",
    "UploadGone",
    "cancel",
    "chunk_size",
    "clean_filename",
    "clean_stale_sessions",
    "create_session",
    "expires_at",
    "finish",
    "max_upload_bytes",
    "part_path",
    "precheck",
    "received_bytes",
    "upload_dir",
    "write_chunk",
]
