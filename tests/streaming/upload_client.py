"""Talking to the admin's upload endpoints as the browser does."""

import json

from django.test import Client
from django.urls import reverse

CHUNK = 64 * 1024


def login(user, csrf=False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def create(client, name="tuolijumppa_osa-1.mp4", size=1000, **headers):
    return client.post(
        reverse("videos:upload_sessions"),
        data=json.dumps({"filename": name, "size": size}),
        content_type="application/json",
        headers=headers,
    )


def put_chunk(client, url, data: bytes, start: int, total: int):
    end = start + len(data) - 1
    return client.put(
        url,
        data=data,
        content_type="application/octet-stream",
        headers={"Content-Range": f"bytes {start}-{end}/{total}"},
    )
