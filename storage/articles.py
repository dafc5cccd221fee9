"""The article archive: analyzed articles, their claims, normalized speakers, full-text search."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import aiosqlite

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
from storage.db import Database
from storage.rows import (
    ARTICLE_COLUMNS,
    article_from_row,
    claims_where,
    json_list,
    utc_now_iso,
)

_INSERT_ARTICLE = (
    "INSERT INTO articles (id, external_id, title, text, url, outlet, published_at, language, "
    "provenance, content_hash, ingest_source, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_CLAIM = (
    "INSERT INTO claims (id, article_id, position, text, start_offset, end_offset, speaker_id, "
    "speaker_name, speaker_kind, speaker_role, mention_start, mention_end, cue, told_to, "
    "direct, stance, is_key, score, confidence) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# Tables whose ids are allocated by add_many (inside its write transaction) and never reused.
_ID_TABLES = frozenset({"articles", "claims", "speakers"})


async def _next_id(conn: aiosqlite.Connection, table: str) -> int:
    """The next never-used id of an AUTOINCREMENT table. Only valid inside a write
    transaction (BEGIN IMMEDIATE holds the write lock, so nobody else can take it)."""
    if table not in _ID_TABLES:
        raise ValueError(f"not an id table: {table}")
    async with conn.execute(
        f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), "
        f"coalesce((SELECT max(id) FROM {table}), 0)) + 1",
        (table,),
    ) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row is not None else 1


class SqliteArticleStore:
    """Articles with their claims and speakers in SQLite; returns domain models, never rows."""

    def __init__(self, db: Database) -> None:
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
        """Store a batch of (input, analysis, source label) in one transaction.

        One result per input, in order: ADDED (new id), PRESENT (same normalized content
        already stored, or earlier in this batch: its id), or REJECTED with a reason (empty
        text, claim offsets outside the text, external_id already used by other content).
        Any exception rolls the whole batch back; earlier batches are untouched.
        """
        results: list[IngestResult | None] = [None] * len(items)
        if not items:
            return []
        # Hashing and validation are pure CPU work (~0.4 ms per news article, mostly
        # content_hash): done in a worker thread so the event loop keeps serving users.
        rejected, candidates = await asyncio.to_thread(prepare, items)
        for index, result in rejected:
            results[index] = result
        if candidates:
            async with self._db.transaction() as conn:
                await self._insert_batch(conn, candidates, results)
        return finished(results)

    async def _insert_batch(
        self,
        conn: aiosqlite.Connection,
        candidates: list[Pending],
        results: list[IngestResult | None],
    ) -> None:
        by_hash = {
            row["content_hash"]: int(row["id"])
            for row in await conn.execute_fetchall(
                "SELECT id, content_hash FROM articles "
                "WHERE content_hash IN (SELECT value FROM json_each(?))",
                (json_list(p.content_hash for p in candidates),),
            )
        }
        external_ids = [p.item.external_id for p in candidates if p.item.external_id is not None]
        by_external: dict[str, int] = {}
        if external_ids:
            by_external = {
                row["external_id"]: int(row["id"])
                for row in await conn.execute_fetchall(
                    "SELECT id, external_id FROM articles "
                    "WHERE external_id IN (SELECT value FROM json_each(?))",
                    (json_list(external_ids),),
                )
            }
        next_article = await _next_id(conn, "articles")
        new = assign(candidates, results, by_hash, by_external, next_article)
        if not new:
            return

        await self._link_speakers(conn, new)
        created_at = utc_now_iso()
        article_rows = [article_row(p, created_at) for p in new]
        await conn.executemany(_INSERT_ARTICLE, article_rows)
        # No AFTER INSERT trigger on purpose (see storage/migrations.py): index explicitly,
        # with exactly the values stored (the delete trigger removes them by those values).
        await conn.executemany(
            "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
            [(row[0], row[2], row[3]) for row in article_rows],
        )
        await self._insert_claims(conn, new)

    async def _link_speakers(self, conn: aiosqlite.Connection, new: list[Pending]) -> None:
        """Find or create the normalized speaker of every claim; record aliases and roles."""
        cache = KeyCache()
        keys = speaker_names(new, cache)
        ids: dict[tuple[str, str], int] = {}
        if keys:
            for row in await conn.execute_fetchall(
                "SELECT id, name_key, kind FROM speakers "
                "WHERE name_key IN (SELECT value FROM json_each(?))",
                (json_list({k for k, _ in keys}),),
            ):
                ids[(row["name_key"], row["kind"])] = int(row["id"])
            created = [k for k in keys if k not in ids]
            if created:
                next_speaker = await _next_id(conn, "speakers")
                now = utc_now_iso()
                rows = []
                for key in created:
                    ids[key] = next_speaker
                    rows.append((next_speaker, key[0], key[1], keys[key], now))
                    next_speaker += 1
                await conn.executemany(
                    "INSERT INTO speakers (id, name_key, kind, name, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
        aliases, roles = link_speakers(new, ids, cache)
        if aliases:
            await conn.executemany(
                "INSERT OR IGNORE INTO speaker_aliases (speaker_id, alias) VALUES (?, ?)",
                aliases,
            )
        if roles:
            await conn.executemany(
                "INSERT OR IGNORE INTO speaker_roles (speaker_id, role, role_key) VALUES (?, ?, ?)",
                roles,
            )

    async def _insert_claims(self, conn: aiosqlite.Connection, new: list[Pending]) -> None:
        rows, via_rows = claim_rows(new, await _next_id(conn, "claims"))
        if rows:
            await conn.executemany(_INSERT_CLAIM, rows)
            await conn.executemany(
                "INSERT INTO claims_fts (rowid, text) VALUES (?, ?)",
                [(row[0], row[3]) for row in rows],
            )
        if via_rows:
            await conn.executemany(
                "INSERT INTO claim_via (claim_id, position, name) VALUES (?, ?, ?)", via_rows
            )

    async def optimize_search(self) -> None:
        """Merge each FTS5 index into one segment (FTS5 'optimize'): fewer b-trees to seek per
        term makes matching faster. Worth running after a large import; it rewrites the whole
        index, so not after every article (incremental ingest keeps FTS5's automerge)."""
        async with self._db.transaction() as conn:
            for table in ("articles_fts", "claims_fts"):
                await conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")

    async def remove(self, article_id: int) -> bool:
        """Delete an article with its claims and search entries; speakers stay (shared)."""
        async with (
            self._db.transaction() as conn,
            conn.execute("DELETE FROM articles WHERE id = ?", (article_id,)) as cursor,
        ):
            return cursor.rowcount > 0

    async def prune_speakers(self) -> int:
        """Delete speakers no claim refers to any more (after removals); returns how many."""
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "DELETE FROM speakers WHERE NOT EXISTS "
                "(SELECT 1 FROM claims WHERE claims.speaker_id = speakers.id)"
            ) as cursor,
        ):
            return cursor.rowcount

    # -- reading --------------------------------------------------------------------------

    async def get(self, article_id: int) -> Article | None:
        """The article with its claims (ordered by start offset) and speakers resolved."""
        async with self._db.reading() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
            )
            row = next(iter(rows), None)
            if row is None:
                return None
            claims = await claims_where(conn, "article_id = ?", (article_id,))
        return article_from_row(row, claims)

    async def get_by_external_id(self, external_id: str) -> Article | None:
        """The article imported under this external id, with its claims."""
        async with self._db.reading() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE external_id = ?", (external_id,)
            )
            row = next(iter(rows), None)
            if row is None:
                return None
            claims = await claims_where(conn, "article_id = ?", (row["id"],))
        return article_from_row(row, claims)

    async def find_by_urls(self, urls: Sequence[str]) -> Article | None:
        """The earliest stored article whose URL is one of ``urls`` (spelling variants of
        one link, see ``bot.web.urls.url_variants``), with its claims."""
        if not urls:
            return None
        async with self._db.reading() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT {ARTICLE_COLUMNS} FROM articles "
                "WHERE url IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT 1",
                (json_list(urls),),
            )
            row = next(iter(rows), None)
            if row is None:
                return None
            claims = await claims_where(conn, "article_id = ?", (row["id"],))
        return article_from_row(row, claims)

    async def set_provenance(self, article_id: int, provenance: Provenance) -> bool:
        """Re-label an article (an admin vouching for a user submission: ``curated``)."""
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "UPDATE articles SET provenance = ? WHERE id = ?",
                (provenance.value, article_id),
            ) as cursor,
        ):
            return cursor.rowcount > 0

    async def ids_by_content_hash(self, hashes: Sequence[str]) -> dict[str, int]:
        """Which of these ``bot.core.textnorm.content_hash`` values are stored, and as which
        article: lets ingest skip analyzing articles it already has."""
        if not hashes:
            return {}
        rows = await self._db.fetchall(
            "SELECT id, content_hash FROM articles "
            "WHERE content_hash IN (SELECT value FROM json_each(?))",
            (json_list(hashes),),
        )
        return {str(row["content_hash"]): int(row["id"]) for row in rows}

    async def count(self) -> int:
        row = await self._db.fetchone("SELECT count(*) FROM articles")
        return int(row[0]) if row is not None else 0

    async def stats(self) -> ArchiveStats:
        """Archive counts. ``speakers`` counts normalized speakers that have claims;
        ``attributed_claims`` counts claims with any speaker (anonymous ones included)."""
        async with self._db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM claims), "
                "(SELECT count(DISTINCT speaker_id) FROM claims WHERE speaker_id IS NOT NULL), "
                "(SELECT count(*) FROM claims WHERE speaker_name IS NOT NULL)"
            )
            articles, claims, speakers, attributed = next(iter(rows))
            by_language = {
                str(r[0]): int(r[1])
                for r in await conn.execute_fetchall(
                    "SELECT language, count(*) FROM articles GROUP BY language ORDER BY language"
                )
            }
            by_provenance = {
                str(r[0]): int(r[1])
                for r in await conn.execute_fetchall(
                    "SELECT provenance, count(*) FROM articles "
                    "GROUP BY provenance ORDER BY provenance"
                )
            }
        return ArchiveStats(
            articles=articles,
            claims=claims,
            speakers=speakers,
            attributed_claims=attributed,
            by_language=by_language,
            by_provenance=by_provenance,
        )
