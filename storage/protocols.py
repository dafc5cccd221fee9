"""What the services need from storage, as protocols.

Services (``bot/lookup``, ``bot/digest``, ``bot/web``, ``bot/archive``, ``bot/conversation``)
type against these, never against a concrete store, so the SQLite repositories in this
package and a PostgreSQL implementation are interchangeable and one contract test suite can
run against both. Every method returns the frozen models of :mod:`bot.core.models`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal, Protocol

from bot.core.models import (
    ActivityStats,
    Analysis,
    ArchiveStats,
    Article,
    ArticleCandidate,
    ArticleInput,
    ClaimCandidate,
    Demand,
    DigestRun,
    DigestWindow,
    Feed,
    FeedItem,
    ForwardOrigin,
    IngestResult,
    MatchHit,
    Provenance,
    Scope,
    Subscription,
)

ClaimOutcome = Literal["claimed", "done", "ambiguous"]
FollowOutcome = Literal["added", "exists", "full"]


class ArticleStore(Protocol):
    """The archive: analyzed articles with their claims and speakers."""

    async def add(
        self, item: ArticleInput, analysis: Analysis, *, source: str = ""
    ) -> IngestResult:
        """Store one analyzed article; PRESENT (with the stored id) if its content is known."""
        ...

    async def add_many(
        self, items: Sequence[tuple[ArticleInput, Analysis, str]]
    ) -> list[IngestResult]:
        """Store a batch of (input, analysis, source label) in one transaction."""
        ...

    async def optimize_search(self) -> None:
        """Compact the search index after a large import (not after every article)."""
        ...

    async def remove(self, article_id: int) -> bool:
        """Delete an article with its claims and search entries; speakers stay (shared)."""
        ...

    async def prune_speakers(self) -> int:
        """Delete speakers no claim refers to any more (after removals); returns how many."""
        ...

    async def get(self, article_id: int) -> Article | None:
        """The article with its claims (ordered by start offset) and speakers resolved."""
        ...

    async def get_by_external_id(self, external_id: str) -> Article | None:
        """The article imported under this external id, with its claims."""
        ...

    async def find_by_urls(self, urls: Sequence[str]) -> Article | None:
        """The earliest stored article whose URL is one of ``urls`` (spelling variants of one
        link, see ``bot.web.urls.url_variants``), with its claims."""
        ...

    async def set_provenance(self, article_id: int, provenance: Provenance) -> bool:
        """Re-label an article (an admin vouching for a user submission: ``curated``)."""
        ...

    async def ids_by_content_hash(self, hashes: Sequence[str]) -> dict[str, int]:
        """Which of these ``bot.core.textnorm.content_hash`` values are stored, and as which
        article: lets ingest skip analyzing articles it already has."""
        ...

    async def count(self) -> int:
        """How many articles the archive holds."""
        ...

    async def stats(self) -> ArchiveStats:
        """Archive counts. ``speakers`` counts normalized speakers that have claims;
        ``attributed_claims`` counts claims with any speaker (anonymous ones included)."""
        ...


class ActivityStore(Protocol):
    """Who asked what: users, lookups, forwards (sightings), feedback."""

    async def touch_user(self, user_id: int) -> str | None:
        """Record that the user was seen now; return their chosen language (None: not set)."""
        ...

    async def language(self, user_id: int) -> str | None:
        ...

    async def set_language(self, user_id: int, language: str | None) -> None:
        ...

    async def record_lookup(
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
        """Log one lookup; with ``sighting``, also count the article as sent to the bot."""
        ...

    async def demand(self, article_id: int) -> Demand:
        """Aggregate the article's sightings; the first origin is the earliest channel post."""
        ...

    async def record_feedback(self, user_id: int | None, article_id: int, verdict: str) -> None:
        ...

    async def stats(self, since: datetime) -> ActivityStats:
        """Usage since ``since`` (an aware datetime: the start of "today" for the admin)."""
        ...


