"""The video library in the Wagtail admin: listing, status, retry, filters, usage and chooser."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django_tasks import default_task_backend
from wagtail.models import Collection, ReferenceIndex

from streaming.models import Video, VideoStatus
from tests.library.tree import build_tree
from tests.users import logged_in_in_english


@pytest.fixture(autouse=True)
def _dummy_tasks(settings):
    # Record enqueued tasks instead of running the pipeline.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }


@pytest.fixture
def immediate_tasks(settings):
    """Wagtail keeps its search and reference indexes current through tasks: run them."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw")


def login(user, csrf=False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def make_video(title, status=VideoStatus.UPLOADED, original=True, **fields) -> Video:
    video = Video(title=title, status=status, **fields)
    if original:
        video.original.save(f"{title}.mp4", ContentFile(b"not really a video"), save=False)
    video.save()
    return video


def processing_tasks():
    return [r.args for r in default_task_backend.results if r.task.name == "process_video"]


@pytest.mark.django_db
def test_listing_shows_status_progress_and_duration(staff):
    make_video(
        "Valmis", VideoStatus.READY, duration=754.4, output_prefix="videos/1/1/", uploaded_by=staff
    )
    make_video(
        "Käsittelyssä", VideoStatus.PROCESSING, progress=42.4, eta_seconds=185, uploaded_by=staff
    )
    html = login(staff).get(reverse("videos:index")).content.decode()

    assert "Valmis" in html and "Käsittelyssä" in html
    assert "12:34" in html  # duration mm:ss
    assert 'value="42"' in html and "42 %" in html
    assert "3 min" in html  # time left
    assert "videos/1/1/poster.jpg" in html
    assert "data-video-active" in html
    assert "streaming/js/video-status.js" in html
    assert reverse("videos:status") in html


@pytest.mark.django_db
def test_status_endpoint_reports_progress(staff):
    video = make_video(
        "Käsittelyssä", VideoStatus.PROCESSING, progress=87.6, eta_seconds=20, uploaded_by=staff
    )
    response = login(staff).get(reverse("videos:status"), {"id": [video.pk, "x"]})
    assert response.status_code == 200
    (data,) = response.json()["videos"]
    assert data["id"] == video.pk
    assert data["progress"] == 88
    assert data["active"] is True
    assert data["eta_label"]


@pytest.mark.django_db
def test_staff_sees_the_reason_but_not_the_technical_detail(staff, admin_user):
    make_video(
        "Rikki",
        VideoStatus.FAILED,
        error_message="Tiedostossa ei ole kuvaa eikä ääntä.",
        error_detail="ffprobe: moov atom not found at /tmp/work/secret-path",
        uploaded_by=staff,
    )
    staff_html = login(staff).get(reverse("videos:index")).content.decode()
    assert "Tiedostossa ei ole kuvaa eikä ääntä." in staff_html
    assert "moov atom not found" not in staff_html

    admin_html = login(admin_user).get(reverse("videos:index")).content.decode()
    assert "moov atom not found" in admin_html


@pytest.mark.django_db
def test_retry_requeues_a_failed_video(staff, django_capture_on_commit_callbacks):
    video = make_video("Rikki", VideoStatus.FAILED, error_message="Virhe", uploaded_by=staff)
    client = login(staff)
    listing = client.get(reverse("videos:index")).content.decode()
    process_url = reverse("videos:process", args=[video.pk])
    assert f'action="{process_url}"' in listing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(process_url)
    assert response.status_code == 302
    video.refresh_from_db()
    assert video.status == VideoStatus.QUEUED
    assert video.error_message == ""
    assert processing_tasks() == [[video.pk]]


@pytest.mark.django_db
def test_process_again_for_a_ready_video(staff, django_capture_on_commit_callbacks):
    video = make_video("Valmis", VideoStatus.READY, output_prefix="videos/1/1/", uploaded_by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        login(staff).post(reverse("videos:process", args=[video.pk]))
    video.refresh_from_db()
    assert video.status == VideoStatus.QUEUED
    assert processing_tasks() == [[video.pk]]


@pytest.mark.django_db
def test_no_second_job_while_one_is_running_or_without_an_original(staff):
    running = make_video("Käynnissä", VideoStatus.PROCESSING, progress=10, uploaded_by=staff)
    empty = make_video("Tyhjä", VideoStatus.FAILED, original=False, uploaded_by=staff)
    client = login(staff)
    listing = client.get(reverse("videos:index")).content.decode()
    assert reverse("videos:process", args=[running.pk]) not in listing
    assert reverse("videos:process", args=[empty.pk]) not in listing
    for video in (running, empty):
        client.post(reverse("videos:process", args=[video.pk]))
    running.refresh_from_db()
    empty.refresh_from_db()
    assert running.status == VideoStatus.PROCESSING and running.progress == 10
    assert empty.status == VideoStatus.FAILED
    assert processing_tasks() == []


@pytest.mark.django_db
def test_retry_needs_change_permission_and_csrf(django_user_model, staff):
    video = make_video("Rikki", VideoStatus.FAILED)
    viewer = django_user_model.objects.create_user("viewer", password="pw")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_video"),
    )
    url = reverse("videos:process", args=[video.pk])
    denied = login(viewer).post(url)
    assert denied.status_code == 302 and denied.url == reverse("wagtailadmin_home")
    assert login(staff, csrf=True).post(url).status_code == 403
    video.refresh_from_db()
    assert video.status == VideoStatus.FAILED
    assert processing_tasks() == []


@pytest.mark.django_db
def test_filters_and_search(staff, immediate_tasks):
    other = Collection.get_first_root_node().add_child(name="Keittiö")
    make_video("Hartiajumppa", VideoStatus.READY, output_prefix="videos/1/1/", uploaded_by=staff)
    make_video("Pannukakku", VideoStatus.FAILED, collection=other, uploaded_by=staff)
    client = login(staff)

    failed = client.get(reverse("videos:index"), {"status": "failed"}).content.decode()
    assert "Pannukakku" in failed and "Hartiajumppa" not in failed
    in_kitchen = client.get(reverse("videos:index"), {"collection": other.pk}).content.decode()
    assert "Pannukakku" in in_kitchen and "Hartiajumppa" not in in_kitchen
    found = client.get(reverse("videos:index"), {"q": "hartia"}).content.decode()
    assert "Hartiajumppa" in found and "Pannukakku" not in found


@pytest.mark.django_db
def test_usage_lists_pages_that_use_the_video(
    staff, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tree = build_tree()
    page = tree["chair"]
    video = Video.objects.get(title="Tuolijumppavideo")
    Video.objects.filter(pk=video.pk).update(uploaded_by=staff)  # staff see their own
    references = ReferenceIndex.get_references_to(video).group_by_source_object()
    assert references, "the page's video field is in the reference index"

    client = login(staff)
    usage = client.get(reverse("videos:usage", args=[video.pk]))
    assert usage.status_code == 200
    assert "Tuolijumppa" in usage.content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in usage.content.decode()
    # Linked from the listing and from the edit page.
    usage_url = reverse("videos:usage", args=[video.pk])
    assert usage_url in client.get(reverse("videos:index")).content.decode()
    assert usage_url in client.get(reverse("videos:edit", args=[video.pk])).content.decode()


@pytest.mark.django_db
def test_chooser_shows_ready_videos_first_but_offers_all(staff):
    make_video("Odottaa", VideoStatus.QUEUED)
    ready = make_video("Valmis", VideoStatus.READY, output_prefix="videos/9/1/")
    client = login(staff)
    response = client.get(reverse("video_chooser:choose"))
    assert response.status_code == 200
    html = response.json()["html"]
    assert html.index("Valmis") < html.index("Odottaa")
    assert "videos/9/1/poster.jpg" in html
    assert "Waiting for processing" in html or "Odottaa käsittelyä" in html
    processing = Video.objects.get(title="Odottaa")
    assert reverse("video_chooser:chosen", args=[processing.pk]) in html
    chosen = client.get(reverse("video_chooser:chosen", args=[ready.pk]))
    assert chosen.json()["result"]["title"] == "Valmis"


@pytest.mark.django_db
def test_upload_page_is_the_add_view(staff):
    response = login(staff).get(reverse("videos:add"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "streaming/js/upload.js" in html
    assert 'id="streaming-upload-files"' in html
    assert reverse("videos:upload_sessions") in html
    assert "csrfmiddlewaretoken" in html


def row_of(html: str, title: str) -> str:
    """The listing's table row that shows `title`."""
    rows = [row.split("</tr>")[0] for row in html.split("<tr")[1:]]
    rows = [row for row in rows if title in row]
    assert len(rows) == 1, f"{title!r} is in {len(rows)} rows"
    return rows[0]


@pytest.mark.django_db
def test_a_ready_videos_row_leads_with_edit_and_keeps_process_again_in_its_menu(
    staff, django_capture_on_commit_callbacks
):
    video = make_video("Valmis", VideoStatus.READY, output_prefix="videos/1/1/", uploaded_by=staff)
    client = logged_in_in_english(staff)
    row = row_of(client.get(reverse("videos:index")).content.decode(), "Valmis")
    process_url = reverse("videos:process", args=[video.pk])
    edit_url = reverse("videos:edit", args=[video.pk])

    # No processing form in the row; the first button is Edit, "Process again" is in the menu.
    assert f'action="{process_url}"' not in row
    buttons = row.split("w-dropdown")[0]
    assert f'href="{edit_url}"' in buttons and "Edit" in buttons
    menu = row.split("w-dropdown", 1)[1]
    assert f'href="{process_url}"' in menu and "Process again" in menu
    assert row.index(f'href="{edit_url}"') < row.index(f'href="{process_url}"')

    # The menu link asks first; only the confirmed POST queues the work.
    page = client.get(process_url)
    assert page.status_code == 200 and processing_tasks() == []
    html = page.content.decode()
    assert f'action="{process_url}"' in html and "csrfmiddlewaretoken" in html
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(process_url, {"next": edit_url})
    assert done.url == edit_url
    video.refresh_from_db()
    assert video.status == VideoStatus.QUEUED
    assert processing_tasks() == [[video.pk]]


@pytest.mark.django_db
def test_a_failed_or_unprocessed_video_keeps_processing_in_front(staff):
    failed = make_video("Rikki", VideoStatus.FAILED, error_message="Virhe", uploaded_by=staff)
    waiting = make_video("Uusi", VideoStatus.UPLOADED, uploaded_by=staff)
    html = logged_in_in_english(staff).get(reverse("videos:index")).content.decode()
    for video, label in ((failed, "Retry"), (waiting, "Process the video")):
        row = row_of(html, video.title)
        process_url = reverse("videos:process", args=[video.pk])
        assert f'action="{process_url}"' in row and label in row
        assert "Process again" not in row


@pytest.mark.django_db
def test_the_edit_page_offers_process_again_among_its_secondary_actions(staff):
    video = make_video("Valmis", VideoStatus.READY, output_prefix="videos/1/1/", uploaded_by=staff)
    html = logged_in_in_english(staff).get(reverse("videos:edit", args=[video.pk])).content.decode()
    process_url = reverse("videos:process", args=[video.pk])
    assert f'action="{process_url}"' not in html  # no button in the page's summary
    menu = html.split("w-dropdown", 1)[1]
    assert f'href="{process_url}"' in menu and "Process again" in menu


@pytest.mark.django_db
def test_another_staff_members_video_cannot_be_processed_from_the_confirm_page(
    staff, django_user_model
):
    other = django_user_model.objects.create_user("other", password="pw")
    video = make_video("Toisen", VideoStatus.READY, output_prefix="videos/1/1/", uploaded_by=other)
    client = login(staff)
    url = reverse("videos:process", args=[video.pk])
    for response in (client.get(url), client.post(url)):
        # Wagtail sends a refused person to the dashboard with a message.
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    assert processing_tasks() == []
