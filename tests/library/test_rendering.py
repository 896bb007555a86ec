"""Every page type renders for clients, in Finnish and in Swedish, with its own content."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("home", ["Liikunta", "Ruoka", "Digitaidot"]),
        ("chair", ["Tuolijumppa", "Istu tuolille.", "Tuoli"]),
        ("soup", ["Linssikeitto", "linssi", "print/"]),
        ("video_call", ["Videopuhelu", "WhatsApp", "Avaa sovellus."]),
        ("info", ["Saavutettavuus"]),
    ],
)
def test_page_renders(client, tree, language, key, expected):
    page = tree[key]
    if language != "fi":
        page = page.get_translations().get(locale__language_code=language).specific
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for text in expected:
        assert text in html
    with translation.override(language):
        assert gettext("Skip to content") in html


def test_topic_pages_render_in_both_languages(client, tree):
    for topic in tree["topics"]:
        for page in topic.get_translations(inclusive=True):
            assert client.get(page.url).status_code == 200


def test_recipe_print_view(client, tree):
    response = client.get(tree["soup"].url + "print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "linssi" in html and "site-header" not in html


def test_language_switcher_links_to_the_translation(client, tree):
    html = client.get(tree["chair"].url).content.decode()
    swedish = tree["chair"].get_translations().get(locale__language_code="sv")
    assert f'href="{swedish.url}" lang="sv"' in html


def test_unknown_page_gives_a_friendly_404(client, tree):
    response = client.get("/fi/ei-ole/")
    assert response.status_code == 404
    with translation.override("fi"):
        assert gettext("Page not found") in response.content.decode()
