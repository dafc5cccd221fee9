"""The bot's use cases, one method per thing a user can do; Telegram-free.

Handlers parse an update, call one method here and render what it returns. Every lookup is
logged (what it found, never the text); a forwarded or pasted article that matched, or that
was stored as a new user submission, counts as a sighting of that article, with the
channel it was forwarded from.

That bookkeeping (the user seen, the lookup logged) is best effort: when the archive
refuses writes (a full disk), lookups, cards and buttons keep working and only what has to
be stored is refused, with :class:`WritesRefusedError`.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.archive.ingest import analyze_article
from bot.core.errors import (
    InputError,
    StillReadingError,
    UnreadablePageError,
    WritesRefusedError,
)
from bot.core.health import WriteHealth
from bot.core.models import (
    ActivityStats,
    Analysis,
    ArchiveStats,
    Article,
    ArticleInput,
    AskResult,
    Demand,
    ForwardOrigin,
    IngestResult,
    IngestStatus,
    MatchHit,
    Provenance,
)
from bot.i18n import DEFAULT_LANG, LANGS, Lang, pick_language
from bot.lookup.ask import ask
from bot.settings import Settings
from bot.web.fetch import Fetcher
from bot.web.links import PageJob, PageReader
from bot.web.urls import canonical_url, url_variants
from storage.protocols import ActivityStore, ArticleStore, MatchIndex


@dataclass(frozen=True, slots=True)
class Answer:
    """A lookup's result, with what the answer card shows beyond the match itself."""

    result: AskResult
    article: Article | None = None  # the matched article in full, or the new submission
    demand: Demand | None = None
    submitted: bool = False  # not in the archive: stored now as an unverified submission


@dataclass(frozen=True, slots=True)
class AdminStats:
    archive: ArchiveStats
    activity: ActivityStats
    day_start: datetime


