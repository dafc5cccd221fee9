"""The PostgreSQL side of ``KATASIAPA_DB``: URL checks, a connection pool, migrations, errors.

Everything that talks to PostgreSQL goes through :class:`PgDatabase`, so that every driver
error leaves storage as a one-line :class:`bot.core.errors.StorageError` that names the
database (never its password). After a database restart the pooled connections are dead:
the first request to meet one has the pool test and replace them all and tries again (a
read anywhere, a write at ``BEGIN``), so the next update is answered; a write that loses
its connection midway is rolled back by the server (nothing is half-written) and reported
as :class:`DatabaseUnavailableError`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import (
    AbstractAsyncContextManager,
    AsyncExitStack,
    asynccontextmanager,
    contextmanager,
)
from typing import Any, Final, TypeAlias, TypeVar

import psycopg
from psycopg import AsyncConnection, sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import DictRow, dict_row
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from bot.core.errors import (
    ArchiveFullError,
    ConfigError,
    DatabaseBusyError,
    DatabaseReadOnlyError,
    DatabaseUnavailableError,
    StorageError,
    WritesRefusedError,
)
from bot.core.health import WriteHealth
from storage.migrations import Migration, pending
from storage.postgres.migrations import MIGRATIONS, SCHEMA_MIGRATIONS_DDL, latest_version

log = logging.getLogger(__name__)

Conn: TypeAlias = AsyncConnection[DictRow]
T = TypeVar("T")

URL_SCHEMES: Final = ("postgresql://", "postgres://")
# Advisory lock keys (one bigint namespace per database): schema migrations, and the
# archive's writers (add_many allocates ids and keeps word counts under it).
MIGRATION_LOCK: Final = 0x4B53_0001
ARCHIVE_LOCK: Final = 0x4B53_0002

# SQLSTATE classes and codes we translate.
_BUSY = frozenset({"40001", "40P01", "55P03", "57014"})  # serialization, deadlock, lock, cancel
_READ_ONLY = frozenset({"25006"})
_AUTH = frozenset({"28P01", "28000"})
_NO_DATABASE = frozenset({"3D000"})
_GONE = frozenset({"57P01", "57P02", "57P03"})  # admin shutdown, crash shutdown, cannot connect


def is_postgres_url(target: object) -> bool:
    """Whether a ``KATASIAPA_DB`` value names a PostgreSQL database (else: a SQLite file)."""
    return isinstance(target, str) and target.lower().startswith(URL_SCHEMES)


def describe_url(url: str) -> str:
    """The database as ``postgresql://user@host:port/dbname`` for messages and logs: checked
    like libpq checks it (a bad URL is a :class:`ConfigError`), the password left out."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise _bad_url(exc) from exc
    user = str(parts.get("user") or "")
    host = str(parts.get("host") or "")
    port = str(parts.get("port") or "")
    dbname = str(parts.get("dbname") or "")
    who = f"{user}@" if user else ""
    if host.startswith("/") or not host:
        where = f"/{dbname}" + (f"?host={host}" if host else "")
        return f"postgresql://{who}{where}"
    return f"postgresql://{who}{host}{':' + port if port else ''}/{dbname}"


# libpq checks some URL values only when it connects ("invalid integer value ... for
# connection option "port"", "invalid sslmode value"): still a bad URL, not a dead server.
_BAD_OPTION = re.compile(r"invalid (?:\w+ )?value|invalid connection option|invalid URI", re.I)


def _bad_url(exc: BaseException) -> ConfigError:
    return ConfigError(
        f"KATASIAPA_DB is not a usable PostgreSQL URL ({_one_line(exc)}); expected e.g. "
        "postgresql://user:password@host:5432/dbname or "
        "postgresql://user@/dbname?host=/var/run/postgresql"
    )


def _one_line(exc: BaseException) -> str:
    """The driver's message on one line (libpq adds indented hints on further lines)."""
    text = str(exc).strip()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return " ".join(lines[:2]) if lines else type(exc).__name__


def map_pg_error(exc: BaseException, location: str) -> StorageError:
    """Translate a psycopg / pool error into the domain error tree, naming the database."""
    if isinstance(exc, StorageError):
        return exc
    text = _one_line(exc)
    if isinstance(exc, PoolTimeout):
        return DatabaseUnavailableError(
            f"No connection to the PostgreSQL archive {location} became free or could be "
            f"opened in time; is the database up? [{text}]"
        )
    state = getattr(exc, "sqlstate", None) or ""
    lowered = text.lower()
    if state in _AUTH or "password authentication failed" in lowered:
        return StorageError(
            f"PostgreSQL refused the login to {location}: wrong user name or password "
            f"(check the URL in KATASIAPA_DB). [{text}]"
        )
    if state in _NO_DATABASE or ("database" in lowered and "does not exist" in lowered):
        return StorageError(
            f"The database in {location} does not exist: create it first "
            f"(createdb, or CREATE DATABASE) and run again. [{text}]"
        )
    if state in _BUSY:
        return DatabaseBusyError(
            f"The archive {location} is busy (a lock is held by another worker); "
            f"try again in a moment. [{text}]"
        )
    if state in _READ_ONLY:
        return DatabaseReadOnlyError(
            f"The archive {location} is read-only; nothing was changed. [{text}]"
        )
    if state == "53100":
        return ArchiveFullError(
            f"The disk holding the archive {location} is full; nothing was changed. [{text}]"
        )
    if state in _GONE or state.startswith("08") or isinstance(exc, psycopg.OperationalError):
        return DatabaseUnavailableError(
            f"Cannot reach the PostgreSQL archive {location} (is the server running, and "
            f"the host, port or socket right?); nothing was changed. [{text}]"
        )
    return StorageError(f"Archive {location}: database error: {text}")


