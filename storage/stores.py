"""Every repository of one archive, opened together: what the composition root holds.

``open_stores(target)`` is the one place that turns the ``KATASIAPA_DB`` setting into
repositories - a file path is a SQLite archive, a ``postgresql://`` URL a PostgreSQL one;
services receive the protocol-typed members, never the database itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.core.health import WriteHealth
from storage.activity import SqliteActivityStore
from storage.articles import SqliteArticleStore
from storage.db import Database, backup, check_integrity
from storage.digests import SqliteDigestStore
from storage.feeds import SqliteFeedStore
from storage.postgres.activity import PgActivityStore
from storage.postgres.articles import PgArticleStore
from storage.postgres.db import PgDatabase, is_postgres_url
from storage.postgres.digests import PgDigestStore
from storage.postgres.feeds import PgFeedStore
from storage.postgres.search import PgMatchIndex
from storage.protocols import ActivityStore, ArticleStore, DigestStore, FeedStore, MatchIndex
from storage.search import SqliteMatchIndex


@dataclass(frozen=True, slots=True)
class Stores:
    """The repositories of one archive, sharing one connection (SQLite) or pool (PostgreSQL)."""

    articles: ArticleStore
    activity: ActivityStore
    digests: DigestStore
    feeds: FeedStore
    index: MatchIndex
    location: str  # where the archive is, for messages (a file path or URL; never a password)
    closer: Callable[[], Awaitable[None]]
    health: WriteHealth  # whether writes work right now (a full disk refuses them)

    async def close(self) -> None:
        await self.closer()


def sqlite_stores(db: Database) -> Stores:
    """Repositories over an open SQLite database; ``close()`` closes it."""
    return Stores(
        articles=SqliteArticleStore(db),
        activity=SqliteActivityStore(db),
        digests=SqliteDigestStore(db),
        feeds=SqliteFeedStore(db),
        index=SqliteMatchIndex(db),
        location=db.path,
        closer=db.close,
        health=db.health,
    )


def postgres_stores(db: PgDatabase) -> Stores:
    """Repositories over an open PostgreSQL pool; ``close()`` closes the pool."""
    return Stores(
        articles=PgArticleStore(db),
        activity=PgActivityStore(db),
        digests=PgDigestStore(db),
        feeds=PgFeedStore(db),
        index=PgMatchIndex(db),
        location=db.location,
        closer=db.close,
        health=db.health,
    )


async def open_stores(
    target: str | Path,
    *,
    busy_timeout_ms: int = 5000,
    read_only: bool = False,
    pool_size: int = 10,
) -> Stores:
    """Open (creating and migrating as needed) the archive at ``target``: a SQLite file, or
    a ``postgresql://`` URL (``busy_timeout_ms`` is then PostgreSQL's ``lock_timeout``, and
    ``pool_size`` the most connections this process holds)."""
    if is_postgres_url(target):
        pg = await PgDatabase.open(
            str(target),
            lock_timeout_ms=busy_timeout_ms,
            read_only=read_only,
            pool_size=pool_size,
        )
        return postgres_stores(pg)
    db = await Database.open(target, busy_timeout_ms=busy_timeout_ms, read_only=read_only)
    return sqlite_stores(db)


def check_archive(target: str | Path, *, seconds: float) -> bool:
    """A quick integrity check before the bot starts on an archive (bounded in time): True
    passed, False out of time; a damaged archive raises StorageError with how to recover."""
    return check_integrity(target, seconds=seconds)


def backup_archive(target: str | Path, dest: str | Path) -> int:
    """A consistent copy of the archive, safe while the bot runs; pages copied."""
    return backup(target, dest)
