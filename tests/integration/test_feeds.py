"""Feeds against a real HTTP server on 127.0.0.1: add, poll, conditional requests, feeds
that change between polls, unreadable items, and the CLI."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.errors import BlockedAddressError, NotAFeedError
from bot.core.models import Provenance
from bot.web.feeds import FeedService, parse_feed
from bot.web.fetch import Fetcher, FetchLimits
from storage.articles import SqliteArticleStore
from storage.db import Database
from storage.feeds import SqliteFeedStore
from tests.helpers.newsite import NewsSite, serve


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with serve(NewsSite()) as running:
        yield running


@pytest.fixture
async def service(db: Database) -> AsyncIterator[FeedService]:
    fetcher = Fetcher(FetchLimits(allow_private=True, timeout_s=5))
    try:
        yield FeedService(SqliteFeedStore(db), SqliteArticleStore(db), fetcher, workers=1)
    finally:
        await fetcher.close()


async def test_add_poll_and_only_new_items_next_time(site: NewsSite, service: FeedService) -> None:
    feed, added = await service.add(f"{site.base}/rss.xml")
    assert added
    assert feed.title == "Warta Contoh rss"
    again, added_twice = await service.add(f"{site.base}/rss.xml")
    assert (again.id, added_twice) == (feed.id, False)

    first = await service.poll_due()
    assert (first.feeds, first.new_items, first.added, first.failed_items) == (1, 3, 3, 0)
    stored = [a for i in range(1, 4) if (a := await service.articles.get(i))]
    assert len(stored) == 3
    assert {a.provenance for a in stored} == {Provenance.FEED}
    article = stored[-1]
    assert article is not None
    assert article.outlet == "Warta Contoh rss"
    assert article.published_at is not None
    assert article.url is not None
    assert article.url.startswith(site.base + "/a/id/")
    assert "Baca juga" not in article.text  # extracted, not the raw page
    assert any(c.speaker and "Hendra Wibisono" in c.speaker.name for c in article.claims)

    # Not due yet: nothing happens. Forced: an unchanged feed is a 304.
    assert (await service.poll_due()).feeds == 0
    unchanged = await service.poll_due(everything=True)
    assert (unchanged.not_modified, unchanged.new_items) == (1, 0)

    site.rss_items = 5  # the feed gains two items
    hits_before = dict(site.hits)
    changed = await service.poll_due(everything=True)
    assert (changed.new_items, changed.added) == (2, 2)
    fetched = {p for p, n in site.hits.items() if n > hits_before.get(p, 0) and "/a/" in p}
    assert fetched == {"/a/id/4.html", "/a/id/5.html"}  # only the new items' pages
    [listed] = await service.all()
    assert listed.items_added == 5
    assert listed.last_status == "ok"


async def test_atom_feed_and_unreadable_items(site: NewsSite, service: FeedService) -> None:
    site.broken_items = {102}
    await service.add(f"{site.base}/atom.xml")
    poll = await service.poll_due()
    assert (poll.new_items, poll.added) == (1, 1)  # 102: page 404 and its summary is short
    # a broken item is remembered as failed, not refetched on every poll
    site.broken_items = set()
    again = await service.poll_due(everything=True)
    assert again.new_items == 0


async def test_bad_feeds_are_recorded_and_do_not_stop_the_others(
    site: NewsSite, service: FeedService
) -> None:
    with pytest.raises(NotAFeedError):
        await service.add(f"{site.base}/not-a-feed")
    await service.add(f"{site.base}/rss.xml")
    await service.feeds.add(
        f"{site.base}/missing.xml",
        None,
        interval_s=60,
        next_poll=(await service.all())[0].next_poll,
    )
    poll = await service.poll_due()
    assert (poll.feeds, poll.failed_feeds, poll.added) == (2, 1, 3)
    broken = [f for f in await service.all() if f.url.endswith("missing.xml")][0]
    assert broken.last_status == "error"
    assert broken.last_error


async def test_concurrent_polls_do_not_double_import(site: NewsSite, service: FeedService) -> None:
    await service.add(f"{site.base}/rss.xml")
    a, b = await asyncio.gather(service.poll_due(), service.poll_due())
    assert a.added + b.added == 3
    assert await service.articles.count() == 3


async def test_private_addresses_need_the_test_setting(site: NewsSite, db: Database) -> None:
    strict = Fetcher()
    try:
        service = FeedService(SqliteFeedStore(db), SqliteArticleStore(db), strict)
        with pytest.raises(BlockedAddressError):
            await service.add(f"{site.base}/rss.xml")
    finally:
        await strict.close()


def test_parse_feed_rejects_html_and_reads_entries() -> None:
    with pytest.raises(NotAFeedError):
        parse_feed(b"<html><body>not a feed</body></html>")
    title, entries = parse_feed(
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
        b"<item><title>A</title><link>https://example.org/a</link>"
        b"<description>&lt;p&gt;One.&lt;/p&gt;&lt;p&gt;Two.&lt;/p&gt;</description></item>"
        b"</channel></rss>"
    )
    assert title == "T"
    [entry] = entries
    assert (entry.key, entry.link, entry.title) == ("https://example.org/a", entry.link, "A")
    assert entry.text == "One.\n\nTwo."


async def test_cli_feeds_commands(
    site: NewsSite,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KATASIAPA_FETCH_ALLOW_PRIVATE", "1")
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "cli.sqlite3")

    def run(*args: str) -> tuple[int, str]:
        code = main(["feeds", *args, "--db", db])
        return code, capsys.readouterr().out

    code, out = await asyncio.to_thread(run, "add", f"{site.base}/rss.xml")
    assert code == 0
    assert "#1" in out
    assert "added" in out
    code, out = await asyncio.to_thread(run, "poll")
    assert code == 0
    assert "3 articles added" in out
    code, out = await asyncio.to_thread(run, "list")
    assert "3 articles added" in out
    assert "[ok]" in out
    code, out = await asyncio.to_thread(run, "remove", "1")
    assert (code, out.strip()) == (0, "Feed #1 removed.")
    code, _ = await asyncio.to_thread(run, "remove", "1")
    assert code == 1
