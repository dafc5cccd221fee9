"""Matching on real data (issue 3, floor 2): forwarded text -> stored fact-check / claim.

    .venv/bin/python benchmarks/eval_matching.py [--sets tbh,2a,2b] [--split dev]
        [--baseline] [--eval-dir ../shared/eval]

Data is read at run time from ``../shared/eval/matching`` (research-use licence: nothing is
copied into the repository). Each store is built in memory with
``tests.helpers.archive.bulk_index`` (the store's own write path; identical texts are one
article) — one article per fact-check, its title/claim as the text and the claim stored as
the article's claim (with the PolitiFact speaker for 2B) — and each query runs the bot's own
path: ``parse_query`` (article or quote, by the text) and ``retrieve`` (rare-term FTS5 + the
rapidfuzz rerank). Rankings are cut to distinct articles.

Scores: Recall@1, Recall@5, MAP@5 (AP over the first 5, divided by min(#relevant, 5)), the
latency per query (p50, p95), and for 2B how often the top hit's speaker is the true one.
TurnBackHoax has no train/dev split, so its scores are also printed for odd and even query
ids: tune on one half, confirm on the other (CheckThat!: tune on ``--split train``).
``--baseline`` also scores plain FTS5 BM25 over all query terms (every query word OR-ed
through the same FTS index, ``tests.helpers.archive.search``), the reference the floors were
set against.

Floors: TurnBackHoax R@1 >= 0.80, R@5 >= 0.90; CheckThat! 2021 2A dev MAP@5 >= 0.86;
2B dev MAP@5 >= 0.45.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.errors import InputError  # noqa: E402
from bot.lookup.matching import MatchConfig, parse_query, retrieve  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.search import SqliteMatchIndex  # noqa: E402
from tests.helpers.archive import BulkArticle, BulkClaim, bulk_index, search  # noqa: E402

EVAL_DIR = Path(
    os.environ.get("KATASIAPA_EVAL_DIR", Path(__file__).resolve().parents[2] / "shared" / "eval")
)
csv.field_size_limit(10**8)


@dataclass
class Dataset:
    name: str
    store: list[BulkArticle]
    queries: list[tuple[str, str, set[str]]]  # (query id, text, relevant external ids)
    speakers: dict[str, str] = field(default_factory=dict)  # external id -> speaker
    # No train/dev split: scores are also printed for odd and even query ids (tune on one
    # half, confirm on the other).
    halves: bool = False


def _date(text: str, fmt: str) -> str | None:
    try:
        return datetime.strptime(text.strip(), fmt).date().isoformat()  # noqa: DTZ007
    except ValueError:
        return None


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _as_article(ext: str, text: str, title: str | None, date: str | None, speaker: str | None):
    return BulkArticle(
        text=text,
        title=title,
        external_id=ext,
        published_at=date,
        language="en",
        claims=[BulkClaim(text, 0, len(text), speaker)],
    )


def load_tbh(root: Path) -> Dataset:
    base = root / "turnbackhoax-2024"
    store = [
        _as_article(
            str(r["id"]), str(r["fact_check_title"]), None, _date(str(r["date"]), "%d %b %Y"), None
        )
        for r in _jsonl(base / "factchecks.jsonl")
    ]
    queries = [
        (str(r["id"]), str(r["hoax_text"]), {str(r["id"])})
        for r in _jsonl(base / "queries_jan-jun.jsonl")
        if r.get("usable_pair")
    ]
    return Dataset("TurnBackHoax 2024 Jan-Jun (usable pairs)", store, queries, halves=True)


def _qrels(path: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if len(row) >= 4 and row[3].strip() != "0":
                out.setdefault(row[0], set()).add(row[2])
    return out


def _tsv_queries(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as fh:
        return {
            row[0]: row[1]
            for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            if len(row) >= 2
        }


def load_2a(root: Path, split: str) -> Dataset:
    base = root / "checkthat2021-2a"
    store = [
        _as_article(
            str(r["vclaim_id"]), str(r["vclaim"]), str(r.get("title") or "") or None, None, None
        )
        for r in _jsonl(base / "vclaims_snopes.jsonl")
    ]
    texts = _tsv_queries(base / "tweets-train-dev.tsv")
    qrels = _qrels(base / f"qrels-{split}.tsv")
    queries = [(q, texts[q], rel) for q, rel in qrels.items() if q in texts]
    return Dataset(f"CheckThat! 2021 2A {split} (tweets -> Snopes)", store, queries)


def load_2b(root: Path, split: str) -> Dataset:
    base = root / "checkthat2021-2b"
    rows = list(_jsonl(base / "vclaims_politifact.jsonl"))
    store = [
        _as_article(
            str(r["vclaim_id"]),
            str(r["vclaim"]),
            str(r.get("title") or "") or None,
            None,
            str(r.get("speaker") or "") or None,
        )
        for r in rows
    ]
    speakers = {str(r["vclaim_id"]): str(r.get("speaker") or "") for r in rows}
    texts = _tsv_queries(base / "iclaims-train-dev.queries.tsv")
    qrels = _qrels(base / f"qrels-{split}.tsv")
    queries = [(q, texts[q], rel) for q, rel in qrels.items() if q in texts]
    return Dataset(f"CheckThat! 2021 2B {split} (debates -> PolitiFact)", store, queries, speakers)


def scores(ranked: list[str], relevant: set[str]) -> tuple[float, float, float]:
    """(hit@1, hit@5, AP@5)."""
    top = ranked[:5]
    hits, ap = 0, 0.0
    for k, ext in enumerate(top, 1):
        if ext in relevant:
            hits += 1
            ap += hits / k
    return (
        float(bool(top) and top[0] in relevant),
        float(any(e in relevant for e in top)),
        ap / min(len(relevant), 5),
    )


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


async def evaluate(ds: Dataset, config: MatchConfig, baseline: bool) -> None:
    db = await Database.open(":memory:")
    await bulk_index(db, ds.store)
    ext = {int(r[0]): str(r[1]) for r in await db.fetchall("SELECT id, external_id FROM articles")}
    index = SqliteMatchIndex(db)
    total = [0.0, 0.0, 0.0]
    base = [0.0, 0.0, 0.0]
    kinds: dict[str, int] = {}
    lat: list[float] = []
    speaker_ok = speaker_n = refused = 0
    half: dict[str, list[float]] = {"odd": [0.0, 0.0, 0.0, 0.0], "even": [0.0, 0.0, 0.0, 0.0]}
    for qid, text, relevant in ds.queries:
        t0 = time.perf_counter()
        try:
            query = parse_query(text, config)
            scored = await retrieve(index, query, config)
        except InputError:
            refused += 1
            scored, query = [], None
        lat.append((time.perf_counter() - t0) * 1000)
        if query is not None:
            kinds[query.kind] = kinds.get(query.kind, 0) + 1
        ranked: list[str] = []
        for s in scored:
            e = ext[s.article_id]
            if e not in ranked:
                ranked.append(e)
        for i, v in enumerate(scores(ranked, relevant)):
            total[i] += v
            if ds.halves and qid.isdigit():
                half["odd" if int(qid) % 2 else "even"][i] += v
        if ds.halves and qid.isdigit():
            half["odd" if int(qid) % 2 else "even"][3] += 1
        if ds.speakers:
            truth = {ds.speakers.get(r, "") for r in relevant}
            speaker_n += 1
            speaker_ok += bool(ranked) and ds.speakers.get(ranked[0], "") in truth
        if baseline:
            hits = await search(db, text, limit=5)
            for i, v in enumerate(scores([ext[a] for a, _ in hits], relevant)):
                base[i] += v
    n = len(ds.queries)
    print(f"\n== {ds.name}: {n} queries, {len(ds.store):,} stored items ==")
    print(
        f"matcher : R@1 {total[0] / n:.3f}  R@5 {total[1] / n:.3f}  MAP@5 {total[2] / n:.3f}  "
        f"p50 {statistics.median(lat):.1f} ms  p95 {pct(lat, 0.95):.1f} ms  "
        f"kinds {kinds}  refused {refused}"
    )
    for name, (r1, r5, ap, m) in half.items():
        if m:
            print(f"  {name} ids ({m:.0f}): R@1 {r1 / m:.3f}  R@5 {r5 / m:.3f}  MAP@5 {ap / m:.3f}")
    if ds.speakers:
        print(f"top hit's speaker is the true speaker: {speaker_ok / speaker_n:.3f}")
    if baseline:
        print(
            f"baseline: R@1 {base[0] / n:.3f}  R@5 {base[1] / n:.3f}  MAP@5 {base[2] / n:.3f}"
            "  (plain FTS5 BM25, all query terms, no rerank)"
        )
    await db.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="tbh,2a,2b")
    ap.add_argument("--split", default="dev", choices=("train", "dev"))
    ap.add_argument("--baseline", action="store_true")
    ap.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    args = ap.parse_args()
    root = args.eval_dir / "matching"
    if not root.is_dir():
        sys.exit(f"missing {root}: set KATASIAPA_EVAL_DIR or --eval-dir to the shared eval folder")
    loaders = {
        "tbh": lambda: load_tbh(root),
        "2a": lambda: load_2a(root, args.split),
        "2b": lambda: load_2b(root, args.split),
    }
    config = MatchConfig()
    for name in args.sets.split(","):
        asyncio.run(evaluate(loaders[name](), config, args.baseline))


if __name__ == "__main__":
    main()
