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


# ---- circumstances after a clause-final cue are never the content ---------------------------


@pytest.mark.parametrize(
    ("text", "quote", "tail"),
    [
        (
            '"We made mistakes, and I apologise for them," County Recorder Helen Marsh said '
            "during a long and angry hearing in the state capital after the vote.",
            "We made mistakes",
            "during a long and angry hearing",
        ),
        (
            '"The bullying has to stop," the moderator Chris Wall said, as the crowd cheered.',
            "The bullying has to stop",
            "as the crowd cheered",
        ),
        (
            "“Tidak ada korban jiwa,” kata Hadi Wibisono saat ditemui di lokasi kejadian setelah "
            "rapat koordinasi bersama camat dan kepala desa.",
            "Tidak ada korban jiwa",
            "saat ditemui di lokasi",
        ),
    ],
)
def test_tail_after_final_cue_is_no_content(text: str, quote: str, tail: str) -> None:
    claims = _attributed(analyze(text))
    assert len(claims) == 1, [c.text for c in claims]
    assert quote in claims[0].text
    assert tail not in claims[0].text


def test_nothing_before_the_speaker_keeps_the_clause_after_the_cue() -> None:
    c = claim_containing(
        analyze("The mayor said on Monday night the tunnel would reopen."), "tunnel"
    )
    assert c.speaker is not None
    assert c.text.endswith("the tunnel would reopen")


# ---- cue + clause: the reported clause is the content, not the adjuncts before it -----------


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "The dockers' union said on Monday, after talks with the port authority broke down "
            "over night-shift pay, that its members would stop work.",
            "its members would stop work",
        ),
        (
            "Senator Ruth Kale told reporters in the capital late on Friday, during a break in "
            "the budget debate, that the levy would be dropped.",
            "the levy would be dropped",
        ),
        (
            "The mayor said on Monday night the tunnel would reopen in May.",
            "the tunnel would reopen in May",
        ),
        (
            "Ketua Organda, Yohanes Saragih, mengatakan pada Senin pagi, setelah pertemuan dengan "
            "dinas perhubungan berakhir tanpa kesepakatan, bahwa mogok akan berlanjut.",
            "mogok akan berlanjut",
        ),
        (
            "Bupati Selat Biru menyatakan kemarin sore di kantornya, seusai rapat dengan para "
            "camat, bahwa izin tambang akan ditinjau ulang.",
            "izin tambang akan ditinjau ulang",
        ),
    ],
)
def test_content_is_the_reported_clause(text: str, content: str) -> None:
    claims = _attributed(analyze(text))
    assert len(claims) == 1, [c.text for c in claims]
    assert claims[0].text == content


def test_a_relative_that_inside_the_content_is_no_complementizer() -> None:
    text = "The minister said the plan that the council rejected would cost 4 million dollars."
    claims = _attributed(analyze(text))
    assert claims[0].text.startswith("the plan that the council rejected")
