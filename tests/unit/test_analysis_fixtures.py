"""The analyzer against hand-annotated invented articles (tests/fixtures/articles/).

Every ``NAME.txt`` has a ``NAME.gold.json`` in the seed article's format; the checker is
``tests/helpers_gold.py``. The floor is an aggregate over all fixtures, not per article: the
analyzer must generalize, so it is never tuned to these texts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.models import Analysis, Claim, Speaker
from tests.helpers_gold import (
    card_right,
    fixture_paths,
    format_table,
    load_fixture,
    norm,
    score_article,
    totals,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
FULLY_RIGHT_FLOOR = 0.85
CARD_PRECISION_FLOOR = 0.85
STANCES = {"asserts", "claims", "denies", "accuses", "declines_comment", "unverified"}
KINDS = {"person", "organization", "outlet", "group", "anonymous"}


def test_fixtures_are_well_formed() -> None:
    paths = fixture_paths(FIXTURES)
    languages = [load_fixture(p)[1]["language"] for p in paths]
    assert languages.count("id") >= 6
    assert languages.count("en") >= 6
    for path in paths:
        text, gold = load_fixture(path)
        folded = norm(text)
        assert gold["claims"], path.name
        for entry in gold["claims"]:
            where = f"{path.name}: {entry['text_contains']!r}"
            assert norm(entry["text_contains"]) in folded, where
            if entry["speaker"] is None:
                continue
            assert entry["stance"] in STANCES, where
            assert entry["speaker_kind"] in KINDS, where
            assert isinstance(entry["direct"], bool), where
            assert isinstance(entry["via"], list), where
            if entry.get("mention"):
                assert norm(entry["mention"]) in folded, where


def test_analyzer_meets_the_aggregate_floor_on_fixtures() -> None:
    from bot.analysis import analyze

    reports = []
    for path in fixture_paths(FIXTURES):
        text, gold = load_fixture(path)
        name = path.name.removesuffix(".txt")
        reports.append(score_article(name, text, analyze(text), gold))
    t = totals(reports)
    table = format_table(reports)
    if t.rate < FULLY_RIGHT_FLOOR or t.null_right < t.null_entries:
        pytest.fail(
            f"{t.right}/{t.entries} gold entries fully right ({t.rate:.1%}, floor "
            f"{FULLY_RIGHT_FLOOR:.0%}); null-speaker entries kept speaker-less "
            f"{t.null_right}/{t.null_entries} (must be all)\n{table}",
            pytrace=False,
        )


def test_cards_on_fixtures_name_the_right_speaker_with_the_right_words() -> None:
    """Card precision (issue 11): of the key claims a card shows, the share that carry an
    annotated statement with its speaker; and most articles with a named source get a card."""
    from bot.analysis import analyze

    right = shown = with_card = with_sources = 0
    misses = []
    for path in fixture_paths(FIXTURES):
        text, gold = load_fixture(path)
        a = analyze(text)
        r, n = card_right(a, gold)
        right, shown = right + r, shown + n
        if any(e.get("speaker") for e in gold["claims"]):
            with_sources += 1
            with_card += n > 0
        if r < n:
            misses.append(path.name)
    assert shown
    precision = right / shown
    assert precision >= CARD_PRECISION_FLOOR, (precision, misses)
    assert with_card >= 0.9 * with_sources


# The checker itself, on a tiny invented article and hand-built analyses.

_TEXT = (
    "Mayor Lina Ortez said the bridge would reopen in May. "
    "She blamed the contractor for the delay. "
    "The bridge carries 9,000 cars a day."
)
_GOLD = {
    "language": "en",
    "claims": [
        {
            "text_contains": "bridge would reopen in May",
            "speaker": "Lina Ortez",
            "aliases": ["Ortez"],
            "speaker_kind": "person",
            "speaker_role": "Mayor",
            "cue": "said",
            "via": [],
            "direct": False,
            "stance": "asserts",
        },
        {
            "text_contains": "contractor for the delay",
            "speaker": "Lina Ortez",
            "aliases": ["Ortez"],
            "speaker_kind": "person",
            "cue": "blamed",
            "via": [],
            "direct": False,
            "stance": "accuses",
            "mention": "She",
        },
        {"text_contains": "carries 9,000 cars a day", "speaker": None},
    ],
}


def _claim(fragment: str, speaker: Speaker | None, **kw: object) -> Claim:
    start = _TEXT.index(fragment)
    return Claim(text=fragment, start=start, end=start + len(fragment), speaker=speaker, **kw)


def _ortez(mention: str = "Lina Ortez", role: str | None = "Mayor") -> Speaker:
    i = _TEXT.index(mention)
    return Speaker(
        name="Lina Ortez", kind="person", role=role, mention_start=i, mention_end=i + len(mention)
    )


def test_checker_accepts_a_correct_analysis() -> None:
    analysis = Analysis(
        language="en",
        claims=[
            _claim("the bridge would reopen in May", _ortez()),
            _claim("the contractor for the delay", _ortez("She"), stance="accuses"),
            _claim("The bridge carries 9,000 cars a day.", None),
        ],
    )
    report = score_article("t", _TEXT, analysis, json.loads(json.dumps(_GOLD)))
    assert [e.problems for e in report.entries] == [[], [], []]


def test_checker_reports_each_kind_of_error() -> None:
    analysis = Analysis(
        language="en",
        claims=[
            _claim("the bridge would reopen in May", _ortez(role=None), direct=True),
            _claim("the contractor for the delay", _ortez()),
            _claim("The bridge carries 9,000 cars a day.", _ortez()),
        ],
    )
    report = score_article("t", _TEXT, analysis, _GOLD)
    problems = [e.problems for e in report.entries]
    assert problems[0] == ["direct True", "role None"]
    assert problems[1] == ["stance asserts", "mention 'Lina Ortez'"]
    assert problems[2] == ["null-speaker entry given speaker 'Lina Ortez'"]
    t = totals([report])
    assert (t.right, t.entries, t.null_right, t.null_entries) == (0, 3, 0, 1)
    assert "TOTAL 0/3" in format_table([report])


def test_checker_matches_via_through_aliases() -> None:
    text = "Two officials told the Courier the plant would close, the Tribune reported."
    gold = {
        "claims": [
            {
                "text_contains": "plant would close",
                "speaker": "two officials",
                "aliases": [],
                "speaker_kind": "anonymous",
                "cue": "told",
                "via": ["Harbor Courier"],
                "told_to": "Harbor Courier",
                "direct": False,
                "stance": "asserts",
            },
            {
                "text_contains": "plant would close",
                "speaker": "Harbor Courier",
                "aliases": ["the Courier"],
                "speaker_kind": "outlet",
                "cue": "x",
                "via": [],
                "direct": False,
                "stance": "asserts",
            },
        ]
    }
    start = text.index("the plant")
    claim = Claim(
        text="the plant would close",
        start=start,
        end=start + 21,
        speaker=Speaker(name="Two officials", kind="anonymous"),
        via=["Courier"],
        told_to="the Courier",
    )
    report = score_article("t", text, Analysis(language="en", claims=[claim]), gold)
    assert report.entries[0].ok
    assert not report.entries[1].ok  # wrong speaker for the second entry
