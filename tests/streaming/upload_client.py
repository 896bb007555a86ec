"""Talking tus 1.0 to the admin's upload endpoint with Django's test client, header by header."""

from django.test import Client
from django.urls import reverse

from streaming.uploads.tus import OFFSET_CONTENT_TYPE, VIDEO_EDIT_URL_HEADER, encode_metadata

CHUNK = 64 * 1024
TUS = {"Tus-Resumable": "1.0.0"}
__all__ = ["CHUNK", "TUS", "VIDEO_EDIT_URL_HEADER", "create", "login", "offset_of", "patch"]


def login(user, csrf=False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def create(client, name="tuolijumppa_osa-1.mp4", size=1000, collection=None, **headers):
    metadata = {"filename": name, "filetype": "video/mp4"}
    if collection is not None:
        metadata["collection"] = str(collection)
    return client.post(
        reverse("videos:upload_sessions"),
        headers={
            **TUS,
            "Upload-Length": str(size),
            "Upload-Metadata": encode_metadata(metadata),
            **headers,
        },
    )


def patch(client, url, data: bytes, offset: int, **headers):
    return client.generic(
        "PATCH",
        url,
        data,
        content_type=OFFSET_CONTENT_TYPE,
        headers={**TUS, "Upload-Offset": str(offset), **headers},
        CONTENT_TYPE=OFFSET_CONTENT_TYPE,  # the test client drops it when the body is empty
    )


def offset_of(client, url) -> int:
    response = client.head(url, headers=TUS)
    assert response.status_code == 200, response.status_code
    assert "no-store" in response["Cache-Control"]
    return int(response["Upload-Offset"])
