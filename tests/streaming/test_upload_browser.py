"""The upload page in a real browser: a small file in several chunks, progress to 100 %."""

import pytest
from django.contrib.auth.models import Group

from streaming.models import UploadSession, Video, VideoStatus
from studio.roles import STAFF_GROUP

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


def test_upload_through_the_page(page, live_server, staff, recording, settings, tmp_path):
    settings.KOTIKANAVA_UPLOAD_DIR = tmp_path / "uploads"
    settings.KOTIKANAVA_UPLOAD_CHUNK_BYTES = CHUNK
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    size = recording.stat().st_size
    assert size > 3 * CHUNK

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "hoitaja")
    page.fill("input[name=password]", "salasana-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/videos/new/")
    seen = []
    page.on(
        "request",
        lambda request: (
            seen.append(request.headers.get("content-range")) if request.method == "PUT" else None
        ),
    )
    page.set_input_files("#streaming-upload-files", str(recording))

    item = page.locator(".streaming-upload-item")
    edit_link = item.locator("[data-edit]")
    edit_link.wait_for(state="visible", timeout=30_000)
    progress = item.locator("progress")
    assert progress.get_attribute("aria-label").count("recording.mp4") == 1
    assert progress.evaluate("element => element.value") == 100
    assert "100 %" in item.locator("[data-info]").inner_text()

    assert len(seen) >= 4, seen
    assert seen[0] == f"bytes 0-{CHUNK - 1}/{size}"
    video = Video.objects.get()
    assert video.title == "recording"
    assert video.uploaded_by == staff
    assert video.original_size == size
    assert video.status == VideoStatus.QUEUED
    assert UploadSession.objects.get().video == video
    assert page.evaluate("localStorage.getItem('kotikanava.uploads')") == "{}"

    edit_link.click()
    page.wait_for_url(f"{live_server.url}/admin/videos/edit/{video.pk}/")
    page.goto(f"{live_server.url}/admin/videos/")
    row = page.locator("table.listing tbody tr", has_text="recording")
    assert row.count() == 1
    assert row.locator("progress").count() == 1
