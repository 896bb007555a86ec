"""Which recorded segments make a session's archive, decided from the runs' own playlists.

A run's ffmpeg may have crashed (no `#EXT-X-ENDLIST`, a rung one segment behind the others, a
segment listed but not yet in storage), so each run is cut to what every one of its renditions
has: the timelines of all variants then stay aligned, run by run, which players need to switch
between them at a discontinuity. A run without sound or without any picture is left out (every
run of a packager writes both, so such a run is a fragment of a crash). Pure: texts in, plan out.
"""

from dataclasses import dataclass, field

from streaming.live import playlists
from streaming.live.packaging import AUDIO, RUN_PLAYLIST, run_folder
from streaming.live.playlists import RunPlaylist, Track
from streaming.pipeline import playlists as hls


@dataclass(frozen=True)
class Shape:
    width: int
    height: int
    fps: float


@dataclass(frozen=True)
class RecordedRun:
    number: int
    shapes: dict[str, Shape]  # its video rungs that have segments
    playlists: dict[str, RunPlaylist]  # those rungs and `audio`, cut to one length


@dataclass
class Plan:
    runs: list[RecordedRun]
    sizes: dict[str, int]  # session-relative file name -> bytes
    rungs: list[str] = field(init=False)  # the session's video rungs, smallest first
    dropped: list[str] = field(default_factory=list)  # why runs were left out, for the log

    def __post_init__(self):
        self.rungs = playlists.session_rungs({run.number: list(run.shapes) for run in self.runs})

    @property
    def empty(self) -> bool:
        return not self.runs

    @property
    def has_audio(self) -> bool:
        return bool(self.runs) and all(AUDIO in run.playlists for run in self.runs)

    def tracks(self, rung: str) -> list[Track]:
        """Every run's playlist for `rung`: its own or its stand-in's (`playlists.stand_in`)."""
        tracks = []
        for run in self.runs:
            used = playlists.stand_in(rung, list(run.playlists))
            if used is not None:
                tracks.append(Track(run.number, run.playlists[used]))
        return tracks

    def shape(self, rung: str) -> Shape:
        """The rung's picture as declared in the master: the largest any run wrote natively."""
        shapes = [run.shapes[rung] for run in self.runs if rung in run.shapes]
        return max(shapes, key=lambda s: (s.width * s.height, s.fps))

    def common_rungs(self) -> list[str]:
        """Rungs every run wrote at one picture size: they can be joined into one MP4."""
        return [
            rung
            for rung in self.rungs
            if all(rung in run.shapes for run in self.runs)
            and len({(run.shapes[rung].width, run.shapes[rung].height) for run in self.runs}) == 1
        ]

    def files(self) -> list[str]:
        """Every init segment and segment any variant uses, each once."""
        names = {}
        for run in self.runs:
            for playlist in run.playlists.values():
                names[playlist.init] = None
                names.update((segment.uri, None) for segment in playlist.segments)
        return list(names)

    def measured(self, rung: str, uri: str) -> hls.Measured:
        """The rung over every run with its real sizes; each run's init segment counts once."""
        tracks = self.tracks(rung)
        segments = tuple(
            hls.Segment(s.uri, s.duration, self.sizes[s.uri])
            for track in tracks
            for s in track.playlist.segments
        )
        inits = {track.playlist.init for track in tracks}
        return hls.Measured(uri, segments, sum(self.sizes[name] for name in inits))


def run_playlist_name(number: int, rung: str) -> str:
    """Session-relative name of a run's complete list of one rung."""
    return f"{run_folder(number)}/{rung}/{RUN_PLAYLIST}"


# Shorter than one frame at 30 fps: nothing a player or the poster could use.
MIN_SEGMENT_SECONDS = 0.03


def plan_recording(
    runs: list[tuple[int, list[dict]]], texts: dict[str, str], sizes: dict[str, int]
) -> Plan:
    """`runs`: (number, its rungs as LiveRun.rungs) in order; `texts`: run playlists by
    `run_playlist_name`; `sizes`: what storage holds under the session's folder, by
    session-relative name."""
    recorded, dropped = [], []
    for number, rung_specs in runs:
        found = {}
        for rung in [spec["name"] for spec in rung_specs] + [AUDIO]:
            text = texts.get(run_playlist_name(number, rung))
            if text is not None:
                playlist = _stored_part(
                    playlists.parse_run_playlist(text, f"{run_folder(number)}/{rung}"), sizes
                )
                if playlist.segments:
                    found[rung] = playlist
        video = [name for name in found if name != AUDIO]
        if AUDIO not in found or not video:
            if found:
                dropped.append(f"run {number}: {'no picture' if not video else 'no sound'}")
            continue
        length = min(len(playlist.segments) for playlist in found.values())
        shapes = {
            spec["name"]: Shape(int(spec["width"]), int(spec["height"]), float(spec["fps"]))
            for spec in rung_specs
            if spec["name"] in found
        }
        cut = {name: _first(playlist, length) for name, playlist in found.items()}
        recorded.append(RecordedRun(number, shapes, cut))
    return Plan(recorded, sizes, dropped=dropped)


def _stored_part(playlist: RunPlaylist, sizes: dict[str, int]) -> RunPlaylist:
    """The segments up to the first one storage does not hold (none without the init).

    A segment of no length (ffmpeg cut off as it began one) holds no frame to play or show.
    """
    if playlist.init not in sizes:
        return RunPlaylist(playlist.init, (), playlist.ended)
    kept = []
    for segment in playlist.segments:
        if segment.uri not in sizes or segment.duration < MIN_SEGMENT_SECONDS:
            break
        kept.append(segment)
    return RunPlaylist(playlist.init, tuple(kept), playlist.ended)


def _first(playlist: RunPlaylist, count: int) -> RunPlaylist:
    return RunPlaylist(playlist.init, playlist.segments[:count], playlist.ended)
