"""Cutting our own HLS output to a time range without touching a single segment.

Pure functions of playlist text and numbers: which segments a range keeps (on the keyframe
grid every rung shares), the shortened media playlists, and the captions and storyboard moved
to the new start. `streaming.trim` reads and stores the files.
"""

import math
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from streaming.pipeline.captions import Cue, vtt_timestamp

# Shorter than this is no recording worth publishing (and a player needs one whole segment).
MIN_KEPT_SECONDS = 1.0


class TrimRangeError(ValueError):
    """The asked range keeps nothing, or is not a range at all."""


@dataclass(frozen=True)
class Entry:
    """One media segment with the tags that belong to it."""

    uri: str
    duration: float
    init: str | None  # the EXT-X-MAP in effect for it
    discontinuity: bool = False
    tags: tuple[str, ...] = ()  # e.g. EXT-X-PROGRAM-DATE-TIME, written before its EXTINF


@dataclass(frozen=True)
class MediaPlaylist:
    version: int
    entries: tuple[Entry, ...]
    header: tuple[str, ...] = field(default=())

    @property
    def durations(self) -> list[float]:
        return [entry.duration for entry in self.entries]


def snap_to_grid(
    start: float, end: float, duration: float, segment_seconds: float = 2.0
) -> tuple[float, float]:
    """The range a cut on the keyframe grid keeps: start rounded down, end rounded up, so what
    staff marked is never lost. Raises `TrimRangeError` for a range that keeps nothing."""
    if not all(math.isfinite(v) for v in (start, end, duration)) or segment_seconds <= 0:
        raise TrimRangeError("not a number")
    start = max(0.0, start)
    end = min(duration, end)
    if end - start < MIN_KEPT_SECONDS or start >= duration:
        raise TrimRangeError(f"nothing kept between {start} and {end}")
    snapped_start = math.floor(start / segment_seconds + 1e-9) * segment_seconds
    snapped_end = min(duration, math.ceil(end / segment_seconds - 1e-9) * segment_seconds)
    return round(snapped_start, 3), round(snapped_end, 3)


def kept_indices(durations: list[float], start: float, end: float) -> range:
    """The segments whose middle lies in [start, end): on the video grid exactly the segments
    of the range, and for audio (whose AAC frames end a few ms off the grid) the nearest ones."""
    first = last = None
    position = 0.0
    for index, duration in enumerate(durations):
        middle = position + duration / 2
        if start <= middle < end:
            first = index if first is None else first
            last = index
        position += duration
    if first is None:
        raise TrimRangeError(f"no segment between {start} and {end}")
    return range(first, last + 1)


def span(durations: list[float], kept: range) -> tuple[float, float]:
    """Start and end time of the kept segments on the original timeline."""
    start = sum(durations[: kept.start])
    return start, start + sum(durations[kept.start : kept.stop])


def parse_media_playlist(text: str) -> MediaPlaylist:
    """The segments of a VOD media playlist, each with its init segment and own tags."""
    version = 7
    entries = []
    init = None
    discontinuity = False
    duration = None
    tags: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#EXT-X-VERSION:"):
            version = int(line.split(":", 1)[1])
        elif line.startswith("#EXT-X-MAP:"):
            init = re.search(r'URI="([^"]+)"', line).group(1)
        elif line == "#EXT-X-DISCONTINUITY":
            discontinuity = True
        elif line.startswith("#EXTINF:"):
            duration = float(line[len("#EXTINF:") :].split(",")[0])
        elif line.startswith("#EXT-X-PROGRAM-DATE-TIME:"):
            tags.append(line)
        elif line and not line.startswith("#") and duration is not None:
            entries.append(Entry(line, duration, init, discontinuity, tuple(tags)))
            discontinuity, duration, tags = False, None, []
    return MediaPlaylist(version, tuple(entries))


