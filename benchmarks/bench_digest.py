"""Daily digest broadcast against a rate-limited Bot API stand-in (issue 5's floors).

    .venv/bin/python benchmarks/bench_digest.py [--subscribers 10000] [--articles 100000]
        [--quick] [--scenario all|broadcast|kill|term|compose|kill-inflight]
        [--workdir DIR] [--rebuild] [--bot-env KEY=VALUE]

The real bot (``python -m bot run``) runs as a subprocess against the strict stand-in of
``tests/helpers/botapi_standin.py``, wrapped here so that it enforces Telegram's broadcast
limits: 30 messages per second per bot and 1 message per second per chat (sliding one-second
windows); the excess gets Telegram's 429 with ``retry_after``. Exactly-once figures come from
what the stand-in actually accepted, not from the bot's own records.

The archive is synthetic (``bench_matching.generate``, bulk-loaded and cached in the work
directory); ~1.5% of it is given a ``created_at`` inside the 24 hours before the scheduled
instant (the digest window), the rest is older. Subscriptions (0-5 follows each: speakers,
outlets, topic words, a share of which occur in the window) are written directly to a copy
of that archive, due a few seconds after the bot starts.

Scenarios:
  broadcast  N subscribers delivered exactly once; sustained throughput >= 27 msg/s; while it
             runs, interactive queries (/start and a who-said quote from fresh users) are
             answered within 1 s (p50/max printed).
  kill       SIGKILL the bot halfway, restart it: every subscriber ends with one digest;
             ambiguous rows ('sending' left behind), how the restarted run resolved them, and
             the duplicates/missing the stand-in saw.
  term       the same with a graceful SIGTERM halfway (expect 0 ambiguous).
  kill-inflight  SIGKILL halfway while the stand-in holds back its answers to four accepted
             digests (Telegram got them, the bot never learned): the worst case for the
             "ambiguous" rows. Not part of "all".
  compose    CPU seconds (time.process_time) of a whole DigestService run over N due
             subscribers with Telegram left out: the delivery log (claim, settle, advance),
             composing and rendering each digest into Telegram HTML (the floor); composing
             alone and rendering alone are printed beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import random
import shutil
import signal
import sqlite3
import statistics
import sys
import time
from collections import Counter, defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_matching import generate  # noqa: E402
from bot.core.models import Digest  # noqa: E402
from bot.digest.compose import compose_prepared, follow_key, prepare_window  # noqa: E402
from bot.digest.delivery import DigestService, DigestSettings, SendResult, SendStatus  # noqa: E402
from bot.digest.schedule import digest_date, window_for, zone_of  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.digests import SqliteDigestStore, utc_iso  # noqa: E402
from tests.helpers.archive import bulk_index  # noqa: E402
from tests.helpers.botapi_rules import ApiError  # noqa: E402
from tests.helpers.botapi_standin import BotApiStandIn, Call  # noqa: E402

SEED = 20261126
OVERALL_RATE = 30  # messages per second per bot
CHAT_RATE = 1  # messages per second per chat
RATE_LIMITED_METHODS = frozenset({"sendmessage", "editmessagetext"})
SUBSCRIBER_BASE = 600_000_000
PROBE_BASE = 900_000_000
NEW_SHARE = 0.015  # share of the archive created in the 24 h before the scheduled instant
ZONES = ("Asia/Jakarta",) * 6 + ("Asia/Makassar", "Asia/Jayapura", "Europe/Berlin", "UTC")
FLOOR_THROUGHPUT = 27.0
FLOOR_LATENCY_S = 1.0
FLOOR_COMPOSE_CPU_S = 60.0


# -- the rate-limited stand-in --------------------------------------------------------------


def _chat_key(value: Any) -> int | str | None:
    if value is None:
        return None
    with contextlib.suppress(TypeError, ValueError):
        return int(value)
    return str(value)


def _is_digest(message: Mapping[str, Any]) -> bool:
    markup = message.get("reply_markup")
    return isinstance(markup, dict) and "dg:unsub" in json.dumps(markup)


class RateLimitedStandIn(BotApiStandIn):
    """The strict stand-in plus Telegram's flood limits on sending methods: at most
    ``overall`` accepted messages in any one-second window per bot, ``per_chat`` per chat;
    anything over gets ``429 Too Many Requests: retry after N``. Also indexes accepted
    messages per chat (digests are recognised by their "dg:unsub" button)."""

    def __init__(self, *, overall: int = OVERALL_RATE, per_chat: int = CHAT_RATE) -> None:
        super().__init__(strict_chats=True)
        self.overall = overall
        self.per_chat = per_chat
        self._recent: deque[float] = deque()
        self._recent_chat: dict[int | str, deque[float]] = defaultdict(deque)
        self.rejected: Counter[str] = Counter()  # "overall" / "chat"
        self.rejected_at: list[float] = []
        self.rejected_chats: Counter[int | str] = Counter()
        self.digests: dict[int | str, list[float]] = defaultdict(list)  # chat -> accept times
        self.chunks: Counter[int | str] = Counter()  # every accepted message per chat
        self.first_message: dict[int | str, float] = {}
        # kill-inflight: accept digests but hold the answers back (the bot crashes between
        # Telegram accepting a message and learning that it did).
        self.hold = False
        self.held = 0
        self.release = asyncio.Event()

    async def call(
        self, token: str, method: str, params: Mapping[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        if method.lower() not in RATE_LIMITED_METHODS or token != self.token:
            return await super().call(token, method, params)
        chat = _chat_key(params.get("chat_id"))
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        mine = self._recent_chat[chat] if chat is not None else deque()
        while mine and now - mine[0] >= 1.0:
            mine.popleft()
        limit = None
        if len(self._recent) >= self.overall:
            limit, oldest = "overall", self._recent[0]
        elif chat is not None and len(mine) >= self.per_chat:
            limit, oldest = "chat", mine[0]
        if limit is not None:
            retry = max(1, math.ceil(oldest + 1.0 - now))
            error = ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
            self.rejected[limit] += 1
            self.rejected_at.append(now)
            if chat is not None:
                self.rejected_chats[chat] += 1
            record = Call(method=method, params=dict(params), error=error.payload())
            self.calls.append(record)
            self._notify()
            return 429, error.payload()
        # Reserve the slot before answering (the answer may yield), release it on failure.
        self._recent.append(now)
        if chat is not None:
            mine.append(now)
        status, body = await super().call(token, method, params)
        if status != 200:
            with contextlib.suppress(ValueError):
                self._recent.remove(now)
            with contextlib.suppress(ValueError):
                mine.remove(now)
            return status, body
        result = body.get("result")
        if method.lower() == "sendmessage" and isinstance(result, dict) and chat is not None:
            at = time.monotonic()
            self.chunks[chat] += 1
            self.first_message.setdefault(chat, at)
            if _is_digest(result):
                self.digests[chat].append(at)
                if self.hold:
                    self.held += 1
                    await self.release.wait()
        return status, body


# -- the archive and the subscribers --------------------------------------------------------


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


async def build_archive(n: int, path: Path) -> None:
    t0 = time.perf_counter()
    remove_db(path)
    db = await Database.open(path, cache_size_kib=262144)
    try:
        added = sum(r.status == "added" for r in await bulk_index(db, generate(n)))
    finally:
        await db.close()
    print(f"  built {added:,} articles in {time.perf_counter() - t0:.0f} s -> {path}", flush=True)


@dataclass
class Prepared:
    path: Path
    scheduled: datetime
    subscribers: list[int]
    new_articles: int
    follows: int
    quotes: list[str] = field(default_factory=list)


async def prepare(
    archive: Path, path: Path, subscribers: int, scheduled: datetime, n_articles: int
) -> Prepared:
    """A copy of the archive with a digest window, forwards, flags and due subscriptions."""
    remove_db(path)
    shutil.copyfile(archive, path)
    rng = random.Random(SEED)
    db = await Database.open(path)
    try:
        new_count = max(20, round(n_articles * NEW_SHARE))
        ids = [int(r[0]) for r in await db.fetchall("SELECT id FROM articles ORDER BY id")]
        new_ids = ids[-new_count:]
        old_ids = ids[:-new_count]
        rows: list[tuple[str, int]] = []
        for k, aid in enumerate(old_ids):  # older than the window, one a minute back in time
            when = scheduled - timedelta(days=2, minutes=len(old_ids) - k)
            rows.append((utc_iso(when), aid))
        for aid in new_ids:
            when = scheduled - timedelta(seconds=rng.uniform(60, 23.5 * 3600))
            rows.append((utc_iso(when), aid))
        async with db.transaction() as conn:
            await conn.executemany("UPDATE articles SET created_at = ? WHERE id = ?", rows)
            # Flags: some denials and could-not-verify in the window.
            await conn.execute(
                "UPDATE claims SET stance = CASE WHEN id % 2 = 0 THEN 'denies' "
                "ELSE 'unverified' END WHERE id % 17 = 0"
            )
            # Forwards: a few window articles were forwarded to the bot.
            seen = utc_iso(scheduled - timedelta(hours=2))
            sightings = [
                (aid, PROBE_BASE - 1 - j, seen)
                for aid in rng.sample(new_ids, min(12, len(new_ids)))
                for j in range(rng.randint(1, 40))
            ]
            await conn.executemany(
                "INSERT INTO sightings (article_id, user_id, origin_type, seen_at) "
                "VALUES (?, ?, 'user', ?)",
                sightings,
            )
        window_speakers = [
            str(r[0])
            for r in await db.fetchall(
                "SELECT DISTINCT speaker_name FROM claims WHERE speaker_name IS NOT NULL AND "
                "article_id >= ? LIMIT 400",
                (new_ids[0],),
            )
        ]
        other_speakers = [
            str(r[0])
            for r in await db.fetchall(
                "SELECT DISTINCT speaker_name FROM claims WHERE speaker_name IS NOT NULL AND "
                "article_id < 2000 LIMIT 400"
            )
        ]
        outlets = [
            str(r[0]) for r in await db.fetchall("SELECT DISTINCT outlet FROM articles LIMIT 40")
        ]
        claim_rows = await db.fetchall(
            "SELECT text FROM claims WHERE article_id >= ? LIMIT 2000", (new_ids[0],)
        )
        quotes = [str(r[0]) for r in claim_rows]
        topics = sorted({w for q in quotes[:500] for w in q.split() if len(w) >= 7})[:800]
        now = utc_iso(datetime.now(UTC))
        subs: list[tuple[Any, ...]] = []
        follows: list[tuple[Any, ...]] = []
        users = [SUBSCRIBER_BASE + i for i in range(subscribers)]
        for uid in users:
            zone = rng.choice(ZONES)
            local = scheduled.astimezone(zone_of(zone))
            language = "id" if rng.random() < 0.7 else "en"
            subs.append((uid, uid, f"{local:%H:%M}", zone, language, utc_iso(scheduled), now, now))
            chosen: dict[str, str] = {}
            for _ in range(rng.randint(0, 5)):
                pool = rng.choice((window_speakers, other_speakers, outlets, topics))
                if pool:
                    value = rng.choice(pool)
                    chosen.setdefault(follow_key(value), value)
            follows += [(uid, v, k, now) for k, v in chosen.items() if k]
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO subscriptions (user_id, chat_id, active, send_time, timezone, "
                "language, next_due, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)",
                subs,
            )
            await conn.executemany(
                "INSERT INTO follows (user_id, value, value_key, created_at) VALUES (?, ?, ?, ?)",
                follows,
            )
    finally:
        await db.close()
    return Prepared(path, scheduled, users, new_count, len(follows), quotes)


# -- the bot process -------------------------------------------------------------------------


def bot_env(standin: BotApiStandIn, db: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "KATASIAPA_")) and k not in ("PYTHONWARNINGS",)
    }
    env.update(
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        KATASIAPA_DB=str(db),
        KATASIAPA_LOAD_SAMPLE="false",
        KATASIAPA_DIGEST_TICK_S="1",
        KATASIAPA_LOG_LEVEL="INFO",
    )
    env.update(EXTRA_BOT_ENV)
    return env


@dataclass
class BotRun:
    proc: asyncio.subprocess.Process
    log: Path
    started: float


EXTRA_BOT_ENV: dict[str, str] = {}  # --bot-env KEY=VALUE (experiments)


async def start_bot(standin: BotApiStandIn, db: Path, log: Path) -> BotRun:
    command = ["-m", "bot", "run"]
    with log.open("wb") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *command,
            cwd=log.parent, env=bot_env(standin, db), stdin=asyncio.subprocess.DEVNULL,
            stdout=out, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
    run = BotRun(proc, log, time.monotonic())
    try:
        await standin.wait_for_polling(timeout=120)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        tail = log.read_bytes()[-3000:].decode(errors="replace")  # noqa: ASYNC240
        raise SystemExit(f"the bot never polled; its log:\n{tail}") from None
    return run


async def stop_bot(
    run: BotRun,
    sig: int = signal.SIGTERM,
    timeout: float = 60,  # noqa: ASYNC109
) -> tuple[int, float]:
    t0 = time.monotonic()
    if run.proc.returncode is None:
        run.proc.send_signal(sig)
    try:
        code = await asyncio.wait_for(run.proc.wait(), timeout)
    except TimeoutError:
        run.proc.kill()
        code = await run.proc.wait()
        print(f"  ! the bot did not exit within {timeout:.0f} s of signal {sig}; killed")
    return code, time.monotonic() - t0


def log_summary(path: Path) -> dict[str, int]:
    text = path.read_text(errors="replace")
    return {
        "rate_limit_retries": text.count("Rate limit hit. Retrying"),
        "rate_limit_gave_up": text.count("Rate limit hit after maximum"),
        "tracebacks": text.count("Traceback"),
        "errors": sum(" ERROR " in line for line in text.splitlines()),
        "warnings": sum(" WARNING " in line for line in text.splitlines()),
    }


def db_rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Read the bot's database from outside (WAL: readers never block the bot)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()


def finished_runs(path: Path) -> list[tuple[Any, ...]]:
    return db_rows(
        path,
        "SELECT id, started_at, finished_at, due, sent, empty, late, failed, deactivated, "
        "ambiguous FROM digest_runs WHERE due > 0 ORDER BY started_at",
    )


# -- interactive probes ----------------------------------------------------------------------


class Prober:
    """Sends interactive queries from fresh users while the broadcast runs and times the
    first reply (stand-in receive time of the update -> stand-in accept time of the reply)."""

    def __init__(self, standin: RateLimitedStandIn, quotes: list[str], interval: float) -> None:
        self.standin = standin
        self.quotes = quotes or ["harga beras naik lagi bulan ini"]
        self.interval = interval
        self.latencies: list[tuple[str, float]] = []
        self.timeouts = 0
        self._next_user = PROBE_BASE
        self._rng = random.Random(SEED + 5)

    async def one(self, kind: str) -> None:
        user = self._next_user
        self._next_user += 1
        if kind == "start":
            text = "/start"
        else:
            quote = " ".join(self._rng.choice(self.quotes).split()[:14])
            text = f"siapa yang bilang “{quote}”?"
        sent = time.monotonic()
        self.standin.add_text_message(text, user_id=user, language_code="id")
        deadline = sent + 15
        while time.monotonic() < deadline:
            at = self.standin.first_message.get(user)
            if at is not None:
                self.latencies.append((kind, at - sent))
                return
            await asyncio.sleep(0.01)
        self.timeouts += 1
        self.latencies.append((kind, 15.0))

    async def run(self, active: asyncio.Event, done: asyncio.Event) -> None:
        await active.wait()
        kinds = ("start", "who")
        k = 0
        tasks = []
        while not done.is_set():
            tasks.append(asyncio.create_task(self.one(kinds[k % 2])))
            k += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), self.interval)
        await asyncio.gather(*tasks)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"queries": len(self.latencies), "timeouts": self.timeouts}
        for kind in ("all", "start", "who"):
            values = sorted(v for k, v in self.latencies if kind in ("all", k))
            if values:
                out[kind] = {
                    "n": len(values),
                    "p50_s": statistics.median(values),
                    "p95_s": values[min(len(values) - 1, int(0.95 * len(values)))],
                    "max_s": values[-1],
                }
        return out


# -- scenarios -------------------------------------------------------------------------------


def delivery_counts(standin: RateLimitedStandIn, subscribers: list[int]) -> dict[str, Any]:
    per_chat = [len(standin.digests.get(uid, [])) for uid in subscribers]
    split = sum(1 for uid in subscribers if standin.chunks.get(uid, 0) > 1)
    return {
        "subscribers": len(subscribers),
        "delivered_once": sum(1 for n in per_chat if n == 1),
        "duplicates": sum(1 for n in per_chat if n > 1),
        "extra_messages": sum(n - 1 for n in per_chat if n > 1),
        "missing": sum(1 for n in per_chat if n == 0),
        "chats_with_more_than_one_message": split,
    }


def timeline(standin: RateLimitedStandIn) -> dict[str, Any]:
    """Accepted digests per 5 s, and when the 429s happened (seconds from the first digest)."""
    times = sorted(t for ts in standin.digests.values() for t in ts)
    if not times:
        return {}
    t0 = times[0]
    per5 = Counter(int((t - t0) // 5) for t in times)
    return {
        "digests_per_5s": [per5.get(i, 0) for i in range(max(per5) + 1)],
        "429_at_s": [round(t - t0, 1) for t in standin.rejected_at],
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a running process (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(standin: RateLimitedStandIn) -> dict[str, float]:
    times = sorted(t for ts in standin.digests.values() for t in ts)
    if len(times) < 2:
        return {"overall": 0.0, "steady": 0.0, "worst_10s": 0.0, "span_s": 0.0}
    span = times[-1] - times[0]
    lo, hi = times[len(times) // 10], times[len(times) * 9 // 10]
    steady = (len(times) * 9 // 10 - len(times) // 10) / (hi - lo) if hi > lo else 0.0
    # The worst 10-second stretch (sustained, not just on average).
    worst = math.inf
    j = 0
    for i, t in enumerate(times):
        while j < len(times) and times[j] < t + 10:
            j += 1
        if times[-1] - t >= 10:
            worst = min(worst, (j - i) / 10)
    return {
        "overall": (len(times) - 1) / span if span else 0.0,
        "steady": steady,
        "worst_10s": worst if worst != math.inf else 0.0,
        "span_s": span,
    }


async def wait_until(predicate: Any, timeout: float, what: str) -> bool:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.2)
    print(f"  ! timed out after {timeout:.0f} s waiting for {what}")
    return False


async def scenario(
    name: str, archive: Path, args: argparse.Namespace, workdir: Path
) -> dict[str, Any]:
    """broadcast / kill / term: one full delivery of N digests (with an interruption halfway
    for kill and term), measured at the stand-in."""
    n = args.subscribers
    scheduled = datetime.now(UTC) + timedelta(seconds=5)
    t0 = time.perf_counter()
    prep = await prepare(archive, workdir / f"{name}.sqlite3", n, scheduled, args.articles)
    print(
        f"  prepared {n:,} subscriptions ({prep.follows:,} follows), {prep.new_articles:,} "
        f"articles in the window, in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    budget = n / 20 + 120
    result: dict[str, Any] = {"scenario": name}
    async with RateLimitedStandIn() as standin:
        for uid in prep.subscribers:
            standin.add_chat({"id": uid, "type": "private", "first_name": f"S{uid}"})
        bot = await start_bot(standin, prep.path, workdir / f"{name}-1.log")
        delivered = lambda: sum(1 for uid in prep.subscribers if standin.digests.get(uid))  # noqa: E731
        prober = Prober(standin, prep.quotes, interval=2.0)
        active, done = asyncio.Event(), asyncio.Event()
        probing = asyncio.create_task(prober.run(active, done)) if name == "broadcast" else None
        await wait_until(lambda: delivered() >= max(1, n // 50), 120, "the broadcast to start")
        active.set()
        first_log = bot.log
        if name == "broadcast":
            await wait_until(lambda: delivered() >= n * 0.98, budget, "98% delivered")
            done.set()
            assert probing is not None
            await probing
            await wait_until(lambda: bool(finished_runs(prep.path)), budget, "the run to finish")
        else:
            await wait_until(lambda: delivered() >= n // 2, budget, "half delivered")
            if name == "kill-inflight":
                standin.hold = True
                await wait_until(lambda: standin.held >= 4, 10, "4 answers held back")
            sig = signal.SIGTERM if name == "term" else signal.SIGKILL
            first_cpu = cpu_seconds(bot.proc.pid)
            at_signal = delivered()
            code, took = await stop_bot(bot, sig)
            standin.hold = False
            standin.release.set()
            after_exit = delivered()
            sending = db_rows(prep.path, "SELECT user_id FROM deliveries WHERE status = 'sending'")
            ambiguous_users = [int(r[0]) for r in sending]
            already = sum(1 for uid in ambiguous_users if standin.digests.get(uid))
            result["interruption"] = {
                "signal": sig.name,
                "answers_held_back": standin.held,
                "exit_code": code,
                "exit_s": round(took, 2),
                "delivered_at_signal": at_signal,
                "delivered_at_exit": after_exit,
                "rows_sending_after_exit": len(ambiguous_users),
                "of_which_stand_in_had_received": already,
                "of_which_not_received": len(ambiguous_users) - already,
                "runs_saved_before_restart": len(finished_runs(prep.path)),
                "bot_cpu_s_before_signal": round(first_cpu, 1),
            }
            result["ambiguous_users"] = ambiguous_users
            await asyncio.sleep(1.0)
            saved = len(finished_runs(prep.path))
            bot = await start_bot(standin, prep.path, workdir / f"{name}-2.log")
            await wait_until(
                lambda: len(finished_runs(prep.path)) > saved, budget, "the restarted run"
            )
        await asyncio.sleep(3.5)  # a few more ticks: nothing more may be sent
        result["bot_cpu_s"] = {
            "process": round(cpu_seconds(bot.proc.pid), 1),
            "wall_s": round(time.monotonic() - bot.started, 1),
        }
        code, took = await stop_bot(bot, signal.SIGTERM)
        result["final_exit"] = {"code": code, "exit_s": round(took, 2)}
        runs = finished_runs(prep.path)
        result["runs"] = [
            dict(
                zip(
                    ("id", "started", "finished", "due", "sent", "empty", "late", "failed",
                     "deactivated", "ambiguous"),
                    r,
                    strict=True,
                )
            )
            for r in runs
        ]  # fmt: skip
        result["deliveries"] = dict(
            db_rows(prep.path, "SELECT status, count(*) FROM deliveries GROUP BY status")
        )
        result["not_advanced"] = db_rows(
            prep.path,
            "SELECT count(*) FROM subscriptions WHERE next_due <= ?",
            (utc_iso(scheduled),),
        )[0][0]
        result["counts"] = delivery_counts(standin, prep.subscribers)
        result["throughput"] = throughput(standin)
        result["rejected_429"] = dict(standin.rejected)
        result["timeline"] = timeline(standin)
        result["rejected_digest_chats"] = sum(
            1 for uid in prep.subscribers if standin.rejected_chats.get(uid)
        )
        if "ambiguous_users" in result:
            users = result.pop("ambiguous_users")
            result["ambiguous_resolution"] = {
                "resent_and_now_duplicate": sum(
                    1 for u in users if len(standin.digests.get(u, [])) > 1
                ),
                "resent_first_copy": sum(1 for u in users if len(standin.digests.get(u, [])) == 1),
                "still_missing": sum(1 for u in users if not standin.digests.get(u)),
            }
        if probing is not None:
            result["interactive"] = prober.summary()
        result["logs"] = {p.name: log_summary(p) for p in {first_log, bot.log}}
    return result


class _RenderingSender:
    """What TelegramSender does before the HTTP call (render the digest into Telegram HTML,
    split under 4096), without Telegram: the composition figure includes it."""

    def __init__(self) -> None:
        from handlers import render

        self._render = render.digest
        self.messages = 0

    async def __call__(
        self, chat_id: int, digest: Digest, language: str | None, *, skip: int = 0
    ) -> SendResult:
        reply = self._render("id" if language == "id" else "en", digest)
        self.messages += len(reply.chunks)
        return SendResult(SendStatus.SENT, len(reply.chunks))


async def scenario_compose(
    archive: Path, args: argparse.Namespace, workdir: Path
) -> dict[str, Any]:
    from handlers import render

    n = args.subscribers
    scheduled = datetime.now(UTC) - timedelta(seconds=1)
    prep = await prepare(archive, workdir / "compose.sqlite3", n, scheduled, args.articles)
    db = await Database.open(prep.path)
    try:
        store = SqliteDigestStore(db)
        c0, w0 = time.process_time(), time.perf_counter()
        window = await store.window(*window_for(scheduled))
        window_cpu, window_wall = time.process_time() - c0, time.perf_counter() - w0
        subs = await store.due(scheduled, n + 10)
        c0, w0 = time.process_time(), time.perf_counter()
        # What a run does: prepare the window once, then compose each subscriber's digest.
        prepared = prepare_window(window)
        digests = [compose_prepared(prepared, s.follows, digest_date(s)) for s in subs]
        compose_cpu, compose_wall = time.process_time() - c0, time.perf_counter() - w0
        c0 = time.process_time()
        lengths = [
            sum(len(c) for c in render.digest("id", d).chunks) for d in digests if d is not None
        ]
        render_cpu = time.process_time() - c0
        chunks = Counter(len(render.digest("id", d).chunks) for d in digests[:500] if d)
        followed = sum(1 for d in digests if d is not None and d.followed)
        # The figure that counts: the whole run as the bot does it - read the due, claim in
        # the delivery log, compose, render, settle, advance - with only Telegram left out.
        service = DigestService(store, DigestSettings(), pacer=None)
        sender = _RenderingSender()
        c0, w0 = time.process_time(), time.perf_counter()
        run = await service.run_due(scheduled, sender)
        run_cpu, run_wall = time.process_time() - c0, time.perf_counter() - w0
    finally:
        await db.close()
    return {
        "scenario": "compose",
        "subscribers": len(subs),
        "window_articles": len(window.new_articles),
        "window_read": {"cpu_s": window_cpu, "wall_s": window_wall},
        "compose": {"cpu_s": compose_cpu, "wall_s": compose_wall, "digests": len(digests)},
        "with_followed_section": followed,
        "render_cpu_s": render_cpu,
        "rendered_chars_p50": statistics.median(lengths) if lengths else 0,
        "rendered_chars_max": max(lengths) if lengths else 0,
        "chunks_per_digest_sample": dict(chunks),
        "service_run": {"cpu_s": run_cpu, "wall_s": run_wall, "sent": run.sent, "due": run.due,
                        "messages_rendered": sender.messages},
    }


# -- reporting -------------------------------------------------------------------------------


def machine_info() -> str:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.1f} GiB RAM"
    load = ", load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return (
        f"{platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs ({model or platform.processor()}){mem}{load}"
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    print("\n== results ==")
    print(json.dumps(results, indent=1, default=str))
    print("\n== floors ==")
    b = results.get("broadcast")
    if b:
        c, t, i = b["counts"], b["throughput"], b.get("interactive", {})
        once = c["delivered_once"] == c["subscribers"]
        fast = t["overall"] >= FLOOR_THROUGHPUT
        lat = i.get("all", {})
        quick = bool(lat) and lat["max_s"] <= FLOOR_LATENCY_S
        print(
            f"1. broadcast {c['subscribers']:,}: exactly once {c['delivered_once']:,} "
            f"(duplicates {c['duplicates']}, missing {c['missing']}) {verdict(once)}; "
            f"throughput {t['overall']:.1f} msg/s (steady {t['steady']:.1f}, worst 10 s "
            f"{t['worst_10s']:.1f}) {verdict(fast)}; interactive {lat.get('n', 0)} queries "
            f"p50 {lat.get('p50_s', 0) * 1000:.0f} ms max {lat.get('max_s', 0) * 1000:.0f} ms "
            f"{verdict(quick)}; 429s {b['rejected_429']}"
        )
    for name in ("kill", "kill-inflight", "term"):
        r = results.get(name)
        if not r:
            continue
        c, x = r["counts"], r["interruption"]
        ambiguous = sum(run["ambiguous"] for run in r["runs"])
        ok = c["delivered_once"] == c["subscribers"]
        expect = "" if name != "term" else f" (expect 0: {verdict(ambiguous == 0)})"
        print(
            f"2. {name}: {x['signal']} at {x['delivered_at_signal']:,}/{c['subscribers']:,}: "
            f"rows left 'sending' {x['rows_sending_after_exit']} (stand-in had "
            f"{x['of_which_stand_in_had_received']}), digest_runs.ambiguous {ambiguous}"
            f"{expect}; afterwards duplicates {c['duplicates']}, missing {c['missing']} -> "
            f"every subscriber exactly one digest: {verdict(ok)}"
        )
    m = results.get("compose")
    if m:
        run = m["service_run"]
        print(
            f"3. {run['sent']:,} digests over {m['window_articles']} window articles "
            f"({args.articles:,} archive), composed, rendered ({run['messages_rendered']:,} "
            f"messages) and logged (claim, settle, advance) as a run does, Telegram left out: "
            f"{run['cpu_s']:.1f} s CPU / {run['wall_s']:.1f} s wall "
            f"{verdict(run['cpu_s'] < FLOOR_COMPOSE_CPU_S)}; of which composing alone "
            f"{m['compose']['cpu_s']:.1f} s and rendering alone {m['render_cpu_s']:.1f} s CPU"
        )


async def main_async(args: argparse.Namespace) -> None:
    workdir: Path = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240
    print(f"machine: {machine_info()}")
    print(
        f"subscribers {args.subscribers:,}, archive {args.articles:,} articles, stand-in limits "
        f"{OVERALL_RATE}/s per bot and {CHAT_RATE}/s per chat, scenario {args.scenario}"
        + (f" [EXPERIMENT: bot env {EXTRA_BOT_ENV}]" if EXTRA_BOT_ENV else ""),
        flush=True,
    )
    archive = workdir / f"archive-{args.articles}.sqlite3"
    if args.rebuild or not archive.exists():
        print(f"building the {args.articles:,}-article archive ...", flush=True)
        await build_archive(args.articles, archive)
    names = ("compose", "broadcast", "kill", "term") if args.scenario == "all" else (args.scenario,)
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        print(f"\n== {name} ==", flush=True)
        t0 = time.perf_counter()
        if name == "compose":
            results[name] = await scenario_compose(archive, args, workdir)
        else:
            results[name] = await scenario(name, archive, args, workdir)
        print(f"  {name} took {time.perf_counter() - t0:.0f} s", flush=True)
    report(results, args)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--subscribers", type=int, default=10_000)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true", help="1000 subscribers, 10k articles")
    ap.add_argument(
        "--scenario",
        choices=("all", "broadcast", "kill", "term", "compose", "kill-inflight"),
        default="all",
        help="all = compose, broadcast, kill, term (kill-inflight only when asked for)",
    )
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/katasiapa-bench-digest"))
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached archive")
    ap.add_argument(
        "--bot-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="experiment: extra environment for the bot, e.g. KATASIAPA_DIGEST_WORKERS=16",
    )
    args = ap.parse_args()
    EXTRA_BOT_ENV.update(item.split("=", 1) for item in args.bot_env)
    if args.quick:
        args.subscribers, args.articles = 1000, 10_000
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
