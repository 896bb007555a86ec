"""The pure parts of trimming: the range on the keyframe grid, the shortened playlists, and the
captions and storyboard moved to the cut's start."""

import pytest

from streaming.pipeline.captions import Cue
from streaming.pipeline.trim_playlists import (
    TrimRangeError,
    kept_indices,
    master_renditions,
    parse_media_playlist,
    relative_to,
    shift_cues,
    shift_storyboard,
    snap_to_grid,
    span,
    trimmed_playlist,
)

VIDEO = "\n".join(
    ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:2", "#EXT-X-MEDIA-SEQUENCE:0"]
    + ["#EXT-X-PLAYLIST-TYPE:VOD", '#EXT-X-MAP:URI="init.mp4"']
    + [line for n in range(6) for line in ("#EXTINF:2.000000,", f"seg_{n:05d}.m4s")]
    + ["#EXT-X-ENDLIST"]
)
AUDIO_DURATIONS = [2.005333, 2.005333, 2.005333, 1.984, 2.005333, 2.005333, 0.021333]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (4, 10, (4, 10)),
        (4.5, 9.2, (4, 10)),  # widened, never narrowed: what staff marked stays
        (0, 12.032, (0, 12.032)),
        (-3, 99, (0, 12.032)),
        (11, 12.032, (10, 12.032)),
    ],
)
def test_the_range_is_widened_to_the_two_second_grid(start, end, expected):
    assert snap_to_grid(start, end, 12.032, 2) == expected


@pytest.mark.parametrize(("start", "end"), [(6, 6), (8, 4), (12.5, 20), (3, 3.5)])
def test_a_range_that_keeps_nothing_is_refused(start, end):
    with pytest.raises(TrimRangeError):
        snap_to_grid(start, end, 12.032, 2)


def test_video_keeps_exactly_the_grid_segments_and_audio_the_nearest():
    video = [2.0] * 6
    assert kept_indices(video, 4, 10) == range(2, 5)
    assert span(video, range(2, 5)) == (4, 10)
    assert kept_indices(AUDIO_DURATIONS, 4, 10) == range(2, 5)


def test_trimmed_playlist_lists_kept_segments_from_another_version():
    playlist = parse_media_playlist(VIDEO)
    rebase = relative_to("videos/1/3/v234", "videos/1/7/v234")
    text = trimmed_playlist(playlist, range(2, 5), rebase)
    lines = text.splitlines()
    assert lines[0] == "#EXTM3U"
    assert "#EXT-X-MEDIA-SEQUENCE:0" in lines
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in lines
    assert lines[-1] == "#EXT-X-ENDLIST"
    assert '#EXT-X-MAP:URI="../../3/v234/init.mp4"' in lines
    segments = [line for line in lines if line and not line.startswith("#")]
    assert segments == [f"../../3/v234/seg_{n:05d}.m4s" for n in (2, 3, 4)]
    assert sum(float(line[8:-1]) for line in lines if line.startswith("#EXTINF:")) == 6.0


def test_a_live_archive_keeps_its_discontinuities_and_init_segments():
    text = "\n".join(
        [
            "#EXTM3U",
            "#EXT-X-VERSION:7",
            '#EXT-X-MAP:URI="../r1/v360/init.mp4"',
            "#EXTINF:2.000,",
            "../r1/v360/seg_00000.m4s",
            "#EXTINF:2.000,",
            "../r1/v360/seg_00001.m4s",
            "#EXT-X-DISCONTINUITY",
            '#EXT-X-MAP:URI="../r2/v360/init.mp4"',
            "#EXTINF:2.000,",
            "../r2/v360/seg_00000.m4s",
            "#EXTINF:2.000,",
            "../r2/v360/seg_00001.m4s",
            "#EXT-X-ENDLIST",
        ]
    )
    cut = trimmed_playlist(parse_media_playlist(text), range(1, 4)).splitlines()
    maps = [line for line in cut if line.startswith("#EXT-X-MAP")]
    assert maps == ['#EXT-X-MAP:URI="../r1/v360/init.mp4"', '#EXT-X-MAP:URI="../r2/v360/init.mp4"']
    assert cut.index("#EXT-X-DISCONTINUITY") < cut.index(maps[1])


def test_captions_move_back_by_the_cut_and_cues_outside_go():
    cues = [Cue(1, 3, "alku"), Cue(3.5, 5, "rajalla"), Cue(6, 7, "keskellä"), Cue(11, 12, "loppu")]
    assert shift_cues(cues, 4, 10) == [Cue(0, 1, "rajalla"), Cue(2, 3, "keskellä")]


def test_storyboard_points_at_the_source_sheets_on_the_new_timeline():
    vtt = (
        "WEBVTT\n\n00:00:00.000 --> 00:00:10.000\nstoryboard_001.jpg#xywh=0,0,160,120\n\n"
        "00:00:10.000 --> 00:00:12.032\nstoryboard_001.jpg#xywh=160,0,160,120\n"
    )
    shifted = shift_storyboard(vtt, 4, 10, relative_to("videos/1/3", "videos/1/7"))
    assert "00:00:00.000 --> 00:00:06.000\n../3/storyboard_001.jpg#xywh=0,0,160,120" in shifted
    assert "160,0" not in shifted


def test_master_renditions_read_our_master():
    master = "\n".join(
        [
            "#EXTM3U",
            '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="audio",URI="audio/index.m3u8"',
            '#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS="avc1.4d400d,mp4a.40.2",RESOLUTION=312x234,'
            'FRAME-RATE=30.000,AUDIO="aud"',
            "v234/index.m3u8",
            '#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS="mp4a.40.2"',
            "audio/index.m3u8",
        ]
    )
    renditions = master_renditions(master)
    video = next(r for r in renditions if not r.audio)
    audio = next(r for r in renditions if r.audio)
    assert (video.uri, video.width, video.height, video.video_codec) == (
        "v234/index.m3u8",
        312,
        234,
        "avc1.4d400d",
    )
    assert audio.uri == "audio/index.m3u8" and len(renditions) == 2
