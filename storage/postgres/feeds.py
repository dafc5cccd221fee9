"""News feeds in PostgreSQL: the twin of ``storage.feeds.SqliteFeedStore``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bot.core.models import Feed
from storage.postgres.db import PgDatabase
from storage.rows import FEED_COLUMNS, feed_from_row


class PgFeedStore:
    def __init__(self, db: PgDatabase) -> None:
        self._db = db

    async def add(
        self, url: str, title: str | None, *, interval_s: int, next_poll: datetime
    ) -> tuple[Feed, bool]:
        """Add a feed; (feed, False) when the URL is already in the list."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO feeds (url, title, interval_s, next_poll, created_at) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (url) DO NOTHING",
                (url, title, interval_s, next_poll, datetime.now(UTC)),
            )
            added = cursor.rowcount > 0
            cursor = await conn.execute(f"SELECT {FEED_COLUMNS} FROM feeds WHERE url = %s", (url,))
            row = await cursor.fetchone()
        assert row is not None
        return feed_from_row(row), added

    async def remove(self, feed_id: int) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute("DELETE FROM feeds WHERE id = %s", (feed_id,))
            return cursor.rowcount > 0

    async def all(self) -> list[Feed]:
        rows = await self._db.fetchall(f"SELECT {FEED_COLUMNS} FROM feeds ORDER BY id")
        return [feed_from_row(r) for r in rows]

    async def due(
        self, now: datetime, limit: int = 1000
    ) -> list[tuple[Feed, str | None, str | None]]:
        """Feeds to poll now, with their (etag, last_modified) validators."""
        rows = await self._db.fetchall(
            f"SELECT {FEED_COLUMNS}, etag, last_modified FROM feeds WHERE next_poll <= %s "
            "ORDER BY next_poll, id LIMIT %s",
            (now, limit),
        )
        return [(feed_from_row(r), r["etag"], r["last_modified"]) for r in rows]

    async def unseen(self, feed_id: int, keys: Sequence[str]) -> list[str]:
        """Which of these item keys this feed has not seen yet, in the given order."""
        if not keys:
            return []
        rows = await self._db.fetchall(
            "SELECT item_key FROM feed_items WHERE feed_id = %s AND item_key = ANY (%s)",
            (feed_id, list(keys)),
        )
        seen = {str(r["item_key"]) for r in rows}
        return [k for k in dict.fromkeys(keys) if k not in seen]

    async def record_items(
        self, feed_id: int, items: Sequence[tuple[str, int | None, str]]
    ) -> None:
        """Mark items seen: (item_key, article_id, status added/present/failed)."""
        if not items:
            return
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO feed_items (feed_id, item_key, article_id, status, seen_at) "
                "SELECT %s, u.key, a.id, u.status, %s "
                "FROM unnest(%s::text[], %s::bigint[], %s::text[]) WITH ORDINALITY "
                "AS u (key, article_id, status, ord) "
                "LEFT JOIN articles AS a ON a.id = u.article_id ORDER BY u.ord "
                "ON CONFLICT (feed_id, item_key) DO NOTHING",
                (
                    feed_id,
                    datetime.now(UTC),
                    [k for k, _, _ in items],
                    [a for _, a, _ in items],
                    [s for _, _, s in items],
                ),
            )

    async def polled(
        self,
        feed_id: int,
        *,
        status: str,
        next_poll: datetime,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        added: int = 0,
        title: str | None = None,
    ) -> None:
        """After a poll: schedule the next one, keep the validators, count what was added."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE feeds SET last_polled = %s, last_status = %s, last_error = %s, "
                "next_poll = %s, etag = coalesce(%s, etag), "
                "last_modified = coalesce(%s, last_modified), "
                "items_added = items_added + %s, title = coalesce(title, %s) WHERE id = %s",
                (
                    datetime.now(UTC),
                    status,
                    error,
                    next_poll,
                    etag,
                    last_modified,
                    added,
                    title,
                    feed_id,
                ),
            )

    async def add_count(self, feed_id: int, added: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE feeds SET items_added = items_added + %s WHERE id = %s", (added, feed_id)
            )
