"""Segmentation and quote spans, on invented sentences."""

from __future__ import annotations

import pytest

from bot.analysis.lang import PACKS
from bot.analysis.quotes import find_quotes
from bot.analysis.segment import split_units

ABBR_EN = PACKS["en"].pack.abbreviations
ABBR_ID = PACKS["id"].pack.abbreviations


def _units(text: str, abbr: frozenset[str] = ABBR_EN) -> list[str]:
    return [text[u.start : u.end] for u in split_units(text, find_quotes(text), abbr)]


def test_sentences_with_offsets_and_abbreviations() -> None:
    text = "Dr. Lina Osei met Sen. Park in the U.S. capital. They talked.\n\nLater, rain fell."
    assert _units(text) == [
        "Dr. Lina Osei met Sen. Park in the U.S. capital.",
        "They talked.",
        "Later, rain fell.",
    ]


def test_indonesian_abbreviation_and_initial() -> None:
    text = "Menurut dr. Sari, hujan turun. Pak B. Hartono setuju."
    assert _units(text, ABBR_ID) == ["Menurut dr. Sari, hujan turun.", "Pak B. Hartono setuju."]


def test_paragraph_indices() -> None:
    text = "One. Two.\n\nThree."
    units = split_units(text, find_quotes(text), ABBR_EN)
    assert [u.para for u in units] == [0, 0, 1]


def test_no_split_inside_multi_sentence_quote() -> None:
    text = "“The pier is old. It will close. We have no money,” the clerk said. Boats left."
    assert _units(text) == [
        "“The pier is old. It will close. We have no money,” the clerk said.",
        "Boats left.",
    ]


@pytest.mark.parametrize(
    ("opener", "closer"),
    [("“", "”"), ('"', '"'), ("«", "»"), ("‘", "’"), ("''", "''"), ("”", "”")],
)
def test_quote_styles(opener: str, closer: str) -> None:
    text = f"She said: {opener}Trains run late{closer} and left."
    quotes = find_quotes(text)
    assert len(quotes) == 1
    q = quotes[0]
    assert text[q.inner_start : q.inner_end] == "Trains run late"


def test_apostrophes_are_not_quotes() -> None:
    assert find_quotes("It’s the mayor’s plan, and Jum’at is a day.") == []


def test_quote_continued_into_next_paragraph() -> None:
    text = "“First part of the speech.\n\n“Second part,” the chief said."
    quotes = find_quotes(text)
    assert len(quotes) == 2
    assert quotes[0].continued
    assert not quotes[1].continued
    assert text[quotes[1].inner_start : quotes[1].inner_end] == "Second part,"


def test_displaced_opening_mark_from_a_detokenizer() -> None:
    # the opening mark glued to the end of the previous line, written as a closing mark
    text = "Harga naik.”\nKami kaget.\nSemua kaget,” kata Budi."
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert text[quotes[0].inner_start : quotes[0].inner_end].strip() == "Kami kaget.\nSemua kaget,"
