"""Usage records on a real SQLite file: users, lookups, sightings, feedback, stats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.models import Analysis, ArticleInput, ForwardOrigin, Provenance
from storage.activity import SqliteActivityStore
from storage.articles import SqliteArticleStore
from storage.db import Database


async def _article(store: SqliteArticleStore, n: int, url: str | None = None) -> int:
    result = await store.add(
        ArticleInput(text=f"Artikel nomor {n} tentang harga beras di pasar.", url=url),
        Analysis(language="id"),
    )
    assert result.article_id is not None
    return result.article_id


def _channel(chat_id: int, name: str, post: int, day: int) -> ForwardOrigin:
    return ForwardOrigin(
        type="channel",
        chat_id=chat_id,
        username=name,
        title=name.title(),
        message_id=post,
        date=datetime(2026, 11, day, 8, tzinfo=UTC),
    )


async def test_users_remember_their_language(db: Database) -> None:
    activity = SqliteActivityStore(db)
    assert await activity.touch_user(1) is None
    await activity.set_language(1, "id")
    assert await activity.touch_user(1) == "id"
    assert await activity.language(1) == "id"
    assert await activity.language(2) is None
    await activity.set_language(2, "en")  # a user never seen before
    assert await activity.language(2) == "en"


async def test_demand_counts_times_users_channels_and_the_earliest_post(db: Database) -> None:
    store, activity = SqliteArticleStore(db), SqliteActivityStore(db)
    article = await _article(store, 1)
    other = await _article(store, 2)
    sightings = [
        (10, _channel(-100, "later", 7, 20)),
        (11, _channel(-200, "first", 3, 18)),
        (11, None),  # pasted by the same user again
        (12, ForwardOrigin(type="hidden_user")),
    ]
    for user, origin in sightings:
        await activity.record_lookup(
            user_id=user, kind="article", outcome="match", article_id=article, score=90.0,
            sighting=True, origin=origin,
        )  # fmt: skip
    await activity.record_lookup(
        user_id=10, kind="quote", outcome="match", article_id=article, score=95.0
    )  # a quote lookup is not a sighting
    demand = await activity.demand(article)
    assert (demand.times, demand.users, demand.channels) == (4, 3, 2)
    assert demand.first_origin is not None
    assert demand.first_origin.username == "first"
    assert demand.first_origin.link == "https://t.me/first/3"
    assert demand.first_seen is not None
    assert demand.last_seen is not None
    assert demand.first_seen <= demand.last_seen
    empty = await activity.demand(other)
    assert (empty.times, empty.users, empty.first_origin) == (0, 0, None)


async def test_stats_split_today_from_before_and_count_feedback(db: Database) -> None:
    store, activity = SqliteArticleStore(db), SqliteActivityStore(db)
    article = await _article(store, 1)
    await activity.touch_user(1)
    await activity.record_lookup(
        user_id=1, kind="article", outcome="match", article_id=article, score=99, sighting=True
    )
    await activity.record_lookup(
        user_id=1, kind="quote", outcome="none", article_id=None, score=None
    )
    await activity.record_feedback(1, article, "not_this")
    await activity.record_feedback(1, 999_999, "not_this")  # unknown article: not recorded
    now = datetime.now(UTC)
    today = await activity.stats(now - timedelta(hours=1))
    assert (today.users, today.active_today, today.queries_today) == (1, 1, 2)
    assert (today.forwards_today, today.unmatched_today, today.unmatched_total) == (1, 1, 1)
    assert today.not_this_total == 1
    tomorrow = await activity.stats(now + timedelta(days=1))
    assert (tomorrow.queries_today, tomorrow.unmatched_today, tomorrow.unmatched_total) == (0, 0, 1)


async def test_removing_an_article_removes_its_sightings_and_feedback(db: Database) -> None:
    store, activity = SqliteArticleStore(db), SqliteActivityStore(db)
    article = await _article(store, 1)
    await activity.record_lookup(
        user_id=1, kind="article", outcome="match", article_id=article, score=99, sighting=True
    )
    await activity.record_feedback(1, article, "not_this")
    assert await store.remove(article)
    assert (await activity.demand(article)).times == 0
    assert (await activity.stats(datetime.now(UTC))).not_this_total == 0
    # the lookup itself stays in the log, pointing nowhere
    row = await db.fetchone("SELECT article_id FROM queries")
    assert row is not None
    assert row[0] is None


async def test_find_by_urls_and_set_provenance(db: Database) -> None:
    store = SqliteArticleStore(db)
    article = await _article(store, 1, url="https://www.example.org/berita/1/")
    found = await store.find_by_urls(
        ["https://example.org/berita/1", "https://www.example.org/berita/1/"]
    )
    assert found is not None
    assert found.id == article
    assert await store.find_by_urls(["https://example.org/berita/2"]) is None
    assert await store.find_by_urls([]) is None
    plan = await db.fetchall(
        "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE url IN (SELECT value FROM json_each(?))",
        ('["x"]',),
    )
    assert any("articles_url" in str(tuple(r)) for r in plan)  # an index lookup, not a scan
    assert await store.set_provenance(article, Provenance.CURATED)
    updated = await store.get(article)
    assert updated is not None
    assert updated.provenance is Provenance.CURATED
    assert not await store.set_provenance(999, Provenance.CURATED)
