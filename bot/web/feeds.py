"""Keeping the archive fresh from news feeds (RSS/Atom via feedparser).

A poll takes the feeds that are due, fetches each with a conditional request (ETag /
Last-Modified: an unchanged feed costs one 304), finds the items it has not seen, fetches
each item's page through the same safe fetcher as user links, extracts and analyzes it (in
a process pool when there are many), and stores the articles with ``provenance='feed'``.
A page that cannot be read falls back to the feed entry's own text when that is long
enough to be an article. Every feed and every item succeeds or fails alone: a failure is
recorded with its reason, a failing feed is polled less and less often (interval x 2^n, at
most daily) and a failed item is retried twice, an hour and four hours later.
"""

from __future__ import annotations

import asyncio
import dataclasses
import html
import logging
import re
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser

from bot.core.clock import Clock, SystemClock
from bot.core.errors import InputError, KataSiapaError, NotAFeedError, StorageError
from bot.core.models import (
    Analysis,
    ArticleInput,
    Feed,
    FeedItem,
    FeedPoll,
    IngestStatus,
    Provenance,
)
from bot.core.workers import worker_pool
from bot.web.fetch import FEED_TYPES, HTML_TYPES, Fetcher
from bot.web.links import PageJob, PageReader
from storage.protocols import ArticleStore, FeedStore

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 900
MIN_FALLBACK_CHARS = 400  # a feed entry's own text must be this long to stand for the page
_TAG_RE = re.compile(r"<[^>]+>")



@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    link: str
    title: str | None
    published_at: datetime | None
    text: str | None


def parse_feed(body: bytes) -> tuple[str | None, list[Entry]]:
    """(feed title, entries) from RSS/Atom bytes; raises NotAFeedError for anything else."""
    parsed: Any = feedparser.parse(body)
    entries = parsed.get("entries") or []
    if not entries and not parsed.get("version"):
        raise NotAFeedError("not a feed")
    out: list[Entry] = []
    for raw in entries:
        link = str(raw.get("link") or "").strip()
        key = str(raw.get("id") or raw.get("guid") or link).strip()
        if not key:
            continue
        stamp = raw.get("published_parsed") or raw.get("updated_parsed")
        published = (
            datetime(stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], stamp[5], tzinfo=UTC)
            if stamp
            else None
        )
        content = raw.get("content") or []
        body_html = (content[0].get("value") if content else None) or raw.get("summary")
        text = _plain(str(body_html)) if body_html else None
        title = str(raw.get("title") or "").strip() or None
        out.append(Entry(key=key[:1000], link=link, title=title, published_at=published,
                         text=text))  # fmt: skip
    title = str(parsed.get("feed", {}).get("title") or "").strip() or None
    return title, out


def _plain(fragment: str) -> str:
    """Feed entry HTML to paragraphs of text."""
    fragment = re.sub(r"(?i)</p\s*>|<br\s*/?>", "\n\n", fragment)
    return "\n\n".join(
        " ".join(p.split()) for p in html.unescape(_TAG_RE.sub(" ", fragment)).split("\n\n")
        if p.strip()
    )  # fmt: skip


