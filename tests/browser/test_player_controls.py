"""The player's large controls and the data saver, in Debian's chromium with hls.js.

The demo's exercise video is processed with Finnish captions (tests/browser/conftest.py); its
master playlist has two video rungs (v234, v360) and an audio-only variant (audio/).
"""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.slow]

BUTTONS = ".player-controls__button"
VIDEO_SEGMENT = re.compile(r"/v\d+/[^/]+\.(m4s|mp4)$")
AUDIO_SEGMENT = re.compile(r"/audio/[^/]+\.m4s$")


def _open(open_tab, demo, language="fi"):
    tab = open_tab()
    tab.open(demo[language]["exercise"])
    tab.page.locator(".player-controls").wait_for(state="visible")
    tab.page.wait_for_function("() => !!document.querySelector('video').hlsPlayer", timeout=15_000)
    tab.page.locator("video").evaluate("v => { v.muted = true; }")
    return tab


def _control(tab, name):
    return tab.page.locator(f'[data-control="{name}"]')


def _wait_time(tab, seconds):
    tab.page.wait_for_function(
        f"() => document.querySelector('video').currentTime > {seconds}", timeout=20_000
    )


def test_controls_replace_the_browsers_and_are_large(open_tab, demo):
    tab = _open(open_tab, demo)
    video = tab.page.locator("video")
    assert video.get_attribute("controls") is None
    assert video.evaluate("v => v.paused && v.readyState === 0")  # no autoplay
    names = tab.page.locator(BUTTONS).evaluate_all("els => els.map(e => e.dataset.control)")
    assert names == ["play", "back", "captions", "caption-size", "quality", "fullscreen"]
    _control(tab, "quality").click()
    targets = tab.page.locator(f"{BUTTONS}, .player-controls__choice").all()
    assert len(targets) == 9
    for target in targets:
        box = target.bounding_box()
        assert box["width"] >= 48 and box["height"] >= 48, target.inner_text()


def test_keyboard_reaches_and_operates_every_control(open_tab, demo):
    tab = _open(open_tab, demo)
    page = tab.page
    reached = []
    page.locator("h1").click()
    for _ in range(40):
        page.keyboard.press("Tab")
        name = page.evaluate(
            "() => document.activeElement.dataset.control"
            " || (document.activeElement.type === 'radio' ? 'mode' : '')"
        )
        if name and name not in reached:
            reached.append(name)
        if name == "fullscreen":
            break
    assert reached == ["play", "back", "captions", "caption-size", "quality", "fullscreen"]

    play = _control(tab, "play")
    play.focus()
    page.keyboard.press("Enter")
    _wait_time(tab, 0.5)
    assert play.inner_text().strip() == play.get_attribute("data-label-pause")
    page.keyboard.press("Space")
    # The "pause" event (which relabels the button) follows `paused` by a task.
    page.wait_for_function(
        "() => document.querySelector('video').paused && document.querySelector("
        "'[data-control=play] [data-label]').textContent === "
        "document.querySelector('[data-control=play]').dataset.labelPlay"
    )

    captions = _control(tab, "captions")
    before = captions.get_attribute("aria-pressed")
    captions.focus()
    page.keyboard.press("Enter")
    assert captions.get_attribute("aria-pressed") != before
    status = page.locator("[data-status]")
    assert status.get_attribute("role") == "status"
    page.wait_for_function("() => document.querySelector('[data-status]').textContent !== ''")

    size = _control(tab, "caption-size")
    size.focus()
    page.keyboard.press("Space")
    assert "player--captions-large" in page.locator(".player").get_attribute("class")
    assert size.inner_text().strip() == size.get_attribute("data-label-large")

    quality = _control(tab, "quality")
    quality.focus()
    page.keyboard.press("Enter")
    assert quality.get_attribute("aria-expanded") == "true"
    assert page.locator(".player-controls__quality").is_visible()


