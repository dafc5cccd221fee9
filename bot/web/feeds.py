"""Keeping the archive fresh from news feeds (RSS/Atom via feedparser).

A poll takes the feeds that are due, fetches each with a conditional request (ETag /
Last-Modified: an unchanged feed costs one 304), finds the items it has not seen, fetches
each item's page through the same safe fetcher as user links, extracts and analyzes it (in
a process pool when there are many), and stores the articles with ``provenance='feed'``.
A page that cannot be read falls back to the feed entry's own text when that is long
enough to be an article. Feed problems are recorded on the feed and never stop the others.
"""

from __future__ import annotations

import asyncio
import dataclasses
import html
import logging
import re
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from typing import Any

import feedparser

from bot.core.clock import Clock, SystemClock
from bot.core.errors import FetchError, InputError, NotAFeedError
from bot.core.models import Analysis, ArticleInput, Feed, FeedPoll, IngestStatus, Provenance
from bot.web.fetch import FEED_TYPES, HTML_TYPES, Fetcher
from bot.web.links import PageJob, read_page
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
        concurrency: int = 16,
        workers: int = 2,
        pool_threshold: int = 40,
        clock: Clock | None = None,
    ) -> None:
        self.clock = clock or SystemClock()
        self.feeds = feeds
        self.articles = articles
        self.fetcher = fetcher
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
        started = time.perf_counter()
        horizon = now + timedelta(days=3650) if everything else now
        due = await self.feeds.due(horizon)
        stats = _Tally(feeds=len(due))
        if not due:
            return stats.result(time.perf_counter() - started)
        semaphore = asyncio.Semaphore(self.concurrency)
        pool: Executor | None = None
        try:
            fetched = await asyncio.gather(
                *(self._fetch_feed(feed, etag, modified, now, stats, semaphore)
                  for feed, etag, modified in due)
            )  # fmt: skip
            jobs = [job for batch in fetched for job in batch]
            stats.new_items = len(jobs)
            if len(jobs) >= self.pool_threshold and self.workers > 1:
                # spawn, not fork: forking a process that runs aiosqlite's thread can deadlock
                pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))
            loop = asyncio.get_running_loop()
            results = await asyncio.gather(
                *(loop.run_in_executor(pool, read_page, job.page) for job in jobs)
            )
            await self._store(jobs, results, stats)
        finally:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        return stats.result(time.perf_counter() - started)

    async def _fetch_feed(
        self,
        feed: Feed,
        etag: str | None,
        modified: str | None,
        now: datetime,
        stats: _Tally,
        semaphore: asyncio.Semaphore,
    ) -> list[_Job]:
        next_poll = now + timedelta(seconds=feed.interval_s)
        async with semaphore:
            try:
                page = await self.fetcher.fetch(
                    feed.url, accept=FEED_TYPES | HTML_TYPES, etag=etag, last_modified=modified
                )
                if page.not_modified:
                    stats.not_modified += 1
                    await self.feeds.polled(feed.id, status="not_modified", next_poll=next_poll)
                    return []
                title, entries = parse_feed(page.body)
            except InputError as exc:
                stats.failed_feeds += 1
                log.warning("Feed %s (%s): %s", feed.id, feed.url, exc)
                await self.feeds.polled(
                    feed.id, status="error", next_poll=next_poll, error=exc.user_message()
                )
                return []
            new_keys = set(await self.feeds.unseen(feed.id, [e.key for e in entries]))
            entries = [e for e in entries if e.key in new_keys]
            jobs = await asyncio.gather(
                *(self._fetch_item(feed, title, entry) for entry in entries)
            )
            await self.feeds.polled(
                feed.id,
                status="ok",
                next_poll=next_poll,
                etag=page.etag,
                last_modified=page.last_modified,
                title=title,
            )
            return [j for j in jobs if j is not None]

    async def _fetch_item(self, feed: Feed, feed_title: str | None, entry: Entry) -> _Job | None:
        fallback = entry.text if entry.text and len(entry.text) >= MIN_FALLBACK_CHARS else None
        body, encoding, url = b"", None, entry.link
        if entry.link:
            try:
                page = await self.fetcher.fetch(entry.link)
                body, encoding, url = page.body, page.encoding, page.url
            except FetchError as exc:
                if fallback is None:
                    log.info("Feed %s item %s: %s", feed.id, entry.link, exc)
                    await self.feeds.record_items(feed.id, [(entry.key, None, "failed")])
                    return None
        elif fallback is None:
            await self.feeds.record_items(feed.id, [(entry.key, None, "failed")])
            return None
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
        return _Job(feed.id, entry.key, job)

    async def _store(
        self,
        jobs: list[_Job],
        results: list[tuple[ArticleInput, Analysis] | str],
        stats: _Tally,
    ) -> None:
        ready = [(j, r) for j, r in zip(jobs, results, strict=True) if not isinstance(r, str)]
        failed = [(j, r) for j, r in zip(jobs, results, strict=True) if isinstance(r, str)]
        stored = await self.articles.add_many(
            [(item, analysis, f"feed:{j.feed_id}") for j, (item, analysis) in ready]
        )
        per_feed: dict[int, list[tuple[str, int | None, str]]] = {}
        added: dict[int, int] = {}
        for (job, _), result in zip(ready, stored, strict=True):
            if result.status is IngestStatus.ADDED:
                stats.added += 1
                added[job.feed_id] = added.get(job.feed_id, 0) + 1
                status = "added"
            elif result.status is IngestStatus.PRESENT:
                stats.present += 1
                status = "present"
            else:
                stats.failed_items += 1
                status = "failed"
            per_feed.setdefault(job.feed_id, []).append((job.key, result.article_id, status))
        for job, reason in failed:
            stats.failed_items += 1
            log.info("Feed %s item %s not stored: %s", job.feed_id, job.page.url, reason)
            per_feed.setdefault(job.feed_id, []).append((job.key, None, "failed"))
        for feed_id, items in per_feed.items():
            await self.feeds.record_items(feed_id, items)
        for feed_id, count in added.items():
            await self.feeds.add_count(feed_id, count)


@dataclass(frozen=True, slots=True)
class _Job:
    feed_id: int
    key: str
    page: PageJob


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
