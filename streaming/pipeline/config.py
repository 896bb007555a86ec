"""The pipeline's settings, with defaults near Apple's low HLS tiers for weak rural links.

Clients watch over 150-500 kbit/s, so the ladder starts at Apple's lowest H.264 tier (234p at
145 kbit/s) and a listen-only variant under 64 kbit/s. Django settings override any field through
`PipelineConfig.from_mapping(settings.KOTIKANAVA_PIPELINE)`.
"""

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class RungSpec:
    """A rung of the ladder: the short side of the picture and its video bitrate ceiling."""

    short_side: int
    max_kbps: int


DEFAULT_RUNGS = (
    RungSpec(234, 145),
    RungSpec(360, 365),
    RungSpec(540, 730),
    RungSpec(720, 1400),
)


@dataclass(frozen=True)
class PipelineConfig:
    rungs: tuple[RungSpec, ...] = DEFAULT_RUNGS
    # Capped CRF: a quality target; `max_kbps` only stops motion from overspending, so a still
    # screen recording spends far fewer bits than camera footage at the same rung.
    crf: int = 26
    preset: str = "veryfast"
    h264_profile: str = "main"
    # The rate-control buffer in seconds of `max_kbps`: small keeps segment peaks near the cap,
    # which matters more on a 300 kbit/s link than the last bit of quality in bursts.
    vbv_seconds: float = 2.0
    max_fps: float = 30.0
    # Segments and keyframes both every 2 s: the practical floor for start-up on weak links.
    segment_seconds: int = 2
    # AAC-LC stereo; with fMP4 overhead the listen-only variant stays under 64 kbit/s.
    audio_kbps: int = 56
    audio_sample_rate: int = 48000
    # The progressive MP4 for saving offline: the rung with this short side (or the nearest).
    download_short_side: int = 360
    poster_width: int = 640
    storyboard_interval: int = 10
    storyboard_width: int = 160
    # Limits for untrusted uploads. `max_duration` is enforced on the output (ffmpeg's `-t`),
    # not only on the length the container claims.
    max_duration: float = 4 * 3600
    # Output may exceed the claimed length by this share (plus one segment) before the upload
    # is refused as lying about its length.
    duration_tolerance: float = 0.1
    # Bytes and files one encode may write; 0 derives them from the ladder at `max_duration`
    # (bitrate ceilings x `output_size_factor`). Each run is also held to its own length.
    max_output_bytes: int = 0
    max_output_files: int = 0
    output_size_factor: float = 2.0
    # How often the output folder is measured while ffmpeg writes it.
    output_check_seconds: float = 1.0
    max_pixels: int = 4096 * 2304
    probe_timeout: float = 30.0
    # The transcode may take this many times the duration (plus a minute) before it is stopped.
    timeout_factor: float = 8.0
    threads: int = 0

    def __post_init__(self):
        if not self.rungs:
            raise ValueError("The pipeline needs at least one rung.")
        if not 0 <= self.crf <= 51:
            raise ValueError(f"crf must be 0-51, not {self.crf}")
        if self.segment_seconds <= 0 or self.max_fps <= 0 or self.vbv_seconds <= 0:
            raise ValueError("segment_seconds, max_fps and vbv_seconds must be positive")
        if self.max_duration <= 0 or self.output_size_factor <= 0 or self.output_check_seconds <= 0:
            raise ValueError(
                "max_duration, output_size_factor and output_check_seconds must be positive"
            )
        if min(self.duration_tolerance, self.max_output_bytes, self.max_output_files) < 0:
            raise ValueError("duration_tolerance and the output limits must not be negative")

    @classmethod
    def from_mapping(cls, overrides: dict) -> "PipelineConfig":
        """Defaults with `overrides` applied; rungs may be RungSpecs, pairs or dicts."""
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise ValueError(f"Unknown pipeline settings: {', '.join(sorted(unknown))}")
        values = dict(overrides)
        if "rungs" in values:
            values["rungs"] = tuple(
                sorted((_rung_spec(rung) for rung in values["rungs"]), key=lambda r: r.short_side)
            )
        return replace(cls(), **values)


def _rung_spec(value) -> RungSpec:
    if isinstance(value, RungSpec):
        return value
    if isinstance(value, dict):
        return RungSpec(**value)
    return RungSpec(*value)
