"""Retention: originals of ready videos and of failed uploads deleted from storage when their
time is up, the videos left playable and the admin telling that the original is gone."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from streaming.models import UploadSession, Video, VideoStatus
from streaming.uploads import part_path
from studio.roles import EDITORS_GROUP
from tests.streaming.processed import processed_video
from tests.users import logged_in_in_english, member


def on_disk(name: str) -> Path:
    return Path(django_settings.MEDIA_ROOT) / name


def processed(recording, days_ago: float) -> Video:
    video = processed_video(recording, "Tuolijumppa")
    Video.objects.filter(pk=video.pk).update(processed_at=timezone.now() - timedelta(days=days_ago))
    return video


def failed_upload(days_ago: float, playable: bool = False) -> Video:
    video = Video(title="Rikki", status=VideoStatus.FAILED, error_message="Not a video.")
    video.original.save("rikki.mp4", ContentFile(b"not a video at all"))
    Video.objects.filter(pk=video.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago),
        output_prefix=f"videos/{video.pk}/1/" if playable else "",
    )
    return video


@pytest.mark.django_db
def test_expired_original_is_deleted_and_the_video_still_plays(recording, settings):
    settings.KOTIKANAVA_ORIGINAL_RETENTION_DAYS = 30
    old = processed(recording, days_ago=31)
    recent = processed(recording, days_ago=29)
    old_original = on_disk(old.original.name)
    assert old_original.is_file()

    call_command("apply_retention", verbosity=0)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old_original.exists() and not old_original.parent.exists()
    assert not old.original and old.original_deleted_at is not None
    assert on_disk(recent.original.name).is_file() and recent.original_deleted_at is None
    assert old.status == VideoStatus.READY

    editor = logged_in_in_english(member("toimittaja", EDITORS_GROUP))
    master = editor.get(old.master_url)
    assert master.status_code == 200
    assert b"".join(master.streaming_content).startswith(b"#EXTM3U")
    edit_page = editor.get(reverse("videos:edit", args=[old.pk])).content.decode()
    assert "when its retention period ended" in edit_page
    assert "The video still plays and can be trimmed" in edit_page
    assert reverse("videos:process", args=[old.pk]) not in edit_page
    assert (
        reverse("videos:process", args=[recent.pk])
        in editor.get(reverse("videos:edit", args=[recent.pk])).content.decode()
    )

    confirm = editor.get(reverse("videos:process", args=[old.pk])).content.decode()
    assert "cannot be processed now" in confirm
    assert "Its original file was deleted" in confirm
    editor.post(reverse("videos:process", args=[old.pk]))
    old.refresh_from_db()
    assert old.status == VideoStatus.READY


@pytest.mark.django_db
def test_originals_are_kept_for_ever_by_default(recording):
    video = processed(recording, days_ago=3650)

    call_command("apply_retention", verbosity=0)

    video.refresh_from_db()
    assert on_disk(video.original.name).is_file()


@pytest.mark.django_db
def test_failed_uploads_are_deleted_after_their_hours(settings, staff):
    settings.KOTIKANAVA_FAILED_UPLOAD_RETENTION_HOURS = 48
    expired, fresh, playable = failed_upload(3), failed_upload(1), failed_upload(3, playable=True)
    expired_file = on_disk(expired.original.name)
    # An upload left half-way, older than the tus expiry it was promised.
    abandoned = UploadSession.objects.create(user=staff, filename="kesken.mp4", size=10)
    part = part_path(abandoned)
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_bytes(b"12345")
    UploadSession.objects.filter(pk=abandoned.pk).update(
        updated_at=timezone.now() - timedelta(days=3)
    )

    call_command("apply_retention", verbosity=0)

    assert not expired_file.exists()
    expired.refresh_from_db()
    assert not expired.original and expired.original_deleted_at is not None
    for kept in (fresh, playable):
        kept.refresh_from_db()
        assert on_disk(kept.original.name).is_file()
    assert not part.exists() and not UploadSession.objects.filter(pk=abandoned.pk).exists()

    editor = logged_in_in_english(member("toimittaja", EDITORS_GROUP))
    page = editor.get(reverse("videos:edit", args=[expired.pk])).content.decode()
    assert "Upload the recording again." in page


@pytest.mark.django_db
def test_the_scheduler_applies_retention(settings):
    settings.KOTIKANAVA_FAILED_UPLOAD_RETENTION_HOURS = 1
    video = failed_upload(1)
    original = on_disk(video.original.name)

    call_command("run_scheduler", once=True)

    assert not original.exists()
