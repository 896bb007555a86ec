"""The whole pipeline on real ffmpeg: a playable ladder that follows Apple's rules, or nothing."""

import re
import subprocess
from pathlib import Path

import pytest

from streaming.pipeline import run
from streaming.pipeline.config import PipelineConfig
from streaming.pipeline.errors import PipelineFailed
from streaming.pipeline.run import transcode

CONFIG = PipelineConfig(preset="ultrafast")


def stream_infs(master: str) -> list[dict]:
    lines = master.splitlines()
    variants = []
    for line, uri in zip(lines, lines[1:], strict=False):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attributes = re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1])
            variants.append({key: value.strip('"') for key, value in attributes} | {"uri": uri})
    return variants


def referenced_files(out: Path) -> set[Path]:
    """Every file the master and its playlists name, followed; each must exist inside out."""
    seen, pending = set(), [out / "master.m3u8"]
    while pending:
        playlist = pending.pop()
        seen.add(playlist)
        for line in playlist.read_text().splitlines():
            uris = re.findall(r'URI="([^"]+)"', line) if line.startswith("#") else [line]
            for uri in filter(None, uris):
                assert "://" not in uri and not uri.startswith("/"), uri
                target = (playlist.parent / uri).resolve()
                assert target.is_relative_to(out.resolve()) and target.is_file(), uri
                if target.suffix == ".m3u8" and target not in seen:
                    pending.append(target)
                seen.add(target)
    return seen


def segment_durations(playlist: Path) -> list[str]:
    return [line for line in playlist.read_text().splitlines() if line.startswith("#EXTINF")]


@pytest.fixture(scope="module")
def finished(landscape, tmp_path_factory):
    """One 640x360 clip with Finnish captions through the pipeline, progress recorded."""
    work = tmp_path_factory.mktemp("e2e")
    captions = work / "fi.vtt"
    captions.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nNosta kädet.\n")
    reports = []
    result = transcode(
        landscape,
        work / "out",
        CONFIG,
        on_progress=lambda percent, eta: reports.append((percent, eta)),
        captions=[("fi", "Suomi", captions)],
    )
    return work / "out", result, reports


def test_master_lists_lowest_rung_first_with_apples_attributes(finished):
    out, _result, _reports = finished
    variants = stream_infs((out / "master.m3u8").read_text())
    video = [v for v in variants if "RESOLUTION" in v]
    assert [v["RESOLUTION"] for v in video] == ["416x234", "640x360"]
    assert variants[: len(video)] == video  # video rungs first, listen-only last
    for variant in video:
        assert re.fullmatch(r"avc1\.[0-9a-f]{6},mp4a\.40\.2", variant["CODECS"])
        assert variant["FRAME-RATE"] == "30.000"
        assert 0 < int(variant["AVERAGE-BANDWIDTH"]) <= int(variant["BANDWIDTH"])
        assert variant["AUDIO"] == "aud" and variant["SUBTITLES"] == "subs"
    (listen_only,) = [v for v in variants if "RESOLUTION" not in v]
    assert listen_only["CODECS"] == "mp4a.40.2"
    assert int(listen_only["BANDWIDTH"]) <= 64_000


def test_declared_average_matches_the_bytes_on_disk(finished):
    out, _result, _reports = finished
    variants = stream_infs((out / "master.m3u8").read_text())
    audio_bytes = sum(f.stat().st_size for f in (out / "audio").iterdir() if f.suffix != ".m3u8")
    for variant in variants:
        folder = out / Path(variant["uri"]).parent
        media = sum(f.stat().st_size for f in folder.iterdir() if f.suffix != ".m3u8")
        media += audio_bytes if folder.name != "audio" else 0
        seconds = sum(float(d[8:].rstrip(",")) for d in segment_durations(folder / "index.m3u8"))
        measured = media * 8 / seconds
        assert measured == pytest.approx(int(variant["AVERAGE-BANDWIDTH"]), rel=0.1)


def test_rungs_share_keyframes_so_players_can_switch_at_every_segment(finished):
    out, _result, _reports = finished
    low, high = (
        segment_durations(out / "v234/index.m3u8"),
        segment_durations(out / "v360/index.m3u8"),
    )
    assert low == high and len(low) >= 2
    assert all(float(d[8:].rstrip(",")) <= 2.05 for d in low)
    for rung in ("v234", "v360", "audio"):
        assert "#EXT-X-PLAYLIST-TYPE:VOD" in (out / rung / "index.m3u8").read_text()


def test_every_uri_resolves_to_a_file_in_the_output(finished):
    out, result, _reports = finished
    referenced = {str(path.relative_to(out.resolve())) for path in referenced_files(out)}
    assert "captions/fi.vtt" in referenced and "audio/init.mp4" in referenced
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert set(result.files) == on_disk
    assert {"poster.jpg", "storyboard.vtt", "download.mp4", "master.m3u8"} <= on_disk
    assert result.poster == "poster.jpg" and result.download == "download.mp4"


