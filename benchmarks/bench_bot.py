"""The bot's answer latency end to end, with a large archive (issue 4, floor: p50 <= 150 ms).

    .venv/bin/python benchmarks/bench_bot.py [--articles 100000 | --quick] [--n 200]
        [--users 50] [--workdir /tmp/katasiapa-bench-bot] [--rebuild]

The archive is synthetic (the generator and ``tests.helpers.archive.bulk_index`` of
``bench_matching.py``; built once and cached in the work directory, then copied so the bot's
writes never touch the cache). The real bot process (``python -m bot run``,
``KATASIAPA_LOAD_SAMPLE=false``) long-polls the strict Bot API stand-in, which runs in this
process; every figure is measured on the stand-in's clock, from the moment an update is
queued (``add_update``) to the moment the bot's answer (``sendMessage``) arrives:

(a) sequential: N forwarded, modified copies of stored articles (first 40%, shuffled
    sentences, another headline, 10% of words changed, unrelated commentary added), one at a
    time, each from its own user; p50 / p95 / max, and whether the card names the article;
(b) concurrent: U distinct users each send 1-3 messages (article copies and "who said"
    quotes) at the same moment; every message must be answered (none dropped).

Also printed: how fast a parked getUpdates long poll is woken when an update is queued (it
must be at once, or every latency above would include the poll interval), the machine and
the archive size. Figures only; this is not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import shutil
import signal
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_matching import (  # noqa: E402
    ARTICLE_VARIANTS,
    QUOTE_VARIANTS,
    SEED,
    build,
    fetch_rows,
    make_queries,
)
from storage.db import Database  # noqa: E402
from tests.helpers.botapi_rules import MAX_MESSAGE_LENGTH  # noqa: E402
from tests.helpers.botapi_standin import BotApiStandIn, Call  # noqa: E402
from tests.helpers.botprocess import BotProcess, clean_env, spawn  # noqa: E402

FLOOR_P50_MS = 150.0
START_TIMEOUT = 600.0  # opening (and, after a schema change, migrating) a large archive
REPLY_TIMEOUT = 60.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def describe(values: list[float]) -> str:
    if not values:
        return "no values"
    return (
        f"p50 {statistics.median(values):.0f} ms  p95 {pct(values, 0.95):.0f} ms  "
        f"max {max(values):.0f} ms  (n={len(values)})"
    )


def machine_info() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.system()} {platform.release()}; {cpu}; {os.cpu_count()} CPUs; RAM {mem}; "
        f"Python {platform.python_version()}; load average {load} (shared machine)"
    )


def peak_rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _unlink_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def prepare_archive(n: int, workdir: Path, rebuild: bool) -> Path:
    """The cached synthetic archive of ``n`` articles, built if missing; returns its path."""
    cached = workdir / f"synthetic-{n}.sqlite3"
    if rebuild or not cached.exists():
        _unlink_db(cached)
        print(f"building {n:,} synthetic articles (cached for the next run) ...", flush=True)
        asyncio.run(build(n, cached))
    return cached


async def pick_queries(
    archive: Path, n_articles: int, count: int
) -> tuple[list[tuple[str, str, int]], list[str]]:
    """Modified copies of stored articles as (variant, text, expected article id), and
    "who said" questions about stored quotes (exact, a fragment, words changed)."""
    db = await Database.open(archive)
    try:
        rng = random.Random(SEED + 4)
        ids = rng.sample(range(1, n_articles + 1), min(n_articles, count + 20))
        rows = await fetch_rows(db, ids)
    finally:
        await db.close()
    per_variant = -(-count // len(ARTICLE_VARIANTS)) + 2
    made = make_queries(rows, per_variant)
    queries = [q for q in made if q[0] in ARTICLE_VARIANTS]
    quotes = [t for v, t, _ in made if v in QUOTE_VARIANTS]
    rng.shuffle(queries)
    rng.shuffle(quotes)
    # A user cannot send more than one Telegram message holds.
    return [(v, t[:MAX_MESSAGE_LENGTH], a) for v, t, a in queries[:count]], quotes


def outcome(standin: BotApiStandIn, call: Call, expected: int) -> str:
    data = [d for _, d in standin.buttons(call)]
    text = call.text or ""
    if text.startswith("Not in the archive yet"):
        return "stored as new"
    if f"all:{expected}" in data:
        return "card of the right article"
    if f"open:{expected}" in data:
        return "right article among candidates"
    if any(d.startswith("all:") for d in data):
        return "card of another article"
    return "other: " + text[:40]


def card_for(user: int) -> Callable[[Call], bool]:
    """The bot's answer with buttons (a card or the candidates) in ``user``'s chat."""

    def match(call: Call) -> bool:
        return call.method == "sendMessage" and call.chat_id == user and "reply_markup" in (
            call.params
        )

    return match


def wake_delay_ms(standin: BotApiStandIn, added: float) -> float | None:
    """How long a queued update waited for a getUpdates to return it."""
    returns = [
        c.done_at for c in standin.calls if c.method == "getUpdates" and c.done_at >= added
    ]  # fmt: skip
    return (min(returns) - added) * 1000 if returns else None


async def sequential(
    standin: BotApiStandIn, queries: list[tuple[str, str, int]], first_user: int
) -> None:
    latencies: list[float] = []
    wakes: list[float] = []
    outcomes: dict[str, int] = defaultdict(int)
    by_variant: dict[str, list[float]] = defaultdict(list)
    for i, (variant, text, expected) in enumerate(queries):
        user = first_user + i
        update = standin.add_forward(text, user_id=user)
        added = standin.update_added_at[update["update_id"]]
        reply = await standin.wait_for_sent(card_for(user), timeout=REPLY_TIMEOUT)
        ms = (reply.at - added) * 1000
        latencies.append(ms)
        by_variant[variant].append(ms)
        outcomes[outcome(standin, reply, expected)] += 1
        wake = wake_delay_ms(standin, added)
        if wake is not None:
            wakes.append(wake)
    print(f"\n(a) sequential, {len(queries)} forwarded modified copies of stored articles")
    print(f"    latency add_update -> sendMessage: {describe(latencies)}")
    for variant in ARTICLE_VARIANTS:
        if by_variant[variant]:
            print(f"      {variant:11} {describe(by_variant[variant])}")
    print("    answers: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    if wakes:
        print(f"    long poll woken after: p50 {statistics.median(wakes):.1f} ms, "
              f"max {max(wakes):.1f} ms (getUpdates returns as soon as an update is queued)")
    verdict = "met" if statistics.median(latencies) <= FLOOR_P50_MS else "NOT MET"
    print(f"    floor p50 <= {FLOOR_P50_MS:.0f} ms: {verdict}")


async def concurrent(
    standin: BotApiStandIn,
    articles: list[tuple[str, str, int]],
    quotes: list[str],
    users: int,
    first_user: int,
) -> None:
    rng = random.Random(SEED + 5)
    plan: dict[int, list[str]] = {}
    pool_a, pool_q = list(articles), list(quotes)
    kinds: dict[str, int] = defaultdict(int)
    for k in range(users):
        msgs = []
        for _ in range(rng.randint(1, 3)):
            if pool_q and rng.random() < 0.3:
                msgs.append(pool_q.pop())
                kinds["quotes"] += 1
            else:
                msgs.append(pool_a.pop()[1])
                kinds["article copies"] += 1
        plan[first_user + k] = msgs
    total = sum(len(m) for m in plan.values())
    sent_at: dict[int, list[float]] = defaultdict(list)
    started = time.monotonic()
    # Interleave: every user's first message, then every second message, ...
    for round_ in range(3):
        for user, msgs in plan.items():
            if round_ < len(msgs):
                update = standin.add_text_message(msgs[round_], user_id=user)
                sent_at[user].append(standin.update_added_at[update["update_id"]])

    def answers(user: int) -> list[Call]:
        return [c for c in standin.sent_messages(user) if c.at >= started]

    with contextlib.suppress(TimeoutError):  # a dropped message is counted below
        await standin.wait_for_sent_count(
            lambda c: c.method == "sendMessage" and c.chat_id in plan and c.at >= started,
            total,
            timeout=REPLY_TIMEOUT,
        )
    wall = time.monotonic() - started
    latencies: list[float] = []
    answered = dropped = 0
    for user, times in sent_at.items():
        got = sorted(c.at for c in answers(user))
        answered += min(len(got), len(times))
        dropped += max(0, len(times) - len(got))
        # Pair the k-th message of a user with the k-th answer (a user's messages may be
        # answered out of order; the pairing still bounds each wait).
        latencies += [(a - s) * 1000 for s, a in zip(sorted(times), got, strict=False)]
    apologies = sum(
        1 for u in plan for c in answers(u) if (c.text or "").startswith("Sorry")
    )  # fmt: skip
    mix = ", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))
    print(f"\n(b) concurrent: {users} users, {total} messages sent at once ({mix})")
    print(f"    answered {answered}, dropped {dropped}, error apologies {apologies}; "
          f"all answered after {wall:.1f} s ({total / wall:.0f} messages/s)")
    print(f"    latency add_update -> sendMessage: {describe(latencies)}")


async def run(
    args: argparse.Namespace,
    live_db: Path,
    queries: list[tuple[str, str, int]],
    quotes: list[str],
) -> int:
    workdir: Path = args.workdir
    standin = BotApiStandIn(user_limits=True)
    await standin.start()
    env = clean_env(
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        KATASIAPA_DB=str(live_db),
        KATASIAPA_LOAD_SAMPLE="false",
    )
    bot: BotProcess = await spawn(workdir, env, "run")
    try:
        t1 = time.perf_counter()
        try:
            await standin.wait_for_polling(timeout=START_TIMEOUT)
        except TimeoutError:
            print(bot.output()[-4000:], file=sys.stderr)
            return 1
        print(f"bot started and polling after {time.perf_counter() - t1:.1f} s")
        warm, seq, rest = queries[:5], queries[5 : 5 + args.n], queries[5 + args.n :]
        for i, (_, text, _) in enumerate(warm):  # first queries pay for cold caches
            standin.add_forward(text, user_id=900_000 + i)
            await standin.wait_for_sent(card_for(900_000 + i), timeout=REPLY_TIMEOUT)
        await sequential(standin, seq, first_user=100_000)
        await concurrent(standin, rest, quotes, args.users, first_user=200_000)
        rss = peak_rss_mib(bot.proc.pid)
        if rss is not None:
            print(f"\nbot process peak RSS: {rss:.0f} MiB")
        code = await bot.stop(signal.SIGTERM)
        print(f"bot stopped with SIGTERM: exit code {code}")
        errors = [c for c in standin.calls if not c.ok]
        print(f"Bot API calls rejected by the stand-in: {len(errors)}")
        for call in errors[:5]:
            print(f"    {call.method}: {call.error and call.error['description']}")
        return 0
    finally:
        await bot.kill()
        await standin.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--articles", type=int, default=100_000, help="archive size (100000)")
    ap.add_argument("--quick", action="store_true", help="10,000 articles, for a fast check")
    ap.add_argument("--n", type=int, default=200, help="sequential forwards (200)")
    ap.add_argument("--users", type=int, default=50, help="concurrent users (50)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/katasiapa-bench-bot"))
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached archive")
    args = ap.parse_args()
    if args.quick:
        args.articles = 10_000
    workdir: Path = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    print("machine:", machine_info())
    t0 = time.perf_counter()
    cached = prepare_archive(args.articles, workdir, args.rebuild)
    count = args.n + 3 * args.users + 10
    queries, quotes = asyncio.run(pick_queries(cached, args.articles, count))
    live_db = workdir / f"run-{args.articles}.sqlite3"
    _unlink_db(live_db)
    shutil.copyfile(cached, live_db)  # the bot writes users and lookups; keep the cache clean
    size = live_db.stat().st_size / 2**20
    print(f"archive: {args.articles:,} articles, {size:.0f} MiB "
          f"(ready in {time.perf_counter() - t0:.0f} s)", flush=True)
    sys.exit(asyncio.run(run(args, live_db, queries, quotes)))


if __name__ == "__main__":
    main()
