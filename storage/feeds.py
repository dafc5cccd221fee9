"""News feeds in SQLite: the feed list with its poll schedule and HTTP validators, and the
items already seen per feed (so each poll fetches only what is new)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from bot.core.models import Feed, FeedItem
from storage.db import Database
from storage.rows import FEED_COLUMNS, feed_from_row, utc_iso, utc_now_iso


class SqliteFeedStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self, url: str, title: str | None, *, interval_s: int, next_poll: datetime
    ) -> tuple[Feed, bool]:
        """Add a feed; (feed, False) when the URL is already in the list."""
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "INSERT INTO feeds (url, title, interval_s, next_poll, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING",
                (url, title, interval_s, utc_iso(next_poll), utc_now_iso()),
            ) as cursor,
        ):
            added = cursor.rowcount > 0
        row = await self._db.fetchone(f"SELECT {FEED_COLUMNS} FROM feeds WHERE url = ?", (url,))
        assert row is not None
        return feed_from_row(row), added

    async def remove(self, feed_id: int) -> bool:
        async with (
            self._db.transaction() as conn,
            conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,)) as cursor,
        ):
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
        retry = (
            "EXISTS (SELECT 1 FROM feed_items i WHERE i.feed_id = feeds.id "
            "AND i.status = 'failed' AND i.retry_at <= ?)"
        )
        rows = await self._db.fetchall(
            f"SELECT {FEED_COLUMNS}, CASE WHEN {retry} THEN NULL ELSE etag END AS etag, "
            f"CASE WHEN {retry} THEN NULL ELSE last_modified END AS last_modified "
            "FROM feeds WHERE next_poll <= ? ORDER BY next_poll, id LIMIT ?",
            (utc_iso(now), utc_iso(now), utc_iso(now), limit),
        )
        return [(feed_from_row(r), r["etag"], r["last_modified"]) for r in rows]

    async def unseen(self, feed_id: int, keys: Sequence[str], now: datetime) -> dict[str, int]:
        """The item keys to fetch now, in the given order, each with its failed attempts so
        far: never seen (0), or failed before and due for another try."""
        if not keys:
            return {}
        rows = await self._db.fetchall(
            "SELECT item_key, status, failures, retry_at FROM feed_items "
            "WHERE feed_id = ? AND item_key IN (SELECT value FROM json_each(?))",
            (feed_id, json.dumps(list(keys))),
        )
        seen = {str(r["item_key"]): r for r in rows}
        due = utc_iso(now)
        out: dict[str, int] = {}
        for key in dict.fromkeys(keys):
            row = seen.get(key)
            if row is None:
                out[key] = 0
            elif row["status"] == "failed" and row["retry_at"] and row["retry_at"] <= due:
                out[key] = int(row["failures"])
        return out

    async def record_items(self, feed_id: int, items: Sequence[FeedItem]) -> None:
        """What became of these items; a retried item that had failed is overwritten."""
        now = utc_now_iso()
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO feed_items (feed_id, item_key, article_id, status, seen_at, reason, "
                "failures, retry_at) "
                "SELECT ?, ?, (SELECT id FROM articles WHERE id = ?), ?, ?, ?, ?, ? "
                "WHERE true "  # (an upsert after INSERT ... SELECT needs a WHERE)
                "ON CONFLICT (feed_id, item_key) DO UPDATE SET article_id = excluded.article_id, "
                "status = excluded.status, seen_at = excluded.seen_at, reason = excluded.reason, "
                "failures = excluded.failures, retry_at = excluded.retry_at "
                "WHERE feed_items.status = 'failed'",
                [
                    (feed_id, i.key, i.article_id, i.status, now, i.reason, i.failures,
                     utc_iso(i.retry_at) if i.retry_at else None)
                    for i in items
                ],
            )  # fmt: skip

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
                "UPDATE feeds SET last_polled = ?, last_status = ?, last_error = ?, "
                "next_poll = ?, etag = coalesce(?, etag), "
                "last_modified = coalesce(?, last_modified), "
                "items_added = items_added + ?, title = coalesce(title, ?), failures = ? "
                "WHERE id = ?",
                (
                    utc_now_iso(),
                    status,
                    error,
                    utc_iso(next_poll),
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
                "UPDATE feeds SET items_added = items_added + ? WHERE id = ?", (added, feed_id)
            )
