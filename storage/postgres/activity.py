"""Usage in PostgreSQL: the twin of ``storage.activity.SqliteActivityStore``."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.models import ActivityStats, Demand, ForwardOrigin
from storage.postgres.db import PgDatabase
from storage.rows import parse_dt

_ORIGIN_COLUMNS = (
    "origin_type, origin_chat_id, origin_username, origin_title, origin_message_id, origin_date"
)


class PgActivityStore:
    """Users, lookups, sightings and feedback; returns domain models."""

    def __init__(self, db: PgDatabase) -> None:
        self._db = db

    async def touch_user(self, user_id: int) -> str | None:
        """Record that the user was seen now; return their chosen language (one statement)."""
        now = datetime.now(UTC)  # the application's clock, as SQLite's store uses
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO users (id, first_seen, last_seen) VALUES (%s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen "
                "RETURNING language",
                (user_id, now, now),
            )
            row = await cursor.fetchone()
        return str(row["language"]) if row is not None and row["language"] is not None else None

    async def language(self, user_id: int) -> str | None:
        row = await self._db.fetchone("SELECT language FROM users WHERE id = %s", (user_id,))
        return str(row["language"]) if row is not None and row["language"] is not None else None

    async def set_language(self, user_id: int, language: str | None) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO users (id, language, first_seen, last_seen) "
                "VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET language = excluded.language, "
                "last_seen = excluded.last_seen",
                (user_id, language, datetime.now(UTC), datetime.now(UTC)),
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
        now = datetime.now(UTC)
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO queries (user_id, kind, outcome, article_id, score, created_at) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                (user_id, kind, outcome, article_id, score, now),
            )
            if sighting and article_id is not None:
                await conn.execute(
                    f"INSERT INTO sightings (article_id, user_id, {_ORIGIN_COLUMNS}, seen_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (
                        article_id,
                        user_id,
                        origin.type if origin else None,
                        origin.chat_id if origin else None,
                        origin.username if origin else None,
                        origin.title if origin else None,
                        origin.message_id if origin else None,
                        origin.date if origin else None,
                        now,
                    ),
                )

    async def demand(self, article_id: int) -> Demand:
        """Aggregate the article's sightings; the first origin is the earliest channel post."""
        async with self._db.reading() as conn:
            cursor = await conn.execute(
                "SELECT count(*) AS times, count(DISTINCT user_id) AS users, "
                "count(DISTINCT CASE WHEN origin_type = 'channel' THEN origin_chat_id END) "
                "AS channels, min(seen_at) AS first_seen, max(seen_at) AS last_seen "
                "FROM sightings WHERE article_id = %s",
                (article_id,),
            )
            counts = await cursor.fetchone()
            assert counts is not None
            cursor = await conn.execute(
                f"SELECT {_ORIGIN_COLUMNS} FROM sightings "
                "WHERE article_id = %s AND origin_type IN ('channel', 'chat') "
                "ORDER BY origin_date IS NULL, origin_date, id LIMIT 1",
                (article_id,),
            )
            origin = await cursor.fetchone()
        first_origin = None
        if origin is not None:
            first_origin = ForwardOrigin(
                type=origin["origin_type"],
                chat_id=origin["origin_chat_id"],
                username=origin["origin_username"],
                title=origin["origin_title"],
                message_id=origin["origin_message_id"],
                date=parse_dt(origin["origin_date"]),
            )
        return Demand(
            times=int(counts["times"]),
            users=int(counts["users"]),
            channels=int(counts["channels"]),
            first_seen=parse_dt(counts["first_seen"]),
            last_seen=parse_dt(counts["last_seen"]),
            first_origin=first_origin,
        )

    async def record_feedback(self, user_id: int | None, article_id: int, verdict: str) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO feedback (user_id, article_id, verdict, created_at) "
                "SELECT %s, id, %s, %s FROM articles WHERE id = %s",
                (user_id, verdict, datetime.now(UTC), article_id),
            )

    async def stats(self, since: datetime) -> ActivityStats:
        """Usage since ``since`` (an aware datetime)."""
        row = await self._db.fetchone(
            "SELECT (SELECT count(*) FROM users) AS users, "
            "(SELECT count(*) FROM users WHERE last_seen >= %(s)s) AS active, "
            "(SELECT count(*) FROM queries WHERE created_at >= %(s)s) AS queries, "
            "(SELECT count(*) FROM sightings WHERE seen_at >= %(s)s) AS forwards, "
            "(SELECT count(*) FROM queries WHERE outcome = 'none' AND created_at >= %(s)s) "
            "AS unmatched_today, "
            "(SELECT count(*) FROM queries WHERE outcome = 'none') AS unmatched, "
            "(SELECT count(*) FROM feedback WHERE verdict = 'not_this') AS not_this",
            {"s": since},
        )
        assert row is not None
        return ActivityStats(
            users=int(row["users"]),
            active_today=int(row["active"]),
            queries_today=int(row["queries"]),
            forwards_today=int(row["forwards"]),
            unmatched_today=int(row["unmatched_today"]),
            unmatched_total=int(row["unmatched"]),
            not_this_total=int(row["not_this"]),
        )
