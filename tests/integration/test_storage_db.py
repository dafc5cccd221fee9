"""Database: opening, pragmas, migrations, transactions and error mapping, on real files."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.core.errors import DatabaseBusyError, DatabaseReadOnlyError, StorageError
from bot.core.models import Analysis, ArticleInput
from storage.articles import SqliteArticleStore
from storage.db import Database, map_sqlite_error
from storage.migrations import MIGRATIONS, latest_version
from tests.helpers.archive import search

EXPECTED_TABLES = {
    "schema_migrations",
    "articles",
    "speakers",
    "speaker_aliases",
    "speaker_roles",
    "claims",
    "claim_via",
    "articles_fts",
    "claims_fts",
}


def article(n: int) -> tuple[ArticleInput, Analysis, str]:
    return (
        ArticleInput(text=f"Artikel nomor {n} tentang harga beras."),
        Analysis(language="id"),
        f"test:{n}",
    )


async def test_open_blank_database_creates_schema_and_records_version(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "archive.sqlite3"
    db = await Database.open(path)
    try:
        rows = await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
        assert {row["name"] for row in rows} >= EXPECTED_TABLES
        versions = await db.fetchall("SELECT version, name FROM schema_migrations")
        assert [(r["version"], r["name"]) for r in versions] == [
            (m.version, m.name) for m in MIGRATIONS
        ]
        assert await db.schema_version() == latest_version() >= 1
    finally:
        await db.close()
    assert path.exists()


async def test_reopen_is_a_noop_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite3"
    db = await Database.open(path)
    first = await db.fetchall("SELECT version, applied_at FROM schema_migrations")
    await SqliteArticleStore(db).add(*article(1)[:2])
    await db.close()

    db = await Database.open(path)
    try:
        again = await db.fetchall("SELECT version, applied_at FROM schema_migrations")
        assert [tuple(r) for r in again] == [tuple(r) for r in first]
        assert await SqliteArticleStore(db).count() == 1
    finally:
        await db.close()


async def test_pragmas_are_set(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "a.sqlite3", busy_timeout_ms=1234)
    try:
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
        assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 1234  # type: ignore[index]
        assert (await db.fetchone("PRAGMA synchronous"))[0] == 1  # type: ignore[index]  # NORMAL
    finally:
        await db.close()


async def test_memory_database_works() -> None:
    db = await Database.open(":memory:")
    try:
        store = SqliteArticleStore(db)
        assert (await store.add(*article(1)[:2])).article_id == 1
        assert db.path == ":memory:"
    finally:
        await db.close()


async def test_close_is_idempotent_and_closed_db_raises_storage_error(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "a.sqlite3")
    await db.close()
    await db.close()
    with pytest.raises(StorageError, match="closed"):
        await db.fetchall("SELECT 1")


async def test_database_written_by_newer_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    await (await Database.open(path)).close()
    with sqlite3.connect(path) as raw:
        raw.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 'x')",
            (latest_version() + 1,),
        )
    raw.close()
    with pytest.raises(StorageError, match="newer"):
        await Database.open(path)


async def test_renamed_migration_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    await (await Database.open(path)).close()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE schema_migrations SET name = 'something else' WHERE version = 1")
    raw.close()
    with pytest.raises(StorageError, match="something else"):
        await Database.open(path)


async def insert_then_fail(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO speakers (name_key, kind, name, created_at) "
            "VALUES ('x', 'person', 'X', 'now')"
        )
        raise RuntimeError("boom")


async def test_transaction_rolls_back_on_exception(db: Database) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        await insert_then_fail(db)
    assert (await db.fetchone("SELECT count(*) FROM speakers"))[0] == 0  # type: ignore[index]
    assert not db.conn.in_transaction


async def test_sqlite_error_inside_transaction_becomes_storage_error(db: Database) -> None:
    with pytest.raises(StorageError, match="archive.sqlite3"):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO no_such_table VALUES (1)")
    assert not db.conn.in_transaction


async def test_transaction_is_not_reentrant(db: Database) -> None:
    async with db.transaction():
        with pytest.raises(RuntimeError, match="re-entrant"):
            async with db.transaction():
                pass  # pragma: no cover


async def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(StorageError, match="FOREIGN KEY"):
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO claims (article_id, position, text, start_offset, end_offset, "
                "stance) VALUES (999, 0, 'x', 0, 1, 'asserts')"
            )


# -- error mapping ----------------------------------------------------------------------


async def test_locked_database_gives_busy_error_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite3"
    db = await Database.open(path, busy_timeout_ms=100)
    store = SqliteArticleStore(db)
    try:
        assert (await store.add(*article(1)[:2])).status == "added"

        other = sqlite3.connect(path, isolation_level=None, timeout=0.1)
        try:
            other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
            other.execute("UPDATE articles SET title = 'held' WHERE id = 1")
            with pytest.raises(DatabaseBusyError) as info:
                await store.add(*article(2)[:2])
            assert str(path) in str(info.value)
            assert "busy" in info.value.user_message()
            assert not db.conn.in_transaction
            other.execute("ROLLBACK")
        finally:
            other.close()

        assert await store.count() == 1  # the first article survived
        assert (await store.get(1)) is not None
        assert (await store.add(*article(2)[:2])).status == "added"  # retry works
        assert await store.count() == 2
    finally:
        await db.close()


async def test_read_only_database_gives_read_only_error(tmp_path: Path) -> None:
    # Tests run as root, which ignores chmod 0444; mode=ro is what SQLite honours for root.
    path = tmp_path / "archive.sqlite3"
    writer = await Database.open(path)
    await SqliteArticleStore(writer).add(*article(1)[:2])
    await writer.close()

    db = await Database.open(path, read_only=True)
    try:
        assert db.read_only
        store = SqliteArticleStore(db)
        assert await store.count() == 1  # reading works
        with pytest.raises(DatabaseReadOnlyError) as info:
            await store.add(*article(2)[:2])
        assert str(path) in str(info.value)
        assert "read-only" in str(info.value)
        assert await store.count() == 1
    finally:
        await db.close()


async def test_read_only_open_of_missing_file_is_a_clear_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "missing.sqlite3"
    with pytest.raises(StorageError, match="Cannot open the archive") as info:
        await Database.open(path, read_only=True)
    assert str(path) in str(info.value)
    assert not path.exists()


async def test_read_only_open_of_unmigrated_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.sqlite3"
    sqlite3.connect(path).close()
    with pytest.raises(StorageError, match="schema version 0"):
        await Database.open(path, read_only=True)


async def test_unopenable_path_is_a_clear_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    path = blocker / "archive.sqlite3"  # its "directory" is a file
    with pytest.raises(StorageError) as info:
        await Database.open(path)
    assert str(blocker) in str(info.value)


async def test_not_a_database_is_a_clear_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"this is a text file, not SQLite " * 64)
    with pytest.raises(StorageError, match="not a Kata Siapa database") as info:
        await Database.open(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (sqlite3.OperationalError("database is locked"), DatabaseBusyError),
        (sqlite3.OperationalError("database table is locked"), DatabaseBusyError),
        (sqlite3.OperationalError("attempt to write a readonly database"), DatabaseReadOnlyError),
        (sqlite3.OperationalError("unable to open database file"), StorageError),
        (sqlite3.DatabaseError("file is not a database"), StorageError),
        (sqlite3.IntegrityError("UNIQUE constraint failed"), StorageError),
    ],
)
def test_map_sqlite_error_by_message(exc: sqlite3.Error, expected: type[StorageError]) -> None:
    mapped = map_sqlite_error(exc, "/data/x.sqlite3")
    assert type(mapped) is expected
    assert "/data/x.sqlite3" in str(mapped)


async def test_pending_migration_applies_on_reopen_and_failed_one_rolls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storage.db
    import storage.migrations
    from storage.migrations import Migration

    path = tmp_path / "archive.sqlite3"
    await (await Database.open(path)).close()
    current = MIGRATIONS[-1].version

    broken = (
        *MIGRATIONS,
        Migration(
            current + 1, "add notes", ("CREATE TABLE notes (id INTEGER PRIMARY KEY)", "NOT SQL")
        ),
    )
    monkeypatch.setattr(storage.db, "MIGRATIONS", broken)
    monkeypatch.setattr(storage.migrations, "MIGRATIONS", broken)
    with pytest.raises(StorageError, match="syntax error"):
        await Database.open(path)
    with sqlite3.connect(path) as raw:
        applied = raw.execute("SELECT max(version) FROM schema_migrations").fetchone()
        assert applied == (current,)
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
    raw.close()
    assert "notes" not in tables  # the failed migration left nothing behind

    notes = Migration(current + 1, "add notes", ("CREATE TABLE notes (id INTEGER)",))
    fixed = (*MIGRATIONS, notes)
    monkeypatch.setattr(storage.db, "MIGRATIONS", fixed)
    monkeypatch.setattr(storage.migrations, "MIGRATIONS", fixed)
    db = await Database.open(path)
    try:
        assert await db.schema_version() == current + 1
        assert await db.fetchall("SELECT id FROM notes") == []
    finally:
        await db.close()


async def test_concurrent_tasks_share_the_connection_safely(db: Database) -> None:
    store = SqliteArticleStore(db)
    batches = [[article(n) for n in range(start, start + 40)] for start in (0, 20, 40, 60)]
    writes = asyncio.gather(*(store.add_many(batch) for batch in batches))
    reads = asyncio.gather(*(store.count() for _ in range(10)))
    searches = asyncio.gather(*(search(db, "beras") for _ in range(10)))
    written, counts, found = await asyncio.gather(writes, reads, searches)
    ingested = [r for batch in written for r in batch]
    assert len(ingested) == 160
    added = {r.article_id for r in ingested if r.status == "added"}
    assert len(added) == 100  # articles 0..99, each stored exactly once
    assert {r.article_id for r in ingested} == added  # PRESENT ones point at stored ids
    assert await store.count() == 100
    assert all(c % 20 == 0 for c in counts)  # only committed states are ever seen
    assert all(isinstance(hits, list) for hits in found)


def test_map_sqlite_error_prefers_the_result_code() -> None:
    exc = sqlite3.IntegrityError("CHECK constraint failed: account locked")
    exc.sqlite_errorcode = 275  # SQLITE_CONSTRAINT_CHECK: not busy, whatever the text says
    assert type(map_sqlite_error(exc, "x")) is StorageError
    busy = sqlite3.OperationalError("something odd")
    busy.sqlite_errorcode = 517  # SQLITE_BUSY_SNAPSHOT
    assert type(map_sqlite_error(busy, "x")) is DatabaseBusyError
