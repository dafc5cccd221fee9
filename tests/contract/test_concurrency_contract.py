"""Two writers on one archive (two workers: two connections or pools), the same on both
engines: nothing stored twice, nothing lost, caps and the delivery log hold."""

from __future__ import annotations

import asyncio
from datetime import date

from bot.core.models import Analysis, ArticleInput, Claim, IngestStatus, Speaker
from tests.contract.conftest import Opener


def _item(n: int) -> tuple[ArticleInput, Analysis, str]:
    text = f"Artikel nomor {n} tentang beras dan harga pangan. Menteri berkata stok aman {n}."
    fragment = f"stok aman {n}"
    start = text.index(fragment)
    claim = Claim(
        text=fragment,
        start=start,
        end=start + len(fragment),
        speaker=Speaker(name=f"Menteri {n % 3}", kind="person"),
    )
    return ArticleInput(text=text), Analysis(language="id", claims=[claim]), f"w:{n}"


async def test_two_writers_store_each_article_once(opener: Opener) -> None:
    one, two = await opener(), await opener()
    batches = [[_item(n) for n in range(start, start + 30)] for start in (0, 15, 30, 45)]
    written = await asyncio.gather(
        *((one if i % 2 == 0 else two).articles.add_many(batch) for i, batch in enumerate(batches)),
        *(one.articles.add(*_item(n)[:2]) for n in range(70, 80)),
        *(two.articles.add(*_item(n)[:2]) for n in range(75, 85)),
    )
    results = [r for batch in written for r in (batch if isinstance(batch, list) else [batch])]
    added = [r for r in results if r.status is IngestStatus.ADDED]
    assert len({r.article_id for r in added}) == len(added) == 85  # articles 0..84, once each
    assert all(r.status is not IngestStatus.REJECTED for r in results)
    stats = await two.articles.stats()
    assert (stats.articles, stats.claims, stats.speakers) == (85, 85, 3)
    assert await one.index.doc_counts(["beras", "stok"], scope="articles", cap=1000) == [85, 85]
    assert await one.index.doc_counts(["aman"], scope="claims", cap=1000) == [85]
    assert await one.index.avg_row_tokens("claims") == 3.0


async def test_racing_follows_never_pass_the_cap(opener: Opener) -> None:
    one, two = await opener(), await opener()
    outcomes = await asyncio.gather(
        *(
            (one if n % 2 else two).digests.follow(5, f"topik {n}", f"topik {n}", cap=3)
            for n in range(10)
        )
    )
    assert sorted(outcomes) == ["added"] * 3 + ["full"] * 7
    assert len(await one.digests.follows(5)) == 3


async def test_racing_claims_let_one_run_send(opener: Opener) -> None:
    """Two runs claiming the same digest at once: one gets it; the other finds it claimed by
    a run it cannot tell from a dead one ("ambiguous", as after a crash) - which is why
    several workers must send through one sender at a time."""
    one, two = await opener(), await opener()
    day = date(2026, 1, 5)
    outcomes = await asyncio.gather(
        one.digests.claim(9, day, "run-a"), two.digests.claim(9, day, "run-b")
    )
    assert sorted(outcomes) == ["ambiguous", "claimed"]
    assert await one.digests.delivery_status(9, day) == "sending"


async def test_racing_first_contact_of_one_user(opener: Opener) -> None:
    one, two = await opener(), await opener()
    await asyncio.gather(*((one if n % 2 else two).activity.touch_user(77) for n in range(20)))
    await one.activity.set_language(77, "id")
    assert await asyncio.gather(one.activity.touch_user(77), two.activity.touch_user(77)) == [
        "id",
        "id",
    ]
