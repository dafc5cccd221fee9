"""Filling and inspecting a test or benchmark archive through the store's one write path.

``bulk_index`` turns compact pre-analyzed records (synthetic archives, evaluation stores of
fact-check titles) into ``(ArticleInput, Analysis)`` pairs and stores them with
``ArticleStore.add_many``, so what tests and benchmarks search is written exactly as the bot
writes it. Identical texts are one article (the store deduplicates on normalized content),
as the evaluation README asks: "items with identical text count as one".

The readers below inspect the normalized-speaker tables with plain SQL: the bot has no use
for them yet, so they are not part of the store's API.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core.models import (
    Analysis,
    ArticleInput,
    Claim,
    IngestResult,
    Provenance,
    Scope,
    Speaker,
    SpeakerKind,
)
from bot.core.textnorm import tokens
from storage.articles import SqliteArticleStore
from storage.db import Database
from storage.search import SqliteMatchIndex
from storage.text import name_key

BATCH = 2000


@dataclass(frozen=True, slots=True)
class BulkClaim:
    """A pre-analyzed claim."""

    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_kind: SpeakerKind = "person"
    speaker_role: str | None = None
    direct: bool = False
    key: bool = True


@dataclass(frozen=True, slots=True)
class BulkArticle:
    """A pre-analyzed article."""

    text: str
    title: str | None = None
    external_id: str | None = None
    outlet: str | None = None
    published_at: str | None = None
    language: str = "und"
    claims: list[BulkClaim] = field(default_factory=list)


def as_input(item: BulkArticle, provenance: Provenance) -> tuple[ArticleInput, Analysis, str]:
    claims = [
        Claim(
            text=c.text,
            start=c.start,
            end=c.end,
            speaker=Speaker(name=c.speaker, kind=c.speaker_kind, role=c.speaker_role)
            if c.speaker
            else None,
            direct=c.direct,
            key=c.key,
        )
        for c in item.claims
    ]
    article = ArticleInput(
        text=item.text,
        title=item.title,
        external_id=item.external_id,
        outlet=item.outlet,
        published_at=datetime.fromisoformat(item.published_at) if item.published_at else None,
        language=item.language,
        provenance=provenance,
    )
    return article, Analysis(language=item.language, claims=claims), "bulk"


async def bulk_index(
    db: Database, articles: Iterable[BulkArticle], *, provenance: str = "import"
) -> list[IngestResult]:
    """Store the records in batches; one result per record, in order."""
    store = SqliteArticleStore(db)
    kind = Provenance(provenance)
    results: list[IngestResult] = []
    batch: list[tuple[ArticleInput, Analysis, str]] = []
    for item in articles:
        batch.append(as_input(item, kind))
        if len(batch) >= BATCH:
            results += await store.add_many(batch)
            batch = []
    if batch:
        results += await store.add_many(batch)
    return results


@dataclass(frozen=True, slots=True)
class SpeakerRow:
    """A normalized speaker as the tables hold it."""

    id: int
    name: str
    kind: str
    roles: list[str]
    aliases: list[str]
    claim_count: int


async def speaker_rows(db: Database, *, name: str | None = None) -> list[SpeakerRow]:
    """Speakers with claims, most-quoted first; with ``name``, those whose folded name is
    ``name``'s (also those without claims left)."""
    if name is None:
        where, params, having = "", (), "HAVING claim_count > 0 "
    else:
        where, params, having = "WHERE s.name_key = ? ", (name_key(name),), ""
    rows = await db.fetchall(
        "SELECT s.id, s.name, s.kind, count(c.id) AS claim_count FROM speakers AS s "
        f"LEFT JOIN claims AS c ON c.speaker_id = s.id {where}GROUP BY s.id {having}"
        "ORDER BY claim_count DESC, s.name COLLATE NOCASE, s.id",
        params,
    )
    out = []
    for r in rows:
        aliases = await _column(db, "SELECT alias FROM speaker_aliases WHERE speaker_id = ?", r)
        roles = await _column(db, "SELECT role FROM speaker_roles WHERE speaker_id = ?", r)
        out.append(SpeakerRow(r[0], r[1], r[2], roles, aliases, r[3]))
    return out


async def _column(db: Database, sql: str, row: Any) -> list[str]:
    return [str(v[0]) for v in await db.fetchall(sql + " ORDER BY id", (row[0],))]


async def search(
    db: Database, text: str, *, scope: Scope = "articles", limit: int = 10
) -> list[tuple[int, float]]:
    """(article or claim id, BM25) for the OR of ``text``'s words through the real index,
    best first: what tests use to check that writes, deletes and rollbacks reach FTS."""
    terms = list(dict.fromkeys(tokens(text)))[:64]
    index = SqliteMatchIndex(db)
    if scope == "articles":
        return [(c.article_id, c.bm25) for c in await index.article_candidates(terms, limit=limit)]
    return [(c.claim_id, c.bm25) for c in await index.claim_candidates(terms, limit=limit)]
