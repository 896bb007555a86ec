"""Trimming a processed video without a transcode: real ffmpeg on a generated 12-s clip.

The trimmed version's playlists point at the very segment files of the full-length version,
its offline MP4 is a stream copy of the kept part, its captions start at the cut, and the
checked /media/ view serves all of it to a client; restoring brings the whole recording back.
"""

import json
import posixpath
import re
import subprocess

import pytest
from django.contrib.auth.models import Permission
from django.core.files import File
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from streaming import moderation, trim, versions
from streaming.jobs import run_processing
from streaming.models import Caption, Video, VideoStatus
from streaming.pipeline.captions import Cue, parse
from studio.roles import EDITORS_GROUP, STAFF_GROUP
from tests.library.tree import exercise_showing
from tests.streaming.clips import make_clip
from tests.streaming.processed import stored_under
from tests.users import logged_in_in_english, member

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

CUES = [Cue(1, 3, "Kuuluuko?"), Cue(6, 7, "Nosta kädet."), Cue(11, 11.9, "Kiitos.")]


@pytest.fixture(scope="module")
def twelve_seconds(tmp_path_factory):
    return make_clip(tmp_path_factory.mktemp("trim") / "jumppa.mp4", seconds=12)


@pytest.fixture
def video(twelve_seconds) -> Video:
    video = Video(title="Aamujumppa")
    with twelve_seconds.open("rb") as handle:
        video.original.save("aamujumppa.mp4", File(handle))
    Caption(video=video, language="fi", label="Suomi").store(CUES)
    run_processing(video)
    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    return video


def read(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return handle.read().decode()


def media_playlists(video: Video) -> dict[str, str]:
    """Each media playlist the published master names (storage path -> text)."""
    master = video.output_path("master.m3u8")
    text = read(master)
    uris = [line for line in text.splitlines() if line and not line.startswith("#")]
    uris += re.findall(r'TYPE=AUDIO.*URI="([^"]+)"', text)
    found = {}
    for uri in uris:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(master), uri))
        found[path] = read(path)
    return found


def segment_paths(playlist_path: str, text: str) -> list[str]:
    folder = posixpath.dirname(playlist_path)
    names = [line for line in text.splitlines() if line and not line.startswith("#")]
    names += re.findall(r'URI="([^"]+)"', text)
    return [posixpath.normpath(posixpath.join(folder, name)) for name in names]


def length(text: str) -> float:
    return sum(
        float(line[8:].split(",")[0]) for line in text.splitlines() if line[:8] == "#EXTINF:"
    )


def probed_duration(path) -> float:
    output = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)],
        capture_output=True,
        check=True,
    ).stdout
    return float(json.loads(output)["format"]["duration"])


def test_trim_lists_the_same_segment_files_and_shifts_everything_else(video):
    full_prefix = video.output_prefix
    before = {
        path: default_storage.open(path).read()
        for playlist, text in media_playlists(video).items()
        for path in segment_paths(playlist, text)
    }

    assert trim.publish_trim(video.pk, 4, 10)

    video.refresh_from_db()
    assert video.output_prefix != full_prefix
    assert video.duration == pytest.approx(6, abs=0.05)
    playlists = media_playlists(video)
    assert len(playlists) == 2  # the rung and the audio rendition
    for playlist, text in playlists.items():
        assert playlist.startswith(video.output_prefix)
        assert length(text) == pytest.approx(6, abs=0.05)
        assert text.rstrip().endswith("#EXT-X-ENDLIST") and "#EXT-X-MAP:" in text
        for path in segment_paths(playlist, text):
            # No new encode: the kept segments are the earlier version's files.
            assert path.startswith(full_prefix)
            assert default_storage.open(path).read() == before[path]
    assert not [
        name
        for name in video.output_manifest["files"]
        if name.endswith(".m4s") and name.startswith(video.output_prefix)
    ]

    download = default_storage.path(video.output_path("download.mp4"))
    assert probed_duration(download) == pytest.approx(6, abs=0.15)

    [track] = video.published_captions
    cues = parse(read(video.output_prefix + track["uri"]))
    assert cues == [Cue(2, 3, "Nosta kädet.")]
    master = read(video.output_path("master.m3u8"))
    assert "TYPE=SUBTITLES" in master and "AVERAGE-BANDWIDTH=" in master
    assert video.output_manifest["trim"]["start"] == 4
    assert video.output_manifest["trim"]["end"] == 10


def test_a_trim_that_cannot_be_stored_leaves_no_files_and_the_whole_recording(
    video, disk_full_at_master
):
    folder = f"videos/{video.pk}/"
    before = stored_under(folder)

    with pytest.raises(OSError, match="No space left"):
        trim.publish_trim(video.pk, 4, 10)

    assert any(name.endswith(".m3u8") for name in disk_full_at_master)
    video.refresh_from_db()
    assert video.duration == pytest.approx(12, abs=0.1)
    assert "trim" not in video.output_manifest
    assert stored_under(folder) == before


def test_the_media_view_serves_the_trimmed_version_to_a_client(video):
    exercise_showing(video)
    assert trim.publish_trim(video.pk, 4, 10)
    video.refresh_from_db()
    client = Client()
    master_url = video.master_url
    response = client.get(master_url)
    assert response.status_code == 200
    fetched = 0
    for playlist in media_playlists(video):
        response = client.get(reverse("media", kwargs={"path": playlist}))
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode()
        for path in segment_paths(playlist, text):
            assert client.get(reverse("media", kwargs={"path": path})).status_code == 200
            fetched += 1
    assert fetched >= 6
    assert client.get(video.download_url).status_code == 200


