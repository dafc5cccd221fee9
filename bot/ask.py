"""The "ask" use case: what the bot and ``katasiapa ask`` run for one forwarded text."""

from __future__ import annotations

import asyncio
import dataclasses

from bot.errors import InputError
from bot.matching import MatchConfig, MatchIndex, match, parse_query, quote_similarity
from bot.models import Analysis, AskResult
from bot.settings import Settings
from bot.textnorm import normalize_for_match
from storage.articles import SqliteArticleStore


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
    store: SqliteArticleStore | MatchIndex,
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
    index = store.match_index() if isinstance(store, SqliteArticleStore) else store
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


def format_ask(result: AskResult) -> str:
    """Plain-text rendering for ``katasiapa ask`` (the bot's HTML lives in handlers/)."""
    from bot.report import STANCE_LABELS, chain, format_analysis

    lines: list[str] = []
    if result.outcome == "none":
        what = "article" if result.kind == "article" else "quote"
        lines.append(f"Not in the archive: no stored {what} matches this text.")
        if result.analysis is not None:
            lines.append("Analysis of the text itself:")
            lines.append(format_analysis(result.analysis))
        return "\n".join(lines)
    if result.in_text_only:
        lines.append(
            "The words appear in the text of these articles, but not in a statement the "
            "analysis attributes to anyone; the claims shown are each article's key claims."
        )
    elif result.kind == "quote" and result.outcome == "match":
        lines.append(
            f"Found in {len(result.results)} article(s); earliest first "
            "(the first is where it first appeared)."
        )
        if result.misattribution:
            lines.append(
                "WARNING: the same words are attributed to different speakers: "
                + ", ".join(result.speakers)
                + " (possible misattribution)."
            )
    elif result.outcome == "similar":
        lines.append("No exact match; similar items in the archive:")
    for hit in result.results:
        date = hit.published_at.date().isoformat() if hit.published_at else "no date"
        head = f"#{hit.article_id} [{hit.score:.0f}%] {hit.title or '(untitled)'}"
        lines.append(f"{head} — {hit.outlet or 'unknown outlet'}, {date}")
        for claim in hit.claims:
            who = claim.speaker.name if claim.speaker else "no source given"
            role = f" ({claim.speaker.role})" if claim.speaker and claim.speaker.role else ""
            # Quote marks only for direct quotes: a paraphrase must not look like one.
            text = f'"{claim.text}"' if claim.direct else claim.text
            stance = STANCE_LABELS.get(claim.stance)
            flag = f" [{stance}]" if stance else ""
            lines.append(f"    {text} — {who}{role}{flag}; chain: {chain(claim, hit.outlet)}")
    return "\n".join(lines)
