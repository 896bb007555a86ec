"""The progressive MP4 clients can save for watching offline.

It is a remux of one finished rung and the audio rendition, not another encode: the same bits
the stream serves, written with the index first (faststart) so it plays while downloading.
Running it after the ladder costs a fraction of a second and reads only our own output.
"""

from pathlib import Path

import ffmpeg

from streaming.pipeline.ffmpeg_run import OWN_OUTPUT, run_ffmpeg

DOWNLOAD = "download.mp4"


def remux_download(video_playlist: Path, audio_playlist: Path | None, target: Path) -> None:
    streams = [ffmpeg.input(str(video_playlist), **OWN_OUTPUT).video]
    if audio_playlist:
        streams.append(ffmpeg.input(str(audio_playlist), **OWN_OUTPUT).audio)
    output = ffmpeg.output(*streams, str(target), c="copy", movflags="+faststart")
    run_ffmpeg(output.overwrite_output(), timeout=600)
