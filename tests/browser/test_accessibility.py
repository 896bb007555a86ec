"""The client pages in chromium: WCAG 2.2 A/AA per axe-core, reflow, target size, focus, weight.

One page load per URL and viewport; every check of that load runs on it.
"""

import pytest

from tests.browser.conftest import LANDSCAPE, NARROW, PORTRAIT

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGES = [
    "home",
    "topic",
    "topic_filtered",
    "exercise",
    "recipe",
    "print",
    "guide",
    "search",
    "info",
    "saved",
    "live_countdown",
    "live_live",
    "live_ended",
]
HOME_PAGE_BUDGET = 100 * 1024
# Issue #8 asks 48x48 px for every control (above WCAG 2.2's 24 px and Apple's 44 pt).
MIN_TARGET = 48

# The player's own controls, shown by its script, with the quality and data panel open: axe and
# the size check then see every control a client can reach.
SHOW_PLAYER_CONTROLS = """() => {
    const controls = document.querySelectorAll('[data-controls-for]');
    for (const root of controls) {
        if (root.hidden) return false;
        const quality = root.querySelector('[data-control=quality]');
        if (quality && quality.getAttribute('aria-expanded') !== 'true') quality.click();
    }
    return true;
}"""

# Every interactive element that is visible, with its size. Links inside running text are
# excepted (WCAG 2.5.8's inline exception): an inline link whose block has other text too.
TARGETS_SCRIPT = """(min) => {
    const blocks = 'p, li, dd, td, figcaption, blockquote';
    const selector = 'a[href], button, input:not([type=hidden]), select, summary, textarea';
    const small = [];
    for (const el of document.querySelectorAll(selector)) {
        // A radio button or box inside its label is operated by tapping the whole label.
        const label = el.matches('input[type=radio], input[type=checkbox]') && el.closest('label');
        const box = (label || el).getBoundingClientRect();
        const style = getComputedStyle(el);
        if (!box.width || !box.height || style.visibility === 'hidden') continue;
        if (box.bottom < 0 || box.right < 0) continue;  // off-screen until focused (skip link)
        if (style.display === 'inline' && el.tagName === 'A') {
            const block = el.parentElement.closest(blocks);
            if (block && block.textContent.trim().length > el.textContent.trim().length) continue;
        }
        if (box.width < min - 0.5 || box.height < min - 0.5) {
            const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
            small.push(`${el.outerHTML.slice(0, 90)} ${size}`);
        }
    }
    return small;
}"""


def _check_layout(tab, viewport):
    """The checks that depend on the layout, run again after each change of viewport size."""
    tab.page.set_viewport_size(viewport)
    where = f"{viewport['width']}x{viewport['height']}"
    problems = [f"{where} axe: {violation}" for violation in tab.axe_violations()]
    problems += [
        f"{where} target under {MIN_TARGET}px: {target}"
        for target in tab.page.evaluate(TARGETS_SCRIPT, MIN_TARGET)
    ]
    return problems


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible(demo, shared_tab, language, name):
    """Tablet portrait and landscape, light and dark (WCAG 2.2 A/AA, 48 px targets, the player's
    controls shown and its quality panel open), then 320 CSS
    px wide (a 640 px tablet at 200 % zoom): no sideways scrolling. One page load for all of it."""
    tab = shared_tab
    tab.open(demo[language][name])
    tab.page.wait_for_function(SHOW_PLAYER_CONTROLS)
    problems = _check_layout(tab, PORTRAIT)
    if language == "fi":
        problems += _check_layout(tab, LANDSCAPE)
        tab.page.emulate_media(color_scheme="dark")
        problems += [f"dark: {problem}" for problem in _check_layout(tab, PORTRAIT)]
        tab.page.emulate_media(color_scheme="light")
    tab.page.set_viewport_size(NARROW)
    overflow = tab.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        problems.append(f"320 px wide: scrolls sideways by {overflow} px")
    problems += [
        f"320 px target under {MIN_TARGET}px: {t}"
        for t in tab.page.evaluate(TARGETS_SCRIPT, MIN_TARGET)
    ]
    problems += [f"request left the server: {url}" for url in tab.foreign_requests()]
    title = tab.page.title()
    if not title or title.startswith("–"):
        problems.append(f"no page title: {title!r}")
    if tab.page.locator("html").get_attribute("lang") != language:
        problems.append("<html lang> is not the page's language")
    assert not problems, "\n".join(problems)


