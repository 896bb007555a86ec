"""HLS playlists: reading what ffmpeg wrote, measuring it, and writing the master playlist.

ffmpeg 5.1 declares configured rates, not measured ones, and leaves out AVERAGE-BANDWIDTH and
FRAME-RATE; Apple's rules want measured peak and average rates. So the master is ours.
"""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ACCESSIBILITY = (
    "public.accessibility.transcribes-spoken-dialog,public.accessibility.describes-music-and-sound"
)
AUDIO_GROUP = "aud"
SUBTITLE_GROUP = "subs"


@dataclass(frozen=True)
class Segment:
    uri: str
    duration: float
    size: int


@dataclass(frozen=True)
class Measured:
    """A media playlist with its segments' sizes: peak and average bits per second."""

    uri: str
    segments: tuple[Segment, ...]
    init_size: int = 0  # the fMP4 init segment, fetched once per rendition

    @property
    def duration(self) -> float:
        return sum(segment.duration for segment in self.segments)

    @property
    def peak_bps(self) -> int:
        """The highest segment rate; a stub segment (a few audio frames at the end) would
        overstate it through fixed per-segment overhead, so only segments of some length count."""
        longest = max((s.duration for s in self.segments), default=0)
        full = [s for s in self.segments if s.duration >= longest / 2]
        return max((_bps(s.size, s.duration) for s in full if s.duration > 0), default=0)

    @property
    def declared_peak_bps(self) -> int:
        """BANDWIDTH to declare: the peak, never below the average (a short clip's init segment
        can lift the average over its one or two segments' peak)."""
        return max(self.peak_bps, self.average_bps)

    @property
    def average_bps(self) -> int:
        """Every byte a viewer of the whole recording fetches, init segment included."""
        return _bps(self.init_size + sum(s.size for s in self.segments), self.duration)


@dataclass(frozen=True)
class VideoVariant:
    playlist: Measured
    width: int
    height: int
    fps: float
    video_codec: str  # e.g. avc1.4d401e


@dataclass(frozen=True)
class CaptionTrack:
    language: str
    name: str
    uri: str  # the caption's one-segment playlist


def _subtitles_media(track: CaptionTrack) -> str:
    return (
        f'#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="{SUBTITLE_GROUP}",NAME="{_quoted(track.name)}",'
        f'LANGUAGE="{_quoted(track.language)}",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,'
        f'CHARACTERISTICS="{ACCESSIBILITY}",URI="{track.uri}"'
    )


def _quoted(value: str) -> str:
    """A staff-written caption name must not end the quoted attribute or the line."""
    return " ".join(re.sub(r'["\r\n]', " ", str(value)).split())


def _bps(size: int, duration: float) -> int:
    return math.ceil(size * 8 / duration) if duration > 0 else 0


def measure(playlist_path: Path, uri: str) -> Measured:
    """Segments of a media playlist with their durations and sizes on disk."""
    segments = []
    duration = None
    init_size = 0
    for line in playlist_path.read_text().splitlines():
        if line.startswith("#EXT-X-MAP:"):
            init = re.search(r'URI="([^"]+)"', line)
            init_size = (playlist_path.parent / init.group(1)).stat().st_size if init else 0
        elif line.startswith("#EXTINF:"):
            duration = float(line[len("#EXTINF:") :].split(",")[0])
        elif line and not line.startswith("#") and duration is not None:
            size = (playlist_path.parent / line).stat().st_size
            segments.append(Segment(line, duration, size))
            duration = None
    return Measured(uri, tuple(segments), init_size)


