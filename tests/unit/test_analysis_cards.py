"""Issue 11's failure classes, each on invented sentences in both languages.

What a reader sees on a card must name the right speaker with the right words; every test
here is one class of construction (never one article), varied in wording and language.
"""

from __future__ import annotations

import pytest

from bot.analysis import analyze
from bot.models import Analysis, Claim
from tests.helpers_gold import claim_containing


def _attributed(a: Analysis) -> list[Claim]:
    return [c for c in a.claims if c.speaker is not None]


def _speaker_of(a: Analysis, fragment: str) -> str | None:
    c = claim_containing(a, fragment)
    return c.speaker.name if c.speaker is not None else None


# ---- split quotations: "“A,” she said. “B.”" is one statement -----------------------------


@pytest.mark.parametrize(
    ("text", "first", "second", "name"),
    [
        (
            "“The cracks are wider than we feared,” said county engineer Ruth Abara. “We will "
            "not take chances with a bridge this old.”",
            "cracks are wider",
            "not take chances",
            "Ruth Abara",
        ),
        (
            '"We gave the growers six weeks of notice," Dana Reyes said, "and they chose not '
            'to answer."',
            "six weeks of notice",
            "chose not to answer",
            "Dana Reyes",
        ),
        (
            "“Kami sudah menambah dosis penjernih,” kata Bambang Hermawan. “Air akan jernih "
            "lagi dalam tiga hari.”",
            "menambah dosis penjernih",
            "jernih lagi dalam tiga hari",
            "Bambang Hermawan",
        ),
        (
            "“Sudah tiga tahun dijanjikan,” ujar Hendro Gunawan, “tetapi belum ada satu meter "
            "pun yang dibangun.”",
            "tiga tahun dijanjikan",
            "belum ada satu meter",
            "Hendro Gunawan",
        ),
    ],
)
def test_split_quote_is_one_claim(text: str, first: str, second: str, name: str) -> None:
    a = analyze(text)
    claims = _attributed(a)
    assert len(claims) == 1, [c.text for c in claims]
    assert first in claims[0].text
    assert second in claims[0].text
    assert claims[0].speaker is not None
    assert claims[0].speaker.name == name
    assert claims[0].direct


def test_quotes_in_two_paragraphs_stay_two_claims() -> None:
    text = (
        "“We will not sell the farm,” said Ana Ruiz.\n\n"
        "“Our family has worked this land for a century.”"
    )
    claims = _attributed(analyze(text))
    assert len(claims) == 2
    assert {c.speaker.name for c in claims if c.speaker} == {"Ana Ruiz"}
