"""Caption files: WebVTT checked, SRT converted to WebVTT, broken lines named, transcript text.

Pure Python: staff upload these, so errors must say which line is wrong.
"""

import html
import re
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

TIMESTAMP = r"(?:(\d{1,3}):)?([0-5]\d):([0-5]\d)[.,](\d{3})"
TIMING = re.compile(rf"^{TIMESTAMP}\s+-->\s+{TIMESTAMP}(?:\s+.*)?$")
TAG = re.compile(r"<[^>]+>|\{\\[^}]*\}")


class CaptionError(ValueError):
    """A caption file staff must fix: `message` (lazy, translatable) and the 1-based `line`."""

    def __init__(self, message, line: int):
        super().__init__(f"line {line}")
        self.message = message
        self.line = line

    def user_message(self):
        return format_lazy(_("Line {line}: {problem}"), line=self.line, problem=self.message)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def parse(data: bytes | str) -> list[Cue]:
    """Cues of a WebVTT or SRT file, whichever it is."""
    text = _decode(data)
    lines = text.splitlines()
    if lines and lines[0].startswith("WEBVTT"):
        if lines[0] != "WEBVTT" and lines[0][6] not in " \t":
            raise CaptionError(_("The first line must be WEBVTT."), 1)
        # Header lines such as "Kind: captions" run until the first blank line.
        return _parse_cues(lines, first=_skip_block(lines, 0), numbered=False)
    return _parse_cues(lines, first=0, numbered=True)


def to_webvtt(cues: list[Cue]) -> str:
    blocks = ["WEBVTT", ""]
    for cue in cues:
        blocks += [f"{vtt_timestamp(cue.start)} --> {vtt_timestamp(cue.end)}", cue.text, ""]
    return "\n".join(blocks)


def transcript(cues: list[Cue]) -> str:
    """Plain text of the captions, tags removed, consecutive duplicates dropped."""
    paragraphs = []
    for cue in cues:
        plain = html.unescape(TAG.sub("", cue.text)).strip()
        plain = re.sub(r"\s*\n\s*", " ", plain)
        if plain and (not paragraphs or paragraphs[-1] != plain):
            paragraphs.append(plain)
    return "\n".join(paragraphs)


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")  # "Unicode" text saved by Windows Notepad
    if b"\x00" in data:
        raise CaptionError(_("The file is not text."), 1)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CaptionError(_("The file is not text."), 1)


def _parse_cues(lines: list[str], first: int, numbered: bool) -> list[Cue]:
    cues = []
    index = first
    while index < len(lines):
        line = lines[index].strip()
        if not line:
            index += 1
            continue
        if not numbered and line.startswith(("NOTE", "STYLE", "REGION")):
            index = _skip_block(lines, index)
            continue
        if "-->" not in line:
            # A cue identifier (SRT's number, or an optional WebVTT id) precedes the timing.
            if numbered and not line.isdigit():
                raise CaptionError(
                    format_lazy(_("Expected a caption number, found “{found}”."), found=line[:40]),
                    index + 1,
                )
            index += 1
            if index >= len(lines) or "-->" not in lines[index]:
                raise CaptionError(
                    _("Expected a timing line such as 00:00:01,000 --> 00:00:03,000."), index + 1
                )
            line = lines[index].strip()
        start, end = _timing(line, index + 1)
        index += 1
        text_lines = []
        while index < len(lines) and lines[index].strip():
            text_lines.append(lines[index].rstrip())
            index += 1
        if not text_lines:
            raise CaptionError(_("The caption has no text."), index)
        cues.append(Cue(start, end, "\n".join(text_lines)))
    if not cues:
        raise CaptionError(_("The file has no captions."), max(1, len(lines)))
    return cues


def _timing(line: str, number: int) -> tuple[float, float]:
    match = TIMING.match(line)
    if not match:
        raise CaptionError(
            format_lazy(_("The timing “{timing}” is not valid."), timing=line[:60]), number
        )
    groups = match.groups()
    start, end = _seconds(groups[:4]), _seconds(groups[4:8])
    if end <= start:
        raise CaptionError(_("The caption ends before it starts."), number)
    return start, end


def _seconds(parts) -> float:
    hours, minutes, seconds, millis = parts
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def vtt_timestamp(value: float) -> str:
    """WebVTT's hh:mm:ss.mmm for a time in seconds."""
    millis = round(value * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    seconds, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _skip_block(lines: list[str], index: int) -> int:
    while index < len(lines) and lines[index].strip():
        index += 1
    return index
