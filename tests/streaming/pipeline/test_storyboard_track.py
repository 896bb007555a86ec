"""The storyboard's WebVTT thumbnail track: pure."""

from streaming.pipeline.images import storyboard_vtt


def test_each_interval_points_at_its_tile_on_the_right_sheet():
    vtt = storyboard_vtt(count=27, interval=10, duration=265, width=160, height=90)
    blocks = vtt.split("\n\n")
    assert blocks[0] == "WEBVTT"
    assert blocks[1] == "00:00:00.000 --> 00:00:10.000\nstoryboard_001.jpg#xywh=0,0,160,90"
    assert blocks[6] == "00:00:50.000 --> 00:01:00.000\nstoryboard_001.jpg#xywh=0,90,160,90"
    assert blocks[26].startswith("00:04:10.000 --> 00:04:20.000\nstoryboard_002.jpg#xywh=0,0,")
    assert blocks[27].startswith("00:04:20.000 --> 00:04:25.000\nstoryboard_002.jpg#xywh=160,0,")
