"""Saving a video on the device, the Saved page and the installable app, in real chromium.

127.0.0.1 is a secure context, so the service worker and Cache Storage work over plain HTTP.
"""

import io
import json

import pytest
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Keeps asking to play (the player may reload the element to fall back to the MP4 offline)
# until the picture has moved on.
PLAYS = """(selector) => {
    const video = document.querySelector(selector);
    video.muted = true;
    if (video.paused) video.play().catch(() => {});
    return video.currentTime > 0.5;
}"""
USAGE = "() => navigator.storage.estimate().then((estimate) => estimate.usage)"
CACHED_URLS = """(prefix) => caches.keys()
    .then((names) => Promise.all(names.filter((name) => name.startsWith(prefix))
        .map((name) => caches.open(name).then((cache) => cache.keys()))))
    .then((lists) => lists.flat().map((request) => new URL(request.url).pathname))"""


def _controlled(tab):
    tab.page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15000)


def test_saved_video_plays_offline_and_removing_frees_space(open_tab, demo):
    from library.models import ExercisePage

    tab = open_tab()
    page = tab.page
    exercise = ExercisePage.objects.get(locale__language_code="fi", slug="tuolijumppa-aamuun")
    video = exercise.video
    tab.open(demo["fi"]["exercise"])
    _controlled(tab)

    saver = page.locator("[data-save-offline]")
    saver.wait_for(state="visible")
    button = saver.locator("[data-save-button]")
    size = video.output_manifest["download_size"]
    assert size > 0
    assert "(" in button.inner_text(), "the size is shown before saving"
    used_before = page.evaluate(USAGE)
    button.click()
    saver.locator("[data-save-done]").wait_for(state="visible", timeout=30000)
    assert not button.is_visible()
    saved_paths = page.evaluate(CACHED_URLS, "kotikanava-saved:")
    assert set(saved_paths) == {video.download_url, video.poster_url, demo["fi"]["exercise"]}
    assert page.evaluate(USAGE) > used_before + size * 0.9

    # The Saved page lists it with its size and the total; axe finds nothing to fix.
    tab.open("/fi/saved/")
    page.locator("[data-saved-list][data-ready]").wait_for(state="attached")
    item = page.locator(".saved-item")
    assert item.count() == 1
    assert exercise.title in item.locator("h2").inner_text()
    assert "Mt" in item.locator(".saved-item__size").inner_text()
    assert "1" in page.locator("[data-saved-total]").inner_text()
    assert tab.axe_violations() == []

    # Offline: the Saved page, the video page and the MP4 (in byte ranges) come from the cache.
    page.context.set_offline(True)
    response = tab.open("/fi/saved/")
    assert response.from_service_worker
    page.locator("[data-saved-list][data-ready]").wait_for(state="attached")
    page.wait_for_function(PLAYS, arg=".saved-item__video", polling=500, timeout=15000)

    response = tab.open(demo["fi"]["exercise"])
    assert response.from_service_worker
    player = f"#video-{video.pk}"
    page.wait_for_function(PLAYS, arg=player, polling=500, timeout=20000)

    # A page that was never saved cannot come from the network: the Saved page stands in.
    response = tab.open(demo["fi"]["recipe"])
    assert response.from_service_worker
    assert page.locator("[data-saved-list]").count() == 1

    # Removing frees the space (measured by the browser's own estimate).
    tab.open("/fi/saved/")
    page.locator("[data-saved-list][data-ready]").wait_for(state="attached")
    used_saved = page.evaluate(USAGE)
    page.locator(".saved-item__remove").click()
    page.locator("[data-saved-empty]").wait_for(state="visible")
    assert page.locator(".saved-item").count() == 0
    assert "Mt" in page.locator("[data-saved-status]").inner_text()
    assert page.evaluate(CACHED_URLS, "kotikanava-saved:") == []
    # Chromium frees a deleted cache's space once nothing holds it open: give it a moment.
    page.wait_for_function(
        "(limit) => navigator.storage.estimate().then((e) => e.usage < limit)",
        arg=used_saved - size * 0.9,
        polling=500,
        timeout=15000,
    )
    page.context.set_offline(False)


def test_quota_error_gets_a_clear_message(open_tab, demo):
    tab = open_tab()
    page = tab.page
    tab.open(demo["fi"]["exercise"])
    page.locator("[data-save-offline]").wait_for(state="visible")
    page.evaluate("""() => {
        const put = Cache.prototype.put;
        Cache.prototype.put = function (request, response) {
            if (String(request.url || request).endsWith('.mp4')) {
                return Promise.reject(new DOMException('full', 'QuotaExceededError'));
            }
            return put.call(this, request, response);
        };
    }""")
    page.locator("[data-save-button]").click()
    status = page.locator("[data-save-status]")
    quota_message = page.locator("[data-save-offline]").get_attribute("data-msg-quota")
    page.wait_for_function(
        "(text) => document.querySelector('[data-save-status]').textContent === text",
        arg=quota_message,
    )
    assert status.inner_text() == quota_message
    assert page.locator("[data-save-button]").is_enabled()
    assert page.evaluate(CACHED_URLS, "kotikanava-saved-index-v1") == []


def test_empty_saved_page_passes_axe(open_tab, demo):
    tab = open_tab()
    tab.open("/sv/saved/")
    tab.page.locator("[data-saved-empty]").wait_for(state="visible")
    assert tab.axe_violations() == []


def test_installable(open_tab, demo):
    tab = open_tab()
    page = tab.page
    tab.open("/fi/saved/")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    response = page.request.get(tab.base_url + href)
    assert response.ok
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = json.loads(response.text())
    assert manifest["name"] == manifest["short_name"] == "Kotikanava"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["theme_color"].startswith("#")
    sizes = set()
    for icon in manifest["icons"]:
        image = page.request.get(tab.base_url + icon["src"])
        assert image.ok and image.headers["content-type"] == "image/png"
        width, height = Image.open(io.BytesIO(image.body())).size
        assert icon["sizes"] == f"{width}x{height}"
        sizes.add(width)
    assert {192, 512} <= sizes

    worker = page.request.get(tab.base_url + "/sw.js")
    assert worker.ok and "javascript" in worker.headers["content-type"]
    _controlled(tab)
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == tab.base_url + "/"
