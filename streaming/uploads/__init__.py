"""Resumable chunked uploads (see `sessions`), with fair use of the upload disk (`space`)."""

from streaming.uploads.conf import (
    allowed_extensions,
    chunk_size,
    max_upload_bytes,
    part_path,
    upload_dir,
)
from streaming.uploads.errors import (
    ChunkTooLarge,
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
    finish,
    precheck,
    received_bytes,
    title_from_filename,
    write_chunk,
)

__all__ = [
    "ChunkTooLarge",
    "NoSpace",
    "OffsetMismatch",
    "ReservationCapReached",
    "TooManyUploads",
    "UploadClosed",
    "UploadError",
    "UploadGone",
    "allowed_extensions",
    "cancel",
    "chunk_size",
    "clean_filename",
    "clean_stale_sessions",
    "create_session",
    "finish",
    "max_upload_bytes",
    "part_path",
    "precheck",
    "received_bytes",
    "title_from_filename",
    "upload_dir",
    "write_chunk",
]
