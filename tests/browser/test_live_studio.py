"""The host goes live from the browser's studio page; a client watches; End makes the archive.

Debian's chromium with a fake camera and microphone records in the admin's studio page; its
chunks go over HTTP to the test's live server, the live supervisor's relay publishes them to a
real nginx-rtmp, the packager makes the live ladder, a second browser context plays it on the
client's live page, and End in the studio ends the session and archives what was sent.
"""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from streaming.models import LiveSession, LiveState, VideoStatus
from studio import roles
from tests.browser.conftest import LANDSCAPE, PORTRAIT, log_in_to_admin
from tests.browser.test_live_end_to_end import PANEL, WATCH_PAGE, _isolated_settings  # noqa: F401
from tests.conftest import CHROMIUM_ARGS
from tests.helpers import fi
from tests.library.tree import exercise_topic
from tests.streaming.live.conftest import ingest, packaging  # noqa: F401
from tests.streaming.live.test_browser_source import archive_timelines, make_session, timeline
from tests.streaming.live.test_ingest import wait_until
from tests.users import PASSWORD, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture(scope="module")
def browser():
    """Debian chromium with a fake camera and microphone (a test pattern and a beep)."""
    import os

    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS + FAKE_MEDIA
        )
        yield chromium
        chromium.close()


def poll(page, predicate, timeout: float) -> bool:
    """Wait on the database or files while Playwright keeps serving the page's routes."""
    for _ in range(int(timeout * 4)):
        if wait_until(predicate, timeout=0.01):
            return True
        page.wait_for_timeout(250)
    return False


class FlakyUplink:
    """Fails the first try of every seventh chunk upload, as a weak mobile link would."""

    def __init__(self):
        self.failed: set[str] = set()
        self.sequence_numbers: set[int] = set()
        self.chunks: dict[int, bytes] = {}

    def recorded_seconds(self, folder: Path) -> float:
        """The duration of what the studio sent: its chunks joined, as ffprobe reads them."""
        recording = folder / "sent.webm"
        recording.write_bytes(b"".join(self.chunks[seq] for seq in sorted(self.chunks)))
        sent = timeline(recording)  # MediaRecorder's WebM declares no duration
        return sent["end"] - sent["start"]

    def __call__(self, route):
        query = parse_qs(urlsplit(route.request.url).query)
        if "seq" not in query:  # the uplink measurement before going live
            return route.continue_()
        seq = int(query["seq"][0])
        self.sequence_numbers.add(seq)
        self.chunks[seq] = route.request.post_data_buffer
        key = f"{query['connection'][0]}:{seq}"
        if seq % 7 == 3 and key not in self.failed:
            self.failed.add(key)
            route.abort("connectionreset")
        else:
            route.continue_()


@pytest.fixture
def hosted(migrated_db, settings, tmp_path):
    """The host and their session starting now, with a stream key; a 3 s grace period."""
    settings.KOTIKANAVA_LIVE_GRACE_SECONDS = 3
    settings.KOTIKANAVA_LIVE_WORK_DIR = str(tmp_path / "work")
    exercise_topic()
    host = member("ohjaaja", roles.STAFF_GROUP)
    return host, make_session(host=host)


def log_in_to_studio(page, live_server, host, session, logged_in=False) -> None:
    if not logged_in:
        log_in_to_admin(page, live_server.url, host.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/live_sessions/studio/{session.pk}/")
    page.wait_for_selector("[data-go-live]:not([disabled])", timeout=15_000)


def throttle(cdp, kilobits_up: float | None) -> None:
    """Chromium's own network emulation: the uplink at this rate (None: unthrottled)."""
    up = kilobits_up * 1000 / 8 if kilobits_up else -1
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": up},
    )


