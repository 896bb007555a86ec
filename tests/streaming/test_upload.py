"""tus 1.0 uploads through the real admin endpoint (Django test client, header by header)."""

import base64
import hashlib
import os
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from streaming import uploads
from streaming.intake import title_from_filename
from streaming.models import UploadSession, UploadState, Video, VideoStatus
from streaming.uploads import sessions
from studio.roles import STAFF_GROUP
from tests.streaming.upload_client import (
    CHUNK,
    TUS,
    VIDEO_EDIT_URL_HEADER,
    create,
    login,
    offset_of,
    patch,
)
from tests.users import member

pytestmark = pytest.mark.usefixtures("upload_settings")


@pytest.fixture
def other_staff(db):
    return member("other", STAFF_GROUP)


class CutStream:
    """A request body that breaks off after ``data``, as a dropped mobile connection does."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, size=-1):
        if not self.data:
            raise OSError("connection reset by peer")
        block, self.data = self.data[:size], self.data[size:]
        return block

    readline = read


def send_rest(client, url, payload: bytes, offset: int):
    while offset < len(payload):
        response = patch(client, url, payload[offset : offset + CHUNK], offset)
        assert response.status_code == 204, response.content
        offset = int(response["Upload-Offset"])
    return response


@pytest.mark.django_db
def test_options_announce_what_the_server_speaks(staff, settings):
    settings.KOTIKANAVA_MAX_UPLOAD_BYTES = 5 * 1024**3
    response = login(staff).options(reverse("videos:upload_sessions"))
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert response["Tus-Resumable"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {
        "creation",
        "termination",
        "expiration",
        "checksum",
    }
    assert response["Tus-Max-Size"] == str(5 * 1024**3)
    assert response["Tus-Checksum-Algorithm"] == "sha1"


@pytest.mark.django_db
def test_upload_interrupted_resumed_and_finished(
    staff, recording, django_capture_on_commit_callbacks
):
    payload = recording.read_bytes()
    assert len(payload) > 3 * CHUNK, "the clip must take several requests"
    client = login(staff)

    created = create(client, name="tuolijumppa_osa-1.mp4", size=len(payload))
    assert created.status_code == 201, created.content
    url = created["Location"]
    assert url.startswith("http://testserver/admin/videos/uploads/")
    assert created["Upload-Expires"].endswith("GMT")
    assert offset_of(client, url) == 0

    # Two whole requests, then a third that breaks off half-way.
    for start in (0, CHUNK):
        response = patch(client, url, payload[start : start + CHUNK], start)
        assert response.status_code == 204, response.content
        assert response["Upload-Offset"] == str(start + CHUNK)
        assert response["Tus-Resumable"] == "1.0.0"
    start, half = 2 * CHUNK, CHUNK // 2
    cut = client.generic(
        "PATCH",
        url,
        b"",
        **{
            "wsgi.input": CutStream(payload[start : start + half]),
            "CONTENT_LENGTH": str(CHUNK),
            "CONTENT_TYPE": "application/offset+octet-stream",
            "HTTP_TUS_RESUMABLE": "1.0.0",
            "HTTP_UPLOAD_OFFSET": str(start),
        },
    )
    assert cut.status_code == 409

    # The client comes back and asks where to continue: what arrived is kept.
    head = client.head(url, headers=TUS)
    assert head["Upload-Offset"] == str(start + half)
    assert head["Upload-Length"] == str(len(payload))
    assert VIDEO_EDIT_URL_HEADER not in head

    with django_capture_on_commit_callbacks(execute=True):
        last = send_rest(client, url, payload, start + half)
    video = Video.objects.get()
    assert last[VIDEO_EDIT_URL_HEADER] == reverse("videos:edit", args=[video.pk])
    assert video.title == "tuolijumppa osa 1"
    assert video.uploaded_by == staff
    assert video.original_size == len(payload)
    assert video.status in (VideoStatus.QUEUED, VideoStatus.PROCESSING, VideoStatus.READY)
    with video.original.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == hashlib.sha256(payload).hexdigest()
    assert video.original.name.endswith("tuolijumppa_osa-1.mp4")

    from django_tasks import default_task_backend

    processing = [r.args for r in default_task_backend.results if r.task.name == "process_video"]
    assert processing == [[video.pk]]
    assert not uploads.part_path(UploadSession.objects.get()).exists()

    # A client whose last response was lost asks again: the same video, not a second one.
    again = client.head(url, headers=TUS)
    assert again.status_code == 200
    assert again["Upload-Offset"] == str(len(payload))
    assert again[VIDEO_EDIT_URL_HEADER] == reverse("videos:edit", args=[video.pk])
    empty = patch(client, url, b"", len(payload))
    assert empty.status_code == 204
    assert empty[VIDEO_EDIT_URL_HEADER] == reverse("videos:edit", args=[video.pk])
    assert Video.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_finishing_at_once_make_one_video(migrated_db, settings, tmp_path):
    """A HEAD arriving while another request makes the video waits for it and gets the same one.

    The first request is played by this thread holding the finishing lock (the in-memory test
    database cannot take two writers at the very same moment, the real one waits for its lock).
    """
    settings.KOTIKANAVA_UPLOAD_DIR = tmp_path / "uploads"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }
    user = member("racer", STAFF_GROUP)
    payload = os.urandom(3 * CHUNK)
    url = create(login(user), name="kilpa.mp4", size=len(payload))["Location"]
    session = UploadSession.objects.get()
    uploads.write_chunk(session, 0, len(payload), _Body(payload))

    answers = []
    second = threading.Thread(target=lambda: answers.append(login(user).head(url, headers=TUS)))
    with sessions._finishing_lock(session):
        second.start()
        time.sleep(1)
        assert not answers, "the second request must wait for the first"
        with sessions._locked_part(session, wait=True) as handle:
            first = sessions._finish_locked(session, handle, uploads.part_path(session))
    second.join(60)
    assert [answer.status_code for answer in answers] == [200]
    assert answers[0][VIDEO_EDIT_URL_HEADER] == reverse("videos:edit", args=[first.pk])
    assert Video.objects.get() == first
    with first.original.open("rb") as handle:
        assert handle.read() == payload


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, size=-1):
        block, self.data = self.data[:size], self.data[size:]
        return block


@pytest.mark.django_db
def test_gap_and_overlap_are_refused_with_the_offset(staff):
    client = login(staff)
    data = bytes(range(256)) * 4
    url = create(client, size=len(data))["Location"]
    assert patch(client, url, data[:300], 0).status_code == 204

    gap = patch(client, url, data[400:500], 400)
    assert gap.status_code == 409
    assert gap.json()["offset"] == 300
    assert gap["Upload-Offset"] == "300"

    overlap = patch(client, url, data[200:400], 200)
    assert overlap.status_code == 409
    assert overlap.json()["offset"] == 300
    assert offset_of(client, url) == 300
    assert not Video.objects.exists()

    beyond = patch(client, url, data[300:] + b"extra", 300)
    assert beyond.status_code == 413
    assert offset_of(client, url) == 300


@pytest.mark.django_db
def test_requests_that_break_the_protocol_are_refused(staff):
    client = login(staff)
    url = create(client, size=10)["Location"]
    wrong_type = client.generic(
        "PATCH",
        url,
        b"0123456789",
        content_type="application/octet-stream",
        headers={**TUS, "Upload-Offset": "0"},
    )
    assert wrong_type.status_code == 415
    no_version = client.generic(
        "PATCH",
        url,
        b"0123456789",
        content_type="application/offset+octet-stream",
        headers={"Upload-Offset": "0"},
    )
    assert no_version.status_code == 412
    assert no_version["Tus-Version"] == "1.0.0"
    assert patch(client, url, b"0123456789", 0, **{"Upload-Offset": "nolla"}).status_code == 400
    assert client.put(url, b"0123456789", headers=TUS).status_code == 405
    assert offset_of(client, url) == 0


@pytest.mark.django_db
def test_checksum_is_verified_and_bad_bytes_dropped(staff):
    client = login(staff)
    url = create(client, size=20)["Location"]

    def sha1(data: bytes) -> str:
        return "sha1 " + base64.b64encode(hashlib.sha1(data).digest()).decode()  # noqa: S324

    good = patch(client, url, b"0123456789", 0, **{"Upload-Checksum": sha1(b"0123456789")})
    assert good.status_code == 204
    damaged = patch(client, url, b"abcdefghij", 10, **{"Upload-Checksum": sha1(b"abcdefghiX")})
    assert damaged.status_code == 460
    assert offset_of(client, url) == 10
    unknown = patch(client, url, b"abcdefghij", 10, **{"Upload-Checksum": "md5 AAAA"})
    assert unknown.status_code == 400
    assert uploads.part_path(UploadSession.objects.get()).read_bytes() == b"0123456789"


@pytest.mark.django_db
def test_over_limit_and_empty_files_are_refused_in_finnish(staff, settings):
    settings.KOTIKANAVA_MAX_UPLOAD_BYTES = 1024**3
    client = login(staff)
    too_big = create(client, size=1024**3 + 1)
    assert too_big.status_code == 413
    message = too_big.json()["error"]
    # The admin speaks Finnish by default: the message is the Finnish catalogue's, with sizes in
    # Finnish number format (decimal comma).
    with translation.override("fi"):
        template = gettext(
            "The file “%(name)s” is too large (%(size)s). "
            "The largest file you can upload is %(limit)s."
        )
    assert message == template % {
        "name": "tuolijumppa_osa-1.mp4",
        "size": "1,0\xa0GB",
        "limit": "1,0\xa0GB",
    }

    empty = create(client, size=0)
    assert empty.status_code == 400
    with translation.override("fi"):
        assert empty.json()["error"] == gettext("The file “%(name)s” is empty.") % {
            "name": "tuolijumppa_osa-1.mp4"
        }

    document = create(client, name="ohje.pdf", size=100)
    assert document.status_code == 400
    assert not UploadSession.objects.exists()


@pytest.mark.django_db
def test_english_user_gets_english_message(staff):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    response = create(login(staff), size=0)
    assert response.json()["error"] == "The file “tuolijumppa_osa-1.mp4” is empty."


@pytest.mark.django_db
def test_another_user_cannot_continue_or_cancel_an_upload(staff, other_staff):
    url = create(login(staff), size=10)["Location"]
    intruder = login(other_staff)
    assert intruder.head(url, headers=TUS).status_code == 403
    assert patch(intruder, url, b"0123456789", 0).status_code == 403
    assert intruder.delete(url, headers=TUS).status_code == 403
    assert UploadSession.objects.get().received == 0
    assert UploadSession.objects.get().state == UploadState.OPEN
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_unknown_and_expired_uploads_are_gone(staff):
    client = login(staff)
    unknown = reverse("videos:upload_session", args=["00000000-0000-0000-0000-000000000000"])
    assert client.head(unknown, headers=TUS).status_code == 410

    url = create(client, size=10)["Location"]
    assert patch(client, url, b"01234", 0).status_code == 204
    UploadSession.objects.update(updated_at=timezone.now() - timedelta(days=3))
    assert patch(client, url, b"56789", 5).status_code == 410
    assert UploadSession.objects.get().state == UploadState.CANCELLED
    assert not uploads.part_path(UploadSession.objects.get()).exists()


@pytest.mark.django_db
def test_user_without_add_video_gets_403(django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_video"),
    )
    client = login(user)
    response = create(client, size=10)
    assert response.status_code == 403
    assert not UploadSession.objects.exists()
    # Nor can they use an upload URL they somehow learned.
    owner = django_user_model.objects.create_superuser("root", password="pw")
    url = create(login(owner), size=10)["Location"]
    assert client.head(url, headers=TUS).status_code == 403
    assert patch(client, url, b"0123456789", 0).status_code == 403
    # The upload page itself is refused (Wagtail redirects with a message).
    assert client.get(reverse("videos:add")).status_code == 302


@pytest.mark.django_db
def test_csrf_is_enforced_for_the_session(staff):
    client = login(staff, csrf=True)
    assert create(client, size=10).status_code == 403

    page = client.get(reverse("videos:add"))
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value
    created = create(client, size=10, **{"X-CSRFToken": token})
    assert created.status_code == 201
    url = created["Location"]

    assert patch(client, url, b"0123456789", 0).status_code == 403
    assert client.delete(url, headers=TUS).status_code == 403
    assert offset_of(client, url) == 0  # HEAD is safe: no token needed
    response = patch(client, url, b"0123456789", 0, **{"X-CSRFToken": token})
    assert response.status_code == 204
    assert Video.objects.count() == 1


@pytest.mark.django_db
def test_termination_removes_the_temporary_file(staff):
    client = login(staff)
    url = create(client, size=10)["Location"]
    assert patch(client, url, b"01234", 0).status_code == 204
    part = uploads.part_path(UploadSession.objects.get())
    assert part.exists()
    assert client.delete(url, headers=TUS).status_code == 204
    assert not part.exists()
    assert UploadSession.objects.get().state == UploadState.CANCELLED
    assert patch(client, url, b"56789", 5).status_code == 410
    assert client.head(url, headers=TUS).status_code == 410


@pytest.mark.django_db
def test_stale_sessions_are_cleaned(staff):
    old = uploads.create_session(staff, "vanha.mp4", 100)
    fresh = uploads.create_session(staff, "uusi.mp4", 100)
    UploadSession.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
    orphan = uploads.upload_dir() / "orphan.part"
    orphan.write_bytes(b"x")
    three_days_ago = (timezone.now() - timedelta(days=3)).timestamp()
    os.utime(orphan, (three_days_ago, three_days_ago))

    call_command("clean_uploads", verbosity=0)

    assert list(UploadSession.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not uploads.part_path(old).exists()
    assert uploads.part_path(fresh).exists()
    assert not orphan.exists()


def test_title_from_filename():
    assert title_from_filename("Tuolijumppa_osa-2.MOV") == "Tuolijumppa osa 2"
    assert title_from_filename("Kahvi - aamu.mp4") == "Kahvi – aamu"
    assert uploads.clean_filename("C:\\Users\\anna\\video.mp4") == "video.mp4"
