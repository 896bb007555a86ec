"""How much output one upload may make, whatever its container claims.

The probe reads the duration a container declares, and a file can declare 2 s while holding hours
of frames (a patched MP4 `mvhd`/`mdhd`, a false Matroska `Duration`). Checking the claim against
`max_duration` is therefore not enough: ffmpeg itself is told to stop (`-t`), output much longer
than the claim is refused, and the bytes and files written are bounded. Pure arithmetic here;
`watch.py` measures the folder and `run.py` acts on the verdicts.
"""

import math
from dataclasses import dataclass

from streaming.pipeline.config import PipelineConfig

# Playlists, init segments and container headers: room that no bitrate accounts for.
FIXED_BYTES = 1024 * 1024
# Per output folder: init segment, playlist, ffmpeg's temporary playlist, a last short segment.
SPARE_FILES_PER_OUTPUT = 4


@dataclass(frozen=True)
class OutputLimits:
    """What one ffmpeg run may produce for an upload that claims `claimed` seconds."""

    claimed: float
    allowed: float  # more output than this means the container lied about its length
    seconds: float  # where ffmpeg is told to stop: the limit, or just past `allowed`
    max_bytes: int
    max_files: int


@dataclass(frozen=True)
class Usage:
    bytes: int
    files: int


def allowed_seconds(claimed: float, config: PipelineConfig) -> float:
    """The most output a truthful file of `claimed` seconds gives.

    Containers round, audio priming and variable frame rates add a little, and the last segment
    may run over; `duration_tolerance` (a share) plus one segment covers that with room to spare.
    """
    return claimed * (1 + config.duration_tolerance) + config.segment_seconds


def output_seconds(claimed: float, config: PipelineConfig) -> float:
    """ffmpeg's `-t`: never past `max_duration`, and one segment past what the claim allows, so
    a lying file is stopped early yet still shows the lie (its output exceeds `allowed`)."""
    return min(config.max_duration, allowed_seconds(claimed, config) + config.segment_seconds)


def byte_budget(seconds: float, rates_kbps: list[int], config: PipelineConfig) -> int:
    """Bytes `seconds` of output at these bitrate ceilings may take.

    The rate-control buffer lets an encode overspend its ceiling by one buffer (`vbv_seconds`),
    segments run up to one more; `output_size_factor` is the safety margin on top. Measured:
    10 s of noisy 720p came to 1.17 times the ceilings.
    """
    paid = seconds + config.vbv_seconds + config.segment_seconds
    return int(sum(rates_kbps) * 125 * paid * config.output_size_factor) + FIXED_BYTES


def file_budget(seconds: float, outputs: int, config: PipelineConfig) -> int:
    """HLS cuts a segment only once `segment_seconds` have passed, so each output folder holds
    at most one segment per `segment_seconds` plus a few fixed files."""
    return outputs * (math.ceil(seconds / config.segment_seconds) + SPARE_FILES_PER_OUTPUT)


def ladder_rates(config: PipelineConfig) -> list[int]:
    return [rung.max_kbps for rung in config.rungs] + [config.audio_kbps]


def configured_max_bytes(config: PipelineConfig) -> int:
    """`max_output_bytes`, or what the full ladder at `max_duration` may take."""
    return config.max_output_bytes or byte_budget(config.max_duration, ladder_rates(config), config)


def configured_max_files(config: PipelineConfig) -> int:
    """`max_output_files`, or what the full ladder and audio at `max_duration` may hold."""
    return config.max_output_files or file_budget(
        config.max_duration, len(config.rungs) + 1, config
    )


def for_run(
    claimed: float, video_kbps: list[int], has_audio: bool, config: PipelineConfig
) -> OutputLimits:
    """Limits for one upload's ladder: the configured ones, tightened to this run's length."""
    seconds = output_seconds(claimed, config)
    rates = list(video_kbps) + ([config.audio_kbps] if has_audio else [])
    outputs = len(video_kbps) + int(has_audio)
    return OutputLimits(
        claimed=claimed,
        allowed=allowed_seconds(claimed, config),
        seconds=seconds,
        max_bytes=min(configured_max_bytes(config), byte_budget(seconds, rates, config)),
        max_files=min(configured_max_files(config), file_budget(seconds, outputs, config)),
    )


def excess(usage: Usage, limits: OutputLimits) -> str | None:
    """What is over the limits, said for administrators, or None."""
    if usage.bytes > limits.max_bytes:
        return f"{usage.bytes} bytes written, limit {limits.max_bytes}"
    if usage.files > limits.max_files:
        return f"{usage.files} files written, limit {limits.max_files}"
    return None


def overran_claim(produced: float, limits: OutputLimits) -> bool:
    return produced > limits.allowed
