"""Running short ffmpeg jobs on our own finished output, with a time limit."""

import subprocess

from streaming.pipeline.errors import PipelineFailed

# Our own HLS output is trusted, but still read through local files only.
OWN_OUTPUT = {"protocol_whitelist": "file"}


def run_ffmpeg(stream, timeout: float) -> None:
    command = stream.global_args("-nostdin", "-hide_banner", "-loglevel", "error").compile()
    try:
        completed = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise PipelineFailed(f"timed out after {timeout:.0f} s: {' '.join(command)}") from error
    if completed.returncode != 0:
        raise PipelineFailed(completed.stderr.decode(errors="replace")[-1000:])
