"""The pipeline's settings, with defaults near Apple's low HLS tiers for weak rural links.

Clients watch over 150-500 kbit/s, so the ladder starts at Apple's lowest H.264 tier (234p at
145 kbit/s) and a listen-only variant that peaks near 65 kbit/s. Django settings override any
field through `PipelineConfig.from_mapping(settings.KOTIKANAVA_PIPELINE)`, for example
`{"rungs": [{"short_side": 234, "max_kbps": 145, "preset": "slow", "denoise": True}, ...]}`.
"""

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class RungSpec:
    """A rung of the ladder: the short side of the picture, its video bitrate ceiling, its
    x264 preset for recordings ("" takes `PipelineConfig.preset`), whether recordings get a
    mild temporal denoise on this rung (streaming.pipeline.graph.LOW_RUNG_DENOISE), and x264
    search options on top of the preset for recordings (`x264-params` syntax, only the
    X264_EFFORT_OPTIONS: the keyframe grid and rate control stay the pipeline's)."""

    short_side: int
    max_kbps: int
    preset: str = ""
    denoise: bool = False
    x264_params: str = ""


# The rungs a weak link plays are small, so a slower preset there costs little CPU and buys
# picture per bit; the top rungs keep the fast default. benchmarks/low_rung_quality.py: about
# 28 % fewer bits at veryfast's SSIM on a hard camera-like clip (12 % on real footage of a
# person, issue 9), for 11 % more CPU on a whole 720p ladder (30 % with the search options
# below; 1-6 % more on a 1080p one, benchmarks/ladder_cpu.py). Slower presets than `medium`
# bought little more on the person-like clip (benchmarks/person_360p.py at PeerTube's SSIM:
# `slow` and `slower` none, `veryslow` 7 % for three times the CPU). A phone's sensor noise
# costs the low rungs the most bits, so they are also denoised over time, after the split (the
# top rungs keep every grain): 9 % fewer bytes at equal SSIM on the person-like clip (0.68x of
# PeerTube-style to 0.61x), for no measurable extra CPU on that rung.
# On top of `medium`, the parts of slower presets that paid on both test clips (issue 9,
# benchmarks/person_360p.py and low_rung_quality.py), in bytes at PeerTube's SSIM on the
# person-like clip:
# - 6 reference frames (medium: 3) and a lookahead of the whole 2 s GOP (medium: 40 frames):
#   about 2 % fewer;
# - 5 B-frames (medium: 3) placed by x264's optimal decision (medium: the fast one), with the
#   uneven multi-hexagon motion search (medium: hexagon): 4 % fewer again, 0.57x of
#   PeerTube-style to 0.545x. The B-frames alone lost SSIM on the camera-like clip at its cap;
#   with `umh`, which follows the fast motion, both of its rungs gained instead (360p 0.8767 to
#   0.8771, 234p 0.8550 to 0.8556).
# Together about 60 % more CPU on the rung than plain `medium` (the B-frames and `umh` 40 %).
# Not taken: the rate-control curve (`qcomp` 0.5, 1.5 % more on the person) is not a search
# option, so it stays the pipeline's; a weaker psy-rd raises SSIM only by giving up the texture
# it keeps. Fewer B-frames, the fast decision, `subme` 8-9, High profile's 8x8 transform,
# trellis 2, a lanczos scaler, other denoisers and strengths, and x264's own noise reduction
# gave less or lost on one of the clips.
LOW_RUNG_PRESET = "medium"
LOW_RUNG_X264_PARAMS = "ref=6:rc-lookahead=60:bframes=5:b-adapt=2:me=umh"
DEFAULT_RUNGS = (
    RungSpec(234, 145, LOW_RUNG_PRESET, denoise=True, x264_params=LOW_RUNG_X264_PARAMS),
    RungSpec(360, 365, LOW_RUNG_PRESET, denoise=True, x264_params=LOW_RUNG_X264_PARAMS),
    RungSpec(540, 730),
    RungSpec(720, 1400),
)
# Options that only change how hard x264 searches, so a rung may set them without touching
# the keyframe grid or the rate control (x264 picks the level `ref` needs, and the master
# playlist's CODECS is read from the stream).
X264_EFFORT_OPTIONS = frozenset({
    "bframes", "b-adapt", "ref", "rc-lookahead", "me", "merange", "subme", "trellis", "direct",
    "partitions",
})  # fmt: skip
X264_PRESETS = frozenset({
    "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow",
    "placebo",
})  # fmt: skip


@dataclass(frozen=True)
class PipelineConfig:
    rungs: tuple[RungSpec, ...] = DEFAULT_RUNGS
    # Capped CRF: a quality target; `max_kbps` only stops motion from overspending, so a still
    # screen recording spends far fewer bits than camera footage at the same rung.
    crf: int = 26
    # x264 preset of every rung without its own, and always of live streams, which must
    # encode in real time.
    preset: str = "veryfast"
    h264_profile: str = "main"
    # The rate-control buffer in seconds of `max_kbps`: small keeps segment peaks near the cap,
    # which matters more on a 300 kbit/s link than the last bit of quality in bursts.
    vbv_seconds: float = 2.0
    max_fps: float = 30.0
    # Segments and keyframes both every 2 s: the practical floor for start-up on weak links.
    segment_seconds: int = 2
    # AAC-LC stereo (DESIGN.md: HE-AAC from ffmpeg's own encoder was unreadable). Measured with
    # fMP4 overhead on a minute of speech (benchmarks/low_rung_quality.py): 61 kbit/s on average,
    # a 65 kbit/s peak and BANDWIDTH, so listen-only leaves over half of a 150 kbit/s link
    # for playlists, TCP and retransmissions.
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
        unknown = {self.preset, *(r.preset for r in self.rungs if r.preset)} - X264_PRESETS
        if unknown:
            raise ValueError(f"Unknown x264 presets: {', '.join(sorted(unknown))}")
        for rung in self.rungs:
            names = {item.partition("=")[0] for item in rung.x264_params.split(":") if item}
            if names - X264_EFFORT_OPTIONS:
                raise ValueError(
                    f"x264_params may set only {', '.join(sorted(X264_EFFORT_OPTIONS))}, "
                    f"not {', '.join(sorted(names - X264_EFFORT_OPTIONS))}"
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
