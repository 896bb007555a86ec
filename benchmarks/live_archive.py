"""How soon a finished live session is a ready video: `archive_session` from call to READY.

A session recorded by the packager at the default ladder (a 720p30 source: 234p, 360p, 540p,
720p and the sound, 2 s fMP4 segments) on local storage. Encoding an hour of that takes far
longer than the archive, so 120 s are encoded once with real ffmpeg (x264 ultrafast, capped CRF,
a moving test card) and repeated to the session's length with each segment's decode time
(`tfdt`) moved on, as one long run would have it. Only the segments that start inside the 120 s
are repeated: the sound's last one is a 21 ms remnant where the encode stopped, which a real run
writes only at its very end (the archive rightly ends a run there). The sources are cached under
/tmp/kotikanava-live-archive-bench, so reruns start at once. Target: <= 10 s for 10 minutes.

    .venv/bin/python benchmarks/live_archive.py [minutes ...]     # default: 10 60
"""

import os
import shutil
import struct
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import embedded_env, table

CACHE = Path(tempfile.gettempdir()) / "kotikanava-live-archive-bench"
BASE_SECONDS = 120
SEGMENT_SECONDS = 2
TARGET_SECONDS = {10: 10.0}
# Written beside a fabricated session; an older layout in the cache is made again.
LAYOUT = "whole segments only, v2"


def default_rungs() -> list[dict]:
    from streaming.pipeline.config import PipelineConfig
    from streaming.pipeline.ladder import choose_ladder
    from streaming.pipeline.probe import MediaInfo

    info = MediaInfo(120, "flv", True, True, width=1280, height=720, frame_rate=30)
    return [
        {"name": r.name, "width": r.width, "height": r.height, "fps": r.fps, "max_kbps": r.max_kbps}
        for r in choose_ladder(info, PipelineConfig())
    ]


def base_run(rungs: list[dict]) -> Path:
    from tests.streaming.live.recorded_runs import record_run

    folder = CACHE / "base"
    if not (folder / "audio" / "index.m3u8").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"Encoding {BASE_SECONDS} s at {len(rungs)} rungs once (cached in {CACHE}) ...")
        record_run(folder / "partial", rungs, BASE_SECONDS)
        (folder / "partial").rename(folder / "run")
        for child in (folder / "run").iterdir():
            child.rename(folder / child.name)
    return folder


def session_run(minutes: int, rungs: list[dict]) -> Path:
    """One run of `minutes`, made of the base repeated with its decode times moved on."""
    folder = CACHE / f"{minutes}min"
    names = [r["name"] for r in rungs] + ["audio"]
    layout_file = folder / "layout.txt"
    if layout_file.exists() and layout_file.read_text() == LAYOUT:
        return folder
    base = base_run(rungs)
    shutil.rmtree(folder, ignore_errors=True)
    repeats = minutes * 60 // BASE_SECONDS
    started = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    for name in names:
        source, target = base / name, folder / name
        target.mkdir(parents=True)
        shutil.copyfile(source / "init.mp4", target / "init.mp4")
        timescale = _timescale((source / "init.mp4").read_bytes())
        segments = _within(_listed(source / "index.m3u8"), BASE_SECONDS)
        lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:2"]
        lines += ["#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:EVENT"]
        lines += ['#EXT-X-MAP:URI="init.mp4"']
        clock, number = 0.0, 0
        for repeat in range(repeats):
            shift = repeat * BASE_SECONDS * timescale
            for segment, duration in segments:
                data = _shifted((source / segment).read_bytes(), shift)
                out_name = f"seg_{number:05d}.m4s"
                (target / out_name).write_bytes(data)
                stamp = (started + timedelta(seconds=clock)).isoformat(timespec="milliseconds")
                lines += [f"#EXTINF:{duration},", f"#EXT-X-PROGRAM-DATE-TIME:{stamp}", out_name]
                clock += float(duration)
                number += 1
        lines.append("#EXT-X-ENDLIST")
        (target / "index.m3u8").write_text("\n".join(lines) + "\n")
    layout_file.write_text(LAYOUT)
    return folder


