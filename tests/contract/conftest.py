"""The contract fixtures: every test here runs once per storage engine.

``target`` is what ``KATASIAPA_DB`` would hold - a SQLite file path or a ``postgresql://``
URL of a blank database on the throwaway server - and ``stores`` is that archive opened
through ``open_stores``, the one place the bot picks an engine (the mautrix
``store_test.py`` pattern: one behaviour suite, parametrized over the implementations).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from storage.stores import Stores, open_stores
from tests.helpers.pgserver import PgServer

ENGINES = ("sqlite", "postgres")
Opener = Callable[[], Awaitable[Stores]]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def target(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A blank archive of the engine under test, as a KATASIAPA_DB value (PostgreSQL: a
    copy of a freshly migrated database; test_migrations_contract migrates from blank)."""
    if engine == "sqlite":
        return str(tmp_path / "archive.sqlite3")
    server: PgServer = request.getfixturevalue("pg_server")
    # Not dropped after the test (DROP DATABASE waits for a checkpoint): the whole server
    # is deleted at the end of the run.
    return server.create_database(template=server.migrated_template())


@pytest.fixture
async def opener(target: str) -> AsyncIterator[Opener]:
    """Opens further handles on the same archive (a second worker, a reopen); closes them."""
    opened: list[Stores] = []

    async def open_again() -> Stores:
        stores = await open_stores(target, pool_size=4)
        opened.append(stores)
        return stores

    try:
        yield open_again
    finally:
        for stores in opened:
            await stores.close()


@pytest.fixture
async def stores(opener: Opener) -> Stores:
    return await opener()
