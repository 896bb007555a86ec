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
