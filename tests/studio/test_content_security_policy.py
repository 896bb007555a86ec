"""The Content-Security-Policy headers: strict on client pages, looser in the admin, S3 media
allowed when files live there. (tests/browser/test_csp.py checks the same pages in chromium.)"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from studio.content_security import storage_origins
from tests.library.tree import build_tree

BASE_DIR = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def _directives(header: str) -> dict[str, list[str]]:
    return {
        name: sources
        for name, *sources in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.django_db
def test_client_pages_allow_only_their_own_scripts_and_styles():
    tree = build_tree()
    client = Client()
    for page in [tree["home"], tree["topics"][0], tree["chair"], tree["soup"], tree["info"]]:
        response = client.get(page.url)
        assert response.status_code == 200
        policy = _directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'self'"]
        html = response.content.decode()
        assert not INLINE_SCRIPT.findall(html), page.url
        assert not INLINE_STYLE.findall(html), page.url


@pytest.mark.django_db
def test_hls_playback_sources_are_allowed():
    tree = build_tree()
    policy = _directives(Client().get(tree["chair"].url)["Content-Security-Policy"])
    assert "blob:" in policy["media-src"]  # MediaSource
    assert "blob:" in policy["worker-src"]  # hls.js's worker


@pytest.mark.django_db
def test_admin_gets_its_own_policy(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("admin", password="pw"))
    policy = _directives(client.get("/admin/")["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["object-src"] == ["'none'"]


def test_storage_origins():
    assert storage_origins({}) == []
    # Signed URLs for private media come from the bucket even behind a CDN.
    assert storage_origins({"bucket_name": "kk", "custom_domain": "cdn.example.fi"}) == [
        "https://cdn.example.fi",
        "https://s3.amazonaws.com",
        "https://kk.s3.amazonaws.com",
    ]
    assert storage_origins({"bucket_name": "kk", "endpoint_url": "https://s3.example.fi:9000"}) == [
        "https://s3.example.fi:9000",
        "https://kk.s3.example.fi:9000",
    ]
    assert storage_origins({"bucket_name": "kk", "region_name": "eu-north-1"}) == [
        "https://s3.eu-north-1.amazonaws.com",
        "https://kk.s3.eu-north-1.amazonaws.com",
    ]


def test_s3_media_origin_is_added_to_the_media_directives(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KOTIKANAVA_"))},
        "DJANGO_SETTINGS_MODULE": "studio.settings",
        "KOTIKANAVA_STATE_DIR": str(tmp_path),
        "KOTIKANAVA_S3_BUCKET": "kotikanava",
        "KOTIKANAVA_S3_ENDPOINT_URL": "https://s3.example.fi",
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    directives = json.loads(result.stdout)
    for name in ["img-src", "media-src", "connect-src"]:
        assert "https://s3.example.fi" in directives[name]
        assert "https://kotikanava.s3.example.fi" in directives[name]
    assert directives["script-src"] == ["'self'"]
