"""A processed video plays on its library page in Debian's chromium, through hls.js."""

import re

import pytest
from django.core.management import call_command

from library.models import ExercisePage

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_exercise_video_plays_with_hls_js(migrated_db, live_server, browser):
    call_command("load_demo", verbosity=0)  # transaction=True: processing runs on commit
    exercise = ExercisePage.objects.filter(locale__language_code="fi", video__isnull=False).first()
    assert exercise.video.is_playable

    page = browser.new_page(viewport={"width": 800, "height": 1280})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + exercise.url)
    video = page.locator("video")
    assert video.get_attribute("poster")
    page.wait_for_function("window.Hls !== undefined", timeout=10_000)
    video.evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function("document.querySelector('video').currentTime > 1", timeout=20_000)

    assert any(url.endswith("master.m3u8") for url in requests)
    assert any(url.endswith(".m4s") for url in requests)
    # Starts on the lowest rung: the first video segment fetched is from v234.
    rungs = [re.search(r"/(v\d+)/seg_", url) for url in requests]
    assert [match.group(1) for match in rungs if match][0] == "v234"
    external = [
        url
        for url in requests
        if not url.startswith((live_server.url, "data:", f"blob:{live_server.url}"))
    ]
    assert external == []
