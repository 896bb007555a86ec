"""The live supervisor: one loop on the ingest host that keeps every live session packaged.

Each step it compares the database (sessions, publishers) with the packagers it runs:
- an admitted publisher without a packager gets one (a new run: a reconnect, or a restart after
  ffmpeg died while the publisher still sends), so one session stays one set of playlists;
- what packagers completed goes to storage, and every rung's viewer window is rewritten;
- a live session whose publisher has been gone for the grace period ends; an ended session's
  packagers are stopped, and once all have closed their files its archive is queued, once;
- a stream no run can read, or a disk running full, fails the session with a reason editors
  understand, keeping everything already recorded.
The state lives in the database and storage, so the web app can restart at will, and a
restarted supervisor adopts what its predecessor left.
"""

import logging
import shutil
import threading
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from streaming.conf import pipeline_config, setting, state_dir
from streaming.live import ingest, lifecycle
from streaming.live.browser_relay import BrowserRelays
from streaming.live.output import SessionOutput
from streaming.live.runs import PackagerRun
from streaming.models import LivePublisher, LiveRun, LiveSession, LiveState

logger = logging.getLogger("streaming.live")

# After this many runs in a row for one publisher ended without a single segment, the stream is
# taken for unreadable (a codec ffmpeg cannot decode, a broken encoder).
UNREADABLE_AFTER_RUNS = 3
RESTART_DELAY_SECONDS = 1.0
OVER = (LiveState.ENDED, LiveState.FAILED)

UNREADABLE = gettext_noop(
    "The stream could not be read. Check that the broadcasting app sends H.264 video and AAC "
    "sound. Detail: %(detail)s"
)
DISK_FULL = gettext_noop(
    "The broadcast was stopped because the server's disk is nearly full. What was recorded "
    "until then is kept. Ask the administrator to free space."
)


