"""A live session's page in Debian's chromium follows the session from countdown to recording.

The media side is stood in for: a live-style HLS folder made with ffmpeg sits where the packager
writes (live/<id>/master.m3u8 and a rung's sliding window), and the test moves the session's state
in the database as the ingest and archive would. The page must follow without a reload, play the
live stream through hls.js when the client taps, break no CSP rule and pass axe-core.
"""

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from library.models import LiveRecordingPage
from streaming.models import LiveRun, LiveSession, LiveState, Video
from tests.browser.conftest import LANDSCAPE, axe_violations
from tests.helpers import fi
from tests.library.tree import exercise_showing, exercise_topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MASTER = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-STREAM-INF:BANDWIDTH=260000,AVERAGE-BANDWIDTH=220000,CODECS="avc1.42c01e,mp4a.40.2",\
RESOLUTION=416x234,FRAME-RATE=15.000
v234/live.m3u8
"""

# Runs before the page's own scripts (Playwright injects it outside the page's CSP).
WATCH_PAGE = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`);
});
"""


def write_live_output(folder: Path, seconds: int = 12) -> None:
    """What a packager leaves while live: a master and one rung's window, 2 s fMP4 segments,
    no end tag (hls.js plays it as live, from three segments before its end)."""
    rung = folder / "v234"
    rung.mkdir(parents=True)
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y"]
        + ["-f", "lavfi", "-i", "testsrc2=size=416x234:rate=15"]
        + ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", str(seconds)]
        + ["-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "baseline", "-level", "3.0"]
        + ["-pix_fmt", "yuv420p", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0"]
        + ["-c:a", "aac", "-b:a", "48k", "-ac", "2"]
        + ["-f", "hls", "-hls_time", "2", "-hls_segment_type", "fmp4"]
        + ["-hls_playlist_type", "event", "-hls_flags", "omit_endlist+independent_segments"]
        + ["-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", "seg_%05d.m4s"]
        + ["live.m3u8"],
        cwd=rung,
        check=True,
        timeout=30,
    )
    (folder / "master.m3u8").write_text(MASTER)


def set_state(session: LiveSession, state: str, **values) -> None:
    LiveSession.objects.filter(pk=session.pk).update(state=state, **values)


def test_page_follows_the_session_without_a_reload(migrated_db, live_server, browser, settings):
    settings.KOTIKANAVA_LIVE_POLL_SECONDS = 1
    topic = exercise_topic()
    session = LiveSession.objects.create(
        title="Tuolijumppa livenä",
        description="Jumpataan yhdessä.",
        starts_at=timezone.now() + timedelta(minutes=3),
        planned_minutes=30,
    )
    write_live_output(Path(settings.MEDIA_ROOT) / session.media_prefix)

    context = browser.new_context(viewport=LANDSCAPE, locale="fi-FI")
    tab = context.new_page()
    tab.add_init_script(WATCH_PAGE)
    requests = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(f"{live_server.url}/fi/live/{session.public_id}/", wait_until="load")
    tab.evaluate("window.__sameDocument = true")  # gone if the page ever reloads

    # Before the start: a countdown in minutes, polite to screen readers.
    countdown = tab.locator("[data-countdown]")
    tab.wait_for_function("() => /3/.test(document.querySelector('[data-countdown]').textContent)")
    assert countdown.get_attribute("aria-live") is None
    assert tab.locator("[data-live-announcer]").get_attribute("role") == "status"
    assert axe_violations(tab) == []

    # Live: the player appears; nothing plays until the client taps the big button.
    LiveRun.objects.create(session=session, number=1, segments=1)  # the packager's first
    set_state(session, LiveState.LIVE, went_live_at=timezone.now())
    tab.wait_for_selector("[data-live-state=live]", timeout=8_000)
    # One play control: the player's own, as on recordings, with the same data saver.
    button = tab.locator(".live-player [data-control=play]")
    button.wait_for(state="visible")
    assert tab.get_by_role("button", name=fi("Watch the broadcast")).count() == 1
    assert tab.locator(".live-player input[type=radio][value=audio]").count() == 1
    box = button.bounding_box()
    assert box["width"] >= 48 and box["height"] >= 48
    assert tab.evaluate("document.querySelector('video').paused")
    tab.wait_for_function(
        f"() => document.querySelector('[data-live-announcer]').textContent.includes("
        f"{fi('Live now')!r})"
    )
    button.click()
    # The button turns into "Pause" once playback begins; then time runs.
    button.get_by_text(fi("Pause")).wait_for(timeout=10_000)
    start = tab.evaluate("document.querySelector('video').currentTime")
    tab.wait_for_function(
        f"() => document.querySelector('video').currentTime > {start} + 1", timeout=15_000
    )
    assert tab.evaluate("document.querySelector('video').currentSrc").startswith("blob:")
    assert any(url.endswith(f"{session.public_id}/master.m3u8") for url in requests)
    # The lowest rung, with sound: the one video rung here, and not muted.
    assert any("/v234/seg_" in url for url in requests)
    assert not tab.evaluate("document.querySelector('video').muted")
    assert axe_violations(tab) == []

    # Ended: the player goes, the recording is announced as coming.
    set_state(session, LiveState.ENDED, ended_at=timezone.now())
    tab.wait_for_selector("[data-live-state=ended]", timeout=8_000)
    assert tab.locator("video").count() == 0
    assert fi("The session has ended. The recording is being prepared.") in tab.inner_text("main")

    # Archived with its page published by an editor: the link to the recording.
    video = Video.objects.create(title="Tuolijumppa livenä")
    recording = exercise_showing(video, topic, slug="tuolijumppa-livena")
    LiveRecordingPage.objects.create(session=session, page=recording)
    set_state(session, LiveState.ARCHIVED, video=video)
    link = tab.get_by_role("link", name=fi("Watch the recording"))
    link.wait_for(timeout=8_000)
    assert link.get_attribute("href") == recording.url
    box = link.bounding_box()
    assert box["width"] >= 48 and box["height"] >= 48
    assert axe_violations(tab) == []

    assert tab.evaluate("window.__sameDocument") is True
    assert tab.evaluate("window.__csp") == []

    # The home page's lists, with a session live now and one coming up.
    LiveSession.objects.create(
        title="Etäkahvila", topic="cafe", starts_at=timezone.now(), state="live"
    )
    LiveSession.objects.create(title="Ruokalähetys", starts_at=timezone.now() + timedelta(days=1))
    tab.goto(live_server.url + topic.get_parent().url, wait_until="load")
    for name in ["Etäkahvila", "Ruokalähetys"]:
        box = tab.get_by_role("link", name=name).bounding_box()
        assert box["height"] >= 48, name
    assert axe_violations(tab) == []
    assert tab.evaluate("window.__csp") == []
    foreign = [u for u in requests if not u.startswith((live_server.url, "blob:", "data:"))]
    assert foreign == []
    context.close()
