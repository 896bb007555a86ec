"""Measuring media playlists and writing the master playlist: pure apart from a temp folder."""

import re

from streaming.pipeline.playlists import (
    CaptionTrack,
    Measured,
    Segment,
    VideoVariant,
    master_playlist,
    measure,
    relink_master,
    write_subtitles_playlist,
)


def measured(uri, sizes, duration=2.0, init_size=0):
    segments = tuple(Segment(f"s{i}.m4s", duration, size) for i, size in enumerate(sizes))
    return Measured(uri, segments, init_size)


AUDIO = measured("audio/index.m3u8", [14_000, 14_000, 14_000])
LOW = VideoVariant(
    measured("v234/index.m3u8", [30_000, 40_000, 30_000]), 416, 234, 25, "avc1.4d4015"
)
HIGH = VideoVariant(
    measured("v360/index.m3u8", [80_000, 90_000, 80_000]), 640, 360, 25, "avc1.4d401e"
)


def stream_infs(master: str) -> list[tuple[dict, str]]:
    lines = master.splitlines()
    return [
        (dict(re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1])), lines[i + 1])
        for i, line in enumerate(lines)
        if line.startswith("#EXT-X-STREAM-INF:")
    ]


def test_measure_reads_durations_and_sizes_including_the_init_segment(tmp_path):
    (tmp_path / "init.mp4").write_bytes(b"i" * 1_000)
    (tmp_path / "seg_0.m4s").write_bytes(b"s" * 50_000)
    (tmp_path / "seg_1.m4s").write_bytes(b"s" * 24_000)
    (tmp_path / "index.m3u8").write_text(
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:VOD\n"
        '#EXT-X-MAP:URI="init.mp4"\n#EXTINF:2.000000,\nseg_0.m4s\n#EXTINF:1.000000,\nseg_1.m4s\n'
        "#EXT-X-ENDLIST\n"
    )
    playlist = measure(tmp_path / "index.m3u8", "v/index.m3u8")
    assert [(s.uri, s.duration, s.size) for s in playlist.segments] == [
        ("seg_0.m4s", 2.0, 50_000),
        ("seg_1.m4s", 1.0, 24_000),
    ]
    assert playlist.peak_bps == 200_000  # 50 kB in 2 s
    assert playlist.average_bps == 200_000  # (1 + 50 + 24) kB * 8 / 3 s


def test_master_has_every_attribute_apple_requires_with_audio_counted_in():
    master = master_playlist([HIGH, LOW], AUDIO)
    assert master.splitlines()[:3] == ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    (low, low_uri), (high, high_uri), (listen, listen_uri) = stream_infs(master)
    assert (low_uri, high_uri, listen_uri) == (LOW.playlist.uri, HIGH.playlist.uri, AUDIO.uri)
    assert low["BANDWIDTH"] == str(160_000 + 56_000)  # the peak segment plus the audio's peak
    assert low["AVERAGE-BANDWIDTH"] == str(133_334 + 56_000)
    assert low["CODECS"] == '"avc1.4d4015,mp4a.40.2"'
    assert low["RESOLUTION"] == "416x234" and high["RESOLUTION"] == "640x360"
    assert low["FRAME-RATE"] == "25.000"
    assert low["AUDIO"] == '"aud"'
    assert listen["CODECS"] == '"mp4a.40.2"' and int(listen["BANDWIDTH"]) <= 64_000
    assert "RESOLUTION" not in listen


def test_audio_group_is_declared_once_as_the_default():
    master = master_playlist([LOW], AUDIO)
    media = [line for line in master.splitlines() if line.startswith("#EXT-X-MEDIA:")]
    assert media == [
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,'
        'CHANNELS="2",URI="audio/index.m3u8"'
    ]


def test_lowest_resolution_comes_first_even_if_it_spends_more_bits():
    busy_low = VideoVariant(measured("v234/index.m3u8", [99_000] * 3), 416, 234, 30, "avc1.4d4015")
    (first, _), *_ = stream_infs(master_playlist([HIGH, busy_low], AUDIO))
    assert first["RESOLUTION"] == "416x234"


def test_silent_video_has_no_audio_group_and_no_listen_only_variant():
    master = master_playlist([LOW], None)
    (variant, _uri), *rest = stream_infs(master)
    assert rest == [] and "AUDIO" not in variant
    assert variant["CODECS"] == '"avc1.4d4015"'
    assert "TYPE=AUDIO" not in master


def test_captions_are_an_accessible_subtitles_group_named_safely():
    tracks = [CaptionTrack("fi", 'Suomi "selko"\n', "captions/fi.m3u8")]
    master = master_playlist([LOW], AUDIO, tracks)
    (line,) = [line for line in master.splitlines() if "TYPE=SUBTITLES" in line]
    assert 'NAME="Suomi selko"' in line and 'LANGUAGE="fi"' in line
    assert "AUTOSELECT=YES" in line and 'URI="captions/fi.m3u8"' in line
    assert (
        'CHARACTERISTICS="public.accessibility.transcribes-spoken-dialog,'
        'public.accessibility.describes-music-and-sound"'
    ) in line
    assert all(attrs["SUBTITLES"] == '"subs"' for attrs, _ in stream_infs(master))


def test_subtitles_playlist_is_one_whole_file_vod_segment():
    lines = write_subtitles_playlist("fi.vtt", 61.5).splitlines()
    assert lines[0] == "#EXTM3U" and "#EXT-X-PLAYLIST-TYPE:VOD" in lines
    assert "#EXT-X-TARGETDURATION:62" in lines
    assert lines[-3:] == ["#EXTINF:61.500,", "fi.vtt", "#EXT-X-ENDLIST"]


def test_relinked_master_swaps_captions_and_points_at_the_earlier_ladder():
    with_fi = master_playlist([LOW, HIGH], AUDIO, [CaptionTrack("fi", "Suomi", "captions/fi.m3u8")])
    relinked = relink_master(
        with_fi, lambda uri: f"../1/{uri}", [CaptionTrack("sv", "Svenska", "captions/sv.m3u8")]
    )
    media = [line for line in relinked.splitlines() if line.startswith("#EXT-X-MEDIA:")]
    assert [re.search(r"TYPE=(\w+)", line).group(1) for line in media] == ["AUDIO", "SUBTITLES"]
    assert 'URI="../1/audio/index.m3u8"' in media[0]
    assert 'LANGUAGE="sv"' in media[1] and 'URI="captions/sv.m3u8"' in media[1]
    assert [uri for _, uri in stream_infs(relinked)] == [
        "../1/v234/index.m3u8",
        "../1/v360/index.m3u8",
        "../1/audio/index.m3u8",
    ]
    assert all(info["SUBTITLES"] == '"subs"' for info, _ in stream_infs(relinked))
    # The rates and codecs measured for the ladder are kept as they were.
    assert [info["BANDWIDTH"] for info, _ in stream_infs(relinked)] == [
        info["BANDWIDTH"] for info, _ in stream_infs(with_fi)
    ]

    without = relink_master(relinked, lambda uri: uri, [])
    assert "SUBTITLES" not in without
    assert [uri for _, uri in stream_infs(without)][0] == "../1/v234/index.m3u8"
