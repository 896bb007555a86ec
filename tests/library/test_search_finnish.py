"""Finnish search through Voikko: inflected forms and compound parts find their pages.

Real Voikko (Debian libvoikko1 + voikko-fi), no mocks; the same cases on PostgreSQL.
"""

import logging

import pytest
from django.core.management import call_command
from wagtail.models import Locale

from library.models import ExercisePage, GuidePage, RecipePage
from library.search import finnish
from tests.library.tree import publish

# (query, titles it must find, titles it must not find), all on /fi/.
FINNISH_CASES = [
    # The three examples.
    ("puuro", {"Kaurapuuro marjoilla"}, {"Linssikeitto"}),
    ("käsi", {"Käsien venyttely"}, {"Jalkojen jumppa"}),
    ("jumpat", {"Jalkojen jumppa", "Tuolijumppa"}, {"Käsien venyttely"}),
    # Plural, partitive and genitive forms find the base form.
    ("kananmunia", {"Keitetty kananmuna"}, {"Kaurapuuro marjoilla"}),
    ("tabletilla", {"Tabletti tutuksi"}, {"Kirjautuminen"}),
    ("keittoja", {"Linssikeitto"}, {"Kaurapuuro marjoilla"}),
    ("jalkojen", {"Jalkojen jumppa"}, {"Käsien venyttely"}),
    ("venyttelyä", {"Käsien venyttely"}, {"Jalkojen jumppa"}),
    # A compound's parts find it, the last one inflected too.
    ("leipiä", {"Kananmunavoileipä"}, {"Keitetty kananmuna"}),
    ("voileipiä", {"Kananmunavoileipä"}, {"Keitetty kananmuna"}),
    ("muna", {"Keitetty kananmuna", "Kananmunavoileipä"}, {"Kaurapuuro marjoilla"}),
    ("kaura", {"Kaurapuuro marjoilla"}, {"Linssikeitto"}),
    # Several words: each in any of its forms.
    ("puuroa marjoja", {"Kaurapuuro marjoilla"}, {"Linssikeitto", "Tuolijumppa"}),
    # A partial word finds the word it starts.
    ("kaurap", {"Kaurapuuro marjoilla"}, {"Linssikeitto"}),
]


def titles(response):
    return {page.title for page in response.context["result_pages"]}


@pytest.fixture
def finnish_tree(tree):
    """The shared test tree with pages whose words come in many forms, then indexed."""
    video = tree["chair"].video
    exercises, food, digi = tree["topics"]
    porridge = tree["porridge"]
    porridge.title = "Kaurapuuro marjoilla"
    porridge.save_revision().publish()
    publish(
        exercises,
        ExercisePage(
            title="Käsien venyttely",
            slug="kasien-venyttely",
            summary="Venyttele rauhallisesti istuen.",
            video=video,
            position="seated",
        ),
    )
    publish(
        exercises,
        ExercisePage(
            title="Jalkojen jumppa",
            slug="jalkojen-jumppa",
            summary="Liikettä istuen.",
            video=video,
            position="seated",
        ),
    )
    for title, slug, summary in [
        ("Keitetty kananmuna", "keitetty-kananmuna", "Kovaksi keitetty aamupala."),
        ("Kananmunavoileipä", "kananmunavoileipa", "Nopea välipala."),
    ]:
        publish(food, RecipePage(title=title, slug=slug, summary=summary, servings=1))
    publish(
        digi,
        GuidePage(
            title="Tabletti tutuksi",
            slug="tabletti",
            summary="Ensimmäiset askeleet.",
            device="tablet",
        ),
    )
    # A Swedish page with Swedish words (the rest of the Swedish tree is "<Finnish> (sv)").
    swedish = porridge.get_translation(Locale.objects.get(language_code="sv"))
    swedish.title = "Havregrynsgröt"
    swedish.summary = "Gröt av havregryn med bär."
    swedish.save_revision().publish()
    call_command("update_index", verbosity=0)
    return tree


def failed_finnish_cases(client):
    """The cases whose results miss an expected title or hold an unexpected one."""
    failures = []
    for query, expected, unexpected in FINNISH_CASES:
        found = titles(client.get("/fi/search/", {"q": query}))
        if not found >= expected or found & unexpected:
            failures.append((query, sorted(found)))
    return failures


