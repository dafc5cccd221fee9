"""Use cases shared by the CLI and the bot: analyze, ingest, load the sample archive."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from bot.analysis import analyze
from bot.errors import InputError
from bot.ingest import Record, Rejected, read_paths
from bot.models import Analysis, ArticleInput, IngestResult, IngestStatus, Provenance
from storage.articles import SqliteArticleStore

SAMPLE_ARCHIVE = Path(__file__).parent / "sample" / "articles.jsonl"
INGEST_BATCH = 250


def analyze_article(item: ArticleInput) -> tuple[ArticleInput, Analysis]:
    """Analyze one article and fill in the language and headline the analyzer found."""
    analysis = analyze(item.text, title=item.title, language=item.language or "auto")
    updated = item.model_copy(
        update={"language": analysis.language, "title": item.title or analysis.title}
    )
    return updated, analysis


async def ingest(
    store: SqliteArticleStore,
    entries: Iterable[Record | Rejected],
    *,
    batch_size: int = INGEST_BATCH,
) -> AsyncIterator[IngestResult]:
    """Analyze and store records in batches, yielding one result per record in input order.

    Each batch is one transaction, so a failure midway keeps every earlier batch and a re-run
    skips what is already stored (ingest is idempotent on normalized content).
    """
    batch: list[tuple[ArticleInput, Analysis, str]] = []
    for entry in entries:
        rejected: IngestResult | None = None
        if isinstance(entry, Rejected):
            rejected = _rejected(entry.source, entry.external_id, entry.reason)
        else:
            try:
                batch.append((*analyze_article(entry.article), entry.source))
            except InputError as exc:
                rejected = _rejected(entry.source, entry.article.external_id, exc.user_message())
        # A rejection flushes the batch first so results keep the input order.
        if batch and (rejected is not None or len(batch) >= batch_size):
            for result in await store.add_many(batch):
                yield result
            batch = []
        if rejected is not None:
            yield rejected
    if batch:
        for result in await store.add_many(batch):
            yield result


def _rejected(source: str, external_id: str | None, reason: str) -> IngestResult:
    return IngestResult(
        status=IngestStatus.REJECTED, source=source, external_id=external_id, reason=reason
    )


async def load_sample_if_empty(store: SqliteArticleStore) -> int:
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
