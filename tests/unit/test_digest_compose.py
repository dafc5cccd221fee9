"""Digest schedule arithmetic and composition: pure functions, fixed clocks."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.models import DigestArticle, DigestWindow, Speaker, StoredClaim
from bot.digest.compose import DigestLimits, compose_digest, compose_prepared, prepare_window
from bot.digest.pacer import Pacer
from bot.digest.schedule import next_due, parse_time, parse_timezone, window_for

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


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_pacer_spaces_evenly_and_never_bursts_after_idle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = FakeClock()
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))

    monkeypatch.setattr(asyncio, "sleep", fake_sleep)
    pacer = Pacer(rate=20, clock=clock)  # one slot per 50 ms
    for _ in range(4):  # four senders arrive at the same instant
        await pacer.wait()
    assert slept == [0.05, 0.1, 0.15]  # the first goes now, the others one interval apart
    clock.now += 60  # a long idle moment earns no burst
    slept.clear()
    for _ in range(3):
        await pacer.wait()
    assert slept == [0.05, 0.1]


async def test_replies_share_the_window_and_429s_hold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = FakeClock()
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        clock.now += seconds

    monkeypatch.setattr(asyncio, "sleep", fake_sleep)
    pacer = Pacer(rate=100, cap=3, clock=clock)
    await pacer.wait(reply=True)  # two replies to users went out just now: no spacing
    await pacer.wait(reply=True)
    await pacer.wait()  # one digest fits under the cap of 3 per window
    assert slept == []
    await pacer.wait()  # the next waits for its spacing, then for the window to drain
    assert slept == [0.01, round(Pacer.WINDOW_S - 0.01, 3)]
    slept.clear()
    await pacer.wait(reply=True)  # replies do not wait for the digests' spacing ...
    await pacer.wait(reply=True)
    assert slept == []
    await pacer.wait(reply=True)  # ... only for a free place in a full window
    assert slept == [pytest.approx(Pacer.WINDOW_S, abs=0.002)]
    slept.clear()
    pacer.hold(5.0)  # Telegram said "retry after 5"
    await pacer.wait()
    assert slept[0] == pytest.approx(5.0, abs=0.02)


def test_compose_many_subscribers_from_one_prepared_window() -> None:
    claims = [
        _claim(10 + i, f"pernyataan nomor {i} soal pajak", f"Tokoh {i % 3}") for i in range(9)
    ]
    prepared = prepare_window(_window(_article(1, claims)))
    a = compose_prepared(prepared, ["Tokoh 1"], date(2026, 11, 26))
    b = compose_prepared(prepared, ["tokoh 1"], date(2026, 11, 26))  # same follow, cached
    none = compose_prepared(prepared, [], date(2026, 11, 26))
    assert a is not None
    assert b is not None
    assert none is not None
    assert [f.claim.id for f in a.followed] == [11, 14, 17]
    assert a.followed == b.followed
    assert none.followed == []
    assert a.articles == none.articles  # the shared sections are the same objects' data


async def test_a_waiting_reply_goes_before_waiting_digests(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Pacer, "WINDOW_S", 0.05)
    pacer = Pacer(rate=1000, cap=2)
    await pacer.wait()
    await pacer.wait()  # the window is full now
    order: list[str] = []

    async def send(kind: str) -> None:
        await pacer.wait(reply=kind == "reply")
        order.append(kind)

    digests = [asyncio.create_task(send("digest")) for _ in range(3)]
    await asyncio.sleep(0.01)  # the digests were waiting first ...
    reply = asyncio.create_task(send("reply"))
    await asyncio.wait_for(asyncio.gather(reply, *digests), timeout=2)
    assert order[0] == "reply"  # ... but the reply took the first free place
