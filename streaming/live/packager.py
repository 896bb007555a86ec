"""One packager run: probe the incoming stream on loopback, then one ffmpeg writes its ladder.

The stream is read back from the ingest server (it renamed the publish to the session's id, so
no key is ever on a command line); the rungs are chosen as for recordings, never above the
source's size, and every rung plus the audio-only rendition is fMP4 HLS with 2 s segments and a
keyframe on every boundary. ffmpeg keeps each rung's complete list (`hls_list_size 0`); viewers
get the sliding window the supervisor writes from it.
"""

import json
import subprocess
from pathlib import Path

import ffmpeg

from streaming.conf import setting
from streaming.live.packaging import AUDIO, RUN_PLAYLIST
from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.graph import audio_options, hls_options, video_options
from streaming.pipeline.ladder import Rung, choose_ladder
from streaming.pipeline.probe import MediaInfo, parse_probe

# What a live input may be: RTMP from our own ingest, carrying FLV; nothing else is opened.
LIVE_PROTOCOLS = "rtmp,tcp"
LIVE_FORMATS = "flv,live_flv"
# A stream that delivers nothing for this long has ended (the publisher froze or left).
READ_TIMEOUT_SECONDS = 10
PROBE_TIMEOUT_SECONDS = 15


class UnreadableStream(Exception):
    """ffprobe could not read a picture or sound from the publish; the message says why."""


def stream_url(public_id) -> str:
    return f"rtmp://127.0.0.1:{setting('RTMP_PORT')}/{setting('RTMP_APP')}/{public_id}"


def input_options(config: PipelineConfig) -> dict:
    return {
        "protocol_whitelist": LIVE_PROTOCOLS,
        "format_whitelist": LIVE_FORMATS,
        "max_pixels": str(config.max_pixels),
        "rw_timeout": str(READ_TIMEOUT_SECONDS * 1_000_000),
    }


def probe_stream(url: str, config: PipelineConfig) -> MediaInfo:
    """The publish's picture and sound, from its first second (FLV metadata and first frames)."""
    flags = [arg for name, value in input_options(config).items() for arg in (f"-{name}", value)]
    command = ["ffprobe", "-v", "error", "-hide_banner", *flags]
    command += ["-analyzeduration", "2000000", "-show_streams", "-show_format", "-of", "json", url]
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=PROBE_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise UnreadableStream("no picture or sound arrived in time") from None
    if done.returncode != 0:
        raise UnreadableStream(done.stderr.decode(errors="replace").strip()[-300:])
    info = parse_probe(json.loads(done.stdout or b"{}"))
    if not info.has_video:
        raise UnreadableStream("the stream has no picture ffmpeg can read")
    if info.width * info.height > config.max_pixels:
        raise UnreadableStream(f"the picture is too large ({info.width}x{info.height})")
    return info


def live_rungs(info: MediaInfo, config: PipelineConfig) -> list[Rung]:
    """The recording ladder for this source; a missing frame rate is taken as 30 fps."""
    rungs = choose_ladder(info, config)
    if not rungs:
        raise UnreadableStream("the stream has no picture ffmpeg can read")
    return rungs


def live_video_options(rung: Rung, config: PipelineConfig) -> dict:
    """The recordings' capped CRF and segment-aligned keyframes, tuned for latency (no
    lookahead, no B-frames). Every rung takes the fast default preset, never a recording rung's
    slower one or its search options: live must encode in real time."""
    options = {**video_options(rung, config), "preset": config.preset, "tune": "zerolatency"}
    options.pop("x264-params", None)
    return options


def live_hls_options(config: PipelineConfig, folder: Path) -> dict:
    """The recordings' fMP4 segments as a growing event list that keeps every segment, with
    each segment's wall-clock time, and files renamed into place only once complete."""
    return {
        **hls_options(config, folder),
        "hls_list_size": 0,
        "hls_playlist_type": "event",
        "hls_flags": "independent_segments+program_date_time+temp_file",
    }


def build_command(
    url: str, info: MediaInfo, rungs: list[Rung], out_dir: Path, config: PipelineConfig
) -> list[str]:
    """ffmpeg arguments writing `<rung>/index.m3u8` per rung and `audio/index.m3u8`.

    A publish without sound gets silence, so every run has the same renditions and the
    session's playlists stay aligned run by run.
    """
    source = ffmpeg.input(url, **input_options(config))
    # Streams by kind, not by the probe's index: nginx-rtmp hands each new reader a publish's
    # streams in the order their first packets reach it, which may differ from the probe's.
    picture = (
        source["v:0"]
        .filter("fps", fps=rungs[0].fps)
        .filter("format", "yuv420p")
        .filter_multi_output("split", len(rungs))
    )
    outputs = []
    for index, rung in enumerate(rungs):
        folder = out_dir / rung.name
        scaled = picture[index].filter("scale", rung.width, rung.height).filter("setsar", 1)
        outputs.append(
            ffmpeg.output(
                scaled,
                str(folder / RUN_PLAYLIST),
                **live_video_options(rung, config),
                **live_hls_options(config, folder),
            )
        )
    if info.has_audio:
        sound = source["a:0"]
    else:
        # Silence at the pace of a clock; the supervisor stops the run when the publisher leaves.
        silence = f"anullsrc=r={config.audio_sample_rate}:cl=stereo"
        sound = ffmpeg.input(silence, f="lavfi", re=None).audio
    folder = out_dir / AUDIO
    outputs.append(
        ffmpeg.output(
            sound,
            str(folder / RUN_PLAYLIST),
            **audio_options(config),
            **live_hls_options(config, folder),
        )
    )
    graph = ffmpeg.merge_outputs(*outputs).global_args(
        "-nostdin", "-hide_banner", "-loglevel", "error", "-nostats"
    )
    return graph.compile()


def folders(rungs: list[Rung]) -> list[str]:
    return [rung.name for rung in rungs] + [AUDIO]
