"""Digest delivery on a real SQLite file with a fixed clock and a scripted sender.

The sender is a fake (the Telegram side is covered by the bot tests); everything else —
subscriptions, the delivery log, windows, late and ambiguous handling — is real.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.core.models import Analysis, ArticleInput, Claim, Digest, Speaker
from bot.digest.delivery import DigestService, DigestSettings, SendResult, SendStatus
from bot.digest.schedule import next_due
from storage.articles import SqliteArticleStore
from storage.db import Database
from storage.digests import SqliteDigestStore

T0 = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 08:00 in Jakarta
ZONE = "Asia/Jakarta"


@dataclass
class ScriptedSender:
    """Records deliveries; ``script[chat_id]`` gives the results to return, in order."""

    script: dict[int, list[SendResult]] = field(default_factory=dict)
    sent: list[tuple[int, Digest]] = field(default_factory=list)
    skips: list[tuple[int, int]] = field(default_factory=list)  # (chat, skip) per call
    calls: int = 0
    on_call: Callable[[], None] | None = None

    async def __call__(
        self, chat_id: int, digest: Digest, language: str | None, *, skip: int = 0
    ) -> SendResult:
        self.calls += 1
        self.skips.append((chat_id, skip))
        if self.on_call is not None:
            self.on_call()
        planned = self.script.get(chat_id)
        result = planned.pop(0) if planned else SendResult(SendStatus.SENT, 1)
        if result.status is SendStatus.SENT:
            self.sent.append((chat_id, digest))
        await asyncio.sleep(0)
        return result


async def _add_article(db: Database, n: int, created_at: datetime) -> int:
    store = SqliteArticleStore(db)
    text = f"Menteri Budi Santoso mengatakan harga beras turun {n} persen bulan ini."
    claim = Claim(
        text=f"harga beras turun {n} persen bulan ini",
        start=text.index("harga"),
        end=len(text) - 1,
        speaker=Speaker(name="Budi Santoso", kind="person", role="Menteri"),
        cue="mengatakan",
        key=True,
        score=0.8,
    )
    result = await store.add(
        ArticleInput(text=text, title=f"Harga beras {n}"), Analysis(language="id", claims=[claim])
    )
    assert result.article_id is not None
    await db.conn.execute(
        "UPDATE articles SET created_at = ? WHERE id = ?",
        (created_at.isoformat(timespec="microseconds"), result.article_id),
    )
    await db.conn.commit()
    return result.article_id


async def _subscribe(store: SqliteDigestStore, users: range, due: datetime = T0) -> None:
    for user in users:
        await store.subscribe(
            user, user, send_time="08:00", timezone=ZONE, language="id", next_due=due
        )


def service(store: SqliteDigestStore, **kw: object) -> DigestService:
    return DigestService(store, DigestSettings(**kw))  # type: ignore[arg-type]


async def test_each_due_subscriber_gets_exactly_one_digest_per_day(db: Database) -> None:
    store = SqliteDigestStore(db)
    await _add_article(db, 1, T0 - timedelta(hours=3))
    await _subscribe(store, range(1, 51))
    sender = ScriptedSender()
    run = await service(store, workers=3, batch=7).run_due(T0, sender)
    assert (run.due, run.sent, run.failed) == (50, 50, 0)
    assert sorted(chat for chat, _ in sender.sent) == list(range(1, 51))
    # a second tick at the same time, and one later the same day: nothing more
    for later in (T0, T0 + timedelta(hours=5)):
        again = await service(store).run_due(later, sender)
        assert again.due == 0
    assert len(sender.sent) == 50
    sub = await store.get(1)
    assert sub is not None
    assert sub.next_due == T0 + timedelta(days=1)
    assert await store.delivery_status(1, T0.date()) == "sent"
    last = await store.last_run()
    assert last is not None
    assert last.sent == 50


async def test_rescheduled_to_the_same_day_is_not_sent_twice(db: Database) -> None:
    store = SqliteDigestStore(db)
    await _add_article(db, 1, T0 - timedelta(hours=3))
    await _subscribe(store, range(1, 2))
    sender = ScriptedSender()
    await service(store).run_due(T0, sender)
    # the user moves the digest to 19:00 the same day: the delivery log still says "sent"
    await store.reschedule(1, send_time="19:00", timezone=ZONE, next_due=T0 + timedelta(hours=11))
    run = await service(store).run_due(T0 + timedelta(hours=11), sender)
    assert run.due == 1
    assert run.sent == 0
    assert len(sender.sent) == 1


async def test_no_news_means_no_message(db: Database) -> None:
    store = SqliteDigestStore(db)
    await _add_article(db, 1, T0 - timedelta(days=3))  # too old for this window
    await _subscribe(store, range(1, 4))
    sender = ScriptedSender()
    run = await service(store).run_due(T0, sender)
    assert (run.due, run.empty, run.sent, sender.calls) == (3, 3, 0, 0)
    assert await store.delivery_status(1, T0.date()) == "empty"


async def test_after_downtime_late_digests_go_out_within_the_window_only(db: Database) -> None:
    store = SqliteDigestStore(db)
    await _add_article(db, 1, T0 - timedelta(hours=3))
    await _subscribe(store, range(1, 3))  # due at T0
    await _subscribe(store, range(3, 4), due=T0 - timedelta(days=1))  # yesterday's
    sender = ScriptedSender()
    run = await service(store).run_due(T0 + timedelta(hours=2), sender)
    assert (run.sent, run.late) == (2, 1)
    assert await store.delivery_status(3, (T0 - timedelta(days=1)).date()) == "late"
    sub = await store.get(3)
    assert sub is not None
    assert sub.next_due == T0 + timedelta(days=1)  # skipped to the next future slot
    # 6 hours is the default catch-up window
    await _subscribe(store, range(4, 5))
    late = await service(store).run_due(T0 + timedelta(hours=7), sender)
    assert (late.sent, late.late) == (0, 1)


async def test_blocked_migrated_bad_request_and_retry_after(db: Database) -> None:
    store = SqliteDigestStore(db)
    await _add_article(db, 1, T0 - timedelta(hours=3))
    await _subscribe(store, range(1, 6))
    sender = ScriptedSender(
        script={
            1: [SendResult(SendStatus.BLOCKED, error="Forbidden: bot was blocked by the user")],
            2: [SendResult(SendStatus.MIGRATED, new_chat_id=-100200)],
            3: [SendResult(SendStatus.FAILED, error="Bad Request: chat not found")],
            4: [SendResult(SendStatus.RETRY, retry_after=0.01)],
        }
    )
    run = await service(store).run_due(T0, sender)
    assert (run.due, run.sent, run.deactivated, run.failed) == (5, 3, 1, 1)
    assert sorted(chat for chat, _ in sender.sent) == [-100200, 4, 5]
    blocked = await store.get(1)
    assert blocked is not None
    assert not blocked.active
    moved = await store.get(2)
    assert moved is not None
    assert moved.chat_id == -100200
    assert await store.delivery_status(3, T0.date()) == "failed"
    # a blocked user is no longer due; the failed one is retried on its next day only
    tomorrow = await service(store).run_due(T0 + timedelta(days=1), sender)
    assert tomorrow.due == 4


async def test_a_crash_mid_broadcast_leaves_ambiguous_rows_that_are_resent_once(
    db: Database,
) -> None:
    """Simulate a kill after claiming: the rows stay 'sending' under a dead run id."""
    store = SqliteDigestStore(db)
    await _add_article(db, 1, T0 - timedelta(hours=3))
    await _subscribe(store, range(1, 21))
    for user in (1, 2):  # claimed by a run that died before confirming
        assert await store.claim(user, T0.date(), "dead-run") == "claimed"
    halfway = asyncio.Event()
    sender = ScriptedSender()
    sender.on_call = lambda: halfway.set() if sender.calls >= 10 else None
    svc = service(store, workers=2)
    task = asyncio.create_task(svc.run_due(T0, sender))
    await halfway.wait()  # stop halfway: in-flight sends finish and are recorded
    svc.stop()
    first = await task
    assert first.sent < 20
    assert first.ambiguous <= 2
    # restart: the rest go out, nobody gets a second digest
    second = await service(store).run_due(T0 + timedelta(minutes=5), sender)
    assert first.sent + second.sent == 20
    assert sorted(chat for chat, _ in sender.sent) == list(range(1, 21))
    assert first.ambiguous + second.ambiguous == 2


async def test_window_excludes_user_submissions_and_counts_forwards(db: Database) -> None:
    store = SqliteDigestStore(db)
    article = await _add_article(db, 1, T0 - timedelta(hours=3))
    articles = SqliteArticleStore(db)
    submitted = await articles.add(
        ArticleInput(text="Kiriman pengguna tentang banjir.", provenance="user"),  # type: ignore[arg-type]
        Analysis(language="id"),
    )
    assert submitted.article_id is not None
    for _ in range(2):
        await db.conn.execute(
            "INSERT INTO sightings (article_id, seen_at) VALUES (?, ?)",
            (article, (T0 - timedelta(hours=1)).isoformat(timespec="microseconds")),
        )
    await db.conn.commit()
    window = await store.window(T0 - timedelta(days=1), T0)
    assert [a.article_id for a in window.new_articles] == [article]
    assert window.new_articles[0].forwards == 2
    assert window.new_articles[0].claims[0].speaker is not None
    assert [a.article_id for a in window.most_forwarded] == [article]


async def test_follow_cap_and_idempotence(db: Database) -> None:
    store = SqliteDigestStore(db)
    assert await store.follow(1, "Sri Mulyani", "sri mulyani", cap=2) == "added"
    assert await store.follow(1, "SRI MULYANI", "sri mulyani", cap=2) == "exists"
    assert await store.follow(1, "BPS", "bps", cap=2) == "added"
    assert await store.follow(1, "KPU", "kpu", cap=2) == "full"
    assert await store.follows(1) == ["Sri Mulyani", "BPS"]
    assert await store.unfollow(1, "bps")
    assert not await store.unfollow(1, "bps")


def test_next_due_helper_matches_the_schedule() -> None:
    assert next_due("08:00", ZONE, T0 - timedelta(hours=1)) == T0


async def test_a_retry_resumes_after_the_parts_already_delivered(db: Database) -> None:
    """A two-part digest whose second part hit a 429: the retry sends only the second."""
    store = SqliteDigestStore(db)
    await _add_article(db, 1, T0 - timedelta(hours=3))
    await _subscribe(store, range(1, 2))
    sender = ScriptedSender(
        script={1: [SendResult(SendStatus.RETRY, messages=1, retry_after=0.01),
                    SendResult(SendStatus.SENT, messages=2)]}
    )  # fmt: skip
    run = await service(store).run_due(T0, sender)
    assert run.sent == 1
    assert sender.skips == [(1, 0), (1, 1)]
