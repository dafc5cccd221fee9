"""Daily digests in SQLite: subscriptions and follows, the delivery log, runs, window data.

The delivery log is the outbox: a row per (subscriber, digest date) is claimed *before* a
digest is sent and finished after, so the same day's digest is never sent twice, whatever
restarts in between. A row still ``sending`` from a run that no longer exists is
"ambiguous": the send may or may not have reached Telegram.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.core.models import (
    DigestArticle,
    DigestRun,
    DigestWindow,
    Provenance,
    StoredClaim,
    Subscription,
)
from storage.db import Database
from storage.protocols import ClaimOutcome, FollowOutcome
from storage.rows import claims_where, json_list, parse_dt, utc_iso, utc_now_iso

# The language chosen with /lang wins over the one recorded at /subscribe.
_SUB_COLUMNS = (
    "s.user_id, s.chat_id, s.active, s.send_time, s.timezone, "
    "coalesce(u.language, s.language), s.next_due"
)
_SUB_FROM = "subscriptions s LEFT JOIN users u ON u.id = s.user_id"
_ARTICLE_COLUMNS = "id, title, outlet, published_at, provenance, created_at"


def _subscription(row: Sequence[object], follows: list[str]) -> Subscription:
    return Subscription(
        user_id=row[0],
        chat_id=row[1],
        active=bool(row[2]),
        send_time=row[3],
        timezone=row[4],
        language=row[5],
        next_due=datetime.fromisoformat(str(row[6])),
        follows=follows,
    )


class SqliteDigestStore:
    """Subscriptions, follows, the delivery log and digest window reads."""

    def __init__(self, db: Database) -> None:
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
        now = utc_now_iso()
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO subscriptions (user_id, chat_id, active, send_time, timezone, "
                "language, next_due, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id, active = 1, "
                "send_time = excluded.send_time, timezone = excluded.timezone, "
                "language = excluded.language, next_due = excluded.next_due, "
                "ended_reason = NULL, updated_at = excluded.updated_at",
                (user_id, chat_id, send_time, timezone, language, utc_iso(next_due), now, now),
            )
        found = await self.get(user_id)
        assert found is not None  # just written, in the same connection
        return found

    async def get(self, user_id: int) -> Subscription | None:
        row = await self._db.fetchone(
            f"SELECT {_SUB_COLUMNS} FROM {_SUB_FROM} WHERE s.user_id = ?", (user_id,)
        )
        if row is None:
            return None
        return _subscription(tuple(row), await self.follows(user_id))

    async def end(self, user_id: int, reason: str) -> bool:
        """Stop the digest (unsubscribed, blocked the bot); True if it was active."""
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "UPDATE subscriptions SET active = 0, ended_reason = ?, updated_at = ? "
                "WHERE user_id = ? AND active = 1",
                (reason, utc_now_iso(), user_id),
            ) as cursor,
        ):
            return cursor.rowcount > 0

    async def reschedule(
        self, user_id: int, *, send_time: str, timezone: str, next_due: datetime
    ) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE subscriptions SET send_time = ?, timezone = ?, next_due = ?, "
                "updated_at = ? WHERE user_id = ?",
                (send_time, timezone, utc_iso(next_due), utc_now_iso(), user_id),
            )

    async def advance(self, user_id: int, next_due: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE subscriptions SET next_due = ? WHERE user_id = ?",
                (utc_iso(next_due), user_id),
            )

    async def move_chat(self, user_id: int, chat_id: int) -> None:
        """Telegram moved the chat (ChatMigrated): keep delivering to the new id."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE subscriptions SET chat_id = ?, updated_at = ? WHERE user_id = ?",
                (chat_id, utc_now_iso(), user_id),
            )

    async def due(self, now: datetime, limit: int) -> list[Subscription]:
        """Active subscriptions whose next digest is due, earliest first, with follows."""
        rows = await self._db.fetchall(
            f"SELECT {_SUB_COLUMNS} FROM {_SUB_FROM} WHERE s.active = 1 AND s.next_due <= ? "
            "ORDER BY s.next_due, s.user_id LIMIT ?",
            (utc_iso(now), limit),
        )
        follows = await self._follows_of([int(r[0]) for r in rows])
        return [_subscription(tuple(r), follows.get(int(r[0]), [])) for r in rows]

    async def count_active(self) -> int:
        row = await self._db.fetchone("SELECT count(*) FROM subscriptions WHERE active = 1")
        return int(row[0]) if row is not None else 0

    # -- follows --------------------------------------------------------------------------

    async def follows(self, user_id: int) -> list[str]:
        return (await self._follows_of([user_id])).get(user_id, [])

    async def _follows_of(self, user_ids: Sequence[int]) -> dict[int, list[str]]:
        if not user_ids:
            return {}
        rows = await self._db.fetchall(
            "SELECT user_id, value FROM follows WHERE user_id IN "
            "(SELECT value FROM json_each(?)) ORDER BY id",
            (json_list(user_ids),),
        )
        out: dict[int, list[str]] = {}
        for row in rows:
            out.setdefault(int(row[0]), []).append(str(row[1]))
        return out

    async def follow(self, user_id: int, value: str, key: str, *, cap: int) -> FollowOutcome:
        async with self._db.transaction() as conn:
            rows = list(
                await conn.execute_fetchall(
                    "SELECT count(*), sum(value_key = ?) FROM follows WHERE user_id = ?",
                    (key, user_id),
                )
            )
            count, exists = int(rows[0][0]), int(rows[0][1] or 0)
            if exists:
                return "exists"
            if count >= cap:
                return "full"
            await conn.execute(
                "INSERT INTO follows (user_id, value, value_key, created_at) VALUES (?, ?, ?, ?)",
                (user_id, value, key, utc_now_iso()),
            )
        return "added"

    async def unfollow(self, user_id: int, key: str) -> bool:
        async with (
            self._db.transaction() as conn,
            conn.execute(
                "DELETE FROM follows WHERE user_id = ? AND value_key = ?", (user_id, key)
            ) as cursor,
        ):
            return cursor.rowcount > 0

    # -- the delivery log -----------------------------------------------------------------

    async def claim(self, user_id: int, digest_date: date, run_id: str) -> ClaimOutcome:
        """Reserve today's digest for this run before sending it.

        "claimed": go ahead. "done": already sent (or settled: empty, late, blocked).
        "ambiguous": a run that no longer exists claimed it and never confirmed; the row
        is re-claimed for this run and the caller decides (see bot/digests.py).
        """
        day = digest_date.isoformat()
        now = utc_now_iso()
        async with self._db.transaction() as conn:
            rows = list(
                await conn.execute_fetchall(
                    "SELECT status, run_id FROM deliveries WHERE user_id = ? AND digest_date = ?",
                    (user_id, day),
                )
            )
            if not rows:
                await conn.execute(
                    "INSERT INTO deliveries (user_id, digest_date, status, run_id, updated_at) "
                    "VALUES (?, ?, 'sending', ?, ?)",
                    (user_id, day, run_id, now),
                )
                return "claimed"
            status, owner = str(rows[0][0]), str(rows[0][1])
            if status == "failed" or (status == "sending" and owner != run_id):
                await conn.execute(
                    "UPDATE deliveries SET status = 'sending', run_id = ?, "
                    "attempts = attempts + 1, updated_at = ? "
                    "WHERE user_id = ? AND digest_date = ?",
                    (run_id, now, user_id, day),
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
                "UPDATE deliveries SET status = ?, messages = ?, error = ?, updated_at = ? "
                "WHERE user_id = ? AND digest_date = ?",
                (status, messages, error, utc_now_iso(), user_id, digest_date.isoformat()),
            )

    async def delivery_status(self, user_id: int, digest_date: date) -> str | None:
        row = await self._db.fetchone(
            "SELECT status FROM deliveries WHERE user_id = ? AND digest_date = ?",
            (user_id, digest_date.isoformat()),
        )
        return str(row[0]) if row is not None else None

    # -- runs -----------------------------------------------------------------------------

    async def save_run(self, run: DigestRun) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO digest_runs (id, started_at, finished_at, due, sent, empty, late, "
                "failed, deactivated, ambiguous) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at, "
                "due = excluded.due, sent = excluded.sent, empty = excluded.empty, "
                "late = excluded.late, failed = excluded.failed, "
                "deactivated = excluded.deactivated, ambiguous = excluded.ambiguous",
                (
                    run.run_id,
                    utc_iso(run.started_at),
                    utc_iso(run.finished_at) if run.finished_at else None,
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
        started = parse_dt(row[1])
        assert started is not None
        return DigestRun(
            run_id=row[0],
            started_at=started,
            finished_at=parse_dt(row[2]),
            due=row[3],
            sent=row[4],
            empty=row[5],
            late=row[6],
            failed=row[7],
            deactivated=row[8],
            ambiguous=row[9],
        )

    # -- what is new ----------------------------------------------------------------------

    async def window(
        self, start: datetime, end: datetime, *, limit: int = 200, forwarded: int = 5
    ) -> DigestWindow:
        """Articles stored in [start, end) with their claims (user submissions left out:
        a digest reports analyzed articles), and the most forwarded articles of the window."""
        lo, hi = utc_iso(start), utc_iso(end)
        async with self._db.reading() as conn:
            forwards = {
                int(r[0]): int(r[1])
                for r in await conn.execute_fetchall(
                    "SELECT article_id, count(*) AS n FROM sightings "
                    "WHERE seen_at >= ? AND seen_at < ? GROUP BY article_id "
                    "ORDER BY n DESC, article_id LIMIT ?",
                    (lo, hi, forwarded),
                )
            }
            rows = list(
                await conn.execute_fetchall(
                    f"SELECT {_ARTICLE_COLUMNS} FROM articles "
                    "WHERE created_at >= ? AND created_at < ? AND provenance != 'user' "
                    "ORDER BY created_at DESC, id DESC LIMIT ?",
                    (lo, hi, limit),
                )
            )
            new_ids = {int(r["id"]) for r in rows}
            extra = [i for i in forwards if i not in new_ids]
            if extra:
                rows += await conn.execute_fetchall(
                    f"SELECT {_ARTICLE_COLUMNS} FROM articles "
                    "WHERE id IN (SELECT value FROM json_each(?))",
                    (json_list(extra),),
                )
            claims: dict[int, list[StoredClaim]] = {}
            if rows:
                for claim in await claims_where(
                    conn,
                    "article_id IN (SELECT value FROM json_each(?))",
                    (json_list(int(r["id"]) for r in rows),),
                ):
                    claims.setdefault(claim.article_id, []).append(claim)
        articles = {
            int(r["id"]): DigestArticle(
                article_id=r["id"],
                title=r["title"],
                outlet=r["outlet"],
                published_at=parse_dt(r["published_at"]),
                provenance=Provenance(r["provenance"]),
                created_at=datetime.fromisoformat(r["created_at"]),
                forwards=forwards.get(int(r["id"]), 0),
                claims=claims.get(int(r["id"]), []),
            )
            for r in rows
        }
        return DigestWindow(
            start=start,
            end=end,
            new_articles=[a for i, a in articles.items() if i in new_ids],
            most_forwarded=[articles[i] for i in forwards if i in articles],
        )
