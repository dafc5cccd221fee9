"""Bulk write speed of the storage layer alone (no analysis): N news-length articles with
10 claims each, stored in batches of 500 into a fresh SQLite file.

    .venv/bin/python benchmarks/bench_storage.py [--n 10000]

Target: 10k articles in < 10 s, so that storage is a small share of issue 2's ingest floor
(10,000 articles in < 60 s including analysis; see bench_ingest.py).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.models import Analysis, ArticleInput, Claim, IngestStatus, Speaker
from bot.core.textnorm import content_hash
from storage.articles import SqliteArticleStore
from storage.db import Database
from tests.helpers.archive import search

BATCH = 500
PEOPLE = [f"Tokoh Nomor {n}" for n in range(400)] + ["Sri Mulyani", "Joko Widodo"]
CUES = ["kata", "ujar", "said", "menurut", "told reporters"]


def fake_corpus(n: int, seed: int = 11) -> list[tuple[ArticleInput, Analysis, str]]:
    """~3 KB articles from a Zipf-like 20k-word vocabulary, 10 claims each, 7 attributed."""
    rng = random.Random(seed)
    vocab = [f"kata{i}{'aeiou'[i % 5]}" for i in range(20_000)]
    cum_weights = list(itertools.accumulate(1 / (i + 1) for i in range(len(vocab))))
    corpus = []
    for i in range(n):
        sentences = []
        for _ in range(40):
            words = rng.choices(vocab, cum_weights=cum_weights, k=11)
            sentences.append(" ".join(words).capitalize() + ".")
        text = f"Berita {i}: " + " ".join(sentences)
        claims = []
        step = len(text) // 10
        for k in range(10):
            start = k * step
            end = start + min(150, step)
            speaker = None
            if k % 3:
                speaker = Speaker(
                    name=rng.choice(PEOPLE), kind="person", role=rng.choice(["Menteri", None])
                )
            claims.append(
                Claim(
                    text=text[start:end],
                    start=start,
                    end=end,
                    speaker=speaker,
                    cue=rng.choice(CUES) if speaker else None,
                    via=["Antara"] if k == 4 else [],
                    stance="claims",
                    key=k < 2,
                    score=rng.random(),
                )
            )
        item = ArticleInput(text=text, title=f"Judul berita {i}", external_id=f"bench-{i}")
        corpus.append((item, Analysis(language="id", claims=claims), f"bench:{i}"))
    return corpus


async def run(n: int, tmp_path: Path) -> None:
    corpus = fake_corpus(n)
    started = time.perf_counter()
    for item, _, _ in corpus:
        content_hash(item.text)
    hashing = time.perf_counter() - started

    db = await Database.open(tmp_path / "bench.sqlite3")
    try:
        store = SqliteArticleStore(db)
        started, cpu_started = time.perf_counter(), time.process_time()
        statuses: list[IngestStatus] = []
        for offset in range(0, n, BATCH):
            results = await store.add_many(corpus[offset : offset + BATCH])
            statuses.extend(r.status for r in results)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started

        started = time.perf_counter()
        hits = await search(db, "kata1e kata2i Sri Mulyani")
        search_s = time.perf_counter() - started
        stats = await store.stats()
    finally:
        await db.close()

    size_mb = (tmp_path / "bench.sqlite3").stat().st_size / 1e6
    print(
        f"\nstorage bulk ingest: {n} articles, {stats.claims} claims in {elapsed:.2f} s "
        f"({elapsed / n * 1000:.2f} ms/article; CPU {cpu:.2f} s in all threads; "
        f"content_hash alone takes {hashing:.2f} s); "
        f"search {search_s * 1000:.1f} ms; file {size_mb:.0f} MB"
    )
    ok = statuses == [IngestStatus.ADDED] * n and stats.articles == n and bool(hits)
    print("all stored and searchable" if ok else "ERROR: not every article was stored")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args.n, Path(tmp)))


if __name__ == "__main__":
    main()