@pytest.mark.django_db
def test_finnish_forms_find_pages(client, finnish_tree):
    """One test for every case: building and indexing the tree is the slow part."""
    assert failed_finnish_cases(client) == []


@pytest.mark.django_db
def test_an_unrelated_word_finds_nothing(client, finnish_tree):
    # "aura" is inside "kaurapuuro", but not one of its words or parts.
    assert titles(client.get("/fi/search/", {"q": "aura"})) == set()
    assert titles(client.get("/fi/search/", {"q": "kuu"})) == set()


@pytest.mark.django_db
def test_whole_words_rank_before_prefix_matches(client, finnish_tree):
    response = client.get("/fi/search/", {"q": "kananmuna"})
    found = [page.title for page in response.context["result_pages"]]
    assert found[:2] == ["Keitetty kananmuna", "Kananmunavoileipä"]


@pytest.mark.django_db
def test_swedish_gets_prefix_matching(client, finnish_tree):
    assert "Havregrynsgröt" in titles(client.get("/sv/search/", {"q": "havre"}))
    assert "Havregrynsgröt" in titles(client.get("/sv/search/", {"q": "grö"}))
    assert "Havregrynsgröt" in titles(client.get("/sv/search/", {"q": "havregryn bär"}))
    assert "Havregrynsgröt" not in titles(client.get("/sv/search/", {"q": "soppa"}))
    # Finnish visitors do not get Swedish pages.
    assert "Havregrynsgröt" not in titles(client.get("/fi/search/", {"q": "havre"}))


@pytest.mark.django_db
def test_only_finnish_pages_get_base_forms(finnish_tree):
    from library.search.fields import BaseFormsField

    field = BaseFormsField()
    finnish_page = finnish_tree["porridge"]
    swedish_page = finnish_page.get_translation(Locale.objects.get(language_code="sv"))
    assert {"kaura", "puuro", "marja"} <= set(field.get_value(finnish_page).split())
    assert field.get_value(swedish_page) == ""


def test_base_forms_and_compound_parts():
    assert finnish.base_forms("jumpat") == {"jumppa"}
    assert finnish.base_forms("Käsien") == {"käsi"}
    assert finnish.base_forms("kuusi") == {"kuusi"}  # not "kuu" + a possessive suffix
    assert set(finnish.index_text("Kaurapuuro marjoilla").split()) >= {
        "kaurapuuro",
        "kaura",
        "puuro",
        "marja",
    }
    parts = set(finnish.index_text("videopuhelu kananmunavoileipä").split())
    assert parts >= {"video", "puhelu", "kana", "muna", "voi", "leipä"}
    # Words Voikko does not know are kept as they are.
    assert finnish.index_text("WhatsApp xyzzy").split()[-1] == "xyzzy"


def test_without_voikko_search_words_stay_plain(monkeypatch, caplog):
    """If libvoikko or its dictionary is missing, words pass through and a warning is logged."""
    import libvoikko

    def broken(*args, **kwargs):
        raise OSError("libvoikko.so.1: cannot open shared object file")

    caches = [finnish._voikko, finnish._analyses, finnish.base_forms, finnish.index_forms]
    for cache in caches:
        cache.cache_clear()
    monkeypatch.setattr(libvoikko, "Voikko", broken)
    try:
        with caplog.at_level(logging.WARNING, logger="library.search.finnish"):
            assert finnish.base_forms("jumpat") == {"jumpat"}
            assert finnish.index_text("Käsien jumppa") == "käsien jumppa"
        assert "Voikko is not available" in caplog.text
    finally:
        monkeypatch.undo()
        for cache in caches:
            cache.cache_clear()
    assert finnish.base_forms("jumpat") == {"jumppa"}


@pytest.mark.postgres
@pytest.mark.django_db
def test_finnish_search_on_postgresql(client, finnish_tree):
    from django.db import connection

    assert connection.vendor == "postgresql"
    assert failed_finnish_cases(client) == []
    assert titles(client.get("/fi/search/", {"q": "aura"})) == set()
    assert "Havregrynsgröt" in titles(client.get("/sv/search/", {"q": "havre"}))
    assert "Havregrynsgröt" in titles(client.get("/sv/search/", {"q": "grö"}))
    assert "Havregrynsgröt" not in titles(client.get("/fi/search/", {"q": "havre"}))
