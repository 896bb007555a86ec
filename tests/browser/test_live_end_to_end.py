"""A live session end to end, as a client on a tablet sees it, with nothing stood in for.

An operator schedules the session with `schedule_live`; the real nginx-rtmp ingest calls back the
test's live server, a real ffmpeg publisher streams with the session's key, and the real live
supervisor (in a thread) packages, ends the session after a short grace period and archives it;
the library drafts the recording's page, which an editor approves through the Wagtail admin.
Chromium, at a portrait tablet's touch viewport, keeps one page open through it all and must move
from the countdown to the live player, to "ended", to "after review" and to the recording's link
without a reload; the recording then plays. axe-core at every state, no request off the server.

Waits are on the page's own state (Playwright waits with timeouts) or on threading events; the one
harness hold is on the archive: it is queued the moment the session ends and is ready within about
a second, faster than the page's poll, so the supervisor's hand-over to the archive task waits for
the test to have seen "ended" (the archive itself runs unchanged, in the supervisor's thread).
"""

import json
import re
import signal
import threading
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from library.models import LiveRecordingPage
from streaming.live import supervisor as live_supervisor
from streaming.live.events import session_archived
from streaming.models import LiveSession, LiveState, VideoStatus
from studio import roles
from tests.browser.conftest import PORTRAIT, Tab
from tests.helpers import fi
from tests.library.tree import exercise_topic