def master_playlist(
    variants: list[VideoVariant],
    audio: Measured | None,
    captions: list[CaptionTrack] = (),
    audio_codec: str = "mp4a.40.2",
) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    if audio and variants:
        lines.append(
            f'#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="{AUDIO_GROUP}",NAME="audio",DEFAULT=YES,'
            f'AUTOSELECT=YES,CHANNELS="2",URI="{audio.uri}"'
        )
    lines += [_subtitles_media(track) for track in captions]
    # Lowest rung first: players without a bandwidth estimate start with the first variant.
    for variant in sorted(variants, key=lambda v: (v.width * v.height, v.playlist.average_bps)):
        codecs = [variant.video_codec] + ([audio_codec] if audio else [])
        peak = variant.playlist.declared_peak_bps + (audio.declared_peak_bps if audio else 0)
        average = variant.playlist.average_bps + (audio.average_bps if audio else 0)
        attributes = [
            f"BANDWIDTH={peak}",
            f"AVERAGE-BANDWIDTH={average}",
            f'CODECS="{",".join(codecs)}"',
            f"RESOLUTION={variant.width}x{variant.height}",
            f"FRAME-RATE={variant.fps:.3f}",
        ]
        if audio:
            attributes.append(f'AUDIO="{AUDIO_GROUP}"')
        if captions:
            attributes.append(f'SUBTITLES="{SUBTITLE_GROUP}"')
        lines += ["#EXT-X-STREAM-INF:" + ",".join(attributes), variant.playlist.uri]
    if audio:
        # Listen-only: the audio on its own, for clients who pay for every megabyte.
        attributes = [
            f"BANDWIDTH={audio.declared_peak_bps}",
            f"AVERAGE-BANDWIDTH={audio.average_bps}",
            f'CODECS="{audio_codec}"',
        ] + ([f'SUBTITLES="{SUBTITLE_GROUP}"'] if captions else [])
        lines += ["#EXT-X-STREAM-INF:" + ",".join(attributes), audio.uri]
    return "\n".join(lines) + "\n"


def relink_master(text: str, rebase: Callable[[str], str], captions: list[CaptionTrack]) -> str:
    """Our own master playlist with every URI passed through `rebase` and new caption tracks.

    Used when only the captions change: the new version's master points at the ladder the
    previous version already stored instead of encoding it again.
    """
    lines = []
    for line in text.splitlines():
        if line.startswith("#EXT-X-MEDIA:TYPE=SUBTITLES"):
            continue
        if line.startswith("#EXT-X-STREAM-INF:"):
            line = line.replace(f',SUBTITLES="{SUBTITLE_GROUP}"', "")
            if captions:
                line += f',SUBTITLES="{SUBTITLE_GROUP}"'
        elif line.startswith("#EXT-X-MEDIA:"):
            line = re.sub(r'URI="([^"]+)"', lambda m: f'URI="{rebase(m.group(1))}"', line)
        elif line and not line.startswith("#"):
            line = rebase(line)
        lines.append(line)
    media_end = max(
        (i + 1 for i, line in enumerate(lines) if line.startswith("#EXT-X-MEDIA:")),
        default=3,  # after #EXTM3U, VERSION and INDEPENDENT-SEGMENTS
    )
    lines[media_end:media_end] = [_subtitles_media(track) for track in captions]
    return "\n".join(lines) + "\n"


def write_subtitles_playlist(vtt_name: str, duration: float) -> str:
    """A whole-file WebVTT as a one-segment VOD playlist (plays exactly in hls.js)."""
    return (
        "\n".join(
            [
                "#EXTM3U",
                "#EXT-X-VERSION:3",
                f"#EXT-X-TARGETDURATION:{max(1, math.ceil(duration))}",
                "#EXT-X-MEDIA-SEQUENCE:0",
                "#EXT-X-PLAYLIST-TYPE:VOD",
                f"#EXTINF:{duration:.3f},",
                vtt_name,
                "#EXT-X-ENDLIST",
            ]
        )
        + "\n"
    )


def avc_codec_string(init_segment: Path) -> str:
    """RFC 6381 codec string from the avcC box of an fMP4 init segment (profile, flags, level)."""
    data = init_segment.read_bytes()
    index = data.find(b"avcC")
    if index < 0 or len(data) < index + 8:
        raise ValueError(f"no avcC box in {init_segment}")
    profile, constraints, level = data[index + 5 : index + 8]
    return f"avc1.{profile:02x}{constraints:02x}{level:02x}"
