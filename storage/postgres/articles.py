"""The article archive in PostgreSQL: the twin of ``storage.articles.SqliteArticleStore``.

Writers take the archive's advisory lock for the length of a batch: ids, the speaker table
and the word counts are then decided by one writer at a time, as SQLite's ``BEGIN
IMMEDIATE`` does, while readers (matching) never wait. Rows are written with ``COPY``.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.core.models import (
    Analysis,
    ArchiveStats,
    Article,
    ArticleInput,
    IngestResult,
    Provenance,
)
from storage.batch import (
    KeyCache,
    Pending,
    article_row,
    assign,
    claim_rows,
    finished,
    link_speakers,
    prepare,
    speaker_names,
)
from storage.postgres.db import ARCHIVE_LOCK, Conn, PgDatabase
from storage.postgres.reads import claims_where
from storage.postgres.words import tsvector_literal
from storage.rows import ARTICLE_COLUMNS, article_from_row
from storage.text import search_words

_ARTICLE_INSERT_COLUMNS = (
    "id, external_id, title, text, url, outlet, published_at, language, provenance, "
    "content_hash, ingest_source, created_at, search, search_words"
)
_CLAIM_INSERT_COLUMNS = (
    "id, article_id, position, text, start_offset, end_offset, speaker_id, speaker_name, "
    "speaker_kind, speaker_role, mention_start, mention_end, cue, told_to, direct, stance, "
    "is_key, score, confidence, search, search_words"
)
_ID_TABLES = frozenset({"articles", "claims", "speakers"})


async def next_id(conn: Conn, table: str) -> int:
    """The next never-used id of ``table``: past its sequence and its highest row. Only
    valid under the archive lock (nobody else takes ids meanwhile)."""
    if table not in _ID_TABLES:
        raise ValueError(f"not an id table: {table}")
    cursor = await conn.execute(
        "SELECT greatest(coalesce(pg_sequence_last_value("
        f"pg_get_serial_sequence('{table}', 'id')::regclass), 0), "
        f"coalesce((SELECT max(id) FROM {table}), 0)) + 1 AS next"
    )
    row = await cursor.fetchone()
    return int(row["next"]) if row is not None else 1


async def use_ids(conn: Conn, table: str, last: int) -> None:
    """Move ``table``'s sequence past ``last``, so these ids are never handed out again."""
    if table not in _ID_TABLES:
        raise ValueError(f"not an id table: {table}")
    await conn.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", (table, last))


def search_column(*texts: str | None) -> tuple[str, int, list[str]]:
    """(tsvector literal, word count, distinct words) of a row's searchable texts."""
    words: list[str] = []
    for text in texts:
        if text:
            words += search_words(text)
    distinct = list(dict.fromkeys(words))
    return tsvector_literal(distinct), len(words), distinct


async def count_words(conn: Conn, scope: str, rows: Sequence[tuple[int, list[str]]]) -> None:
    """Add rows (word count, distinct words) to the document frequencies and totals."""
    if not rows:
        return
    df: Counter[str] = Counter()
    for _, distinct in rows:
        df.update(distinct)
    terms = list(df)
    await conn.execute(
        "INSERT INTO search_terms (scope, term, rows) "
        "SELECT %s, t, n FROM unnest(%s::text[], %s::int[]) AS u (t, n) "
        "ON CONFLICT (scope, term) DO UPDATE SET rows = search_terms.rows + excluded.rows",
        (scope, terms, [df[t] for t in terms]),
    )
    await conn.execute(
        "UPDATE search_totals SET rows = rows + %s, words = words + %s WHERE scope = %s",
        (len(rows), sum(n for n, _ in rows), scope),
    )


