"""A damaged archive (issue 13): ``run`` refuses it before writing a byte, with the same clear
message ``stats`` and ``ingest`` give; ``backup`` makes a checked copy, even while another
process is writing."""

from __future__ import annotations

import asyncio
import hashlib
import random
import sqlite3
from pathlib import Path

import pytest

from bot.archive.ingest import load_sample_if_empty
from bot.cli.main import main
from storage.articles import SqliteArticleStore
from storage.db import Database, check_integrity
from tests.helpers.botapi_standin import BotApiStandIn
from tests.helpers.botprocess import clean_env, spawn

pytestmark = pytest.mark.e2e

PAGE = 4096


async def sample_archive(path: Path) -> int:
    db = await Database.open(path)
    try:
        await load_sample_if_empty(SqliteArticleStore(db))
        await db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return await SqliteArticleStore(db).count()
    finally:
        await db.close()


def damage(path: Path, share: float, *, seed: int, spare_first: bool) -> None:
    """Overwrite ``share`` of the file's pages with random bytes."""
    rng = random.Random(seed)
    pages = path.stat().st_size // PAGE
    first = 1 if spare_first else 0
    chosen = rng.sample(range(first, pages), max(1, int(pages * share)))
    with path.open("r+b") as out:
        for page in chosen:
            out.seek(page * PAGE)
            out.write(rng.randbytes(PAGE))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("spare_first", [True, False], ids=["pages", "header-too"])
async def test_run_refuses_a_damaged_archive_and_writes_nothing(
    standin: BotApiStandIn, tmp_path: Path, spare_first: bool
) -> None:
    archive = tmp_path / "k.sqlite3"
    await sample_archive(archive)
    await asyncio.to_thread(damage, archive, 0.05, seed=13, spare_first=spare_first)
    before = await asyncio.to_thread(digest, archive)
    env = clean_env(TELEGRAM_BOT_TOKEN=standin.token, TELEGRAM_API_BASE_URL=standin.base_url)
    bot = await spawn(tmp_path, env, "run", "--db", str(archive))
    try:
        code = await bot.wait(timeout=60)
    finally:
        await bot.kill()
    output = bot.output()
    assert code == 1, output[-2000:]
    assert "is damaged or is not a Kata Siapa database" in output
    assert "Restore the last good backup" in output
    assert "Traceback" not in output
    assert not [c for c in standin.calls if c.method == "getUpdates"]  # never started
    assert await asyncio.to_thread(digest, archive) == before  # not a byte written
    # stats, which reads every table, says the same thing.
    probe = await spawn(tmp_path, env, "stats", "--db", str(archive))
    assert await probe.wait(timeout=60) == 1, probe.output()[-1500:]
    assert "is damaged or is not a Kata Siapa database" in probe.output()


async def test_the_check_is_bounded_in_time(tmp_path: Path) -> None:
    archive = tmp_path / "k.sqlite3"
    await sample_archive(archive)
    assert await asyncio.to_thread(check_integrity, archive, seconds=60) is True
    # Out of time: not a refusal (the bot starts and says so), and it returns at once.
    assert await asyncio.to_thread(check_integrity, archive, seconds=0) is False


async def test_backup_is_consistent_while_another_process_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "k.sqlite3"
    count = await sample_archive(archive)
    writer = sqlite3.connect(archive, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # a write in progress, never committed
        writer.execute("DELETE FROM articles")
        dest = tmp_path / "backup.sqlite3"
        code = await asyncio.to_thread(main, ["backup", str(dest), "--db", str(archive)])
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    out = capsys.readouterr().out
    assert code == 0
    assert "integrity check ok" in out
    with sqlite3.connect(dest) as copy:
        assert copy.execute("SELECT count(*) FROM articles").fetchone()[0] == count
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
    # A backup never overwrites an earlier one.
    assert await asyncio.to_thread(main, ["backup", str(dest), "--db", str(archive)]) == 2
    # The copy is a working archive: the CLI reads it.
    assert await asyncio.to_thread(main, ["stats", "--db", str(dest), "--json"]) == 0
    assert f'"articles": {count}' in capsys.readouterr().out


async def test_a_damaged_archive_is_not_backed_up_as_good(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "k.sqlite3"
    await sample_archive(archive)
    await asyncio.to_thread(damage, archive, 0.05, seed=5, spare_first=True)
    dest = tmp_path / "backup.sqlite3"
    code = await asyncio.to_thread(main, ["backup", str(dest), "--db", str(archive)])
    assert code == 1
    assert "damaged" in capsys.readouterr().err
    assert not dest.exists()
    assert not (tmp_path / "backup.sqlite3.partial").exists()
