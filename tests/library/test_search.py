"""Search over every content type, in the visitor's language."""

import pytest


def titles(response):
    return {page.title for page in response.context["result_pages"]}


@pytest.mark.django_db
def test_search_finds_every_content_type(client, indexed_tree):
    assert "Linssikeitto" in titles(client.get("/fi/search/", {"q": "keitto"}))
    assert "Tuolijumppa" in titles(client.get("/fi/search/", {"q": "tuolilla"}))
    assert "Videopuhelu" in titles(client.get("/fi/search/", {"q": "WhatsApp"}))


@pytest.mark.django_db
def test_search_finds_tags(client, indexed_tree):
    assert titles(client.get("/fi/search/", {"q": "aamu"})) >= {"Tuolijumppa"}


@pytest.mark.django_db
def test_search_stays_in_the_visitors_language(client, indexed_tree):
    found = titles(client.get("/sv/search/", {"q": "Linssikeitto"}))
    assert found == {"Linssikeitto (sv)"}


@pytest.mark.django_db
def test_unpublished_pages_are_not_found(client, indexed_tree):
    indexed_tree["soup"].unpublish()
    assert "Linssikeitto" not in titles(client.get("/fi/search/", {"q": "keitto"}))


@pytest.mark.django_db
def test_empty_query_shows_the_form_without_results(client, indexed_tree):
    response = client.get("/fi/search/", {"q": "  "})
    assert response.status_code == 200
    assert response.context["result_pages"] == []


@pytest.mark.postgres
@pytest.mark.django_db
def test_finnish_stemming_on_postgresql(client, indexed_tree):
    """'keittoja' (plural partitive) finds 'keitto' only with Finnish text search."""
    from django.db import connection

    assert connection.vendor == "postgresql"
    assert "Linssikeitto" in titles(client.get("/fi/search/", {"q": "keittoja"}))
