"""The accessibility statement and its feedback form in chromium: WCAG 2.2 A/AA per axe-core
with the form empty, with errors and after sending, in Finnish and Swedish; 44 px targets."""

import pytest

from library.models import AccessibilityStatementPage
from tests.browser.test_accessibility import MIN_TARGET, TARGETS_SCRIPT

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _problems(tab):
    problems = [f"axe: {violation}" for violation in tab.axe_violations()]
    problems += [
        f"target under {MIN_TARGET}px: {t}" for t in tab.page.evaluate(TARGETS_SCRIPT, MIN_TARGET)
    ]
    return problems


@pytest.fixture
def statement_urls(demo):
    return {
        page.locale.language_code: page.url
        for page in AccessibilityStatementPage.objects.live().select_related("locale")
    }


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_statement_and_feedback_form_are_accessible(statement_urls, open_tab, language):
    tab = open_tab()
    tab.open(statement_urls[language])
    assert tab.page.locator("html").get_attribute("lang") == language
    problems = _problems(tab)
    tab.page.emulate_media(color_scheme="dark")
    problems += [f"dark: {problem}" for problem in _problems(tab)]
    tab.page.emulate_media(color_scheme="light")

    # Sent empty: the error state.
    tab.page.locator("#feedback button[type=submit]").click()
    tab.page.wait_for_load_state()
    assert tab.page.locator("#id_message[aria-invalid=true]").count() == 1
    problems += [f"errors: {problem}" for problem in _problems(tab)]

    # Sent for real: the thank-you state.
    tab.page.locator("#id_message").fill("Tekstitys puuttuu videosta.")
    tab.page.locator("#feedback button[type=submit]").click()
    tab.page.wait_for_load_state()
    assert tab.page.locator("#feedback [role=status]").count() == 1
    problems += [f"sent: {problem}" for problem in _problems(tab)]
    assert not problems, "\n".join(problems)


def test_footer_links_to_the_statement(demo, open_tab, statement_urls):
    tab = open_tab()
    for name in ["home", "topic", "exercise"]:
        tab.open(demo["fi"][name])
        link = tab.page.locator("footer a.footer-links__statement")
        assert link.get_attribute("href") == statement_urls["fi"], name
