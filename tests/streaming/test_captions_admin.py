"""Caption files through the video edit form: SRT converted, broken files refused by line."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django_tasks import default_task_backend
from wagtail.models import Collection, GroupCollectionPermission

from streaming.models import Caption, Video, VideoStatus
from studio.roles import EDITORS_GROUP, STAFF_GROUP
from tests.streaming.captions import BROKEN_SRT, BROKEN_VTT, SRT, edit, srt
from tests.users import member


@pytest.fixture(autouse=True)
def _dummy_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }


@pytest.fixture
def staff(db):
    return member("staff", STAFF_GROUP)


@pytest.fixture
def client(staff):
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def video(staff):
    """The staff member's own upload: staff change only their own videos."""
    video = Video(
        title="Hartiajumppa",
        status=VideoStatus.READY,
        output_prefix="videos/1/1/",
        uploaded_by=staff,
    )
    video.original.save("hartiat.mp4", ContentFile(b"original"), save=False)
    video.save()
    return video


@pytest.mark.django_db
def test_srt_is_stored_as_webvtt_with_transcript(client, video, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(client, video, caption_fi=srt(SRT))
    assert response.status_code == 302, response.content.decode()[:2000]

    caption = Caption.objects.get(video=video, language="fi")
    vtt = caption.file.read().decode("utf-8")
    assert vtt.startswith("WEBVTT")
    assert "00:00:01.000 --> 00:00:03.500" in vtt
    assert caption.file.name.endswith(".vtt")
    assert caption.transcript == "Nosta hartiat hitaasti ylös.\nLaske ne alas."
    assert caption.label == "Suomi"

    # The master playlist lists caption tracks: a re-captioned version, not a new transcode.
    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    media_tasks = [
        (r.task.name, r.args)
        for r in default_task_backend.results
        if r.task.module_path.startswith("streaming.")
    ]
    assert media_tasks == [("publish_captions", [video.pk])]


@pytest.mark.django_db
def test_valid_webvtt_is_kept_and_replaces_the_old_track(client, video):
    edit(client, video, caption_sv=srt(SRT))
    old_name = Caption.objects.get(language="sv").file.name
    vtt = "WEBVTT\n\n00:00:02.000 --> 00:00:03.000\nHej.\n"
    response = edit(client, video, caption_sv=srt(vtt, name="text.vtt"))
    assert response.status_code == 302
    caption = Caption.objects.get(video=video, language="sv")
    assert caption.transcript == "Hej."
    assert Caption.objects.filter(video=video).count() == 1
    assert not caption.file.storage.exists(old_name) or old_name == caption.file.name


@pytest.mark.parametrize(
    ("content", "line"),
    [(BROKEN_SRT, 6), (BROKEN_VTT, 6)],
    ids=["srt-bad-arrow", "vtt-ends-before-start"],
)
@pytest.mark.django_db
def test_broken_caption_file_is_refused_with_the_line(client, video, content, line):
    from django.utils import translation
    from django.utils.translation import gettext

    response = edit(client, video, caption_en=srt(content))
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("fi"):
        expected = gettext("Line {line}: {problem}").format(line=line, problem="")
    assert expected.strip() in html, html[html.find("error") - 500 : html.find("error") + 500]
    assert not Caption.objects.exists()
    video.refresh_from_db()
    assert video.status == VideoStatus.READY


@pytest.mark.django_db
def test_only_people_with_the_delete_permission_remove_captions(
    client, video, django_capture_on_commit_callbacks
):
    edit(client, video, caption_fi=srt(SRT))
    caption = Caption.objects.get()
    # Staff may add and change captions but not delete them: no remove box, and a
    # hand-made request with one changes nothing.
    form_page = client.get(reverse("videos:edit", args=[video.pk])).content.decode()
    assert 'name="remove_caption_fi"' not in form_page
    with django_capture_on_commit_callbacks(execute=True):
        edit(client, video, remove_caption_fi="on")
    assert Caption.objects.filter(pk=caption.pk).exists()

    editor = Client()
    editor.force_login(member("editor", EDITORS_GROUP))
    form_page = editor.get(reverse("videos:edit", args=[video.pk])).content.decode()
    assert 'name="remove_caption_fi"' in form_page
    assert 'name="remove_caption_sv"' not in form_page
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(editor, video, remove_caption_fi="on")
    assert response.status_code == 302
    assert not Caption.objects.exists()
    # The file goes in a background task (recorded here, not run).
    removals = [
        r.args for r in default_task_backend.results if r.task.name == "remove_stored_files"
    ]
    assert [[caption.file.name], []] in removals


@pytest.mark.django_db
def test_caption_uploads_need_the_add_and_change_permissions(video):
    """Someone who may edit videos but not captions cannot add or replace a track."""
    user = get_user_model().objects.create_user("kuvaaja", password="pw")
    group = Group.objects.create(name="Kuvaajat")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupCollectionPermission.objects.create(
        group=group,
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(codename="change_video"),
    )
    user.groups.add(group)
    video_editor = Client()
    video_editor.force_login(user)
    form_page = video_editor.get(reverse("videos:edit", args=[video.pk])).content.decode()
    assert 'name="caption_fi"' not in form_page

    response = edit(video_editor, video, caption_fi=srt(SRT))
    assert response.status_code == 302
    assert not Caption.objects.exists()
