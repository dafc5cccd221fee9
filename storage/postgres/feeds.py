"""News feeds in PostgreSQL: the twin of ``storage.feeds.SqliteFeedStore``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bot.core.models import Feed, FeedItem
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
        """Feeds to poll now, with their (etag, last_modified) validators; none for a feed
        with a failed item due for another try (an unchanged feed would answer 304, and the
        item would never be seen again)."""
        rows = await self._db.fetchall(
            f"SELECT {FEED_COLUMNS}, CASE WHEN r.retry THEN NULL ELSE etag END AS etag, "
            "CASE WHEN r.retry THEN NULL ELSE last_modified END AS last_modified "
            "FROM feeds CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM feed_items i "
            "WHERE i.feed_id = feeds.id AND i.status = 'failed' AND i.retry_at <= %s) "
            "AS retry) AS r WHERE next_poll <= %s ORDER BY next_poll, id LIMIT %s",
            (now, now, limit),
        )
        return [(feed_from_row(r), r["etag"], r["last_modified"]) for r in rows]

    async def unseen(self, feed_id: int, keys: Sequence[str], now: datetime) -> dict[str, int]:
        """The item keys to fetch now, in the given order, each with its failed attempts so
        far: never seen (0), or failed before and due for another try."""
        if not keys:
            return {}
        rows = await self._db.fetchall(
            "SELECT item_key, status, failures, retry_at FROM feed_items "
            "WHERE feed_id = %s AND item_key = ANY (%s)",
            (feed_id, list(keys)),
        )
        seen = {str(r["item_key"]): r for r in rows}
        out: dict[str, int] = {}
        for key in dict.fromkeys(keys):
            row = seen.get(key)
            if row is None:
                out[key] = 0
            elif row["status"] == "failed" and row["retry_at"] and row["retry_at"] <= now:
                out[key] = int(row["failures"])
        return out

    async def record_items(self, feed_id: int, items: Sequence[FeedItem]) -> None:
        """What became of these items; a retried item that had failed is overwritten."""
        if not items:
            return
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO feed_items (feed_id, item_key, article_id, status, seen_at, reason, "
                "failures, retry_at) "
                "SELECT %s, u.key, a.id, u.status, %s, u.reason, u.failures, u.retry_at "
                "FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::text[], %s::int[], "
                "%s::timestamptz[]) WITH ORDINALITY "
                "AS u (key, article_id, status, reason, failures, retry_at, ord) "
                "LEFT JOIN articles AS a ON a.id = u.article_id ORDER BY u.ord "
                "ON CONFLICT (feed_id, item_key) DO UPDATE SET article_id = excluded.article_id, "
                "status = excluded.status, seen_at = excluded.seen_at, reason = excluded.reason, "
                "failures = excluded.failures, retry_at = excluded.retry_at "
                "WHERE feed_items.status = 'failed'",
                (
                    feed_id,
                    datetime.now(UTC),
                    [i.key for i in items],
                    [i.article_id for i in items],
                    [i.status for i in items],
                    [i.reason for i in items],
                    [i.failures for i in items],
                    [i.retry_at for i in items],
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
        failures: int = 0,
    ) -> None:
        """After a poll: schedule the next one, keep the validators, count what was added
        and the consecutive failures (0 after a good poll)."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE feeds SET last_polled = %s, last_status = %s, last_error = %s, "
                "next_poll = %s, etag = coalesce(%s, etag), "
                "last_modified = coalesce(%s, last_modified), "
                "items_added = items_added + %s, title = coalesce(title, %s), failures = %s "
                "WHERE id = %s",
                (
                    datetime.now(UTC),
                    status,
                    error,
                    next_poll,
                    etag,
                    last_modified,
                    added,
                    title,
                    failures,
                    feed_id,
                ),
            )

    async def add_count(self, feed_id: int, added: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE feeds SET items_added = items_added + %s WHERE id = %s", (added, feed_id)
            )
