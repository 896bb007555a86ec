"""FLV tags as the browser relay passes them on: read from one ffmpeg, re-timed, written to another.

FLV is a 13-byte header and then tags: an 11-byte header (type, body size, a 32-bit millisecond
timestamp split 24 + 8 bits, stream id), the body, and the previous tag's size. That is all the
relay needs to join several recordings into one publish and to send its start again.
"""

from dataclasses import dataclass
from typing import BinaryIO

HEADER_BYTES = 13
AUDIO, VIDEO, SCRIPT = 8, 9, 18
_AVC, _AAC = 7, 10
_SEQUENCE_HEADER, _END_OF_SEQUENCE = 0, 2


@dataclass(frozen=True)
class Tag:
    kind: int
    timestamp: int  # milliseconds (the decoding time)
    body: bytes

    @property
    def is_header(self) -> bool:
        """Metadata or a codec's configuration: what a reader needs before any frame."""
        if self.kind == SCRIPT:
            return True
        if self.kind == VIDEO and len(self.body) > 1:
            return self.body[0] & 0x0F == _AVC and self.body[1] == _SEQUENCE_HEADER
        if self.kind == AUDIO and len(self.body) > 1:
            return self.body[0] >> 4 == _AAC and self.body[1] == _SEQUENCE_HEADER
        return False

    @property
    def ends_stream(self) -> bool:
        """ffmpeg's closing "end of sequence" tag: meaningless when another recording follows."""
        return (
            self.kind == VIDEO
            and len(self.body) > 1
            and self.body[0] & 0x0F == _AVC
            and self.body[1] == _END_OF_SEQUENCE
        )

    @property
    def is_keyframe(self) -> bool:
        return self.kind == VIDEO and bool(self.body) and self.body[0] >> 4 == 1

    def encode(self, timestamp: int | None = None) -> bytes:
        at = self.timestamp if timestamp is None else timestamp
        size = len(self.body)
        head = (
            bytes([self.kind])
            + size.to_bytes(3, "big")
            + (at & 0xFFFFFF).to_bytes(3, "big")
            + bytes([(at >> 24) & 0xFF])
            + b"\x00\x00\x00"
        )
        return head + self.body + (size + 11).to_bytes(4, "big")


def read_exactly(stream: BinaryIO, count: int) -> bytes | None:
    """`count` bytes, or None at the end of the stream (a short read at the end is dropped)."""
    data = b""
    while len(data) < count:
        more = stream.read(count - len(data))
        if not more:
            return None
        data += more
    return data


def read_header(stream: BinaryIO) -> bytes | None:
    header = read_exactly(stream, HEADER_BYTES)
    if header is not None and not header.startswith(b"FLV"):
        raise ValueError("not an FLV stream")
    return header


def read_tag(stream: BinaryIO) -> Tag | None:
    head = read_exactly(stream, 11)
    if head is None:
        return None
    size = int.from_bytes(head[1:4], "big")
    timestamp = int.from_bytes(head[4:7], "big") | (head[7] << 24)
    rest = read_exactly(stream, size + 4)
    if rest is None:
        return None
    return Tag(head[0] & 0x1F, timestamp, rest[:size])


def header(audio: bool = True, video: bool = True) -> bytes:
    flags = (4 if audio else 0) | (1 if video else 0)
    return b"FLV\x01" + bytes([flags]) + (9).to_bytes(4, "big") + b"\x00\x00\x00\x00"
