"""PostgreSQL going wrong, against a real server: a bad URL, no server, a wrong password, a
missing database, a restart while connected, a write cut off midway, a migration killed
midway. Each is one clear line, and nothing is lost or half-written."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.errors import ConfigError, DatabaseUnavailableError, StorageError
from bot.core.models import Analysis, ArticleInput
from storage.postgres.db import PgDatabase, describe_url
from storage.postgres.migrations import latest_version
from storage.stores import open_stores
from tests.helpers.pgserver import PgServer

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "KATASIAPA_DB", "KATASIAPA_ADMIN_IDS"):
        monkeypatch.delenv(name, raising=False)


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    _, err = capsys.readouterr()
    return code, err


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_describe_url_hides_the_password() -> None:
    assert describe_url("postgresql://bot:s3cret@db.example:6543/arsip") == (
        "postgresql://bot@db.example:6543/arsip"
    )
    assert describe_url("postgres://bot:s3cret@/arsip?host=/run/pg") == (
        "postgresql://bot@/arsip?host=/run/pg"
    )
    with pytest.raises(ConfigError, match="not a usable PostgreSQL URL"):
        describe_url("postgresql://bot@db.example/arsip?nonsense_option=1")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://bot@127.0.0.1:notaport/arsip",
        "postgresql://bot@127.0.0.1/arsip?sslmode=sometimes",
        "postgresql://x@/db?nonsense_option=1",
    ],
)
def test_a_wrong_url_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, err = _cli(capsys, "stats", "--db", url)
    assert code == 2
    assert "not a usable PostgreSQL URL" in _one_line(err)


def test_no_server_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, err = _cli(capsys, "stats", "--db", f"postgresql://postgres@/kt?host={tmp_path}")
    assert code == 1
    line = _one_line(err)
    assert "Cannot reach the PostgreSQL archive" in line
    assert str(tmp_path) in line


def test_wrong_password_and_missing_database(
    capsys: pytest.CaptureFixture[str], pg_server: PgServer
) -> None:
    role = pg_server.password_role("right-horse")
    pg_server.execute(f"CREATE DATABASE kt_owned_{os.getpid()} OWNER {role}")
    wrong = pg_server.url(f"kt_owned_{os.getpid()}", user=role, password="wrong-horse")
    code, err = _cli(capsys, "stats", "--db", wrong)
    assert code == 1
    line = _one_line(err)
    assert "wrong user name or password" in line
    assert "wrong-horse" not in line
    right = pg_server.url(f"kt_owned_{os.getpid()}", user=role, password="right-horse")
    code, err = _cli(capsys, "stats", "--db", right)
    assert code == 0, err
    code, err = _cli(capsys, "stats", "--db", pg_server.url("no_such_db"))
    assert code == 1
    assert "does not exist" in _one_line(err)


@pytest.fixture(scope="module")
def own_server() -> Iterator[PgServer]:
    """A server of this module's own: these tests restart and stop it."""
    server = PgServer()
    yield server
    server.stop()


async def test_restart_while_running_reconnects_and_loses_nothing(own_server: PgServer) -> None:
    url = own_server.create_database()
    stores = await open_stores(url, pool_size=3)
    try:
        first = await stores.articles.add(
            ArticleInput(text="Before the restart."), Analysis(language="en")
        )
        await asyncio.to_thread(own_server.restart)
        # The next read and the next write work: dead pooled connections are replaced.
        assert await stores.articles.count() == 1
        second = await stores.articles.add(
            ArticleInput(text="After the restart."), Analysis(language="en")
        )
        assert (second.article_id or 0) > (first.article_id or 0)
        assert await stores.activity.touch_user(5) is None
    finally:
        await stores.close()


async def test_a_write_cut_off_midway_is_rolled_back(own_server: PgServer) -> None:
    url = own_server.create_database()
    db = await PgDatabase.open(url, pool_size=2)
    try:

        async def two_rows_with_a_restart_between() -> None:
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO users (id, first_seen, last_seen) VALUES (1, now(), now())"
                )
                await asyncio.to_thread(own_server.restart)  # the server goes away mid-write
                await conn.execute(
                    "INSERT INTO users (id, first_seen, last_seen) VALUES (2, now(), now())"
                )

        with pytest.raises(DatabaseUnavailableError) as caught:
            await two_rows_with_a_restart_between()
        assert "\n" not in str(caught.value)
        assert "Cannot reach the PostgreSQL archive" in str(caught.value)
        row = await db.fetchone("SELECT count(*) AS n FROM users")
        assert row is not None
        assert row["n"] == 0  # neither row: nothing half-written
    finally:
        await db.close()


async def test_database_down_then_back(own_server: PgServer) -> None:
    url = own_server.create_database()
    stores = await open_stores(url, pool_size=2)
    try:
        await asyncio.to_thread(own_server.halt)
        started = time.monotonic()
        with pytest.raises(StorageError) as caught:
            await stores.articles.count()
        assert isinstance(caught.value, DatabaseUnavailableError)
        assert "\n" not in str(caught.value)
        assert time.monotonic() - started < 30
        await asyncio.to_thread(own_server.resume)
        assert await stores.articles.count() == 0  # back without reopening anything
    finally:
        await stores.close()
    await asyncio.to_thread(own_server.halt)
    try:
        with pytest.raises(DatabaseUnavailableError, match="Cannot reach"):
            await open_stores(url)  # starting while the database is down
    finally:
        await asyncio.to_thread(own_server.resume)


_KILLED_MIGRATION = textwrap.dedent(
    """
    import asyncio, sys
    import storage.postgres.db as pgdb
    from storage.migrations import Migration
    from storage.postgres.migrations import MIGRATIONS
    slow = Migration(MIGRATIONS[1].version, MIGRATIONS[1].name,
                     (*MIGRATIONS[1].statements[:3], "SELECT pg_sleep(60)",
                      *MIGRATIONS[1].statements[3:]))
    async def main():
        await pgdb.PgDatabase.open(sys.argv[1], migrations=(MIGRATIONS[0], slow, *MIGRATIONS[2:]))
    asyncio.run(main())
    """
)


async def test_a_migration_killed_midway_is_rerun_safely(pg_server: PgServer) -> None:
    url = pg_server.create_database()
    proc = subprocess.Popen(  # noqa: ASYNC220 - a process we kill on purpose
        [sys.executable, "-c", _KILLED_MIGRATION, url],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        deadline = time.monotonic() + 30
        while not pg_server.execute(
            "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'"
        ):
            assert proc.poll() is None, "the migrating process ended early"
            assert time.monotonic() < deadline, "the migration never reached its sleep"
            await asyncio.sleep(0.1)
        proc.send_signal(signal.SIGKILL)  # mid-migration: tables of v2 half made
    finally:
        proc.wait(10)
    db = await PgDatabase.open(url)  # waits for the dead one's lock to go, then migrates
    try:
        assert await db.schema_version() == latest_version()
        tables = await db.fetchall(
            "SELECT count(*) AS n FROM pg_tables WHERE tablename IN ('users', 'queries')"
        )
        assert tables[0]["n"] == 2
    finally:
        await db.close()
