"""ffmpeg's -progress output turned into percent and time left: pure."""

import pytest

from streaming.pipeline.progress import ProgressParser, estimate, parse_speed

BLOCK = ["frame=300", "fps=60.0", "out_time_us=10000000", "speed=2.00x", "progress=continue"]


def test_estimate_from_ffmpeg_speed():
    assert estimate(30, 120, speed=2.0) == (25.0, 45.0)


def test_estimate_falls_back_to_the_wall_clock():
    assert estimate(30, 120, elapsed=10) == (25.0, 30.0)


def test_nothing_known_yet_gives_no_eta():
    assert estimate(0, 120) == (0.0, None)
    assert estimate(5, 0) == (0.0, None)


def test_overshoot_is_capped_at_100_percent():
    assert estimate(130, 120, speed=1.0) == (100.0, 0.0)


@pytest.mark.parametrize(("text", "speed"), [("2.5x", 2.5), (" 0.31x", 0.31), ("N/A", None)])
def test_speed_values(text, speed):
    assert parse_speed(text) == speed


def test_parser_reports_once_per_block_then_done():
    reports = []
    parser = ProgressParser(40.0, lambda *report: reports.append(report), clock=lambda: 0.0)
    for line in ["out_time_us=N/A", "speed=N/A", "progress=continue", *BLOCK]:
        parser.feed(line + "\n")
    assert reports == [(0.0, None), (25.0, 15.0)]
    parser.feed("progress=end")
    assert reports[-1] == (100.0, 0.0)


def test_parser_without_callback_still_tracks_percent():
    parser = ProgressParser(20.0, None)
    for line in BLOCK:
        parser.feed(line)
    assert parser.percent() == 50.0
