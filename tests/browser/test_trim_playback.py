"""Trimming in the admin with the keyboard, then playing the trimmed video with hls.js.

The demo's exercise video is a processed 12-s clip (tests/browser/conftest.py); trimmed to
4..10 s it must play from the segment at 4 s, six seconds long, in Debian's chromium.
"""

import pytest

from library.models import ExercisePage
from streaming.models import Video
from tests.browser.conftest import log_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.slow]


def test_trimmed_video_plays_from_the_cut(open_tab, demo):
    exercise = ExercisePage.objects.get(locale__language_code="fi", slug="tuolijumppa-aamuun")
    video = Video.objects.get(pk=exercise.video_id)
    full_prefix = video.media_prefix

    admin = open_tab()
    log_in_to_admin(admin.page, admin.base_url, "admin", "browser-tests")
    admin.open(f"/admin/videos/trim/{video.pk}/")
    page = admin.page
    # The preview plays the whole recording through hls.js (under the admin's CSP).
    page.wait_for_function("() => window.kotikanavaTrimHls !== undefined", timeout=15_000)
    page.locator("#trim-start").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("0:04")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the "from the preview's position" button
    page.keyboard.press("Control+A")
    page.keyboard.type("9.5")
    assert page.locator("[data-trim-length]").inner_text() == "0:06"
    page.locator("button[value=trim]").click()
    # The trim is published within the request: seconds here, longer on a loaded CI machine.
    page.wait_for_url(f"**/admin/videos/edit/{video.pk}/", timeout=90_000)

    video.refresh_from_db()
    assert video.duration == pytest.approx(6, abs=0.05)

    viewer = open_tab()
    viewer.open(exercise.url)
    page = viewer.page
    page.wait_for_function("() => window.Hls !== undefined", timeout=15_000)
    page.locator("video").evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function("() => document.querySelector('video').currentTime > 1", timeout=30_000)
    assert page.evaluate("document.querySelector('video').currentSrc").startswith("blob:")
    assert page.evaluate("document.querySelector('video').duration") == pytest.approx(6, abs=0.2)
    segments = [url for url in viewer.requests if url.endswith(".m4s")]
    # The first segment fetched is the full recording's segment at 4 s: playback starts at the cut.
    assert segments and f"/media/{full_prefix}" in segments[0]
    assert segments[0].endswith("seg_00002.m4s")
    assert not any(url.endswith(("seg_00000.m4s", "seg_00001.m4s")) for url in segments)