def trimmed_playlist(
    playlist: MediaPlaylist, kept: range, rebase: Callable[[str], str] = lambda uri: uri
) -> str:
    """A VOD playlist of the kept segments: numbered from 0, its init segment before the first
    one and after every discontinuity, every URI passed through `rebase`."""
    entries = playlist.entries[kept.start : kept.stop]
    longest = max(entry.duration for entry in entries)
    lines = [
        "#EXTM3U",
        f"#EXT-X-VERSION:{playlist.version}",
        f"#EXT-X-TARGETDURATION:{math.ceil(round(longest, 3))}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    current_init = None
    for position, entry in enumerate(entries):
        if position > 0 and entry.discontinuity:
            lines.append("#EXT-X-DISCONTINUITY")
        if entry.init and (entry.init != current_init or entry.discontinuity):
            lines.append(f'#EXT-X-MAP:URI="{rebase(entry.init)}"')
            current_init = entry.init
        lines += list(entry.tags)
        lines += [f"#EXTINF:{entry.duration:.6f},", rebase(entry.uri)]
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def relative_to(source_dir: str, target_dir: str) -> Callable[[str], str]:
    """Rebase URIs written relative to `source_dir` so they work from `target_dir`."""

    def rebase(uri: str) -> str:
        return posixpath.relpath(posixpath.normpath(posixpath.join(source_dir, uri)), target_dir)

    return rebase


def shift_cues(cues: list[Cue], start: float, end: float) -> list[Cue]:
    """Captions on the cut's timeline: moved back by `start`, clipped to the kept part."""
    shifted = []
    for cue in cues:
        if cue.end <= start or cue.start >= end:
            continue
        shifted.append(
            Cue(
                round(max(cue.start, start) - start, 3),
                round(min(cue.end, end) - start, 3),
                cue.text,
            )
        )
    return shifted


STORYBOARD_CUE = re.compile(r"(\d+):(\d\d):(\d\d\.\d{3}) --> (\d+):(\d\d):(\d\d\.\d{3})")


def parse_storyboard(vtt: str) -> list[dict]:
    """Cues of our storyboard track: start, end, sheet image and the tile's rectangle."""
    cues = []
    rows = vtt.splitlines()
    for index, row in enumerate(rows[:-1]):
        match = STORYBOARD_CUE.fullmatch(row.strip())
        if not match:
            continue
        h1, m1, s1, h2, m2, s2 = match.groups()
        image, _hash, fragment = rows[index + 1].strip().partition("#xywh=")
        x, y, width, height = (int(v) for v in fragment.split(",")) if fragment else (0, 0, 0, 0)
        cues.append(
            {
                "start": int(h1) * 3600 + int(m1) * 60 + float(s1),
                "end": int(h2) * 3600 + int(m2) * 60 + float(s2),
                "image": image,
                "x": x,
                "y": y,
                "width": width,
                "height": height,
            }
        )
    return cues


def shift_storyboard(vtt: str, start: float, end: float, rebase: Callable[[str], str]) -> str:
    """The storyboard's thumbnail track moved to the cut's timeline, tiles still in the source
    sheets (through `rebase`)."""
    lines = ["WEBVTT", ""]
    for cue in parse_storyboard(vtt):
        if cue["end"] <= start or cue["start"] >= end:
            continue
        tile = f"{cue['x']},{cue['y']},{cue['width']},{cue['height']}"
        cue_start, cue_end = max(cue["start"], start) - start, min(cue["end"], end) - start
        lines += [
            f"{vtt_timestamp(cue_start)} --> {vtt_timestamp(cue_end)}",
            f"{rebase(cue['image'])}#xywh={tile}",
            "",
        ]
    return "\n".join(lines)


@dataclass(frozen=True)
class Rendition:
    """A media playlist the master names, with what the master says about it."""

    uri: str
    audio: bool
    width: int = 0
    height: int = 0
    fps: float = 0.0
    video_codec: str = ""
    audio_codec: str = "mp4a.40.2"


def master_renditions(master: str) -> list[Rendition]:
    """The video variants (and the audio rendition) our own master playlist declares."""
    renditions = {}
    audio_codec = "mp4a.40.2"
    lines = master.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attributes = dict(re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1]))
            codecs = attributes.get("CODECS", '""').strip('"').split(",")
            uri = lines[index + 1].strip()
            if "RESOLUTION" in attributes:
                width, height = (int(v) for v in attributes["RESOLUTION"].split("x"))
                video_codec = next((c for c in codecs if c.startswith("avc")), codecs[0])
                audio_codec = next((c for c in codecs if c.startswith("mp4a")), audio_codec)
                fps = float(attributes.get("FRAME-RATE", "30"))
                renditions[uri] = Rendition(uri, False, width, height, fps, video_codec)
            else:
                audio_codec = codecs[0] or audio_codec
                renditions.setdefault(uri, Rendition(uri, True))
        elif line.startswith("#EXT-X-MEDIA:TYPE=AUDIO"):
            uri = re.search(r'URI="([^"]+)"', line).group(1)
            renditions.setdefault(uri, Rendition(uri, True))
    return [
        Rendition(r.uri, True, audio_codec=audio_codec) if r.audio else r
        for r in renditions.values()
    ]