def test_titles_are_unique(demo, open_tab):
    tab = open_tab()
    titles = {}
    for name in ["home", "topic", "exercise", "recipe", "print", "guide", "search", "info"]:
        tab.open(demo["fi"][name])
        titles.setdefault(tab.page.title(), []).append(name)
    assert [names for names in titles.values() if len(names) > 1] == []


def test_skip_link_moves_focus_to_main(demo, open_tab):
    tab = open_tab()
    tab.open(demo["fi"]["exercise"])
    tab.page.keyboard.press("Tab")
    assert tab.page.evaluate("document.activeElement.className") == "skip-link"
    assert tab.page.locator(".skip-link").bounding_box()["y"] >= 0  # visible once focused
    tab.page.keyboard.press("Enter")
    assert tab.page.evaluate("document.activeElement.id") == "main"


def test_filters_work_without_javascript(demo, open_tab):
    tab = open_tab(java_script_enabled=False)
    tab.open(demo["fi"]["topic"])
    everything = tab.page.locator(".cards > li").count()
    tab.page.select_option("select[name=position]", "seated")
    tab.page.locator("form.filters button[type=submit]").click()
    tab.page.wait_for_load_state()
    assert "position=seated" in tab.page.url
    assert 0 < tab.page.locator(".cards > li").count() < everything
    count = tab.page.locator(".results-count")
    assert count.inner_text().startswith(str(tab.page.locator(".cards > li").count()))
    tab.page.locator("a.clear-filters").click()
    tab.page.wait_for_load_state()
    assert tab.page.locator(".cards > li").count() == everything


def test_ready_video_has_player_captions_and_download(demo, open_tab):
    tab = open_tab()
    tab.open(demo["fi"]["exercise"])
    video = tab.page.locator("video")
    assert video.get_attribute("preload") == "none"
    assert video.get_attribute("data-hls-src").endswith("master.m3u8")
    assert tab.page.locator("video track[kind=captions][srclang=fi]").count() == 1
    assert tab.page.locator("video source[type='video/mp4']").count() == 1
    assert tab.page.locator("a[href$='download.mp4']").count() == 1
    # Before the viewer presses play: the poster, the playlists and the lowest rung's init
    # segments (a few kB, so that play starts with the first segment), never a media segment.
    tab.page.wait_for_function("() => window.Hls !== undefined")
    tab.page.wait_for_load_state("networkidle")
    tab.page.wait_for_function(
        "() => performance.getEntriesByType('resource').some(e => e.name.endsWith('/init.mp4'))"
    )
    tab.page.wait_for_load_state("networkidle")
    assert not [url for url in tab.requests if url.endswith((".m4s", ".ts", "download.mp4"))]
    warmed = [url.split("/")[-2] for url in tab.requests if url.endswith("/init.mp4")]
    assert sorted(set(warmed)) == ["audio", "v234"], warmed


def test_pages_without_video_load_no_script(demo, open_tab):
    tab = open_tab()
    for name in ["home", "topic", "recipe", "info"]:
        tab.open(demo["fi"][name])
    assert not [url for url in tab.requests if url.endswith(".js")]


def test_home_page_weighs_at_most_100_kb(demo, open_tab, record_property):
    tab = open_tab()
    cdp = tab.page.context.new_cdp_session(tab.page)
    cdp.send("Network.enable")
    sizes = {}
    urls = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    tab.open(demo["fi"]["home"])
    tab.page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    record_property("home_page_bytes", total)
    print(f"home page: {total} bytes in {len(sizes)} requests")
    assert total <= HOME_PAGE_BUDGET, {urls.get(key): size for key, size in sizes.items()}
