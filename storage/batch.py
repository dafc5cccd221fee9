"""The pure half of ``add_many``, shared by the SQLite and PostgreSQL article stores.

Validation, content hashing, deduplication within a batch and against stored content, id
assignment and the speaker/claim rows are the same whatever the engine; only reading what
is stored and writing the rows differ. Keeping them here means both stores give the same
results for the same batch (the contract tests check it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.core.models import Analysis, ArticleInput, Claim, IngestResult, IngestStatus
from bot.core.textnorm import content_hash
from storage.text import name_key

# Anonymous sources ("a senior official") are not an identity: two of them in two articles
# are not the same person, so they are kept on the claim only, never merged into `speakers`.
UNLINKED_SPEAKER_KINDS = frozenset({"anonymous"})

SpeakerKey = tuple[str, str]  # (folded name, kind)


@dataclass(slots=True)
class Pending:
    """One input accepted for insertion, with the ids it will get."""

    item: ArticleInput
    analysis: Analysis
    source: str
    content_hash: str
    result_index: int
    article_id: int = 0
    speaker_ids: list[int | None] = field(default_factory=list)


def prepare(
    items: Sequence[tuple[ArticleInput, Analysis, str]],
) -> tuple[list[tuple[int, IngestResult]], list[Pending]]:
    """Hash and validate inputs (pure CPU work, run in a worker thread): the REJECTED
    results with their input index, and the candidates for insertion."""
    empty_digest = content_hash("")
    rejected: list[tuple[int, IngestResult]] = []
    candidates: list[Pending] = []
    for index, (item, analysis, source) in enumerate(items):
        digest = content_hash(item.text)
        reason = _reject_reason(item, analysis, digest, empty_digest)
        if reason is None:
            candidates.append(Pending(item, analysis, source, digest, index))
        else:
            result = IngestResult(
                status=IngestStatus.REJECTED,
                source=source,
                external_id=item.external_id,
                reason=reason,
            )
            rejected.append((index, result))
    return rejected, candidates


def _reject_reason(
    item: ArticleInput, analysis: Analysis, digest: str, empty_digest: str
) -> str | None:
    """Why an input cannot be stored, or None if it can. ``digest`` is the content hash of
    the text; equal to ``empty_digest`` when the text normalizes to nothing."""
    if digest == empty_digest:
        return "the text is empty (no words)"
    length = len(item.text)
    for index, claim in enumerate(analysis.claims):
        if not 0 <= claim.start <= claim.end <= length:
            return (
                f"claim {index} has offsets [{claim.start}, {claim.end}) outside the text "
                f"(length {length})"
            )
    return None


def assign(
    candidates: list[Pending],
    results: list[IngestResult | None],
    by_hash: dict[str, int],
    by_external: dict[str, int],
    next_article: int,
) -> list[Pending]:
    """Decide each candidate against what is stored (``by_hash``, ``by_external``, updated
    as new articles take ids from ``next_article`` on): PRESENT, REJECTED (external id taken
    by other content) or ADDED. Returns the ones to insert."""
    new: list[Pending] = []
    for pending in candidates:
        item = pending.item
        known = by_hash.get(pending.content_hash)
        if known is not None:
            results[pending.result_index] = IngestResult(
                status=IngestStatus.PRESENT,
                source=pending.source,
                article_id=known,
                external_id=item.external_id,
            )
            continue
        if item.external_id is not None and item.external_id in by_external:
            results[pending.result_index] = IngestResult(
                status=IngestStatus.REJECTED,
                source=pending.source,
                external_id=item.external_id,
                reason=(
                    f"external_id {item.external_id!r} already belongs to article "
                    f"{by_external[item.external_id]}, which has different content"
                ),
            )
            continue
        pending.article_id = next_article
        next_article += 1
        by_hash[pending.content_hash] = pending.article_id
        if item.external_id is not None:
            by_external[item.external_id] = pending.article_id
        new.append(pending)
        results[pending.result_index] = IngestResult(
            status=IngestStatus.ADDED,
            source=pending.source,
            article_id=pending.article_id,
            external_id=item.external_id,
        )
    return new


def finished(results: list[IngestResult | None]) -> list[IngestResult]:
    done = [r for r in results if r is not None]
    if len(done) != len(results):  # pragma: no cover - every branch sets a result
        raise AssertionError("add_many lost a result")
    return done


class KeyCache:
    """``name_key`` memoized for one batch: names repeat a lot and folding is not free."""

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}

    def key(self, name: str) -> str:
        found = self._keys.get(name)
        if found is None:
            found = self._keys[name] = name_key(name)
        return found

    def speaker_key(self, claim: Claim) -> SpeakerKey | None:
        """The normalized-speaker key of a claim's speaker, or None if it links to no row."""
        speaker = claim.speaker
        if speaker is None or speaker.kind in UNLINKED_SPEAKER_KINDS:
            return None
        key = self.key(speaker.name)
        return (key, speaker.kind) if key else None


