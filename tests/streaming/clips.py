"""Tiny test recordings made with ffmpeg (trusted input): every shape of upload staff send."""

import re
import struct
import subprocess
from pathlib import Path

VIDEO_CODECS = {
    ".mp4": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
    ".mov": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
    ".mkv": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"],
    ".webm": ["-c:v", "libvpx", "-b:v", "300k", "-deadline", "realtime", "-cpu-used", "8"],
    ".avi": ["-c:v", "mpeg4", "-q:v", "5"],
}
AUDIO_CODECS = {
    ".mp4": ["-c:a", "aac"],
    ".mov": ["-c:a", "aac"],
    ".mkv": ["-c:a", "aac"],
    ".webm": ["-c:a", "libopus"],
    ".avi": ["-c:a", "libmp3lame"],
    ".m4a": ["-c:a", "aac"],
    ".mp3": ["-c:a", "libmp3lame"],
}


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args], check=True)


def make_clip(
    path: Path,
    seconds: float = 2.0,
    size: str = "320x240",
    video: bool = True,
    audio: bool = True,
    noise: int = 0,
    extra: tuple[str, ...] = (),
) -> Path:
    """A test-card clip with a tone, encoded as a phone or a laptop would for `path`'s suffix.

    `noise` adds camera-like grain, which makes the encoder work as it would on real footage.
    """
    args = []
    if video:
        source = f"testsrc2=size={size}:rate=30:duration={seconds}"
        if noise:
            source += f",noise=alls={noise}:allf=t"
        args += ["-f", "lavfi", "-i", source]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=330:sample_rate=44100:duration={seconds}"]
    args += VIDEO_CODECS[path.suffix] if video else []
    args += AUDIO_CODECS[path.suffix] if audio else []
    ffmpeg(*args, *extra, "-shortest", str(path))
    return path


def rotate(source: Path, target: Path, degrees: int) -> Path:
    """A phone's portrait file: landscape pixels plus a display matrix saying "turn 90°"."""
    ffmpeg("-i", str(source), "-c", "copy", "-metadata:s:v:0", f"rotate={degrees}", str(target))
    return target


# How a phone's HDR recording is tagged: BT.2020 primaries and matrix, PQ or HLG transfer.
HDR_X265 = ["-c:v", "libx265", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p10le"]


def to_hdr(source: Path, target: Path, transfer: str) -> Path:
    """`source` as 10-bit HEVC HDR (`smpte2084` or `arib-std-b67`), SDR white at 100 nits."""
    convert = (
        "zscale=tin=bt709:t=linear:npl=100:pin=bt709:p=bt709:min=bt709:m=bt709:rin=tv,"
        f"format=gbrpf32le,zscale=tin=linear:t={transfer}:pin=bt709:p=bt2020:m=bt2020nc:npl=100:r=tv"
    )
    ffmpeg(
        "-i", str(source), "-vf", convert, *HDR_X265,
        "-color_primaries", "bt2020", "-color_trc", transfer, "-colorspace", "bt2020nc",
        "-an", str(target),
    )  # fmt: skip
    return target


def claim_duration(source: Path, target: Path, seconds: float) -> Path:
    """`source` with its container's length fields rewritten to claim `seconds`, frames untouched.

    Matroska: the segment's `Duration` and ffmpeg's per-track DURATION tags. MP4: the `mvhd`,
    `tkhd` and `mdhd` durations (version 0 boxes, as ffmpeg writes short files).
    """
    data = bytearray(source.read_bytes())
    if source.suffix == ".mkv":
        _claim_matroska(data, seconds)
    else:
        _claim_mp4(data, seconds)
    target.write_bytes(bytes(data))
    return target


def _claim_matroska(data: bytearray, seconds: float) -> None:
    at = data.index(b"\x44\x89\x88") + 3  # Duration, an 8-byte float in milliseconds
    data[at : at + 8] = struct.pack(">d", seconds * 1000)
    stamp = re.compile(rb"\d\d:\d\d:\d\d\.\d{9}")
    hours, rest = divmod(seconds, 3600)
    claimed = f"{int(hours):02d}:{int(rest // 60):02d}:{rest % 60:012.9f}".encode()
    data[:] = stamp.sub(claimed, bytes(data))


def _claim_mp4(data: bytearray, seconds: float) -> None:
    mvhd = data.index(b"mvhd")
    timescale, duration = struct.unpack(">II", data[mvhd + 16 : mvhd + 24])
    ratio = seconds * timescale / duration
    # Where each box keeps its 32-bit duration, counted from the box name.
    offsets = {b"mvhd": 20, b"mdhd": 20, b"tkhd": 24}
    for name, offset in offsets.items():
        at = data.find(name)
        while at >= 0:
            (value,) = struct.unpack(">I", data[at + offset : at + offset + 4])
            data[at + offset : at + offset + 4] = struct.pack(">I", round(value * ratio))
            at = data.find(name, at + 4)
