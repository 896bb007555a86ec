"""Published versions of a processed video: re-captioning without a transcode, and clean-up."""

import json
import posixpath
import re
import subprocess

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from streaming import jobs, versions
from streaming.jobs import run_processing
from streaming.models import Caption, Video, VideoStatus
from streaming.pipeline.captions import Cue
from studio.roles import EDITORS_GROUP, STAFF_GROUP
from tests.streaming.captions import SRT, edit, srt
from tests.streaming.processed import processed_video, stored_under
from tests.users import member

VTT = b"WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nHei.\n"


@pytest.fixture
def staff_member(db):
    return member("staff", STAFF_GROUP)


@pytest.fixture
def staff_client(staff_member):
    client = Client()
    client.force_login(staff_member)
    return client


@pytest.fixture
def editor_client(db):
    client = Client()
    client.force_login(member("editor", EDITORS_GROUP))
    return client


@pytest.fixture
def published(staff_member, recording) -> Video:
    """Uploaded by the staff member, who may therefore change it (Wagtail's ownership)."""
    return processed_video(recording, "Hartiajumppa", uploaded_by=staff_member)


def read(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return handle.read().decode("utf-8")


def uris(playlist: str) -> list[str]:
    lines = [line for line in playlist.splitlines() if line and not line.startswith("#")]
    return lines + re.findall(r'URI="([^"]+)"', playlist)


def reachable(video: Video) -> set[str]:
    """Every stored file a player reaches from the master playlist, each checked to exist."""
    master = video.output_path("master.m3u8")
    found = set()
    for uri in uris(read(master)):
        playlist = posixpath.normpath(posixpath.join(posixpath.dirname(master), uri))
        found.add(playlist)
        for media in uris(read(playlist)):
            found.add(posixpath.normpath(posixpath.join(posixpath.dirname(playlist), media)))
    missing = {name for name in found if not default_storage.exists(name)}
    assert not missing, missing
    return found


@pytest.mark.django_db
def test_adding_captions_rewrites_the_master_but_keeps_the_ladder(
    published, staff_client, django_capture_on_commit_callbacks
):
    first_prefix = published.output_prefix
    ladder = {name for name in reachable(published) if name.endswith((".m4s", "init.mp4"))}

    with django_capture_on_commit_callbacks(execute=True):
        response = edit(staff_client, published, caption_fi=srt(SRT))
    assert response.status_code == 302

    video = Video.objects.get(pk=published.pk)
    assert video.status == VideoStatus.READY
    assert video.output_prefix != first_prefix
    master = read(video.output_path("master.m3u8"))
    subtitles = [line for line in master.splitlines() if "TYPE=SUBTITLES" in line]
    assert len(subtitles) == 1 and 'LANGUAGE="fi"' in subtitles[0]
    assert all('SUBTITLES="subs"' in line for line in master.splitlines() if "STREAM-INF" in line)

    now_reachable = reachable(video)
    # The very same segments: nothing was encoded again.
    assert {name for name in now_reachable if name.endswith((".m4s", "init.mp4"))} == ladder
    vtt = next(name for name in now_reachable if name.endswith(".vtt"))
    assert vtt.startswith(video.output_prefix) and "Laske ne alas." in read(vtt)
    assert default_storage.exists(video.output_path("poster.jpg"))
    assert default_storage.exists(video.output_path("download.mp4"))
    assert not default_storage.exists(first_prefix + "master.m3u8")


@pytest.mark.django_db
def test_a_recaptioned_master_plays_in_ffmpeg(
    published, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edit(staff_client, published, caption_sv=srt(SRT))
    video = Video.objects.get(pk=published.pk)
    master = default_storage.path(video.output_path("master.m3u8"))
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", master],
        capture_output=True,
        text=True,
        check=True,
    )
    assert float(json.loads(probe.stdout)["format"]["duration"]) == pytest.approx(3, abs=0.5)


@pytest.mark.django_db
def test_removed_captions_and_replaced_versions_leave_no_files_behind(
    published, staff_client, editor_client, django_capture_on_commit_callbacks
):
    folder = f"videos/{published.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        edit(staff_client, published, caption_fi=srt(SRT))
    with django_capture_on_commit_callbacks(execute=True):
        # Removing captions takes the delete permission, which editors have.
        edit(editor_client, published, remove_caption_fi="on")

    video = Video.objects.get(pk=published.pk)
    assert "SUBTITLES" not in read(video.output_path("master.m3u8"))
    assert not Caption.objects.exists()
    assert stored_under(folder) == set(video.output_manifest["files"])
    assert not any(name.endswith(".vtt") and "/captions/" in name for name in stored_under(folder))

    # Processing again puts everything under one new prefix and removes every older file.
    run_processing(video)
    video.refresh_from_db()
    assert stored_under(folder) == set(video.output_manifest["files"])
    assert {name[: len(video.output_prefix)] for name in stored_under(folder)} == {
        video.output_prefix
    }
    reachable(video)


@pytest.mark.django_db
def test_captions_that_cannot_be_stored_leave_no_files_and_the_published_version(
    published, disk_full_at_master
):
    folder = f"videos/{published.pk}/"
    before = stored_under(folder)
    Caption(video=published, language="fi", label="Suomi").store([Cue(0.5, 2, "Hei.")])

    with pytest.raises(OSError, match="No space left"):
        versions.publish_captions(published.pk)

    assert any(name.endswith(".vtt") for name in disk_full_at_master)
    video = Video.objects.get(pk=published.pk)
    assert video.output_prefix == published.output_prefix
    assert stored_under(folder) == before
    reachable(video)


@pytest.mark.django_db
def test_captions_added_during_processing_reach_the_published_master(db, recording, monkeypatch):
    """Staff add captions while the ladder is encoded: the job publishes them when it ends."""
    video = Video(title="Aamujumppa")
    with recording.open("rb") as handle:
        video.original.save("aamujumppa.mp4", File(handle), save=False)
    video.save()

    class CaptionArrivesMidway(jobs.ProgressReporter):
        def __call__(self, percent, eta):
            if not Caption.objects.exists():
                caption = Caption(video=video, language="fi", label="Suomi")
                caption.file.save("aamu.vtt", ContentFile(VTT), save=True)
            super().__call__(percent, eta)

    monkeypatch.setattr(jobs, "ProgressReporter", CaptionArrivesMidway)
    run_processing(video)

    video.refresh_from_db()
    assert 'LANGUAGE="fi"' in read(video.output_path("master.m3u8"))
    reachable(video)


@pytest.mark.django_db
def test_deleting_a_video_deletes_its_files(published, django_capture_on_commit_callbacks):
    original = published.original.name
    folder = f"videos/{published.pk}/"
    assert stored_under(folder)
    with django_capture_on_commit_callbacks(execute=True):
        published.delete()
    assert stored_under(folder) == set()
    assert not default_storage.exists(original)


@pytest.mark.django_db
def test_a_job_taken_over_while_storing_does_not_publish(published, recording, tmp_path):
    """Recovery took the job for dead (its heartbeat went stale) while it uploaded its files:
    its version must not replace what the new attempt publishes, and nothing of it stays."""
    from django.utils import timezone

    from streaming.conf import pipeline_config
    from streaming.pipeline.run import transcode
    from streaming.versions import publish_version

    result = transcode(recording, tmp_path / "out", pipeline_config())
    reporter = jobs.ProgressReporter(published.pk)
    reporter.claim()
    Video.objects.filter(pk=published.pk).update(heartbeat_at=timezone.now())  # a new attempt

    before = stored_under(f"videos/{published.pk}/")
    assert publish_version(published, tmp_path / "out", result, claim=reporter) is False
    video = Video.objects.get(pk=published.pk)
    assert video.output_prefix == published.output_prefix
    assert stored_under(f"videos/{published.pk}/") == before
