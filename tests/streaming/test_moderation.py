"""A change to a video that clients already watch reaches them only after an editor approves.

Real ffmpeg: the video is transcoded once, then staff and editors change its captions through
the admin form, and the client's page and the served master playlist are read as clients get them.
"""

import pytest
from django.test import Client
from django.urls import reverse

from streaming.models import Caption, Video, VideoStatus
from studio.roles import EDITORS_GROUP, STAFF_GROUP
from tests.library.tree import exercise_showing
from tests.streaming.captions import SRT, edit, srt
from tests.streaming.processed import processed_video
from tests.users import member

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SWEDISH = """1
00:00:00,500 --> 00:00:02,000
Lyft axlarna.
"""


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def uploader():
    return member("ohjaaja", STAFF_GROUP)


@pytest.fixture
def video(recording, uploader) -> Video:
    """The staff member's own upload: staff change only their own videos."""
    return processed_video(recording, "Hartiajumppa", uploaded_by=uploader)


@pytest.fixture
def live_page(video):
    return exercise_showing(video)


@pytest.fixture
def staff(uploader):
    return logged_in(uploader)


@pytest.fixture
def editor():
    return logged_in(member("toimittaja", EDITORS_GROUP))


def what_clients_see(page) -> tuple[str, str]:
    """The page's HTML and the master playlist it points at, fetched anonymously."""
    client = Client()
    html = client.get(page.url).content.decode()
    video = Video.objects.get(pk=page.video_id)
    master = b"".join(client.get(video.master_url).streaming_content).decode()
    return html, master


def review(client, video, action):
    return client.post(reverse("videos:review", args=[video.pk]), {"action": action})


def test_staff_caption_change_waits_for_an_editor(
    live_page, video, staff, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert edit(staff, video, caption_fi=srt(SRT)).status_code == 302

    html, master = what_clients_see(live_page)
    assert "<track" not in html
    assert "SUBTITLES" not in master
    video.refresh_from_db()
    assert video.has_pending_changes
    # Staff are told it waits, and cannot approve it themselves.
    edit_page = staff.get(reverse("videos:edit", args=[video.pk])).content.decode()
    assert 'value="approve"' not in edit_page
    review(staff, video, "approve")  # a hand-made request: refused, nothing changes
    assert Video.objects.get(pk=video.pk).has_pending_changes
    assert "SUBTITLES" not in what_clients_see(live_page)[1]

    assert 'value="approve"' in editor.get(reverse("videos:edit", args=[video.pk])).content.decode()
    assert review(editor, video, "approve").status_code == 302
    html, master = what_clients_see(live_page)
    assert 'srclang="fi"' in html
    assert 'LANGUAGE="fi"' in master
    assert not Video.objects.get(pk=video.pk).has_pending_changes


def test_rejected_change_leaves_clients_and_the_form_as_published(
    live_page, video, staff, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edit(editor, video, caption_fi=srt(SRT))  # an editor's own change goes out at once
    html, _master = what_clients_see(live_page)
    assert 'srclang="fi"' in html
    published_prefix = Video.objects.get(pk=video.pk).output_prefix

    with django_capture_on_commit_callbacks(execute=True):
        edit(staff, video, caption_fi=srt(SWEDISH))
    video.refresh_from_db()
    pending_files = video.pending_version["manifest"]["files"]
    assert review(editor, video, "reject").status_code == 302

    video.refresh_from_db()
    assert video.output_prefix == published_prefix
    assert not video.has_pending_changes
    # The working copy is the published text again, and the held files are gone.
    assert Caption.objects.get(video=video, language="fi").transcript.startswith("Nosta hartiat")
    own = [name for name in pending_files if name not in video.output_manifest["files"]]
    assert own
    assert not any(video.original.storage.exists(name) for name in own)


def test_changes_to_a_video_no_live_page_shows_need_no_approval(
    video, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edit(staff, video, caption_fi=srt(SRT))
    video.refresh_from_db()
    assert not video.has_pending_changes
    assert [track["language"] for track in video.output_manifest["captions"]] == ["fi"]


def test_processing_again_on_a_live_page_is_held_when_staff_ask(
    live_page, video, staff, editor, django_capture_on_commit_callbacks
):
    published_prefix = video.output_prefix
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("videos:process", args=[video.pk]))
    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    assert video.output_prefix == published_prefix
    assert video.has_pending_changes

    assert review(editor, video, "approve").status_code == 302
    video.refresh_from_db()
    assert video.output_prefix != published_prefix
    assert Client().get(video.master_url).status_code == 200


def test_editors_find_waiting_changes_on_their_dashboard(
    live_page, video, staff, editor, django_capture_on_commit_callbacks
):
    panel = 'id="videos-waiting'
    assert panel not in editor.get(reverse("wagtailadmin_home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        edit(staff, video, caption_fi=srt(SRT))
    dashboard = editor.get(reverse("wagtailadmin_home")).content.decode()
    waiting = dashboard[dashboard.index(panel) :]
    assert reverse("videos:edit", args=[video.pk]) in waiting[: waiting.index("</table>")]
    # Staff cannot approve, so the panel is not theirs.
    assert panel not in staff.get(reverse("wagtailadmin_home")).content.decode()
