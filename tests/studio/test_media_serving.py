"""The embedded server labels HLS files the way players and caches need."""

import pytest


@pytest.mark.parametrize(
    ("name", "content_type", "cache"),
    [
        ("videos/1/1/master.m3u8", "application/vnd.apple.mpegurl", "public, max-age=60"),
        ("videos/1/1/v360/seg_001.m4s", "video/iso.segment", "immutable"),
        ("videos/1/1/download.mp4", "video/mp4", "immutable"),
        ("captions/fi.vtt", "text/vtt; charset=utf-8", "immutable"),
    ],
)
def test_media_headers(client, settings, name, content_type, cache):
    path = settings.MEDIA_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"data")
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert cache in response["Cache-Control"]


@pytest.mark.django_db
def test_missing_media_is_404(client):
    assert client.get("/media/videos/none/master.m3u8").status_code == 404
