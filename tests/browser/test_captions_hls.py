"""Captions and the transcript in Debian's chromium, with hls.js playing the stream.

The demo's exercise video is processed with Finnish captions (tests/browser/conftest.py):
"Istu tuolille." from 0 to 3 s, "Hengitä." from 3 to 6 s.
"""

import pytest

from library.models import ExercisePage
from streaming.delivery import download_filename

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.slow]

SHOWING_CAPTIONS = """v => Array.from(v.textTracks)
    .filter(t => (t.kind === 'captions' || t.kind === 'subtitles') && t.mode === 'showing')
    .map(t => ({
        language: t.language,
        cues: t.cues ? t.cues.length : 0,
        active: t.activeCues ? Array.from(t.activeCues).map(c => c.text) : [],
    }))"""
CAPTION_TRACKS = """v => Array.from(v.textTracks)
    .filter(t => t.kind === 'captions' || t.kind === 'subtitles').map(t => t.language).sort()"""


def _open_exercise(open_tab, demo):
    tab = open_tab()
    tab.open(demo["fi"]["exercise"])
    tab.page.wait_for_function(
        "() => document.querySelector('video').hlsPlayer !== undefined"
        " && document.querySelector('video').hlsPlayer !== null",
        timeout=15_000,
    )
    return tab


def _play_until(tab, seconds):
    tab.page.wait_for_function(
        f"() => document.querySelector('video').currentTime > {seconds}", timeout=20_000
    )


def test_captions_show_with_hls_js(open_tab, demo):
    tab = _open_exercise(open_tab, demo)
    video = tab.page.locator("video")
    video.evaluate("v => { v.muted = true; return v.play(); }")
    _play_until(tab, 0.5)
    assert any(url.endswith(".m4s") for url in tab.requests), "hls.js did not play the stream"
    tab.page.wait_for_function(
        f"() => ({SHOWING_CAPTIONS})(document.querySelector('video')).some(t => t.active.length)",
        timeout=10_000,
    )
    shown = video.evaluate(SHOWING_CAPTIONS)
    assert shown == [{"language": "fi", "cues": 2, "active": ["Istu tuolille."]}]
    # One track per language (the demo has Finnish and Swedish): hls.js adds none of its own
    # from the master playlist.
    assert video.evaluate(CAPTION_TRACKS) == ["fi", "sv"]

    _play_until(tab, 3.3)
    assert video.evaluate(SHOWING_CAPTIONS)[0]["active"] == ["Hengitä."]


def test_transcript_is_in_the_page_before_playing(open_tab, demo):
    tab = open_tab()
    tab.open(demo["fi"]["exercise"])
    lines = tab.page.locator(".transcript__lines")
    assert lines.get_attribute("lang") == "fi"
    assert lines.locator(".transcript__text").all_inner_texts() == ["Istu tuolille.", "Hengitä."]
    assert tab.page.locator("video").evaluate("v => v.paused && v.readyState === 0")
    for button in lines.locator("button").all():
        box = button.bounding_box()
        assert box["width"] >= 48 and box["height"] >= 48


def test_transcript_time_seeks_and_the_spoken_line_is_marked(open_tab, demo):
    tab = _open_exercise(open_tab, demo)
    video = tab.page.locator("video")
    video.evaluate("v => { v.muted = true; }")
    second = tab.page.locator(".transcript__line").nth(1)
    first = tab.page.locator(".transcript__line").nth(0)

    second.locator("button").click()
    _play_until(tab, 3.0)
    assert video.evaluate("v => v.currentTime") < 5.5  # jumped to 3 s, did not play from 0
    tab.page.wait_for_function(
        "() => document.querySelectorAll('.transcript__line')[1]"
        ".getAttribute('aria-current') === 'true'",
        timeout=5_000,
    )
    assert first.get_attribute("aria-current") is None

    # By keyboard: back to the first line, which is marked as playback passes it.
    first.locator("button").focus()
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_function(
        "() => document.querySelector('video').currentTime < 2.9"
        " && document.querySelectorAll('.transcript__line')[0]"
        ".getAttribute('aria-current') === 'true'",
        timeout=10_000,
    )
    assert second.get_attribute("aria-current") is None
    tab.page.wait_for_function(
        "() => document.querySelectorAll('.transcript__line')[1]"
        ".getAttribute('aria-current') === 'true'",
        timeout=10_000,
    )
    assert first.get_attribute("aria-current") is None


def test_save_link_names_the_file_after_the_title(open_tab, demo):
    exercise = ExercisePage.objects.get(locale__language_code="fi", slug="tuolijumppa-aamuun")
    tab = open_tab()
    tab.open(demo["fi"]["exercise"])
    link = tab.page.locator(".player__actions a[download]")
    assert link.get_attribute("download") == download_filename(exercise.video.title)
    with tab.page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == download_filename(exercise.video.title)
    info.value.cancel()
