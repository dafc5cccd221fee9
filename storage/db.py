"""The one SQLite connection of a process: opening, pragmas, migrations, transactions, errors.

Everything that touches SQLite goes through :class:`Database`, so that every ``sqlite3``
error leaves storage as a :class:`bot.core.errors.StorageError` subclass with a clear message.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.core.errors import (
    ArchiveFullError,
    DatabaseBusyError,
    DatabaseReadOnlyError,
    StorageError,
    WritesRefusedError,
)
from bot.core.health import WriteHealth
from storage.migrations import MIGRATIONS, SCHEMA_MIGRATIONS_DDL, latest_version, pending
from storage.rows import utc_now_iso

log = logging.getLogger(__name__)

MEMORY = ":memory:"

# Primary SQLite result codes (the low byte of extended codes).
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


def _classify(exc: BaseException) -> int | None:
    """The primary SQLite result code of an error: from the error itself (Python 3.11+ sets
    ``sqlite_errorcode``), else guessed from the message."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).lower()
    for needle, guessed in (
        ("locked", _SQLITE_BUSY),
        ("busy", _SQLITE_BUSY),
        ("readonly", _SQLITE_READONLY),
        ("read-only", _SQLITE_READONLY),
        ("unable to open", _SQLITE_CANTOPEN),
        ("not a database", _SQLITE_NOTADB),
        ("malformed", _SQLITE_CORRUPT),
        ("disk is full", _SQLITE_FULL),
    ):
        if needle in text:
            return guessed
    return None


def map_sqlite_error(exc: BaseException, path: str) -> StorageError:
    """Translate a ``sqlite3`` error into the domain error tree, naming the database file."""
    primary = _classify(exc)
    text = str(exc)
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return DatabaseBusyError(
            f"The archive {path} is busy (locked by another process); "
            f"try again in a moment. [{text}]"
        )
    if primary == _SQLITE_READONLY:
        return DatabaseReadOnlyError(
            f"The archive {path} is read-only; nothing was changed. [{text}]"
        )
    if primary == _SQLITE_CANTOPEN:
        return StorageError(
            f"Cannot open the archive {path}: check that the file and its directory exist "
            f"and are accessible. [{text}]"
        )
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return damaged(path, text)
    if primary == _SQLITE_FULL:
        return ArchiveFullError(
            f"The disk holding the archive {path} is full; nothing was changed. [{text}]"
        )
    return StorageError(f"Archive {path}: database error: {text}")


def damaged(path: str | Path, detail: str) -> StorageError:
    """The one message for an archive that fails SQLite's checks, with the way out."""
    return StorageError(
        f"The archive {path} is damaged or is not a Kata Siapa database [{detail}]. "
        "Nothing was changed. Restore the last good backup (README: Backups and recovery)."
    )


def check_integrity(path: str | Path, *, seconds: float) -> bool:
    """``PRAGMA quick_check`` of an archive file, read-only, given up after ``seconds``.

    True when it passed, False when it ran out of time (on a very large archive: the caller
    goes on, and says so). Raises the :func:`damaged` StorageError when the file fails the
    check or is not a database. A file that does not exist yet passes (it will be created).
    """
    target = Path(path)
    if not target.exists():
        return True
    deadline = time.monotonic() + seconds
    try:
        conn = sqlite3.connect(target.absolute().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise map_sqlite_error(exc, str(path)) from exc
    try:
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
        rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc).lower():
            return False
        raise map_sqlite_error(exc, str(path)) from exc
    except sqlite3.Error as exc:
        raise map_sqlite_error(exc, str(path)) from exc
    finally:
        conn.close()
    problems = [str(r[0]) for r in rows]
    if problems != ["ok"]:
        raise damaged(path, "; ".join(problems)[:300])
    return True


def backup(source: str | Path, dest: str | Path) -> int:
    """Copy the archive with SQLite's online backup API: a consistent snapshot even while
    the bot writes (WAL readers never block it), written next to ``dest`` and renamed into
    place only once complete and checked. Returns the number of pages copied."""
    source, dest = Path(source), Path(dest)
    if not source.exists():
        raise StorageError(f"There is no archive at {source} to back up.")
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(source.absolute().as_uri() + "?mode=ro", uri=True)
        try:
            out = sqlite3.connect(partial)
            try:
                src.backup(out)  # one step: a restart-free, consistent copy
                pages = int(out.execute("PRAGMA page_count").fetchone()[0])
                out.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                out.close()
        finally:
            src.close()
        check_integrity(partial, seconds=3600)
        partial.replace(dest)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, sqlite3.Error):
            raise map_sqlite_error(exc, str(source)) from exc
        if isinstance(exc, OSError):
            raise StorageError(f"Cannot write the backup {dest}: {exc.strerror or exc}") from exc
        raise
    return pages