def test_tapping_the_picture_toggles_play_and_back_goes_10_s(open_tab, demo):
    tab = _open(open_tab, demo)
    video = tab.page.locator("video")
    video.click()
    _wait_time(tab, 0.3)
    # The tests' demo clip is short (about 12 s): go near its end, then 10 s back.
    target = video.evaluate("v => Math.min(15, v.duration - 1)")
    assert target >= 10.5
    video.evaluate(f"v => {{ v.currentTime = {target}; }}")
    tab.page.wait_for_function(
        "() => { const v = document.querySelector('video');"
        f" return !v.seeking && v.currentTime >= {target}; }}",
        timeout=20_000,
    )
    _control(tab, "back").click()
    position = video.evaluate("v => v.currentTime")
    assert target - 10.5 <= position <= target - 8, position
    video.click()
    tab.page.wait_for_function("() => document.querySelector('video').paused")
    tab.page.wait_for_function(
        "() => document.querySelector('[data-status]').textContent"
        " === document.querySelector('.player-controls').dataset.announcePaused"
    )


def test_full_screen_button_shows_the_player_full_screen(open_tab, demo):
    tab = _open(open_tab, demo)
    full = _control(tab, "fullscreen")
    assert full.is_visible()
    full.click()
    tab.page.wait_for_function(
        "() => document.fullscreenElement === document.querySelector('.player')", timeout=5_000
    )
    # The label follows the fullscreenchange event, which comes a frame after the element is set.
    tab.page.wait_for_function(
        "() => { const b = document.querySelector('[data-control=fullscreen]');"
        " return b.innerText.trim() === b.dataset.labelExit; }",
        timeout=5_000,
    )
    tab.page.evaluate("() => document.exitFullscreen()")


def test_play_before_hls_js_arrives_waits_for_it(open_tab, demo):
    tab = open_tab()
    held = []
    tab.page.route("**/hls.min.js", lambda route: held.append(route))
    tab.page.goto(tab.base_url + demo["fi"]["exercise"], wait_until="domcontentloaded")
    tab.page.locator(".player-controls").wait_for(state="visible")
    tab.page.locator("video").evaluate("v => { v.muted = true; }")
    _control(tab, "play").click()
    status = tab.page.locator("[data-status]")
    assert status.inner_text() == tab.page.locator(".player-controls").get_attribute(
        "data-starting"
    )
    # While hls.js is on its way, the lowest rung's playlists and init segments come (then
    # hls.js starts with the first segment); no segment yet, and not the progressive MP4.
    tab.page.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        ".filter(e => e.name.endsWith('/init.mp4') && e.responseEnd > 0).length >= 2"
    )
    started = [url.split("/")[-2] for url in tab.requests if url.endswith("/init.mp4")]
    assert sorted(set(started)) == ["audio", "v234"], started
    assert not any(url.endswith((".m4s", "download.mp4")) for url in tab.requests)
    assert tab.page.locator("video").evaluate("v => v.paused")
    for route in held:
        route.continue_()
    _wait_time(tab, 0.5)
    assert any(url.endswith(".m4s") for url in tab.requests)
    assert not any(url.endswith("download.mp4") for url in tab.requests)
    assert status.inner_text() == ""


# What hls.js asks for once play is pressed, as (file, bytes over the network) after the mark.
AFTER_PLAY = """(pressed) => performance.getEntriesByType('resource')
    .filter((e) => e.startTime >= pressed && e.name.includes('/media/'))
    .map((e) => [e.name.split('/').slice(-2).join('/'), e.transferSize])"""


