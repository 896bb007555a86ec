"""The one-process ffmpeg command, read as arguments without running ffmpeg."""

from pathlib import Path

from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.graph import build_command
from streaming.pipeline.ladder import choose_ladder
from streaming.pipeline.probe import MediaInfo

CONFIG = PipelineConfig()
INFO = MediaInfo(
    duration=30, container="mov,mp4,m4a,3gp,3g2,mj2", has_video=True, has_audio=True,
    width=1920, height=1080, frame_rate=30, video_index=0, audio_index=1,
)  # fmt: skip


def command(info=INFO, config=CONFIG) -> list[str]:
    return build_command(
        Path("/up/clip.mp4"), info, choose_ladder(info, config), Path("/o"), config
    )


def values(args: list[str], flag: str) -> list[str]:
    return [args[i + 1] for i, arg in enumerate(args) if arg == flag]


def test_decodes_the_upload_once_and_splits_it_for_every_rung():
    args = command()
    assert args.count("-i") == 1
    assert "split=4" in values(args, "-filter_complex")[0]
    assert values(args, "-i") == ["file:/up/clip.mp4"]


def test_upload_is_opened_only_with_the_safety_restrictions():
    args = command()
    before_input = args[: args.index("-i")]
    assert values(before_input, "-protocol_whitelist") == ["file"]
    allowed = values(before_input, "-format_whitelist")[0].split(",")
    assert "mov" in allowed and "matroska" in allowed
    assert not {"hls", "applehttp", "concat", "image2", "tty", "data", "subfile"} & set(allowed)
    assert values(before_input, "-max_pixels") == [str(CONFIG.max_pixels)]


def test_every_rung_is_capped_crf_with_aligned_two_second_keyframes():
    args = command()
    assert values(args, "-crf") == ["26"] * 4
    assert values(args, "-maxrate") == ["145k", "365k", "730k", "1400k"]
    assert values(args, "-bufsize") == ["290k", "730k", "1460k", "2800k"]
    assert values(args, "-force_key_frames") == ["expr:gte(t,n_forced*2)"] * 4
    assert values(args, "-g") == values(args, "-keyint_min") == ["60"] * 4
    assert values(args, "-sc_threshold") == ["0"] * 4


def test_each_rung_and_the_audio_is_its_own_fmp4_vod_rendition():
    args = command()
    assert values(args, "-hls_segment_type") == ["fmp4"] * 5
    assert values(args, "-hls_playlist_type") == ["vod"] * 5
    assert values(args, "-hls_time") == ["2"] * 5
    outputs = [a for a in args if a.endswith("index.m3u8")]
    assert outputs == [f"/o/{d}/index.m3u8" for d in ("v234", "v360", "v540", "v720", "audio")]
    assert values(args, "-c:a") == ["aac"] and values(args, "-b:a") == ["56k"]
    assert values(args, "-ac") == ["2"]


def test_the_probed_streams_are_mapped_not_every_stream_of_a_kind():
    info = MediaInfo(**{**INFO.__dict__, "video_index": 2, "audio_index": 3})
    args = command(info)
    assert values(args, "-filter_complex")[0].startswith("[0:2]")
    assert "0:3" in values(args, "-map")


def test_progress_goes_to_stdout_for_the_parser():
    args = command()
    assert values(args, "-progress") == ["pipe:1"]


def test_audio_only_upload_has_no_video_outputs():
    info = MediaInfo(duration=30, container="mp3", has_video=False, has_audio=True, audio_index=0)
    args = command(info)
    assert "-filter_complex" not in args and "-c:v" not in args
    assert [a for a in args if a.endswith("index.m3u8")] == ["/o/audio/index.m3u8"]


def test_input_and_every_output_stop_at_the_duration_cap():
    """A container may claim less than it holds: ffmpeg itself stops, whatever it claims."""
    args = command(INFO, PipelineConfig(max_duration=32))
    before_input = args[: args.index("-i")]
    assert values(before_input, "-t") == ["32.000"]
    assert values(args[args.index("-i") :], "-t") == ["32.000"] * 5
    assert values(command(), "-t") == ["37.000"] * 6  # 30 s + 10 % + two segments
