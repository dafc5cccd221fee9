"""Pure helpers of the storage layer: speaker keys and the FTS5 query builder."""

from __future__ import annotations

import sqlite3

import pytest

from storage.migrations import FTS_TOKENIZE
from storage.text import fts_match_query, name_key, strip_diacritics


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


def test_match_query_quotes_and_ors_tokens() -> None:
    assert fts_match_query("Kata siapa?") == '"kata" OR "siapa"'


def test_match_query_deduplicates_and_caps_terms() -> None:
    assert fts_match_query("a b a c b", max_terms=2) == '"a" OR "b"'


@pytest.mark.parametrize("query", ["", "   ", "🙈🙉🙊", '""', "***", "-:()", "—…"])
def test_match_query_without_words_is_none(query: str) -> None:
    assert fts_match_query(query) is None


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
def test_match_query_is_valid_fts5_for_hostile_text(query: str) -> None:
    """Whatever the user typed, the expression parses in a real FTS5 table."""
    match = fts_match_query(query)
    assert match is not None
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE VIRTUAL TABLE t USING fts5 (body, tokenize = '{FTS_TOKENIZE}')")
        conn.execute("INSERT INTO t (body) VALUES (?)", (query,))
        rows = conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,)).fetchall()
    finally:
        conn.close()
    assert rows == [(1,)]  # and the text matches itself
