"""ArticleStore behaviour, the same on SQLite and PostgreSQL: ingest results, round trips,
speakers, removal (also from search), ids never reused, stats, atomic batches."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from bot.core.errors import DatabaseReadOnlyError
from bot.core.models import (
    Analysis,
    ArticleInput,
    Claim,
    ForwardOrigin,
    IngestStatus,
    Provenance,
    Speaker,
    StoredClaim,
)
from bot.core.textnorm import content_hash
from storage.stores import Stores, open_stores
from tests.contract.conftest import Opener


def span(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def quote(text: str, fragment: str, speaker: Speaker | None = None, **fields: Any) -> Claim:
    start, end = span(text, fragment)
    return Claim(text=fragment, start=start, end=end, speaker=speaker, **fields)


def article(
    text: str, *claims: Claim, language: str = "id", **fields: Any
) -> tuple[ArticleInput, Analysis, str]:
    return ArticleInput(text=text, **fields), Analysis(language=language, claims=list(claims)), ""


def plain(claim: StoredClaim) -> Claim:
    return Claim.model_validate(claim.model_dump(exclude={"id", "article_id", "speaker_id"}))


NAIVE = datetime(2024, 1, 2, 3, 4)  # noqa: DTZ001 - a source that gives no offset
TEXT_A = (
    'Menteri Keuangan Sri Mulyani mengatakan, "Defisit anggaran tetap di bawah tiga persen." '
    "Ia menambahkan bahwa penerimaan pajak naik. Menurut sumber yang enggan disebut namanya, "
    "rapat kabinet membahas subsidi energi."
)
TEXT_B = (
    'The ferry operator said on Monday that "no contract was signed before the audit". '
    "Officials declined to comment, according to Reuters, which cited two people."
)


async def test_add_then_same_content_is_present(stores: Stores) -> None:
    first = await stores.articles.add(ArticleInput(text=TEXT_A), Analysis(language="id"))
    assert first.status is IngestStatus.ADDED
    assert first.article_id is not None
    # Whitespace, case and quote style do not make another article.
    again = await stores.articles.add(
        ArticleInput(text="  " + TEXT_A.upper().replace('"', "\u201c") + "\n"),
        Analysis(language="id"),
        source="feed:x",
    )
    assert again.status is IngestStatus.PRESENT
    assert again.article_id == first.article_id
    assert again.source == "feed:x"
    assert await stores.articles.count() == 1


async def test_add_many_results_in_order_with_dedup_and_rejections(stores: Stores) -> None:
    stored = await stores.articles.add(
        ArticleInput(text=TEXT_B, external_id="b-1"), Analysis(language="en")
    )
    bad_offsets = Claim(text="x", start=0, end=10_000)
    results = await stores.articles.add_many(
        [
            (ArticleInput(text=TEXT_A), Analysis(language="id"), "one"),
            (ArticleInput(text=TEXT_A + "  "), Analysis(language="id"), "dup-in-batch"),
            (ArticleInput(text=TEXT_B), Analysis(language="en"), "dup-of-stored"),
            (ArticleInput(text=" \n\t "), Analysis(language="en"), "empty"),
            (
                ArticleInput(text="Other words entirely."),
                Analysis(language="en", claims=[bad_offsets]),
                "bad",
            ),
            (
                ArticleInput(text="Yet another text.", external_id="b-1"),
                Analysis(language="en"),
                "ext",
            ),
            (
                ArticleInput(text="A fresh text here.", external_id="c-1"),
                Analysis(language="en"),
                "ok",
            ),
        ]
    )
    statuses = [r.status for r in results]
    assert statuses == [
        IngestStatus.ADDED,
        IngestStatus.PRESENT,
        IngestStatus.PRESENT,
        IngestStatus.REJECTED,
        IngestStatus.REJECTED,
        IngestStatus.REJECTED,
        IngestStatus.ADDED,
    ]
    assert results[1].article_id == results[0].article_id
    assert results[2].article_id == stored.article_id
    assert "empty" in (results[3].reason or "")
    assert "outside the text" in (results[4].reason or "")
    assert "already belongs" in (results[5].reason or "")
    assert [r.source for r in results] == [
        "one",
        "dup-in-batch",
        "dup-of-stored",
        "empty",
        "bad",
        "ext",
        "ok",
    ]
    assert await stores.articles.add_many([]) == []
    assert await stores.articles.count() == 3


async def test_round_trip_reproduces_every_field(stores: Stores) -> None:
    minister = Speaker(
        name="Sri Mulyani", kind="person", role="Menteri Keuangan", mention_start=17, mention_end=28
    )
    claims = [
        quote(
            TEXT_A,
            "Defisit anggaran tetap di bawah tiga persen.",
            minister,
            cue="mengatakan",
            direct=True,
            key=True,
            score=0.75,
            stance="asserts",
        ),
        quote(TEXT_A, "penerimaan pajak naik", minister, cue="menambahkan", score=0.5),
        quote(
            TEXT_A,
            "rapat kabinet membahas subsidi energi",
            Speaker(name="sumber yang enggan disebut namanya", kind="anonymous"),
            via=["Reuters", "Kompas"],
            told_to="wartawan",
            stance="unverified",
        ),
    ]
    random.Random(3).shuffle(claims)  # stored claims come back ordered by offset
    published = datetime(2025, 3, 4, 9, 30, tzinfo=timezone(timedelta(hours=7)))
    result = await stores.articles.add(
        ArticleInput(
            text=TEXT_A,
            title="Defisit",
            url="https://news.example/a?id=1",
            outlet="Kompas",
            published_at=published,
            external_id="ext-1",
            provenance=Provenance.CURATED,
        ),
        Analysis(language="id", title="ignored: the input title wins", claims=claims),
        source="file.jsonl:1",
    )
    assert result.article_id is not None
    got = await stores.articles.get(result.article_id)
    assert got is not None
    assert (got.title, got.url, got.outlet, got.language) == (
        "Defisit",
        "https://news.example/a?id=1",
        "Kompas",
        "id",
    )
    assert got.published_at == published
    assert got.published_at.utcoffset() == timedelta(hours=7)
    assert got.provenance is Provenance.CURATED
    assert got.content_hash == content_hash(TEXT_A)
    assert got.created_at.tzinfo is not None
    assert abs(got.created_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert [plain(c) for c in got.claims] == sorted(claims, key=lambda c: c.start)
    assert got.claims[0].speaker_id is not None  # a person is linked to a speaker row
    anonymous = next(c for c in got.claims if c.speaker and c.speaker.kind == "anonymous")
    assert anonymous.speaker_id is None  # anonymous sources are never merged
    by_ext = await stores.articles.get_by_external_id("ext-1")
    assert by_ext == got
    naive = await stores.articles.add(
        ArticleInput(text=TEXT_B, published_at=NAIVE),
        Analysis(language="en"),
    )
    assert naive.article_id is not None
    back = await stores.articles.get(naive.article_id)
    assert back is not None
    assert back.published_at == NAIVE
    assert back.title is None
    assert back.language == "en"


async def test_unknown_ids_and_urls(stores: Stores) -> None:
    assert await stores.articles.get(999) is None
    assert await stores.articles.get_by_external_id("nope") is None
    assert await stores.articles.find_by_urls([]) is None
    assert await stores.articles.find_by_urls(["https://nowhere.example/"]) is None
    assert await stores.articles.set_provenance(999, Provenance.CURATED) is False
    assert await stores.articles.remove(999) is False
    assert await stores.articles.ids_by_content_hash([]) == {}


async def test_find_by_urls_earliest_and_provenance(stores: Stores) -> None:
    url = "https://news.example/story"
    first = await stores.articles.add(
        ArticleInput(text=TEXT_A, url=url + "?a"), Analysis(language="en")
    )
    second = await stores.articles.add(ArticleInput(text=TEXT_B, url=url), Analysis(language="en"))
    found = await stores.articles.find_by_urls([url, url + "?a"])
    assert found is not None
    assert found.id == first.article_id
    found = await stores.articles.find_by_urls([url])
    assert found is not None
    assert found.id == second.article_id
    assert second.article_id is not None
    assert await stores.articles.set_provenance(second.article_id, Provenance.USER)
    got = await stores.articles.get(second.article_id)
    assert got is not None
    assert got.provenance is Provenance.USER
    hashes = await stores.articles.ids_by_content_hash([content_hash(TEXT_B), "f" * 64])
    assert hashes == {content_hash(TEXT_B): second.article_id}


async def test_speakers_merge_and_prune_and_stats(stores: Stores) -> None:
    one = Speaker(name="Sri Mulyani", kind="person")
    same = Speaker(name="  SRI   mulyani ", kind="person")
    text2 = "Sri Mulyani berkata bahwa utang aman. Juru bicara menolak berkomentar."
    a = await stores.articles.add(
        ArticleInput(text=TEXT_A, language="id"),
        Analysis(language="en", claims=[quote(TEXT_A, "penerimaan pajak naik", one)]),
    )
    b = await stores.articles.add(
        ArticleInput(text=text2, language="en", provenance=Provenance.CURATED),
        Analysis(
            language="en",
            claims=[quote(text2, "utang aman", same), quote(text2, "menolak berkomentar")],
        ),
    )
    stats = await stores.articles.stats()
    assert (stats.articles, stats.claims, stats.speakers, stats.attributed_claims) == (2, 3, 1, 2)
    assert stats.by_language == {"en": 1, "id": 1}
    assert stats.by_provenance == {"curated": 1, "import": 1}
    got_a, got_b = (
        await stores.articles.get(a.article_id or 0),
        await stores.articles.get(b.article_id or 0),
    )
    assert got_a is not None
    assert got_b is not None
    assert got_a.claims[0].speaker_id == got_b.claims[0].speaker_id is not None
    assert await stores.articles.remove(a.article_id or 0)
    assert await stores.articles.prune_speakers() == 0  # still quoted in b
    assert await stores.articles.remove(b.article_id or 0)
    assert await stores.articles.prune_speakers() == 1
    assert (await stores.articles.stats()).claims == 0


async def test_remove_reaches_search_sightings_and_feedback(stores: Stores) -> None:
    words = ["defisit", "anggaran", "subsidi"]
    added = await stores.articles.add(
        ArticleInput(text=TEXT_A), Analysis(language="en", claims=[quote(TEXT_A, "subsidi energi")])
    )
    other = await stores.articles.add(ArticleInput(text=TEXT_B), Analysis(language="en"))
    aid = added.article_id or 0
    assert [c.article_id for c in await stores.index.article_candidates(words, limit=5)] == [aid]
    assert [c.article_id for c in await stores.index.claim_candidates(["subsidi"], limit=5)] == [
        aid
    ]
    assert await stores.index.doc_counts(words, scope="articles", cap=10) == [1, 1, 1]
    origin = ForwardOrigin(type="channel", chat_id=-100, username="kanal")
    await stores.activity.record_lookup(
        user_id=1,
        kind="article",
        outcome="match",
        article_id=aid,
        score=90.0,
        sighting=True,
        origin=origin,
    )
    await stores.activity.record_feedback(1, aid, "not_this")
    assert (await stores.activity.demand(aid)).times == 1
    assert await stores.articles.remove(aid)
    assert await stores.index.article_candidates(words, limit=5) == []
    assert await stores.index.claim_candidates(["subsidi"], limit=5) == []
    assert await stores.index.doc_counts(words, scope="articles", cap=10) == [0, 0, 0]
    assert (await stores.activity.demand(aid)).times == 0
    assert (await stores.activity.stats(datetime(2000, 1, 1, tzinfo=UTC))).not_this_total == 0
    assert await stores.articles.get(other.article_id or 0) is not None


async def test_ids_are_never_reused(stores: Stores, opener: Opener) -> None:
    first = await stores.articles.add(ArticleInput(text=TEXT_A), Analysis(language="en"))
    newest = await stores.articles.add(ArticleInput(text=TEXT_B), Analysis(language="en"))
    assert await stores.articles.remove(newest.article_id or 0)
    reopened = await opener()
    again = await reopened.articles.add(
        ArticleInput(text="Something else was said."), Analysis(language="en")
    )
    assert (again.article_id or 0) > (newest.article_id or 0) > (first.article_id or 0)


async def test_a_failing_batch_leaves_nothing(
    stores: Stores, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error after rows were written (speakers here) rolls the whole batch back."""
    module = "storage.articles" if engine == "sqlite" else "storage.postgres.articles"

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(f"{module}.link_speakers", boom)
    claim = quote(TEXT_A, "penerimaan pajak naik", Speaker(name="Sri Mulyani", kind="person"))
    with pytest.raises(RuntimeError):
        await stores.articles.add_many(
            [(ArticleInput(text=TEXT_A), Analysis(language="en", claims=[claim]), "")]
        )
    monkeypatch.undo()
    stats = await stores.articles.stats()
    assert (stats.articles, stats.claims, stats.speakers) == (0, 0, 0)
    assert await stores.index.doc_counts(["pajak"], scope="claims", cap=10) == [0]
    again = await stores.articles.add(
        ArticleInput(text=TEXT_A), Analysis(language="en", claims=[claim])
    )
    assert again.status is IngestStatus.ADDED
    assert await stores.index.doc_counts(["pajak"], scope="claims", cap=10) == [1]


async def test_read_only_handle_reads_and_refuses_writes(stores: Stores, target: str) -> None:
    added = await stores.articles.add(ArticleInput(text=TEXT_A), Analysis(language="id"))
    reader = await open_stores(target, read_only=True)
    try:
        assert await reader.articles.get(added.article_id or 0) is not None
        with pytest.raises(DatabaseReadOnlyError):
            await reader.articles.add(ArticleInput(text=TEXT_B), Analysis(language="en"))
        with pytest.raises(DatabaseReadOnlyError):
            await reader.activity.touch_user(1)
    finally:
        await reader.close()
    assert await stores.articles.count() == 1
