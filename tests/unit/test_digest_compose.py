"""Digest schedule arithmetic and composition: pure functions, fixed clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.digests import (
    DigestLimits,
    compose_digest,
    next_due,
    parse_time,
    parse_timezone,
    window_for,
)
from bot.models import DigestArticle, DigestWindow, Speaker, StoredClaim

T0 = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 08:00 in Jakarta


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("8", "08:00"),
        ("07:30", "07:30"),
        ("19.30", "19:30"),
        ("7h", "07:00"),
        ("23:59", "23:59"),
        ("0:00", "00:00"),
        ("25:00", None),
        ("24:00", None),
        ("12:60", None),
        ("pagi", None),
        ("", None),
        ("7:5", None),
    ],
)
def test_parse_time(raw: str, expected: str | None) -> None:
    assert parse_time(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("jakarta", "Asia/Jakarta"),
        ("New York", "America/New_York"),
        ("WITA", "Asia/Makassar"),
        ("wit", "Asia/Jayapura"),
        ("UTC", "UTC"),
        ("UTC+7", "Etc/GMT-7"),
        ("+7", "Etc/GMT-7"),
        ("GMT-03:00", "Etc/GMT+3"),
        ("UTC+0", "UTC"),
        ("UTC+15", None),
        ("Mars/Olympus", None),
        ("pagi", None),
        ("", None),
        ("x" * 500, None),
    ],
)
def test_parse_timezone(raw: str, expected: str | None) -> None:
    assert parse_timezone(raw) == expected


def test_next_due_is_strictly_after_and_local() -> None:
    assert next_due("08:00", "Asia/Jakarta", T0 - timedelta(minutes=1)) == T0
    assert next_due("08:00", "Asia/Jakarta", T0) == T0 + timedelta(days=1)
    assert next_due("19:30", "Asia/Jakarta", T0) == datetime(2026, 11, 26, 12, 30, tzinfo=UTC)


def test_next_due_follows_daylight_saving_time() -> None:
    # Berlin switches to summer time on 29 March 2026: 08:00 local is 07:00 UTC before,
    # 06:00 UTC after.
    before = datetime(2026, 3, 28, 8, tzinfo=UTC)
    assert next_due("08:00", "Europe/Berlin", before) == datetime(2026, 3, 29, 6, tzinfo=UTC)
    winter = datetime(2026, 3, 27, 12, tzinfo=UTC)
    assert next_due("08:00", "Europe/Berlin", winter) == datetime(2026, 3, 28, 7, tzinfo=UTC)


def _claim(cid: int, text: str, name: str | None, *, stance: str = "asserts", key: bool = True,
           score: float = 0.5) -> StoredClaim:  # fmt: skip
    return StoredClaim(
        id=cid,
        article_id=cid // 10,
        text=text,
        start=0,
        end=len(text),
        speaker=Speaker(name=name, kind="person") if name else None,
        stance=stance,  # type: ignore[arg-type]
        key=key,
        score=score,
    )


def _article(aid: int, claims: list[StoredClaim], *, forwards: int = 0,
             outlet: str = "Harian Contoh") -> DigestArticle:  # fmt: skip
    return DigestArticle(
        article_id=aid,
        title=f"Judul {aid}",
        outlet=outlet,
        created_at=T0 - timedelta(hours=aid),
        forwards=forwards,
        claims=claims,
    )


def _window(*articles: DigestArticle, forwarded: list[DigestArticle] | None = None) -> DigestWindow:
    start, end = window_for(T0)
    return DigestWindow(
        start=start, end=end, new_articles=list(articles), most_forwarded=forwarded or []
    )


def test_nothing_new_means_no_digest() -> None:
    assert compose_digest(_window(), ["Sri Mulyani"], date(2026, 11, 26)) is None


def test_digest_ranks_by_forwards_then_claim_score_and_caps_sections() -> None:
    articles = [
        _article(i, [_claim(i * 10 + j, f"klaim {i}-{j}", f"Tokoh {i}", score=j / 10)
                     for j in range(4)], forwards=(3 if i == 7 else 0))
        for i in range(1, 9)
    ]  # fmt: skip
    digest = compose_digest(_window(*articles), [], date(2026, 11, 26), DigestLimits(articles=5))
    assert digest is not None
    assert digest.total_new == 8
    assert [a.article_id for a in digest.articles][0] == 7  # forwarded most
    assert len(digest.articles) == 5
    assert all(len(a.claims) == 2 for a in digest.articles)
    assert digest.articles[0].claims[0].score == 0.3  # best claims first
    assert digest.more


def test_flags_and_follows() -> None:
    a = _article(1, [
        _claim(11, "tidak ada kecurangan dalam pemilihan", "Ketua KPU", stance="denies"),
        _claim(12, "harga beras turun bulan depan", "Sri Mulyani"),
        _claim(13, "Sri Mulyani disebut akan mundur", None, key=False),
    ])  # fmt: skip
    b = _article(2, [_claim(21, "banjir surut", "BPBD")], outlet="Kabar Tirta")
    digest = compose_digest(_window(a, b), ["sri mulyani", "Kabar Tirta"], date(2026, 11, 26))
    assert digest is not None
    assert [f.claim.id for f in digest.flags] == [11]
    followed = [(f.claim.id, f.matched) for f in digest.followed]
    # attributed statements (newest article first) before a mere mention in unattributed text
    assert followed == [(21, "Kabar Tirta"), (12, "sri mulyani"), (13, "sri mulyani")]


def test_follows_match_whole_words_only() -> None:
    a = _article(1, [_claim(11, "the minister of finance resigned", "Anna Berg")])
    digest = compose_digest(_window(a), ["anna", "fin"], date(2026, 11, 26))
    assert digest is not None
    assert [f.matched for f in digest.followed] == ["anna"]


def test_only_forwarded_still_makes_a_digest() -> None:
    old = _article(5, [_claim(51, "x y z", "A")], forwards=4)
    digest = compose_digest(_window(forwarded=[old]), [], date(2026, 11, 26))
    assert digest is not None
    assert digest.total_new == 0
    assert [a.article_id for a in digest.most_forwarded] == [5]
