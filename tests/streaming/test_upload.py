"""Resumable chunked uploads through the real admin endpoints (Django test client, no mocks)."""

import hashlib
import os
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from streaming import uploads
from streaming.models import UploadSession, UploadState, Video, VideoStatus
from studio.roles import STAFF_GROUP
from tests.streaming.upload_client import CHUNK, create, login, put_chunk
from tests.users import member

pytestmark = pytest.mark.usefixtures("upload_settings")


@pytest.fixture
def other_staff(db):
    user = member("other", STAFF_GROUP)
    return user


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


@pytest.mark.django_db
def test_upload_interrupted_resumed_and_finished(
    staff, recording, django_capture_on_commit_callbacks
):
    payload = recording.read_bytes()
    assert len(payload) > 3 * CHUNK, "the clip must take several chunks"
    client = login(staff)

    created = create(client, name="tuolijumppa_osa-1.mp4", size=len(payload))
    assert created.status_code == 201
    session = created.json()
    assert session["chunk_size"] == CHUNK
    assert session["offset"] == 0
    url = session["url"]

    # Two whole chunks, then a third that breaks off half-way.
    for start in (0, CHUNK):
        response = put_chunk(client, url, payload[start : start + CHUNK], start, len(payload))
        assert response.status_code == 200, response.content
        assert response.json()["offset"] == start + CHUNK
    start, half = 2 * CHUNK, CHUNK // 2
    cut = client.generic(
        "PUT",
        url,
        b"",
        **{
            "wsgi.input": CutStream(payload[start : start + half]),
            "CONTENT_LENGTH": str(CHUNK),
            "CONTENT_TYPE": "application/octet-stream",
            "HTTP_CONTENT_RANGE": f"bytes {start}-{start + CHUNK - 1}/{len(payload)}",
        },
    )
    assert cut.status_code == 409

    # The client comes back and asks where to continue: what arrived is kept.
    status = client.get(url)
    assert status.status_code == 200
    assert status.json()["offset"] == start + half
    assert client.head(url)["Upload-Offset"] == str(start + half)

    offset = start + half
    while offset < len(payload):
        response = put_chunk(client, url, payload[offset : offset + CHUNK], offset, len(payload))
        assert response.status_code == 200, response.content
        offset = response.json()["offset"]

    with django_capture_on_commit_callbacks(execute=True):
        finished = client.post(session["finish_url"])
    assert finished.status_code == 201, finished.content
    video = Video.objects.get(pk=finished.json()["video"]["id"])
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

    # A retried finish (the response was lost) gives the same video, not a second one.
    again = client.post(session["finish_url"])
    assert again.status_code == 201
    assert again.json()["video"]["id"] == video.pk
    assert Video.objects.count() == 1


@pytest.mark.django_db
def test_offset_query_parameter_works_without_content_range(staff):
    client = login(staff)
    session = create(client, size=10).json()
    response = client.put(
        f"{session['url']}?offset=0", data=b"0123456789", content_type="application/octet-stream"
    )
    assert response.status_code == 200
    assert response.json()["offset"] == 10


@pytest.mark.django_db
def test_gap_and_overlap_are_refused_with_the_offset(staff):
    client = login(staff)
    data = bytes(range(256)) * 4
    session = create(client, size=len(data)).json()
    url = session["url"]
    assert put_chunk(client, url, data[:300], 0, len(data)).status_code == 200

    gap = put_chunk(client, url, data[400:500], 400, len(data))
    assert gap.status_code == 409
    assert gap.json()["offset"] == 300
    assert gap["Upload-Offset"] == "300"

    overlap = put_chunk(client, url, data[200:400], 200, len(data))
    assert overlap.status_code == 409
    assert overlap.json()["offset"] == 300
    assert client.get(url).json()["offset"] == 300

    # Finishing too early is refused with the offset as well.
    early = client.post(session["finish_url"])
    assert early.status_code == 409
    assert early.json()["offset"] == 300
    assert not Video.objects.exists()

    beyond = put_chunk(client, url, data[300:] + b"extra", 300, len(data) + 5)
    assert beyond.status_code == 400
    assert client.get(url).json()["offset"] == 300


@pytest.mark.django_db
def test_chunk_larger_than_the_chunk_size_is_refused(staff):
    client = login(staff)
    session = create(client, size=CHUNK * 3).json()
    response = put_chunk(client, session["url"], b"x" * (CHUNK + 1), 0, CHUNK * 3)
    assert response.status_code == 413
    assert client.get(session["url"]).json()["offset"] == 0


@pytest.mark.django_db
def test_over_limit_and_empty_files_are_refused_in_finnish(staff, settings):
    settings.KOTIKANAVA_MAX_UPLOAD_BYTES = 1024**3
    client = login(staff)
    too_big = create(client, size=1024**3 + 1)
    assert too_big.status_code == 400
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
def test_english_user_gets_english_message(staff, settings):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    response = create(login(staff), size=0)
    assert response.json()["error"] == "The file “tuolijumppa_osa-1.mp4” is empty."


@pytest.mark.django_db
def test_another_user_cannot_continue_or_finish_a_session(staff, other_staff):
    session = create(login(staff), size=10).json()
    intruder = login(other_staff)
    assert intruder.get(session["url"]).status_code == 403
    assert put_chunk(intruder, session["url"], b"0123456789", 0, 10).status_code == 403
    assert intruder.post(session["finish_url"]).status_code == 403
    assert intruder.delete(session["url"]).status_code == 403
    assert UploadSession.objects.get().received == 0
    assert UploadSession.objects.get().state == UploadState.OPEN
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_unknown_session_is_gone(staff):
    url = reverse("videos:upload_session", args=["00000000-0000-0000-0000-000000000000"])
    assert login(staff).get(url).status_code == 410


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
    # Nor can they use a session id they somehow learned.
    owner = django_user_model.objects.create_superuser("root", password="pw")
    session = create(login(owner), size=10).json()
    assert client.get(session["url"]).status_code == 403
    assert client.post(session["finish_url"]).status_code == 403
    # The upload page itself is refused (Wagtail redirects with a message).
    page = client.get(reverse("videos:add"))
    assert page.status_code == 302


@pytest.mark.django_db
def test_csrf_is_enforced(staff):
    client = login(staff, csrf=True)
    refused = create(client, size=10)
    assert refused.status_code == 403

    page = client.get(reverse("videos:add"))
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value
    created = create(client, size=10, **{"X-CSRFToken": token})
    assert created.status_code == 201
    session = created.json()

    assert put_chunk(client, session["url"], b"0123456789", 0, 10).status_code == 403
    response = client.put(
        session["url"],
        data=b"0123456789",
        content_type="application/octet-stream",
        headers={"Content-Range": "bytes 0-9/10", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert client.post(session["finish_url"]).status_code == 403
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_cancel_removes_the_temporary_file(staff):
    client = login(staff)
    session = create(client, size=10).json()
    assert put_chunk(client, session["url"], b"01234", 0, 10).status_code == 200
    part = uploads.part_path(UploadSession.objects.get())
    assert part.exists()
    assert client.delete(session["url"]).status_code == 204
    assert not part.exists()
    assert UploadSession.objects.get().state == UploadState.CANCELLED
    assert put_chunk(client, session["url"], b"56789", 5, 10).status_code == 410


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
    assert uploads.title_from_filename("Tuolijumppa_osa-2.MOV") == "Tuolijumppa osa 2"
    assert uploads.title_from_filename("Kahvi - aamu.mp4") == "Kahvi – aamu"
    assert uploads.clean_filename("C:\\Users\\anna\\video.mp4") == "video.mp4"
