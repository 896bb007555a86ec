"""Following ffmpeg's `-progress` output: percent done and time left.

ffmpeg writes blocks of key=value lines, each ending with `progress=continue` (or `end`).
`estimate` is the pure arithmetic; `ProgressParser` collects lines and calls back once per block.
"""

import time
from collections.abc import Callable

# Called with (percent 0-100, seconds left or None while unknown).
ProgressCallback = Callable[[float, float | None], None]


def estimate(
    out_seconds: float, duration: float, speed: float | None = None, elapsed: float | None = None
) -> tuple[float, float | None]:
    """Percent done and seconds left, from ffmpeg's `speed` or else from the wall clock."""
    if duration <= 0:
        return 0.0, None
    done = min(max(out_seconds, 0.0), duration)
    percent = 100.0 * done / duration
    if not speed and elapsed and elapsed > 0 and done > 0:
        speed = done / elapsed
    if not speed or speed <= 0 or done <= 0:
        return percent, None
    return percent, max(0.0, (duration - done) / speed)


def parse_speed(value: str) -> float | None:
    """ffmpeg's `speed=2.5x` (or `N/A` at the start)."""
    try:
        speed = float(value.strip().rstrip("x"))
    except ValueError:
        return None
    return speed if speed > 0 else None


class ProgressParser:
    """Feed it ffmpeg's key=value lines; it calls back with (percent, seconds left or None)."""

    def __init__(self, duration: float, callback: ProgressCallback | None, clock=time.monotonic):
        self.duration = duration
        self.callback = callback
        self.clock = clock
        self.started = clock()
        self.out_seconds = 0.0
        self.speed: float | None = None
        self.finished = False

    def feed(self, line: str) -> None:
        key, _, value = line.strip().partition("=")
        if key == "out_time_us" and value.lstrip("-").isdigit():
            self.out_seconds = max(self.out_seconds, int(value) / 1_000_000)
        elif key == "speed":
            self.speed = parse_speed(value)
        elif key == "progress":
            self.finished = value == "end"
            self._report()

    def percent(self) -> float:
        return estimate(self.out_seconds, self.duration)[0]

    def eta(self) -> float | None:
        elapsed = self.clock() - self.started
        return estimate(self.out_seconds, self.duration, self.speed, elapsed)[1]

    def _report(self) -> None:
        if self.callback:
            if self.finished:
                self.callback(100.0, 0.0)
            else:
                self.callback(self.percent(), self.eta())