class DigestStore(Protocol):
    """Digest subscriptions, follows, the delivery log and run reports."""

    async def subscribe(
        self,
        user_id: int,
        chat_id: int,
        *,
        send_time: str,
        timezone: str,
        language: str | None,
        next_due: datetime,
    ) -> Subscription:
        """Start (or restart, or reschedule) the user's digest."""
        ...

    async def get(self, user_id: int) -> Subscription | None:
        ...

    async def end(self, user_id: int, reason: str) -> bool:
        """Stop the digest (unsubscribed, blocked the bot); True if it was active."""
        ...

    async def reschedule(
        self, user_id: int, *, send_time: str, timezone: str, next_due: datetime
    ) -> None:
        ...

    async def advance(self, user_id: int, next_due: datetime) -> None:
        ...

    async def move_chat(self, user_id: int, chat_id: int) -> None:
        """Telegram moved the chat (ChatMigrated): keep delivering to the new id."""
        ...

    async def due(self, now: datetime, limit: int) -> list[Subscription]:
        """Active subscriptions whose next digest is due, earliest first, with follows."""
        ...

    async def count_active(self) -> int:
        ...

    async def follows(self, user_id: int) -> list[str]:
        ...

    async def follow(self, user_id: int, value: str, key: str, *, cap: int) -> FollowOutcome:
        ...

    async def unfollow(self, user_id: int, key: str) -> bool:
        ...

    async def claim(self, user_id: int, digest_date: date, run_id: str) -> ClaimOutcome:
        """Reserve today's digest for this run before sending it."""
        ...

    async def settle(
        self,
        user_id: int,
        digest_date: date,
        status: str,
        *,
        messages: int = 0,
        error: str | None = None,
    ) -> None:
        ...

    async def delivery_status(self, user_id: int, digest_date: date) -> str | None:
        ...

    async def save_run(self, run: DigestRun) -> None:
        ...

    async def last_run(self) -> DigestRun | None:
        ...

    async def window(
        self, start: datetime, end: datetime, *, limit: int = 200, forwarded: int = 5
    ) -> DigestWindow:
        """Articles stored in [start, end) with their claims (user submissions left out: a digest
        reports analyzed articles), and the most forwarded articles of the window."""
        ...


class FeedStore(Protocol):
    """News feeds and the items already seen in them."""

    async def add(
        self, url: str, title: str | None, *, interval_s: int, next_poll: datetime
    ) -> tuple[Feed, bool]:
        """Add a feed; (feed, False) when the URL is already in the list."""
        ...

    async def remove(self, feed_id: int) -> bool:
        ...

    async def all(self) -> list[Feed]:
        ...

    async def due(
        self, now: datetime, limit: int = 1000
    ) -> list[tuple[Feed, str | None, str | None]]:
        """Feeds to poll now, with their (etag, last_modified) validators; none for a feed
        with a failed item due for another try."""
        ...

    async def unseen(self, feed_id: int, keys: Sequence[str], now: datetime) -> dict[str, int]:
        """The item keys to fetch now, in the given order, each with its failed attempts so
        far: never seen (0), or failed before and due for another try."""
        ...

    async def record_items(self, feed_id: int, items: Sequence[FeedItem]) -> None:
        """What became of these items; a retried item that had failed is overwritten."""
        ...

    async def polled(
        self,
        feed_id: int,
        *,
        status: str,
        next_poll: datetime,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        added: int = 0,
        title: str | None = None,
        failures: int = 0,
    ) -> None:
        """After a poll: schedule the next one, keep the validators, count what was added
        and the consecutive failures (0 after a good poll)."""
        ...

    async def add_count(self, feed_id: int, added: int) -> None:
        ...


class MatchIndex(Protocol):
    """What matching needs from an archive; SQLite: ``storage.search.SqliteMatchIndex``."""

    async def doc_counts(self, terms: Sequence[str], *, scope: Scope, cap: int) -> list[int]:
        """Rows containing each term, in order, counted up to ``cap``."""
        ...

    async def size(self, scope: Scope) -> int:
        """About how many rows the scope has (an upper bound is fine: the highest id)."""
        ...

    async def avg_row_tokens(self, scope: Scope) -> float:
        """Mean indexed words per row of the scope (0 when unknown), read in O(1)."""
        ...

    async def article_candidates(
        self, terms: Sequence[str], *, limit: int
    ) -> list[ArticleCandidate]:
        """Best full-text (BM25) articles for any of ``terms``, best first."""
        ...

    async def claim_candidates(self, terms: Sequence[str], *, limit: int) -> list[ClaimCandidate]:
        """Best full-text (BM25) claims for any of ``terms``, best first."""
        ...

    async def hits(
        self,
        scored: Sequence[tuple[int, float]],
        *,
        claim_ids: Sequence[int] | None = None,
        max_claims: int = 5,
    ) -> list[MatchHit]:
        """Result cards for (article_id, score), in order; with ``claim_ids``, those claims."""
        ...
