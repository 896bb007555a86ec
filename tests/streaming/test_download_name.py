"""A saved video's file is named after its title, not `download.mp4`."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from library.models import ExercisePage
from streaming.delivery import content_disposition, download_filename
from streaming.models import Video, VideoStatus
from tests.library.tree import exercise_showing


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Käsien pesu", "käsien-pesu.mp4"),
        ("Tuolijumppa aamuun!", "tuolijumppa-aamuun.mp4"),
        ("Havregrynsgröt med bär", "havregrynsgröt-med-bär.mp4"),
        ('"../../etc/passwd"', "etcpasswd.mp4"),
        ("???", "video.mp4"),
    ],
)
def test_file_name_from_title(title, name):
    assert download_filename(title) == name


def test_header_has_an_ascii_name_and_the_exact_one():
    assert content_disposition("käsien-pesu.mp4") == (
        "attachment; filename=\"kasien-pesu.mp4\"; filename*=UTF-8''k%C3%A4sien-pesu.mp4"
    )
    assert content_disposition("jumppa.mp4") == 'attachment; filename="jumppa.mp4"'
    assert content_disposition("упражнение.mp4").startswith('attachment; filename="video.mp4"; ')


@pytest.fixture
def published(db):
    video = Video.objects.create(title="Käsien pesu", status=VideoStatus.READY)
    prefix = f"videos/{video.pk}/1/"
    for name in ("download.mp4", "poster.jpg"):
        default_storage.save(prefix + name, ContentFile(b"data" * 10))
    video.output_prefix = prefix
    video.output_manifest = {"media_prefix": prefix, "files": [], "download_size": 40}
    video.save()
    exercise_showing(video)
    return video


def test_local_download_is_named_after_the_title(client, published):
    response = client.get(published.download_url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == content_disposition("käsien-pesu.mp4")
    # Other files are not offered as attachments.
    poster = client.get(published.poster_url)
    assert "attachment" not in poster.get("Content-Disposition", "")


def test_page_link_carries_the_name(client, published):
    page = ExercisePage.objects.get(video=published)
    html = client.get(page.url).content.decode()
    assert f'href="{published.download_url}" download="käsien-pesu.mp4"' in html


def test_signed_s3_url_asks_for_the_name(settings, published):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "streaming.storage.MediaS3Storage",
            "OPTIONS": {
                "bucket_name": "kotikanava",
                "endpoint_url": "http://127.0.0.1:9",  # never contacted: signing is local
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
            },
        },
    }
    response = Client().get(published.download_url)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["response-content-disposition"] == [content_disposition("käsien-pesu.mp4")]
