"""Candidate retrieval for matching in PostgreSQL: the twin of ``storage.search``.

The same :class:`storage.protocols.MatchIndex` contract, so :mod:`bot.lookup.matching` (the
rarest-terms choice and the rapidfuzz rerank) runs unchanged on either engine:

* ``doc_counts`` reads the document frequency of each word from ``search_terms`` (one
  indexed read for all terms; capped like SQLite's probe, so both give the same numbers).
* Candidates: each chosen term is one GIN lookup (``search @@ 'word'``) that yields row ids
  and their word counts - never the (TOASTed) word vectors themselves - and rows are scored
  with BM25 as FTS5 computes it (same idf, k1 = 1.2, b = 0.75), except that a term counts
  once per row: rows hold no positions or frequencies. Matching only uses a candidate's
  BM25 relative to the best one (``_order`` in matching.py), and the chosen terms are the
  query's rarest, which rarely repeat within a row, so the difference barely moves the
  ordering (benchmarks/bench_postgres.py measures recall on the same queries as SQLite).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from bot.core.models import ArticleCandidate, ClaimCandidate, MatchHit, Scope
from storage.postgres.db import Conn, PgDatabase
from storage.postgres.reads import VIA
from storage.postgres.words import term_query, term_words
from storage.rows import CLAIM_COLUMNS, match_hits

DEFAULT_RERANK_CHARS: Final = 8000
K1: Final = 1.2
B: Final = 0.75
_TABLE: Final[dict[Scope, str]] = {"articles": "articles", "claims": "claims"}

# BM25 over the rows that hold any of the terms (one GIN lookup per term). %(scope)s picks
# the frequencies; {table} is "articles" or "claims" (never user input).
_SCORED = """
WITH q AS (
    SELECT u.query::tsquery AS query, st.rows AS df
    FROM unnest(%(keys)s::text[], %(queries)s::text[]) AS u (key, query)
    JOIN search_terms AS st ON st.scope = %(scope)s AND st.term = u.key AND st.rows > 0
), totals AS (
    SELECT greatest(rows, 1)::float8 AS n,
           greatest(words::float8 / greatest(rows, 1), 1) AS avgdl
    FROM search_totals WHERE scope = %(scope)s
)
SELECT r.id, sum(
        greatest(ln((t.n - q.df + 0.5) / (q.df + 0.5)), 1e-6)
        * %(k1_1)s / (1 + %(k1)s * (1 - %(b)s + %(b)s * r.search_words / t.avgdl))
    ) AS bm25
