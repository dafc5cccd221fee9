"""Domain models shared by analysis, storage, services and handlers.

The analysis models mirror the JSON contract other parts (and the eval scripts) rely on:
``Analysis.model_dump(mode="json")`` *is* the analysis object.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SpeakerKind = Literal["person", "organization", "outlet", "group", "anonymous"]
Stance = Literal["asserts", "claims", "denies", "accuses", "declines_comment", "unverified"]


class Frozen(BaseModel):
    """Immutable base: models cross layers, so nobody may mutate one in place."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Speaker(Frozen):
    """Who a claim is attributed to, as resolved in one article."""

    name: str
    kind: SpeakerKind
    role: str | None = None
    # Offsets of the words in the text that name the speaker (may be a pronoun).
    mention_start: int | None = None
    mention_end: int | None = None


class Claim(Frozen):
    """One statement in an article, with its attribution if it has one."""

    text: str
    start: int
    end: int
    speaker: Speaker | None = None
    cue: str | None = None
    via: list[str] = Field(default_factory=list)
    told_to: str | None = None
    direct: bool = False
    stance: Stance = "asserts"
    key: bool = False
    score: float = 0.0
    # Calibrated probability that the attribution (speaker and words) is right.
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)


class Analysis(Frozen):
    """What the analyzer returns for one text: the public analysis object."""

    language: str
    title: str | None = None
    claims: list[Claim] = Field(default_factory=list)


class Provenance(StrEnum):
    """Where an article came from; user submissions are never treated as verified."""

    SAMPLE = "sample"
    IMPORT = "import"
    USER = "user"
    FEED = "feed"
    CURATED = "curated"


class ArticleInput(Frozen):
    """An article as it arrives, before analysis and storage."""

    text: str
    title: str | None = None
    external_id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    provenance: Provenance = Provenance.IMPORT


class StoredClaim(Claim):
    """A claim as stored, with its row id and the normalized speaker it links to."""

    id: int
    article_id: int
    speaker_id: int | None = None


class Article(Frozen):
    """A stored, analyzed article."""

    id: int
    external_id: str | None = None
    title: str | None = None
    text: str
    url: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None
    language: str
    provenance: Provenance
    content_hash: str
    created_at: datetime
    claims: list[StoredClaim] = Field(default_factory=list)


class IngestStatus(StrEnum):
    ADDED = "added"
    PRESENT = "present"
    REJECTED = "rejected"


class IngestResult(Frozen):
    """Outcome for one input record, so the CLI can report every rejection with its reason."""

    status: IngestStatus
    source: str
    article_id: int | None = None
    external_id: str | None = None
    reason: str | None = None


class ArchiveStats(Frozen):
    """Counts shown by ``katasiapa stats`` and the admin /stats command."""

    articles: int
    claims: int
    speakers: int
    attributed_claims: int
    by_language: dict[str, int] = Field(default_factory=dict)
    by_provenance: dict[str, int] = Field(default_factory=dict)


class MatchHit(Frozen):
    """One stored article a query matched, with the claims to show (bot.lookup.matching)."""

    article_id: int
    external_id: str | None = None
    score: float  # 0-100 similarity of the query to this article or quote
    title: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None
    claims: list[StoredClaim] = Field(default_factory=list)


class AskResult(Frozen):
    """What ``ask`` answers for one text: forwarded article or quote, and how sure.

    ``outcome`` "match": the first result is the article (for a quote: every result repeats
    it, earliest first); "similar": up to a few candidates to pick from; "none": nothing in
    the archive, and ``analysis`` holds the text analyzed on the fly (article queries).
    """

    kind: Literal["article", "quote"]
    outcome: Literal["match", "similar", "none"]
    results: list[MatchHit] = Field(default_factory=list)
    query: str = ""
    speakers: list[str] = Field(default_factory=list)
    misattribution: bool = False
    # A quote found only in article text, in no attributed claim: the speakers shown are
    # not the quote's, and the answer must say so.
    in_text_only: bool = False
    analysis: Analysis | None = None


class ForwardOrigin(Frozen):
    """Where a forwarded message first appeared (Telegram's ``forward_origin``)."""

    type: Literal["channel", "user", "hidden_user", "chat"]
    chat_id: int | None = None
    username: str | None = None  # public channel/chat/user name, without "@"
    title: str | None = None  # channel or chat title, or the sender's name
    message_id: int | None = None  # the post id in the channel
    date: datetime | None = None  # when it was originally posted

    @property
    def link(self) -> str | None:
        """t.me link to the original post; only public channels and chats have one."""
        if self.username and self.message_id and self.type in ("channel", "chat"):
            return f"https://t.me/{self.username}/{self.message_id}"
        return None

    @property
    def public(self) -> bool:
        """A channel or public group post: its name may be shown (a person's never is)."""
        return self.type in ("channel", "chat")

    @property
    def label(self) -> str | None:
        if not self.public:
            return None
        return f"@{self.username}" if self.username else self.title


