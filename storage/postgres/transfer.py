"""``katasiapa migrate-archive``: a SQLite archive copied into an empty PostgreSQL database.

Every table is copied with its ids (ids are shown to users and kept in Telegram buttons, so
an answer after the move points at the same article as before), in one transaction under
the archive lock: either everything arrives and the counts agree, or nothing is kept and
the command can simply run again. The search columns and word counts are built on the way
in, exactly as ``add_many`` builds them; the sequences are moved past every id the SQLite
archive ever handed out.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from bot.core.errors import StorageError
from storage.db import Database
from storage.migrations import latest_version as sqlite_latest
from storage.postgres.articles import copy_rows, search_column
from storage.postgres.db import ARCHIVE_LOCK, Conn, PgDatabase
from storage.postgres.migrations import latest_version as postgres_latest

BATCH: Final = 5000
# (table, columns) in foreign-key order; articles and claims also get their search columns.
TABLES: Final[tuple[tuple[str, str], ...]] = (
    ("speakers", "id, name_key, kind, name, created_at"),
    ("speaker_aliases", "id, speaker_id, alias"),
    ("speaker_roles", "id, speaker_id, role, role_key"),
    (
        "articles",
        "id, external_id, title, text, url, outlet, published_at, language, provenance, "
        "content_hash, ingest_source, created_at",
    ),
    (
        "claims",
        "id, article_id, position, text, start_offset, end_offset, speaker_id, speaker_name, "
        "speaker_kind, speaker_role, mention_start, mention_end, cue, told_to, direct, stance, "
        "is_key, score, confidence",
    ),
    ("claim_via", "claim_id, position, name"),
    ("users", "id, language, first_seen, last_seen"),
    ("queries", "id, user_id, kind, outcome, article_id, score, created_at"),
    (
        "sightings",
        "id, article_id, user_id, origin_type, origin_chat_id, origin_username, origin_title, "
        "origin_message_id, origin_date, seen_at",
    ),
    ("feedback", "id, user_id, article_id, verdict, created_at"),
    (
        "subscriptions",
        "user_id, chat_id, active, send_time, timezone, language, next_due, ended_reason, "
        "created_at, updated_at",
    ),
    ("follows", "id, user_id, value, value_key, created_at"),
    (
        "deliveries",
        "user_id, digest_date, status, run_id, attempts, messages, error, updated_at",
    ),
    (
        "digest_runs",
        "id, started_at, finished_at, due, sent, empty, late, failed, deactivated, ambiguous",
    ),
    (
        "feeds",
        "id, url, title, interval_s, etag, last_modified, next_poll, last_polled, last_status, "
        "last_error, items_added, created_at, failures",
    ),
    ("feed_items", "feed_id, item_key, article_id, status, seen_at, reason, failures, retry_at"),
)
# Tables whose ids come from an identity sequence in PostgreSQL.
_SEQUENCED: Final = frozenset(
    {
        "speakers",
        "speaker_aliases",
        "speaker_roles",
        "articles",
        "claims",
        "queries",
        "sightings",
        "feedback",
        "follows",
        "feeds",
    }
)
_BOOLEAN: Final[dict[str, tuple[str, ...]]] = {
    "claims": ("direct", "is_key"),
    "subscriptions": ("active",),
}


@dataclass
class Transfer:
    """What was copied: rows per table in the source and in the target."""

    source: dict[str, int] = field(default_factory=dict)
    target: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def verified(self) -> bool:
        return bool(self.source) and self.source == self.target


def _rows(table: str, columns: str, rows: Iterable[Any]) -> list[tuple[Any, ...]]:
    """SQLite rows as PostgreSQL wants them: 0/1 as booleans, search columns added."""
    names = [c.strip() for c in columns.split(",")]
    flags = [names.index(c) for c in _BOOLEAN.get(table, ())]
    out: list[tuple[Any, ...]] = []
    for row in rows:
        values = list(row)
        for i in flags:
            values[i] = bool(values[i])
        out.append(tuple(values))
    return out


def _with_search(
    table: str, rows: list[tuple[Any, ...]]
) -> tuple[list[tuple[Any, ...]], list[tuple[int, list[str]]]]:
    words: list[tuple[int, list[str]]] = []
    out = []
    for row in rows:
        texts = (row[2], row[3]) if table == "articles" else (row[3],)
        vector, count, distinct = search_column(*texts)
        out.append((*row, vector, count))
        words.append((count, distinct))
    return out, words


async def _count(conn: Conn, table: str) -> int:
    cursor = await conn.execute(f"SELECT count(*) AS n FROM {table}")  # noqa: S608
    row = await cursor.fetchone()
    return int(row["n"]) if row is not None else 0


async def copy_archive(
    source: Database,
    target: PgDatabase,
    *,
    progress: Callable[[str, int], None] | None = None,
) -> Transfer:
    """Copy every table of ``source`` (a fully migrated SQLite archive) into ``target`` (a
    migrated, empty PostgreSQL archive) and compare the row counts before committing.
    Raises StorageError (and keeps nothing) when the target is not empty or a count differs.
    """
    if await source.schema_version() != sqlite_latest() or sqlite_latest() != postgres_latest():
        raise StorageError(
            f"The archive {source.path} is not at the current schema version: open it once "
            "with this version of Kata Siapa (any command), then migrate it."
        )
    report = Transfer()
    started = time.perf_counter()
    async with source.reading() as sqlite, target.transaction() as conn:
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (ARCHIVE_LOCK,))
        # Word-index entries go to GIN's pending list during the copy and are merged into
        # the index in one sorted pass afterwards (the VACUUM that follows a migration):
        # several times faster than growing the index row by row.
        await conn.execute("SET LOCAL gin_pending_list_limit = '1GB'")
        for table, _ in TABLES:
            if await _count(conn, table):
                raise StorageError(
                    f"The PostgreSQL archive {target.location} is not empty ({table} has "
                    "rows); migrate-archive copies into an empty database only."
                )
        frequencies: dict[str, Counter[str]] = {"articles": Counter(), "claims": Counter()}
        words_total: dict[str, list[int]] = {"articles": [0, 0], "claims": [0, 0]}
        sequences: dict[str, int] = {}
        async with sqlite.execute("SELECT name, seq FROM sqlite_sequence") as cursor:
            for name, seq in await cursor.fetchall():
                sequences[str(name)] = int(seq)
        for table, columns in TABLES:
            copied = 0
            async with sqlite.execute(f"SELECT {columns} FROM {table}") as cursor:  # noqa: S608
                while batch := await cursor.fetchmany(BATCH):
                    rows = _rows(table, columns, batch)
                    if table in ("articles", "claims"):
                        rows, words = _with_search(table, rows)
                        await copy_rows(conn, table, columns + ", search, search_words", rows)
                        for count, distinct in words:  # written once, at the end
                            frequencies[table].update(distinct)
                            words_total[table][0] += 1
                            words_total[table][1] += count
                    else:
                        await copy_rows(conn, table, columns, rows)
                    copied += len(rows)
                    if progress is not None:
                        progress(table, copied)
            async with sqlite.execute(f"SELECT count(*) FROM {table}") as cursor:  # noqa: S608
                row = await cursor.fetchone()
            report.source[table] = int(row[0]) if row is not None else 0
            report.target[table] = await _count(conn, table)
            if table in _SEQUENCED:
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"greatest(%s, (SELECT coalesce(max(id), 0) FROM {table}), 1), %s)",
                    (sequences.get(table, 0), bool(sequences.get(table) or report.target[table])),
                )
        for scope, df in frequencies.items():
            await copy_rows(
                conn,
                "search_terms",
                "scope, term, rows",
                [(scope, term, n) for term, n in df.items()],
            )
            await conn.execute(
                "UPDATE search_totals SET rows = %s, words = %s WHERE scope = %s",
                (*words_total[scope], scope),
            )
        cursor2 = await conn.execute(
            "SELECT scope, rows FROM search_totals WHERE scope IN ('articles', 'claims')"
        )
        totals = {str(r["scope"]): int(r["rows"]) for r in await cursor2.fetchall()}
        for scope in ("articles", "claims"):
            report.target[f"{scope} (search)"] = totals.get(scope, -1)
            report.source[f"{scope} (search)"] = report.source[scope]
        if not report.verified:
            different = [t for t in report.source if report.source[t] != report.target.get(t)]
            raise StorageError(
                f"Copying into {target.location} gave different row counts for "
                f"{', '.join(different)}; nothing was kept."
            )
    report.seconds = time.perf_counter() - started
    return report
