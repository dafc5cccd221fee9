"""Candidate retrieval for matching: FTS5 over the archive, rarest query terms first.

Implements :class:`bot.lookup.matching.MatchIndex` for SQLite. Everything here reads the FTS5
tables of migration 1 (``articles_fts``, ``claims_fts``), which the store fills in the same
transaction as the article: a match right after ingest works, and no second index has to be
kept in sync.

Why the rarest terms: an FTS5 OR-query costs the sum of the posting lists of its terms and
BM25 is computed for every matching row (FTS5 has no top-k pruning), so at a million
articles one common word ("yang", "the") makes a query take seconds. Document frequencies
are probed with a *capped* count (``LIMIT cap`` inside the subquery stops reading a posting
list early), so probing a common term costs no more than probing a rare one.
``avg_row_tokens`` reads FTS5's own averages record (O(1)), so matching can tell an archive
of short titles/claims (cheap to score with every query word) from one of whole articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.models import ArticleCandidate, ClaimCandidate, MatchHit, Scope
from storage.db import Database
from storage.rows import CLAIM_COLUMNS, json_list, match_hits

# Rerank text is bounded: a 200k-character article must not make one query slow.
DEFAULT_RERANK_CHARS = 8000
_FTS_TABLE: dict[Scope, str] = {"articles": "articles_fts", "claims": "claims_fts"}


def fts_phrase(term: str) -> str:
    """One term as an FTS5 string literal: any character is safe inside double quotes."""
    return '"' + term.replace('"', '""') + '"'


def _varints(block: bytes) -> list[int]:
    """SQLite record varints (as FTS5 writes them): 7 bits a byte, high bit = more; a 9th
    byte contributes all 8 bits."""
    out: list[int] = []
    i = 0
    while i < len(block):
        value = 0
        for k in range(9):
            if i >= len(block):
                break
            byte = block[i]
            i += 1
            if k == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        out.append(value)
    return out


class SqliteMatchIndex:
    """Retrieval for :mod:`bot.lookup.matching` over one :class:`Database` (read-only use)."""

    def __init__(self, db: Database, *, rerank_chars: int = DEFAULT_RERANK_CHARS) -> None:
        self._db = db
        self._rerank_chars = rerank_chars

    async def size(self, scope: Scope) -> int:
        """The highest row id of the scope: an upper bound of its size, read in O(log n)."""
        table = "articles" if scope == "articles" else "claims"
        row = await self._db.fetchone(f"SELECT coalesce(max(id), 0) FROM {table}")
        return int(row[0]) if row is not None else 0

    async def avg_row_tokens(self, scope: Scope) -> float:
        """Mean indexed tokens per row (all columns), from the FTS5 averages record
        (``%_data`` row 1: varints row count, then total tokens per column): O(1)."""
        table = _FTS_TABLE[scope]
        row = await self._db.fetchone(f"SELECT block FROM {table}_data WHERE id = 1")
        if row is None or not row[0]:
            return 0.0
        values = _varints(bytes(row[0]))
        if not values or values[0] <= 0:
            return 0.0
        return sum(values[1:]) / values[0]

    async def doc_counts(self, terms: Sequence[str], *, scope: Scope, cap: int) -> list[int]:
        """For each term, in order, how many rows contain it, counted up to ``cap``."""
        if not terms:
            return []
        table = _FTS_TABLE[scope]
        rows = await self._db.fetchall(
            f"SELECT j.key, (SELECT count(*) FROM (SELECT 1 FROM {table} "
            f"WHERE {table} MATCH j.value LIMIT ?)) FROM json_each(?) AS j ORDER BY j.key",
            (cap, json_list(fts_phrase(t) for t in terms)),
        )
        return [int(r[1]) for r in rows]

    async def article_candidates(
        self, terms: Sequence[str], *, limit: int
    ) -> list[ArticleCandidate]:
        """Best BM25 articles for the OR of ``terms`` (title weighs 2x), with their text
        prefix for reranking, best first."""
        if not terms or limit <= 0:
            return []
        rows = await self._db.fetchall(
            "WITH hits AS (SELECT rowid AS id, bm25(articles_fts, 2.0, 1.0) AS rank "
            "FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?) "
            "SELECT a.id, hits.rank, a.title, substr(a.text, 1, ?) AS text "
            "FROM hits JOIN articles AS a ON a.id = hits.id ORDER BY hits.rank, a.id",
            (" OR ".join(map(fts_phrase, terms)), limit, self._rerank_chars),
        )
        return [
            ArticleCandidate(
                article_id=int(r["id"]),
                bm25=-float(r["rank"]),
                title=r["title"],
                text=r["text"],
            )
            for r in rows
        ]

    async def claim_candidates(self, terms: Sequence[str], *, limit: int) -> list[ClaimCandidate]:
        """Best BM25 claims for the OR of ``terms``, best first."""
        if not terms or limit <= 0:
            return []
        rows = await self._db.fetchall(
            "WITH hits AS (SELECT rowid AS id, bm25(claims_fts) AS rank "
            "FROM claims_fts WHERE claims_fts MATCH ? ORDER BY rank LIMIT ?) "
            "SELECT c.id, c.article_id, hits.rank, c.text "
            "FROM hits JOIN claims AS c ON c.id = hits.id ORDER BY hits.rank, c.id",
            (" OR ".join(map(fts_phrase, terms)), limit),
        )
        return [
            ClaimCandidate(
                claim_id=int(r["id"]),
                article_id=int(r["article_id"]),
                bm25=-float(r["rank"]),
                text=r["text"],
            )
            for r in rows
        ]

    async def hits(
        self,
        scored: Sequence[tuple[int, float]],
        *,
        claim_ids: Sequence[int] | None = None,
        max_claims: int = 5,
    ) -> list[MatchHit]:
        """Result cards for (article_id, score) pairs, in that order.

        With ``claim_ids`` each card carries those claims of its article (the quote
        matches); otherwise the article's key claims (or its first ``max_claims`` claims
        when none is marked key). Unknown ids are skipped.
        """
        if not scored:
            return []
        ids = [a for a, _ in scored]
        async with self._db.reading() as conn:
            rows = {
                int(r["id"]): r
                for r in await conn.execute_fetchall(
                    "SELECT id, external_id, title, outlet, published_at FROM articles "
                    "WHERE id IN (SELECT value FROM json_each(?))",
                    (json_list(ids),),
                )
            }
            if claim_ids is not None:
                where = "c.id IN (SELECT value FROM json_each(?))"
                params: tuple[Any, ...] = (json_list(claim_ids),)
            else:
                where = (
                    "c.id IN (SELECT id FROM claims AS k WHERE k.article_id = j.value "
                    "ORDER BY k.is_key DESC, k.start_offset, k.position LIMIT ?)"
                )
                params = (max_claims,)
            claim_rows = list(
                await conn.execute_fetchall(
                    f"SELECT {', '.join('c.' + c for c in CLAIM_COLUMNS.split(', '))} "
                    "FROM json_each(?) AS j JOIN claims AS c ON c.article_id = j.value "
                    f"WHERE {where} ORDER BY c.article_id, c.start_offset, c.position",
                    (json_list(ids), *params),
                )
            )
            via: dict[int, list[str]] = {}
            if claim_rows:
                for v in await conn.execute_fetchall(
                    "SELECT claim_id, name FROM claim_via WHERE claim_id IN "
                    "(SELECT value FROM json_each(?)) ORDER BY claim_id, position",
                    (json_list(int(r["id"]) for r in claim_rows),),
                ):
                    via.setdefault(int(v["claim_id"]), []).append(v["name"])
        return match_hits(scored, rows, claim_rows, via)
