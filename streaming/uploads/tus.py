"""The tus 1.0 resumable upload protocol's headers, parsed and written (https://tus.io/protocols/).

Pure functions of header values: the views in ``streaming.views.upload`` speak HTTP, the sessions
in ``streaming.uploads.sessions`` keep the bytes.
"""

import base64
import binascii
import hashlib
from datetime import datetime

from django.utils.http import http_date

VERSION = "1.0.0"
EXTENSIONS = ("creation", "termination", "expiration", "checksum")
CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1}
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
# Our own response header: where staff add captions and details to the video the upload became.
VIDEO_EDIT_URL_HEADER = "Kotikanava-Video-Edit-Url"


class ProtocolError(ValueError):
    """A header that does not follow the protocol."""


def parse_metadata(value: str | None) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64(value)`` pairs; a value may be absent."""
    metadata = {}
    for pair in (value or "").split(","):
        pair = pair.strip()
        if not pair:
            continue
        key, _space, encoded = pair.partition(" ")
        try:
            metadata[key] = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise ProtocolError(f"metadata {key!r} is not base64 text") from None
    return metadata


def encode_metadata(metadata: dict[str, str]) -> str:
    return ",".join(
        f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in metadata.items()
    )


def parse_non_negative(value: str | None, name: str) -> int:
    if value is None or not value.strip().isdigit():
        raise ProtocolError(f"{name} must be a non-negative integer")
    return int(value)


def parse_checksum(value: str | None):
    """``Upload-Checksum: sha1 <base64 digest>`` as (hash object, expected digest), or None."""
    if not value:
        return None
    algorithm, _space, encoded = value.strip().partition(" ")
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise ProtocolError(f"checksum algorithm {algorithm!r} is not supported")
    try:
        expected = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        raise ProtocolError("the checksum is not base64") from None
    return CHECKSUM_ALGORITHMS[algorithm](), expected


def expires_header(moment: datetime) -> str:
    """``Upload-Expires`` in the RFC 9110 date format."""
    return http_date(moment.timestamp())


def options_headers(max_size: int) -> dict[str, str]:
    return {
        "Tus-Resumable": VERSION,
        "Tus-Version": VERSION,
        "Tus-Extension": ",".join(EXTENSIONS),
        "Tus-Max-Size": str(max_size),
        "Tus-Checksum-Algorithm": ",".join(CHECKSUM_ALGORITHMS),
    }
