"""Reading what an upload holds with ffprobe, under the safety restrictions, and refusing early.

Refusing here costs a second; refusing after the encode costs minutes of a shared worker.
"""

import json
import subprocess
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from streaming.pipeline import safety
from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.errors import rejected

# Frame rates outside this range are timebase artefacts (e.g. 90000/1), not real rates.
SENSIBLE_FPS = (1.0, 240.0)
# PQ (HDR10, Dolby Vision) and HLG: what recent phones record by default.
HDR_TRANSFERS = ("smpte2084", "arib-std-b67")


@dataclass(frozen=True)
class MediaInfo:
    duration: float
    container: str
    has_video: bool
    has_audio: bool
    width: int = 0  # as displayed: after rotation and non-square pixels
    height: int = 0
    rotation: int = 0
    frame_rate: float = 0.0
    video_codec: str = ""
    audio_codec: str = ""
    audio_channels: int = 0
    bit_rate: int = 0
    color_transfer: str = ""
    # Which streams to use: phones add cover art, cameras a second microphone.
    video_index: int | None = None
    audio_index: int | None = None

    @property
    def is_portrait(self) -> bool:
        return self.height > self.width

    @property
    def is_hdr(self) -> bool:
        return self.color_transfer in HDR_TRANSFERS


def probe(path: Path, config: PipelineConfig) -> MediaInfo:
    safety.precheck(path)
    data = _ffprobe(path, config, ["-show_format", "-show_streams"])
    info = parse_probe(json.loads(data or b"{}"))
    if info.duration <= 0 and (info.has_video or info.has_audio):
        # Browser recordings (MediaRecorder WebM) carry no duration: read it from the packets.
        info = replace(info, duration=round(_scan_duration(path, info, config), 3))
    validate(info, config)
    return info


def _ffprobe(path: Path, config: PipelineConfig, arguments: list[str]) -> bytes:
    command = [
        "ffprobe",
        "-v",
        "error",
        "-hide_banner",
        *safety.input_flags(config.max_pixels),
        *arguments,
        "-of",
        "json",
        safety.input_url(path),
    ]
    try:
        completed = subprocess.run(
            command, capture_output=True, timeout=safety.probe_timeout(config), check=False
        )
    except subprocess.TimeoutExpired:
        raise rejected("timeout", "ffprobe timed out") from None
    stderr = completed.stderr.decode(errors="replace").strip()
    if "max pixel count" in stderr:
        raise rejected("too_many_pixels", stderr[-300:])
    if completed.returncode != 0:
        raise rejected(_failure_code(stderr, path), stderr[-500:])
    return completed.stdout


def _failure_code(stderr: str, path: Path) -> str:
    if "not on whitelist" in stderr:
        return "playlist"
    if "moov atom not found" in stderr and _starts_like_mp4(path):
        return "truncated"  # a real MP4 whose index, written last, never arrived
    return "not_media"


def _starts_like_mp4(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(8)[4:8] == b"ftyp"


def _scan_duration(path: Path, info: MediaInfo, config: PipelineConfig) -> float:
    index = info.video_index if info.video_index is not None else info.audio_index
    data = _ffprobe(
        path,
        config,
        ["-select_streams", str(index), "-show_entries", "packet=pts_time,duration_time"],
    )
    packets = json.loads(data or b"{}").get("packets", [])
    return max(
        (_float(p.get("pts_time")) + _float(p.get("duration_time")) for p in packets), default=0.0
    )


def parse_probe(data: dict) -> MediaInfo:
    streams = data.get("streams", [])
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
        ),
        None,
    )
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    fmt = data.get("format", {})
    duration = _float(fmt.get("duration")) or max(
        (_float(s.get("duration")) for s in streams), default=0.0
    )
    fields = {
        "duration": duration,
        "container": fmt.get("format_name", ""),
        "has_video": video is not None,
        "has_audio": audio is not None,
        "bit_rate": int(_float(fmt.get("bit_rate"))),
    }
    if video:
        rotation = _rotation(video)
        width, height = _display_size(video)
        if rotation in (90, 270):
            width, height = height, width
        fields |= {
            "width": width,
            "height": height,
            "rotation": rotation,
            "frame_rate": _frame_rate(video),
            "video_codec": video.get("codec_name", ""),
            "color_transfer": video.get("color_transfer", ""),
            "video_index": int(video.get("index", 0)),
        }
    if audio:
        fields |= {
            "audio_codec": audio.get("codec_name", ""),
            "audio_channels": int(audio.get("channels") or 0),
            "audio_index": int(audio.get("index", 0)),
        }
    return MediaInfo(**fields)


def validate(info: MediaInfo, config: PipelineConfig) -> None:
    if not (info.has_video or info.has_audio):
        raise rejected("no_streams", info.container)
    if info.has_video and (info.width <= 0 or info.height <= 0):
        raise rejected("not_media", "video stream without dimensions")
    if info.width * info.height > config.max_pixels:
        raise rejected("too_many_pixels", f"{info.width}x{info.height}")
    if info.duration <= 0:
        raise rejected("truncated", "no duration")
    if info.duration > config.max_duration:
        raise rejected("too_long", f"{info.duration:.0f} s > {config.max_duration:.0f} s")


def _float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _display_size(stream: dict) -> tuple[int, int]:
    """Old camcorder and DVD files store non-square pixels; the ladder needs what is shown."""
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    try:
        aspect = Fraction(str(stream.get("sample_aspect_ratio", "1:1")).replace(":", "/"))
    except (ValueError, ZeroDivisionError):
        aspect = Fraction(1)
    if aspect > 0 and aspect != 1 and Fraction(1, 4) < aspect < 4:
        width = round(width * aspect)
    return width, height


def _frame_rate(stream: dict) -> float:
    for key in ("avg_frame_rate", "r_frame_rate"):
        try:
            rate = Fraction(stream.get(key) or "0/1")
        except (ValueError, ZeroDivisionError):
            continue
        if SENSIBLE_FPS[0] <= rate <= SENSIBLE_FPS[1]:
            return round(float(rate), 3)
    return 0.0


def _rotation(stream: dict) -> int:
    """Rotation from the display matrix side data (newer files) or the old `rotate` tag."""
    degrees = 0.0
    for side_data in stream.get("side_data_list", []):
        if "rotation" in side_data:
            degrees = _float(side_data["rotation"])
    if not degrees:
        degrees = _float(stream.get("tags", {}).get("rotate"))
    return int(round(degrees / 90) * 90) % 360
