"""Joining a session's packager runs into one playlist per rung: a viewer's window, or the archive.

Each run (one publish) has its own ffmpeg, its own numbering and its own init segments, and its
picture may differ from the run before (the host reconnected from a phone). ffmpeg 5.1 cannot
join them itself (`append_list` points every segment at the newest init segment), so the joined
playlists are ours: a discontinuity and the run's own `EXT-X-MAP` at every run boundary.

A session's rungs are the union of its runs' rungs; a run without a rung lends its nearest smaller
one (or its smallest), so every playlist covers every run. Pure functions: text in, text out.
"""

import math
import re
from dataclasses import dataclass

from streaming.live.packaging import AUDIO, WINDOW_PLAYLIST


@dataclass(frozen=True)
class LiveSegment:
    uri: str  # relative to the session's folder, e.g. "r1/v360/seg_00003.m4s"
    duration: float
    program_date_time: str | None = None


@dataclass(frozen=True)
class RunPlaylist:
    """What one run's ffmpeg has written for one rung so far."""

    init: str  # relative to the session's folder
    segments: tuple[LiveSegment, ...]
    ended: bool = False


@dataclass(frozen=True)
class Track:
    """One rung of one run, as a session playlist uses it."""

    run: int
    playlist: RunPlaylist


def parse_run_playlist(text: str, folder: str) -> RunPlaylist:
    """ffmpeg's own playlist of one run's rung; `folder` is its path in the session's folder."""
    init = ""
    segments = []
    duration = None
    stamp = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#EXT-X-MAP:"):
            found = re.search(r'URI="([^"]+)"', line)
            init = f"{folder}/{found.group(1)}" if found else ""
        elif line.startswith("#EXT-X-PROGRAM-DATE-TIME:"):
            stamp = line.split(":", 1)[1]
        elif line.startswith("#EXTINF:"):
            duration = float(line[len("#EXTINF:") :].split(",")[0])
        elif line and not line.startswith("#") and duration is not None:
            segments.append(LiveSegment(f"{folder}/{line}", duration, stamp))
            duration, stamp = None, None
    return RunPlaylist(init, tuple(segments), ended="#EXT-X-ENDLIST" in text)


def short_side(rung: str) -> int:
    return int(rung[1:]) if re.fullmatch(r"v\d+", rung) else 0


def session_rungs(runs: dict[int, list[str]]) -> list[str]:
    """Every video rung any run wrote, smallest first (`runs`: run number -> its rung names)."""
    names = {name for names in runs.values() for name in names if name != AUDIO}
    return sorted(names, key=short_side)


def stand_in(rung: str, available: list[str]) -> str | None:
    """The rung a run uses for `rung`: itself, else its nearest smaller one, else its smallest."""
    if rung in available:
        return rung
    if rung == AUDIO:
        return None
    video = sorted((name for name in available if name != AUDIO), key=short_side)
    smaller = [name for name in video if short_side(name) <= short_side(rung)]
    return (smaller or video or [None])[-1 if smaller else 0]


def window(tracks: list[Track], size: int, target_seconds: int, ended: bool = False) -> str:
    """A live viewer's playlist: the last `size` segments over every run, from one rung's folder.

    Sequence numbers count every segment since the session's first, and the discontinuity
    sequence every run boundary before the window, so they only ever grow as HLS requires.
    """
    flat = _flatten(tracks)
    shown = flat[-size:] if size else flat
    first = len(flat) - len(shown)
    boundaries_before = sum(1 for _, _, starts_run in flat[1 : first + 1] if starts_run)
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        f"#EXT-X-TARGETDURATION:{_target(shown, target_seconds)}",
        f"#EXT-X-MEDIA-SEQUENCE:{first}",
        f"#EXT-X-DISCONTINUITY-SEQUENCE:{boundaries_before}",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    lines += _segment_lines(shown, lambda uri: f"../{uri}")
    if ended:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def recording(tracks: list[Track], target_seconds: int, uri=lambda uri: uri) -> str:
    """The whole session as one VOD playlist; `uri` maps session-relative names to its links."""
    flat = _flatten(tracks)
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        f"#EXT-X-TARGETDURATION:{_target(flat, target_seconds)}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    lines += _segment_lines(flat, uri)
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def _flatten(tracks: list[Track]) -> list[tuple[LiveSegment, str, bool]]:
    """(segment, its init segment, whether it starts a run) over every run with segments."""
    flat = []
    for track in sorted(tracks, key=lambda t: t.run):
        for index, segment in enumerate(track.playlist.segments):
            flat.append((segment, track.playlist.init, index == 0))
    return flat


def _segment_lines(flat, uri) -> list[str]:
    lines = []
    for position, (segment, init, starts_run) in enumerate(flat):
        if starts_run or position == 0:
            if position > 0:
                lines.append("#EXT-X-DISCONTINUITY")
            lines.append(f'#EXT-X-MAP:URI="{uri(init)}"')
        if segment.program_date_time:
            lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{segment.program_date_time}")
        lines += [f"#EXTINF:{segment.duration:.3f},", uri(segment.uri)]
    return lines


def _target(flat, target_seconds: int) -> int:
    longest = max((entry[0].duration for entry in flat), default=0)
    return max(target_seconds, math.ceil(round(longest, 3)))


def live_master(variants: list[dict], audio_kbps: int) -> str:
    """The live master: every rung (`name`, `width`, `height`, `fps`, `max_kbps`, `codec`),
    smallest first, sharing one audio rendition, and the audio alone for listening only.

    A live stream has no measured rates yet: each rung declares its ceiling plus the audio,
    with a tenth for the fMP4 container, as both its peak and its average.
    """
    audio_bps = audio_kbps * 1100
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        f'#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,'
        f'CHANNELS="2",URI="{AUDIO}/{WINDOW_PLAYLIST}"',
    ]
    for variant in sorted(variants, key=lambda v: v["width"] * v["height"]):
        bandwidth = variant["max_kbps"] * 1100 + audio_bps
        lines += [
            f"#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},AVERAGE-BANDWIDTH={bandwidth},"
            f'CODECS="{variant["codec"]},mp4a.40.2",RESOLUTION={variant["width"]}x'
            f'{variant["height"]},FRAME-RATE={variant["fps"]:.3f},AUDIO="aud"',
            f"{variant['name']}/{WINDOW_PLAYLIST}",
        ]
    lines += [
        f'#EXT-X-STREAM-INF:BANDWIDTH={audio_bps},AVERAGE-BANDWIDTH={audio_bps},CODECS="mp4a.40.2"',
        f"{AUDIO}/{WINDOW_PLAYLIST}",
    ]
    return "\n".join(lines) + "\n"
