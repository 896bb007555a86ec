"""The Content-Security-Policy in chromium: client pages, the player and the admin break no rule.

Chromium reports every blocked script, style, image, media or worker as a
`securitypolicyviolation` event (and a console error); both are collected from the first moment of
each page, so a test fails on anything the policy stopped, not only on what a user would see.
"""

import pytest
from django.urls import reverse

from tests.browser.conftest import LANDSCAPE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Runs before any script of the page (Playwright injects it outside the page's CSP).
COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`
        + ` at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
});
"""


def _watch(tab):
    """Collect CSP violations from events and the console (workers report only there)."""
    tab.page.add_init_script(COLLECT_VIOLATIONS)
    console = []
    tab.page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def violations():
        """What was blocked since the last call (the page's own list starts anew on each load)."""
        found = tab.page.evaluate("window.__csp.splice(0)") + console
        console.clear()
        return found

    return violations


def _log_in(tab, username="admin"):
    tab.open("/admin/login/")
    tab.page.fill("input[name=username]", username)
    tab.page.fill("input[name=password]", "browser-tests")
    tab.page.click("button[type=submit]")
    tab.page.wait_for_url("**/admin/")


def test_client_pages_send_the_strict_policy(demo, open_tab):
    tab = open_tab()
    violations = _watch(tab)
    response = tab.open(demo["fi"]["home"])
    header = response.header_value("content-security-policy")
    # Directives come in no fixed order: compare them one by one.
    policy = dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    assert policy["script-src"] == "'self'" and "unsafe-inline" not in header
    assert policy["media-src"] == "'self' blob:" and policy["object-src"] == "'none'"
    assert violations() == []
    for name in ["topic", "topic_filtered", "recipe", "print", "guide", "search", "info"]:
        tab.open(demo["fi"][name])
        assert violations() == [], name


def test_video_plays_under_the_policy(demo, open_tab):
    tab = open_tab(viewport=LANDSCAPE)
    violations = _watch(tab)
    tab.open(demo["fi"]["exercise"])
    # A function, not a string: the policy forbids evaluating strings.
    tab.page.wait_for_function("() => window.Hls !== undefined")
    tab.page.locator("video").focus()
    tab.page.keyboard.press("Space")  # the viewer presses play (keyboard, as on the controls)
    tab.page.wait_for_function(
        "() => document.querySelector('video').currentTime > 1", timeout=30_000
    )
    # hls.js played it (MediaSource blob URL), not the MP4 fallback.
    assert tab.page.evaluate("document.querySelector('video').currentSrc").startswith("blob:")
    assert any(url.endswith("master.m3u8") for url in tab.requests)
    assert violations() == []


def test_admin_pages_work_under_the_admin_policy(demo, open_tab):
    from library.models import ExercisePage
    from streaming.models import Video

    tab = open_tab(viewport=LANDSCAPE)
    violations = _watch(tab)
    _log_in(tab)
    page = ExercisePage.objects.get(locale__language_code="fi", slug="tuolijumppa-aamuun")
    video = Video.objects.get(pk=page.video_id)
    paths = [
        "/admin/",
        reverse("wagtailadmin_explore", args=[page.get_parent().pk]),
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        reverse("wagtailimages:index"),
        reverse("wagtailimages:add_multiple"),
        reverse("wagtaildocs:index"),
        reverse("videos:index"),
        reverse("videos:add"),
        reverse("videos:edit", args=[video.pk]),
        reverse("wagtailusers_users:index"),
    ]
    problems = {}
    for path in paths:
        response = tab.open(path)
        assert "unsafe-inline" in response.header_value("content-security-policy")
        tab.page.wait_for_load_state("networkidle")
        if found := violations():
            problems[path] = found
    assert problems == {}, "\n".join(f"{p}: {v}" for p, vs in problems.items() for v in vs)


def test_userbar_on_a_client_page_breaks_no_rule(demo, open_tab):
    tab = open_tab()
    violations = _watch(tab)
    _log_in(tab)
    tab.open(demo["fi"]["exercise"])
    tab.page.locator("wagtail-userbar").wait_for(state="attached")
    tab.page.wait_for_load_state("networkidle")
    assert violations() == []