async def copy_rows(conn: Conn, table: str, columns: str, rows: Sequence[Sequence[Any]]) -> None:
    """``COPY`` rows into a table: the fastest way in, one round trip per batch."""
    if not rows:
        return
    async with (
        conn.cursor() as cursor,
        cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            await copy.write_row(row)


def _with_search(
    articles: list[tuple[Any, ...]], claims: list[tuple[Any, ...]]
) -> tuple[
    list[tuple[Any, ...]],
    list[tuple[Any, ...]],
    list[tuple[int, list[str]]],
    list[tuple[int, list[str]]],
]:
    """Article and claim rows with their search columns (CPU work: run in a thread)."""
    article_out, article_words = [], []
    for row in articles:
        vector, count, distinct = search_column(row[2], row[3])
        article_out.append((*row, vector, count))
        article_words.append((count, distinct))
    claim_out, claim_words = [], []
    for row in claims:
        vector, count, distinct = search_column(row[3])
        fixed = list(row)
        fixed[14], fixed[16] = bool(row[14]), bool(row[16])  # direct, is_key
        claim_out.append((*fixed, vector, count))
        claim_words.append((count, distinct))
    return article_out, claim_out, article_words, claim_words


class PgArticleStore:
    """Articles with their claims and speakers in PostgreSQL; returns domain models."""

    def __init__(self, db: PgDatabase) -> None:
        self._db = db

    # -- writing --------------------------------------------------------------------------

    async def add(
        self, item: ArticleInput, analysis: Analysis, *, source: str = ""
    ) -> IngestResult:
        """Store one analyzed article; PRESENT (with the stored id) if its content is known."""
        return (await self.add_many([(item, analysis, source)]))[0]

    async def add_many(
        self, items: Sequence[tuple[ArticleInput, Analysis, str]]
    ) -> list[IngestResult]:
        """Store a batch of (input, analysis, source label) in one transaction: the same
        results as the SQLite store (``storage.batch``); any exception rolls it all back."""
        results: list[IngestResult | None] = [None] * len(items)
        if not items:
            return []
        rejected, candidates = await asyncio.to_thread(prepare, items)
        for index, result in rejected:
            results[index] = result
        if candidates:
            async with self._db.transaction() as conn:
                await conn.execute("SELECT pg_advisory_xact_lock(%s)", (ARCHIVE_LOCK,))
                await self._insert_batch(conn, candidates, results)
        return finished(results)

    async def _insert_batch(
        self, conn: Conn, candidates: list[Pending], results: list[IngestResult | None]
    ) -> None:
        cursor = await conn.execute(
            "SELECT id, content_hash FROM articles WHERE content_hash = ANY (%s)",
            ([p.content_hash for p in candidates],),
        )
        by_hash = {str(r["content_hash"]): int(r["id"]) for r in await cursor.fetchall()}
        external_ids = [p.item.external_id for p in candidates if p.item.external_id is not None]
        by_external: dict[str, int] = {}
        if external_ids:
            cursor = await conn.execute(
                "SELECT id, external_id FROM articles WHERE external_id = ANY (%s)",
                (external_ids,),
            )
            by_external = {str(r["external_id"]): int(r["id"]) for r in await cursor.fetchall()}
        new = assign(candidates, results, by_hash, by_external, await next_id(conn, "articles"))
        if not new:
            return
        await self._link_speakers(conn, new)
        created_at = datetime.now(UTC)
        claims, via = claim_rows(new, await next_id(conn, "claims"))
        articles, claims, article_words, claim_words = await asyncio.to_thread(
            _with_search, [article_row(p, created_at) for p in new], claims
        )
        await copy_rows(conn, "articles", _ARTICLE_INSERT_COLUMNS, articles)
        await copy_rows(conn, "claims", _CLAIM_INSERT_COLUMNS, claims)
        await copy_rows(conn, "claim_via", "claim_id, position, name", via)
        await count_words(conn, "articles", article_words)
        await count_words(conn, "claims", claim_words)
        await use_ids(conn, "articles", articles[-1][0])
        if claims:
            await use_ids(conn, "claims", claims[-1][0])

    async def _link_speakers(self, conn: Conn, new: list[Pending]) -> None:
        """Find or create the normalized speaker of every claim; record aliases and roles."""
        cache = KeyCache()
        keys = speaker_names(new, cache)
        ids: dict[tuple[str, str], int] = {}
        if keys:
            cursor = await conn.execute(
                "SELECT id, name_key, kind FROM speakers WHERE name_key = ANY (%s)",
                (list({k for k, _ in keys}),),
            )
            for row in await cursor.fetchall():
                ids[(str(row["name_key"]), str(row["kind"]))] = int(row["id"])
            created = [k for k in keys if k not in ids]
            if created:
                first = await next_id(conn, "speakers")
                now = datetime.now(UTC)
                rows = []
                for offset, key in enumerate(created):
                    ids[key] = first + offset
                    rows.append((first + offset, key[0], key[1], keys[key], now))
                await copy_rows(conn, "speakers", "id, name_key, kind, name, created_at", rows)
                await use_ids(conn, "speakers", rows[-1][0])
        aliases, roles = link_speakers(new, ids, cache)
        if aliases:
            await conn.execute(
                "INSERT INTO speaker_aliases (speaker_id, alias) "
                "SELECT * FROM unnest(%s::bigint[], %s::text[]) ON CONFLICT DO NOTHING",
                ([a[0] for a in aliases], [a[1] for a in aliases]),
            )
        if roles:
            await conn.execute(
                "INSERT INTO speaker_roles (speaker_id, role, role_key) "
                "SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[]) "
                "ON CONFLICT DO NOTHING",
                ([r[0] for r in roles], [r[1] for r in roles], [r[2] for r in roles]),
            )

    async def optimize_search(self) -> None:
        """``VACUUM ANALYZE`` the searched tables after a large import: GIN's pending list is
        merged into the index and the planner learns the new sizes."""
        async with self._db.pool.connection() as conn:  # autocommit: VACUUM needs no BEGIN
            with self._db.errors():
                await conn.execute("VACUUM (ANALYZE) articles, claims, search_terms")

    async def remove(self, article_id: int) -> bool:
        """Delete an article with its claims; triggers take its words out of the counts."""
        async with self._db.transaction() as conn:
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (ARCHIVE_LOCK,))
            cursor = await conn.execute("DELETE FROM articles WHERE id = %s", (article_id,))
            return cursor.rowcount > 0

    async def prune_speakers(self) -> int:
        """Delete speakers no claim refers to any more (after removals); returns how many."""
        async with self._db.transaction() as conn:
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (ARCHIVE_LOCK,))
            cursor = await conn.execute(
                "DELETE FROM speakers WHERE NOT EXISTS "
                "(SELECT 1 FROM claims WHERE claims.speaker_id = speakers.id)"
            )
            return cursor.rowcount

    # -- reading --------------------------------------------------------------------------

    async def _article(self, where: str, params: Sequence[Any]) -> Article | None:
        async with self._db.reading() as conn:
            cursor = await conn.execute(
                f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE {where} ORDER BY id LIMIT 1",
                params,
            )
            row = await cursor.fetchone()
            if row is None:
                return None
            claims = await claims_where(conn, "article_id = %s", (row["id"],))
        return article_from_row(row, claims)

    async def get(self, article_id: int) -> Article | None:
        """The article with its claims (ordered by start offset) and speakers resolved."""
        return await self._article("id = %s", (article_id,))

    async def get_by_external_id(self, external_id: str) -> Article | None:
        """The article imported under this external id, with its claims."""
        return await self._article("external_id = %s", (external_id,))

    async def find_by_urls(self, urls: Sequence[str]) -> Article | None:
        """The earliest stored article whose URL is one of ``urls``, with its claims."""
        if not urls:
            return None
        return await self._article("url = ANY (%s)", (list(urls),))

    async def set_provenance(self, article_id: int, provenance: Provenance) -> bool:
        """Re-label an article (an admin vouching for a user submission: ``curated``)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE articles SET provenance = %s WHERE id = %s",
                (provenance.value, article_id),
            )
            return cursor.rowcount > 0

    async def ids_by_content_hash(self, hashes: Sequence[str]) -> dict[str, int]:
        """Which of these content hashes are stored, and as which article."""
        if not hashes:
            return {}
        rows = await self._db.fetchall(
            "SELECT id, content_hash FROM articles WHERE content_hash = ANY (%s)",
            (list(hashes),),
        )
        return {str(r["content_hash"]): int(r["id"]) for r in rows}

    async def count(self) -> int:
        row = await self._db.fetchone("SELECT count(*) AS n FROM articles")
        return int(row["n"]) if row is not None else 0

    async def stats(self) -> ArchiveStats:
        """Archive counts, as the SQLite store defines them."""
        async with self._db.reading() as conn:
            cursor = await conn.execute(
                "SELECT (SELECT count(*) FROM articles) AS articles, "
                "(SELECT count(*) FROM claims) AS claims, "
                "(SELECT count(DISTINCT speaker_id) FROM claims "
                " WHERE speaker_id IS NOT NULL) AS speakers, "
                "(SELECT count(*) FROM claims WHERE speaker_name IS NOT NULL) AS attributed"
            )
            counts = await cursor.fetchone()
            assert counts is not None
            cursor = await conn.execute(
                "SELECT language AS k, count(*) AS n FROM articles "
                'GROUP BY language ORDER BY language COLLATE "C"'
            )
            by_language = {str(r["k"]): int(r["n"]) for r in await cursor.fetchall()}
            cursor = await conn.execute(
                "SELECT provenance AS k, count(*) AS n FROM articles "
                'GROUP BY provenance ORDER BY provenance COLLATE "C"'
            )
            by_provenance = {str(r["k"]): int(r["n"]) for r in await cursor.fetchall()}
        return ArchiveStats(
            articles=int(counts["articles"]),
            claims=int(counts["claims"]),
            speakers=int(counts["speakers"]),
            attributed_claims=int(counts["attributed"]),
            by_language=by_language,
            by_provenance=by_provenance,
        )
