"""Joining packager runs into one playlist: numbering, discontinuities and per-run init segments."""

from streaming.live import playlists
from streaming.live.playlists import LiveSegment, RunPlaylist, Track

FFMPEG_RUN = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:EVENT
#EXT-X-MAP:URI="init.mp4"
#EXT-X-PROGRAM-DATE-TIME:2026-11-23T10:00:00.000+0000
#EXTINF:2.000000,
seg_00000.m4s
#EXT-X-PROGRAM-DATE-TIME:2026-11-23T10:00:02.000+0000
#EXTINF:2.000000,
seg_00001.m4s
"""


def _run(number: int, count: int, rung: str = "v360") -> Track:
    folder = f"r{number}/{rung}"
    segments = tuple(LiveSegment(f"{folder}/seg_{i:05d}.m4s", 2.0) for i in range(count))
    return Track(number, RunPlaylist(f"{folder}/init.mp4", segments))


def test_reads_ffmpegs_run_playlist_with_its_clock():
    run = playlists.parse_run_playlist(FFMPEG_RUN, "r1/v360")
    assert run.init == "r1/v360/init.mp4"
    assert [s.uri for s in run.segments] == ["r1/v360/seg_00000.m4s", "r1/v360/seg_00001.m4s"]
    assert run.segments[1].program_date_time == "2026-11-23T10:00:02.000+0000"
    assert not run.ended
    assert playlists.parse_run_playlist(FFMPEG_RUN + "#EXT-X-ENDLIST\n", "r1/v360").ended


def test_window_keeps_the_last_segments_and_counts_from_the_sessions_first():
    text = playlists.window([_run(1, 10)], size=3, target_seconds=2)
    assert "#EXT-X-MEDIA-SEQUENCE:7" in text
    assert "#EXT-X-DISCONTINUITY-SEQUENCE:0" in text
    assert text.count("#EXTINF") == 3
    assert '#EXT-X-MAP:URI="../r1/v360/init.mp4"' in text
    assert text.rstrip().endswith("../r1/v360/seg_00009.m4s")
    assert "#EXT-X-ENDLIST" not in text


def test_a_reconnect_inside_the_window_is_a_discontinuity_with_its_own_init_segment():
    text = playlists.window([_run(1, 5), _run(2, 2)], size=4, target_seconds=2)
    lines = text.splitlines()
    boundary = lines.index("#EXT-X-DISCONTINUITY")
    assert lines[boundary + 1] == '#EXT-X-MAP:URI="../r2/v360/init.mp4"'
    assert "#EXT-X-MEDIA-SEQUENCE:3" in text
    assert "#EXT-X-DISCONTINUITY-SEQUENCE:0" in text


def test_discontinuity_sequence_grows_once_a_boundary_leaves_the_window():
    text = playlists.window([_run(1, 5), _run(2, 6), _run(3, 1)], size=3, target_seconds=2)
    assert "#EXT-X-MEDIA-SEQUENCE:9" in text
    assert "#EXT-X-DISCONTINUITY-SEQUENCE:1" in text
    assert text.count("#EXT-X-DISCONTINUITY\n") == 1


def test_recording_lists_every_run_once_as_vod():
    text = playlists.recording([_run(1, 3), _run(2, 2)], 2, uri=lambda u: f"x/{u}")
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in text and text.rstrip().endswith("#EXT-X-ENDLIST")
    assert text.count("#EXTINF") == 5
    assert text.count("#EXT-X-MAP") == 2 and text.count("#EXT-X-DISCONTINUITY") == 1
    assert '#EXT-X-MAP:URI="x/r2/v360/init.mp4"' in text


def test_a_run_without_a_rung_lends_its_nearest_smaller_one():
    assert playlists.stand_in("v720", ["v234", "v360", "audio"]) == "v360"
    assert playlists.stand_in("v360", ["v360", "v720"]) == "v360"
    assert playlists.stand_in("v234", ["v360", "v720"]) == "v360"
    assert playlists.stand_in("audio", ["v360"]) is None
    assert playlists.session_rungs({1: ["v360", "v234", "audio"], 2: ["v720"]}) == [
        "v234",
        "v360",
        "v720",
    ]
