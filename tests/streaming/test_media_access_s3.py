"""Media access on S3-compatible storage (moto's server): the bucket stays private, and only
viewers who may watch get playlists whose media URLs are signed and short-lived."""

import re
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from streaming.models import Video
from tests.library.tree import exercise_showing
from tests.streaming.processed import processed_video

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _signed_url_seconds(settings):
    settings.KOTIKANAVA_MEDIA_SIGNED_URL_SECONDS = 120


@pytest.fixture
def video(bucket, recording) -> Video:
    return processed_video(recording, "Tuolijumppa")


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def text(response) -> str:
    return b"".join(response.streaming_content or [response.content]).decode()


def test_unpublished_video_is_404_and_the_bucket_refuses_strangers(s3_server, bucket, video):
    client = Client()
    for name in ("master.m3u8", "v234/index.m3u8", "poster.jpg", "download.mp4"):
        assert client.get(video.output_url(name)).status_code == 404, name
    segment = next(n for n in video.output_manifest["files"] if n.endswith(".m4s"))
    assert fetch(f"{s3_server.endpoint}/{bucket}/{segment}")[0] == 403


def test_viewers_of_a_public_page_get_signed_short_lived_media_urls(
    s3_server, bucket, video, settings
):
    page = exercise_showing(video)
    client = Client()
    master = client.get(video.master_url)
    assert master.status_code == 200
    variant_uri = next(
        line for line in master.content.decode().splitlines() if line.endswith(".m3u8")
    )
    # Playlists come back through the app; media go straight to storage, signed.
    variant_path = video.master_url.rsplit("/", 1)[0] + "/" + variant_uri
    variant = client.get(variant_path)
    assert variant.status_code == 200
    assert variant["Cache-Control"].startswith("private")
    playlist = variant.content.decode()
    init = re.search(r'#EXT-X-MAP:URI="([^"]+)"', playlist)[1]
    segments = [line for line in playlist.splitlines() if line and not line.startswith("#")]
    for url in [init, *segments]:
        assert url.startswith(s3_server.endpoint), url
        query = parse_qs(urlsplit(url).query)
        assert query["X-Amz-Expires"] == ["120"]
        assert "X-Amz-Signature" in query
    status, body = fetch(segments[0])
    assert status == 200 and len(body) > 1000

    poster = client.get(video.poster_url)
    assert poster.status_code == 302
    assert fetch(poster["Location"])[0] == 200

    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert client.get(video.master_url).status_code == 404
    assert client.get(variant_path).status_code == 404
