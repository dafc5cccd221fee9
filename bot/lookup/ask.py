"""The "ask" use case: what the bot and ``katasiapa ask`` run for one forwarded text."""

from __future__ import annotations

import asyncio
import dataclasses

from bot.core.errors import InputError
from bot.core.models import Analysis, AskResult
from bot.core.textnorm import normalize_for_match
from bot.lookup.matching import MatchConfig, match, parse_query, quote_similarity
from bot.settings import Settings
from storage.protocols import MatchIndex


def match_config(settings: Settings) -> MatchConfig:
    """Matching thresholds from settings."""
    return MatchConfig(
        match_threshold=settings.match_threshold,
        similar_threshold=settings.similar_threshold,
        quote_threshold=settings.quote_threshold,
        max_query_chars=settings.max_query_chars,
    )


def _analyze(text: str) -> Analysis | None:
    from bot.analysis import analyze

    try:
        return analyze(text)
    except InputError:
        return None


async def ask(
    index: MatchIndex,
    text: str,
    settings: Settings,
    *,
    analyze_unmatched: bool = True,
    as_quote: bool = False,
) -> AskResult:
    """Match ``text`` against the archive: article forward or quote, match / similar / none.

    An unmatched article forward is analyzed on the fly (in a worker thread), so "not in
    the archive" still tells the user who says what in it. Raises InputError subclasses
    for text that cannot be looked up (empty, too short, too long). ``as_quote``: the user
    asked "who said this?" explicitly (/who, a reply), so even a long text is a quote.
    """
    config = match_config(settings)
    query = parse_query(text, config)
    if as_quote and query.kind != "quote":
        query = dataclasses.replace(query, kind="quote")
    found = await match(index, query, config)
    in_text_only = found.kind == "quote" and bool(found.hits) and not any(
        quote_similarity(query.norm, normalize_for_match(claim.text))
        >= config.reworded_quote_threshold
        for hit in found.hits
        for claim in hit.claims
    )
    analysis = None
    if found.outcome == "none" and found.kind == "article" and analyze_unmatched:
        analysis = await asyncio.to_thread(_analyze, text)
    return AskResult(
        kind=found.kind,
        outcome=found.outcome,
        results=found.hits,
        query=query.text,
        speakers=found.speakers,
        misattribution=found.misattribution,
        in_text_only=in_text_only,
        analysis=analysis,
    )
