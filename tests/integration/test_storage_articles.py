"""SqliteArticleStore on real SQLite files: ingest, round-trip, speakers, removal, stats,
search safety and batch atomicity."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.core.models import (
    Analysis,
    ArticleInput,
    Claim,
    IngestStatus,
    Provenance,
    Speaker,
    StoredClaim,
)
from bot.core.textnorm import content_hash
from storage.articles import SqliteArticleStore
from storage.db import Database
from tests.helpers.archive import search, speaker_rows

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def store(db: Database) -> SqliteArticleStore:
    return SqliteArticleStore(db)


def span(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def simple(
    text: str, *claims: Claim, language: str = "id", **fields: Any
) -> tuple[ArticleInput, Analysis]:
    return ArticleInput(text=text, **fields), Analysis(language=language, claims=list(claims))


def quote(text: str, fragment: str, speaker: Speaker | None = None, **fields: Any) -> Claim:
    start, end = span(text, fragment)
    return Claim(text=fragment, start=start, end=end, speaker=speaker, **fields)


def without_ids(claim: StoredClaim) -> Claim:
    return Claim.model_validate(claim.model_dump(exclude={"id", "article_id", "speaker_id"}))


async def raw_count(db: Database, sql: str, *params: Any) -> int:
    row = await db.fetchone(sql, params)
    assert row is not None
    return int(row[0])


def gold_analysis(text: str) -> Analysis:
    """An Analysis built from the Indonesian reference fixture: real text, many fields."""
    gold = json.loads((FIXTURES / "seed-id-wsj-buyback.gold.json").read_text(encoding="utf-8"))
    claims = []
    for index, entry in enumerate(gold["claims"]):
        start, end = span(text, entry["text_contains"])
        speaker = None
        if entry.get("speaker"):
            mention = text.find(entry["speaker"])
            speaker = Speaker(
                name=entry["speaker"],
                kind=entry.get("speaker_kind") or "person",
                role=entry.get("role"),
                mention_start=mention if mention >= 0 else None,
                mention_end=mention + len(entry["speaker"]) if mention >= 0 else None,
            )
        claims.append(
            Claim(
                text=text[start:end],
                start=start,
                end=end,
                speaker=speaker,
                cue=entry.get("cue"),
                via=entry.get("via") or [],
                told_to=entry.get("told_to"),
                direct=bool(entry.get("direct")),
                stance=entry.get("stance") or "asserts",
                key=bool(entry.get("key")),
                score=round(1.0 / (index + 1), 6),
            )
        )
    # Stored claims come back ordered by start: shuffle the input to prove it.
    random.Random(7).shuffle(claims)
    return Analysis(language=gold["language"], title="Rusia membeli kembali", claims=claims)


# -- ingest -----------------------------------------------------------------------------


async def test_add_then_same_content_is_present(store: SqliteArticleStore) -> None:
    text = "Menteri Keuangan mengatakan inflasi akan turun tahun depan."
    first = await store.add(*simple(text), source="file.jsonl:1")
    assert first.status is IngestStatus.ADDED
    assert first.source == "file.jsonl:1"
    assert first.article_id is not None

    # Same article with other whitespace, quotes and case: same content hash.
    again = await store.add(
        *simple("  menteri KEUANGAN mengatakan   inflasi akan turun tahun depan "),
        source="file.jsonl:2",
    )
    assert again.status is IngestStatus.PRESENT
    assert again.article_id == first.article_id
    assert again.source == "file.jsonl:2"
    assert await store.count() == 1


async def test_add_many_dedups_within_batch_and_against_archive(
    store: SqliteArticleStore,
) -> None:
    old = await store.add(*simple("Berita lama tentang banjir di Jakarta."))
    results = await store.add_many(
        [
            (*simple("Berita baru pertama."), "b:1"),
            (*simple("BERITA BARU PERTAMA!"), "b:2"),  # same as b:1 once normalized
            (*simple("Berita lama tentang banjir di Jakarta."), "b:3"),  # already stored
            (*simple("Berita baru kedua."), "b:4"),
        ]
    )
    assert [r.status for r in results] == [
        IngestStatus.ADDED,
        IngestStatus.PRESENT,
        IngestStatus.PRESENT,
        IngestStatus.ADDED,
    ]
    assert [r.source for r in results] == ["b:1", "b:2", "b:3", "b:4"]
    assert results[1].article_id == results[0].article_id
    assert results[2].article_id == old.article_id
    assert len({results[0].article_id, results[3].article_id, old.article_id}) == 3
    assert await store.count() == 3


async def test_add_many_empty_batch(store: SqliteArticleStore) -> None:
    assert await store.add_many([]) == []
    assert await store.count() == 0


async def test_rejections_are_reported_and_do_not_stop_the_batch(
    store: SqliteArticleStore,
) -> None:
    text = "Polisi membantah kabar tersebut."
    results = await store.add_many(
        [
            (*simple("   "), "r:1"),
            (*simple("🙈🙉 !!!"), "r:2"),
            (*simple(text, Claim(text="x", start=5, end=500)), "r:3"),
            (*simple(text, Claim(text="x", start=9, end=3)), "r:4"),
            (*simple(text, external_id="ext-1"), "r:5"),
            (*simple("Isi lain dengan id yang sama.", external_id="ext-1"), "r:6"),
        ]
    )
    statuses = [r.status for r in results]
    assert statuses == [IngestStatus.REJECTED] * 4 + [IngestStatus.ADDED, IngestStatus.REJECTED]
    assert "empty" in (results[0].reason or "")
    assert "empty" in (results[1].reason or "")
    assert "outside the text" in (results[2].reason or "")
    assert "outside the text" in (results[3].reason or "")
    assert "ext-1" in (results[5].reason or "")
    assert results[5].external_id == "ext-1"
    assert await store.count() == 1

    later = await store.add(*simple("Versi berbeda.", external_id="ext-1"))
    assert later.status is IngestStatus.REJECTED
    assert str(results[4].article_id) in (later.reason or "")


async def test_round_trip_reproduces_every_field(store: SqliteArticleStore) -> None:
    text = (FIXTURES / "seed-id-wsj-buyback.txt").read_text(encoding="utf-8")
    analysis = gold_analysis(text)
    assert len(analysis.claims) >= 5
    published = datetime(2023, 4, 19, 8, 30, tzinfo=timezone(timedelta(hours=7)))
    item = ArticleInput(
        text=text,
        external_id="perak-news-1",
        url="https://perak-news.com/a/1",
        outlet="perak-news.com",
        published_at=published,
        provenance=Provenance.CURATED,
    )
    before = datetime.now(UTC)
    result = await store.add(item, analysis, source="fixture")
    assert result.article_id is not None

    stored = await store.get(result.article_id)
    assert stored is not None
    assert stored.text == text
    assert stored.title == analysis.title  # falls back to the analysis' title
    assert stored.external_id == "perak-news-1"
    assert stored.url == item.url
    assert stored.outlet == item.outlet
    assert stored.published_at == published
    assert stored.published_at is not None
    assert stored.published_at.utcoffset() == timedelta(hours=7)
    assert stored.language == "id"  # from the analysis: the input had none
    assert stored.provenance is Provenance.CURATED
    assert stored.content_hash == content_hash(text)
    assert before <= stored.created_at <= datetime.now(UTC)

    expected = sorted(analysis.claims, key=lambda c: (c.start, c.end))
    assert [without_ids(c) for c in stored.claims] == expected
    assert all(c.article_id == stored.id for c in stored.claims)
    assert len({c.id for c in stored.claims}) == len(stored.claims)
    # Named speakers link to a normalized speaker; anonymous sources do not.
    for claim in stored.claims:
        if claim.speaker is None or claim.speaker.kind == "anonymous":
            assert claim.speaker_id is None
        else:
            assert claim.speaker_id is not None

    by_external = await store.get_by_external_id("perak-news-1")
    assert by_external == stored


async def test_input_fields_win_over_analysis(store: SqliteArticleStore) -> None:
    item = ArticleInput(text="The minister said so.", title="Given title", language="en")
    result = await store.add(item, Analysis(language="id", title="Analyzer title"))
    stored = await store.get(result.article_id or 0)
    assert stored is not None
    assert (stored.title, stored.language) == ("Given title", "en")
    assert stored.published_at is None


async def test_get_unknown_ids(store: SqliteArticleStore) -> None:
    assert await store.get(12345) is None
    assert await store.get_by_external_id("nope") is None


async def test_claims_with_equal_start_keep_analysis_order(store: SqliteArticleStore) -> None:
    text = "Ia berkata: kami tidak bersalah dan kami akan banding."
    claims = [
        Claim(text="kami tidak bersalah", start=12, end=31, score=0.2),
        Claim(text="kami tidak bersalah dan kami akan banding", start=12, end=53),
        Claim(text="kami akan banding", start=36, end=53),
        Claim(text="kami tidak", start=12, end=22),
    ]
    result = await store.add(*simple(text, *claims))
    stored = await store.get(result.article_id or 0)
    assert stored is not None
    assert [(c.start, c.end) for c in stored.claims] == [(12, 22), (12, 31), (12, 53), (36, 53)]


# -- speakers ---------------------------------------------------------------------------


async def test_same_person_in_two_articles_is_one_speaker(
    db: Database, store: SqliteArticleStore
) -> None:
    text1 = "Sri Mulyani mengatakan defisit aman. Menurut Menteri, utang terkendali."
    text2 = "Menkeu SRI MULYANI menegaskan pajak tidak naik, kata dia kepada wartawan."
    sri1 = Speaker(name="Sri Mulyani", kind="person", role="Menteri Keuangan")
    sri2 = Speaker(name="SRI MULYANI", kind="person", role="Menkeu")
    sri3 = Speaker(name="Sri  Mulyáni", kind="person", role="menteri keuangan")  # same role
    anon = Speaker(name="sumber", kind="anonymous")
    await store.add(
        *simple(
            text1,
            quote(text1, "defisit aman", sri1),
            quote(text1, "utang terkendali", sri3),
        )
    )
    await store.add(
        *simple(
            text2,
            quote(text2, "pajak tidak naik", sri2),
            quote(text2, "kata dia kepada wartawan", anon),
        )
    )
    # Same name as a person and as an organization are different speakers.
    text3 = "Sri Mulyani Foundation menyatakan dana cukup."
    await store.add(
        *simple(text3, quote(text3, "dana cukup", Speaker(name="sri mulyani", kind="organization")))
    )

    assert await raw_count(db, "SELECT count(*) FROM speakers WHERE kind = 'person'") == 1
    assert await raw_count(db, "SELECT count(*) FROM speakers") == 2  # anonymous not linked

    records = await speaker_rows(db)
    person = next(r for r in records if r.kind == "person")
    assert person.name == "Sri Mulyani"  # first form seen
    assert person.aliases == ["Sri Mulyani", "Sri  Mulyáni", "SRI MULYANI"]
    assert person.roles == ["Menteri Keuangan", "Menkeu"]
    assert person.claim_count == 3
    assert records[0] == person  # most-quoted first
    assert [r.kind for r in records] == ["person", "organization"]

    found = await speaker_rows(db, name="  sri mulyani ")
    assert {r.kind for r in found} == {"person", "organization"}
    assert await speaker_rows(db, name="!!!") == []

    by_speaker = [
        c.text
        for a in (2, 1)  # newest article first
        if (got := await store.get(a))
        for c in got.claims
        if c.speaker_id == person.id
    ]
    assert by_speaker == ["pajak tidak naik", "defisit aman", "utang terkendali"]


async def test_speakers_are_kept_on_remove_and_can_be_pruned(
    db: Database, store: SqliteArticleStore
) -> None:
    text = "Joko Widodo meminta harga stabil."
    result = await store.add(
        *simple(text, quote(text, "harga stabil", Speaker(name="Joko Widodo", kind="person")))
    )
    assert await store.remove(result.article_id or 0)
    assert await raw_count(db, "SELECT count(*) FROM speakers") == 1
    assert await speaker_rows(db) == []  # nobody without claims is listed
    assert (await store.stats()).speakers == 0
    assert await store.prune_speakers() == 1
    assert await raw_count(db, "SELECT count(*) FROM speakers") == 0
    assert await raw_count(db, "SELECT count(*) FROM speaker_aliases") == 0


# -- remove -----------------------------------------------------------------------------


async def test_remove_cascades_to_claims_via_and_search(
    db: Database, store: SqliteArticleStore
) -> None:
    text = "Gubernur menyatakan banjir rob sudah surut menurut laporan Antara."
    claim = quote(
        text,
        "banjir rob sudah surut",
        Speaker(name="Gubernur", kind="person"),
        via=["Antara", "Reuters"],
    )
    keep = await store.add(*simple("Artikel lain tentang banjir rob di pesisir utara."))
    gone = await store.add(*simple(text, claim))
    assert gone.article_id is not None
    assert {a for a, _ in await search(db, "surut")} == {gone.article_id}
    assert len(await search(db, "surut", scope="claims")) == 1

    assert await store.remove(gone.article_id) is True
    assert await store.remove(gone.article_id) is False
    assert await store.get(gone.article_id) is None
    assert await search(db, "surut") == []
    assert await search(db, "surut", scope="claims") == []
    assert [a for a, _ in await search(db, "banjir rob")] == [keep.article_id]
    for table in ("claims", "claim_via"):
        assert await raw_count(db, f"SELECT count(*) FROM {table}") == 0
    await assert_fts_consistent(db)

    # Ids are never reused: a removed article's id cannot point at another article later.
    again = await store.add(*simple(text, claim))
    assert again.status is IngestStatus.ADDED
    assert again.article_id is not None
    assert again.article_id > gone.article_id


async def assert_fts_consistent(db: Database) -> None:
    """Each FTS index is internally sound (FTS5 'integrity-check') and indexes exactly the
    rows of its content table (its docsize shadow table has one row per indexed document)."""
    async with db.transaction() as conn:
        for content, fts in (("articles", "articles_fts"), ("claims", "claims_fts")):
            await conn.execute(f"INSERT INTO {fts} ({fts}) VALUES ('integrity-check')")
            ids = {r[0] for r in await conn.execute_fetchall(f"SELECT id FROM {content}")}
            indexed = {r[0] for r in await conn.execute_fetchall(f"SELECT id FROM {fts}_docsize")}
            assert indexed == ids, f"{fts} out of sync with {content}"


async def test_fts_index_is_consistent_after_ingest_and_removals(
    db: Database, store: SqliteArticleStore
) -> None:
    batch = []
    for n in range(30):
        text = f"Artikel {n}: pejabat {n} berkata harga naik {n} persen."
        batch.append((*simple(text, quote(text, f"harga naik {n} persen")), f"s:{n}"))
    results = await store.add_many(batch)
    for result in results[::3]:
        assert await store.remove(result.article_id or 0)
    await assert_fts_consistent(db)
    # A corrupted index is detected by the same check (so the check can fail).
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM claims WHERE id = (SELECT min(id) FROM claims)")
        await conn.execute("INSERT INTO claims_fts (rowid, text) VALUES (424242, 'extra row')")
    with pytest.raises(AssertionError, match="claims_fts out of sync"):
        await assert_fts_consistent(db)


# -- stats and listing ------------------------------------------------------------------


async def test_stats_counts(store: SqliteArticleStore) -> None:
    assert (await store.stats()).articles == 0
    t1 = "Presiden berkata ekonomi tumbuh. Pengamat ragu."
    t2 = "The minister said prices will fall, a source said."
    t3 = "Warga mengeluh air bersih langka."
    await store.add(
        *simple(
            t1,
            quote(t1, "ekonomi tumbuh", Speaker(name="Presiden", kind="person")),
            quote(t1, "Pengamat ragu"),
        ),
    )
    await store.add(
        *simple(
            t2,
            quote(t2, "prices will fall", Speaker(name="The minister", kind="person")),
            quote(t2, "a source said", Speaker(name="a source", kind="anonymous")),
            language="en",
            provenance=Provenance.USER,
        )
    )
    await store.add(*simple(t3, quote(t3, "air bersih langka")), source="x")
    stats = await store.stats()
    assert stats.articles == 3
    assert stats.claims == 5
    assert stats.speakers == 2
    assert stats.attributed_claims == 3
    assert stats.by_language == {"en": 1, "id": 2}
    assert stats.by_provenance == {"import": 2, "user": 1}


# -- search -----------------------------------------------------------------------------


async def test_search_ranks_and_folds_diacritics_and_case(
    db: Database, store: SqliteArticleStore
) -> None:
    a = await store.add(
        *simple("Café di Bandung ditutup karena kasus keracunan.", title="Café ditutup")
    )
    b = await store.add(*simple("Harga kopi naik; pemilik kafe mengeluh."))
    c = await store.add(*simple("Sebuah café lain dibuka, harga kopi turun."))
    hits = await search(db, "CAFE keracunan")
    assert hits[0][0] == a.article_id
    assert {h[0] for h in hits} == {a.article_id, c.article_id}
    assert all(score > 0 for _, score in hits)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert b.article_id in {h[0] for h in await search(db, "kopi")}
    assert len(await search(db, "kopi", limit=1)) == 1
    assert await search(db, "kopi", limit=0) == []


async def test_search_indonesian_and_english(db: Database, store: SqliteArticleStore) -> None:
    id_text = "Kementerian menyatakan vaksin aman untuk anak-anak."
    en_text = "The ministry said the vaccine is safe for children."
    await store.add(*simple(id_text, quote(id_text, "vaksin aman untuk anak-anak")))
    await store.add(*simple(en_text, quote(en_text, "the vaccine is safe"), language="en"))
    id_hits = await search(db, "vaksin anak", scope="claims")
    en_hits = await search(db, "vaccine safe", scope="claims")
    assert len(id_hits) == 1
    assert len(en_hits) == 1
    texts = {c.id: c.text for a in (1, 2) if (got := await store.get(a)) for c in got.claims}
    assert "vaksin" in texts[id_hits[0][0]]
    assert "vaccine" in texts[en_hits[0][0]]


NASTY_QUERIES = [
    "",
    "   ",
    "\n\t",
    "🙈🙉🙊",
    "🇮🇩",
    '"',
    '""',
    '"unbalanced',
    "*",
    "harga*",
    "NEAR(harga kopi)",
    "NEAR",
    "AND OR NOT",
    "-harga",
    "title:harga",
    "text : kopi",
    "(harga",
    "harga)",
    "{title text}: kopi",
    "^kopi",
    "kopi + harga",
    "'; DROP TABLE articles; --",
    "1 OR 1=1",
    "SELECT * FROM claims",
    "\u0000kopi\u0000",
    "\u200bkopi\u200b",
    "x" * 5000,
    " ".join(f"kata{n}" for n in range(2000)),
]


@pytest.mark.parametrize("query", NASTY_QUERIES)
async def test_search_never_raises_on_hostile_queries(
    db: Database, store: SqliteArticleStore, query: str
) -> None:
    text = "Harga kopi naik di pasar; title dan text bukan kolom."
    await store.add(*simple(text, quote(text, "Harga kopi naik")))
    articles = await search(db, query)
    claims = await search(db, query, scope="claims")
    assert isinstance(articles, list)
    assert isinstance(claims, list)
    if "kopi" in query.casefold() or "harga" in query.casefold():
        assert articles, "a real word in a hostile query still finds the article"
    if not any(ch.isalnum() for ch in query):
        assert articles == []
        assert claims == []
    assert await raw_count(db, "SELECT count(*) FROM articles") == 1  # nothing was dropped


async def test_search_random_garbage_never_raises(db: Database, store: SqliteArticleStore) -> None:
    await store.add(*simple("Harga beras naik di pasar induk."))
    rng = random.Random(20261126)
    alphabet = "abc\"*:^()-+{}[];,.'\\ NEARORANDNOT\u00e9\u0301\U0001f600\u200b\t\n"
    for _ in range(300):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert isinstance(await search(db, query), list)
        assert isinstance(await search(db, query, scope="claims"), list)


# -- batch atomicity --------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 250])
async def test_failure_mid_batch_rolls_back_only_that_batch(
    db: Database, store: SqliteArticleStore, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """The failure comes after the batch's articles, claims, speakers and FTS rows were
    written inside the transaction."""
    text = "Menteri: stok beras aman sampai Lebaran."
    sri = Speaker(name="Menteri Pertanian", kind="person", role="Menteri")
    committed = await store.add_many([(*simple(text, quote(text, "stok beras aman", sri)), "ok:1")])
    assert committed[0].status is IngestStatus.ADDED
    before = {
        table: await raw_count(db, f"SELECT count(*) FROM {table}")
        for table in ("articles", "claims", "speakers", "speaker_aliases", "speaker_roles")
    }

    original = SqliteArticleStore._insert_claims

    async def explode(self: SqliteArticleStore, conn: Any, new: Any) -> None:
        await original(self, conn, new)  # claims, via and FTS rows are written...
        assert await raw_count(db, "SELECT count(*) FROM claims") == 1 + len(new)
        raise RuntimeError("disk on fire")  # ...then the batch fails

    monkeypatch.setattr(SqliteArticleStore, "_insert_claims", explode)
    failing = []
    for n in range(size):
        t = f"Artikel gagal {n}: pejabat berkata jalan tol selesai."
        failing.append(
            (
                *simple(
                    t, quote(t, "jalan tol selesai", Speaker(name=f"Pejabat {n}", kind="person"))
                ),
                f"bad:{n}",
            )
        )
    with pytest.raises(RuntimeError, match="disk on fire"):
        await store.add_many(failing)
    monkeypatch.undo()

    after = {table: await raw_count(db, f"SELECT count(*) FROM {table}") for table in before}
    assert after == before
    assert await search(db, "gagal tol") == []
    assert await search(db, "jalan tol", scope="claims") == []
    await assert_fts_consistent(db)
    assert not db.conn.in_transaction
    stored = await store.get(committed[0].article_id or 0)
    assert stored is not None
    assert stored.claims[0].text == "stok beras aman"

    # The same batch succeeds afterwards, with fresh ids.
    retried = await store.add_many(failing)
    assert [r.status for r in retried] == [IngestStatus.ADDED] * size
    assert await raw_count(db, "SELECT count(*) FROM articles") == size + 1


async def test_constraint_violation_rolls_back_whole_batch(
    db: Database, store: SqliteArticleStore
) -> None:
    await store.add(*simple("Sudah ada sebelumnya."))
    # The database refuses the second article's claim (a temporary trigger stands in for any
    # constraint failure): the first article of the batch must not be kept either.
    async with db.transaction() as conn:
        await conn.execute(
            "CREATE TEMP TRIGGER refuse_second BEFORE INSERT ON claims "
            "WHEN new.text = 'meledak' BEGIN SELECT RAISE(ABORT, 'refused by test'); END"
        )
    t1, t2 = "Satu: aman.", "Dua: meledak."
    with pytest.raises(Exception, match="refused by test") as info:
        await store.add_many(
            [
                (*simple(t1, quote(t1, "aman")), "c:1"),
                (*simple(t2, quote(t2, "meledak")), "c:2"),
            ]
        )
    assert isinstance(info.value.__cause__, sqlite3.Error)
    assert await raw_count(db, "SELECT count(*) FROM articles") == 1
    assert await search(db, "aman") == []


async def test_dedup_within_a_large_batch(store: SqliteArticleStore) -> None:
    batch = [(*simple(f"Artikel nomor {n} tentang pemilu."), f"p:{n}") for n in range(230)]
    batch[150] = (*simple("ARTIKEL NOMOR 3 tentang pemilu!!"), "p:dup")  # same as item 3
    batch[220] = (*simple("Artikel nomor 0 tentang pemilu.", external_id="e0"), "p:dup2")
    results = await store.add_many(batch)
    assert results[150].status is IngestStatus.PRESENT
    assert results[150].article_id == results[3].article_id
    assert results[220].status is IngestStatus.PRESENT
    assert results[220].article_id == results[0].article_id
    assert sum(r.status is IngestStatus.ADDED for r in results) == 228
    assert await store.count() == 228
    assert [r.source for r in results][:2] == ["p:0", "p:1"]


async def test_ids_by_content_hash(store: SqliteArticleStore) -> None:
    stored = await store.add(*simple("Gempa mengguncang Cianjur pagi ini."))
    known = content_hash("gempa mengguncang   CIANJUR pagi ini")
    unknown = content_hash("Berita yang belum ada.")
    assert await store.ids_by_content_hash([known, unknown]) == {known: stored.article_id}
    assert await store.ids_by_content_hash([]) == {}