def test_the_host_goes_live_from_the_studio_and_a_client_watches(
    migrated_db,
    live_server,
    ingest,  # noqa: F811
    packaging,  # noqa: F811
    browser,
    settings,
    tmp_path,
    hosted,
):
    settings.KOTIKANAVA_LIVE_POLL_SECONDS = 1
    host, session = hosted

    studio_context = browser.new_context(viewport=LANDSCAPE, has_touch=True, locale="fi-FI")
    viewer_context = browser.new_context(viewport=PORTRAIT, has_touch=True, locale="fi-FI")
    try:
        studio = studio_context.new_page()
        studio.add_init_script(WATCH_PAGE)
        uplink = FlakyUplink()
        studio.route("**/chunk/?*", uplink)
        log_in_to_studio(studio, live_server, host, session)

        # The fake camera is previewed, its microphone moves the meter, the buttons are large.
        go_live = studio.locator("[data-go-live]")
        studio.wait_for_function(
            "() => document.querySelector('[data-preview]').videoWidth > 0", timeout=10_000
        )
        studio.wait_for_function(
            "() => document.querySelector('[data-level]').value > 0", timeout=10_000
        )
        assert studio.locator("[data-camera] option").count() >= 1
        assert studio.locator("[data-microphone] option").count() >= 1
        box = go_live.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48

        go_live.tap()
        studio.get_by_text(fi("You are live.")).wait_for(timeout=5_000)
        assert studio.locator("[data-go-live]").is_hidden()

        # The relay publishes it: the session is live, and the live ladder appears.
        assert poll(
            studio,
            lambda: LiveSession.objects.get(pk=session.pk).state == LiveState.LIVE,
            timeout=30,
        ), "the browser source was never admitted"
        master = Path(settings.MEDIA_ROOT) / session.media_prefix / "master.m3u8"
        assert poll(studio, master.exists, timeout=40), "no live master playlist"
        # From the first chunk's upload to the live playlist, on the page's own clock.
        first_segment_after = studio.evaluate(
            """() => {
                const posts = performance.getEntriesByType('resource')
                    .filter((entry) => entry.name.includes('/chunk/'));
                return (performance.now() - posts[0].startTime) / 1000;
            }"""
        )
        assert "RESOLUTION=" in master.read_text()

        # A client plays it on the live page.
        viewer = viewer_context.new_page()
        viewer.goto(f"{live_server.url}/fi/live/{session.public_id}/")
        viewer.wait_for_selector(f"{PANEL}[data-live-state=live]", timeout=15_000)
        button = viewer.locator(".live-player [data-control=play]")
        button.wait_for(state="visible", timeout=15_000)
        button.tap()
        button.get_by_text(fi("Pause")).wait_for(timeout=30_000)
        start = viewer.evaluate("document.querySelector('video[data-live]').currentTime")
        viewer.wait_for_function(
            f"() => document.querySelector('video[data-live]').currentTime > {start} + 2",
            timeout=20_000,
        )
        played = viewer.evaluate(
            """() => {
                const h = document.querySelector('video[data-live]').hlsPlayer;
                return {edge: h.latency, date: h.playingDate ? h.playingDate.getTime() : null,
                        now: Date.now()};
            }"""
        )
        # The packager stamps each segment with its wall clock: how far the picture on the
        # viewer's screen is behind the moment the packager received it (same machine).
        behind_packager = (played["now"] - played["date"]) / 1000 if played["date"] else None
        print(
            json.dumps(
                {
                    "first_chunk_to_live_playlist_s": round(first_segment_after, 2),
                    "player_behind_live_edge_s": round(played["edge"], 2),
                    "viewer_behind_packager_clock_s": behind_packager,
                }
            )
        )

        # The upload keeps up on loopback: no "falling behind" warning.
        # (An injected failure shows "trying again" until its retry, a moment later.)
        studio.wait_for_selector("[data-connection]:not([data-behind])", timeout=5_000)
        assert studio.locator("[data-elapsed]").inner_text() != "0:00:00"

        # End, confirmed in the page's own dialog: the session ends and is archived.
        studio.locator("[data-end]").tap()
        studio.locator("[data-confirm-end]").tap()
        studio.get_by_text(
            fi("The broadcast has ended. The recording is made automatically.")
        ).wait_for(timeout=20_000)
        assert poll(
            studio,
            lambda: LiveSession.objects.get(pk=session.pk).state == LiveState.ARCHIVED,
            timeout=90,
        ), "the session was not archived"
        session.refresh_from_db()
        video = session.video
        assert video.status == VideoStatus.READY
        # Failed uploads were sent again in order: one run, no gap, every second.
        assert uplink.failed, "no upload failure was injected"
        sent_seconds = uplink.recorded_seconds(tmp_path)
        picture, sound = archive_timelines(video)
        print(json.dumps({"sent_s": sent_seconds, "archive_s": video.duration, "sound": sound}))
        # The archive starts at the first second recorded (the relay gives the packager the
        # start it joined too late for) and keeps every second after it, in sync.
        assert abs(video.duration - sent_seconds) <= 1.0
        assert picture["hole"] < 0.1 and sound["hole"] < 0.1
        assert abs(picture["start"] - sound["start"]) <= 0.1
        top = sorted((Path(settings.MEDIA_ROOT) / video.output_prefix).glob("v*/index.m3u8"))
        assert "#EXT-X-DISCONTINUITY" not in top[-1].read_text()
        assert studio.evaluate("window.__csp") == []
    finally:
        studio_context.close()
        viewer_context.close()


