"""Where a session's live output lives in storage, by name (the layout every part shares).

    live/<public id>/master.m3u8               live master (every rung of the session, lowest first)
    live/<public id>/<rung>/live.m3u8          a viewer's sliding window over every run
    live/<public id>/r<N>/<rung>/index.m3u8    run N's complete list, as its ffmpeg wrote it
    live/<public id>/r<N>/<rung>/init.mp4      run N's init segment of that rung
    live/<public id>/r<N>/<rung>/seg_00000.m4s run N's segments

`<rung>` is a video rung's name (`v234`, `v360`, ...) or `audio`. A run is one packager process
(one publish); a reconnect or a restarted packager starts the next run.
"""

from streaming.pipeline import graph
from streaming.pipeline.graph import AUDIO_DIR, INIT_SEGMENT, PLAYLIST

LIVE_MASTER = "master.m3u8"
WINDOW_PLAYLIST = "live.m3u8"
# A run's renditions are named as a recording's are (streaming.pipeline.graph).
RUN_PLAYLIST = PLAYLIST
RUN_INIT = INIT_SEGMENT
SEGMENT_PATTERN = graph.SEGMENT_PATTERN
AUDIO = AUDIO_DIR


def run_folder(number: int) -> str:
    return f"r{number}"
