"""Retrieval finds what a forward names only in a tag or in leetspeak (issue 3)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.lookup.matching import MatchConfig, parse_query, retrieve
from storage.db import Database
from storage.search import SqliteMatchIndex
from tests.helpers.archive import BulkArticle, BulkClaim, bulk_index

CONFIG = MatchConfig()
GOLD = "Maskapai Langitbiru menagih biaya bagasi kabin kepada prajurit"


@pytest.fixture
async def index(tmp_path: Path) -> AsyncIterator[SqliteMatchIndex]:
    db = await Database.open(tmp_path / "archive.sqlite3")  # a real file, as in production
    filler = [
        BulkArticle(
            text=f"Pemerintah kota nomor {i} mengumumkan jadwal kerja bakti warga",
            claims=[BulkClaim(f"jadwal kerja bakti nomor {i}", 0, 10)],
        )
        for i in range(40)
    ]
    gold = BulkArticle(text=GOLD, claims=[BulkClaim(GOLD, 0, len(GOLD))])
    leet = BulkArticle(
        text="Presiden Sukarnowati meresmikan bendungan Cilembayung",
        claims=[BulkClaim("Sukarnowati meresmikan bendungan", 0, 10)],
    )
    await bulk_index(db, [*filler, gold, leet])
    try:
        yield SqliteMatchIndex(db)
    finally:
        await db.close()


async def _top(index: SqliteMatchIndex, text: str) -> int | None:
    scored = await retrieve(index, parse_query(text, CONFIG), CONFIG)
    return scored[0].article_id if scored else None


async def test_a_mention_alone_names_the_topic(index: SqliteMatchIndex) -> None:
    # The only word shared with the stored article is inside the mention.
    assert await _top(index, "@MaskapaiLangitbiru kejam sekali, tega sama tentara!!") == 41
    # Without the mention the same complaint finds nothing at all: the mention alone made
    # the match (a looser "not 41" held whatever retrieval returned).
    assert await _top(index, "kejam sekali, tega sama tentara!!") is None


async def test_a_hashtag_counts_like_a_word(index: SqliteMatchIndex) -> None:
    assert await _top(index, "tega sama tentara #Langitbiru #BagasiKabin") == 41


async def test_leetspeak_finds_the_plain_word(index: SqliteMatchIndex) -> None:
    assert await _top(index, "SUK4RN0W4TI r3smikan B3NDUNGAN baru") == 42


@pytest.mark.parametrize(
    "text",
    [
        '#NEAR @AND #OR "x" (y) #a:b @-* kata kata',
        "@@@ ### #_ @_ #\u200b tiga kata lagi",
        "#\"quoted\" @'x' SELECT * FROM articles; --",
    ],
)
async def test_tags_with_fts_syntax_are_safe(index: SqliteMatchIndex, text: str) -> None:
    await retrieve(index, parse_query(text, CONFIG), CONFIG)  # no FTS5 syntax error
