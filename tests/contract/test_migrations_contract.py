"""Migrations with the same discipline on both engines: from blank, recorded, refusing newer
or renamed schemas, and a failed migration leaving nothing behind so a rerun is safe."""

from __future__ import annotations

import contextlib
import sqlite3

import psycopg
import pytest

import storage.db
import storage.migrations
import storage.postgres.db
import storage.postgres.migrations
from bot.core.errors import StorageError
from bot.core.models import Analysis, ArticleInput
from storage.db import Database
from storage.migrations import Migration
from storage.postgres.db import PgDatabase, is_postgres_url
from storage.stores import open_stores


def test_the_two_migration_lists_are_twins() -> None:
    """PostgreSQL migration N is SQLite migration N: same numbers, same names. A SQLite
    migration added without its PostgreSQL twin fails here (see storage/README.md)."""
    sqlite = [(m.version, m.name) for m in storage.migrations.MIGRATIONS]
    postgres = [(m.version, m.name) for m in storage.postgres.migrations.MIGRATIONS]
    assert sqlite == postgres


async def _version(target: str) -> int:
    if is_postgres_url(target):
        pg = await PgDatabase.open(target)
        try:
            return await pg.schema_version()
        finally:
            await pg.close()
    db = await Database.open(target)
    try:
        return await db.schema_version()
    finally:
        await db.close()


async def _execute(target: str, statement: str) -> None:
    """Raw SQL on the archive with the plain driver, behind the stores' back (opening the
    stores would refuse the very rows this fakes)."""
    if is_postgres_url(target):
        async with await psycopg.AsyncConnection.connect(target, autocommit=True) as conn:
            await conn.execute(statement)  # type: ignore[arg-type]
        return
    with contextlib.closing(sqlite3.connect(target)) as raw, raw:
        raw.execute(statement)


@pytest.fixture
def blank(engine: str, tmp_path: object, request: pytest.FixtureRequest) -> str:
    """A database nobody has migrated yet (the contract's ``target`` is pre-migrated)."""
    if engine == "sqlite":
        return str(request.getfixturevalue("tmp_path") / "blank.sqlite3")
    return str(request.getfixturevalue("pg_url"))


def _patch(monkeypatch: pytest.MonkeyPatch, engine: str, migrations: tuple[Migration, ...]) -> None:
    if engine == "sqlite":
        monkeypatch.setattr(storage.db, "MIGRATIONS", migrations)
        monkeypatch.setattr(storage.migrations, "MIGRATIONS", migrations)
    else:
        monkeypatch.setattr(storage.postgres.db, "MIGRATIONS", migrations)
        monkeypatch.setattr(storage.postgres.migrations, "MIGRATIONS", migrations)


async def test_blank_database_is_migrated_once_and_keeps_data(blank: str) -> None:
    latest = storage.migrations.latest_version()
    stores = await open_stores(blank)
    try:
        added = await stores.articles.add(
            ArticleInput(text="Kept across reopen."), Analysis(language="en")
        )
    finally:
        await stores.close()
    assert await _version(blank) == latest
    stores = await open_stores(blank)  # a reopen applies nothing and loses nothing
    try:
        assert await stores.articles.count() == 1
        assert (await stores.articles.get(added.article_id or 0)) is not None
    finally:
        await stores.close()
    assert await _version(blank) == latest


async def test_newer_or_renamed_schema_is_refused(target: str) -> None:
    await (await open_stores(target)).close()
    await _execute(
        target,
        "INSERT INTO schema_migrations (version, name, applied_at) "
        "VALUES (999, 'from the future', '2030-01-01T00:00:00+00:00')",
    )
    with pytest.raises(StorageError, match="newer Kata Siapa"):
        await open_stores(target)
    await _execute(target, "DELETE FROM schema_migrations WHERE version = 999")
    await _execute(target, "UPDATE schema_migrations SET name = 'renamed' WHERE version = 1")
    with pytest.raises(StorageError, match="records migration 1 as 'renamed'"):
        await open_stores(target)


async def test_failed_migration_leaves_nothing_and_a_rerun_applies_it(
    engine: str, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await (await open_stores(target)).close()
    current = storage.migrations.latest_version()
    base = (
        storage.migrations.MIGRATIONS
        if engine == "sqlite"
        else storage.postgres.migrations.MIGRATIONS
    )
    broken = (
        *base,
        Migration(
            current + 1, "add notes", ("CREATE TABLE notes (id integer PRIMARY KEY)", "NOT SQL")
        ),
    )
    _patch(monkeypatch, engine, broken)
    with pytest.raises(StorageError, match="syntax error") as caught:
        await open_stores(target)
    assert "\n" not in str(caught.value)  # one line
    monkeypatch.undo()
    assert await _version(target) == current
    with pytest.raises((sqlite3.Error, psycopg.Error), match="notes"):  # no half-made table
        await _execute(target, "INSERT INTO notes (id) VALUES (1)")
    _patch(
        monkeypatch,
        engine,
        (*base, Migration(current + 1, "add notes", ("CREATE TABLE notes (id integer)",))),
    )
    stores = await open_stores(target)
    await stores.close()
    assert await _version(target) == current + 1