def _listed(playlist: Path) -> list[tuple[str, str]]:
    entries, duration = [], None
    for line in playlist.read_text().splitlines():
        if line.startswith("#EXTINF:"):
            duration = line[len("#EXTINF:") :].rstrip(",")
        elif line and not line.startswith("#"):
            entries.append((line, duration))
    return entries


def _within(segments: list[tuple[str, str]], seconds: float) -> list[tuple[str, str]]:
    """The segments that start before `seconds`: each repeat then begins where the last ended."""
    kept, clock = [], 0.0
    for name, duration in segments:
        if clock >= seconds - 0.001:
            break
        kept.append((name, duration))
        clock += float(duration)
    return kept


def _boxes(data: bytes, start: int, end: int):
    position = start
    while position + 8 <= end:
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[position + 8 : position + 16])[0], 16
        elif size == 0:
            size = end - position
        yield kind, position + header, position + size
        position += size


def _find(data: bytes, path: list[bytes], start=0, end=None):
    for kind, body, box_end in _boxes(data, start, len(data) if end is None else end):
        if kind == path[0]:
            if len(path) == 1:
                yield body
            else:
                yield from _find(data, path[1:], body, box_end)


def _timescale(init: bytes) -> int:
    body = next(_find(init, [b"moov", b"trak", b"mdia", b"mdhd"]))
    at = body + (4 + 16 if init[body] == 1 else 4 + 8)
    return struct.unpack(">I", init[at : at + 4])[0]


def _shifted(segment: bytes, shift: int) -> bytes:
    data = bytearray(segment)
    for body in list(_find(segment, [b"moof", b"traf", b"tfdt"])):
        if data[body] == 1:
            (value,) = struct.unpack(">Q", data[body + 4 : body + 12])
            data[body + 4 : body + 12] = struct.pack(">Q", value + shift)
        else:
            (value,) = struct.unpack(">I", data[body + 4 : body + 8])
            data[body + 4 : body + 8] = struct.pack(">I", value + shift)
    return bytes(data)


def measure(minutes: int, rungs: list[dict], media_root: Path) -> list:
    from django.core.files.storage import default_storage
    from django.utils import timezone as django_timezone

    from streaming.live.archive import archive_session
    from streaming.models import LiveRun, LiveSession, LiveState, VideoStatus

    source = session_run(minutes, rungs)
    session = LiveSession.objects.create(
        title=f"{minutes} min", starts_at=django_timezone.now(), state=LiveState.ENDED
    )
    LiveRun.objects.create(session=session, number=1, rungs=rungs)
    live = media_root / session.media_prefix / "r1"
    live.parent.mkdir(parents=True)
    shutil.copytree(source, live, copy_function=os.link)  # as the packager left it, instantly
    files = sum(1 for p in live.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in live.rglob("*") if p.is_file())

    started = time.monotonic()
    video = archive_session(session.pk)
    seconds = time.monotonic() - started

    assert video is not None and video.status == VideoStatus.READY
    # A shorter video would mean a truncated archive (or a badly fabricated session).
    assert abs(video.duration - minutes * 60) < 1, f"{minutes} min became {video.duration} s"
    download = Path(default_storage.path(video.output_path("download.mp4")))
    target = TARGET_SECONDS.get(minutes)
    return [
        f"{minutes} min",
        files,
        f"{size / 1e6:.0f}",
        f"{video.duration:.0f}",
        f"{download.stat().st_size / 1e6:.0f}",
        f"{seconds:.2f}",
        f"<= {target:.0f} s: {'PASS' if seconds <= target else 'FAIL'}" if target else "-",
    ]


def main(minutes_list: list[int]) -> None:
    state = Path(tempfile.mkdtemp(prefix="live-archive-bench-"))
    try:
        os.environ.clear()
        os.environ.update(embedded_env(state))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        rungs = default_rungs()
        for minutes in minutes_list:
            session_run(minutes, rungs)  # generated before any timing
        rows = [measure(minutes, rungs, state / "media") for minutes in minutes_list]
        names = ", ".join(r["name"] for r in rungs)
        print(f"\nArchive of a one-run session, rungs {names} + audio,")
        print(f"local storage, {os.cpu_count()} CPUs; seconds from archive_session() to READY\n")
        headers = ["session", "files", "MB", "video s", "MP4 MB", "archive s", "target"]
        print(table(headers, rows))
    finally:
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10, 60])
