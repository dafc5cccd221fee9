"""Matching: which stored article a forwarded text came from, which stored claims hold a quote.

Pure and Telegram-free. Retrieval goes through the :class:`MatchIndex` protocol (SQLite:
``storage/search.py``; a PostgreSQL store can implement the same four methods):

1. :func:`parse_query` folds the text exactly like ingest does (``bot.core.textnorm``), strips
   "siapa yang bilang …" / "who said …" / "benarkah …" / "is it true that …", decides
   article or quote, and refuses empty, too short and too long text with domain errors.
   Words the folding drops or disguises — hashtags and mentions ("@SpiritAirlines" ->
   "spirit airlines"), leetspeak ("j0k0wi"), run-together words ("BankBRI", "150juta")
   — are searched too (:func:`hidden_words`): in tweets and viral posts they are often
   the only words that name the topic.
2. The index counts, capped, how many rows hold each query term; the rarest few become an
   FTS5 OR-query ranked by BM25 (rare terms: short posting lists, fast at a million rows).
   A small archive of short rows (fact-check titles and claims: ``avg_row_tokens``) is
   cheap to score, so there nearly every query word is searched (``small_probe_terms``,
   ``small_posting_budget``): a long hoax forward and the short title that debunks it often
   share only everyday words, which the rarest-few rule leaves out.
3. The top candidates are reranked with rapidfuzz, with an explicit processor and scorer:
   - articles: ``fuzz.token_set_ratio`` over the query's *informative* words (words the
     archive shows to be common are dropped by the processor). token_set_ratio is a
     containment score: a forward that is a part of the article (first paragraphs,
     reordered sentences) or that contains it (commentary added) both score near 100.
   - quotes: ``fuzz.partial_ratio`` over the folded text: the best-aligned window, so a
     fragment of a longer claim scores 100 and light rewording a little less.
   The similarity is the score shown and thresholded. The *ordering* adds relative BM25
   and a fuzzy word coverage (share of the candidate's words the query has, typos
   forgiven): on real data similarity alone ranks worse than BM25 (benchmarks/
   eval_matching.py), while the sum is at least as good.
4. Thresholds (settings) turn the best similarity into match / similar / none; quotes
   found in several articles are listed earliest first, and different speakers for the
   same words are flagged as a possible misattribution.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process

from bot.core.errors import EmptyTextError, QueryTooLongError, QueryTooShortError
from bot.core.models import ArticleCandidate, ClaimCandidate, MatchHit, Scope
from bot.core.textnorm import (
    camel_parts,
    fold,
    normalize_for_match,
    number_parts,
    tag_words,
    unleet,
)
from storage.protocols import MatchIndex

QueryKind = Literal["article", "quote"]
Outcome = Literal["match", "similar", "none"]
@dataclass(frozen=True, slots=True)
class MatchConfig:
    """Thresholds and retrieval sizes; the thresholds come from settings."""

    match_threshold: float = 80.0  # article: this similar or more is "the same article"
    similar_threshold: float = 55.0  # below this, nothing is offered
    quote_threshold: float = 85.0  # quote: this similar or more "contains the quote"
    # Below quote_threshold a claim this similar is still the answer (a reworded quote,
    # "15% of the words changed"); below it, article text is searched instead.
    reworded_quote_threshold: float = 70.0
    max_query_chars: int = 30_000
    min_query_words: int = 3
    quote_max_words: int = 45  # longer texts without an ask-phrase are article forwards
    # How many query words get their document frequency probed (the longest, for long
    # texts), and at most how many of the rarest go into the FTS query (the budget below
    # usually stops earlier in a large archive): a forwarded article has plenty of rare
    # words, a short quote or headline needs all it has.
    probe_terms: int = 24
    rare_terms: int = 16
    quote_probe_terms: int = 40
    quote_rare_terms: int = 40
    small_archive: int = 50_000  # up to this many rows, long texts use the quote sizes
    # A small archive of short rows (fact-check titles and claims, at most this many words
    # on average) is cheap to score, so (nearly) every query word is searched: on real data
    # more terms retrieve the right item more often (long hoax forwards vs short titles;
    # benchmarks/eval_matching.py). Archives of whole articles keep the budget above.
    short_rows_tokens: float = 60.0
    small_probe_terms: int = 80
    small_posting_budget: int = 1_000_000
    min_terms: int = 2  # ... and at least this many, whatever the budget
    posting_budget: int = 20_000  # FTS5 work allowed: terms x rows (BM25 runs per row)
    df_cap: int = 1000  # posting lists are read at most this far when probing
    common_share: float = 0.01  # a word in this share of rows is common: noise for rerank
    candidates: int = 30  # at most this many BM25 candidates get reranked ...
    rerank_chars: int = 8_000  # ... and no more text than this in all (rapidfuzz time)
    bm25_weight: float = 1.0  # ordering weights (see _order)
    coverage_weight: float = 1.0
    similarity_weight: float = 0.5
    word_cutoff: float = 80.0  # fuzz.ratio for two words to count as the same word
    max_results: int = 10
    similar_results: int = 3


@dataclass(frozen=True, slots=True)
class Query:
    """A cleaned query: what the user meant to look up."""

    text: str  # folded, ask-phrase and outer quotes removed
    norm: str  # normalize_for_match(text): words separated by single spaces
    words: tuple[str, ...]
    kind: QueryKind
    # Words the folding hides (tags, leetspeak, run-together words: :func:`hidden_words`);
    # they are searched and count in the rerank's word coverage, not in the similarity.
    extra: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Scored:
    """A reranked candidate: similarity shown to the user, and the ordering key."""

    article_id: int
    similarity: float
    order: float
    claim_id: int | None = None


@dataclass(frozen=True, slots=True)
class MatchOutcome:
    """Result of :func:`match`: outcome, the hits to show, and quote attribution facts."""

    kind: QueryKind
    outcome: Outcome
    hits: list[MatchHit]
    query: Query
    speakers: list[str] = field(default_factory=list)
    misattribution: bool = False


# -- query cleaning -------------------------------------------------------------------------

_ASK_PREFIX = re.compile(
    r"^\s*(?:"
    r"siapa\s+(?:sih\s+)?(?:yang\s+|yg\s+)?(?:bilang|berkata|mengatakan|ngomong|menyebut|bicara)"
    r"|(?:apakah|apa)\s+(?:benar|betul|bener)|benarkah|betulkah|benerkah|apa\s+iya"
    r"|who\s+(?:said|says|claimed|claims|wrote)|is\s+it\s+true|did\s+someone\s+say"
    r"|cek\s+fakta|fact[\s-]?check"
    r")(?:\s+(?:that|bahwa|kalau|kalo))?\s*[:,\-]*\s*",
    re.IGNORECASE,
)
_ASK_SUFFIX = re.compile(
    r"\s*[\-,:]*\s*(?:(?:kata|ucap|ujar)\s+siapa|siapa\s+yang\s+bilang|who\s+said\s+(?:that|this|it)"
    r"|benarkah|benar\s+(?:ga|gak|nggak|tidak)|is\s+(?:that|this|it)\s+true)\s*[?!.]*\s*$",
    re.IGNORECASE,
)
_OUTER = "\"' \t\n?!.:,;-"
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")

# Function words of both first-class languages: never informative for the reranker, even
# in a small archive where the document frequencies cannot tell.
STOPWORDS = frozenset(
    """
    yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga atau karena
    oleh sebagai bahwa ada telah sudah saat para kata ia dia mereka kami kita saya tersebut
    lebih bisa dapat masih hanya harus agar jika namun tetapi serta hingga sejak setelah
    the a an and or of to in on at for from by with as is are was were be been has have had
    that this these those it its he she they we you i not but which who will would said says
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def parse_query(raw: str, config: MatchConfig) -> Query:
    """Clean raw user text into a :class:`Query`; raise a domain error when it is unusable.

    EmptyTextError: no words at all (empty, whitespace, emoji, punctuation only);
    QueryTooShortError: fewer than ``min_query_words`` words; QueryTooLongError: longer
    than ``max_query_chars`` characters.
    """
    if len(raw) > config.max_query_chars:
        raise QueryTooLongError(
            f"The text is too long to look up ({len(raw):,} characters; the limit is "
            f"{config.max_query_chars:,}): send the first paragraphs or one quote."
        )
    text = fold(raw)
    asked = False
    stripped = _ASK_PREFIX.sub("", text, count=1)
    if stripped != text:
        asked, text = True, stripped
    stripped = _ASK_SUFFIX.sub("", text, count=1)
    if stripped != text:
        asked, text = True, stripped
    body = " ".join(text.split())
    quoted = len(body) > 2 and body[0] in "\"'" and body.rstrip("?!. ")[-1:] in "\"'"
    text = body.strip(_OUTER)
    norm = normalize_for_match(text)
    words = tuple(norm.split())
    if not words:
        raise EmptyTextError("The text has no words to look up.")
    if len(words) < config.min_query_words:
        raise QueryTooShortError(
            f"Too short to look up: send at least {config.min_query_words} words "
            "(a whole sentence, or the forwarded article)."
        )
    sentences = len(_SENTENCE_END.findall(text))
    is_quote = asked or quoted or (len(words) <= config.quote_max_words and sentences <= 2)
    kind: QueryKind = "quote" if is_quote else "article"
    return Query(text=text, norm=norm, words=words, kind=kind, extra=hidden_words(raw, words))


