"""CPU per live session for a 720p30 input, and how many sessions this machine carries.

The same throwaway environment as `live_latency.py` (runserver + run_ingest with the real
supervisor, which starts the real `packager.build_command` ffmpeg per publish). The publisher
stands in for the host's own encoder, so it must cost this machine nothing: a camera-like 720p30
clip (moving test card with sensor noise, x264 3 Mbit/s, 2 s GOP, AAC) is made once and sent with
`-re -stream_loop -1 -c copy`. CPU is read from /proc/<pid>/stat (utime + stime, all threads)
before and after each phase, per process: the packager ffmpeg (found by the run's ffmpeg.pid),
the publisher, nginx, and the run_ingest Python process (the supervisor). Whatever else this
machine did meanwhile (/proc/stat minus those) is shown too: other people's tests skew it.

Phases: one session for --seconds (the per-session figure), then 2 and 3 concurrent sessions
for --concurrent-seconds each: real time means every packager's segments keep appearing every
~2 s (media seconds listed per wall second >= 0.97, no gap over 3 s).

    .venv/bin/python benchmarks/live_cpu.py [--seconds 60] [--concurrent-seconds 30] [--max 3]
"""

import argparse
import contextlib
import os
import statistics
import subprocess
import time
from pathlib import Path

from common import table
from live_latency import FirstSeen, LiveEnvironment, _wait, exit_on_sigterm, parse_window

TICK = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1
REAL_TIME_SPEED = 0.97
MAX_GAP_SECONDS = 3.0


def cpu_seconds(pid: int) -> float | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
    return None


def machine_busy_seconds() -> float:
    """CPU seconds every process spent so far (all of /proc/stat's busy columns)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / TICK


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def make_clip(path: Path, seconds: int) -> None:
    video = f"testsrc2=size=1280x720:rate=30:duration={seconds},noise=alls=12:allf=t"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", video]
        + ["-f", "lavfi", "-i", f"sine=frequency=330:sample_rate=48000:duration={seconds}"]
        + ["-c:v", "libx264", "-preset", "veryfast", "-b:v", "3000k", "-maxrate", "3000k"]
        + ["-bufsize", "3000k", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0"]
        + ["-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", str(path)],
        check=True,
    )


def real_time(appeared: list[float]) -> tuple[float, float]:
    """(media seconds listed per wall second, longest gap) from segments' first-seen times."""
    times = sorted(appeared)
    if len(times) < 3:
        return 0.0, float("inf")
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    return 2.0 * (len(times) - 1) / (times[-1] - times[0]), max(gaps)


def phase(env: LiveEnvironment, clip: Path, count: int, seconds: float, warmup: float) -> dict:
    sessions = [env.schedule(f"cpu {count}.{i}") for i in range(count)]
    publishers = [
        env.publish(s, ["-re", "-stream_loop", "-1", "-i", str(clip), "-c", "copy"], f"p{i}.log")
        for i, s in enumerate(sessions)
    ]
    try:
        pids = [_wait(lambda s=s: env.packager_pid(s), 60, "a packager", 0.2) for s in sessions]
        top = "v720"
        for s in sessions:
            _wait(
                lambda s=s: len(parse_window(_text(env.run_playlist(s, top))).segments) >= 2,
                60,
                "the packager's first segments",
                0.2,
            )
        time.sleep(warmup)
        run_folder = env.run_playlist(sessions[0], top).parent.parent
        rungs = sorted((p.name for p in run_folder.iterdir() if p.is_dir()), key=_rung_order)
        lists = {
            f"{i}/{rung}": env.run_playlist(s, rung)
            for i, s in enumerate(sessions)
            for rung in ("v234", top)
        }
        watcher = FirstSeen(lists)
        watcher.start()
        nginx = [pid for pid in children(env.ingest.pid) if pid not in pids]
        nginx += [child for pid in nginx for child in children(pid)]
        groups = {
            "packager": pids,
            "publisher": [p.pid for p in publishers],
            "nginx": nginx,
            "supervisor": [env.ingest.pid],
        }
        before = {name: [cpu_seconds(pid) for pid in group] for name, group in groups.items()}
        busy_before, began = machine_busy_seconds(), time.monotonic()
        load_before = os.getloadavg()[0]
        time.sleep(seconds)
        busy, wall = machine_busy_seconds() - busy_before, time.monotonic() - began
        after = {name: [cpu_seconds(pid) for pid in group] for name, group in groups.items()}
        watcher.stopping.set()
        watcher.join()
        ended = time.monotonic()
    finally:
        for publisher in publishers:
            env.stop(publisher)
    # The supervisor stops the packagers when their publishers have left.
    _wait(lambda: all(cpu_seconds(pid) is None for pid in pids), 30, "packagers to stop", 0.2)

    cores = {}
    for name in groups:
        pairs = zip(before[name], after[name], strict=True)
        cores[name] = [(b2 - b1) / wall for b1, b2 in pairs if b1 is not None and b2 is not None]
        if name == "packager" and len(cores[name]) != count:
            raise RuntimeError("a packager ended during the measurement")
    ours = sum(sum(values) for values in cores.values())
    speeds, gaps = [], []
    for times in watcher.seen.values():
        speed, gap = real_time([t for t in times.values() if began <= t <= ended])
        speeds.append(speed)
        gaps.append(gap)
    return {
        "count": count,
        "rungs": rungs,
        "wall": wall,
        "cores": cores,
        "others": max(0.0, busy / wall - ours),
        "load": load_before,
        "speed": min(speeds),
        "gap": max(gaps),
    }