class FeedService:
    def __init__(
        self,
        feeds: FeedStore,
        articles: ArticleStore,
        fetcher: Fetcher,
        *,
        reader: PageReader | None = None,
        concurrency: int = 16,
        workers: int = 2,
        pool_threshold: int = 40,
        clock: Clock | None = None,
    ) -> None:
        self.clock = clock or SystemClock()
        self.feeds = feeds
        self.articles = articles
        self.fetcher = fetcher
        self.reader = reader or PageReader()
        self.concurrency = concurrency
        self.workers = workers
        self.pool_threshold = pool_threshold
        self._lock = asyncio.Lock()

    async def add(self, url: str, *, interval_s: int = DEFAULT_INTERVAL_S) -> tuple[Feed, bool]:
        """Check that ``url`` is a feed (one fetch) and add it, due at once."""
        page = await self.fetcher.fetch(url, accept=FEED_TYPES | HTML_TYPES)
        title, _ = parse_feed(page.body)
        return await self.feeds.add(url, title, interval_s=interval_s, next_poll=self.clock.now())

    async def remove(self, feed_id: int) -> bool:
        return await self.feeds.remove(feed_id)

    async def all(self) -> list[Feed]:
        return await self.feeds.all()

    async def poll_due(self, now: datetime | None = None, *, everything: bool = False) -> FeedPoll:
        """Poll the due feeds (all with ``everything``); one poll at a time per process."""
        if self._lock.locked():
            return FeedPoll()
        async with self._lock:
            return await self._poll(now or self.clock.now(), everything)

    async def _poll(self, now: datetime, everything: bool) -> FeedPoll:
        """Every feed, and every item of a feed, succeeds or fails alone: a failure is
        recorded with its reason and backs off; it never stops the rest of the poll."""
        started = time.perf_counter()
        horizon = now + timedelta(days=3650) if everything else now
        due = await self.feeds.due(horizon)
        stats = _Tally(feeds=len(due))
        if not due:
            return stats.result(time.perf_counter() - started)
        semaphore = asyncio.Semaphore(self.concurrency)
        checked = await asyncio.gather(
            *(self._check(feed, etag, modified, now, stats, semaphore)
              for feed, etag, modified in due)
        )  # fmt: skip
        fresh = [c for c in checked if c is not None]
        stats.new_items = sum(len(c.entries) for c in fresh)
        pool: Executor | None = None
        if stats.new_items >= self.pool_threshold and self.workers > 1:
            pool = worker_pool(self.workers)
        try:
            await asyncio.gather(*(self._take_in(c, now, stats, semaphore, pool) for c in fresh))
        finally:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        return stats.result(time.perf_counter() - started)

    async def _check(
        self,
        feed: Feed,
        etag: str | None,
        modified: str | None,
        now: datetime,
        stats: _Tally,
        semaphore: asyncio.Semaphore,
    ) -> _Fresh | None:
        """Fetch one feed and find its items to read; None when there is nothing to do (not
        modified, or failed: then recorded, with the back-off)."""
        try:
            async with semaphore:
                page = await self.fetcher.fetch(
                    feed.url, accept=FEED_TYPES | HTML_TYPES, etag=etag, last_modified=modified
                )
            if page.not_modified:
                stats.not_modified += 1
                await self.feeds.polled(
                    feed.id, status="not_modified", next_poll=_after(now, feed.interval_s)
                )
                return None
            title, entries = parse_feed(page.body)
            todo = await self.feeds.unseen(feed.id, [e.key for e in entries], now)
        except Exception as exc:  # a feed fails alone, whatever the reason
            stats.failed_feeds += 1
            await self._failed(feed, now, exc)
            return None
        # Feeds list the newest first; the rest waits for the next poll (a feed of 50,000
        # items must not become 50,000 page fetches in one go), which then must not be
        # answered 304: the validators are kept only when nothing was left over.
        picked = [(e, todo[e.key]) for e in entries if e.key in todo]
        if len(picked) > MAX_ITEMS_PER_POLL:
            return _Fresh(feed, title, None, None, picked[:MAX_ITEMS_PER_POLL])
        return _Fresh(feed, title, page.etag, page.last_modified, picked)

    async def _take_in(
        self,
        fresh: _Fresh,
        now: datetime,
        stats: _Tally,
        semaphore: asyncio.Semaphore,
        pool: Executor | None,
    ) -> None:
        """Read a feed's new items (each alone), store them, then mark the feed polled."""
        feed = fresh.feed
        try:
            read = await asyncio.gather(
                *(self._read_item(feed, fresh.title, entry, semaphore, pool)
                  for entry, _ in fresh.entries)
            )  # fmt: skip
            outcomes = await self._store(feed, fresh.entries, read, now, stats)
            await self.feeds.record_items(feed.id, outcomes)
            added = sum(o.status == "added" for o in outcomes)
            await self.feeds.polled(
                feed.id,
                status="ok",
                next_poll=_after(now, feed.interval_s),
                etag=fresh.etag,
                last_modified=fresh.last_modified,
                title=fresh.title,
                added=added,
            )
        except Exception as exc:  # e.g. the archive cannot be written
            stats.failed_feeds += 1
            await self._failed(feed, now, exc)

    async def _read_item(
        self,
        feed: Feed,
        feed_title: str | None,
        entry: Entry,
        semaphore: asyncio.Semaphore,
        pool: Executor | None,
    ) -> tuple[ArticleInput, Analysis] | str:
        """The item's page read (or its own text when the page cannot be), else the reason;
        any failure stays with this item."""
        fallback = entry.text if entry.text and len(entry.text) >= MIN_FALLBACK_CHARS else None
        try:
            async with semaphore:
                body, encoding, url = b"", None, entry.link
                if entry.link:
                    try:
                        page = await self.fetcher.fetch(entry.link)
                        body, encoding, url = page.body, page.encoding, page.url
                    except InputError as exc:
                        if fallback is None:
                            return exc.user_message()
                elif fallback is None:
                    return "the item has neither a link nor text"
                job = PageJob(
                    body=body,
                    url=url,
                    encoding=encoding,
                    title=entry.title,
                    outlet=feed.title or feed_title,
                    published_at=entry.published_at,
                    provenance=Provenance.FEED,
                    fallback_text=fallback,
                )
                del body
                return await self.reader.read(job, pool)
        except Exception as exc:  # an item fails alone, whatever the reason
            log.warning("Feed %s item %s failed: %s", feed.id, entry.link, _reason(exc),
                        exc_info=not isinstance(exc, KataSiapaError))  # fmt: skip
            return _reason(exc)

    async def _store(
        self,
        feed: Feed,
        entries: list[tuple[Entry, int]],
        read: list[tuple[ArticleInput, Analysis] | str],
        now: datetime,
        stats: _Tally,
    ) -> list[FeedItem]:
        """Store a feed's readable items in one batch; what became of every item."""
        ready = [r for r in read if not isinstance(r, str)]
        stored = iter(
            await self.articles.add_many([(item, a, f"feed:{feed.id}") for item, a in ready])
            if ready
            else []
        )
        outcomes: list[FeedItem] = []
        for (entry, failures), result in zip(entries, read, strict=True):
            if isinstance(result, str):
                reason: str | None = result
                article_id = None
            else:
                done = next(stored)
                article_id, reason = done.article_id, done.reason
                if done.status is IngestStatus.ADDED:
                    stats.added += 1
                    outcomes.append(FeedItem(key=entry.key, status="added", article_id=article_id))
                    continue
                if done.status is IngestStatus.PRESENT:
                    stats.present += 1
                    outcomes.append(
                        FeedItem(key=entry.key, status="present", article_id=article_id)
                    )
                    continue
            stats.failed_items += 1
            tries = failures + 1
            log.info("Feed %s item %s not stored (attempt %d): %s", feed.id, entry.link, tries,
                     reason)  # fmt: skip
            outcomes.append(
                FeedItem(
                    key=entry.key,
                    status="failed",
                    reason=(reason or "?")[:500],
                    failures=tries,
                    retry_at=_item_retry(now, feed.interval_s, tries),
                )
            )
        return outcomes

    async def _failed(self, feed: Feed, now: datetime, exc: Exception) -> None:
        """Record a failed poll; the feed's next poll backs off with each failure in a row."""
        failures = feed.failures + 1
        reason = _reason(exc)
        log.warning("Feed %s (%s) failed %d time(s) in a row: %s", feed.id, feed.url, failures,
                    reason, exc_info=not isinstance(exc, KataSiapaError))  # fmt: skip
        try:
            await self.feeds.polled(
                feed.id,
                status="error",
                next_poll=_after(now, backoff_s(feed.interval_s, failures)),
                error=reason[:500],
                failures=failures,
            )
        except StorageError as again:  # the archive itself is the problem; the log says so
            log.warning("Feed %s: could not record the failure: %s", feed.id, again)


