"""SqliteMatchIndex statistics used to size retrieval (issue 3)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.lookup.matching import MatchConfig, parse_query, retrieve
from storage.db import Database
from storage.search import SqliteMatchIndex, _varints
from tests.helpers.archive import BulkArticle, BulkClaim, bulk_index


def test_varints_decode_sqlite4_format() -> None:
    assert _varints(bytes([0x05, 0x81, 0x00, 0x7F])) == [5, 128, 127]
    assert _varints(b"") == []


async def test_avg_row_tokens_reads_fts5_averages(db: Database) -> None:
    index = SqliteMatchIndex(db)
    assert await index.avg_row_tokens("articles") == 0.0
    await bulk_index(
        db,
        [
            BulkArticle(text="satu dua tiga empat", title="judul pendek"),
            BulkArticle(text="lima enam", title=None),
        ],
    )
    # (2 title words + 4 + 2 text words) / 2 rows
    assert await index.avg_row_tokens("articles") == pytest.approx(4.0)


async def test_short_rows_archive_searches_every_query_word(db: Database) -> None:
    """Fact-check titles (short rows) take the every-word path; a long forward still finds
    its title first, and turning the path off (short_rows_tokens=0) still answers."""
    filler = [
        BulkArticle(text=f"vaksin covid hoaks nomor {i} palsu {i}")
        for i in range(60)
    ]
    gold = BulkArticle(
        text="vaksin covid hoaks microchip", claims=[BulkClaim("x", 0, 1)]
    )
    await bulk_index(db, [*filler, gold])
    index = SqliteMatchIndex(db)
    assert 0 < await index.avg_row_tokens("articles") <= MatchConfig().short_rows_tokens
    query = parse_query(
        "Beredar pesan bahwa vaksin covid berisi microchip pelacak, sebarkan sebelum dihapus. "
        "Hoaks ini dibagikan ribuan kali di grup keluarga sejak pekan lalu. " * 2,
        MatchConfig(),
    )
    scored = await retrieve(index, query, MatchConfig(), scope="articles")
    assert scored
    assert scored[0].article_id == 61
    off = replace(MatchConfig(), short_rows_tokens=0.0)
    assert await retrieve(index, query, off, scope="articles")  # still answers
