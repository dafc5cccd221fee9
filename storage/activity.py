"""Who uses the bot and what they send it: users, lookups, sightings (forwards), feedback.

Kept apart from the archive (``articles.py``): the archive is the curated knowledge, this is
usage. Message texts are never stored here, only what a lookup found; user submissions of
unknown articles go into the archive itself, marked ``provenance = 'user'``.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.models import ActivityStats, Demand, ForwardOrigin
from storage.db import Database
from storage.rows import parse_dt, utc_iso, utc_now_iso

_ORIGIN_COLUMNS = (
    "origin_type, origin_chat_id, origin_username, origin_title, origin_message_id, origin_date"
)


def _iso(value: datetime) -> str:
    return value.isoformat()


class SqliteActivityStore:
    """Usage records in the same SQLite file as the archive; returns domain models."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def touch_user(self, user_id: int) -> str | None:
        """Record that the user was seen now; return their chosen language (None: not set).

        One statement on the hot path: an upsert that returns the stored preference.
        """
        now = utc_now_iso()
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "INSERT INTO users (id, first_seen, last_seen) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen "
                "RETURNING language",
                (user_id, now, now),
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return str(row[0]) if row is not None and row[0] is not None else None

    async def language(self, user_id: int) -> str | None:
        row = await self._db.fetchone("SELECT language FROM users WHERE id = ?", (user_id,))
        return str(row[0]) if row is not None and row[0] is not None else None

    async def set_language(self, user_id: int, language: str | None) -> None:
        now = utc_now_iso()
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO users (id, language, first_seen, last_seen) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET language = excluded.language, "
                "last_seen = excluded.last_seen",
                (user_id, language, now, now),
            )

    async def record_lookup(
        self,
        *,
        user_id: int | None,
        kind: str,
        outcome: str,
        article_id: int | None,
        score: float | None,
        sighting: bool = False,
        origin: ForwardOrigin | None = None,
    ) -> None:
        """Log one lookup; with ``sighting``, also count the article as sent to the bot."""
        now = utc_now_iso()
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO queries (user_id, kind, outcome, article_id, score, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (user_id, kind, outcome, article_id, score, now),
            )
            if sighting and article_id is not None:
                await conn.execute(
                    f"INSERT INTO sightings (article_id, user_id, {_ORIGIN_COLUMNS}, seen_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article_id,
                        user_id,
                        origin.type if origin else None,
                        origin.chat_id if origin else None,
                        origin.username if origin else None,
                        origin.title if origin else None,
                        origin.message_id if origin else None,
                        _iso(origin.date) if origin and origin.date else None,
                        now,
                    ),
                )

    async def demand(self, article_id: int) -> Demand:
        """Aggregate the article's sightings; the first origin is the earliest channel post."""
        async with self._db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT count(*), count(DISTINCT user_id), "
                "count(DISTINCT CASE WHEN origin_type = 'channel' THEN origin_chat_id END), "
                "min(seen_at), max(seen_at) FROM sightings WHERE article_id = ?",
                (article_id,),
            )
            times, users, channels, first_seen, last_seen = next(iter(rows))
            origin_rows = await conn.execute_fetchall(
                f"SELECT {_ORIGIN_COLUMNS} FROM sightings "
                "WHERE article_id = ? AND origin_type IN ('channel', 'chat') "
                "ORDER BY origin_date IS NULL, origin_date, id LIMIT 1",
                (article_id,),
            )
        first_origin = None
        for row in origin_rows:
            first_origin = ForwardOrigin(
                type=row[0],
                chat_id=row[1],
                username=row[2],
                title=row[3],
                message_id=row[4],
                date=parse_dt(row[5]),
            )
        return Demand(
            times=int(times),
            users=int(users),
            channels=int(channels),
            first_seen=parse_dt(first_seen),
            last_seen=parse_dt(last_seen),
            first_origin=first_origin,
        )

    async def record_feedback(self, user_id: int | None, article_id: int, verdict: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO feedback (user_id, article_id, verdict, created_at) "
                "SELECT ?, id, ?, ? FROM articles WHERE id = ?",
                (user_id, verdict, utc_now_iso(), article_id),
            )

    async def stats(self, since: datetime) -> ActivityStats:
        """Usage since ``since`` (an aware datetime: the start of "today" for the admin)."""
        start = utc_iso(since)
        async with self._db.reading() as conn:
            rows = await conn.execute_fetchall(
                "SELECT (SELECT count(*) FROM users), "
                "(SELECT count(*) FROM users WHERE last_seen >= :s), "
                "(SELECT count(*) FROM queries WHERE created_at >= :s), "
                "(SELECT count(*) FROM sightings WHERE seen_at >= :s), "
                "(SELECT count(*) FROM queries WHERE outcome = 'none' AND created_at >= :s), "
                "(SELECT count(*) FROM queries WHERE outcome = 'none'), "
                "(SELECT count(*) FROM feedback WHERE verdict = 'not_this')",
                {"s": start},
            )
        users, active, queries, forwards, unmatched_today, unmatched, not_this = next(iter(rows))
        return ActivityStats(
            users=users,
            active_today=active,
            queries_today=queries,
            forwards_today=forwards,
            unmatched_today=unmatched_today,
            unmatched_total=unmatched,
            not_this_total=not_this,
        )