def test_the_bitrate_follows_the_uplink_and_a_second_tab_takes_over_without_a_break(
    migrated_db,
    live_server,
    ingest,  # noqa: F811
    packaging,  # noqa: F811
    browser,
    settings,
    hosted,
):
    """The uplink is measured before going live and picks the recording bitrate; when it
    narrows, the studio says so in Finnish and lowers the bitrate with a new recorder; another
    tab going live takes over and the first one is told. Viewers and the archive see one
    publish throughout: one publisher, one packager run, no discontinuity."""
    from streaming.models import LivePublisher, LiveRun

    host, session = hosted
    context = browser.new_context(viewport=LANDSCAPE, locale="fi-FI")
    try:
        first = context.new_page()
        cdp = context.new_cdp_session(first)
        cdp.send("Network.enable")
        throttle(cdp, 1600)
        log_in_to_studio(first, live_server, host, session)
        first.wait_for_function(
            "() => document.querySelector('[data-live-studio]').dataset.bitrate"
        )
        measured = first.evaluate(
            "() => ({...document.querySelector('[data-live-studio]').dataset})"
        )
        # About 1.6 Mbit/s measured: 70 % of it fits the 600 kbit/s rung, not 1.2 Mbit/s.
        assert int(measured["bitrate"]) == 600_000, measured
        first.locator("[data-go-live]").click()
        assert poll(
            first, lambda: LiveSession.objects.get(pk=session.pk).state == LiveState.LIVE, 30
        ), "the browser source was never admitted"
        first.wait_for_timeout(4_000)

        # The uplink narrows to 60 kbit/s: the upload falls behind and the studio says so.
        throttle(cdp, 60)
        behind = fi(
            "The upload is falling behind: %%(seconds)s s (%%(kilobytes)s kB) waiting to be sent. "
            "The picture quality is lowered."
        ).split("%")[0]
        first.wait_for_selector("[data-connection][data-behind]", timeout=30_000)
        assert first.locator("[data-connection]").inner_text().startswith(behind)
        first.wait_for_function(
            "() => document.querySelector('[data-live-studio]').dataset.bitrate === '300000'",
            timeout=20_000,
        )
        throttle(cdp, None)
        first.wait_for_selector("[data-connection]:not([data-behind])", timeout=40_000)

        # A second tab of the same host goes live: it takes over, the first is told and stops.
        second = context.new_page()
        log_in_to_studio(second, live_server, host, session, logged_in=True)
        second.locator("[data-go-live]").click()
        taken_over = fi(
            "The broadcast continues from another window or device. "
            "This window has stopped sending."
        )
        status = first.locator("[data-status]")
        first.wait_for_function(
            "() => document.querySelector('[data-go-live]').hidden"
            " && document.querySelector('[data-end]').hidden",
            timeout=30_000,
        )
        assert status.inner_text() == taken_over
        second.wait_for_timeout(5_000)
        assert second.locator("[data-end]").is_visible()

        second.locator("[data-end]").click()
        second.locator("[data-confirm-end]").click()
        assert poll(
            second,
            lambda: LiveSession.objects.get(pk=session.pk).state == LiveState.ARCHIVED,
            timeout=120,
        ), "the session was not archived"
        assert LivePublisher.objects.filter(session=session).count() == 1, "one publish"
        assert LiveRun.objects.filter(session=session).count() == 1, "one packager run"
        session.refresh_from_db()
        folder = Path(settings.MEDIA_ROOT) / session.video.output_prefix
        top = sorted(folder.glob("v*/index.m3u8"))[-1]
        assert "#EXT-X-DISCONTINUITY" not in top.read_text()
        print(json.dumps({"measured": measured, "archive_s": session.video.duration}))
        first.close()
        second.close()
    finally:
        context.close()
