"""Shared fixtures. Keep this small: fixtures used by one test module live in that module."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.helpers.botapi_standin import BotApiStandIn
from tests.helpers.pgserver import PgServer


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    """The strict Bot API stand-in, listening on a random port of 127.0.0.1."""
    server = BotApiStandIn()
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt into PTB v23's ``timedelta`` time periods: with v22 defaults, merely constructing a
    ``RetryAfter`` emits a PTBDeprecationWarning, which ``filterwarnings = error`` turns into a
    test failure."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One throwaway PostgreSQL server for the whole run (started by the first test that
    needs it, in a temporary directory; stopped and deleted at the end)."""
    server = PgServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a blank database of its own for one test (deleted with the server)."""
    return pg_server.create_database()
