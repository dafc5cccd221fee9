"""Plain-text rendering for the command line (the bot's HTML lives in handlers/render.py)."""

from __future__ import annotations

from bot.core.models import Analysis, ArchiveStats, Article, AskResult, Claim

STANCE_LABELS = {
    "asserts": "",
    "claims": "claims",
    "denies": "DENIES",
    "accuses": "ACCUSES",
    "declines_comment": "DECLINED TO COMMENT",
    "unverified": "NOT INDEPENDENTLY VERIFIED",
}


def chain(claim: Claim, outlet: str | None = None) -> str:
    """The reporting chain as a reader follows it: outlet ← intermediary ← speaker."""
    hops = [outlet] if outlet else []
    hops += list(reversed(claim.via))
    if claim.speaker is not None:
        hops.append(claim.speaker.name)
    # Collapse repeats such as an outlet quoting itself.
    out: list[str] = []
    for hop in hops:
        if not out or out[-1].casefold() != hop.casefold():
            out.append(hop)
    return " ← ".join(out)


def format_claim(claim: Claim, index: int, outlet: str | None = None) -> str:
    """One claim, its speaker with role and kind, cue, chain and stance on indented lines."""
    star = "★" if claim.key else " "
    quote = '"' if claim.direct else ""
    lines = [f"{star} {index}. {quote}{claim.text}{quote}"]
    if claim.speaker is None:
        lines.append("     source: none given (the outlet's own statement)")
    else:
        sp = claim.speaker
        who = sp.name + (f", {sp.role}" if sp.role else "") + f" [{sp.kind}]"
        detail = [who]
        if claim.cue:
            detail.append(f"cue: {claim.cue}")
        if claim.told_to:
            detail.append(f"told to: {claim.told_to}")
        detail.append("direct quote" if claim.direct else "paraphrase")
        lines.append("     — " + " · ".join(detail))
        if claim.via or outlet:
            lines.append(f"     chain: {chain(claim, outlet)}")
    if STANCE_LABELS.get(claim.stance):
        lines.append(f"     stance: {STANCE_LABELS[claim.stance]}")
    return "\n".join(lines)


def format_analysis(analysis: Analysis, *, outlet: str | None = None) -> str:
    """The readable form of ``katasiapa analyze``: key claims first, then the rest."""
    attributed = sum(c.speaker is not None for c in analysis.claims)
    head = []
    if analysis.title:
        head.append(f"Title: {analysis.title}")
    head.append(
        f"Language: {analysis.language} · {len(analysis.claims)} claims, "
        f"{attributed} attributed, {sum(c.key for c in analysis.claims)} key (★)"
    )
    ordered = sorted(analysis.claims, key=lambda c: (not c.key, -c.score, c.start))
    body = [format_claim(c, i, outlet) for i, c in enumerate(ordered, start=1)]
    if not body:
        body = ["No claims found."]
    return "\n".join(head) + "\n\n" + "\n\n".join(body)


def format_article(article: Article) -> str:
    """``katasiapa show``: metadata, then the analysis."""
    meta = [f"Article #{article.id}" + (f" ({article.external_id})" if article.external_id else "")]
    for label, value in (
        ("Outlet", article.outlet),
        ("Published", article.published_at.isoformat() if article.published_at else None),
        ("URL", article.url),
        ("Source", article.provenance.value),
    ):
        if value:
            meta.append(f"{label}: {value}")
    analysis = Analysis(language=article.language, title=article.title, claims=article.claims)
    return "\n".join(meta) + "\n" + format_analysis(analysis, outlet=article.outlet)


def format_stats(stats: ArchiveStats) -> str:
    """``katasiapa stats``."""
    lines = [
        f"Articles: {stats.articles}",
        f"Claims: {stats.claims} ({stats.attributed_claims} attributed)",
        f"Speakers: {stats.speakers}",
    ]
    if stats.by_language:
        langs = ", ".join(f"{k}: {v}" for k, v in sorted(stats.by_language.items()))
        lines.append(f"By language: {langs}")
    if stats.by_provenance:
        prov = ", ".join(f"{k}: {v}" for k, v in sorted(stats.by_provenance.items()))
        lines.append(f"By source: {prov}")
    return "\n".join(lines)


def format_ask(result: AskResult) -> str:
    """Plain-text rendering for ``katasiapa ask`` (the bot's HTML lives in handlers/)."""
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
