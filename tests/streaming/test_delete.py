"""Deleting a video: the row goes in the request, its files in a background task afterwards."""

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tasks import default_task_backend

from streaming.jobs import run_processing
from streaming.models import Caption, Video, VideoStatus
from streaming.tasks import remove_stored_files
from studio.roles import EDITORS_GROUP
from tests.users import logged_in_in_english, member

VTT = b"WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nHei.\n"


def processed(recording) -> Video:
    video = Video(title="Venyttely")
    with recording.open("rb") as handle:
        video.original.save("venyttely.mp4", File(handle))
    Caption.objects.create(video=video, language="fi", file=ContentFile(VTT, name="fi.vtt"))
    run_processing(video)
    video.refresh_from_db()
    assert video.status == VideoStatus.READY, video.error_detail
    return video


def stored_under(folder: str) -> set[str]:
    found = set()
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return found
    found |= {folder + name for name in files}
    for name in folders:
        found |= stored_under(f"{folder}{name}/")
    return found


@pytest.fixture
def recorded_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }
    default_task_backend.clear()
    return default_task_backend


@pytest.mark.django_db
def test_the_admin_deletes_the_row_at_once_and_the_files_in_a_task(
    recording, recorded_tasks, django_capture_on_commit_callbacks
):
    video = processed(recording)
    original, caption = video.original.name, video.captions.get().file.name
    versions = f"videos/{video.pk}/"
    files = stored_under(versions)
    master_url = video.master_url
    editor = logged_in_in_english(member("editor", EDITORS_GROUP))

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"/admin/videos/delete/{video.pk}/")
    assert response.status_code == 302
    assert not Video.objects.filter(pk=video.pk).exists()

    # The request removed nothing; nothing serves the files while they wait for the task.
    assert default_storage.exists(original) and default_storage.exists(caption)
    assert stored_under(versions) == files
    assert editor.get(master_url).status_code == 404

    removals = [r for r in recorded_tasks.results if r.task.name == remove_stored_files.name]
    assert sorted(r.args[0] for r in removals) == [[caption], [original]]
    for removal in removals:
        remove_stored_files.call(*removal.args)
    assert stored_under(versions) == set()
    assert not default_storage.exists(original) and not default_storage.exists(caption)
    assert stored_under("originals/") == set()  # the upload's own folder went too

    for removal in removals:  # a retry after a failure halfway finds nothing left: no error
        remove_stored_files.call(*removal.args)


@pytest.mark.slow
@pytest.mark.django_db
def test_deleting_a_video_on_s3_removes_every_object(
    s3_server, bucket, recording, django_capture_on_commit_callbacks
):
    video = processed(recording)
    keys = s3_server.client.list_objects_v2(Bucket=bucket).get("Contents", [])
    assert len(keys) > 10  # original, caption, the ladder, poster, storyboard, download

    with django_capture_on_commit_callbacks(execute=True):  # tasks run inline here
        video.delete()

    assert s3_server.client.list_objects_v2(Bucket=bucket).get("Contents", []) == []
