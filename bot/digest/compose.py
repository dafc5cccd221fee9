"""Digest composition: a pure function of (window data, follows).

Tests use a fixed clock; nothing here reads the clock or the archive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.core.models import (
    Digest,
    DigestArticle,
    DigestClaim,
    DigestWindow,
    StoredClaim,
)
from bot.core.textnorm import fold, normalize_for_match

MAX_FOLLOWS = 20
MAX_FOLLOW_CHARS = 80


_FLAG_STANCES = ("denies", "unverified", "declines_comment")


def follow_key(value: str) -> str:
    """The folded form follows are stored and matched by."""
    return normalize_for_match(value)


def _digest_claim(
    article: DigestArticle, claim: StoredClaim, matched: str | None = None
) -> DigestClaim:
    return DigestClaim(
        article_id=article.article_id,
        title=article.title,
        outlet=article.outlet,
        claim=claim,
        matched=matched,
    )


def _rank(article: DigestArticle) -> tuple[int, float, float]:
    best = max((c.score for c in article.claims if c.key), default=0.0)
    return (-article.forwards, -best, -article.created_at.timestamp())


def _key_claims(article: DigestArticle, limit: int) -> list[StoredClaim]:
    key = [c for c in article.claims if c.key]  # the analyzer's choice, as on the card
    seen: set[str] = set()
    out = []
    for claim in sorted(key, key=lambda c: -c.score):
        folded = fold(claim.text)
        if folded not in seen:
            seen.add(folded)
            out.append(claim)
    return out[:limit]


@dataclass(frozen=True, slots=True)
class DigestLimits:
    articles: int = 5
    claims_per_article: int = 2
    forwarded: int = 3
    flags: int = 5
    followed: int = 5


@dataclass(frozen=True, slots=True)
class _Searchable:
    """One claim of the window with its folded speaker, outlet and text (padded with spaces,
    so a whole-word phrase test is one substring test)."""

    article: DigestArticle
    claim: StoredClaim
    speaker: str
    outlet: str
    text: str

    def matches(self, key: str) -> bool:
        needle = f" {key} "
        return needle in self.speaker or needle in self.outlet or needle in self.text


@dataclass
class PreparedWindow:
    """Everything about a window that is the same for every subscriber, computed once:
    composing 10,000 digests then costs a few set lookups per follow, not a scan of every
    claim per subscriber."""

    window: DigestWindow
    limits: DigestLimits
    total_new: int
    articles: list[DigestArticle]
    most_forwarded: list[DigestArticle]
    flags: list[DigestClaim]
    more: bool
    claims: list[_Searchable]
    words: dict[str, set[int]]  # folded word -> indexes into ``claims``
    _by_follows: dict[tuple[str, ...], list[DigestClaim]] = field(default_factory=dict)

    def followed(self, follows: Sequence[str]) -> list[DigestClaim]:
        """Claims whose speaker, outlet or text contains a follow as whole words;
        attributed statements first, then mentions, newest article first."""
        keys = tuple(sorted({k for k in (follow_key(f) for f in follows) if k}))
        if not keys:
            return []
        cached = self._by_follows.get(keys)
        if cached is not None:
            return cached
        names = {follow_key(f): f for f in follows}
        hits: dict[int, str] = {}
        for key in keys:
            words = key.split()
            candidates = set.intersection(*(self.words.get(w, set()) for w in words))
            for index in candidates:
                if index not in hits and self.claims[index].matches(key):
                    hits[index] = names[key]
        found = [
            _digest_claim(self.claims[i].article, self.claims[i].claim, matched=follow)
            for i, follow in sorted(hits.items())
        ]
        found.sort(key=lambda d: (d.claim.speaker is None, -d.article_id))
        self._by_follows[keys] = found
        return found


def prepare_window(
    window: DigestWindow,
    limits: DigestLimits = DigestLimits(),  # noqa: B008 - frozen, shared safely
) -> PreparedWindow:
    ranked = sorted(window.new_articles, key=_rank)
    flags = [
        _digest_claim(a, c)
        for a in ranked
        for c in a.claims
        if c.stance in _FLAG_STANCES and c.speaker is not None
    ]
    claims: list[_Searchable] = []
    words: dict[str, set[int]] = {}
    for article in ranked:
        outlet = f" {follow_key(article.outlet or '')} "
        for claim in article.claims:
            speaker = f" {follow_key(claim.speaker.name)} " if claim.speaker else " "
            item = _Searchable(article, claim, speaker, outlet, f" {follow_key(claim.text)} ")
            for word in {*item.speaker.split(), *item.outlet.split(), *item.text.split()}:
                words.setdefault(word, set()).add(len(claims))
            claims.append(item)
    forwarded = [a for a in window.most_forwarded if a.forwards > 0]
    return PreparedWindow(
        window=window,
        limits=limits,
        total_new=len(ranked),
        articles=[
            a.model_copy(update={"claims": _key_claims(a, limits.claims_per_article)})
            for a in ranked[: limits.articles]
        ],
        most_forwarded=[
            a.model_copy(update={"claims": _key_claims(a, 1)})
            for a in forwarded[: limits.forwarded]
        ],
        flags=flags,
        more=len(ranked) > limits.articles
        or len(flags) > limits.flags
        or any(len(_key_claims(a, 99)) > limits.claims_per_article for a in ranked),
        claims=claims,
        words=words,
    )


def compose_prepared(prepared: PreparedWindow, follows: Sequence[str], day: date) -> Digest | None:
    """One subscriber's digest, or None when nothing is new (no empty digests)."""
    if not prepared.total_new and not prepared.most_forwarded:
        return None
    limits = prepared.limits
    followed = prepared.followed(follows)
    return Digest(
        digest_date=day,
        start=prepared.window.start,
        end=prepared.window.end,
        total_new=prepared.total_new,
        articles=prepared.articles,
        most_forwarded=prepared.most_forwarded,
        flags=prepared.flags[: limits.flags],
        followed=followed[: limits.followed],
        more=prepared.more or len(followed) > limits.followed,
    )


def compose_digest(
    window: DigestWindow,
    follows: Sequence[str],
    day: date,
    limits: DigestLimits = DigestLimits(),  # noqa: B008 - frozen, shared safely
) -> Digest | None:
    """One subscriber's digest from a window (a run prepares each window once instead)."""
    return compose_prepared(prepare_window(window, limits), follows, day)