def hidden_words(raw: str, words: Sequence[str]) -> tuple[str, ...]:
    """Words a forward carries that folding drops or disguises: hashtag and mention words
    (the stored side indexes "#Gaza" as "gaza", and a tweet often names its topic only as
    "@SpiritAirlines"; camel case is split too), leetspeak folded back ("j0k0wi" ->
    "jokowi"), and the parts of run-together words ("BankBRI", "150juta", "covid19"). Only
    words not already in ``words``, in order of appearance."""
    seen = set(words)
    out: dict[str, None] = {}
    found: list[str] = []
    for word in words:
        if not word.isalpha() and not word.isdigit():  # rare: letters and digits mixed
            found.append(unleet(word))
            found += number_parts(word)
    if "#" in raw or "@" in raw:
        found += tag_words(raw)
    found += camel_parts(raw)
    for word in found:
        for part in normalize_for_match(word).split():
            if part not in seen:
                out.setdefault(part, None)
    return tuple(out)


# -- retrieval ------------------------------------------------------------------------------


def probe_terms(query: Query, limit: int) -> list[str]:
    """The distinct query words worth probing: no function words or single letters; for
    long texts the longest words (length is a cheap proxy for rarity)."""
    seen: dict[str, None] = {}
    for word in (*query.words, *query.extra):
        if (len(word) > 1 or word.isdigit()) and word not in STOPWORDS:
            seen.setdefault(word, None)
    terms = list(seen)
    if len(terms) > limit:
        terms = sorted(terms, key=len, reverse=True)[:limit]
    return terms


