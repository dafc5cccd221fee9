"""Ingest throughput: N news articles analyzed and stored in a fresh SQLite archive.

Floor (issue 2): 10,000 articles in under 60 s including analysis, on this 2-core machine.

    .venv/bin/python benchmarks/bench_ingest.py [--n 10000] [--workers N]

Articles come from the evaluation corpora (IndoSum dev folds, Indonesian; BBC News, English)
read from ../shared/eval at run time (research-use licence: nothing is copied into the repo).
When N exceeds the corpus, articles repeat with a distinguishing sentence appended so every
one is new to the archive, as a real import would be.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.archive.files import Record  # noqa: E402
from bot.archive.ingest import ingest  # noqa: E402
from bot.core.models import ArticleInput, IngestStatus  # noqa: E402
from storage.articles import SqliteArticleStore  # noqa: E402
from storage.db import Database  # noqa: E402

EVAL_DIR = Path(
    os.environ.get("KATASIAPA_EVAL_DIR", Path(__file__).resolve().parents[2] / "shared" / "eval")
)
FLOOR_SECONDS = 60.0


def load_corpus() -> list[tuple[str, str | None, str]]:
    """(language, title, text) of every corpus article."""
    out: list[tuple[str, str | None, str]] = []
    for name, lang in (("indosum_dev_articles.jsonl", "id"), ("bbc_articles.jsonl", "en")):
        path = EVAL_DIR / "corpus" / name
        if not path.exists():
            sys.exit(f"missing {path}: set KATASIAPA_EVAL_DIR to the shared eval folder")
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                out.append((lang, row.get("title"), row["text"]))
    return out


def records(corpus: list[tuple[str, str | None, str]], n: int) -> Iterator[Record]:
    for i in range(n):
        lang, title, text = corpus[i % len(corpus)]
        if i >= len(corpus):
            text = f"{text}\n\nCatatan arsip nomor {i}."
        yield Record(f"corpus:{i}", ArticleInput(text=text, title=title, language=lang))


async def run(n: int, workers: int | None) -> None:
    corpus = load_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.sqlite3")
        store = SqliteArticleStore(db)
        counts = dict.fromkeys(IngestStatus, 0)
        start = time.perf_counter()
        cpu0 = time.process_time()
        async for result in ingest(store, records(corpus, n), workers=workers):
            counts[result.status] += 1
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu0
        stats = await store.stats()
        await db.close()
    chars = sum(len(t) for _, _, t in corpus) / len(corpus)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {n} (mean {chars:,.0f} chars), workers: {workers or os.cpu_count()}")
    print(
        f"added {counts[IngestStatus.ADDED]}, present {counts[IngestStatus.PRESENT]}, "
        f"rejected {counts[IngestStatus.REJECTED]}; stored claims {stats.claims}"
    )
    print(
        f"wall time: {elapsed:.1f} s ({n / elapsed:,.0f} articles/s); main-process CPU {cpu:.1f} s"
    )
    print(f"peak RSS (main process): {rss:,.0f} MB")
    verdict = "PASS" if elapsed < FLOOR_SECONDS * n / 10_000 else "FAIL"
    print(f"floor: 10,000 articles < {FLOOR_SECONDS:.0f} s -> {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=None, help="analysis processes")
    args = parser.parse_args()
    asyncio.run(run(args.n, args.workers))


if __name__ == "__main__":
    main()
