"""A public page's video plays in Chromium from S3-compatible storage (moto's server): the app
hands the browser playlists with signed segment URLs, which it fetches across origins under the
page's Content-Security-Policy."""

import pytest
from django.core.files import File

from streaming.jobs import run_processing
from streaming.models import Video
from studio.content_security import storage_origins
from tests.library.tree import exercise_showing

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db(transaction=True)
def test_video_plays_from_signed_s3_urls(
    migrated_db, live_server, browser, bucket, s3_server, settings, recording
):
    # As in production: the bucket lets the site's pages fetch from it, and the policy names it.
    s3_server.client.put_bucket_cors(
        Bucket=bucket,
        CORSConfiguration={
            "CORSRules": [{"AllowedOrigins": [live_server.url], "AllowedMethods": ["GET"]}]
        },
    )
    origins = storage_origins(settings.STORAGES["default"]["OPTIONS"])
    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    for directive in ("img-src", "media-src", "connect-src"):
        directives[directive] = [*directives[directive], *origins]
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": directives,
    }

    video = Video(title="Tuolijumppa")
    with recording.open("rb") as handle:
        video.original.save("tuolijumppa.mp4", File(handle))
    run_processing(video)
    video.refresh_from_db()
    page = exercise_showing(video)

    tab = browser.new_page(viewport={"width": 800, "height": 1280})
    requests, violations = [], []
    tab.on("request", lambda request: requests.append(request.url))
    tab.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    tab.goto(live_server.url + page.url)
    tab.wait_for_function("() => window.Hls !== undefined", timeout=10_000)
    tab.locator("video").evaluate("v => { v.muted = true; return v.play(); }")
    tab.wait_for_function("() => document.querySelector('video').currentTime > 1", timeout=20_000)
    tab.close()

    segments = [url for url in requests if ".m4s" in url]
    assert segments and all(url.startswith(s3_server.endpoint) for url in segments)
    assert all("X-Amz-Signature=" in url for url in segments)
    assert violations == []
