"""The arithmetic of output limits: data in, data out, no ffmpeg."""

import pytest

from streaming.pipeline import limits
from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.limits import OutputLimits, Usage

CONFIG = PipelineConfig()
LADDER_KBPS = [145, 365, 730, 1400]


def test_ffmpeg_stops_one_segment_past_what_a_truthful_claim_allows():
    assert limits.allowed_seconds(100, CONFIG) == pytest.approx(112)  # 10 % + one segment
    assert limits.output_seconds(100, CONFIG) == pytest.approx(114)


def test_ffmpeg_never_runs_past_the_configured_maximum():
    config = PipelineConfig(max_duration=60)
    assert limits.output_seconds(59, config) == 60
    assert limits.output_seconds(2, config) == pytest.approx(6.2)


def test_default_limits_come_from_the_ladder_at_the_maximum_duration():
    # 4 h x (145 + 365 + 730 + 1400 + 56) kbit/s x 2, with the buffer and one segment.
    expected = int(2696 * 125 * (4 * 3600 + 2 + 2) * 2) + limits.FIXED_BYTES
    assert limits.configured_max_bytes(CONFIG) == expected
    assert 9e9 < expected < 1.1e10
    assert limits.configured_max_files(CONFIG) == 5 * (7200 + 4)


def test_explicit_settings_win_over_derived_ones():
    config = PipelineConfig(max_output_bytes=5_000_000, max_output_files=99)
    assert limits.configured_max_bytes(config) == 5_000_000
    assert limits.configured_max_files(config) == 99


def test_each_run_is_held_to_its_own_length_and_ladder():
    short = limits.for_run(10, LADDER_KBPS, True, CONFIG)
    assert short.seconds == pytest.approx(15)
    assert short.max_bytes == limits.byte_budget(15, [*LADDER_KBPS, 56], CONFIG)
    assert short.max_bytes < limits.configured_max_bytes(CONFIG) / 100
    assert short.max_files == 5 * (8 + 4)
    listen_only = limits.for_run(10, [], True, CONFIG)
    assert listen_only.max_bytes < short.max_bytes and listen_only.max_files == 12


def test_a_real_encode_fits_its_budget():
    """10 s of noisy 720p with audio came to 3.96 MB through the full default ladder."""
    assert limits.for_run(10, LADDER_KBPS, True, CONFIG).max_bytes > 3_960_000 * 1.5


@pytest.mark.parametrize(
    ("usage", "expected"),
    [
        (Usage(bytes=1000, files=10), None),
        (Usage(bytes=1001, files=10), "1001 bytes written, limit 1000"),
        (Usage(bytes=10, files=11), "11 files written, limit 10"),
    ],
)
def test_excess_names_what_is_over(usage, expected):
    bounds = OutputLimits(claimed=2, allowed=4.2, seconds=6.2, max_bytes=1000, max_files=10)
    assert limits.excess(usage, bounds) == expected


def test_output_longer_than_allowed_overran_the_claim():
    bounds = limits.for_run(2, [145], True, CONFIG)
    assert not limits.overran_claim(4.2, bounds)
    assert limits.overran_claim(4.3, bounds)


@pytest.mark.parametrize(
    "setting",
    [{"duration_tolerance": -0.1}, {"max_output_bytes": -1}, {"output_size_factor": 0},
     {"output_check_seconds": 0}, {"max_duration": 0}],
)  # fmt: skip
def test_nonsense_limits_are_refused(setting):
    with pytest.raises(ValueError):
        PipelineConfig.from_mapping(setting)
