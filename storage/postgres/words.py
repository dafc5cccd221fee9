"""Words in and out of PostgreSQL's full-text types, built here rather than by its parser.

PostgreSQL's text-search parser splits words by the database's locale, which a managed
server chooses; building the ``tsvector`` and ``tsquery`` values from
:func:`storage.text.search_words` makes both engines index and search exactly the same
words (the ``simple`` configuration's job: no stemming, no stop words), whatever the locale.
"""

from __future__ import annotations

from collections.abc import Iterable

from storage.text import search_words


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(words: Iterable[str]) -> str:
    """A position-less ``tsvector`` literal of these words (distinct, any order)."""
    return " ".join(_lexeme(w) for w in dict.fromkeys(words))


def term_words(term: str) -> list[str]:
    """The index words of one query term ("Café" -> ["cafe"]; rarely several)."""
    return search_words(term)


def term_query(words: list[str]) -> str:
    """A ``tsquery`` literal requiring every word (rows hold no positions, so a term that
    folds to several words asks for all of them)."""
    return " & ".join(_lexeme(w) for w in words)