class Supervisor:
    def __init__(self, work_dir: Path | None = None, config=None, clock=timezone.now):
        self.work_dir = Path(work_dir or setting("LIVE_WORK_DIR") or state_dir() / "live")
        self.config = config or pipeline_config()
        self.clock = clock
        self.runs: dict[int, PackagerRun] = {}  # by publisher id
        self.outputs: dict[int, SessionOutput] = {}  # by session id
        self._stopped_at: dict[int, float] = {}  # run id -> monotonic time of the stop request
        self._last_start: dict[int, float] = {}  # publisher id -> monotonic time
        self.browser_relays = BrowserRelays()  # browser sources, published to the ingest

    def recover(self) -> None:
        """Close the runs a previous supervisor left open, keeping what they wrote."""
        self.work_dir.mkdir(parents=True, exist_ok=True)
        for run in LiveRun.objects.filter(ended_at__isnull=True).select_related("session"):
            adopted = PackagerRun.adopt(run, self.work_dir, self.config)
            adopted.close()
            logger.warning("Run %s was left open by a previous supervisor; closed", run)

    def run_forever(self, stop: threading.Event, interval: float = 0.25) -> None:
        """Step until stopped; a failing step (the database busy or away) is logged and tried
        again, so nothing short of `stop` ends the packaging of a live."""
        recovered = False
        try:
            while not stop.is_set():
                close_old_connections()
                try:
                    if not recovered:
                        self.recover()
                        recovered = True
                    self.step()
                except Exception:
                    logger.exception("Live supervisor step failed")
                stop.wait(interval)
        finally:
            self.shutdown()

    def step(self) -> None:
        now = self.clock()
        ingest.end_silent_publishers(now)
        self.browser_relays.step(self.runs)
        self._check_disk(now)
        self._start_missing()
        self._follow_runs(now)
        self._end_after_grace(now)
        self._stop_over()
        self._queue_archives()

    def shutdown(self) -> None:
        """Stop every packager and keep what it wrote (the ingest server is going down)."""
        self.browser_relays.shutdown()
        for packaged in self.runs.values():
            packaged.stop()
        deadline = time.monotonic() + 10
        for packaged in self.runs.values():
            packaged.finished.wait(max(0.1, deadline - time.monotonic()))
            packaged.kill_if_stuck(float("inf"))
            packaged.finished.wait(2)
            try:
                packaged.close()
            except Exception:  # the next supervisor adopts the run and closes it
                logger.exception("Closing packager run %s failed", packaged.run)
        self.runs.clear()

    # Starting runs

    def _start_missing(self) -> None:
        publishers = LivePublisher.objects.filter(
            ended_at__isnull=True, session__state=LiveState.LIVE
        ).select_related("session")
        for publisher in publishers:
            if publisher.pk in self.runs:
                continue
            last = self._last_start.get(publisher.pk, 0.0)
            if time.monotonic() - last < RESTART_DELAY_SECONDS:
                continue
            if self._unreadable(publisher):
                continue
            self._last_start[publisher.pk] = time.monotonic()
            self.runs[publisher.pk] = PackagerRun.start(
                publisher.session, publisher, self.work_dir, self.config
            )

    def _unreadable(self, publisher: LivePublisher) -> bool:
        recent = list(
            LiveRun.objects.filter(publisher=publisher).order_by("-number")[:UNREADABLE_AFTER_RUNS]
        )
        if len(recent) < UNREADABLE_AFTER_RUNS or any(r.segments for r in recent):
            return False
        if any(r.ended_at is None for r in recent):
            return False
        detail = recent[0].error[-300:] or "-"
        lifecycle.fail_session(publisher.session_id, self.clock(), _reason(UNREADABLE, detail))
        return True

    # Following runs

    def _follow_runs(self, now) -> None:
        for publisher_id, packaged in list(self.runs.items()):
            output = self._output(packaged.session)
            if packaged.sync():
                output.add(packaged)
                output.publish_windows()
                packaged.save_progress()
            if packaged.running:
                self._stop_if_publisher_left(publisher_id, packaged)
                continue
            packaged.close()
            output.add(packaged)
            output.publish_windows()
            del self.runs[publisher_id]
            if packaged.stream_gone:
                ingest.publish_gone(publisher_id, now)
            self._stopped_at.pop(packaged.run.pk, None)

    def _stop_if_publisher_left(self, publisher_id: int, packaged: PackagerRun) -> None:
        """ffmpeg sees the end of the stream when the publisher leaves; if it does not (a
        silent source's clock-paced silence keeps it going), it is stopped."""
        stopped = self._stopped_at.get(packaged.run.pk)
        if stopped is not None:
            packaged.kill_if_stuck(time.monotonic() - stopped)
            return
        gone = LivePublisher.objects.filter(pk=publisher_id, ended_at__isnull=False).exists()
        if gone:
            self._stop(packaged, grace=3.0)

    def _stop(self, packaged: PackagerRun, grace: float = 0.0) -> None:
        self._stopped_at[packaged.run.pk] = time.monotonic() + grace
        if not grace:
            packaged.stop()
        else:
            threading.Timer(grace, packaged.stop).start()

    # Ending sessions

    def _end_after_grace(self, now) -> None:
        """A live session whose publisher left more than the grace period ago has ended."""
        grace = timedelta(seconds=setting("LIVE_GRACE_SECONDS"))
        waiting = LiveSession.objects.filter(state=LiveState.LIVE).exclude(
            pk__in=LivePublisher.objects.filter(ended_at__isnull=True).values("session")
        )
        last_left = LivePublisher.objects.filter(session=OuterRef("pk")).order_by("-ended_at")
        for session in waiting.annotate(left=Subquery(last_left.values("ended_at")[:1])):
            if session.pk in {p.session.pk for p in self.runs.values()}:
                continue
            if session.left is None or session.left <= now - grace:
                lifecycle.end_session(session.pk, now, "the publisher did not come back")

    def _stop_over(self) -> None:
        over = set(
            LiveSession.objects.filter(
                pk__in=[p.session.pk for p in self.runs.values()], state__in=OVER
            ).values_list("pk", flat=True)
        )
        for packaged in self.runs.values():
            if packaged.session.pk in over and packaged.run.pk not in self._stopped_at:
                self._stop(packaged)

    def _queue_archives(self) -> None:
        running = {p.session.pk for p in self.runs.values()}
        ready = LiveSession.objects.filter(state__in=OVER, archive_queued_at__isnull=True).exclude(
            pk__in=running
        )
        for session in ready:
            if LiveRun.objects.filter(session=session, ended_at__isnull=True).exists():
                continue
            output = self.outputs.pop(session.pk, None)
            if output is not None:
                output.publish_windows(ended=True)
            with transaction.atomic():
                claimed = LiveSession.objects.filter(
                    pk=session.pk, archive_queued_at__isnull=True
                ).update(archive_queued_at=self.clock())
                if claimed:
                    transaction.on_commit(lambda pk=session.pk: _enqueue_archive(pk))

    # Faults

    def _check_disk(self, now) -> None:
        if not self.runs:
            return
        free = shutil.disk_usage(self.work_dir).free
        if free >= setting("LIVE_MIN_FREE_BYTES"):
            return
        for session_id in {p.session.pk for p in self.runs.values()}:
            if lifecycle.fail_session(session_id, now, _reason(DISK_FULL)):
                logger.error(
                    "Session %s stopped: %d bytes free for live packaging", session_id, free
                )

    def _output(self, session: LiveSession) -> SessionOutput:
        if session.pk not in self.outputs:
            self.outputs[session.pk] = SessionOutput.load(session)
        return self.outputs[session.pk]


def _reason(message: str, detail: str = "") -> str:
    """A failure reason for editors, stored in the site's language (Finnish by default)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(message)
    return text % {"detail": detail} if "%(detail)s" in message else text


def _enqueue_archive(session_id: int) -> None:
    from streaming.tasks import archive_live_session

    archive_live_session.enqueue(session_id)
