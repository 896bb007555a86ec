"""A viewer's signed media URLs stop working after KOTIKANAVA_MEDIA_SIGNED_URL_SECONDS.

Checked against s3rver, an S3-protocol server that enforces the expiry of signed URLs.
"""

import time
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from streaming.models import Video, VideoStatus
from tests.library.tree import exercise_showing
from tests.streaming.s3 import ExpiringS3Server

pytestmark = pytest.mark.django_db

PLAYLIST = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg_001.m4s\n#EXT-X-ENDLIST\n"


@pytest.fixture
def expiring_s3(settings, tmp_path):
    server = ExpiringS3Server(tmp_path / "s3rver", "kotikanava-expiry")
    settings.STORAGES = {**settings.STORAGES, "default": server.storage_settings()}
    settings.KOTIKANAVA_MEDIA_SIGNED_URL_SECONDS = 2
    yield server
    server.stop()


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_signed_segment_urls_expire(expiring_s3):
    video = Video.objects.create(title="Jumppa", status=VideoStatus.READY)
    prefix = f"videos/{video.pk}/1/"
    default_storage.save(prefix + "v234/index.m3u8", ContentFile(PLAYLIST.encode()))
    default_storage.save(prefix + "v234/seg_001.m4s", ContentFile(b"segment" * 100))
    video.output_prefix = prefix
    video.output_manifest = {"media_prefix": prefix, "files": []}
    video.save()
    exercise_showing(video)

    playlist = Client().get(video.output_url("v234/index.m3u8")).content.decode()
    segment = next(line for line in playlist.splitlines() if line.startswith("http"))
    assert status(segment) == 200
    time.sleep(3)
    assert status(segment) == 403
