"""``katasiapa migrate-archive``: a SQLite archive in use (articles, users, digests, feeds)
copied into PostgreSQL, then read back through the stores: the same answers before and after."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.analysis import analyze
from bot.cli.main import main
from bot.core.models import Analysis, ArticleInput, DigestRun, FeedItem, ForwardOrigin
from bot.lookup.ask import ask
from bot.settings import Settings
from storage.stores import Stores, open_stores

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
T0 = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
T_RETRY = T0 + timedelta(hours=1)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "KATASIAPA_DB", "KATASIAPA_ADMIN_IDS"):
        monkeypatch.delenv(name, raising=False)


async def _fill(stores: Stores) -> list[str]:
    """An archive with something in every table; returns texts to ask about."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "articles").glob("*.txt"))]
    results = await stores.articles.add_many(
        [(ArticleInput(text=t), analyze(t), "") for t in texts]
    )
    gone = await stores.articles.add(
        ArticleInput(text="Removed later, id never reused."), Analysis(language="en")
    )
    assert await stores.articles.remove(gone.article_id or 0)
    first = results[0].article_id or 0
    origin = ForwardOrigin(type="channel", chat_id=-100, username="kanal", message_id=3, date=T0)
    await stores.activity.record_lookup(
        user_id=1,
        kind="article",
        outcome="match",
        article_id=first,
        score=93.0,
        sighting=True,
        origin=origin,
    )
    await stores.activity.record_feedback(1, first, "not_this")
    await stores.activity.set_language(1, "en")
    await stores.digests.subscribe(
        1, 1, send_time="07:00", timezone="Asia/Jakarta", language="id", next_due=T0
    )
    await stores.digests.follow(1, "Kompas", "kompas", cap=5)
    await stores.digests.claim(1, date(2026, 1, 5), "run-1")
    await stores.digests.settle(1, date(2026, 1, 5), "sent", messages=1)
    await stores.digests.save_run(DigestRun(run_id="run-1", started_at=T0, due=1, sent=1))
    feed, _ = await stores.feeds.add("https://a.example/rss", "A", interval_s=600, next_poll=T0)
    await stores.feeds.record_items(
        feed.id,
        [
            FeedItem(key="k1", status="added", article_id=first),
            FeedItem(key="k9", status="failed", reason="timeout", failures=1, retry_at=T_RETRY),
        ],
    )
    return [t[: len(t) // 2] for t in texts] + ["siapa yang bilang " + texts[0][40:160]]


async def _snapshot(stores: Stores, queries: list[str]) -> dict[str, object]:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    ids = range(1, 40)
    return {
        "stats": await stores.articles.stats(),
        "articles": [await stores.articles.get(i) for i in ids],
        "answers": [
            (await ask(stores.index, q, settings, analyze_unmatched=False)).model_dump(mode="json")
            for q in queries
        ],
        "demand": await stores.activity.demand(1),
        "activity": await stores.activity.stats(T0),
        "due": await stores.digests.due(T0 + timedelta(days=1), 10),
        "delivery": await stores.digests.delivery_status(1, date(2026, 1, 5)),
        "run": await stores.digests.last_run(),
        "feeds": await stores.feeds.all(),
        "unseen": await stores.feeds.unseen(1, ["k1", "k2", "k9"], T_RETRY),
        "sizes": [await stores.index.size("articles"), await stores.index.size("claims")],
    }


async def test_migrate_archive_copies_everything_and_answers_the_same(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "archive.sqlite3"
    source = await open_stores(path)
    try:
        queries = await _fill(source)
        before = await _snapshot(source, queries)
    finally:
        await source.close()

    assert (
        await asyncio.to_thread(main, ["migrate-archive", "--from", str(path), "--to", pg_url]) == 0
    )
    out = capsys.readouterr().out
    assert "every count matches" in out
    assert "articles" in out
    assert "feed_items" in out

    target = await open_stores(pg_url)
    try:
        after = await _snapshot(target, queries)
        for key in before:
            assert after[key] == before[key], key
        assert any(a["outcome"] == "match" for a in before["answers"])  # type: ignore[index,union-attr]
        new = await target.articles.add(
            ArticleInput(text="Written after the move."), Analysis(language="en")
        )
        # ids 1..12 the fixtures, 13 removed before the move: never handed out again
        assert (new.article_id or 0) == len(queries) + 1
    finally:
        await target.close()

    # Again into the now full database: refused, nothing changed.
    assert (
        await asyncio.to_thread(main, ["migrate-archive", "--from", str(path), "--to", pg_url]) == 1
    )
    assert "not empty" in capsys.readouterr().err
    check = await open_stores(pg_url)
    try:
        assert (await check.articles.stats()).articles == before["stats"].articles + 1  # type: ignore[attr-defined]
    finally:
        await check.close()


def test_migrate_archive_needs_a_url_and_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "migrate-archive",
                "--from",
                str(tmp_path / "x.sqlite3"),
                "--to",
                str(tmp_path / "y.sqlite3"),
            ]
        )
        == 2
    )
    assert "postgresql:// URL" in capsys.readouterr().err
    assert (
        main(
            [
                "migrate-archive",
                "--from",
                str(tmp_path / "x.sqlite3"),
                "--to",
                "postgresql://u@/db?host=/nowhere",
            ]
        )
        == 2
    )
    assert "no such SQLite archive" in capsys.readouterr().err
