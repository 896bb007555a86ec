"""Text a translated page still shows in its source language is marked with that language."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _easy_read_lang(client, page) -> str:
    html = client.get(page.url).content.decode()
    match = re.search(r'<div class="easy-read__body" lang="([^"]+)">(.*?)</div>', html, re.S)
    assert match, "no easy-to-read text on the page"
    return match[1], match[2]


def _set_easy_read(page, text):
    page.easy_read = text
    page.save_revision().publish()


def test_untranslated_easy_read_on_a_swedish_page_is_marked_finnish(client, tree):
    finnish = tree["chair"]
    _set_easy_read(finnish, "<p>Istu tuolilla. Tee liikkeet rauhassa.</p>")
    swedish = finnish.get_translations().get(locale__language_code="sv").specific
    # A copy not yet translated (as Wagtail's simple translation leaves it).
    _set_easy_read(swedish, finnish.easy_read)

    lang, text = _easy_read_lang(client, swedish)
    assert lang == "fi"
    assert "Istu tuolilla" in text
    assert _easy_read_lang(client, finnish)[0] == "fi"


def test_translated_easy_read_keeps_the_page_language(client, tree):
    finnish = tree["chair"]
    _set_easy_read(finnish, "<p>Istu tuolilla.</p>")
    swedish = finnish.get_translations().get(locale__language_code="sv").specific
    _set_easy_read(swedish, "<p>Sitt på en stol.</p>")

    assert _easy_read_lang(client, swedish)[0] == "sv"


def _swedish(page):
    return page.get_translations().get(locale__language_code="sv").specific


def _lang_of(html: str, selector: str) -> str | None:
    """The language an element's text is read in: its own lang or its nearest ancestor's."""
    from bs4 import BeautifulSoup

    element = BeautifulSoup(html, "html.parser").select_one(selector)
    assert element is not None, f"nothing matches {selector}"
    marked = element if element.has_attr("lang") else element.find_parent(lang=True)
    return marked["lang"] if marked else None


@pytest.mark.parametrize(
    ("page", "path", "selectors"),
    [
        ("chair", "", ["main h1", "p.lead", "ol.steps"]),
        ("soup", "", ["p.lead", "ul.ingredients", "ol.steps"]),
        ("soup", "print/", ["p.lead", "ul.ingredients", "ol.steps"]),
        ("video_call", "", ["p.lead", "ol.steps"]),
        ("info", "", ["main h1", "main .prose > div"]),
    ],
)
def test_untranslated_fields_of_a_swedish_page_are_marked_finnish(
    client, tree, page, path, selectors
):
    swedish = _swedish(tree[page])
    # The tree's copies translate the title only; reset it where the test wants the copy's.
    if "main h1" in selectors:
        swedish.title = tree[page].title
        swedish.save_revision().publish()
    html = client.get(swedish.url + path).content.decode()
    assert _lang_of(html, "html") == "sv"
    for selector in selectors:
        assert _lang_of(html, selector) == "fi", selector


def test_translated_fields_keep_the_page_language(client, tree):
    finnish = tree["soup"]
    swedish = _swedish(finnish)
    swedish.summary = "Billig soppa av linser."
    swedish.save_revision().publish()
    html = client.get(swedish.url).content.decode()
    for selector in ["main h1", "p.lead"]:  # the title was translated by the tree
        assert _lang_of(html, selector) == "sv", selector
    assert _lang_of(html, "ul.ingredients") == "fi"
    # The Finnish original marks nothing of its own.
    finnish_html = client.get(finnish.url).content.decode()
    for selector in ["main h1", "p.lead", "ul.ingredients", "ol.steps"]:
        assert _lang_of(finnish_html, selector) == "fi", selector


def test_cards_of_a_swedish_listing_mark_an_untranslated_summary(client, tree):
    topic = _swedish(tree["topics"][0])
    html = client.get(topic.url).content.decode()
    assert _lang_of(html, ".card__title") == "sv"  # translated by the tree
    assert _lang_of(html, ".card__body > p") == "fi"