def _lost_connection(exc: BaseException) -> bool:
    """A connection that died under us (worth one retry), not a pool that found none."""
    if isinstance(exc, PoolTimeout):
        return False
    state = getattr(exc, "sqlstate", None) or ""
    return isinstance(exc, psycopg.OperationalError) and (
        state in _GONE or state.startswith("08") or not state
    )


class PgDatabase:
    """A pool of psycopg connections (autocommit; UTC; ``lock_timeout``) to a migrated
    database. Writes go through :meth:`transaction`; single reads through :meth:`fetchall`
    / :meth:`fetchone`; consistent multi-query reads through :meth:`reading`."""

    def __init__(self, pool: AsyncConnectionPool[Conn], location: str, *, read_only: bool) -> None:
        self._pool: AsyncConnectionPool[Conn] | None = pool
        self._location = location
        self._read_only = read_only
        self.health = WriteHealth()  # every write reports here (a full disk, and recovery)

    # -- lifecycle ------------------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        lock_timeout_ms: int = 5000,
        read_only: bool = False,
        pool_size: int = 10,
        connect_timeout_s: float = 10.0,
        migrations: Sequence[Migration] | None = None,
    ) -> PgDatabase:
        """Connect, migrate (unless ``read_only``: then the schema must be current) and
        open the pool. Errors are one-line StorageErrors (ConfigError for a bad URL)."""
        location = describe_url(url)
        migrations = MIGRATIONS if migrations is None else migrations
        configure = _configurer(lock_timeout_ms, read_only)
        timeout = max(1, round(connect_timeout_s))
        try:
            async with await AsyncConnection.connect(
                url, autocommit=True, row_factory=dict_row, connect_timeout=timeout
            ) as conn:
                await configure(conn)
                if read_only:
                    await _check_migrated(conn, location, migrations)
                else:
                    await migrate(conn, location, migrations)
        except (psycopg.Error, OSError) as exc:
            if getattr(exc, "sqlstate", None) is None and _BAD_OPTION.search(str(exc)):
                raise _bad_url(exc) from exc
            raise map_pg_error(exc, location) from exc

        pool: AsyncConnectionPool[Conn] = AsyncConnectionPool(
            url,
            connection_class=AsyncConnection[DictRow],
            kwargs={"autocommit": True, "row_factory": dict_row, "connect_timeout": timeout},
            configure=configure,
            min_size=1,
            max_size=max(1, pool_size),
            timeout=max(connect_timeout_s, lock_timeout_ms / 1000 + 1),
            open=False,
            name="katasiapa",
        )
        try:
            await pool.open(wait=True, timeout=connect_timeout_s)
        except (psycopg.Error, PoolTimeout) as exc:
            await pool.close()
            raise map_pg_error(exc, location) from exc
        return cls(pool, location, read_only=read_only)

    async def close(self) -> None:
        """Close the pool (idempotent)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    async def __aenter__(self) -> PgDatabase:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def location(self) -> str:
        """``postgresql://user@host/db``: for messages, never with the password."""
        return self._location

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def pool(self) -> AsyncConnectionPool[Conn]:
        if self._pool is None:
            raise StorageError(f"The archive {self._location} is closed.")
        return self._pool

    # -- errors, transactions, reads -------------------------------------------------------

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Map any psycopg / pool error raised inside to a :class:`StorageError`."""
        try:
            yield
        except (psycopg.Error, PoolTimeout) as exc:
            raise map_pg_error(exc, self._location) from exc

    def transaction(self) -> AbstractAsyncContextManager[Conn]:
        """``BEGIN`` … ``COMMIT`` on a pooled connection; ``ROLLBACK`` on any exception
        (cancellation too). A connection found dead at ``BEGIN`` (the database restarted)
        is replaced once; one lost later rolls back on the server - nothing is
        half-written - and is not retried: the caller may have done more than SQL inside.
        Every write reports to :attr:`health` (a full disk refuses writes, not reads)."""
        return self._write()

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[Conn]:
        try:
            async with self._begin(read_only=False) as conn:
                yield conn
        except WritesRefusedError as exc:
            self.health.refused(exc)
            raise
        self.health.committed()

    def reading(self) -> AbstractAsyncContextManager[Conn]:
        """Several reads in one snapshot (a REPEATABLE READ, READ ONLY transaction)."""
        return self._begin(read_only=True)

    @asynccontextmanager
    async def _begin(self, *, read_only: bool) -> AsyncIterator[Conn]:
        with self.errors():
            for attempt in (1, 2):
                stack = AsyncExitStack()
                try:
                    conn = await stack.enter_async_context(self.pool.connection())
                    if read_only:
                        await stack.enter_async_context(_snapshot(conn))
                    else:
                        await stack.enter_async_context(conn.transaction())
                except psycopg.Error as exc:
                    await stack.__aexit__(type(exc), exc, exc.__traceback__)
                    if attempt == 1 and _lost_connection(exc):
                        await self._renew(exc)
                        continue
                    raise
                break
            async with stack:
                yield conn

    async def _renew(self, exc: BaseException) -> None:
        """A pooled connection was dead (a restart, a network cut): test every idle one and
        replace the dead ones before trying again. Checking on every checkout instead would
        cost a round trip per query."""
        log.info("%s: connection lost (%s); renewing the pool", self._location, _one_line(exc))
        await self.pool.check()

    async def read(self, work: Callable[[Conn], Awaitable[T]]) -> T:
        """Run a read-only unit of work on a pooled connection, once more on a fresh one if
        the connection turned out dead (a database restart): reads are safe to repeat."""
        for attempt in (1, 2):
            try:
                async with self.pool.connection() as conn:
                    return await work(conn)
            except (psycopg.Error, PoolTimeout) as exc:
                if attempt == 1 and _lost_connection(exc):
                    await self._renew(exc)
                    continue
                raise map_pg_error(exc, self._location) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def fetchall(
        self, query: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> list[DictRow]:
        """Run one read query and return all rows (dicts by column name)."""

        async def work(conn: Conn) -> list[DictRow]:
            cursor = await conn.execute(query, params)
            return await cursor.fetchall()

        return await self.read(work)

    async def fetchone(
        self, query: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> DictRow | None:
        """Run one read query and return its first row, or None."""

        async def work(conn: Conn) -> DictRow | None:
            cursor = await conn.execute(query, params)
            return await cursor.fetchone()

        return await self.read(work)

    async def schema_version(self) -> int:
        async def work(conn: Conn) -> int:
            return await _schema_version(conn)

        return await self.read(work)


@asynccontextmanager
async def _snapshot(conn: Conn) -> AsyncIterator[None]:
    """A read-only REPEATABLE READ transaction opened with one statement (a plain
    ``conn.transaction()`` plus ``SET TRANSACTION`` costs a round trip more on every card)."""
    await conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    try:
        yield
    finally:
        if not conn.broken and not conn.closed:
            await conn.execute("ROLLBACK")  # nothing to keep: end the snapshot


def _configurer(lock_timeout_ms: int, read_only: bool) -> Callable[[Conn], Awaitable[None]]:
    """Session settings of every connection: UTC timestamps, how long to wait for a lock
    (``KATASIAPA_BUSY_TIMEOUT_MS``, like SQLite's busy timeout), read-only if asked."""

    async def configure(conn: Conn) -> None:
        await conn.execute("SET TIME ZONE 'UTC'")
        await conn.execute(
            sql.SQL("SET lock_timeout = {}").format(sql.Literal(f"{int(lock_timeout_ms)}ms"))
        )
        if read_only:
            await conn.execute("SET default_transaction_read_only = on")
        if conn.info.server_version >= 140000:
            # A worker killed mid-statement (a long migration, say) is noticed within
            # seconds and its transaction rolled back, instead of holding its locks.
            await conn.execute("SET client_connection_check_interval = '2s'")

    return configure


async def _schema_version(conn: Conn) -> int:
    cursor = await conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
    row = await cursor.fetchone()
    if row is None or not row["present"]:
        return 0
    cursor = await conn.execute("SELECT coalesce(max(version), 0) AS v FROM schema_migrations")
    row = await cursor.fetchone()
    return int(row["v"]) if row is not None else 0


async def _check_migrated(conn: Conn, location: str, migrations: Sequence[Migration]) -> None:
    version = await _schema_version(conn)
    latest = migrations[-1].version if migrations else 0
    if version != latest:
        raise StorageError(
            f"The archive {location} has schema version {version}, this version of Kata "
            f"Siapa needs {latest}; open it once read-write to upgrade it."
        )


async def migrate(conn: Conn, location: str, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the pending migrations in one transaction under the migration lock; returns
    how many were applied. Refuses a database written by newer code, or whose recorded
    migration names differ from this code's."""
    applied_now = 0
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        await conn.execute(SCHEMA_MIGRATIONS_DDL)
        cursor = await conn.execute("SELECT version, name FROM schema_migrations")
        applied = {int(r["version"]): str(r["name"]) for r in await cursor.fetchall()}
        for migration in pending(applied, migrations, location):
            log.info("%s: applying migration %d (%s)", location, migration.version, migration.name)
            for statement in migration.statements:
                await conn.execute(statement)
            await conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                (migration.version, migration.name),
            )
            applied_now += 1
    return applied_now


__all__ = [
    "ARCHIVE_LOCK",
    "Conn",
    "PgDatabase",
    "describe_url",
    "is_postgres_url",
    "latest_version",
    "map_pg_error",
    "migrate",
]