class Conversation:
    """Use cases over one archive; one instance per application."""

    def __init__(
        self,
        store: ArticleStore,
        index: MatchIndex,
        activity: ActivityStore,
        settings: Settings,
        fetcher: Fetcher | None = None,
        reader: PageReader | None = None,
        health: WriteHealth | None = None,
    ) -> None:
        self.store = store
        self.index = index
        self.activity = activity
        self.settings = settings
        self.fetcher = fetcher or Fetcher(settings.fetch_limits())
        self.reader = reader or PageReader()
        self.health = health or WriteHealth()
        self._reading: set[int] = set()  # users with a link being read right now
        self._links: dict[str, asyncio.Future[tuple[int | None, Analysis, bool]]] = {}

    # -- users ----------------------------------------------------------------------------

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids

    async def language(self, user_id: int | None, telegram_code: str | None) -> Lang:
        """The language chosen with /lang, else the one of the user's Telegram app.

        Also records the user as seen (the users table feeds /stats and, later, digests).
        """
        if user_id is None:
            return pick_language(telegram_code)
        try:
            chosen = await self.activity.touch_user(user_id)
        except WritesRefusedError:  # a full disk: the choice can still be read
            chosen = await self.activity.language(user_id)
        return chosen if chosen in LANGS else pick_language(telegram_code)

    async def saved_language(self, user_id: int) -> Lang:
        """The language a user chose with /lang (English if none); reads only."""
        chosen = await self.activity.language(user_id)
        return chosen if chosen in LANGS else DEFAULT_LANG

    def storage_trouble(self) -> WritesRefusedError | None:
        """Why the archive refuses writes, the first time it is asked since they worked
        (the admins are told once)."""
        return self.health.to_report()

    async def set_language(self, user_id: int, lang: Lang) -> None:
        await self.activity.set_language(user_id, lang)

    async def archive_size(self) -> int:
        """How many articles the archive holds (the welcome message says so)."""
        return await self.store.count()

    # -- lookups --------------------------------------------------------------------------

    async def lookup(
        self,
        text: str,
        *,
        user_id: int | None,
        origin: ForwardOrigin | None = None,
        as_quote: bool = False,
    ) -> Answer:
        """Match a forwarded/pasted text or a quote; store an unknown article as a submission.

        Raises the InputError subclasses of :func:`bot.lookup.ask.ask` (empty, too short, too long).
        """
        result = await ask(self.index, text, self.settings, as_quote=as_quote)
        if result.kind == "quote":
            top = result.results[0] if result.results else None
            await self._log(user_id, result, top.article_id if top else None, sighting=False)
            return Answer(result=result)
        if result.outcome == "match":
            article_id = result.results[0].article_id
            await self._log(user_id, result, article_id, sighting=True, origin=origin)
            return await self._with_article(result, article_id)
        if result.outcome == "none" and result.analysis is not None:
            stored = await self.store.add(
                ArticleInput(
                    text=text,
                    title=result.analysis.title,
                    url=origin.link if origin else None,
                    outlet=origin.label if origin else None,
                    published_at=origin.date if origin and origin.public else None,
                    language=result.analysis.language,
                    provenance=Provenance.USER,
                ),
                result.analysis,
                source="telegram",
            )
            if stored.status is IngestStatus.PRESENT and stored.article_id is not None:
                # Stored a moment ago by someone else sending the same text (or they raced
                # this lookup): the same content, so it is a match, and the card says so.
                hit = MatchHit(article_id=stored.article_id, score=100.0)
                result = result.model_copy(update={"outcome": "match", "results": [hit]})
            if stored.status is not IngestStatus.REJECTED and stored.article_id is not None:
                await self._log(user_id, result, stored.article_id, sighting=True, origin=origin)
                answer = await self._with_article(result, stored.article_id)
                return Answer(
                    result=result,
                    article=answer.article,
                    demand=answer.demand,
                    submitted=stored.status is IngestStatus.ADDED,
                )
        await self._log(user_id, result, None, sighting=False)
        return Answer(result=result)

    async def stored_link(self, url: str, *, user_id: int | None) -> Answer | None:
        """A link already in the archive (any spelling of it): its card, at once."""
        article = await self.store.find_by_urls(url_variants(url))
        if article is None:
            return None
        await self._record(
            user_id=user_id, kind="link", outcome="match", article_id=article.id,
            score=100.0, sighting=True,
        )  # fmt: skip
        result = AskResult(kind="article", outcome="match", query=url)
        return Answer(result=result, article=article, demand=await self.activity.demand(article.id))

    async def read_link(self, url: str, *, user_id: int | None) -> Answer:
        """Fetch, extract and analyze a link that is not in the archive; store it as a user
        submission. One link at a time per user; a link many users send at once is read
        (fetched, analyzed, stored) once and they all get its card. Raises InputError
        subclasses (fetch errors, unreadable page, still reading the user's last link)."""
        if user_id is not None and user_id in self._reading:
            raise StillReadingError("a link of this user is still being read")
        key = canonical_url(url) or url
        if user_id is not None:
            self._reading.add(user_id)
        try:
            pending = self._links.get(key)
            if pending is None:
                pending = asyncio.ensure_future(self._read_and_store(url))
                self._links[key] = pending
                pending.add_done_callback(lambda _: self._links.pop(key, None))
                first = True
            else:
                first = False
            article_id, analysis, added = await asyncio.shield(pending)
        except InputError:
            await self._record(
                user_id=user_id, kind="link", outcome="none", article_id=None, score=None
            )
            raise
        finally:
            self._reading.discard(user_id)
        submitted = added and first
        if article_id is not None and not submitted:
            # Stored a moment ago for another user (or already there): it is in the archive.
            hit = MatchHit(article_id=article_id, score=100.0)
            result = AskResult(kind="article", outcome="match", query=url, results=[hit])
        else:
            result = AskResult(kind="article", outcome="none", query=url, analysis=analysis)
        await self._record(
            user_id=user_id, kind="link", outcome=result.outcome, article_id=article_id,
            score=None, sighting=article_id is not None,
        )  # fmt: skip
        if article_id is None:  # rejected (no text): say what was found anyway
            return Answer(result=result)
        answer = await self._with_article(result, article_id)
        return Answer(
            result=result, article=answer.article, demand=answer.demand, submitted=submitted
        )

    async def _read_and_store(self, url: str) -> tuple[int | None, Analysis, bool]:
        page = await self.fetcher.fetch(url)
        job = PageJob(body=page.body, url=page.url, encoding=page.encoding)
        del page  # the reader holds the body only as long as it reads it
        read = await self.reader.read(job)
        if isinstance(read, str):
            raise UnreadablePageError(read)
        item, analysis = read
        stored = await self.store.add(item, analysis, source="telegram link")
        return stored.article_id, analysis, stored.status is IngestStatus.ADDED

    async def article(self, article_id: int) -> Article | None:
        return await self.store.get(article_id)

    async def card(self, article_id: int) -> tuple[Article, Demand] | None:
        """An article with its circulation figures (a candidate the user picked, a button)."""
        article = await self.store.get(article_id)
        if article is None:
            return None
        return article, await self.activity.demand(article_id)

    async def not_this(self, user_id: int | None, article_id: int) -> None:
        await self.activity.record_feedback(user_id, article_id, "not_this")

    # -- admin ----------------------------------------------------------------------------

    async def curate(self, text: str, origin: ForwardOrigin | None) -> IngestResult:
        """Add an article as curated; one already stored (e.g. a user submission) is
        re-labelled curated instead of duplicated."""
        item = ArticleInput(
            text=text,
            url=origin.link if origin else None,
            outlet=origin.label if origin else None,
            published_at=origin.date if origin and origin.public else None,
            provenance=Provenance.CURATED,
        )
        item, analysis = await asyncio.to_thread(analyze_article, item)
        result = await self.store.add(item, analysis, source="telegram admin")
        if result.status is IngestStatus.PRESENT and result.article_id is not None:
            await self.store.set_provenance(result.article_id, Provenance.CURATED)
        return result

    async def remove(self, article_id: int) -> bool:
        removed = await self.store.remove(article_id)
        if removed:
            await self.store.prune_speakers()
        return removed

    async def stats(self, now: datetime) -> AdminStats:
        day_start = now.astimezone(self.zone()).replace(hour=0, minute=0, second=0, microsecond=0)
        return AdminStats(
            archive=await self.store.stats(),
            activity=await self.activity.stats(day_start),
            day_start=day_start,
        )

    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.settings.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    # -- internals ------------------------------------------------------------------------

    async def _with_article(self, result: AskResult, article_id: int) -> Answer:
        found = await self.card(article_id)
        if found is None:  # removed between the match and now
            return Answer(result=result)
        return Answer(result=result, article=found[0], demand=found[1])

    async def _log(
        self,
        user_id: int | None,
        result: AskResult,
        article_id: int | None,
        *,
        sighting: bool,
        origin: ForwardOrigin | None = None,
    ) -> None:
        score = result.results[0].score if result.results else None
        kind: Literal["article", "quote"] = result.kind
        await self._record(
            user_id=user_id,
            kind=kind,
            outcome=result.outcome,
            article_id=article_id,
            score=score,
            sighting=sighting,
            origin=origin,
        )

    async def _record(
        self,
        *,
        user_id: int | None,
        kind: str,
        outcome: str,
        article_id: int | None,
        score: float | None,
        sighting: bool = False,
        origin: ForwardOrigin | None = None,
    ) -> None:
        """Log a lookup, unless the archive refuses writes: the user still gets the answer
        (the health record tells the admins)."""
        with contextlib.suppress(WritesRefusedError):
            await self.activity.record_lookup(
                user_id=user_id, kind=kind, outcome=outcome, article_id=article_id,
                score=score, sighting=sighting, origin=origin,
            )  # fmt: skip
