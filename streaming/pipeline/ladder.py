"""Choosing the rungs for one source: never upscaled, orientation kept, sizes even.

A rung's size names the picture's short side, so a portrait phone video gets 234x416 for "234p":
the same pixels, and so the same bitrate ceiling, as 416x234.
"""

from dataclasses import dataclass, replace

from streaming.pipeline.config import PipelineConfig, RungSpec
from streaming.pipeline.probe import MediaInfo


@dataclass(frozen=True)
class Rung:
    name: str  # folder and playlist name, e.g. "v360"
    width: int
    height: int
    max_kbps: int
    fps: float
    preset: str = ""  # x264 preset for recordings; "" takes the configuration's default
    denoise: bool = False  # recordings only: a mild temporal denoise before this rung's encoder
    x264_params: str = ""  # recordings only: x264 search options on top of the preset

    @property
    def short_side(self) -> int:
        return min(self.width, self.height)


def choose_ladder(info: MediaInfo, config: PipelineConfig) -> list[Rung]:
    if not info.has_video:
        return []
    source_short = min(info.width, info.height)
    fps = min(info.frame_rate or config.max_fps, config.max_fps)
    ordered = sorted(config.rungs, key=lambda spec: spec.short_side)
    specs = [spec for spec in ordered if spec.short_side <= source_short]
    if not specs:
        # Smaller than the lowest rung: one rung at the source's own size, with that rung's
        # rate, preset and denoise.
        lowest = ordered[0]
        specs = [replace(lowest, short_side=_even(source_short))]
    return [_rung(info, spec, fps) for spec in specs]


def _rung(info: MediaInfo, spec: RungSpec, fps: float) -> Rung:
    scale = spec.short_side / min(info.width, info.height)
    width, height = _even(info.width * scale), _even(info.height * scale)
    return Rung(
        name=f"v{spec.short_side}",
        width=width,
        height=height,
        max_kbps=spec.max_kbps,
        fps=round(fps, 3),
        preset=spec.preset,
        denoise=spec.denoise,
        x264_params=spec.x264_params,
    )


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def download_rung(rungs: list[Rung], config: PipelineConfig) -> Rung | None:
    """The rung for the offline MP4: the configured size, or the nearest smaller one."""
    if not rungs:
        return None
    fitting = [r for r in rungs if r.short_side <= config.download_short_side]
    return max(fitting, key=lambda r: r.short_side) if fitting else rungs[0]
