"""Numbered, append-only schema migrations.

Rules (the archive lives for years, on machines we never see):

* Never edit or renumber a migration that has shipped; add a new one.
* Each migration is a tuple of single SQL statements (no ``executescript``: it would commit
  the surrounding transaction), applied in order inside one ``BEGIN IMMEDIATE`` transaction
  together with its row in ``schema_migrations``.
* Enumerations that may grow (stance, speaker kind, provenance) are validated by the pydantic
  models, not by ``CHECK`` constraints, so adding a value never needs a table rebuild.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.core.errors import StorageError

# FTS5 tokenizer: Unicode word rules, case folded, diacritics removed, so "Café" finds "cafe"
# and Indonesian and English text index the same way.
FTS_TOKENIZE = "unicode61 remove_diacritics 2"


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


_INITIAL_SCHEMA = (
    # -- articles ---------------------------------------------------------------------------
    # AUTOINCREMENT: ids are shown to users and kept in Telegram callback data, so the id of
    # a removed article must never be reused for another one.
    """
    CREATE TABLE articles (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        external_id   TEXT,
        title         TEXT,
        text          TEXT NOT NULL,
        url           TEXT,
        outlet        TEXT,
        published_at  TEXT,              -- ISO 8601 exactly as given (offset kept if any)
        language      TEXT NOT NULL,
        provenance    TEXT NOT NULL,
        content_hash  TEXT NOT NULL UNIQUE,   -- bot.core.textnorm.content_hash(text): ingest key
        ingest_source TEXT NOT NULL DEFAULT '',  -- source label given at ingest (file:line, ...)
        created_at    TEXT NOT NULL       -- ISO 8601, UTC
    )
    """,
    """
    CREATE UNIQUE INDEX articles_external_id ON articles (external_id)
        WHERE external_id IS NOT NULL
    """,
    # -- speakers ---------------------------------------------------------------------------
    # One row per real-world speaker: keyed on the folded name (case, diacritics, punctuation,
    # whitespace) and the kind. ``name`` is the display name (first form seen).
    """
    CREATE TABLE speakers (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        name_key    TEXT NOT NULL,
        kind        TEXT NOT NULL,
        name        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        UNIQUE (name_key, kind)
    )
    """,
    """
    CREATE TABLE speaker_aliases (
        id          INTEGER PRIMARY KEY,     -- insertion order = order first seen
        speaker_id  INTEGER NOT NULL REFERENCES speakers (id) ON DELETE CASCADE,
        alias       TEXT NOT NULL,
        UNIQUE (speaker_id, alias)
    )
    """,
    """
    CREATE TABLE speaker_roles (
        id          INTEGER PRIMARY KEY,     -- insertion order = order first seen
        speaker_id  INTEGER NOT NULL REFERENCES speakers (id) ON DELETE CASCADE,
        role        TEXT NOT NULL,           -- first surface form seen
        role_key    TEXT NOT NULL,           -- folded, for de-duplication
        UNIQUE (speaker_id, role_key)
    )
    """,
    # -- claims -----------------------------------------------------------------------------
    # The speaker as resolved in this article is kept verbatim on the claim (name, kind, role,
    # mention offsets); speaker_id links it to the normalized speaker (NULL for anonymous
    # sources and unattributed claims).
    """
    CREATE TABLE claims (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id     INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        position       INTEGER NOT NULL,     -- index in the analysis' claim list
        text           TEXT NOT NULL,
        start_offset   INTEGER NOT NULL CHECK (start_offset >= 0),
        end_offset     INTEGER NOT NULL CHECK (end_offset >= start_offset),
        speaker_id     INTEGER REFERENCES speakers (id) ON DELETE SET NULL,
        speaker_name   TEXT,
        speaker_kind   TEXT,
        speaker_role   TEXT,
        mention_start  INTEGER,
        mention_end    INTEGER,
        cue            TEXT,
        told_to        TEXT,
        direct         INTEGER NOT NULL DEFAULT 0 CHECK (direct IN (0, 1)),
        stance         TEXT NOT NULL,
        is_key         INTEGER NOT NULL DEFAULT 0 CHECK (is_key IN (0, 1)),
        score          REAL NOT NULL DEFAULT 0,
        UNIQUE (article_id, position),
        CHECK ((speaker_name IS NULL) = (speaker_kind IS NULL)),
        CHECK (speaker_id IS NULL OR speaker_name IS NOT NULL)
    )
    """,
    "CREATE INDEX claims_speaker_id ON claims (speaker_id) WHERE speaker_id IS NOT NULL",
    # The reporting chain ("X told Y, who said ..."), in order.
    """
    CREATE TABLE claim_via (
        claim_id  INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
        position  INTEGER NOT NULL,
        name      TEXT NOT NULL,
        PRIMARY KEY (claim_id, position)
    ) WITHOUT ROWID
    """,
    # -- full-text search -------------------------------------------------------------------
    # External-content FTS5 tables: the text is stored once, in articles/claims.
    # Sync: deletes and updates by triggers (they also fire for ON DELETE CASCADE, so removing
    # an article can never leave search entries behind). Inserts are NOT done by a trigger:
    # SqliteArticleStore inserts the FTS rows itself, in the same transaction, with
    # executemany - an AFTER INSERT trigger made bulk ingest twice as slow (measured: 4.6 s
    # vs 2.5 s for 10k articles). Any new code that inserts articles or claims must do the
    # same; tests check consistency with FTS5 'integrity-check'.
    f"""
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, text, content = 'articles', content_rowid = 'id', tokenize = '{FTS_TOKENIZE}'
    )
    """,
    """
    CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
    END
    """,
    """
    CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END
    """,
    f"""
    CREATE VIRTUAL TABLE claims_fts USING fts5 (
        text, content = 'claims', content_rowid = 'id', tokenize = '{FTS_TOKENIZE}'
    )
    """,
    """
    CREATE TRIGGER claims_fts_ad AFTER DELETE ON claims BEGIN
        INSERT INTO claims_fts (claims_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END
    """,
    """
    CREATE TRIGGER claims_fts_au AFTER UPDATE OF text ON claims BEGIN
        INSERT INTO claims_fts (claims_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO claims_fts (rowid, text) VALUES (new.id, new.text);
    END
    """,
)

_CONVERSATION = (
    # -- the people the bot talks to ----------------------------------------------------------
    # id is the Telegram user id. language: chosen with /lang (NULL: follow the language of
    # the user's Telegram app). Kept so replies, and later digests, use the chosen language.
    """
    CREATE TABLE users (
        id          INTEGER PRIMARY KEY,
        language    TEXT,
        first_seen  TEXT NOT NULL,
        last_seen   TEXT NOT NULL
    )
    """,
    # Every lookup (forward, pasted text, quote, link): what was asked and what it found.
    # The text itself is not kept (it may be private); unmatched ones feed /stats.
    """
    CREATE TABLE queries (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER,
        kind        TEXT NOT NULL,           -- article | quote | link
        outcome     TEXT NOT NULL,           -- match | similar | none
        article_id  INTEGER REFERENCES articles (id) ON DELETE SET NULL,
        score       REAL,
        created_at  TEXT NOT NULL
    )
    """,
    "CREATE INDEX queries_created_at ON queries (created_at)",
    # One row each time someone sends the bot an article (forwarded or pasted) that it
    # matched or stored: the demand behind an article and where it circulates. origin_*:
    # Telegram's forward_origin (channel, post id, original date), NULL for pasted text.
    """
    CREATE TABLE sightings (
        id                 INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id         INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        user_id            INTEGER,
        origin_type        TEXT,             -- channel | user | hidden_user | chat
        origin_chat_id     INTEGER,
        origin_username    TEXT,
        origin_title       TEXT,
        origin_message_id  INTEGER,
        origin_date        TEXT,
        seen_at            TEXT NOT NULL
    )
    """,
    "CREATE INDEX sightings_article ON sightings (article_id, seen_at)",
    "CREATE INDEX sightings_seen_at ON sightings (seen_at)",
    # "Not this article" presses: matching mistakes to review.
    """
    CREATE TABLE feedback (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER,
        article_id  INTEGER REFERENCES articles (id) ON DELETE CASCADE,
        verdict     TEXT NOT NULL,           -- not_this
        created_at  TEXT NOT NULL
    )
    """,
    # A link is looked up by its stored URL.
    "CREATE INDEX articles_url ON articles (url) WHERE url IS NOT NULL",
)

_DIGESTS = (
    # One digest subscription per user (a private chat: chat_id starts as the user id and
    # follows a ChatMigrated). next_due is the UTC instant of the next scheduled digest:
    # the repeating tick selects due rows through the partial index, so a restart or a
    # downtime never loses a schedule.
    """
    CREATE TABLE subscriptions (
        user_id     INTEGER PRIMARY KEY,
        chat_id     INTEGER NOT NULL,
        active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        send_time   TEXT NOT NULL,           -- HH:MM in the subscriber's timezone
        timezone    TEXT NOT NULL,           -- IANA name
        language    TEXT,
        next_due    TEXT NOT NULL,           -- UTC ISO 8601 (fixed width)
        ended_reason TEXT,                   -- unsubscribed | blocked | ...
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    )
    """,
    "CREATE INDEX subscriptions_due ON subscriptions (next_due) WHERE active = 1",
    # Speakers, outlets or keywords a subscriber follows (value_key: folded, for matching).
    """
    CREATE TABLE follows (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER NOT NULL,
        value       TEXT NOT NULL,
        value_key   TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        UNIQUE (user_id, value_key)
    )
    """,
    # The outbox / delivery log: one row per subscriber and digest date, so the same day's
    # digest is never sent twice. status: sending (claimed by run_id; left over after a
    # crash it is "ambiguous"), sent, empty (nothing new: nothing sent), late (missed by
    # more than the catch-up window), failed, blocked.
    """
    CREATE TABLE deliveries (
        user_id      INTEGER NOT NULL,
        digest_date  TEXT NOT NULL,          -- YYYY-MM-DD in the subscriber's timezone
        status       TEXT NOT NULL,
        run_id       TEXT NOT NULL,
        attempts     INTEGER NOT NULL DEFAULT 1,
        messages     INTEGER NOT NULL DEFAULT 0,
        error        TEXT,
        updated_at   TEXT NOT NULL,
        PRIMARY KEY (user_id, digest_date)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX deliveries_status ON deliveries (status) WHERE status = 'sending'",
    # One row per broadcast run, for /stats.
    """
    CREATE TABLE digest_runs (
        id          TEXT PRIMARY KEY,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        due         INTEGER NOT NULL DEFAULT 0,
        sent        INTEGER NOT NULL DEFAULT 0,
        empty       INTEGER NOT NULL DEFAULT 0,
        late        INTEGER NOT NULL DEFAULT 0,
        failed      INTEGER NOT NULL DEFAULT 0,
        deactivated INTEGER NOT NULL DEFAULT 0,
        ambiguous   INTEGER NOT NULL DEFAULT 0
    )
    """,
    # The digest reads the articles stored in a time window.
    "CREATE INDEX articles_created_at ON articles (created_at)",
)

_FEEDS = (
    # News feeds (RSS/Atom) polled on a schedule with conditional requests (etag /
    # last_modified); next_poll drives the poller like next_due drives digests.
    """
    CREATE TABLE feeds (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        url            TEXT NOT NULL UNIQUE,
        title          TEXT,
        interval_s     INTEGER NOT NULL DEFAULT 900,
        etag           TEXT,
        last_modified  TEXT,
        next_poll      TEXT NOT NULL,
        last_polled    TEXT,
        last_status    TEXT,                 -- ok | not_modified | error
        last_error     TEXT,
        items_added    INTEGER NOT NULL DEFAULT 0,
        created_at     TEXT NOT NULL
    )
    """,
    "CREATE INDEX feeds_next_poll ON feeds (next_poll)",
    # Items already seen per feed (guid, else link), so a poll only fetches new ones.
    """
    CREATE TABLE feed_items (
        feed_id     INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
        item_key    TEXT NOT NULL,
        article_id  INTEGER REFERENCES articles (id) ON DELETE SET NULL,
        status      TEXT NOT NULL,           -- added | present | failed
        seen_at     TEXT NOT NULL,
        PRIMARY KEY (feed_id, item_key)
    ) WITHOUT ROWID
    """,
)

_FEED_BACKOFF = (
    # Consecutive failed polls of a feed: its next poll backs off (interval x 2^failures).
    "ALTER TABLE feeds ADD COLUMN failures INTEGER NOT NULL DEFAULT 0",
    # Why an item failed, how often, and when it may be tried again (NULL: never again).
    "ALTER TABLE feed_items ADD COLUMN reason TEXT",
    "ALTER TABLE feed_items ADD COLUMN failures INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE feed_items ADD COLUMN retry_at TEXT",
)

_CLAIM_CONFIDENCE = (
    # How sure the analyzer is that the claim is an attribution with the right speaker (0-1).
    # Claims stored before it are 0: their key flag (what cards show) is kept as it was.
    "ALTER TABLE claims ADD COLUMN confidence REAL NOT NULL DEFAULT 0",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _INITIAL_SCHEMA),
    Migration(2, "conversation: users, queries, sightings, feedback", _CONVERSATION),
    Migration(4, "daily digests: subscriptions, follows, deliveries, runs", _DIGESTS),
    Migration(5, "news feeds and their seen items", _FEEDS),
    Migration(6, "feeds: failures, back-off and reasons per feed and item", _FEED_BACKOFF),
    Migration(7, "claims: the analyzer's confidence", _CLAIM_CONFIDENCE),
)

# The table that records applied migrations; created before anything else, never migrated.
SCHEMA_MIGRATIONS_DDL = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
)
"""


def latest_version() -> int:
    """The schema version this code expects."""
    return MIGRATIONS[-1].version if MIGRATIONS else 0


def pending(
    applied: Mapping[int, str], migrations: Sequence[Migration], location: str
) -> list[Migration]:
    """The migrations still to apply, given the recorded (version -> name) rows. Refuses a
    database written by newer code, or whose recorded migration names differ (both engines
    run this check; ``location`` names the database in the message)."""
    known = {m.version: m.name for m in migrations}
    latest = migrations[-1].version if migrations else 0
    newer = sorted(v for v in applied if v not in known)
    if newer:
        raise StorageError(
            f"The archive {location} was written by a newer Kata Siapa (schema "
            f"version {newer[-1]}, this one knows up to {latest}); "
            "upgrade Kata Siapa before using it."
        )
    for version, name in applied.items():
        if known[version] != name:
            raise StorageError(
                f"The archive {location} records migration {version} as {name!r}, "
                f"but this code calls it {known[version]!r}; refusing to continue."
            )
    return [m for m in migrations if m.version not in applied]
