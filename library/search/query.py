"""Turning what a visitor types into a search over pages, in Finnish and in other languages."""

from wagtail.search.query import And, Or, PlainText

from library.search import finnish

MAX_WORDS = 12
MAX_RESULTS = 500


def build_query(query_string: str, language_code: str):
    """A Wagtail search query for the visitor's words, or None if there are none.

    Every word must match. In Finnish a word matches in any of its base forms ("jumpat" ->
    "jumppa"), which the index holds for every word of a Finnish page (with compound parts),
    or as typed.
    """
    words = list(dict.fromkeys(finnish.words(query_string)))[:MAX_WORDS]
    if not words:
        return None
    in_finnish = language_code.split("-")[0] == "fi"
    clauses = []
    for word in words:
        alternatives = {word, *finnish.base_forms(word)} if in_finnish else {word}
        terms = [PlainText(alternative) for alternative in sorted(alternatives)]
        clauses.append(terms[0] if len(terms) == 1 else Or(terms))
    return clauses[0] if len(clauses) == 1 else And(clauses)


def search_pages(queryset, query_string: str, language_code: str) -> list:
    """Pages matching the words (best first), then pages whose title or summary has words
    starting with them (partial words, and Swedish, which has no base forms here)."""
    query = build_query(query_string, language_code)
    if query is None:
        return []
    found = list(queryset.search(query)[:MAX_RESULTS])
    seen = {page.pk for page in found}
    words = " ".join(finnish.words(query_string)[:MAX_WORDS])
    for page in queryset.autocomplete(words)[:MAX_RESULTS]:
        if page.pk not in seen:
            seen.add(page.pk)
            found.append(page)
    return found
