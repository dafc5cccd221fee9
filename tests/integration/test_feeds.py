"""Feeds against a real HTTP server on 127.0.0.1: add, poll, conditional requests, feeds
that change between polls, unreadable items, and the CLI."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.errors import BlockedAddressError, NotAFeedError, StorageError
from bot.core.models import Provenance
from bot.web.feeds import MAX_BACKOFF_S, MAX_ITEMS_PER_POLL, FeedService, backoff_s, parse_feed
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
    # 102: page 404 and its summary is short
    assert (poll.new_items, poll.added, poll.failed_items) == (2, 1, 1)
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
    assert (entry.key, entry.link, entry.title) == (
        "https://example.org/a", "https://example.org/a", "A"
    )
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
    site.rss_items, site.js_items = 4, {4}  # a new item whose link redirects to javascript:
    code, out = await asyncio.to_thread(run, "poll", "--all")
    assert code == 0  # the feed itself was read; the item failed alone
    assert "1 new items, 0 articles added" in out
    assert "1 unreadable" in out
    code, out = await asyncio.to_thread(run, "remove", "1")
    assert (code, out.strip()) == (0, "Feed #1 removed.")
    code, _ = await asyncio.to_thread(run, "remove", "1")
    assert code == 1


async def _item_rows(db: Database) -> dict[str, tuple[str, str | None, int, str | None]]:
    rows = await db.fetchall("SELECT item_key, status, reason, failures, retry_at FROM feed_items")
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}


async def test_an_item_redirecting_to_javascript_fails_alone(
    site: NewsSite, service: FeedService, db: Database
) -> None:
    """The item's redirect used to raise an uncaught InvalidURL: the whole poll aborted and a
    healthy feed polled alongside stored nothing yet was marked ok."""
    site.js_items = {2}
    await service.add(f"{site.base}/rss.xml")
    await service.add(f"{site.base}/atom.xml")
    poll = await service.poll_due()
    assert (poll.feeds, poll.failed_feeds, poll.new_items) == (2, 0, 5)
    assert (poll.added, poll.failed_items) == (4, 1)
    assert await service.articles.count() == 4
    feeds = await service.all()
    assert [(f.last_status, f.items_added, f.failures) for f in feeds] == [
        ("ok", 2, 0),
        ("ok", 2, 0),
    ]
    status, reason, failures, retry_at = (await _item_rows(db))["rss-2"]
    assert (status, failures) == ("failed", 1)
    assert reason is not None
    assert "redirects to an unusable address" in reason
    assert retry_at is not None  # tried again later (an hour), not on every poll


async def test_a_failed_item_is_retried_with_back_off_then_given_up(
    site: NewsSite, service: FeedService, db: Database
) -> None:
    site.broken_items = {2}
    await service.add(f"{site.base}/rss.xml")
    now = (await service.all())[0].next_poll
    assert (await service.poll_due(now)).failed_items == 1
    assert (await service.poll_due(now + timedelta(minutes=30), everything=True)).new_items == 0
    # After an hour it is due again; it fails again, and the next try is four hours later.
    second = await service.poll_due(now + timedelta(hours=1, minutes=1), everything=True)
    assert (second.new_items, second.failed_items) == (1, 1)
    assert (await _item_rows(db))["rss-2"][2] == 2
    later = now + timedelta(hours=1, minutes=1)
    assert (await service.poll_due(later + timedelta(hours=3), everything=True)).new_items == 0
    site.broken_items = set()  # the site is fixed: the third try stores it
    third = await service.poll_due(later + timedelta(hours=4, minutes=1), everything=True)
    assert (third.new_items, third.added) == (1, 1)
    assert (await _item_rows(db))["rss-2"][0] == "added"


async def test_a_failing_feed_backs_off_and_recovers(
    site: NewsSite, service: FeedService
) -> None:
    feed, _ = await service.add(f"{site.base}/rss.xml")
    now = feed.next_poll
    await service.feeds.add(f"{site.base}/missing.xml", None, interval_s=900, next_poll=now)
    for failures in (1, 2, 3):
        broken = [f for f in await service.all() if f.url.endswith("missing.xml")][0]
        poll = await service.poll_due(broken.next_poll)
        assert poll.failed_feeds == 1
        broken = [f for f in await service.all() if f.url.endswith("missing.xml")][0]
        assert broken.failures == failures
        assert broken.last_status == "error"
        assert broken.last_error
        assert broken.next_poll - (broken.last_polled or now) >= timedelta(
            seconds=backoff_s(900, failures) - 60
        )
    assert backoff_s(900, 1) == 1800
    assert backoff_s(900, 3) == 7200
    assert backoff_s(900, 40) == MAX_BACKOFF_S
    healthy = [f for f in await service.all() if f.url.endswith("rss.xml")][0]
    assert (healthy.last_status, healthy.failures, healthy.items_added) == ("not_modified", 0, 3)


async def test_an_unexpected_error_in_one_item_or_one_feed_stays_there(
    site: NewsSite, service: FeedService, monkeypatch: pytest.MonkeyPatch, db: Database
) -> None:
    await service.add(f"{site.base}/rss.xml")
    await service.add(f"{site.base}/atom.xml")
    read = service.reader.read

    async def flaky(job, pool=None):  # type: ignore[no-untyped-def]
        if job.url.endswith("/a/id/3.html"):
            raise RuntimeError("extractor bug")
        return await read(job, pool)

    monkeypatch.setattr(service.reader, "read", flaky)
    add_many = service.articles.add_many

    async def failing_add_many(items):  # type: ignore[no-untyped-def]
        if any(source == "feed:2" for _, _, source in items):
            raise StorageError("The disk holding the archive is full.")
        return await add_many(items)

    monkeypatch.setattr(service.articles, "add_many", failing_add_many)
    poll = await service.poll_due()
    assert (poll.failed_feeds, poll.added, poll.failed_items) == (1, 2, 1)
    rss, atom = await service.all()
    assert (rss.last_status, rss.items_added) == ("ok", 2)
    assert (atom.last_status, atom.failures) == ("error", 1)
    assert atom.last_error is not None
    assert "full" in atom.last_error
    assert "unexpected error: RuntimeError: extractor bug" in str((await _item_rows(db))["rss-3"])


async def test_a_huge_feed_is_read_a_bounded_number_of_items_per_poll(
    site: NewsSite, service: FeedService
) -> None:
    site.rss_items = MAX_ITEMS_PER_POLL + 20
    feed, _ = await service.add(f"{site.base}/rss.xml")
    first = await service.poll_due()
    assert (first.new_items, first.added) == (MAX_ITEMS_PER_POLL, MAX_ITEMS_PER_POLL)
    # The rest at the next poll, although the feed itself did not change (no 304).
    second = await service.poll_due(feed.next_poll + timedelta(hours=1))
    assert (second.not_modified, second.new_items, second.added) == (0, 20, 20)
    third = await service.poll_due(feed.next_poll + timedelta(hours=2))
    assert (third.not_modified, third.new_items) == (1, 0)
