"""Turning a fetched page into an analyzed article: extraction (bot/extract.py, trafilatura
with JSON-LD/OpenGraph metadata) then the analyzer. Shared by links people send and by feeds.

``read_page`` is a plain picklable function so feeds can run it in a process pool; a failure
comes back as the user-facing reason string instead of an exception. ``PageReader`` is how
the bot runs it: a few pages at a time (each costs tens of megabytes and seconds of CPU at
most; more at once only adds memory, not speed, on a machine with a few cores), and the
memory handed back after each.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime

from bot.core.errors import InputError
from bot.core.models import Analysis, ArticleInput, Provenance
from bot.web.memory import release_memory

READING_SLOTS = 2  # pages extracted and analyzed at once per process


@dataclass(frozen=True, slots=True)
class PageJob:
    """A fetched page and what is known about it beforehand (from a feed entry)."""

    body: bytes
    url: str
    encoding: str | None = None
    title: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None
    provenance: Provenance = Provenance.USER
    fallback_text: str | None = None  # the feed entry's own content, if the page fails


def read_page(job: PageJob) -> tuple[ArticleInput, Analysis] | str:
    """Extract and analyze one page; the reason it failed otherwise."""
    from bot.archive.ingest import analyze_article
    from bot.web.extract import extract_article

    html: str | bytes = job.body
    if job.encoding:
        try:
            html = job.body.decode(job.encoding, errors="replace")
        except LookupError:  # an unknown charset name: let the extractor sniff
            html = job.body
    try:
        page = extract_article(html, job.url)
        item = ArticleInput(
            text=page.text,
            title=page.title or job.title,
            url=page.url or job.url,
            outlet=job.outlet or page.outlet,
            published_at=page.published_at or job.published_at,
            # page.language is not trusted: themes declare lang="en-US" over Indonesian text;
            # the analyzer detects the language from the text itself.
            provenance=job.provenance,
        )
    except InputError as exc:
        if not job.fallback_text:
            return exc.user_message()
        item = ArticleInput(
            text=job.fallback_text,
            title=job.title,
            url=job.url,
            outlet=job.outlet,
            published_at=job.published_at,
            provenance=job.provenance,
        )
    try:
        return analyze_article(item)
    except InputError as exc:
        return exc.user_message()


class PageReader:
    """Runs :func:`read_page` off the event loop, at most ``slots`` pages at a time (shared
    by links people send and feed items), releasing the memory after each page."""

    def __init__(self, slots: int = READING_SLOTS) -> None:
        self._slots = asyncio.Semaphore(slots)

    async def read(
        self, job: PageJob, pool: Executor | None = None
    ) -> tuple[ArticleInput, Analysis] | str:
        """Extract and analyze a page, in ``pool`` (worker processes) or a thread."""
        async with self._slots:
            try:
                return await asyncio.get_running_loop().run_in_executor(pool, read_page, job)
            finally:
                if pool is None:  # read here, not in a worker process (~1 ms)
                    release_memory()
