"""Column lists, row → model mappers and value helpers shared by the repositories.

Kept apart from the repositories so that none of them imports another: ``articles`` and
``search`` read claims the same way through :func:`claims_where`. The mappers take any row
addressable by column name (``sqlite3.Row``, a psycopg dict row), and timestamps either as
the fixed-width UTC text SQLite stores or as the aware datetimes PostgreSQL returns.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

import aiosqlite

from bot.core.models import Article, Feed, MatchHit, Provenance, StoredClaim

ARTICLE_COLUMNS = (
    "id, external_id, title, text, url, outlet, published_at, language, provenance, "
    "content_hash, created_at"
)
CLAIM_COLUMNS = (
    "id, article_id, position, text, start_offset, end_offset, speaker_id, speaker_name, "
    "speaker_kind, speaker_role, mention_start, mention_end, cue, told_to, direct, stance, "
    "is_key, score, confidence"
)
CLAIM_ORDER = "ORDER BY article_id, start_offset, end_offset, position"


class Row(Protocol):
    """A result row addressable by column name."""

    def __getitem__(self, key: str, /) -> Any: ...


def utc_now_iso() -> str:
    """Current time as ISO 8601 in UTC with a fixed width (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def utc_iso(value: datetime) -> str:
    """The fixed-width UTC form every timestamp column uses (sorts as text)."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def json_list(values: Iterable[Any]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def parse_dt(value: str | datetime | None) -> datetime | None:
    """A stored timestamp as a datetime: ISO text (SQLite) or a datetime (PostgreSQL, whose
    aware values are given in UTC like the text form)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo is not None else value
    return datetime.fromisoformat(value)


def claim_from_row(row: Row, via: list[str]) -> StoredClaim:
    speaker: dict[str, Any] | None = None
    if row["speaker_name"] is not None:
        speaker = {
            "name": row["speaker_name"],
            "kind": row["speaker_kind"],
            "role": row["speaker_role"],
            "mention_start": row["mention_start"],
            "mention_end": row["mention_end"],
        }
    return StoredClaim.model_validate(
        {
            "id": row["id"],
            "article_id": row["article_id"],
            "speaker_id": row["speaker_id"],
            "text": row["text"],
            "start": row["start_offset"],
            "end": row["end_offset"],
            "speaker": speaker,
            "cue": row["cue"],
            "via": via,
            "told_to": row["told_to"],
            "direct": bool(row["direct"]),
            "stance": row["stance"],
            "key": bool(row["is_key"]),
            "score": row["score"],
            "confidence": row["confidence"],
        }
    )


def article_from_row(row: Row, claims: list[StoredClaim]) -> Article:
    return Article(
        id=row["id"],
        external_id=row["external_id"],
        title=row["title"],
        text=row["text"],
        url=row["url"],
        outlet=row["outlet"],
        published_at=parse_dt(row["published_at"]),
        language=row["language"],
        provenance=Provenance(row["provenance"]),
        content_hash=row["content_hash"],
        created_at=_required_dt(row["created_at"]),
        claims=claims,
    )


FEED_COLUMNS = (
    "id, url, title, interval_s, next_poll, last_polled, last_status, last_error, items_added, "
    "failures"
)


def feed_from_row(row: Row) -> Feed:
    return Feed(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        interval_s=row["interval_s"],
        next_poll=_required_dt(row["next_poll"]),
        last_polled=parse_dt(row["last_polled"]),
        last_status=row["last_status"],
        last_error=row["last_error"],
        items_added=row["items_added"],
        failures=row["failures"],
    )


def match_hits(
    scored: Iterable[tuple[int, float]],
    articles: Mapping[int, Row],
    claim_rows: Iterable[Row],
    via: dict[int, list[str]],
) -> list[MatchHit]:
    """Result cards in the order of ``scored`` from the article rows (id, external_id,
    title, outlet, published_at) and claim rows read for them; unknown ids are skipped."""
    claims: dict[int, list[StoredClaim]] = {}
    for r in claim_rows:
        claim = claim_from_row(r, via.get(int(r["id"]), []))
        claims.setdefault(claim.article_id, []).append(claim)
    return [
        MatchHit(
            article_id=article_id,
            external_id=articles[article_id]["external_id"],
            score=round(score, 1),
            title=articles[article_id]["title"],
            outlet=articles[article_id]["outlet"],
            published_at=parse_dt(articles[article_id]["published_at"]),
            claims=claims.get(article_id, []),
        )
        for article_id, score in scored
        if article_id in articles
    ]


def _required_dt(value: str | datetime) -> datetime:
    parsed = parse_dt(value)
    if parsed is None:  # pragma: no cover - NOT NULL columns
        raise ValueError("missing timestamp")
    return parsed


async def claims_where(
    conn: aiosqlite.Connection,
    where: str,
    params: tuple[Any, ...],
    *,
    order: str = CLAIM_ORDER,
) -> list[StoredClaim]:
    """Claims matching a WHERE clause (storage-internal SQL), with their via chains."""
    rows = list(
        await conn.execute_fetchall(
            f"SELECT {CLAIM_COLUMNS} FROM claims WHERE {where} {order}", params
        )
    )
    if not rows:
        return []
    via: dict[int, list[str]] = {}
    for via_row in await conn.execute_fetchall(
        "SELECT claim_id, position, name FROM claim_via "
        "WHERE claim_id IN (SELECT value FROM json_each(?)) ORDER BY claim_id, position",
        (json_list(int(r["id"]) for r in rows),),
    ):
        via.setdefault(int(via_row["claim_id"]), []).append(via_row["name"])
    return [claim_from_row(r, via.get(int(r["id"]), [])) for r in rows]