@pytest.mark.parametrize(("mode", "rungs"), [("auto", ["audio", "v234"]), ("audio", ["audio"])])
def test_play_starts_with_segments_and_nothing_of_them_comes_before(open_tab, demo, mode, rungs):
    # The service worker's own fetches are out of the page's sight (and its HTTP cache's timing).
    tab = open_tab(service_workers="block")
    tab.page.context.add_init_script(f"localStorage.setItem('kotikanava.player.mode', '{mode}')")
    tab.open(demo["fi"]["exercise"])
    page = tab.page
    page.wait_for_function("() => !!document.querySelector('video').hlsPlayer", timeout=15_000)
    page.wait_for_function(
        "(count) => performance.getEntriesByType('resource')"
        ".filter(e => e.name.endsWith('/init.mp4') && e.responseEnd > 0).length >= count",
        arg=len(rungs),
    )
    page.wait_for_timeout(1500)  # time enough for hls.js to start loading, were it to
    warmed = sorted({url.split("/")[-2] for url in tab.requests if url.endswith("/init.mp4")})
    assert warmed == rungs
    assert not [url for url in tab.requests if url.endswith((".m4s", "download.mp4"))]

    page.locator("video").evaluate("v => { v.muted = true; }")
    pressed = page.evaluate("() => performance.now()")
    _control(tab, "play").click()
    _wait_time(tab, 1)
    after = page.evaluate(AFTER_PLAY, pressed)
    starting = [(name, size) for name, size in after if name.split("/")[0] in rungs]
    # The starting rung's playlists and init segments come from the browser's cache: over the
    # network, play costs only segments (a round trip each saved on a weak link).
    assert [name for name, size in starting if size and not name.endswith(".m4s")] == []
    assert any(name.endswith(".m4s") and size for name, size in starting), after
    if mode == "audio":
        assert not [name for name, _ in after if VIDEO_SEGMENT.search("/" + name)]


def test_data_saver_plays_sound_only_and_is_remembered(open_tab, demo):
    tab = _open(open_tab, demo)
    page = tab.page
    _control(tab, "quality").click()
    costs = page.locator("[data-cost]")
    page.wait_for_function("() => document.querySelector('[data-cost=audio]').textContent")
    # From the master playlist's BANDWIDTH: lowest video rung, audio-only variant.
    master = page.evaluate(
        "() => fetch(document.querySelector('video').dataset.hlsSrc).then(r => r.text())"
    )
    bandwidths = [int(b) for b in re.findall(r"STREAM-INF:BANDWIDTH=(\d+)", master)]
    lowest_video, audio = bandwidths[0], bandwidths[-1]
    assert audio < 100_000
    for index, bandwidth in ((1, lowest_video), (2, audio)):
        shown = f"{bandwidth * 60 / 8 / 1e6:.1f}".replace(".", ",")  # Finnish decimal comma
        assert shown in costs.nth(index).inner_text()
    page.locator("video").click()
    _wait_time(tab, 1)
    assert any(VIDEO_SEGMENT.search(url) for url in tab.requests)

    saver = page.locator('input[value="audio"]')
    saver.focus()
    page.keyboard.press("Space")
    assert saver.is_checked()
    switched = len(tab.requests)
    page.wait_for_function(
        "() => document.querySelector('[data-status]').textContent.includes("
        "document.querySelector('[data-cost=audio]').textContent)"
    )
    assert page.locator("[data-listening]").is_visible()
    position = page.locator("video").evaluate("v => v.currentTime")
    _wait_time(tab, position + 2.5)
    after = tab.requests[switched:]
    assert any(AUDIO_SEGMENT.search(url) for url in after)
    assert [url for url in after if VIDEO_SEGMENT.search(url)] == []
    assert page.locator("video").evaluate("v => v.videoWidth") == 0  # the poster stays

    # Remembered on the device: a reload starts in the data saver and fetches no picture.
    tab.requests.clear()
    page.reload(wait_until="load")
    page.locator(".player-controls").wait_for(state="visible")
    assert page.locator('input[value="audio"]').is_checked()
    assert page.locator("[data-listening]").is_visible()
    page.wait_for_function("() => !!document.querySelector('video').hlsPlayer", timeout=15_000)
    page.locator("video").evaluate("v => { v.muted = true; }")
    _control(tab, "play").click()
    _wait_time(tab, 1.5)
    assert any(AUDIO_SEGMENT.search(url) for url in tab.requests)
    assert [url for url in tab.requests if VIDEO_SEGMENT.search(url)] == []


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_axe_finds_nothing_with_the_controls_visible(open_tab, demo, language):
    tab = _open(open_tab, demo, language)
    _control(tab, "quality").click()
    tab.page.wait_for_function("() => document.querySelector('[data-cost=audio]').textContent")
    assert tab.axe_violations() == []
