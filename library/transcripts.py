"""The transcript under a video: the lines of its published captions, readable without playing.

Built on the server from the published WebVTT file, so the text is in the page itself (for
search engines, screen readers, printing, and clients who would rather read than watch). The
file is parsed by the same checked parser that accepted it on upload
(`streaming.pipeline.captions`), and kept in the cache under its storage name: a published
caption file never changes under the same name.
"""

import html
import logging
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.storage import default_storage

from streaming.pipeline.captions import TAG, CaptionError, parse

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class TranscriptLine:
    start: float
    end: float
    text: str

    @property
    def stamp(self) -> str:
        """The start as a viewer reads it: 0:05, 12:40, 1:02:03."""
        total = int(self.start)
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        if hours:
            return f"{hours}:{minutes:02d}:{seconds:02d}"
        return f"{minutes}:{seconds:02d}"


@dataclass(frozen=True)
class Transcript:
    language: str
    label: str
    lines: list[TranscriptLine]


def lines_of(data: bytes | str) -> list[TranscriptLine]:
    """The cues as plain text lines: tags removed, a cue's own line breaks joined, a cue that
    repeats the one before left out (its time is then covered by the first)."""
    lines: list[TranscriptLine] = []
    for cue in parse(data):
        text = html.unescape(TAG.sub("", cue.text)).strip()
        text = re.sub(r"\s*\n\s*", " ", text)
        if not text:
            continue
        if lines and lines[-1].text == text:
            lines[-1] = TranscriptLine(lines[-1].start, cue.end, text)
            continue
        lines.append(TranscriptLine(cue.start, cue.end, text))
    return lines


def choose_track(tracks: list[dict], language: str) -> dict | None:
    """The page's own language if the video has captions in it, else the first track."""
    for track in tracks:
        if track["language"] == language:
            return track
    return tracks[0] if tracks else None


def transcript_for(video, language: str) -> Transcript | None:
    """The transcript of `video`'s published captions, in `language` when there are such."""
    if not video.is_playable:
        return None
    track = choose_track(video.output_manifest.get("captions", []), language)
    if track is None:
        return None
    name = video.output_prefix + track["uri"]
    key = f"library:transcript:{name}"
    lines = cache.get(key)
    if lines is None:
        lines = _read(name)
        if lines is None:
            return None
        cache.set(key, lines, CACHE_SECONDS)
    if not lines:
        return None
    return Transcript(track["language"], track["label"], lines)


def _read(name: str) -> list[TranscriptLine] | None:
    try:
        with default_storage.open(name, "rb") as handle:
            return lines_of(handle.read())
    except OSError as error:
        logger.warning("Published caption file %s cannot be read: %s", name, error)
    except CaptionError as error:
        logger.warning("Published caption file %s does not parse: %s", name, error)
    return None
