"""ActivityStore, DigestStore and FeedStore behaviour, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.core.models import (
    Analysis,
    ArticleInput,
    Claim,
    DigestRun,
    FeedItem,
    ForwardOrigin,
    Provenance,
)
from storage.stores import Stores

T0 = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


async def _article(stores: Stores, text: str, **fields: object) -> int:
    claim = Claim(text=text.split(".")[0], start=0, end=len(text.split(".")[0]))
    result = await stores.articles.add(
        ArticleInput(text=text, **fields),  # type: ignore[arg-type]
        Analysis(language="en", claims=[claim]),
    )
    assert result.article_id is not None
    return result.article_id


# -- activity -------------------------------------------------------------------------------


async def test_users_remember_their_language(stores: Stores) -> None:
    assert await stores.activity.touch_user(7) is None
    assert await stores.activity.language(7) is None
    await stores.activity.set_language(7, "id")
    assert await stores.activity.touch_user(7) == "id"
    await stores.activity.set_language(8, "en")  # a user never seen before
    assert await stores.activity.language(8) == "en"
    await stores.activity.set_language(7, None)
    assert await stores.activity.touch_user(7) is None


async def test_demand_and_stats(stores: Stores) -> None:
    aid = await _article(stores, "The minister said the budget is safe. More text follows.")
    late = ForwardOrigin(
        type="channel",
        chat_id=-1002,
        username="b",
        title="B",
        message_id=9,
        date=T0 + timedelta(hours=2),
    )
    early = ForwardOrigin(
        type="channel", chat_id=-1001, username="a", title="A", message_id=5, date=T0
    )
    for user, origin in ((1, late), (2, early), (2, None), (3, late)):
        await stores.activity.record_lookup(
            user_id=user,
            kind="article",
            outcome="match",
            article_id=aid,
            score=91.5,
            sighting=True,
            origin=origin,
        )
    await stores.activity.record_lookup(
        user_id=4, kind="quote", outcome="none", article_id=None, score=None
    )
    demand = await stores.activity.demand(aid)
    assert (demand.times, demand.users, demand.channels) == (4, 3, 2)
    assert demand.first_origin is not None
    assert (demand.first_origin.chat_id, demand.first_origin.message_id) == (-1001, 5)
    assert demand.first_origin.date == T0
    assert demand.first_seen is not None
    assert demand.last_seen is not None
    assert demand.first_seen <= demand.last_seen
    await stores.activity.record_feedback(1, aid, "not_this")
    await stores.activity.record_feedback(1, 999_999, "not_this")  # unknown: ignored
    await stores.activity.touch_user(1)
    today = await stores.activity.stats(datetime.now(UTC) - timedelta(hours=1))
    assert (today.users, today.active_today, today.queries_today) == (1, 1, 5)
    assert (today.forwards_today, today.unmatched_today, today.unmatched_total) == (4, 1, 1)
    assert today.not_this_total == 1
    tomorrow = await stores.activity.stats(datetime.now(UTC) + timedelta(days=1))
    assert (tomorrow.active_today, tomorrow.queries_today, tomorrow.unmatched_total) == (0, 0, 1)


# -- digests --------------------------------------------------------------------------------


async def test_subscriptions_lifecycle_and_due_order(stores: Stores) -> None:
    d = stores.digests
    sub = await d.subscribe(
        1,
        1,
        send_time="07:00",
        timezone="Asia/Jakarta",
        language="id",
        next_due=T0 + timedelta(hours=1),
    )
    assert (sub.user_id, sub.chat_id, sub.active, sub.language) == (1, 1, True, "id")
    assert sub.next_due == T0 + timedelta(hours=1)
    await d.subscribe(2, 2, send_time="06:00", timezone="UTC", language=None, next_due=T0)
    await d.subscribe(
        3, 3, send_time="06:00", timezone="UTC", language="en", next_due=T0 + timedelta(days=1)
    )
    await stores.activity.set_language(2, "en")  # /lang wins over the subscribe language
    assert await d.follow(2, "Sri Mulyani", "sri mulyani", cap=2) == "added"
    assert await d.follow(2, "SRI MULYANI", "sri mulyani", cap=2) == "exists"
    assert await d.follow(2, "Kompas", "kompas", cap=2) == "added"
    assert await d.follow(2, "third", "third", cap=2) == "full"
    assert await d.follows(2) == ["Sri Mulyani", "Kompas"]
    due = await d.due(T0 + timedelta(hours=2), 10)
    assert [s.user_id for s in due] == [2, 1]
    assert due[0].language == "en"
    assert due[0].follows == ["Sri Mulyani", "Kompas"]
    assert [s.user_id for s in await d.due(T0 + timedelta(hours=2), 1)] == [2]
    assert await d.count_active() == 3
    await d.advance(2, T0 + timedelta(days=1, hours=-1))
    await d.move_chat(1, -55)
    await d.reschedule(1, send_time="08:00", timezone="UTC", next_due=T0 + timedelta(days=2))
    got = await d.get(1)
    assert got is not None
    assert (got.chat_id, got.send_time, got.timezone) == (-55, "08:00", "UTC")
    assert await d.due(T0 + timedelta(hours=2), 10) == []
    assert await d.end(3, "unsubscribed") is True
    assert await d.end(3, "unsubscribed") is False
    assert await d.count_active() == 2
    again = await d.subscribe(3, 3, send_time="05:00", timezone="UTC", language="en", next_due=T0)
    assert again.active
    assert again.send_time == "05:00"
    assert await d.unfollow(2, "kompas") is True
    assert await d.unfollow(2, "kompas") is False
    assert await d.get(99) is None


async def test_delivery_log_claims_once(stores: Stores) -> None:
    d = stores.digests
    day = date(2026, 1, 5)
    assert await d.delivery_status(1, day) is None
    assert await d.claim(1, day, "run-a") == "claimed"
    assert await d.claim(1, day, "run-a") == "done"  # the same run does not claim twice
    assert await d.claim(1, day, "run-b") == "ambiguous"  # run-a died mid-send
    await d.settle(1, day, "sent", messages=2)
    assert await d.delivery_status(1, day) == "sent"
    assert await d.claim(1, day, "run-c") == "done"
    assert await d.claim(2, day, "run-a") == "claimed"
    await d.settle(2, day, "failed", error="bad request")
    assert await d.claim(2, day, "run-b") == "claimed"  # a failure is retried
    assert await d.claim(1, day + timedelta(days=1), "run-c") == "claimed"


async def test_runs_are_saved_and_the_last_is_reported(stores: Stores) -> None:
    d = stores.digests
    assert await d.last_run() is None
    first = DigestRun(
        run_id="r1", started_at=T0, finished_at=T0 + timedelta(minutes=1), due=3, sent=2, empty=1
    )
    await d.save_run(first)
    await d.save_run(DigestRun(run_id="r0", started_at=T0 + timedelta(hours=1), due=0))
    assert await d.last_run() == first
    updated = first.model_copy(update={"sent": 3, "empty": 0, "ambiguous": 1})
    await d.save_run(updated)
    assert await d.last_run() == updated


async def test_window_reads_new_and_most_forwarded(stores: Stores) -> None:
    start = datetime.now(UTC) - timedelta(minutes=5)
    a = await _article(stores, "Alpha said one thing. And more.", outlet="A")
    b = await _article(stores, "Beta said another thing. And more.", outlet="B")
    user = await _article(stores, "A user sent this text. And more.", provenance=Provenance.USER)
    for article_id in (b, b, user):
        await stores.activity.record_lookup(
            user_id=1,
            kind="article",
            outcome="match",
            article_id=article_id,
            score=90.0,
            sighting=True,
        )
    end = datetime.now(UTC) + timedelta(minutes=5)
    window = await stores.digests.window(start, end)
    assert [x.article_id for x in window.new_articles] == [b, a]  # newest first, no user ones
    assert [(x.article_id, x.forwards) for x in window.most_forwarded] == [(b, 2), (user, 1)]
    assert window.new_articles[0].claims[0].text == "Beta said another thing"
    empty = await stores.digests.window(end, end + timedelta(hours=1))
    assert empty.new_articles == []
    assert empty.most_forwarded == []


# -- feeds ----------------------------------------------------------------------------------


async def test_feeds(stores: Stores) -> None:
    f = stores.feeds
    feed, added = await f.add("https://a.example/rss", None, interval_s=600, next_poll=T0)
    assert added
    assert feed.url == "https://a.example/rss"
    assert feed.next_poll == T0
    same, added = await f.add("https://a.example/rss", "Other", interval_s=60, next_poll=T0)
    assert not added
    assert same.id == feed.id
    assert same.title is None
    other, _ = await f.add(
        "https://b.example/rss", "B", interval_s=60, next_poll=T0 + timedelta(hours=1)
    )
    assert [x.id for x in await f.all()] == [feed.id, other.id]
    due = await f.due(T0 + timedelta(minutes=1))
    assert [(x.id, e, m) for x, e, m in due] == [(feed.id, None, None)]
    await f.polled(
        feed.id,
        status="ok",
        next_poll=T0 + timedelta(hours=2),
        etag='"v1"',
        last_modified="Mon, 05 Jan 2026 01:00:00 GMT",
        added=2,
        title="A feed",
    )
    await f.polled(feed.id, status="not_modified", next_poll=T0 + timedelta(hours=3))
    await f.add_count(feed.id, 3)
    [(polled, etag, modified)] = await f.due(T0 + timedelta(hours=5), limit=1)
    assert polled.id == other.id  # the earliest next_poll first
    everything = {x.id: (x, e, m) for x, e, m in await f.due(T0 + timedelta(hours=5))}
    got, etag, modified = everything[feed.id]
    assert (etag, modified) == ('"v1"', "Mon, 05 Jan 2026 01:00:00 GMT")  # validators kept
    assert (got.title, got.items_added, got.last_status) == ("A feed", 5, "not_modified")
    assert got.last_polled is not None
    assert got.next_poll == T0 + timedelta(hours=3)
    aid = await _article(stores, "Feed article text. More.")
    now = T0 + timedelta(hours=5)
    assert await f.unseen(feed.id, ["k1", "k2", "k1", "k3"], now) == {"k1": 0, "k2": 0, "k3": 0}
    retry = now + timedelta(hours=1)
    await f.record_items(
        feed.id,
        [
            FeedItem(key="k1", status="added", article_id=aid),
            FeedItem(key="k2", status="failed", reason="timeout", failures=1, retry_at=retry),
            FeedItem(key="k4", status="failed", reason="not HTML", failures=3),  # never again
        ],
    )
    # already stored: kept as it was
    await f.record_items(feed.id, [FeedItem(key="k1", status="present")])
    assert await f.unseen(feed.id, ["k1", "k2", "k3", "k4"], now) == {"k3": 0}
    # the failed item is due again after its retry time, with its failures so far,
    # and the feed is then fetched without validators (a 304 would hide the item)
    later = retry + timedelta(seconds=1)
    assert await f.unseen(feed.id, ["k1", "k2", "k4"], later) == {"k2": 1}
    [(_, etag, modified)] = [d for d in await f.due(later) if d[0].id == feed.id]
    assert (etag, modified) == (None, None)
    await f.record_items(feed.id, [FeedItem(key="k2", status="added", article_id=aid)])
    assert await f.unseen(feed.id, ["k2"], later) == {}
    [(_, etag, _)] = [d for d in await f.due(later) if d[0].id == feed.id]
    assert etag == '"v1"'
    await f.polled(feed.id, status="failed", next_poll=later, error="HTTP 500", failures=2)
    assert next(x for x in await f.all() if x.id == feed.id).failures == 2
    assert await f.unseen(other.id, ["k1"], now) == {"k1": 0}
    assert await f.unseen(feed.id, [], now) == {}
    assert await f.remove(feed.id) is True
    assert await f.remove(feed.id) is False
    assert [x.id for x in await f.all()] == [other.id]
