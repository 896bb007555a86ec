"""Finnish base forms and compound parts, from Voikko (libvoikko + the voikko-fi dictionary).

"Kaurapuurolla" becomes {"kaurapuuro", "kaura", "puuro"}, "käsien" becomes {"käsi"}. Words
Voikko does not know stay as they are (lowercased). Without Voikko (library or dictionary
missing) every function still answers, with the words unchanged, and a warning is logged once.
"""

import logging
import re
import threading
from functools import lru_cache

logger = logging.getLogger(__name__)

WORD = re.compile(r"\w+")
# One morpheme in Voikko's WORDBASES: "+kanan(kana)", or "tel(+ellä)" continuing a derivation.
MORPHEME = re.compile(r"(\+?)([^+(]*)\(([^)]*)\)")
MAX_WORD_LENGTH = 60

_lock = threading.Lock()  # a Voikko handle must not be used by two threads at once


@lru_cache(maxsize=1)
def _voikko():
    """The shared Voikko handle for Finnish, or None (logged once) if it cannot be loaded."""
    try:
        from libvoikko import Voikko

        return Voikko("fi")
    except (ImportError, OSError, Exception) as error:  # libvoikko raises a bare Exception
        logger.warning(
            "Voikko is not available (%s): Finnish search falls back to plain words. "
            "Install libvoikko1 and voikko-fi (make setup).",
            error,
        )
        return None


def available() -> bool:
    return _voikko() is not None


def words(text: str) -> list[str]:
    """The words of `text`, lowercased, as the search index splits them."""
    return [word.lower() for word in WORD.findall(text or "")]


@lru_cache(maxsize=20_000)
def _analyses(word: str) -> tuple[tuple[str, str], ...]:
    """(base form, word bases) for each of Voikko's readings of one lowercased word."""
    voikko = _voikko()
    if voikko is None or len(word) > MAX_WORD_LENGTH:
        return ()
    with _lock:
        analyses = voikko.analyze(word)
    # A word read both with and without a possessive suffix ("kuusi": six, or "kuu" + "-si",
    # your moon) is almost always meant without: fewer surprising matches.
    plain = [a for a in analyses if not a.get("POSSESSIVE")]
    return tuple(
        (a["BASEFORM"].lower(), a.get("WORDBASES", ""))
        for a in plain or analyses
        if a.get("BASEFORM")
    )


def _compound_parts(baseform: str, wordbases: str) -> list[str]:
    """The parts of a compound in their base forms, and the shorter compounds inside it:
    "kananmunavoileipä" -> kana, muna, voi, leipä, kananmuna, munavoi, voileipä, ...

    A part is a morpheme starting with "+" whose base is a word; derivational suffixes
    ("+u" in "puhel(puhella)+u(+u)") stay with the part they belong to.
    """
    segments: list[list[tuple[str, str]]] = []
    for plus, surface, base in MORPHEME.findall(wordbases):
        if plus and not base.startswith("+") or not segments:
            segments.append([])
        segments[-1].append((surface.lower(), base.lower()))
    if len(segments) < 2:
        return []
    # Each part as written inside the compound ("kanan") and as a word of its own ("kana").
    surfaces = ["".join(s for s, _ in segment) for segment in segments]
    bases = [
        segment[0][1] if len(segment) == 1 else surfaces[i] for i, segment in enumerate(segments)
    ]
    prefix = "".join(surfaces[:-1])
    bases[-1] = baseform[len(prefix) :] if baseform.startswith(prefix) else surfaces[-1]
    parts = []
    for first in range(len(segments)):
        for last in range(first, len(segments)):
            if (first, last) != (0, len(segments) - 1):
                parts.append("".join(surfaces[first:last]) + bases[last])
    return [part for part in parts if part]


@lru_cache(maxsize=20_000)
def base_forms(word: str) -> frozenset[str]:
    """Every base form one word may have, for a query: "jumpat" -> {"jumppa"}.

    Unknown words (and every word without Voikko) answer with themselves.
    """
    word = word.lower()
    found = {baseform for baseform, _ in _analyses(word)}
    return frozenset(found or {word})


@lru_cache(maxsize=20_000)
def index_forms(word: str) -> frozenset[str]:
    """Base forms and compound parts of one word, for the index: "kaurapuurolla" ->
    {"kaurapuuro", "kaura", "puuro"}."""
    word = word.lower()
    found = set()
    for baseform, wordbases in _analyses(word):
        found.add(baseform)
        found.update(_compound_parts(baseform, wordbases))
    return frozenset(found or {word})


def index_text(text: str) -> str:
    """The base forms and compound parts of every word in `text`, each once, space-separated."""
    seen: dict[str, None] = {}
    for word in words(text):
        for form in sorted(index_forms(word)):
            seen.setdefault(form, None)
    return " ".join(seen)
