"""Uploads against the server's limits: a full disk (a real, tiny tmpfs) and the per-person cap."""

import os
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from streaming import uploads
from streaming.models import UploadSession, UploadState, Video
from studio.roles import STAFF_GROUP
from tests.streaming.upload_client import CHUNK, create, login, put_chunk
from tests.users import member

DISK_BYTES = 1024 * 1024


pytestmark = pytest.mark.usefixtures("upload_settings")


@pytest.fixture
def small_disk(settings, tmp_path):
    """Uploads land on a 1 MiB tmpfs; media stays on the big disk."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", str(mount_point)], check=True
    )
    settings.KOTIKANAVA_UPLOAD_DIR = mount_point
    settings.KOTIKANAVA_UPLOAD_DISK_RESERVE_BYTES = 0
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=True)


def finnish_start(msgid: str) -> str:
    """The Finnish message up to its first placeholder; fails while it is untranslated."""
    with translation.override("fi"):
        text = gettext(msgid)
    assert text != msgid, f"no Finnish for {msgid!r}"
    return text.split("%(")[0].split("”")[0]


def fill(path, free_bytes: int):
    """Leave `free_bytes` free on the disk of `path`."""
    filler = path / "filler"
    usage = os.statvfs(path)
    filler.write_bytes(b"\0" * (usage.f_bavail * usage.f_frsize - free_bytes))
    return filler


@pytest.mark.django_db
def test_a_file_larger_than_the_free_space_is_refused_before_sending(staff, small_disk):
    with translation.override("fi"):
        response = create(login(staff), name="pitka.mp4", size=2 * DISK_BYTES)
    assert response.status_code == 507
    error = response.json()["error"]
    assert error.startswith(
        finnish_start(
            "There is not enough space on the server for “%(name)s” (%(size)s). "
            "Ask an administrator to free some space, then try again."
        )
    )
    assert "pitka.mp4" in error
    assert not UploadSession.objects.exists()


@pytest.mark.django_db
def test_disk_filling_up_mid_upload_keeps_what_arrived_and_resumes(
    staff, small_disk, django_capture_on_commit_callbacks
):
    payload = os.urandom(4 * CHUNK)
    client = login(staff)
    session = create(client, name="aamujumppa.mp4", size=len(payload)).json()
    assert put_chunk(client, session["url"], payload[:CHUNK], 0, len(payload)).status_code == 200

    filler = fill(small_disk, CHUNK // 2)  # room for half of the next chunk
    with translation.override("fi"):
        full = put_chunk(client, session["url"], payload[CHUNK : 2 * CHUNK], CHUNK, len(payload))
    assert full.status_code == 507
    assert full.json()["error"].startswith(
        finnish_start(
            "The server's disk is full. What you have sent so far is kept: ask an administrator "
            "to free some space, then press “Try again”."
        )
    )
    kept = full.json()["offset"]
    assert CHUNK <= kept < 2 * CHUNK
    assert client.get(session["url"]).json()["offset"] == kept

    filler.unlink()  # an administrator frees space; the browser resumes where it stopped
    offset = kept
    while offset < len(payload):
        response = put_chunk(
            client, session["url"], payload[offset : offset + CHUNK], offset, len(payload)
        )
        assert response.status_code == 200, response.content
        offset = response.json()["offset"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(session["finish_url"]).status_code == 201
    video = Video.objects.get()
    assert video.original.read() == payload


@pytest.mark.django_db
def test_the_oldest_idle_upload_makes_way_at_the_per_person_cap(staff, settings):
    settings.KOTIKANAVA_UPLOAD_MAX_OPEN_SESSIONS = 2
    client = login(staff)
    first = create(client, name="eka.mp4", size=100).json()
    create(client, name="toka.mp4", size=100)

    with translation.override("fi"):
        busy = create(client, name="kolmas.mp4", size=100)
    assert busy.status_code == 429
    assert busy.json()["error"].startswith(
        finnish_start(
            "You are already sending %(count)s files. Wait until one of them is finished."
        )
    )

    UploadSession.objects.filter(filename="eka.mp4").update(
        updated_at=timezone.now() - timedelta(hours=1)
    )
    assert create(client, name="kolmas.mp4", size=100).status_code == 201
    assert UploadSession.objects.get(filename="eka.mp4").state == UploadState.CANCELLED
    assert not uploads.part_path(UploadSession.objects.get(pk=first["id"])).exists()
    # Another person's uploads do not count against this one's cap.
    other = login(member("other", STAFF_GROUP))
    assert create(other, name="muu.mp4", size=100).status_code == 201
