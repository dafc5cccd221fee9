"""The seed article against its gold analysis: the product reference, checked generically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.analysis import analyze, text_fits_span
from bot.core.models import Analysis, Claim

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED = FIXTURES / "seed-id-wsj-buyback.txt"
GOLD = json.loads((FIXTURES / "seed-id-wsj-buyback.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyze(SEED.read_text(encoding="utf-8"))


def _find(analysis: Analysis, fragment: str) -> Claim | None:
    """The predicted claim whose text contains the gold fragment (the shortest such claim)."""
    hits = [c for c in analysis.claims if fragment.lower() in c.text.lower()]
    return min(hits, key=lambda c: len(c.text)) if hits else None


def _names(gold: dict[str, Any]) -> set[str]:
    return {n.lower() for n in [gold["speaker"], *gold.get("aliases", [])]}


ATTRIBUTED = [g for g in GOLD["claims"] if g["speaker"] is not None]
UNATTRIBUTED = [g for g in GOLD["claims"] if g["speaker"] is None]


def test_language_and_offsets(analysis: Analysis) -> None:
    text = SEED.read_text(encoding="utf-8")
    assert analysis.language == GOLD["language"]
    for c in analysis.claims:
        assert text_fits_span(text, c)
        assert 0.0 <= c.score <= 1.0
        if c.speaker is not None and c.speaker.mention_start is not None:
            assert c.speaker.mention_end is not None
            assert c.speaker.mention_start < c.speaker.mention_end


@pytest.mark.parametrize("gold", ATTRIBUTED, ids=[g["text_contains"][:30] for g in ATTRIBUTED])
def test_gold_claim(analysis: Analysis, gold: dict[str, Any]) -> None:
    claim = _find(analysis, gold["text_contains"])
    assert claim is not None, f"no claim contains {gold['text_contains']!r}"
    assert claim.speaker is not None, "claim has no speaker"
    assert claim.speaker.name.lower() in _names(gold), claim.speaker.name
    gold_via = [v.lower() for v in gold.get("via", [])]
    assert [v.lower() for v in claim.via] == gold_via
    assert claim.direct == gold["direct"]
    assert claim.stance == gold["stance"]
    if gold.get("speaker_role"):
        assert claim.speaker.role == gold["speaker_role"]
    if gold.get("told_to"):
        assert claim.told_to == gold["told_to"]


@pytest.mark.parametrize("gold", UNATTRIBUTED, ids=[g["text_contains"][:30] for g in UNATTRIBUTED])
def test_no_invented_speaker(analysis: Analysis, gold: dict[str, Any]) -> None:
    for c in analysis.claims:
        if gold["text_contains"].lower() in c.text.lower():
            assert c.speaker is None, f"invented speaker {c.speaker.name!r}"


def test_headline_is_title_and_claim(analysis: Analysis) -> None:
    assert analysis.title is not None
    assert analysis.title.endswith(": " + GOLD["headline_source"])
    head = [c for c in analysis.claims if c.cue is None and c.speaker is not None]
    assert head
    assert head[0].speaker is not None
    assert head[0].speaker.name.lower() in {"wsj", "wall street journal"}
