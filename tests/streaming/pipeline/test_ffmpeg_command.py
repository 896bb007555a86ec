"""The one-process ffmpeg command, read as arguments without running ffmpeg (and, last, the
presets read back from what x264 really wrote)."""

import re
import subprocess
from pathlib import Path

import pytest

from streaming.live import packager
from streaming.pipeline.config import DEFAULT_RUNGS, PipelineConfig, RungSpec
from streaming.pipeline.graph import build_command
from streaming.pipeline.ladder import choose_ladder
from streaming.pipeline.probe import MediaInfo, probe

CONFIG = PipelineConfig()
LOW_RUNG_X264_PARAMS = DEFAULT_RUNGS[0].x264_params
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


def test_low_rungs_get_the_slower_preset_and_the_top_rungs_veryfast_in_one_process():
    """A weak link's rungs get more picture per bit; the costly top rungs stay fast."""
    args = command()
    assert args.count("-i") == 1 and "split=4" in values(args, "-filter_complex")[0]
    assert values(args, "-preset") == ["medium", "medium", "veryfast", "veryfast"]
    assert values(args, "-x264-params") == [LOW_RUNG_X264_PARAMS] * 2


def test_rung_x264_params_are_limited_to_search_effort():
    """Settings may make a rung search harder, never move its keyframes or its rate control."""
    spec = {"short_side": 234, "max_kbps": 145, "x264_params": "bframes=5:ref=4"}
    config = PipelineConfig.from_mapping({"rungs": [spec]})
    assert values(command(config=config), "-x264-params") == ["bframes=5:ref=4"]
    for unsafe in ("keyint=250", "ref=4:scenecut=40", "vbv-maxrate=5000"):
        with pytest.raises(ValueError, match=unsafe.split(":")[-1].split("=")[0]):
            PipelineConfig.from_mapping({"rungs": [{**spec, "x264_params": unsafe}]})


def test_rung_presets_come_from_settings_and_unset_ones_take_the_default():
    config = PipelineConfig.from_mapping(
        {
            "preset": "faster",
            "rungs": [{"short_side": 720, "max_kbps": 1400}, (234, 145, "slow"), (360, 365)],
        }
    )
    assert values(command(config=config), "-preset") == ["slow", "faster", "faster"]


def test_an_unknown_preset_is_refused_when_the_settings_are_read():
    with pytest.raises(ValueError, match="verysloww"):
        PipelineConfig.from_mapping({"rungs": [(234, 145, "verysloww")]})


def test_a_source_below_the_lowest_rung_keeps_that_rungs_preset_and_denoise():
    info = MediaInfo(**{**INFO.__dict__, "width": 160, "height": 120})
    assert values(command(info), "-preset") == ["medium"]
    assert branches(command(info)) == {"160:120": "scale,hqdn3d,setsar"}


def test_live_keeps_every_rung_at_the_fast_default_preset():
    """Live encodes in real time: the recordings' slower low-rung presets must not reach it."""
    rungs = packager.live_rungs(INFO, CONFIG)
    args = packager.build_command("rtmp://127.0.0.1/live/x", INFO, rungs, Path("/o"), CONFIG)
    assert [r.preset for r in rungs][:2] == ["medium", "medium"]  # the recording's ladder
    assert values(args, "-preset") == ["veryfast"] * 4
    assert values(args, "-tune") == ["zerolatency"] * 4
    assert "-x264-params" not in args


def test_x264_really_encodes_each_rung_with_its_preset(make_clip, clips, tmp_path):
    """Read back from x264's own settings message in each rung's first segment: the default
    low rung's preset and search options, and the top rung's plain veryfast."""
    source = make_clip(clips / "two-rungs.mp4", seconds=1, size="640x360", audio=False)
    config = PipelineConfig(rungs=(DEFAULT_RUNGS[0], RungSpec(360, 365)))
    info = probe(source, config)
    rungs = choose_ladder(info, config)
    for rung in rungs:
        (tmp_path / rung.name).mkdir()
    subprocess.run(
        build_command(source, info, rungs, tmp_path, config), check=True, capture_output=True
    )
    written = {rung.name: (tmp_path / rung.name / "seg_00000.m4s").read_bytes() for rung in rungs}
    settings = {name: dict(re.findall(rb"(\w+)=(\w+)", data)) for name, data in written.items()}
    # x264's medium with the low rungs' references, lookahead, B-frames and motion search;
    # veryfast's own on the top rung.
    low, top = settings["v234"], settings["v360"]
    options = (b"subme", b"ref", b"rc_lookahead", b"bframes", b"b_adapt", b"me")
    assert [low[name] for name in options] == [b"7", b"6", b"60", b"5", b"2", b"umh"]
    assert [top[name] for name in options] == [b"2", b"1", b"10", b"3", b"1", b"hex"]


def branches(args: list[str]) -> dict[str, str]:
    """Each rung's chain after the split, keyed by its size: `416:234` -> `scale,hqdn3d,setsar`."""
    links = dict(
        (re.match(r"\[(\w+)\]", part).group(1), part)
        for part in values(args, "-filter_complex")[0].split(";")
        if part.startswith("[s")
    )
    chains = {}
    for part in links.values():
        size = re.search(r"scale=(\d+:\d+)\[(\w+)\]", part)
        if not size:
            continue
        names, label = ["scale"], size.group(2)
        while label in links:
            step = links[label]
            names.append(re.match(r"\[\w+\](\w+)", step).group(1))
            label = re.search(r"\[(\w+)\]$", step).group(1)
        chains[size.group(1)] = ",".join(names)
    return chains


def test_only_the_weak_link_rungs_are_denoised_after_the_split():
    """The top rungs keep every grain; the low rungs' temporal denoise runs at their own size."""
    assert branches(command()) == {
        "416:234": "scale,hqdn3d,setsar",
        "640:360": "scale,hqdn3d,setsar",
        "960:540": "scale,setsar",
        "1280:720": "scale,setsar",
    }
    config = PipelineConfig.from_mapping({"rungs": [{"short_side": 360, "max_kbps": 365}]})
    assert "hqdn3d" not in values(command(config=config), "-filter_complex")[0]


def test_live_is_never_denoised():
    """Live must encode in real time, so it gets none of the recordings' low-rung extras."""
    args = packager.build_command(
        "rtmp://127.0.0.1/live/x", INFO, packager.live_rungs(INFO, CONFIG), Path("/o"), CONFIG
    )
    assert "hqdn3d" not in values(args, "-filter_complex")[0]


def test_a_denoised_rung_spends_fewer_bytes_on_a_grainy_recording(make_clip, clips, tmp_path):
    """Sensor grain is what a weak link's rung can least afford: at the same CRF and preset, the
    denoised rung of a grainy phone-like clip is clearly smaller."""
    source = make_clip(clips / "grainy.mp4", seconds=2, size="640x360", audio=False, noise=24)
    sizes = {}
    for denoise in (False, True):
        # A high cap, so that CRF alone decides the bytes and the cap cannot even them out.
        config = PipelineConfig(rungs=(RungSpec(234, 5000, "veryfast", denoise=denoise),))
        info = probe(source, config)
        out = tmp_path / str(denoise)
        rungs = choose_ladder(info, config)
        (out / rungs[0].name).mkdir(parents=True)
        subprocess.run(
            build_command(source, info, rungs, out, config), check=True, capture_output=True
        )
        sizes[denoise] = sum(f.stat().st_size for f in (out / rungs[0].name).glob("*.m4s"))
    assert sizes[True] < 0.9 * sizes[False]
