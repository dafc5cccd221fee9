"""News feeds in SQLite: the feed list with its poll schedule and HTTP validators, and the
items already seen per feed (so each poll fetches only what is new)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from bot.core.models import Feed
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
        """Feeds to poll now, with their (etag, last_modified) validators."""
        rows = await self._db.fetchall(
            f"SELECT {FEED_COLUMNS}, etag, last_modified FROM feeds WHERE next_poll <= ? "
            "ORDER BY next_poll, id LIMIT ?",
            (utc_iso(now), limit),
        )
        return [(feed_from_row(r), r["etag"], r["last_modified"]) for r in rows]

    async def unseen(self, feed_id: int, keys: Sequence[str]) -> list[str]:
        """Which of these item keys this feed has not seen yet, in the given order."""
        if not keys:
            return []
        rows = await self._db.fetchall(
            "SELECT item_key FROM feed_items WHERE feed_id = ? AND item_key IN "
            "(SELECT value FROM json_each(?))",
            (feed_id, json.dumps(list(keys))),
        )
        seen = {str(r[0]) for r in rows}
        return [k for k in dict.fromkeys(keys) if k not in seen]

    async def record_items(
        self, feed_id: int, items: Sequence[tuple[str, int | None, str]]
    ) -> None:
        """Mark items seen: (item_key, article_id, status added/present/failed)."""
        now = utc_now_iso()
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO feed_items (feed_id, item_key, article_id, status, seen_at) "
                "SELECT ?, ?, (SELECT id FROM articles WHERE id = ?), ?, ? "
                "ON CONFLICT (feed_id, item_key) DO NOTHING",
                [(feed_id, key, article_id, status, now) for key, article_id, status in items],
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
                "UPDATE feeds SET last_polled = ?, last_status = ?, last_error = ?, "
                "next_poll = ?, etag = coalesce(?, etag), "
                "last_modified = coalesce(?, last_modified), "
                "items_added = items_added + ?, title = coalesce(title, ?) WHERE id = ?",
                (
                    utc_now_iso(),
                    status,
                    error,
                    utc_iso(next_poll),
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
                "UPDATE feeds SET items_added = items_added + ? WHERE id = ?", (added, feed_id)
            )
