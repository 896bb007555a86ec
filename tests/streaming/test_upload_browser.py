"""The upload page in a real browser: tus-js-client sends a small clip in several PATCH requests,
survives a dropped request, continues after a reload, and the file ends as a Video."""

import pytest
from django.contrib.auth.models import Group

from streaming.models import UploadSession, Video, VideoStatus
from studio.roles import STAFF_GROUP
from tests.browser.conftest import log_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHUNK = 32 * 1024


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fi-FI", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def staff(django_user_model, migrated_db):
    user = django_user_model.objects.create_user("hoitaja", password="salasana-123")
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    return user


@pytest.fixture
def upload_page(page, live_server, staff, settings, tmp_path):
    settings.KOTIKANAVA_UPLOAD_DIR = tmp_path / "uploads"
    settings.KOTIKANAVA_UPLOAD_CHUNK_BYTES = CHUNK
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }
    log_in_to_admin(page, live_server.url, "hoitaja", "salasana-123")
    page.goto(f"{live_server.url}/admin/videos/new/")
    return page


def patches(page) -> list[dict]:
    """The PATCH requests the page sends, with their headers."""
    seen = []
    page.on(
        "request",
        lambda request: seen.append(request.headers) if request.method == "PATCH" else None,
    )
    return seen


def test_upload_through_the_page(upload_page, live_server, staff, recording):
    page = upload_page
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    size = recording.stat().st_size
    assert size > 3 * CHUNK
    seen = patches(page)
    # The third PATCH is lost on the way: tus-js-client asks where to go on and continues.
    dropped = []

    def drop_third(route):
        if route.request.method == "PATCH" and len(seen) == 3 and not dropped:
            dropped.append(route.request.headers["upload-offset"])
            route.abort()
        else:
            route.continue_()

    page.route("**/admin/videos/uploads/**", drop_third)
    page.set_input_files("#streaming-upload-files", str(recording))

    item = page.locator(".streaming-upload-item")
    edit_link = item.locator("[data-edit]")
    edit_link.wait_for(state="visible", timeout=30_000)
    progress = item.locator("progress")
    assert progress.get_attribute("aria-label").count("recording.mp4") == 1
    assert progress.evaluate("element => element.value") == 100
    assert "100 %" in item.locator("[data-info]").inner_text()

    assert dropped == [str(2 * CHUNK)]
    offsets = [int(headers["upload-offset"]) for headers in seen]
    assert offsets[:4] == [0, CHUNK, 2 * CHUNK, 2 * CHUNK], offsets
    assert all(headers["x-csrftoken"] for headers in seen)
    assert all(headers["tus-resumable"] == "1.0.0" for headers in seen)
    video = Video.objects.get()
    assert video.title == "recording"
    assert video.uploaded_by == staff
    assert video.original_size == size
    with video.original.open("rb") as handle:
        assert handle.read() == recording.read_bytes()
    assert video.status == VideoStatus.QUEUED
    assert UploadSession.objects.get().video == video
    # A finished upload leaves nothing to resume.
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('tus::'))") == []
    assert not [p for p in problems if "Content Security Policy" in p], problems

    edit_link.click()
    page.wait_for_url(f"{live_server.url}/admin/videos/edit/{video.pk}/")


def test_upload_continues_after_a_reload(upload_page, live_server, recording):
    page = upload_page
    passed = []

    def stop_after_two(route):
        if route.request.method == "PATCH" and len(passed) >= 2:
            route.abort()  # the link is gone for good
        else:
            if route.request.method == "PATCH":
                passed.append(route.request)
            route.continue_()

    page.route("**/admin/videos/uploads/**", stop_after_two)
    page.set_input_files("#streaming-upload-files", str(recording))
    # Polled from here (the admin's CSP refuses the eval that wait_for_function needs), with
    # Playwright's own wait so the route handler keeps running meanwhile.
    for _attempt in range(75):
        if UploadSession.objects.filter(received=2 * CHUNK).exists() and page.evaluate(
            "Object.keys(localStorage).some(k => k.startsWith('tus::'))"
        ):
            break
        page.wait_for_timeout(200)
    assert not Video.objects.exists()
    assert UploadSession.objects.get().received == 2 * CHUNK

    # Staff reload the page and choose the same file: it goes on from what the server has.
    page.reload()
    page.unroute("**/admin/videos/uploads/**")
    assert UploadSession.objects.get().received == 2 * CHUNK
    resumed = patches(page)
    page.set_input_files("#streaming-upload-files", str(recording))
    item = page.locator(".streaming-upload-item")
    item.locator("[data-edit]").wait_for(state="visible", timeout=30_000)
    assert int(resumed[0]["upload-offset"]) == 2 * CHUNK
    assert UploadSession.objects.count() == 1
    video = Video.objects.get()
    with video.original.open("rb") as handle:
        assert handle.read() == recording.read_bytes()
