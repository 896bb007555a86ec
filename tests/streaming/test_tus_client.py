"""An independent tus client (tuspy) against the live server: token auth, sha1 checksums,
resumption after the client stopped half-way."""

import hashlib

import pytest
import requests
from tusclient import client as tus_client

from streaming.models import Video
from studio.roles import STAFF_GROUP
from studio.tokens import UploadToken
from tests.streaming.upload_client import TUS, VIDEO_EDIT_URL_HEADER
from tests.users import member

pytestmark = pytest.mark.django_db(transaction=True)

CHUNK = 64 * 1024


@pytest.fixture
def uploads_here(settings, tmp_path):
    settings.KOTIKANAVA_UPLOAD_DIR = tmp_path / "uploads"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
    }


def test_tuspy_uploads_resumes_and_makes_one_video(
    migrated_db, live_server, uploads_here, recording
):
    staff = member("puhelin", STAFF_GROUP)
    _row, token = UploadToken.issue(staff)
    endpoint = f"{live_server.url}/admin/videos/uploads/"
    client = tus_client.TusClient(endpoint, headers={"Authorization": f"Bearer {token}"})
    metadata = {"filename": "iltajumppa.mp4", "filetype": "video/mp4"}
    payload = recording.read_bytes()
    size = len(payload)
    assert size > 3 * CHUNK

    first = client.uploader(
        str(recording), chunk_size=CHUNK, metadata=metadata, upload_checksum=True
    )
    first.upload_chunk()
    first.upload_chunk()
    assert first.offset == 2 * CHUNK
    assert not Video.objects.exists()

    # The app was closed; a new one continues from what the server has.
    again = client.uploader(
        str(recording), url=first.url, chunk_size=CHUNK, metadata=metadata, upload_checksum=True
    )
    assert again.get_offset() == 2 * CHUNK
    again.upload()
    assert again.offset == size

    video = Video.objects.get()
    assert video.uploaded_by == staff
    with video.original.open("rb") as handle:
        assert (
            hashlib.sha256(handle.read()).digest()
            == hashlib.sha256(recording.read_bytes()).digest()
        )
    head = requests.head(first.url, headers={**TUS, "Authorization": f"Bearer {token}"}, timeout=10)
    assert head.headers[VIDEO_EDIT_URL_HEADER] == f"/admin/videos/edit/{video.pk}/"
    assert head.headers["Upload-Offset"] == str(size)

    refused = requests.post(
        endpoint, headers={**TUS, "Authorization": "Bearer x.y", "Upload-Length": "10"}, timeout=10
    )
    assert refused.status_code == 401