def speaker_names(new: list[Pending], cache: KeyCache) -> dict[SpeakerKey, str]:
    """Every normalized speaker the batch mentions, with its display name (first form)."""
    keys: dict[SpeakerKey, str] = {}
    for pending in new:
        for claim in pending.analysis.claims:
            key = cache.speaker_key(claim)
            if key is not None and claim.speaker is not None and key not in keys:
                keys[key] = claim.speaker.name.strip() or claim.speaker.name
    return keys


def link_speakers(
    new: list[Pending], ids: dict[SpeakerKey, int], cache: KeyCache
) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """Set each pending claim's speaker id; return the (speaker, alias) and (speaker, role,
    role key) rows to add when missing."""
    aliases: dict[tuple[int, str], None] = {}
    roles: dict[tuple[int, str], str] = {}
    for pending in new:
        pending.speaker_ids = []
        for claim in pending.analysis.claims:
            key = cache.speaker_key(claim)
            speaker_id = ids[key] if key is not None else None
            pending.speaker_ids.append(speaker_id)
            if speaker_id is None or claim.speaker is None:
                continue
            aliases.setdefault((speaker_id, claim.speaker.name), None)
            role = claim.speaker.role
            if role is not None and (role_key := cache.key(role)):
                roles.setdefault((speaker_id, role_key), role)
    return list(aliases), [(sid, role, key) for (sid, key), role in roles.items()]


def article_row(pending: Pending, created_at: Any) -> tuple[Any, ...]:
    """(id, external_id, title, text, url, outlet, published_at, language, provenance,
    content_hash, ingest_source, created_at): the title and language fall back to the
    analysis'; published_at is kept as ISO 8601 exactly as given."""
    item, analysis = pending.item, pending.analysis
    return (
        pending.article_id,
        item.external_id,
        item.title if item.title is not None else analysis.title,
        item.text,
        item.url,
        item.outlet,
        item.published_at.isoformat() if item.published_at else None,
        item.language or analysis.language,
        item.provenance.value,
        pending.content_hash,
        pending.source,
        created_at,
    )


def claim_rows(
    new: list[Pending], next_claim: int
) -> tuple[list[tuple[Any, ...]], list[tuple[int, int, str]]]:
    """The claims rows (column order of ``claims`` up to ``score``; ids from ``next_claim``)
    and their reporting-chain rows (claim id, position, name)."""
    rows: list[tuple[Any, ...]] = []
    via_rows: list[tuple[int, int, str]] = []
    for pending in new:
        for position, (claim, speaker_id) in enumerate(
            zip(pending.analysis.claims, pending.speaker_ids, strict=True)
        ):
            claim_id = next_claim
            next_claim += 1
            speaker = claim.speaker
            rows.append(
                (
                    claim_id,
                    pending.article_id,
                    position,
                    claim.text,
                    claim.start,
                    claim.end,
                    speaker_id,
                    speaker.name if speaker else None,
                    speaker.kind if speaker else None,
                    speaker.role if speaker else None,
                    speaker.mention_start if speaker else None,
                    speaker.mention_end if speaker else None,
                    claim.cue,
                    claim.told_to,
                    int(claim.direct),
                    claim.stance,
                    int(claim.key),
                    claim.score,
                    claim.confidence,
                )
            )
            via_rows.extend((claim_id, i, name) for i, name in enumerate(claim.via))
    return rows, via_rows
