"""Matching robustness and speed at 10k / 100k / 1M synthetic articles (issue 3, floor 1).

    .venv/bin/python benchmarks/bench_matching.py [--sizes 10000,100000,1000000]
        [--per-variant 150] [--workdir /tmp/katasiapa-bench-matching] [--rebuild]

Archives are synthetic: a 200k-word vocabulary with Zipfian frequencies, sentences drawn
from a shared pool (so articles share whole sentences, like wire copy and boilerplate do),
plus two unique attributed quotes per article stored as claims. They are bulk-loaded
through ``tests.helpers.archive.bulk_index`` (the same rows and FTS entries the store writes; the
analyzer is not run) and cached in the work directory.

Queries are modified copies of stored articles — first 40%, sentences shuffled, headline
replaced, 10% of words replaced, unrelated commentary added — and of stored quotes —
exact (with "siapa yang bilang …"), a 60% fragment, 15% of words changed — plus texts that
are not in the archive at all. Each query runs what ``katasiapa ask`` runs (parse, match,
result cards), in a fresh process per size so the RSS figure is that of serving queries.
A naive linear rapidfuzz scan (``process.extractOne`` over every text) is timed at 10k and
100k for the speed-up ratio.

Floors: Recall@1 >= 0.99 for every variant at every size; latency at 100k p50 <= 10 ms,
p95 <= 25 ms; at 1M p50 <= 40 ms, p95 <= 100 ms; RSS <= 1 GB at 1M.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz, process  # noqa: E402

from bot.core.errors import InputError  # noqa: E402
from bot.core.textnorm import normalize_for_match  # noqa: E402
from bot.lookup.matching import MatchConfig, match, parse_query  # noqa: E402
from storage.articles import SqliteArticleStore  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.search import SqliteMatchIndex  # noqa: E402
from tests.helpers.archive import BulkArticle, BulkClaim, bulk_index  # noqa: E402

VOCAB_SIZE = 200_000
SEED = 20261126
ARTICLE_VARIANTS = ("trunc40", "shuffled", "headline", "words10", "commentary")
QUOTE_VARIANTS = ("quote_exact", "quote_frag60", "quote_words15")

_CONS = "bcdfghjklmnprstwyz"
_VOW = "aeiou"


class Language:
    """A synthetic language: Zipfian word draws and sentences."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        words: dict[str, None] = {}
        while len(words) < VOCAB_SIZE:
            n = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))
            w = "".join(rng.choice(_CONS) + rng.choice(_VOW) for _ in range(n))
            if rng.random() < 0.3:
                w += rng.choice(_CONS)
            words[w] = None
        # Frequent words are short, as in real languages.
        self.words = sorted(words, key=lambda w: (len(w), w))
        rng.shuffle(self.words[:2000])
        cum = list(itertools.accumulate(1.0 / (r + 2.7) ** 1.05 for r in range(VOCAB_SIZE)))
        self._cum = cum
        self._total = cum[-1]
        self.rng = random.Random(seed + 1)

    def word(self) -> str:
        return self.words[bisect.bisect(self._cum, self.rng.random() * self._total)]

    def draw(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self._cum, k=k)

    def sentence(self, lo: int = 9, hi: int = 20) -> str:
        ws = self.draw(self.rng.randint(lo, hi))
        return ws[0].capitalize() + " " + " ".join(ws[1:]) + "."

    def name(self) -> str:
        pick = self.rng.randrange
        return " ".join(self.words[pick(20_000, VOCAB_SIZE)].capitalize() for _ in range(2))


