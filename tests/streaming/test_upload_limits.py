"""Uploads against the server's limits: a full disk (a real, tiny tmpfs), the per-person caps and
the short leases that keep idle uploads from holding space others need."""

import os
import subprocess
import time
from datetime import timedelta

import pytest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from streaming import uploads
from streaming.models import UploadSession, UploadState, Video
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
    assert patch(client, session["url"], payload[:CHUNK], 0).status_code == 204

    filler = fill(small_disk, CHUNK // 2)  # room for half of the next chunk
    with translation.override("fi"):
        full = patch(client, session["url"], payload[CHUNK : 2 * CHUNK], CHUNK)
    assert full.status_code == 507
    assert full.json()["error"].startswith(
        finnish_start(
            "The server's disk is full. What you have sent so far is kept: ask an administrator "
            "to free some space, then press “Try again”."
        )
    )
    kept = full.json()["offset"]
    assert CHUNK <= kept < 2 * CHUNK
    assert offset_of(client, session["url"]) == kept

    filler.unlink()  # an administrator frees space; the browser resumes where it stopped
    with django_capture_on_commit_callbacks(execute=True):
        send_all(client, session, payload, kept)
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


def lease_lapses(*sessions):
    """What KOTIKANAVA_UPLOAD_LEASE_SECONDS without a PATCH does: the sessions stop holding room."""
    ids = [session["id"] if isinstance(session, dict) else session.pk for session in sessions]
    UploadSession.objects.filter(pk__in=ids).update(
        reserved_until=timezone.now() - timedelta(seconds=1)
    )


def in_finnish(msgid: str, **values) -> str:
    """The message as the admin shows it by default (Finnish once translated), sizes formatted."""
    with translation.override("fi"):
        formatted = {
            key: filesizeformat(value) if isinstance(value, int) else value
            for key, value in values.items()
        }
        return gettext(msgid) % formatted


def send_all(client, session, payload: bytes, offset: int = 0):
    """PATCH the rest of the file; the last one makes the video. Returns the last response."""
    while offset < len(payload):
        response = patch(client, session["url"], payload[offset : offset + CHUNK], offset)
        assert response.status_code == 204, response.content
        offset = int(response["Upload-Offset"])
    return response


@pytest.mark.django_db
def test_idle_uploads_do_not_block_another_persons_upload(
    staff, small_disk, django_capture_on_commit_callbacks
):
    # Nine forgotten uploads declare 800 KiB each, 7 MiB in all, on a 1 MiB disk: each sent a
    # little and went quiet.
    declared, sent = 800 * 1024, 8 * 1024
    client = login(staff)
    idle = []
    for number in range(9):
        created = create(client, name=f"unohtunut-{number}.mp4", size=declared)
        assert created.status_code == 201, created.content
        session = created.json()
        assert patch(client, session["url"], b"k" * sent, 0).status_code == 204
        lease_lapses(session)
        idle.append(session)
    assert sum(s.size for s in UploadSession.objects.all()) > 7 * DISK_BYTES

    # Someone else's 512 KiB recording fits in what is really free, and arrives whole.
    payload = os.urandom(512 * 1024)
    other = login(member("other", STAFF_GROUP))
    session = create(other, name="iltajumppa.mp4", size=len(payload))
    assert session.status_code == 201, session.content
    with django_capture_on_commit_callbacks(execute=True):
        send_all(other, session.json(), payload)
    assert Video.objects.get().original.read() == payload

    # The idle uploads lost nothing and can still be continued.
    for session in idle:
        assert offset_of(client, session["url"]) == sent
        assert uploads.part_path(UploadSession.objects.get(pk=session["id"])).stat().st_size == sent


@pytest.mark.django_db
def test_a_resumed_upload_claims_room_again_or_waits_with_its_offset(
    staff, small_disk, django_capture_on_commit_callbacks
):
    first = os.urandom(600 * 1024)
    client = login(staff)
    session = create(client, name="aamujumppa.mp4", size=len(first)).json()
    assert patch(client, session["url"], first[:CHUNK], 0).status_code == 204
    lease_lapses(session)  # the phone lost its connection for a while

    # Meanwhile another person starts a recording that takes most of the disk.
    second = os.urandom(600 * 1024)
    other = login(member("other", STAFF_GROUP))
    moving = create(other, name="iltajumppa.mp4", size=len(second))
    assert moving.status_code == 201, moving.content
    moving = moving.json()
    assert patch(other, moving["url"], second[:CHUNK], 0).status_code == 204

    # The first one comes back: no room for its rest now, and what it sent is kept.
    waiting = patch(client, session["url"], first[CHUNK : 2 * CHUNK], CHUNK)
    assert waiting.status_code == 507
    assert waiting.json()["offset"] == CHUNK
    assert waiting["Upload-Offset"] == str(CHUNK)
    assert waiting.json()["error"] == in_finnish(
        "There is not enough space on the server to continue “%(name)s” now. "
        "What you have sent so far is kept: wait for other uploads to finish or ask an "
        "administrator to free some space, then press “Try again”.",
        name="aamujumppa.mp4",
        size=len(first) - CHUNK,
    )
    assert offset_of(client, session["url"]) == CHUNK
    assert (
        uploads.part_path(UploadSession.objects.get(pk=session["id"])).read_bytes()
        == (first[:CHUNK])
    )

    # The other upload finishes and moves to media storage; now there is room to continue.
    with django_capture_on_commit_callbacks(execute=True):
        send_all(other, moving, second, CHUNK)
    with django_capture_on_commit_callbacks(execute=True):
        finished = send_all(client, session, first, CHUNK)
    video = UploadSession.objects.get(pk=session["id"]).video
    assert finished[VIDEO_EDIT_URL_HEADER] == reverse("videos:edit", args=[video.pk])
    assert video.original.read() == first


CAP_AT_START = (
    "You are already sending %(reserved)s, and one person can send at most %(limit)s at a "
    "time. Wait until one of your uploads is finished, then add “%(name)s” again."
)
CAP_ON_RESUME = (
    "You are already sending %(reserved)s, and one person can send at most %(limit)s at a "
    "time. What you have sent of “%(name)s” is kept: wait until another of your uploads is "
    "finished, then press “Try again”."
)


@pytest.mark.django_db
def test_one_persons_reservations_are_capped(staff, settings):
    settings.KOTIKANAVA_UPLOAD_MAX_RESERVED_BYTES = limit = 300_000
    client = login(staff)
    first = create(client, name="eka.mp4", size=200_000).json()
    assert patch(client, first["url"], b"e" * 1000, 0).status_code == 204

    refused = create(client, name="toka.mp4", size=200_000)
    assert refused.status_code == 429
    assert refused.json()["error"] == in_finnish(
        CAP_AT_START, reserved=199_000, limit=limit, name="toka.mp4"
    )
    assert not UploadSession.objects.filter(filename="toka.mp4").exists()
    # The cap is per person.
    assert create(login(member("other", STAFF_GROUP)), size=200_000).status_code == 201

    # Once the first upload is idle it holds nothing, so the second may start ...
    lease_lapses(first)
    second = create(client, name="toka.mp4", size=200_000)
    assert second.status_code == 201, second.content
    # ... and the first, continuing, is refused with its offset until the second is done.
    resumed = patch(client, first["url"], b"e" * 1000, 1000)
    assert resumed.status_code == 429
    assert resumed.json()["offset"] == 1000
    assert resumed.json()["error"] == in_finnish(
        CAP_ON_RESUME, reserved=200_000, limit=limit, name="eka.mp4"
    )
    assert client.delete(second.json()["url"], headers=TUS).status_code == 204
    resumed = patch(client, first["url"], b"e" * 1000, 1000)
    assert resumed.status_code == 204
    assert resumed["Upload-Offset"] == "2000"


class SlowStream:
    """A request body arriving over a weak link: `pieces` reads, `delay` seconds apart."""

    def __init__(self, pieces: int, delay: float):
        self.pieces, self.delay = pieces, delay

    def read(self, size=-1):
        if not self.pieces:
            return b""
        self.pieces -= 1
        time.sleep(self.delay)
        return b"s" * 1000


@pytest.mark.django_db
def test_a_slow_request_keeps_its_room(staff, settings):
    settings.KOTIKANAVA_UPLOAD_LEASE_SECONDS = 0.6
    session = uploads.create_session(staff, "hidas.mp4", 100_000)
    # Six reads 0.25 s apart: the request takes longer than the lease.
    assert uploads.write_chunk(session, 0, 6000, SlowStream(6, 0.25)) == 6000
    session.refresh_from_db()
    assert session.reserved_until > timezone.now()
