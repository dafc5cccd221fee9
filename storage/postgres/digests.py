"""Daily digests in PostgreSQL: the twin of ``storage.digests.SqliteDigestStore``.

The delivery log keeps its promise across processes: a claim is an ``INSERT ... ON
CONFLICT DO NOTHING`` and, when the row exists, a ``SELECT ... FOR UPDATE`` of it, so two
senders racing for one subscriber's digest serialize on that row and exactly one of them
gets "claimed".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from psycopg.rows import DictRow

from bot.core.models import (
    DigestArticle,
    DigestRun,
    DigestWindow,
    Provenance,
    StoredClaim,
    Subscription,
)
from storage.postgres.db import PgDatabase
from storage.postgres.reads import claims_where
from storage.protocols import ClaimOutcome, FollowOutcome
from storage.rows import parse_dt

# The language chosen with /lang wins over the one recorded at /subscribe.
_SUB_COLUMNS = (
    "s.user_id, s.chat_id, s.active, s.send_time, s.timezone, "
    "coalesce(u.language, s.language) AS language, s.next_due"
)
_SUB_FROM = "subscriptions s LEFT JOIN users u ON u.id = s.user_id"
_ARTICLE_COLUMNS = "id, title, outlet, published_at, provenance, created_at"
_FOLLOW_LOCK = "katasiapa:follow:"


def _subscription(row: DictRow, follows: list[str]) -> Subscription:
    next_due = parse_dt(row["next_due"])
    assert next_due is not None
    return Subscription(
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        active=bool(row["active"]),
        send_time=row["send_time"],
        timezone=row["timezone"],
        language=row["language"],
        next_due=next_due,
        follows=follows,
    )


def _now() -> datetime:
    return datetime.now(UTC)


class PgDigestStore:
    """Subscriptions, follows, the delivery log and digest window reads."""

    def __init__(self, db: PgDatabase) -> None:
        self._db = db

    # -- subscriptions --------------------------------------------------------------------

    async def subscribe(
        self,
        user_id: int,
        chat_id: int,
        *,
        send_time: str,
        timezone: str,
        language: str | None,
        next_due: datetime,
    ) -> Subscription:
        """Start (or restart, or reschedule) the user's digest."""
        now = _now()
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO subscriptions (user_id, chat_id, active, send_time, timezone, "
                "language, next_due, created_at, updated_at) "
                "VALUES (%s, %s, true, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id, active = true, "
                "send_time = excluded.send_time, timezone = excluded.timezone, "
                "language = excluded.language, next_due = excluded.next_due, "
                "ended_reason = NULL, updated_at = excluded.updated_at",
                (user_id, chat_id, send_time, timezone, language, next_due, now, now),
            )
        found = await self.get(user_id)
        assert found is not None
        return found

    async def get(self, user_id: int) -> Subscription | None:
        row = await self._db.fetchone(
            f"SELECT {_SUB_COLUMNS} FROM {_SUB_FROM} WHERE s.user_id = %s", (user_id,)
        )
        if row is None:
            return None
        return _subscription(row, await self.follows(user_id))

    async def end(self, user_id: int, reason: str) -> bool:
        """Stop the digest (unsubscribed, blocked the bot); True if it was active."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE subscriptions SET active = false, ended_reason = %s, updated_at = %s "
                "WHERE user_id = %s AND active",
                (reason, _now(), user_id),
            )
            return cursor.rowcount > 0

    async def reschedule(
        self, user_id: int, *, send_time: str, timezone: str, next_due: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE subscriptions SET send_time = %s, timezone = %s, next_due = %s, "
                "updated_at = %s WHERE user_id = %s",
                (send_time, timezone, next_due, _now(), user_id),
            )

    async def advance(self, user_id: int, next_due: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE subscriptions SET next_due = %s WHERE user_id = %s", (next_due, user_id)
            )

    async def move_chat(self, user_id: int, chat_id: int) -> None:
        """Telegram moved the chat (ChatMigrated): keep delivering to the new id."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE subscriptions SET chat_id = %s, updated_at = %s WHERE user_id = %s",
                (chat_id, _now(), user_id),
            )

    async def due(self, now: datetime, limit: int) -> list[Subscription]:
        """Active subscriptions whose next digest is due, earliest first, with follows."""
        rows = await self._db.fetchall(
            f"SELECT {_SUB_COLUMNS} FROM {_SUB_FROM} WHERE s.active AND s.next_due <= %s "
            "ORDER BY s.next_due, s.user_id LIMIT %s",
            (now, limit),
        )
        follows = await self._follows_of([int(r["user_id"]) for r in rows])
        return [_subscription(r, follows.get(int(r["user_id"]), [])) for r in rows]

    async def count_active(self) -> int:
        row = await self._db.fetchone("SELECT count(*) AS n FROM subscriptions WHERE active")
        return int(row["n"]) if row is not None else 0

    # -- follows --------------------------------------------------------------------------

    async def follows(self, user_id: int) -> list[str]:
        return (await self._follows_of([user_id])).get(user_id, [])

    async def _follows_of(self, user_ids: Sequence[int]) -> dict[int, list[str]]:
        if not user_ids:
            return {}
        rows = await self._db.fetchall(
            "SELECT user_id, value FROM follows WHERE user_id = ANY (%s) ORDER BY id",
            (list(user_ids),),
        )
        out: dict[int, list[str]] = {}
        for row in rows:
            out.setdefault(int(row["user_id"]), []).append(str(row["value"]))
        return out

    async def follow(self, user_id: int, value: str, key: str, *, cap: int) -> FollowOutcome:
        """Add a follow unless it exists or the user is at ``cap``; the user's follows are
        decided one request at a time (an advisory lock on the user), so two workers cannot
        both add the follow that goes over the cap."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                (f"{_FOLLOW_LOCK}{user_id}",),
            )
            cursor = await conn.execute(
                "SELECT count(*) AS n, count(*) FILTER (WHERE value_key = %s) AS same "
                "FROM follows WHERE user_id = %s",
                (key, user_id),
            )
            row = await cursor.fetchone()
            assert row is not None
            if int(row["same"]):
                return "exists"
            if int(row["n"]) >= cap:
                return "full"
            await conn.execute(
                "INSERT INTO follows (user_id, value, value_key, created_at) "
                "VALUES (%s, %s, %s, %s)",
                (user_id, value, key, _now()),
            )
        return "added"

    async def unfollow(self, user_id: int, key: str) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM follows WHERE user_id = %s AND value_key = %s", (user_id, key)
            )
            return cursor.rowcount > 0

    # -- the delivery log -----------------------------------------------------------------

    async def claim(self, user_id: int, digest_date: date, run_id: str) -> ClaimOutcome:
        """Reserve the digest for this run before sending it (see the SQLite twin for the
        outcomes). Racing claims serialize on the row: exactly one is "claimed"."""
        now = _now()
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO deliveries (user_id, digest_date, status, run_id, updated_at) "
                "VALUES (%s, %s, 'sending', %s, %s) ON CONFLICT DO NOTHING",
                (user_id, digest_date, run_id, now),
            )
            if cursor.rowcount > 0:
                return "claimed"
            cursor = await conn.execute(
                "SELECT status, run_id FROM deliveries WHERE user_id = %s AND digest_date = %s "
                "FOR UPDATE",
                (user_id, digest_date),
            )
            row = await cursor.fetchone()
            assert row is not None  # deliveries are never deleted
            status, owner = str(row["status"]), str(row["run_id"])
            if status == "failed" or (status == "sending" and owner != run_id):
                await conn.execute(
                    "UPDATE deliveries SET status = 'sending', run_id = %s, "
                    "attempts = attempts + 1, updated_at = %s "
                    "WHERE user_id = %s AND digest_date = %s",
                    (run_id, now, user_id, digest_date),
                )
                return "ambiguous" if status == "sending" else "claimed"
            return "done"

    async def settle(
        self,
        user_id: int,
        digest_date: date,
        status: str,
        *,
        messages: int = 0,
        error: str | None = None,
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE deliveries SET status = %s, messages = %s, error = %s, updated_at = %s "
                "WHERE user_id = %s AND digest_date = %s",
                (status, messages, error, _now(), user_id, digest_date),
            )

    async def delivery_status(self, user_id: int, digest_date: date) -> str | None:
        row = await self._db.fetchone(
            "SELECT status FROM deliveries WHERE user_id = %s AND digest_date = %s",
            (user_id, digest_date),
        )
        return str(row["status"]) if row is not None else None

    # -- runs -----------------------------------------------------------------------------

    async def save_run(self, run: DigestRun) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO digest_runs (id, started_at, finished_at, due, sent, empty, late, "
                "failed, deactivated, ambiguous) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at, "
                "due = excluded.due, sent = excluded.sent, empty = excluded.empty, "
                "late = excluded.late, failed = excluded.failed, "
                "deactivated = excluded.deactivated, ambiguous = excluded.ambiguous",
                (
                    run.run_id,
                    run.started_at,
                    run.finished_at,
                    run.due,
                    run.sent,
                    run.empty,
                    run.late,
                    run.failed,
                    run.deactivated,
                    run.ambiguous,
                ),
            )

    async def last_run(self) -> DigestRun | None:
        row = await self._db.fetchone(
            "SELECT id, started_at, finished_at, due, sent, empty, late, failed, deactivated, "
            "ambiguous FROM digest_runs WHERE due > 0 ORDER BY started_at DESC LIMIT 1"
        )
        if row is None:
            return None
        started = parse_dt(row["started_at"])
        assert started is not None
        return DigestRun(
            run_id=row["id"],
            started_at=started,
            finished_at=parse_dt(row["finished_at"]),
            due=row["due"],
            sent=row["sent"],
            empty=row["empty"],
            late=row["late"],
            failed=row["failed"],
            deactivated=row["deactivated"],
            ambiguous=row["ambiguous"],
        )

    # -- what is new ----------------------------------------------------------------------

    async def window(
        self, start: datetime, end: datetime, *, limit: int = 200, forwarded: int = 5
    ) -> DigestWindow:
        """Articles stored in [start, end) with their claims (user submissions left out),
        and the most forwarded articles of the window."""
        async with self._db.reading() as conn:
            cursor = await conn.execute(
                "SELECT article_id, count(*) AS n FROM sightings "
                "WHERE seen_at >= %s AND seen_at < %s GROUP BY article_id "
                "ORDER BY n DESC, article_id LIMIT %s",
                (start, end, forwarded),
            )
            forwards = {int(r["article_id"]): int(r["n"]) for r in await cursor.fetchall()}
            cursor = await conn.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles "
                "WHERE created_at >= %s AND created_at < %s AND provenance != 'user' "
                "ORDER BY created_at DESC, id DESC LIMIT %s",
                (start, end, limit),
            )
            rows = await cursor.fetchall()
            new_ids = {int(r["id"]) for r in rows}
            extra = [i for i in forwards if i not in new_ids]
            if extra:
                cursor = await conn.execute(
                    f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ANY (%s)", (extra,)
                )
                rows += await cursor.fetchall()
            claims: dict[int, list[StoredClaim]] = {}
            if rows:
                for claim in await claims_where(
                    conn, "article_id = ANY (%s)", ([int(r["id"]) for r in rows],)
                ):
                    claims.setdefault(claim.article_id, []).append(claim)
        articles = {}
        for r in rows:
            created = parse_dt(r["created_at"])
            assert created is not None
            articles[int(r["id"])] = DigestArticle(
                article_id=r["id"],
                title=r["title"],
                outlet=r["outlet"],
                published_at=parse_dt(r["published_at"]),
                provenance=Provenance(r["provenance"]),
                created_at=created,
                forwards=forwards.get(int(r["id"]), 0),
                claims=claims.get(int(r["id"]), []),
            )
        return DigestWindow(
            start=start,
            end=end,
            new_articles=[a for i, a in articles.items() if i in new_ids],
            most_forwarded=[articles[i] for i in forwards if i in articles],
        )
