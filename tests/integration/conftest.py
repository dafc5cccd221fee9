"""Fixtures shared by the integration tests: a real SQLite archive file per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.db import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A freshly migrated archive file under tmp_path, closed after the test."""
    database = await Database.open(tmp_path / "archive.sqlite3")
    try:
        yield database
    finally:
        await database.close()