class Demand(Frozen):
    """How an article circulates: how often, by whom and from where it was sent to the bot."""

    times: int = 0
    users: int = 0
    channels: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    first_origin: ForwardOrigin | None = None  # the earliest original channel post seen


class ActivityStats(Frozen):
    """Usage figures for admins (/stats); "today" is the caller's day boundary."""

    users: int
    active_today: int
    queries_today: int
    forwards_today: int
    unmatched_today: int
    unmatched_total: int
    not_this_total: int


class Subscription(Frozen):
    """A daily digest subscription; ``next_due`` is when the next digest is scheduled (UTC)."""

    user_id: int
    chat_id: int
    active: bool
    send_time: str  # HH:MM in ``timezone``
    timezone: str
    language: str | None = None
    next_due: datetime
    follows: list[str] = Field(default_factory=list)


class DigestArticle(Frozen):
    """An article as a digest shows it: metadata, its claims, and how often it was sent."""

    article_id: int
    title: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None
    provenance: Provenance = Provenance.IMPORT
    created_at: datetime
    forwards: int = 0  # sightings within the digest window
    claims: list[StoredClaim] = Field(default_factory=list)


class DigestWindow(Frozen):
    """Everything new in one time window, shared by every digest of that window."""

    start: datetime
    end: datetime
    new_articles: list[DigestArticle] = Field(default_factory=list)
    most_forwarded: list[DigestArticle] = Field(default_factory=list)


class DigestClaim(Frozen):
    """A claim picked out for a digest section, with the article it is from."""

    article_id: int
    title: str | None = None
    outlet: str | None = None
    claim: StoredClaim
    matched: str | None = None  # the follow it matched


class Digest(Frozen):
    """One subscriber's digest for one day: pure data, rendered by handlers/render.py."""

    digest_date: date
    start: datetime
    end: datetime
    total_new: int
    articles: list[DigestArticle] = Field(default_factory=list)
    most_forwarded: list[DigestArticle] = Field(default_factory=list)
    flags: list[DigestClaim] = Field(default_factory=list)
    followed: list[DigestClaim] = Field(default_factory=list)
    more: bool = False  # there is more than shown (the "More claims" button)


class DigestRun(Frozen):
    """What one broadcast run did, for logs and /stats."""

    run_id: str
    started_at: datetime
    finished_at: datetime | None = None
    due: int = 0
    sent: int = 0
    empty: int = 0
    late: int = 0
    failed: int = 0
    deactivated: int = 0
    ambiguous: int = 0


class Feed(Frozen):
    """A news feed the archive is kept fresh from."""

    id: int
    url: str
    title: str | None = None
    interval_s: int = 900
    next_poll: datetime
    last_polled: datetime | None = None
    last_status: str | None = None
    last_error: str | None = None
    items_added: int = 0
    failures: int = 0  # consecutive failed polls (the next poll backs off)


class FeedItem(Frozen):
    """What became of one feed item: stored (added / present) or failed, with the reason
    and, for a failure, when it may be tried again (None: never)."""

    key: str
    status: Literal["added", "present", "failed"]
    article_id: int | None = None
    reason: str | None = None
    failures: int = 0  # failed attempts so far, this one included
    retry_at: datetime | None = None


class FeedPoll(Frozen):
    """What one poll of the due feeds did."""

    feeds: int = 0
    not_modified: int = 0
    failed_feeds: int = 0
    new_items: int = 0
    added: int = 0
    present: int = 0
    failed_items: int = 0
    seconds: float = 0.0


# -- matching candidates (what an index returns; plain dataclasses: thousands per query) --

Scope = Literal["articles", "claims"]


@dataclass(frozen=True, slots=True)
class ArticleCandidate:
    """An article retrieved by full-text search, with the text the reranker compares."""

    article_id: int
    bm25: float  # higher is better
    title: str | None
    text: str


@dataclass(frozen=True, slots=True)
class ClaimCandidate:
    """A claim retrieved by full-text search."""

    claim_id: int
    article_id: int
    bm25: float
    text: str