def generate(n: int) -> Iterator[BulkArticle]:
    """``n`` synthetic news articles, deterministic for a given n."""
    lang = Language(SEED)
    rng = lang.rng
    pool = [lang.sentence() for _ in range(max(20_000, n * 3 // 2))]
    outlets = [f"{lang.word()}news.id" for _ in range(40)]
    speakers = [
        (lang.name(), rng.choice(("menteri", "juru bicara", "analis"))) for _ in range(5000)
    ]
    for i in range(n):
        body = [rng.choice(pool) for _ in range(rng.randint(10, 18))]
        text_parts: list[str] = []
        claims: list[BulkClaim] = []
        quote_at = sorted(rng.sample(range(len(body) + 2), 2))
        offset = 0
        q = 0
        for j in range(len(body) + 2):
            if q < 2 and j == quote_at[q]:
                who, role = rng.choice(speakers)
                content = lang.sentence(10, 22).rstrip(".")
                sent = f'"{content}," kata {who}, {role}.'
                start = offset + 1
                claims.append(
                    BulkClaim(content, start, start + len(content), who, "person", role, True)
                )
                q += 1
            else:
                sent = body[j - q]
            text_parts.append(sent)
            offset += len(sent) + 1
        text = " ".join(text_parts)
        day = 1 + i % 28
        yield BulkArticle(
            text=text,
            title=lang.sentence(6, 11).rstrip("."),
            external_id=f"syn-{i}",
            outlet=outlets[i % len(outlets)],
            published_at=f"2025-{1 + (i // 28) % 12:02d}-{day:02d}T08:00:00+07:00",
            language="id",
            claims=claims,
        )


async def build(n: int, path: Path) -> None:
    t0 = time.perf_counter()
    db = await Database.open(path, cache_size_kib=262144)
    try:
        added = sum(r.status == "added" for r in await bulk_index(db, generate(n)))
        await SqliteArticleStore(db).optimize_search()  # what an operator runs after a bulk import
    finally:
        await db.close()
    print(f"  built {added:,} articles in {time.perf_counter() - t0:.0f} s -> {path}", flush=True)


async def _optimize(path: Path) -> None:
    t0 = time.perf_counter()
    db = await Database.open(path)
    try:
        await SqliteArticleStore(db).optimize_search()
    finally:
        await db.close()
    print(f"  optimized {path} in {time.perf_counter() - t0:.0f} s", flush=True)


# -- queries --------------------------------------------------------------------------------


def _replace_words(rng: random.Random, lang: Language, text: str, share: float) -> str:
    ws = text.split()
    for i in rng.sample(range(len(ws)), max(1, round(share * len(ws)))):
        ws[i] = lang.word()
    return " ".join(ws)


def make_queries(
    rows: list[tuple[int, str, str, list[tuple[int, str]]]], per_variant: int
) -> list[tuple[str, str, int]]:
    """(variant, text, expected article id)."""
    lang = Language(SEED + 7)  # other draws than the archive
    rng = random.Random(SEED + 99)
    out: list[tuple[str, str, int]] = []
    for k, (aid, title, text, claims) in enumerate(rows):
        variant = ARTICLE_VARIANTS[k % len(ARTICLE_VARIANTS)]
        full = f"{title}\n\n{text}"
        if variant == "trunc40":
            q = full[: int(len(full) * 0.4)].rsplit(" ", 1)[0]
        elif variant == "shuffled":
            sents = text.split(". ")
            rng.shuffle(sents)
            q = ". ".join(sents)
        elif variant == "headline":
            q = f"{lang.sentence(6, 11)}\n\n{text}"
        elif variant == "words10":
            q = _replace_words(rng, lang, full, 0.10)
        else:
            comment = " ".join(lang.sentence() for _ in range(4))
            q = f"{comment}\n\n{full}" if rng.random() < 0.5 else f"{full}\n\n{comment}"
            q += " 🙏🔥 #viral @kanal https://t.me/kanal/123"
        out.append((variant, q, aid))
        qvariant = QUOTE_VARIANTS[k % len(QUOTE_VARIANTS)]
        _, claim = claims[k % len(claims)]
        if qvariant == "quote_exact":
            q = f"siapa yang bilang “{claim}”?"
        elif qvariant == "quote_frag60":
            ws = claim.split()
            n = max(3, round(0.6 * len(ws)))
            start = rng.randint(0, len(ws) - n)
            q = " ".join(ws[start : start + n])
        else:
            q = _replace_words(rng, lang, claim, 0.15)
        out.append((qvariant, q, aid))
    counts: dict[str, int] = defaultdict(int)
    kept = []
    for v, q, a in out:
        if counts[v] < per_variant:
            counts[v] += 1
            kept.append((v, q, a))
    for _ in range(per_variant):  # not in the archive: expected outcome "none"
        kept.append(("absent", " ".join(lang.sentence() for _ in range(8)), 0))
    return kept


async def fetch_rows(
    db: Database, ids: list[int]
) -> list[tuple[int, str, str, list[tuple[int, str]]]]:
    """Targets for the queries, read back from the archive (benchmark-only reads)."""
    from storage.articles import SqliteArticleStore

    store = SqliteArticleStore(db)
    rows = []
    for i in ids:
        article = await store.get(i)
        if article is None:
            continue
        claims = [(c.id, c.text) for c in article.claims]
        rows.append((article.id, article.title or "", article.text, claims))
    return rows


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def run_size(
    n: int, path: Path, per_variant: int, naive: bool, size_gib: float
) -> dict[str, object]:
    db = await Database.open(path, read_only=True)
    index = SqliteMatchIndex(db)
    config = MatchConfig()
    rng = random.Random(SEED + n)
    need = per_variant * len(ARTICLE_VARIANTS) + 10
    ids = rng.sample(range(1, n + 1), min(n, need))
    rows = await fetch_rows(db, ids)
    queries = make_queries(rows, per_variant)
    # Warm-up: the OS page cache and SQLite's cache, as in a running bot.
    for _, q, _ in queries[:20]:
        await match(index, parse_query(q, config), config)
    hits: dict[str, list[int]] = defaultdict(list)
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    lat: dict[str, list[float]] = defaultdict(list)
    all_lat: list[float] = []
    for variant, q, aid in queries:
        t0 = time.perf_counter()
        try:
            found = await match(index, parse_query(q, config), config)
        except InputError as exc:
            print(f"  query refused ({variant}): {exc}")
            continue
        dt = (time.perf_counter() - t0) * 1000
        lat[variant].append(dt)
        all_lat.append(dt)
        outcomes[variant][found.outcome] += 1
        top = found.hits[0].article_id if found.hits else None
        hits[variant].append(int(top == aid) if variant != "absent" else int(top is None))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n== {n:,} articles ({size_gib:.2f} GiB file) ==")
    print(f"{'variant':15} {'n':>4} {'R@1':>6} {'p50 ms':>7} {'p95 ms':>7}  outcomes")
    for variant in (*ARTICLE_VARIANTS, *QUOTE_VARIANTS, "absent"):
        h = hits[variant]
        label = "R@1" if variant != "absent" else "none"
        oc = ", ".join(f"{k} {v}" for k, v in sorted(outcomes[variant].items()))
        print(
            f"{variant:15} {len(h):4d} {sum(h) / max(1, len(h)):6.3f} "
            f"{statistics.median(lat[variant]):7.1f} {pct(lat[variant], 0.95):7.1f}  {oc}"
            + ("  (share answered 'none')" if label == "none" else "")
        )
    p50, p95 = statistics.median(all_lat), pct(all_lat, 0.95)
    print(f"all queries: {len(all_lat)}  p50 {p50:.1f} ms  p95 {p95:.1f} ms  max RSS {rss:.0f} MiB")
    result: dict[str, object] = {
        "n": n,
        "p50": p50,
        "p95": p95,
        "rss_mib": rss,
        "recall": {v: sum(h) / max(1, len(h)) for v, h in hits.items()},
    }
    if naive:
        result.update(await naive_scan(db, queries, p50))
    await db.close()
    return result


async def naive_scan(
    db: Database, queries: list[tuple[str, str, int]], indexed_p50: float
) -> dict[str, object]:
    """The baseline: rapidfuzz extractOne over every stored text, no index."""
    rows = await db.fetchall("SELECT id, coalesce(title, '') || ' ' || text FROM articles")
    ids = [int(r[0]) for r in rows]
    texts = [normalize_for_match(r[1]) for r in rows]
    del rows
    sample = [q for q in queries if q[0] in ARTICLE_VARIANTS][:: max(1, len(ids) // 10_000)][:10]
    times, ok = [], 0
    for _, q, aid in sample:
        t0 = time.perf_counter()
        best = process.extractOne(
            normalize_for_match(q), texts, scorer=fuzz.token_set_ratio, processor=None
        )
        times.append((time.perf_counter() - t0) * 1000)
        ok += best is not None and ids[best[2]] == aid
    med = statistics.median(times)
    print(
        f"naive linear scan (process.extractOne, token_set_ratio, {len(texts):,} texts): "
        f"{len(sample)} queries, median {med:.0f} ms/query, R@1 {ok / len(sample):.2f}; "
        f"indexed p50 {indexed_p50:.1f} ms -> speed-up x{med / indexed_p50:.0f}"
    )
    return {"naive_ms": med, "speedup": med / indexed_p50}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--per-variant", type=int, default=150)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/katasiapa-bench-matching"))
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--build-only", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--query-only", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--optimize-only", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.build_only:
        asyncio.run(build(args.build_only, args.workdir / f"synthetic-{args.build_only}.sqlite3"))
        return
    if args.optimize_only:  # an archive built before build() optimized
        asyncio.run(_optimize(args.workdir / f"synthetic-{args.optimize_only}.sqlite3"))
        return
    if args.query_only:
        n = args.query_only
        path = args.workdir / f"synthetic-{n}.sqlite3"
        size_gib = os.path.getsize(path) / 2**30
        out = asyncio.run(run_size(n, path, args.per_variant, n <= 100_000, size_gib))
        print("RESULT " + json.dumps(out))
        return
    me = [sys.executable, str(Path(__file__).resolve())]
    common = ["--workdir", str(args.workdir), "--per-variant", str(args.per_variant)]
    for n in (int(s) for s in args.sizes.split(",")):
        path = args.workdir / f"synthetic-{n}.sqlite3"
        if args.rebuild or not path.exists():
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            print(f"building {n:,} articles ...", flush=True)
            subprocess.run([*me, "--build-only", str(n), *common], check=True)
        # A fresh process per size: its RSS is that of answering queries at that size.
        subprocess.run([*me, "--query-only", str(n), *common], check=True)


if __name__ == "__main__":
    main()
