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
    try:
        page.goto(live_server.url + exercise.url)
        video = page.locator("video")
        assert video.get_attribute("poster")
        page.wait_for_function("() => window.Hls !== undefined", timeout=10_000)
        video.evaluate("v => { v.muted = true; return v.play(); }")
        page.wait_for_function(
            "() => document.querySelector('video').currentTime > 1", timeout=20_000
        )
    finally:
        # Stop playback before the database is flushed: a segment request still being checked
        # would hold a table lock on the shared in-memory database.
        page.close()

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


@pytest.mark.django_db(transaction=True)
def test_private_page_video_plays_for_an_allowed_person_only(
    migrated_db, live_server, browser, recording
):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.files import File
    from wagtail.models import PageViewRestriction

    from streaming.jobs import run_processing
    from streaming.models import Video
    from tests.library.tree import exercise_showing
    from tests.users import PASSWORD

    video = Video(title="Ryhmän jumppa")
    with recording.open("rb") as handle:
        video.original.save("ryhma.mp4", File(handle))
    run_processing(video)
    video.refresh_from_db()
    assert video.is_playable
    page = exercise_showing(video)
    group = Group.objects.create(name="Tiistain ryhmä")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="groups")
    restriction.groups.add(group)
    member = get_user_model().objects.create_user(username="asiakas", password=PASSWORD)
    group.user_set.add(member)

    stranger = browser.new_context()
    response = stranger.request.get(live_server.url + video.master_url)
    assert response.status == 404
    stranger.close()

    context = browser.new_context(viewport={"width": 800, "height": 1280})
    tab = context.new_page()
    # The client's way in: the private page sends them to the library's own login form.
    tab.goto(live_server.url + page.url)
    assert "/_util/login/" in tab.url
    tab.fill("input[name=username]", member.username)
    tab.fill("input[name=password]", PASSWORD)
    tab.locator("main form button[type=submit]").click()
    tab.wait_for_url(live_server.url + page.url)
    player = tab.locator("video")
    tab.wait_for_function("() => window.Hls !== undefined", timeout=10_000)
    player.evaluate("v => { v.muted = true; return v.play(); }")
    tab.wait_for_function("() => document.querySelector('video').currentTime > 1", timeout=20_000)
    context.close()