def test_master_plays_in_ffmpeg_through_local_files_only(finished):
    out, _result, _reports = finished
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-protocol_whitelist", "file",
         "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0",
         str(out / "master.m3u8")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "h264,416,234" in probe.stdout and "aac" in probe.stdout
    decode = subprocess.run(
        ["ffmpeg", "-v", "error", "-protocol_whitelist", "file",
         "-i", str(out / "v234/index.m3u8"), "-f", "null", "-"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert decode.returncode == 0 and not decode.stderr


def test_download_and_poster_are_small_and_playable(finished):
    out, result, _reports = finished
    download = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,height:format=duration",
         "-of", "csv=p=0", str(out / "download.mp4")],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert download[:2] == ["h264,360", "aac"]
    assert float(download[2]) == pytest.approx(result.duration, abs=0.2)
    assert (out / "poster.jpg").read_bytes()[:2] == b"\xff\xd8"
    assert "storyboard_001.jpg#xywh=0,0,160,90" in (out / "storyboard.vtt").read_text()


def test_result_describes_what_the_django_side_stores(finished):
    _out, result, _reports = finished
    assert result.has_video and (result.width, result.height) == (640, 360)
    assert result.duration == pytest.approx(3.0, abs=0.1)
    assert [v["uri"] for v in result.variants] == [
        "v234/index.m3u8",
        "v360/index.m3u8",
        "audio/index.m3u8",
    ]
    assert all(v["peak_bps"] >= v["average_bps"] > 0 for v in result.variants)


def test_progress_rises_to_done_only_at_the_end(finished):
    _out, _result, reports = finished
    percents = [percent for percent, _eta in reports]
    assert percents == sorted(percents) and percents[-1] == 100.0
    assert percents.count(100.0) == 1  # 100 only once every file is written
    assert reports[-1][1] == 0.0


@pytest.mark.parametrize(
    ("name", "size", "options", "resolutions"),
    [
        ("portrait.mp4", "180x320", {}, ["180x320"]),
        ("rotated.mp4", "426x240", {"rotate": 90}, ["234x416"]),
        ("odd.mp4", "321x241", {}, ["312x234"]),
        ("webcam.webm", "320x240", {}, ["312x234"]),
        ("old.avi", "320x240", {}, ["312x234"]),
        ("phone.mov", "320x240", {}, ["312x234"]),
        ("screen.mkv", "320x240", {"audio": False}, ["312x234"]),
        ("vfr.mp4", "320x240", {"extra": ("-vf", "select='not(mod(n,3))'", "-fps_mode", "vfr")},
         ["312x234"]),
    ],
)  # fmt: skip
def test_every_shape_of_upload_becomes_a_ladder(
    tmp_path, make_clip, rotate, name, size, options, resolutions
):
    options = dict(options)
    degrees = options.pop("rotate", 0)
    clip = make_clip(tmp_path / ("raw-" + name if degrees else name), size=size, **options)
    if degrees:
        clip = rotate(clip, tmp_path / name, degrees)
    out = tmp_path / "out"
    result = transcode(clip, out, CONFIG)
    video = [v for v in stream_infs((out / "master.m3u8").read_text()) if "RESOLUTION" in v]
    assert [v["RESOLUTION"] for v in video] == resolutions
    assert all(0 < float(v["FRAME-RATE"]) <= 30 for v in video)
    assert ("AUDIO" in video[0]) == options.get("audio", True)
    assert result.duration == pytest.approx(2.0, abs=0.3)
    referenced_files(out)


@pytest.mark.parametrize("suffix", [".m4a", ".mp3"])
def test_audio_only_upload_gives_a_listen_only_stream(tmp_path, make_clip, suffix):
    out = tmp_path / "out"
    result = transcode(make_clip(tmp_path / f"voice{suffix}", video=False), out, CONFIG)
    (variant,) = stream_infs((out / "master.m3u8").read_text())
    assert variant["CODECS"] == "mp4a.40.2" and int(variant["BANDWIDTH"]) <= 64_000
    assert not result.has_video and result.poster is None
    assert not {"download.mp4", "poster.jpg"} & set(result.files)
    referenced_files(out)


def test_ffmpeg_failure_leaves_nothing_behind(tmp_path, small_clip, monkeypatch):
    working_command = run.build_command

    def broken_command(*args):
        return [*working_command(*args), "-no_such_option", "1", "/dev/null"]

    monkeypatch.setattr(run, "build_command", broken_command)
    with pytest.raises(PipelineFailed) as failure:
        transcode(small_clip, tmp_path / "out", CONFIG)
    assert "no_such_option" in failure.value.detail
    assert list(tmp_path.iterdir()) == []


def test_failing_progress_callback_stops_ffmpeg_and_cleans_up(tmp_path, small_clip):
    def database_gone(percent, eta):
        raise ConnectionError("database gone")

    with pytest.raises(ConnectionError):
        transcode(small_clip, tmp_path / "out", CONFIG, on_progress=database_gone)
    assert list(tmp_path.iterdir()) == []