FROM q CROSS JOIN totals AS t
CROSS JOIN LATERAL (SELECT id, search_words FROM {table} WHERE search @@ q.query) AS r
GROUP BY r.id ORDER BY bm25 DESC, r.id LIMIT %(limit)s
"""


def _terms(terms: Sequence[str]) -> tuple[list[str], list[str]]:
    """(frequency key, tsquery) per term that has index words. A term that folds to several
    words is keyed by its longest (its rows are a subset of that word's)."""
    keys, queries = [], []
    for term in terms:
        words = term_words(term)
        if words:
            keys.append(max(words, key=len))
            queries.append(term_query(words))
    return keys, queries


class PgMatchIndex:
    """Retrieval for :mod:`bot.lookup.matching` over a :class:`PgDatabase` (read-only use)."""

    def __init__(self, db: PgDatabase, *, rerank_chars: int = DEFAULT_RERANK_CHARS) -> None:
        self._db = db
        self._rerank_chars = rerank_chars

    async def size(self, scope: Scope) -> int:
        """The highest row id of the scope: an upper bound of its size, as SQLite's."""
        row = await self._db.fetchone(
            f"SELECT coalesce(max(id), 0) AS n FROM {_TABLE[scope]}"  # noqa: S608
        )
        return int(row["n"]) if row is not None else 0

    async def avg_row_tokens(self, scope: Scope) -> float:
        """Mean indexed words per row, from ``search_totals``: O(1)."""
        row = await self._db.fetchone(
            "SELECT rows, words FROM search_totals WHERE scope = %s", (scope,)
        )
        if row is None or int(row["rows"]) <= 0:
            return 0.0
        return int(row["words"]) / int(row["rows"])

    async def doc_counts(self, terms: Sequence[str], *, scope: Scope, cap: int) -> list[int]:
        """For each term, in order, how many rows contain it, counted up to ``cap``."""
        if not terms:
            return []
        folded = [term_words(t) for t in terms]
        single = sorted({w[0] for w in folded if len(w) == 1})

        async def work(conn: Conn) -> list[int]:
            df: dict[str, int] = {}
            if single:
                cursor = await conn.execute(
                    "SELECT term, rows FROM search_terms WHERE scope = %s AND term = ANY (%s)",
                    (scope, single),
                )
                df = {str(r["term"]): int(r["rows"]) for r in await cursor.fetchall()}
            out = []
            for words in folded:
                if not words:
                    out.append(0)
                elif len(words) == 1:
                    out.append(min(cap, df.get(words[0], 0)))
                else:  # rare: count the rows holding every word, up to the cap
                    cursor = await conn.execute(
                        f"SELECT count(*) AS n FROM (SELECT 1 FROM {_TABLE[scope]} "
                        "WHERE search @@ %s::tsquery LIMIT %s) AS s",
                        (term_query(words), cap),
                    )
                    row = await cursor.fetchone()
                    out.append(int(row["n"]) if row is not None else 0)
            return out

        return await self._db.read(work)

    async def _scored(
        self, scope: Scope, terms: Sequence[str], limit: int, select: str
    ) -> list[dict[str, Any]]:
        keys, queries = _terms(terms)
        if not keys or limit <= 0:
            return []
        query = f"WITH scored AS ({_SCORED.format(table=_TABLE[scope])}) {select}"
        params = {
            "keys": keys,
            "queries": queries,
            "scope": scope,
            "limit": limit,
            "k1": K1,
            "k1_1": K1 + 1,
            "b": B,
            "chars": self._rerank_chars,
        }
        return [dict(r) for r in await self._db.fetchall(query, params)]

    async def article_candidates(
        self, terms: Sequence[str], *, limit: int
    ) -> list[ArticleCandidate]:
        """Best BM25 articles for any of ``terms``, with their text prefix, best first."""
        rows = await self._scored(
            "articles",
            terms,
            limit,
            "SELECT s.id, s.bm25, a.title, substr(a.text, 1, %(chars)s) AS text "
            "FROM scored AS s JOIN articles AS a ON a.id = s.id ORDER BY s.bm25 DESC, s.id",
        )
        return [
            ArticleCandidate(
                article_id=int(r["id"]), bm25=float(r["bm25"]), title=r["title"], text=r["text"]
            )
            for r in rows
        ]

    async def claim_candidates(self, terms: Sequence[str], *, limit: int) -> list[ClaimCandidate]:
        """Best BM25 claims for any of ``terms``, best first."""
        rows = await self._scored(
            "claims",
            terms,
            limit,
            "SELECT s.id, s.bm25, c.article_id, c.text "
            "FROM scored AS s JOIN claims AS c ON c.id = s.id ORDER BY s.bm25 DESC, s.id",
        )
        return [
            ClaimCandidate(
                claim_id=int(r["id"]),
                article_id=int(r["article_id"]),
                bm25=float(r["bm25"]),
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
        """Result cards for (article_id, score) pairs, in that order (see the SQLite twin)."""
        if not scored:
            return []
        ids = list(dict.fromkeys(a for a, _ in scored))
        async with self._db.reading() as conn:
            cursor = await conn.execute(
                "SELECT id, external_id, title, outlet, published_at FROM articles "
                "WHERE id = ANY (%s)",
                (ids,),
            )
            rows = {int(r["id"]): r for r in await cursor.fetchall()}
            columns = ", ".join("c." + c for c in CLAIM_COLUMNS.split(", "))
            columns += f", {VIA.format(alias='c')} AS via"
            if claim_ids is not None:
                cursor = await conn.execute(
                    f"SELECT {columns} FROM claims AS c "
                    "WHERE c.id = ANY (%s) AND c.article_id = ANY (%s) "
                    "ORDER BY c.article_id, c.start_offset, c.position",
                    (list(claim_ids), ids),
                )
            else:
                cursor = await conn.execute(
                    f"SELECT {columns} FROM unnest(%s::bigint[]) AS j (id) "
                    f"CROSS JOIN LATERAL (SELECT {CLAIM_COLUMNS} FROM claims AS k "
                    "WHERE k.article_id = j.id "
                    "ORDER BY k.is_key DESC, k.start_offset, k.position LIMIT %s) AS c "
                    "ORDER BY c.article_id, c.start_offset, c.position",
                    (ids, max_claims),
                )
            claim_rows = await cursor.fetchall()
        via = {int(r["id"]): list(r["via"]) for r in claim_rows}
        return match_hits(scored, rows, claim_rows, via)