# The real ingest and packaging (imported: they live in another package's conftest).
from tests.streaming.live.conftest import ingest, packaging  # noqa: F401
from tests.users import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before the page's own scripts (Playwright injects it outside the page's CSP).
WATCH_PAGE = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`);
});
"""
PANEL = "[data-live-session] [data-live-state]"
PLAYER_STATE = """() => {
    const v = document.querySelector('video[data-live]');
    const h = v && v.hlsPlayer;
    return {paused: v && v.paused, readyState: v && v.readyState,
            hlsLevels: h ? h.levels.length : null};
}"""
SEGMENT = re.compile(r"/(v\d+)/[^/]*\.m4s$")


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """tests/browser/conftest.py leaves the settings to its module-wide demo; this test has no
    demo, so it takes tests/conftest.py's per-test settings back (its own media, tasks inline)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATE_DIR = tmp_path / "var"
    settings.KOTIKANAVA_UPLOAD_DIR = tmp_path / "uploads"
    settings.KOTIKANAVA_WORK_DIR = None
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }


@pytest.fixture
def archive_gate(packaging, monkeypatch):  # noqa: F811 (the imported fixture)
    """Holds the supervisor's hand-over of an ended session to the archive task until set.

    Set on teardown before the supervisor stops (this fixture is torn down first), so a failing
    test never leaves the supervisor's thread waiting."""
    gate = threading.Event()
    enqueue = live_supervisor._enqueue_archive

    def held(session_id):
        gate.wait(timeout=60)
        enqueue(session_id)

    monkeypatch.setattr(live_supervisor, "_enqueue_archive", held)
    yield gate
    gate.set()


@pytest.fixture
def drafted():
    """Set once the library has answered `session_archived` (its receiver was connected first)."""
    done = threading.Event()

    def receiver(sender, session, video, **kwargs):
        done.set()

    session_archived.connect(receiver, dispatch_uid="test_live_end_to_end")
    yield done
    session_archived.disconnect(dispatch_uid="test_live_end_to_end")


def first_segment_rung(urls: list[str]) -> str | None:
    for url in urls:
        match = SEGMENT.search(urlsplit(url).path)
        if match:
            return match.group(1)
    return None


def test_a_client_follows_a_live_session_from_countdown_to_its_recording(
    migrated_db,
    live_server,
    ingest,  # noqa: F811
    packaging,  # noqa: F811
    archive_gate,
    drafted,
    browser,
    settings,
):
    settings.KOTIKANAVA_LIVE_GRACE_SECONDS = 3
    settings.KOTIKANAVA_LIVE_POLL_SECONDS = 1
    exercise_topic()  # the site's home and the shelf the recording's page is drafted under
    editor = member("toimittaja", roles.EDITORS_GROUP)

    # The operator schedules a session starting in a little over a minute.
    printed = StringIO()
    starts = timezone.localtime(timezone.now() + timedelta(seconds=90))
    call_command(
        "schedule_live",
        *["--title", "Tuolijumppa livenä", "--start", starts.isoformat()],
        *["--duration", "30", "--json"],
        stdout=printed,
    )
    scheduled = json.loads(printed.getvalue())
    session = LiveSession.objects.get(pk=scheduled["id"])
    status = Client().get(urlsplit(scheduled["status_url"]).path).json()
    assert status["state"] == "scheduled" and status["live_playlist"] is None
    page_path = status["page"]
    assert page_path == f"/fi/live/{session.public_id}/"

    context = browser.new_context(viewport=PORTRAIT, has_touch=True, locale="fi-FI")
    try:
        page = context.new_page()
        page.add_init_script(WATCH_PAGE)
        tab = Tab(page, live_server.url)
        tab.open(page_path)
        page.evaluate("window.__sameDocument = true")  # gone if the page ever reloads

        # Countdown: "Starts in 2 minutes" (the template's text with the browser's minutes).
        page.wait_for_function(
            """() => {
                const c = document.querySelector('[data-countdown]');
                if (!c) return false;
                const [before, after] = c.dataset.template.split('%(time)s');
                const text = c.textContent;
                return text.startsWith(before) && text.endsWith(after) && /[12]/.test(text);
            }"""
        )
        assert page.locator(PANEL).get_attribute("data-live-state") == "scheduled"
        assert tab.axe_violations() == []

        # The host starts streaming with the session's key: the page turns live by itself.
        publisher = ingest.publish(scheduled["stream_key"], seconds=120, size="640x360")
        page.wait_for_selector(f"{PANEL}[data-live-state=live]", timeout=15_000)
        # One play control, the player's own (as on recordings), with the same data saver.
        button = page.locator(".live-player [data-control=play]")
        button.wait_for(state="visible", timeout=10_000)
        assert page.get_by_role("button", name=fi("Watch the broadcast")).count() == 1
        assert page.locator(".live-player input[type=radio][value=audio]").count() == 1
        box = button.bounding_box()
        assert box["width"] >= 48 and box["height"] >= 48
        assert page.evaluate("document.querySelector('video[data-live]').paused")
        assert tab.axe_violations() == []

        # The client taps play: hls.js joins the live stream on the lowest rung and time runs.
        # (The page turns live at the host's admission, seconds before the packager has written
        # master.m3u8: the player must get the playlist once it is there, not give up on a 404.)
        button.tap()
        try:
            # The button says "Pause" once playback has begun.
            button.get_by_text(fi("Pause")).wait_for(timeout=20_000)
        except PlaywrightTimeoutError:
            pytest.fail(
                "The live player never started after the tap: "
                + json.dumps(page.evaluate(PLAYER_STATE))
                + f"; playlist requests: {[u for u in tab.requests if '.m3u8' in u]}"
            )
        start = page.evaluate("document.querySelector('video[data-live]').currentTime")
        page.wait_for_function(
            f"() => document.querySelector('video[data-live]').currentTime > {start} + 2",
            timeout=15_000,
        )
        live = page.evaluate(
            """() => {
                const v = document.querySelector('video[data-live]');
                const h = v.hlsPlayer;
                return {src: v.currentSrc, muted: v.muted, attached: !!h && h.media === v,
                        heights: h ? h.levels.map((l) => l.height) : []};
            }"""
        )
        assert live["attached"] and live["src"].startswith("blob:") and not live["muted"]
        assert live["heights"] == [234, 360], "the live ladder: never above the 360p source"
        assert any(u.endswith(f"/{session.media_prefix}master.m3u8") for u in tab.requests)
        assert first_segment_rung(tab.requests) == "v234", "starts on the lowest rung"
        assert tab.axe_violations() == []

        # The host stops; after the grace period the page says the recording is being prepared.
        publisher.send_signal(signal.SIGINT)
        publisher.wait(timeout=10)
        page.wait_for_selector(f"{PANEL}[data-live-state=ended]", timeout=20_000)
        assert page.locator("video").count() == 0
        panel_text = page.inner_text(PANEL)
        assert fi("The session has ended. The recording is being prepared.") in panel_text
        assert tab.axe_violations() == []

        # The archive runs: the recording waits for an editor's review, with no link for clients.
        archive_gate.set()
        assert drafted.wait(timeout=30), "the session was not archived"
        session.refresh_from_db()
        assert session.state == LiveState.ARCHIVED
        assert session.video.status == VideoStatus.READY
        page.wait_for_selector(
            f"{PANEL}[data-live-state=archived][data-recording-pending]", timeout=10_000
        )
        panel_text = page.inner_text(PANEL)
        assert fi("The session has ended. The recording will be available after review.") in (
            panel_text
        )
        assert page.locator(f"{PANEL} a").count() == 0
        assert tab.axe_violations() == []
        draft = LiveRecordingPage.objects.get(session=session).page.specific
        assert not draft.live and draft.video_id == session.video_id

        # An editor approves the draft in the admin's workflow: it is published.
        task_state = draft.current_workflow_task_state
        assert task_state is not None, "the draft was not submitted to moderation"
        admin = Client()
        admin.force_login(editor)
        approved = admin.post(
            reverse(
                "wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk]
            ),
            {"comment": ""},
        )
        assert approved.status_code == 302
        draft.refresh_from_db()
        assert draft.live

        # At its next poll the open page links to the recording, still without a reload.
        link = page.get_by_role("link", name=fi("Watch the recording"))
        link.wait_for(timeout=20_000)
        assert link.get_attribute("href") == draft.url
        box = link.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
        assert page.locator(PANEL).get_attribute("data-final") is not None
        assert tab.axe_violations() == []
        assert page.evaluate("window.__sameDocument") is True
        assert page.evaluate("window.__csp") == []

        # The client follows it and plays the recording, through hls.js, from the lowest rung.
        before = len(tab.requests)
        link.tap()
        page.wait_for_url(live_server.url + draft.url)
        page.wait_for_function("() => !!document.querySelector('video').hlsPlayer")
        assert tab.axe_violations() == []
        page.locator("video").focus()
        page.keyboard.press("Space")  # play, as on the player's controls
        page.wait_for_function(
            "() => document.querySelector('video').currentTime > 2", timeout=20_000
        )
        recording = page.evaluate(
            """() => {
                const v = document.querySelector('video');
                return {src: v.currentSrc, heights: v.hlsPlayer.levels.map((l) => l.height)};
            }"""
        )
        assert recording["src"].startswith("blob:")
        assert recording["heights"][0] == 234
        assert any(u.endswith(session.video.master_url) for u in tab.requests[before:])
        assert first_segment_rung(tab.requests[before:]) == "v234"
        assert page.evaluate("window.__csp") == []
        assert tab.foreign_requests() == []
    finally:
        context.close()