def test_restore_full_length_brings_back_the_whole_recording(video):
    full_duration = video.duration
    full_download = video.download_url
    assert trim.publish_trim(video.pk, 4, 10)
    assert trim.restore_full_length(video.pk)
    video.refresh_from_db()
    assert video.duration == full_duration
    assert "trim" not in video.output_manifest
    assert video.download_url == full_download
    for text in media_playlists(video).values():
        assert length(text) == pytest.approx(full_duration, abs=0.05)
    [track] = video.published_captions
    assert parse(read(video.output_prefix + track["uri"]))[0] == CUES[0]
    # A second trim starts from the whole recording again.
    assert trim.publish_trim(video.pk, 2, 6)
    video.refresh_from_db()
    assert video.duration == pytest.approx(4, abs=0.05)


def test_editor_trims_from_the_admin_page(video):
    exercise_showing(video)
    editor = Client()
    editor.force_login(member("toimittaja", EDITORS_GROUP))
    url = reverse("videos:trim", args=[video.pk])
    page = editor.get(url)
    assert page.status_code == 200
    assert b"data-trim-set" in page.content  # the storyboard thumbnails
    preview = editor.get(url + "?preview=full").content.decode()
    assert "#EXT-X-STREAM-INF" in preview
    response = editor.post(url, {"action": "trim", "start": "0:04", "end": "10"})
    assert response.status_code == 302
    video.refresh_from_db()
    assert not video.has_pending_changes
    assert video.duration == pytest.approx(6, abs=0.05)


def test_staff_without_approval_rights_leaves_the_trim_waiting(video):
    exercise_showing(video)
    staff_member = member("ohjaaja", STAFF_GROUP)
    Video.objects.filter(pk=video.pk).update(uploaded_by=staff_member)  # staff change their own
    staff = Client()
    staff.force_login(staff_member)
    url = reverse("videos:trim", args=[video.pk])
    response = staff.post(url, {"action": "trim", "start": "4", "end": "10"})
    assert response.status_code == 302 and response.url == reverse("videos:edit", args=[video.pk])
    video.refresh_from_db()
    assert video.has_pending_changes
    assert video.duration == pytest.approx(12, abs=0.1)  # clients still see the whole one
    editor = logged_in_in_english(member("toimittaja", EDITORS_GROUP))
    edit_page = editor.get(reverse("videos:edit", args=[video.pk])).content.decode()
    assert "trimmed to 0:04–0:10 of the recording" in edit_page  # what the editor approves
    assert "processed again" not in edit_page
    review = editor.post(reverse("videos:review", args=[video.pk]), {"action": "approve"})
    assert review.status_code == 302
    video.refresh_from_db()
    assert video.duration == pytest.approx(6, abs=0.05)


def test_trim_needs_the_change_permission_and_csrf(video, django_user_model):
    viewer = django_user_model.objects.create_user("katsoja", password="pw")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_video"),
    )
    client = Client()
    client.force_login(viewer)
    url = reverse("videos:trim", args=[video.pk])
    refused = client.post(url, {"action": "trim", "start": "4", "end": "10"})
    assert refused.status_code in (302, 403)
    if refused.status_code == 302:
        assert refused.url == reverse("wagtailadmin_home")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member("toimittaja", EDITORS_GROUP))
    assert strict.post(url, {"action": "trim", "start": "4", "end": "10"}).status_code == 403
    video.refresh_from_db()
    assert "trim" not in video.output_manifest and video.duration > 11


def test_processing_again_keeps_the_trim(video):
    assert trim.publish_trim(video.pk, 4, 10)
    run_processing(Video.objects.get(pk=video.pk))
    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    assert video.duration == pytest.approx(6, abs=0.05)
    assert (video.output_manifest["trim"]["start"], video.output_manifest["trim"]["end"]) == (4, 10)
    for playlist, text in media_playlists(video).items():
        assert length(text) == pytest.approx(6, abs=0.05)
        assert all(default_storage.exists(path) for path in segment_paths(playlist, text))
    assert trim.restore_full_length(video.pk)
    video.refresh_from_db()
    assert video.duration == pytest.approx(12, abs=0.1)


def test_captions_changed_after_a_trim_follow_the_cut(video):
    assert trim.publish_trim(video.pk, 4, 10)
    Caption.objects.get(video=video, language="fi").store([Cue(6.5, 8, "Hengitä.")])
    assert versions.publish_captions(video.pk)
    video.refresh_from_db()
    [track] = video.published_captions
    assert parse(read(video.output_prefix + track["uri"])) == [Cue(2.5, 4, "Hengitä.")]
    assert video.duration == pytest.approx(6, abs=0.05)


def test_a_rejected_caption_change_on_a_trimmed_video_keeps_the_whole_timeline(video):
    exercise_showing(video)
    assert trim.publish_trim(video.pk, 4, 10)
    staff_member = member("ohjaaja", STAFF_GROUP)
    Caption.objects.get(video=video, language="fi").store([Cue(6.5, 8, "Hengitä.")])
    Video.objects.filter(pk=video.pk).update(change_requested_by=staff_member)
    assert versions.publish_captions(video.pk)
    video.refresh_from_db()
    assert video.has_pending_changes
    moderation.reject(video)
    working = Caption.objects.get(video=video, language="fi")
    # Back to what clients see, on the whole recording's timeline (6..7 s, not 2..3 s).
    assert parse(working.file.read()) == [Cue(6, 7, "Nosta kädet.")]
