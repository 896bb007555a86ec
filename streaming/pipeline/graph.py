"""The one ffmpeg process that decodes the upload once and encodes every rung and the audio.

Decoding is the costly half of a phone video's transcode, so one process decodes once and a
`split` filter feeds every rung (0.6x the CPU of one process per rung). Built with ffmpeg-python;
`build_command` returns the argument list, so tests can read it without running ffmpeg.
"""

import math
from pathlib import Path

import ffmpeg

from streaming.pipeline import limits, safety
from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.ladder import Rung
from streaming.pipeline.probe import MediaInfo

AUDIO_DIR = "audio"
PLAYLIST = "index.m3u8"
INIT_SEGMENT = "init.mp4"
SEGMENT_PATTERN = "seg_%05d.m4s"
# Sparse audio next to slow video encoders must not overflow ffmpeg's small default queue.
MUXING_QUEUE = 4096
# hqdn3d over time only, at its default temporal strength: sensor noise changes every frame and
# costs a low rung bits it cannot spare, while spatial smoothing would take the detail too.
# Stronger (9, 12) lost SSIM on moving parts (benchmarks/person_360p.py).
LOW_RUNG_DENOISE = {"luma_spatial": 0, "chroma_spatial": 0, "luma_tmp": 6, "chroma_tmp": 6}
# What tone-mapped rungs are, said in the stream, so players do not guess.
SDR_TAGS = {"color_primaries": "bt709", "color_trc": "bt709", "colorspace": "bt709"}


def hls_options(config: PipelineConfig, folder: Path) -> dict:
    return {
        "f": "hls",
        "hls_time": config.segment_seconds,
        "hls_playlist_type": "vod",
        "hls_segment_type": "fmp4",
        "hls_flags": "independent_segments",
        "hls_fmp4_init_filename": INIT_SEGMENT,
        "hls_segment_filename": str(folder / SEGMENT_PATTERN),
        "max_muxing_queue_size": MUXING_QUEUE,
    }


def video_options(rung: Rung, config: PipelineConfig) -> dict:
    """Capped CRF with keyframes at the same instants in every rung, so players switch anywhere.

    Every rung gets the same frames from `split` and a fixed GOP with no scene-cut keyframes,
    and `force_key_frames` pins one on every segment boundary even for 29.97 fps sources.
    Each output has its own encoder, so the low rungs can take a slower preset (and search
    options on top of it) than the top.
    """
    gop = max(1, math.ceil(rung.fps * config.segment_seconds))
    effort = {"x264-params": rung.x264_params} if rung.x264_params else {}
    return {
        "c:v": "libx264",
        "preset": rung.preset or config.preset,
        "profile:v": config.h264_profile,
        "crf": config.crf,
        "maxrate": f"{rung.max_kbps}k",
        "bufsize": f"{round(rung.max_kbps * config.vbv_seconds)}k",
        "g": gop,
        "keyint_min": gop,
        "sc_threshold": 0,
        "force_key_frames": f"expr:gte(t,n_forced*{config.segment_seconds})",
        **effort,
    }


def audio_options(config: PipelineConfig) -> dict:
    return {
        "c:a": "aac",  # AAC-LC: Apple's rule, and ffmpeg 5.1 drops CODECS for Opus
        "b:a": f"{config.audio_kbps}k",
        "ac": 2,
        "ar": config.audio_sample_rate,
    }


def build_command(
    source: Path, info: MediaInfo, rungs: list[Rung], out_dir: Path, config: PipelineConfig
) -> list[str]:
    """ffmpeg arguments writing `<rung>/index.m3u8` per rung and `audio/index.m3u8` once.

    `-t` on the input stops reading a file that runs past its claimed length; `-t` on every
    output also stops frames a filter makes up (`fps` fills a timestamp gap with copies).
    """
    stop = {"t": f"{limits.output_seconds(info.duration, config):.3f}"}
    source_node = ffmpeg.input(
        safety.input_url(source), **stop, **safety.input_options(config.max_pixels)
    )
    outputs = []
    if rungs:
        picture = _stream(source_node, info.video_index, "v").filter("fps", fps=rungs[0].fps)
        if info.is_hdr:
            picture = _tone_mapped(picture, rungs[-1])
        picture = picture.filter("format", "yuv420p").filter_multi_output("split", len(rungs))
        for index, rung in enumerate(rungs):
            folder = out_dir / rung.name
            outputs.append(
                ffmpeg.output(
                    rung_picture(picture[index], rung),
                    str(folder / PLAYLIST),
                    **video_options(rung, config),
                    **(SDR_TAGS if info.is_hdr else {}),
                    **hls_options(config, folder),
                    **stop,
                )
            )
    if info.has_audio:
        folder = out_dir / AUDIO_DIR
        outputs.append(
            ffmpeg.output(
                _stream(source_node, info.audio_index, "a"),
                str(folder / PLAYLIST),
                **audio_options(config),
                **hls_options(config, folder),
                **stop,
            )
        )
    graph = ffmpeg.merge_outputs(*outputs).global_args(
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        "-nostats",
        "-progress",
        "pipe:1",
        *(["-threads", str(config.threads)] if config.threads else []),
    )
    return graph.compile()


def rung_picture(picture, rung: Rung):
    """One branch of the split at the rung's size; a rung marked `denoise` is denoised after
    scaling, where it costs a fraction of the full-size work and leaves the other rungs alone."""
    scaled = picture.filter("scale", rung.width, rung.height)
    if rung.denoise:
        scaled = scaled.filter("hqdn3d", **LOW_RUNG_DENOISE)
    return scaled.filter("setsar", 1)


def _tone_mapped(picture, top: Rung):
    """HDR phone video (PQ or HLG, BT.2020) as BT.709 SDR, which every player shows right.

    Without this, the 10-bit HDR signal read as SDR looks grey and washed out. The picture is
    scaled to the top rung while still linear, so the costly float stage runs at 720p, not 4K;
    Mobius keeps tones up to SDR white as they are and only rolls off the brighter highlights.
    """
    return (
        picture.filter("zscale", w=top.width, h=top.height, t="linear", npl=100)
        .filter("format", "gbrpf32le")
        .filter("zscale", p="bt709")
        .filter("tonemap", tonemap="mobius", desat=0)
        .filter("zscale", t="bt709", m="bt709", r="tv")
    )


def _stream(source_node, index: int | None, kind: str):
    """The probed stream by index: `0:v` would take cover art, `0:a` every microphone track."""
    return source_node[str(index)] if index is not None else source_node[f"{kind}:0"]


def output_folders(info: MediaInfo, rungs: list[Rung]) -> list[str]:
    return [rung.name for rung in rungs] + ([AUDIO_DIR] if info.has_audio else [])
