"""The bot's use cases, one method per thing a user can do; Telegram-free.

Handlers parse an update, call one method here and render what it returns. Every lookup is
logged (what it found, never the text); a forwarded or pasted article that matched, or that
was stored as a new user submission, counts as a sighting of that article, with the
channel it was forwarded from.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.ask import ask
from bot.i18n import LANGS, Lang, pick_language
from bot.models import (
    ActivityStats,
    ArchiveStats,
    Article,
    ArticleInput,
    AskResult,
    Demand,
    ForwardOrigin,
    IngestResult,
    IngestStatus,
    Provenance,
)
from bot.services import analyze_article
from bot.settings import Settings
from bot.urls import url_variants
from storage.activity import SqliteActivityStore
from storage.articles import SqliteArticleStore


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
        self, store: SqliteArticleStore, activity: SqliteActivityStore, settings: Settings
    ) -> None:
        self.store = store
        self.activity = activity
        self.settings = settings

    # -- users ----------------------------------------------------------------------------

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids

    async def language(self, user_id: int | None, telegram_code: str | None) -> Lang:
        """The language chosen with /lang, else the one of the user's Telegram app.

        Also records the user as seen (the users table feeds /stats and, later, digests).
        """
        if user_id is None:
            return pick_language(telegram_code)
        chosen = await self.activity.touch_user(user_id)
        return chosen if chosen in LANGS else pick_language(telegram_code)

    async def set_language(self, user_id: int, lang: Lang) -> None:
        await self.activity.set_language(user_id, lang)

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

        Raises the InputError subclasses of :func:`bot.ask.ask` (empty, too short, too long).
        """
        result = await ask(self.store, text, self.settings, as_quote=as_quote)
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
                    published_at=origin.date if origin else None,
                    language=result.analysis.language,
                    provenance=Provenance.USER,
                ),
                result.analysis,
                source="telegram",
            )
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

    async def lookup_link(self, url: str, *, user_id: int | None) -> Article | None:
        """A message that is only a link: the stored article with that URL, if any."""
        article = await self.store.find_by_urls(url_variants(url))
        await self.activity.record_lookup(
            user_id=user_id,
            kind="link",
            outcome="match" if article else "none",
            article_id=article.id if article else None,
            score=100.0 if article else None,
            sighting=article is not None,
        )
        return article

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
            published_at=origin.date if origin else None,
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
        await self.activity.record_lookup(
            user_id=user_id,
            kind=kind,
            outcome=result.outcome,
            article_id=article_id,
            score=score,
            sighting=sighting,
            origin=origin,
        )
