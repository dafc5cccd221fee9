"""Answer rendering: escaping of article-derived text, summaries, callback data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.models import (
    Article,
    AskResult,
    Demand,
    ForwardOrigin,
    MatchHit,
    Provenance,
    Speaker,
    StoredClaim,
)
from handlers import render
from tests.helpers.botapi_rules import parse_html


def claim(
    text: str, name: str | None = None, kind: str = "person", role: str | None = None, **kw: object
) -> StoredClaim:
    speaker = Speaker(name=name, kind=kind, role=role) if name else None  # type: ignore[arg-type]
    return StoredClaim(
        id=1,
        article_id=1,
        text=text,
        start=0,
        end=len(text),
        speaker=speaker,
        **kw,  # type: ignore[arg-type]
    )


def article(claims: list[StoredClaim], **kw: object) -> Article:
    values: dict[str, object] = {
        "id": 9,
        "title": "<b>Headline</b> & more",
        "text": "x",
        "outlet": "Outlet <i>",
        "language": "en",
        "provenance": Provenance.IMPORT,
        "content_hash": "h",
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        "url": "https://example.org/a?b=1&c=<2>",
    }
    values.update(kw)
    return Article(claims=claims, **values)  # type: ignore[arg-type]


def test_everything_article_derived_is_escaped_and_parses() -> None:
    hostile = claim('<a href="x">click</a> & </b>', name="Dr. <script>", role="<role>", key=True)
    card = render.article_card(
        "en",
        article([hostile]),
        demand=Demand(
            times=3,
            users=2,
            first_origin=ForwardOrigin(type="channel", username="ch<1>", title="t", message_id=5),
        ),
        score=91.4,
    )
    [message] = card.chunks
    plain, _ = parse_html(message)  # the stand-in's strict parser: raises on bad markup
    assert '<a href="x">click</a> & </b>' in plain
    assert "Dr. <script> (<role>)" in plain
    assert "<b>Headline</b> & more" in plain
    assert "Found in the archive (91% similar)" in plain
    assert "Sent to Kata Siapa 3 times by 2 people." in plain


def test_sourcing_summary_counts_named_anonymous_via_and_stances() -> None:
    claims = [
        claim("a", name="Ana"),
        claim("b", name="ana", stance="denies"),
        claim("c", name="Budi", stance="declines_comment"),
        claim("d", name="three people", kind="anonymous", via=["WSJ"]),
        claim("e", name="a source", kind="anonymous", via=["WSJ"], stance="unverified"),
        claim("f"),
    ]
    line = render.sourcing_summary("en", claims)
    assert line == (
        "6 claims: 2 named sources, 2 anonymous via WSJ; 1 denials, 1 declined to comment, "
        "1 not independently verified"
    )
    assert render.sourcing_summary("id", claims[:1]) == "1 klaim: 1 narasumber bernama"


def test_user_submissions_are_labelled_unverified() -> None:
    [message] = render.article_card("en", article([], provenance=Provenance.USER)).chunks
    assert "User submission: not verified" in parse_html(message)[0]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("all:12", render.Callback("all", 12, 0)),
        ("all:12:3", render.Callback("all", 12, 3)),
        ("src:1", render.Callback("src", 1, 0)),
        ("open:99999999999", render.Callback("open", 99999999999, 0)),
        ("nope:1", None),
        ("all:x", None),
        ("all:0", None),
        ("all:1:-2", None),
        ("all", None),
        (None, None),
        ("all:1:2:3", None),
        ("open:" + "9" * 25, None),  # no OverflowError downstream
        ("open:9999999999999999999", None),  # over SQLite's largest integer
        ("lang:en", render.Callback("lang", arg="en")),
        ("lang:xx", None),
        ("dg:unsub", render.Callback("dg", arg="unsub")),
        ("dg:at:0830", render.Callback("dg", arg="at:0830")),
        ("dg:at:2460", None),
        ("dg:more:20261202", render.Callback("dg", arg="more:20261202")),
        ("dg:more:2026", None),
        ("dg:drop", None),
    ],
)
def test_parse_callback(data: str | None, expected: render.Callback | None) -> None:
    assert render.parse_callback(data) == expected


def test_callback_data_round_trips_and_fits() -> None:
    data = render.callback_data(render.ACTION_ALL, 2**62, 10**6)
    assert len(data.encode()) <= 64
    assert render.parse_callback(data) == render.Callback("all", 2**62, 10**6)


def test_who_said_warns_about_conflicting_attributions() -> None:
    hits = [
        MatchHit(article_id=i, score=97, title=f"T{i}", claims=[claim("same words", name=n)])
        for i, n in ((1, "Ana"), (2, "Budi"))
    ]
    result = AskResult(
        kind="quote", outcome="match", results=hits, speakers=["Ana", "Budi"], misattribution=True
    )
    [message] = render.who_said("id", result).chunks
    plain = parse_html(message)[0]
    assert plain.startswith("Ditemukan di 2 artikel")
    assert "Atribusi bertentangan" in plain
    assert "(Ana, Budi)" in plain


def test_all_claims_pages() -> None:
    claims = [claim(f"claim {i}", name="Ana") for i in range(20)]
    first = render.all_claims("en", article(claims), 1)
    assert "page 1 of 3" in parse_html(first.chunks[0])[0]
    assert first.keyboard is not None
    labels = [b.text for row in first.keyboard.inline_keyboard for b in row]
    assert labels == ["Next ›"]
    last = render.all_claims("en", article(claims), 99)  # clamped to the last page
    plain = parse_html(last.chunks[0])[0]
    assert "page 3 of 3" in plain
    assert "17. claim 16" in plain
    assert last.keyboard is not None
    assert [b.text for row in last.keyboard.inline_keyboard for b in row] == ["‹ Previous"]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_no_exact_match_list_escapes_titles_outlets_and_claims(lang: str) -> None:
    hits = [
        MatchHit(article_id=3, score=71.4, title="<b>Judul</b> & <a href='x'>klik</a>",
                 outlet="Warta <i>", published_at=datetime(2026, 1, 2, tzinfo=UTC)),
        MatchHit(article_id=4, score=60.0, title=None,
                 claims=[claim("</i><script>alert(1)</script> & kata", name="X")]),
    ]  # fmt: skip
    reply = render.similar_list(lang, hits)  # type: ignore[arg-type]
    [markup] = reply.chunks
    plain, _ = parse_html(markup)  # the stand-in's parser: unbalanced or unknown tags fail
    assert "<b>Judul</b> & <a href='x'>klik</a> (71%)" in plain
    assert "Warta <i>" in plain
    assert "</i><script>alert(1)</script> & kata" in plain
    assert "<script>" not in markup
    assert [b.callback_data for row in reply.keyboard.inline_keyboard for b in row] == [  # type: ignore[union-attr]
        "open:3",
        "open:4",
    ]