class Database:
    """One aiosqlite connection with WAL, foreign keys, a busy timeout and migrations applied.

    Writes go through :meth:`transaction` (``BEGIN IMMEDIATE``); transactions of different
    tasks are serialized by a lock, and reads from other tasks (:meth:`fetchall`,
    :meth:`fetchone`) wait for a running transaction, so no task ever sees another task's
    uncommitted rows on this shared connection.
    """

    def __init__(self, conn: aiosqlite.Connection, path: str, *, read_only: bool) -> None:
        self._conn: aiosqlite.Connection | None = conn
        self._path = path
        self._read_only = read_only
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self.health = WriteHealth()  # every write reports here (a full disk, and recovery)

    # -- lifecycle ------------------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        busy_timeout_ms: int = 5000,
        read_only: bool = False,
        cache_size_kib: int = 32768,
    ) -> Database:
        """Open (creating if needed) and migrate the archive at ``path``.

        ``":memory:"`` gives a private in-memory database (tests). ``read_only=True`` opens
        an existing file without ever writing to it; it must already be fully migrated.
        ``cache_size_kib`` caps SQLite's page cache (allocated only as used; a larger cache
        makes bulk ingest with full-text indexing noticeably faster).
        """
        if busy_timeout_ms < 0:
            raise ValueError("busy_timeout_ms must be >= 0")
        is_memory = str(path) == MEMORY
        display = MEMORY if is_memory else str(Path(path))
        target, uri = await asyncio.to_thread(_connect_target, path, read_only=read_only)

        try:
            conn = await aiosqlite.connect(
                target,
                uri=uri,
                timeout=busy_timeout_ms / 1000,
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
            )
        except sqlite3.Error as exc:
            raise map_sqlite_error(exc, display) from exc

        db = cls(conn, display, read_only=read_only)
        try:
            await db._configure(busy_timeout_ms, cache_size_kib, is_memory=is_memory)
            if read_only:
                await db._check_migrated()
            else:
                await db._migrate()
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        """Close the connection (idempotent). Runs ``PRAGMA optimize`` first, best effort."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        async with self._lock:
            if not self._read_only:
                try:
                    await conn.execute("PRAGMA optimize")
                except sqlite3.Error as exc:  # pragma: no cover - best effort only
                    log.debug("PRAGMA optimize failed on %s: %s", self._path, exc)
            try:
                await conn.close()
            except sqlite3.Error as exc:
                raise map_sqlite_error(exc, self._path) from exc

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- properties -----------------------------------------------------------------------

    @property
    def conn(self) -> aiosqlite.Connection:
        """The raw connection, for repositories in ``storage/`` only."""
        if self._conn is None:
            raise StorageError(f"The archive {self._path} is closed.")
        return self._conn

    @property
    def path(self) -> str:
        return self._path

    @property
    def read_only(self) -> bool:
        return self._read_only

    # -- errors, transactions, reads -------------------------------------------------------

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Map any ``sqlite3.Error`` raised inside to a :class:`StorageError`."""
        try:
            yield
        except sqlite3.Error as exc:
            raise map_sqlite_error(exc, self._path) from exc

    def transaction(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; ``ROLLBACK`` on any exception (also cancellation).

        Takes the write lock at BEGIN, so a busy database fails fast here (after the busy
        timeout) with :class:`DatabaseBusyError` before anything was done. Not re-entrant.
        """
        return self._transaction()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        try:
            async with self._transaction_locked() as conn:
                yield conn
        except WritesRefusedError as exc:
            self.health.refused(exc)
            raise
        self.health.committed()

    @asynccontextmanager
    async def _transaction_locked(self) -> AsyncIterator[aiosqlite.Connection]:
        task = asyncio.current_task()
        if task is not None and self._owner is task:
            raise RuntimeError("Database.transaction() is not re-entrant")
        async with self._lock:
            conn = self.conn
            self._owner = task
            try:
                with self.errors():
                    await conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException as exc:
                    await self._rollback(conn)
                    if isinstance(exc, sqlite3.Error):
                        raise map_sqlite_error(exc, self._path) from exc
                    raise
                try:
                    with self.errors():
                        await conn.execute("COMMIT")
                except BaseException:
                    await self._rollback(conn)
                    raise
            finally:
                self._owner = None

    async def _rollback(self, conn: aiosqlite.Connection) -> None:
        if not conn.in_transaction:
            return
        try:
            await conn.execute("ROLLBACK")
        except sqlite3.Error as exc:  # pragma: no cover - SQLite already rolled back
            log.warning("ROLLBACK failed on %s: %s", self._path, exc)

    def reading(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """A consistent read: several queries in one read transaction (one snapshot).

        Waits for a transaction of another task; inside the current task's own transaction
        it simply reads that transaction's state. ``sqlite3`` errors become StorageErrors.
        """
        return self._reading()

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[aiosqlite.Connection]:
        task = asyncio.current_task()
        if task is not None and self._owner is task:
            with self.errors():
                yield self.conn
            return
        async with self._lock:
            conn = self.conn
            self._owner = task
            try:
                with self.errors():
                    await conn.execute("BEGIN")
                    try:
                        yield conn
                    finally:
                        await self._rollback(conn)  # nothing to keep: end the snapshot
            finally:
                self._owner = None

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Run one read query and return all rows (``sqlite3.Row``, addressable by name)."""
        async with self._reading() as conn:
            return list(await conn.execute_fetchall(sql, tuple(params)))

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        """Run one read query and return its first row, or None."""
        async with self._reading() as conn, conn.execute(sql, tuple(params)) as cursor:
            row: sqlite3.Row | None = await cursor.fetchone()
            return row

    # -- schema ---------------------------------------------------------------------------

    async def schema_version(self) -> int:
        """The highest applied migration (0 on a blank database)."""
        exists = await self.fetchone(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        )
        if exists is None:
            return 0
        row = await self.fetchone("SELECT coalesce(max(version), 0) FROM schema_migrations")
        return int(row[0]) if row is not None else 0

    async def _configure(
        self, busy_timeout_ms: int, cache_size_kib: int, *, is_memory: bool
    ) -> None:
        conn = self.conn
        conn.row_factory = sqlite3.Row
        with self.errors():
            await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            await conn.execute(f"PRAGMA cache_size = {-abs(int(cache_size_kib))}")
            await conn.execute("PRAGMA foreign_keys = ON")
            if not self._read_only and not is_memory:
                async with conn.execute("PRAGMA journal_mode = WAL") as cursor:
                    row = await cursor.fetchone()
                mode = str(row[0]).lower() if row is not None else "?"
                if mode != "wal":
                    log.warning("%s: journal_mode is %s, not WAL", self._path, mode)
            await conn.execute("PRAGMA synchronous = NORMAL")
            async with conn.execute("PRAGMA foreign_keys") as cursor:
                fk = await cursor.fetchone()
            if fk is None or int(fk[0]) != 1:
                raise StorageError(f"{self._path}: this SQLite build cannot enforce foreign keys")

    async def _check_migrated(self) -> None:
        version = await self.schema_version()
        if version != latest_version():
            raise StorageError(
                f"The archive {self._path} has schema version {version}, this version of "
                f"Kata Siapa needs {latest_version()}; open it once read-write to upgrade it."
            )

    async def _migrate(self) -> None:
        async with self.transaction() as conn:
            await conn.execute(SCHEMA_MIGRATIONS_DDL)
            applied = {
                int(row[0]): str(row[1])
                for row in await conn.execute_fetchall(
                    "SELECT version, name FROM schema_migrations"
                )
            }
            for migration in pending(applied, MIGRATIONS, self._path):
                log.info(
                    "%s: applying migration %d (%s)", self._path, migration.version, migration.name
                )
                for statement in migration.statements:
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, utc_now_iso()),
                )


def _connect_target(path: str | Path, *, read_only: bool) -> tuple[str, bool]:
    """What to pass to ``sqlite3.connect`` (and whether it is a URI); creates the parent
    directory of a read-write file."""
    if str(path) == MEMORY:
        return MEMORY, False
    if read_only:
        # mode=ro: SQLite never writes the file (root ignores chmod, this does not).
        return Path(path).absolute().as_uri() + "?mode=ro", True
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"Cannot create the directory for the archive {path}: {exc.strerror or exc}"
        ) from exc
    return str(path), False