def _rung_order(name: str) -> int:
    return int(name[1:]) if name[1:].isdigit() else 10_000


def _text(path: Path) -> str:
    with contextlib.suppress(OSError):
        return path.read_text()
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="one session's measurement")
    parser.add_argument("--concurrent-seconds", type=float, default=30)
    parser.add_argument("--max", type=int, default=3, help="most concurrent sessions tried")
    parser.add_argument("--warmup", type=float, default=4)
    parser.add_argument("--max-load", type=float, default=1.0, help="wait for a quieter machine")
    parser.add_argument("--wait", type=float, default=120, help="at most this long")
    args = parser.parse_args()
    exit_on_sigterm()

    waited = time.monotonic()
    while os.getloadavg()[0] > args.max_load and time.monotonic() - waited < args.wait:
        time.sleep(5)
    print(
        f"Load average {os.getloadavg()[0]:.2f} after {time.monotonic() - waited:.0f} s of waiting"
    )

    results = []
    with LiveEnvironment() as env:
        clip = env.tmp / "camera-720p30.mp4"
        print("Making a 20 s camera-like 720p30 clip for the publisher ...", flush=True)
        make_clip(clip, 20)
        for count in range(1, args.max + 1):
            seconds = args.seconds if count == 1 else args.concurrent_seconds
            print(f"  {count} session(s) for {seconds:.0f} s", flush=True)
            results.append(phase(env, clip, count, seconds, args.warmup))

    rows = []
    for r in results:
        packagers = r["cores"]["packager"]
        rows.append(
            [
                r["count"],
                f"{r['wall']:.0f}",
                " + ".join(f"{value:.2f}" for value in packagers),
                f"{statistics.mean(packagers):.2f}",
                f"{sum(r['cores']['publisher']):.2f}",
                f"{sum(r['cores']['nginx']):.3f}",
                f"{sum(r['cores']['supervisor']):.3f}",
                f"{r['others']:.2f}",
                f"{r['load']:.2f}",
                f"{r['speed']:.3f}",
                f"{r['gap']:.1f}",
                "yes" if r["speed"] >= REAL_TIME_SPEED and r["gap"] <= MAX_GAP_SECONDS else "NO",
            ]
        )
    rungs = ", ".join(results[0]["rungs"])
    print(f"\nLive packaging of a 720p30 input (renditions {rungs}), {CORES} CPUs")
    print("cores = CPU seconds per wall second (/proc/<pid>/stat utime + stime)\n")
    headers = ["sessions", "wall s", "packager cores", "per session", "publisher", "nginx"]
    headers += ["supervisor", "others", "load", "speed", "max gap s", "real time"]
    print(table(headers, rows))
    print(
        "others: the rest of the machine meanwhile (/proc/stat busy minus the columns before:"
        " other users' work, the web app, this script); load: 1-min load average at the start"
    )
    single = results[0]
    per_session = (
        statistics.mean(single["cores"]["packager"])
        + sum(single["cores"]["nginx"])
        + sum(single["cores"]["supervisor"])
    )
    print(
        f"\nOne session costs {per_session:.2f} cores (packager + nginx + supervisor): "
        f"{CORES} cores / {per_session:.2f} = {CORES / per_session:.1f} sessions at 100 % CPU."
    )
    carried = [r["count"] for r in results if r["speed"] >= REAL_TIME_SPEED]
    carried = [c for c in carried if all(r["gap"] <= MAX_GAP_SECONDS for r in results[:c])]
    print(f"Concurrent sessions that kept real time here: {max(carried, default=0)}.")


if __name__ == "__main__":
    main()
