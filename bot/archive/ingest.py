"""Use cases shared by the CLI and the bot: analyze, ingest, load the sample archive."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bot.analysis import analyze
from bot.archive.files import Record, Rejected, read_paths
from bot.core.errors import InputError
from bot.core.models import Analysis, ArticleInput, IngestResult, IngestStatus, Provenance
from bot.core.textnorm import content_hash
from bot.core.workers import worker_pool
from storage.protocols import ArticleStore

SAMPLE_ARCHIVE = Path(__file__).parent.parent / "sample" / "articles.jsonl"
INGEST_BATCH = 250


def analyze_article(item: ArticleInput) -> tuple[ArticleInput, Analysis]:
    """Analyze one article and fill in the language and headline the analyzer found."""
    analysis = analyze(item.text, title=item.title, language=item.language or "auto")
    updated = item.model_copy(
        update={"language": analysis.language, "title": item.title or analysis.title}
    )
    return updated, analysis


def _analyze_record(record: Record) -> tuple[ArticleInput, Analysis] | str:
    """Analysis or the user-facing reason it failed (picklable, so it can run in a worker)."""
    try:
        return analyze_article(record.article)
    except InputError as exc:
        return exc.user_message()


def _map_in_pool(
    pool: ProcessPoolExecutor, records: list[Record], workers: int
) -> list[tuple[ArticleInput, Analysis] | str]:
    chunksize = max(1, len(records) // (workers * 4))
    return list(pool.map(_analyze_record, records, chunksize=chunksize))


def _chunks(entries: Iterable[Record | Rejected], size: int) -> Iterator[list[Record | Rejected]]:
    chunk: list[Record | Rejected] = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def ingest(
    store: ArticleStore,
    entries: Iterable[Record | Rejected],
    *,
    batch_size: int | None = None,
    workers: int | None = None,
) -> AsyncIterator[IngestResult]:
    """Analyze and store records in batches, yielding one result per record in input order.

    Each batch is one transaction, so a failure midway keeps every earlier batch and a re-run
    skips what is already stored (ingest is idempotent on normalized content). Analysis is
    CPU-bound, so large imports spread it over worker processes (default: one per core);
    small ones stay in-process to avoid the pool's start-up cost.
    """
    batch_size = batch_size or INGEST_BATCH
    workers = workers if workers is not None else (os.cpu_count() or 1)
    loop = asyncio.get_running_loop()
    pool: ProcessPoolExecutor | None = None
    try:
        for chunk in _chunks(entries, batch_size):
            # Re-running an import must be cheap: articles already stored are not re-analyzed.
            hashes = {id(e): content_hash(e.article.text) for e in chunk if isinstance(e, Record)}
            known = await store.ids_by_content_hash(list(set(hashes.values())))
            records = [e for e in chunk if isinstance(e, Record) and hashes[id(e)] not in known]
            if pool is None and workers > 1 and len(records) >= batch_size // 2:
                pool = worker_pool(workers)
            if pool is not None and records:
                analyses = await loop.run_in_executor(None, _map_in_pool, pool, records, workers)
            else:
                analyses = [_analyze_record(r) for r in records]
            by_record = dict(zip(map(id, records), analyses, strict=True))
            to_store = [
                (*outcome, r.source)
                for r in records
                if not isinstance(outcome := by_record[id(r)], str)
            ]
            stored = iter(await store.add_many(to_store) if to_store else [])
            for entry in chunk:
                if isinstance(entry, Rejected):
                    yield _rejected(entry.source, entry.external_id, entry.reason)
                elif (article_id := known.get(hashes[id(entry)])) is not None:
                    yield IngestResult(
                        status=IngestStatus.PRESENT,
                        source=entry.source,
                        article_id=article_id,
                        external_id=entry.article.external_id,
                    )
                elif isinstance(outcome := by_record[id(entry)], str):
                    yield _rejected(entry.source, entry.article.external_id, outcome)
                else:
                    yield next(stored)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _rejected(source: str, external_id: str | None, reason: str) -> IngestResult:
    return IngestResult(
        status=IngestStatus.REJECTED, source=source, external_id=external_id, reason=reason
    )


async def load_sample_if_empty(store: ArticleStore) -> int:
    """Import the bundled sample archive into an empty database; returns how many were added.

    A new user should get real answers at once, but an archive someone already filled is
    never touched.
    """
    if await store.count() > 0 or not SAMPLE_ARCHIVE.exists():
        return 0
    added = 0
    async for result in ingest(store, read_paths([SAMPLE_ARCHIVE], provenance=Provenance.SAMPLE)):
        added += result.status is IngestStatus.ADDED
    return added