MAX_BACKOFF_S = 24 * 3600
MAX_ITEMS_PER_POLL = 100  # new items read per feed and poll
MAX_ITEM_TRIES = 3


def backoff_s(interval_s: int, failures: int) -> int:
    """The wait before polling a feed that failed ``failures`` times in a row."""
    return min(interval_s << min(failures, 16), MAX_BACKOFF_S)


def _item_retry(now: datetime, interval_s: int, tries: int) -> datetime | None:
    """When a failed item may be tried again: after an hour (or the feed's interval), then
    four times longer; never after ``MAX_ITEM_TRIES`` attempts."""
    if tries >= MAX_ITEM_TRIES:
        return None
    return now + timedelta(seconds=min(max(3600, interval_s) * 4 ** (tries - 1), MAX_BACKOFF_S))


def _after(now: datetime, seconds: int) -> datetime:
    return now + timedelta(seconds=seconds)


def _reason(exc: BaseException) -> str:
    """The recorded reason: a domain error's own message, else what went wrong."""
    if isinstance(exc, KataSiapaError):
        return exc.user_message()
    return f"unexpected error: {type(exc).__name__}: {exc}"


@dataclass(frozen=True, slots=True)
class _Fresh:
    """A feed fetched this poll and the items to read: (entry, its failed attempts)."""

    feed: Feed
    title: str | None
    etag: str | None
    last_modified: str | None
    entries: list[tuple[Entry, int]]


@dataclass
class _Tally:
    """The counters of a poll in progress, then a FeedPoll."""

    feeds: int = 0
    not_modified: int = 0
    failed_feeds: int = 0
    new_items: int = 0
    added: int = 0
    present: int = 0
    failed_items: int = 0

    def result(self, seconds: float) -> FeedPoll:
        return FeedPoll(seconds=round(seconds, 3), **dataclasses.asdict(self))