def rarest(
    terms: Sequence[str],
    counts: Sequence[int],
    k: int,
    *,
    cap: int,
    size: int,
    budget: int,
    min_terms: int,
) -> list[str]:
    """The query terms to search for: the rarest first (ties: longer first), at most ``k``.

    FTS5 computes BM25 for every row matching any term, at a cost of about terms x rows,
    so terms are added while that estimate stays within ``budget`` (never below
    ``min_terms``). A count that reached the probe's ``cap`` is a lower bound: such a term
    is costed at a twentieth of the archive (``size``). Absent terms are dropped.
    """
    ranked = sorted(
        (c, -len(t), i, t) for i, (t, c) in enumerate(zip(terms, counts, strict=True)) if c > 0
    )
    chosen: list[str] = []
    rows = 0
    for c, *_, t in ranked:
        if len(chosen) >= k:
            break
        cost = c if c < cap else max(c, size // 20)
        if len(chosen) >= min_terms and (len(chosen) + 1) * (rows + cost) > budget:
            break
        chosen.append(t)
        rows += cost
    return chosen


def informative_processor(noise: frozenset[str]) -> Callable[[str], str]:
    """A rapidfuzz processor for normalized text: drops words the archive shows to be
    common (and function words), so containment is measured on informative words."""

    def process_text(norm: str) -> str:
        return " ".join(w for w in norm.split() if w not in noise)

    return process_text


def fuzzy_coverage(doc_words: Sequence[str], query_words: Sequence[str], cutoff: float) -> float:
    """Share of the document's words that the query has, allowing typos and affixes
    ("anis"/"anies", "guncang"/"mengguncang"): rapidfuzz ``fuzz.ratio`` per word, words
    below ``cutoff`` count 0. A short stored claim or headline inside a long forward scores
    near 1; long documents use exact set coverage (the per-word search would be slow)."""
    if not doc_words or not query_words:
        return 0.0
    if len(doc_words) > 64:
        qs = set(query_words)
        return sum(w in qs for w in doc_words) / len(doc_words)
    total = 0.0
    for word in doc_words:
        found = process.extractOne(
            word, query_words, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff
        )
        total += found[1] / 100 if found is not None else 0.0
    return total / len(doc_words)


def _content_words(norm: str, noise: frozenset[str]) -> list[str]:
    return list(dict.fromkeys(w for w in norm.split() if w not in noise))


def _order(
    similarity: float, bm25: float, best_bm25: float, coverage: float, config: MatchConfig
) -> float:
    """The ranking key: relative BM25 plus fuzzy coverage plus the shown similarity.
    Weights were fitted on the training splits of the evaluation sets (see
    benchmarks/eval_matching.py); similarity alone ranks worse than BM25 on real data."""
    share = bm25 / best_bm25 if best_bm25 > 0 else 0.0
    return (
        config.bm25_weight * share
        + config.coverage_weight * coverage
        + config.similarity_weight * similarity / 100
    )


def _within(articles: list[ArticleCandidate], chars: int) -> list[ArticleCandidate]:
    """The best candidates whose texts fit in ``chars`` (at least 3): long articles get
    fewer reranked, short headlines many."""
    total = 0
    for i, a in enumerate(articles):
        total += len(a.text) + len(a.title or "")
        if total > chars and i >= 3:
            return articles[:i]
    return articles


def rerank_articles(
    query: Query,
    candidates: Sequence[ArticleCandidate],
    noise: frozenset[str],
    config: MatchConfig,
) -> list[Scored]:
    """Score article candidates: token_set_ratio (containment) over informative words is
    the similarity shown; BM25 and fuzzy coverage join it in the ordering."""
    if not candidates:
        return []
    processor = informative_processor(noise)
    norms = [normalize_for_match(f"{c.title or ''} {c.text}") for c in candidates]
    scores = process.extract(
        query.norm,
        norms,
        scorer=fuzz.token_set_ratio,
        processor=processor,
        limit=None,
        score_cutoff=0,
    )
    query_words = _content_words(" ".join((query.norm, *query.extra)), noise)
    best = max(c.bm25 for c in candidates)
    out = []
    for _, s, i in scores:
        cov = fuzzy_coverage(_content_words(norms[i], noise), query_words, config.word_cutoff)
        order = _order(float(s), candidates[i].bm25, best, cov, config)
        out.append(Scored(candidates[i].article_id, float(s), order))
    return sorted(out, key=lambda x: (-x.order, x.article_id))


def quote_similarity(query_norm: str, claim_norm: str) -> float:
    """partial_ratio of the shorter text inside the longer, discounted when the shorter one
    covers less than half the query (a two-word claim inside a long quote is not a match)."""
    if not claim_norm:
        return 0.0
    score = fuzz.partial_ratio(query_norm, claim_norm, processor=None)
    return float(score) * _length_discount(query_norm, claim_norm)


def _length_discount(query_norm: str, claim_norm: str) -> float:
    coverage = min(len(claim_norm), len(query_norm)) / max(len(query_norm), 1)
    return min(1.0, coverage / 0.5)


def rerank_claims(
    query: Query,
    candidates: Sequence[ClaimCandidate],
    noise: frozenset[str],
    config: MatchConfig,
    *,
    keep_claim: bool = True,
) -> list[Scored]:
    """Score claim candidates: partial_ratio (best aligned window) is the similarity shown;
    BM25 and fuzzy coverage join it in the ordering."""
    if not candidates:
        return []
    best = max(c.bm25 for c in candidates)
    query_words = _content_words(" ".join((query.norm, *query.extra)), noise)
    out = []
    for c in candidates:
        norm = normalize_for_match(c.text)
        aligned = float(fuzz.partial_ratio(query.norm, norm, processor=None)) if norm else 0.0
        # The ordering uses the plain alignment (a stored claim inside a longer forward is
        # strong evidence); the similarity shown is discounted for very short claims.
        sim = aligned * _length_discount(query.norm, norm)
        cov = fuzzy_coverage(_content_words(norm, noise), query_words, config.word_cutoff)
        order = _order(aligned, c.bm25, best, cov, config)
        out.append(Scored(c.article_id, sim, order, c.claim_id if keep_claim else None))
    return sorted(out, key=lambda x: (-x.order, x.claim_id or 0))


async def retrieve(
    index: MatchIndex, query: Query, config: MatchConfig, *, scope: Scope | None = None
) -> list[Scored]:
    """All reranked candidates, best first (no thresholds): what the evaluation ranks.

    Article forwards search articles. Quotes search claims first; when no stored claim
    holds the quote, even reworded (similarity below ``reworded_quote_threshold``), it may
    be a headline, a paraphrase, or words the analyzer did not mark as a claim, so articles
    are searched as for a forward. (Article similarity is no referee here: a short quote of
    everyday words is a word subset of many articles, so token_set_ratio says 100.)
    """
    if scope is not None:
        return await _retrieve_scope(index, query, config, scope)
    if query.kind != "quote":
        return await _retrieve_scope(index, query, config, "articles")
    claims = await _retrieve_scope(index, query, config, "claims")
    if max((c.similarity for c in claims), default=0.0) >= config.reworded_quote_threshold:
        return claims
    return await _retrieve_scope(index, query, config, "articles")


async def _retrieve_scope(
    index: MatchIndex, query: Query, config: MatchConfig, scope: Scope
) -> list[Scored]:
    size = await index.size(scope)
    # Short queries, and any query in a small archive, can afford every word they have.
    small = size <= config.small_archive
    short = query.kind == "quote" or small
    if (
        scope == "articles"
        and small
        and 0 < await index.avg_row_tokens(scope) <= config.short_rows_tokens
    ):
        probe, rare, budget = (
            config.small_probe_terms,
            config.small_probe_terms,
            config.small_posting_budget,
        )
    elif short:
        probe, rare, budget = (
            config.quote_probe_terms,
            config.quote_rare_terms,
            config.posting_budget,
        )
    else:
        probe, rare, budget = config.probe_terms, config.rare_terms, config.posting_budget
    terms = probe_terms(query, probe)
    if not terms:
        return []
    cap = max(100, min(config.df_cap, int(config.common_share * size)))
    counts = await index.doc_counts(terms, scope=scope, cap=cap)
    chosen = rarest(
        terms,
        counts,
        rare,
        cap=cap,
        size=size,
        budget=budget,
        min_terms=config.min_terms,
    )
    if not chosen:
        return []
    # Words in a large share of the archive (the probe hit its cap) carry no evidence.
    noise = frozenset(STOPWORDS | {t for t, c in zip(terms, counts, strict=True) if c >= cap})
    if scope == "claims":
        claims = await index.claim_candidates(chosen, limit=config.candidates)
        return rerank_claims(query, claims, noise, config)
    articles = await index.article_candidates(chosen, limit=config.candidates)
    articles = _within(articles, config.rerank_chars)
    return rerank_articles(query, articles, noise, config)


async def match(index: MatchIndex, query: Query, config: MatchConfig) -> MatchOutcome:
    """Find the article a forward came from, or the claims that hold a quote."""
    scored = await retrieve(index, query, config)
    if query.kind == "quote":
        return await _quote_outcome(index, query, scored, config)
    best = scored[0].similarity if scored else 0.0
    if best >= config.match_threshold:
        keep = [s for s in scored if s.similarity >= config.similar_threshold]
        outcome: Outcome = "match"
        keep = keep[: config.max_results]
    elif best >= config.similar_threshold:
        outcome = "similar"
        keep = [s for s in scored if s.similarity >= config.similar_threshold]
        keep = keep[: config.similar_results]
    else:
        return MatchOutcome("article", "none", [], query)
    hits = await index.hits([(s.article_id, s.similarity) for s in keep])
    return MatchOutcome("article", outcome, hits, query)


def _speaker_key(name: str) -> str:
    return normalize_for_match(name)


async def _quote_outcome(
    index: MatchIndex, query: Query, scored: list[Scored], config: MatchConfig
) -> MatchOutcome:
    same = [s for s in scored if s.similarity >= config.quote_threshold]
    if same:
        outcome: Outcome = "match"
        chosen = same
    else:
        chosen = [s for s in scored if s.similarity >= config.similar_threshold]
        chosen = chosen[: config.similar_results]
        outcome = "similar" if chosen else "none"
    if not chosen:
        return MatchOutcome("quote", "none", [], query)
    best_per_article: dict[int, Scored] = {}
    for s in chosen:
        if s.article_id not in best_per_article:
            best_per_article[s.article_id] = s
    claim_ids = [s.claim_id for s in chosen if s.claim_id is not None]
    # No claim ids: the quote was found in article text (no stored claim holds it), so the
    # cards show each article's key claims, and their speakers say nothing about the quote.
    hits = await index.hits(
        [(a, s.similarity) for a, s in best_per_article.items()], claim_ids=claim_ids or None
    )
    if outcome == "match":
        # Where the quote first appeared matters more than which copy scored best.
        hits = sorted(hits, key=_first_appeared)[: config.max_results]
    speakers: dict[str, str] = {}
    for hit in hits if claim_ids else []:
        for claim in hit.claims:
            sp = claim.speaker
            if sp is not None and sp.kind != "anonymous":
                speakers.setdefault(_speaker_key(sp.name), sp.name)
    misattribution = outcome == "match" and len(speakers) > 1
    return MatchOutcome("quote", outcome, hits, query, list(speakers.values()), misattribution)


def _first_appeared(hit: MatchHit) -> tuple[int, float, int]:
    if hit.published_at is None:
        return (1, 0.0, hit.article_id)
    return (0, hit.published_at.timestamp(), hit.article_id)
