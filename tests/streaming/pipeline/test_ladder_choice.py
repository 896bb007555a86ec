"""Choosing rungs from probe data: pure, no ffmpeg."""

import pytest

from streaming.pipeline.config import PipelineConfig, RungSpec
from streaming.pipeline.ladder import choose_ladder, download_rung
from streaming.pipeline.probe import MediaInfo

CONFIG = PipelineConfig()


def video(width, height, fps=30.0, audio=True) -> MediaInfo:
    return MediaInfo(
        duration=10, container="mov", has_video=True, has_audio=audio, width=width, height=height,
        frame_rate=fps,
    )  # fmt: skip


def sizes(rungs) -> list[str]:
    return [f"{r.width}x{r.height}" for r in rungs]


def test_full_hd_gets_every_rung_lowest_first_at_apples_low_tiers():
    rungs = choose_ladder(video(1920, 1080), CONFIG)
    assert sizes(rungs) == ["416x234", "640x360", "960x540", "1280x720"]
    assert [r.max_kbps for r in rungs] == [145, 365, 730, 1400]
    assert [r.name for r in rungs] == ["v234", "v360", "v540", "v720"]


def test_never_upscales():
    assert sizes(choose_ladder(video(640, 360), CONFIG)) == ["416x234", "640x360"]


def test_source_below_the_lowest_rung_keeps_its_own_size():
    rungs = choose_ladder(video(160, 120), CONFIG)
    assert sizes(rungs) == ["160x120"]
    assert rungs[0].max_kbps == 145


def test_portrait_uses_the_short_side_and_the_same_bitrate_as_landscape():
    portrait = choose_ladder(video(1080, 1920), CONFIG)
    landscape = choose_ladder(video(1920, 1080), CONFIG)
    assert sizes(portrait) == ["234x416", "360x640", "540x960", "720x1280"]
    assert [r.max_kbps for r in portrait] == [r.max_kbps for r in landscape]


@pytest.mark.parametrize(("width", "height"), [(321, 241), (1279, 719), (999, 333), (241, 321)])
def test_dimensions_are_always_even(width, height):
    for rung in choose_ladder(video(width, height), CONFIG):
        assert rung.width % 2 == 0 and rung.height % 2 == 0
        assert rung.width <= width + 1 and rung.height <= height + 1


def test_odd_source_keeps_its_aspect_ratio():
    (rung,) = choose_ladder(video(321, 241), CONFIG)
    assert (rung.width, rung.height) == (312, 234)


@pytest.mark.parametrize(("source_fps", "rung_fps"), [(60, 30), (29.97, 29.97), (25, 25), (0, 30)])
def test_frame_rate_is_capped_at_30(source_fps, rung_fps):
    assert {r.fps for r in choose_ladder(video(1280, 720, fps=source_fps), CONFIG)} == {rung_fps}


def test_audio_only_source_has_no_video_rungs():
    info = MediaInfo(duration=10, container="mp3", has_video=False, has_audio=True)
    assert choose_ladder(info, CONFIG) == []


def test_rungs_from_settings_are_used_in_size_order():
    config = PipelineConfig.from_mapping(
        {"rungs": [{"short_side": 480, "max_kbps": 600}, (240, 150)]}
    )
    assert config.rungs == (RungSpec(240, 150), RungSpec(480, 600))
    assert sizes(choose_ladder(video(1920, 1080), config)) == ["426x240", "854x480"]


def test_weak_link_rungs_are_encoded_with_more_effort_than_the_top():
    rungs = choose_ladder(video(1920, 1080), CONFIG)
    assert [r.preset or CONFIG.preset for r in rungs] == [
        "medium",
        "medium",
        "veryfast",
        "veryfast",
    ]
    assert [r.denoise for r in rungs] == [True, True, False, False]


def test_rung_denoise_comes_from_settings():
    config = PipelineConfig.from_mapping(
        {"rungs": [{"short_side": 240, "max_kbps": 150, "denoise": True}, (480, 600)]}
    )
    assert [r.denoise for r in choose_ladder(video(1920, 1080), config)] == [True, False]


def test_unknown_setting_is_refused():
    with pytest.raises(ValueError, match="segment_length"):
        PipelineConfig.from_mapping({"segment_length": 6})


def test_download_is_the_configured_rung_or_the_nearest_smaller():
    assert download_rung(choose_ladder(video(1920, 1080), CONFIG), CONFIG).name == "v360"
    assert download_rung(choose_ladder(video(416, 234), CONFIG), CONFIG).name == "v234"
    assert download_rung([], CONFIG) is None
