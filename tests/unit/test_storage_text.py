"""Pure helpers of the storage layer: speaker keys, and FTS5 quoting of any user word."""

from __future__ import annotations

import sqlite3

import pytest

from bot.core.textnorm import tokens
from storage.migrations import FTS_TOKENIZE
from storage.search import fts_phrase
from storage.text import name_key, strip_diacritics


def test_strip_diacritics_folds_accents() -> None:
    assert strip_diacritics("Dédé Müller Ñoño") == "Dede Muller Nono"


@pytest.mark.parametrize(
    "variant",
    ["Sri Mulyani", "  sri   MULYANI ", "Sri Mulyani.", "SRÍ MÜLYANI", "Sri\u00a0Mulyani"],
)
def test_name_key_folds_case_diacritics_punctuation_whitespace(variant: str) -> None:
    assert name_key(variant) == "sri mulyani"


def test_name_key_keeps_different_people_apart() -> None:
    assert name_key("Sri Mulyani") != name_key("Sri Mulyani Indrawati")
    assert name_key("...") == ""


@pytest.mark.parametrize(
    "query",
    [
        'NEAR("a" "b", 2)',
        "title:foo AND bar*",
        "-minus ^caret (paren",
        "x'; DROP TABLE articles; --",
        'unbalanced "quote',
        "OR AND NOT",
        "kata siapa\u200b\u0007",
        "Ångström café naïve ß",
    ],
)
def test_quoted_terms_are_valid_fts5_for_hostile_text(query: str) -> None:
    """Whatever the user typed, the OR of its quoted words parses in a real FTS5 table."""
    terms = tokens(query)
    assert terms
    match = " OR ".join(map(fts_phrase, terms))
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE VIRTUAL TABLE t USING fts5 (body, tokenize = '{FTS_TOKENIZE}')")
        conn.execute("INSERT INTO t (body) VALUES (?)", (query,))
        rows = conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,)).fetchall()
    finally:
        conn.close()
    assert rows == [(1,)]  # and the text matches itself
