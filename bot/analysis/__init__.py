"""The analyzer: who says what in an article, as an ``Analysis`` (the public JSON contract).

Pure and deterministic: no network, no models. Everything language-specific lives in
``bot.analysis.lang`` packs; this module only wires the steps together.
"""

from __future__ import annotations

import re
from collections import Counter

from bot.analysis.attribute import RawClaim, UnitAttributor
from bot.analysis.confidence import UNATTRIBUTED_CONFIDENCE, Context, confidence, signals
from bot.analysis.coref import Entity, Registry
from bot.analysis.lang import PACKS, CompiledPack
from bot.analysis.quotes import find_quotes
from bot.analysis.rank import mark_key
from bot.analysis.segment import Unit, split_units
from bot.core.errors import EmptyTextError, UnsupportedLanguageError
from bot.core.models import Analysis, Claim, Speaker

SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(PACKS)

_WORD_RE = re.compile(r"[^\W\d_]+")
_DETECT_CHARS = 6_000  # a few paragraphs tell the language
_HEADLINE_MAX = 200
_NUMBER_RE = re.compile(r"\d")
_MAX_UNATTRIBUTED = 5

__all__ = ["SUPPORTED_LANGUAGES", "analyze", "analyze_with_signals", "detect_language"]


def detect_language(text: str) -> str:
    """Best guess among the supported packs, by stopword hits (ties go to the first pack)."""
    counts = Counter(_WORD_RE.findall(text[:_DETECT_CHARS].lower()))
    best, best_hits = SUPPORTED_LANGUAGES[0], -1
    for code in SUPPORTED_LANGUAGES:
        stop = PACKS[code].pack.stopwords
        hits = sum(n for w, n in counts.items() if w in stop)
        if hits > best_hits:
            best, best_hits = code, hits
    return best


def _pack_for(text: str, language: str) -> tuple[str, CompiledPack]:
    code = (language or "auto").strip().lower()
    if code == "auto":
        code = detect_language(text)
    if code not in PACKS:
        supported = ", ".join(SUPPORTED_LANGUAGES)
        raise UnsupportedLanguageError(
            f"Language {language!r} is not supported yet; supported: {supported} (or 'auto')."
        )
    return code, PACKS[code]


def _headline(text: str) -> str | None:
    """The first line when it looks like a headline: short, no final period, then a blank."""
    m = re.match(r"[ \t]*([^\n]+?)[ \t]*\n[ \t\r]*\n", text)
    if not m:
        return None
    line = m.group(1)
    if len(line) > _HEADLINE_MAX or line.endswith((".", "!", "?", ",", ";")) or len(line) < 4:
        return None
    return line


def analyze(text: str, *, title: str | None = None, language: str = "auto") -> Analysis:
    """Claims and their speakers in ``text``; offsets index into ``text`` exactly."""
    return analyze_with_signals(text, title=title, language=language)[0]


def analyze_with_signals(
    text: str, *, title: str | None = None, language: str = "auto"
) -> tuple[Analysis, list[dict[str, float] | None]]:
    """``analyze`` plus each claim's confidence signals (None for speaker-less claims), in
    claim order: what ``eval_attribution.py calibrate`` fits the confidence weights on."""
    if not isinstance(text, str) or not text.strip():
        raise EmptyTextError("The text is empty.")
    code, cp = _pack_for(text, language)
    if title is None:
        title = _headline(text)
    quotes = find_quotes(text)
    units = split_units(text, quotes, cp.pack.abbreviations)
    attributor = UnitAttributor(text, cp, quotes, units)
    raw: list[RawClaim] = []
    for i, u in enumerate(units):
        raw.extend(attributor.attribute(i, u))
    _inherit_quotes(raw, units)
    raw = _join_split_quotes(text, raw, units)
    pairs = _resolve(text, cp, raw)
    counts = Counter(c.speaker.name for c, _ in pairs if c.speaker is not None)
    ctx = Context(text, cp, raw, counts)
    scored: list[tuple[Claim, dict[str, float] | None]] = [
        (claim, signals(rc, claim, ctx) if claim.speaker is not None else None)
        for claim, rc in pairs
    ]
    scored.extend((c, None) for c in _unattributed(text, units, raw))
    scored.sort(key=lambda cs: (cs[0].start, cs[0].end))
    sigs = [s for _, s in scored]
    confidences = [confidence(s) if s is not None else UNATTRIBUTED_CONFIDENCE for s in sigs]
    claims = mark_key([c for c, _ in scored], confidences, sigs)
    return Analysis(language=code, title=title, claims=claims), sigs


def _inherit_quotes(raw: list[RawClaim], units: list[Unit]) -> None:
    """Bare quotes take the speaker of the quote they continue (split or next paragraph)."""
    for i, c in enumerate(raw):
        if not c.inherit:
            continue
        prev = raw[i - 1] if i > 0 else None
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        src: RawClaim | None = None
        if (
            c.continued
            and nxt is not None
            and nxt.source is not None
            and nxt.direct
            and units[nxt.unit].para <= units[c.unit].para + 1
        ):
            src = nxt
        elif prev is not None and (prev.source is not None or prev.inherit):
            same_para = units[prev.unit].para == units[c.unit].para
            near = units[c.unit].para - units[prev.unit].para <= 1 and c.unit - prev.unit <= 2
            if same_para or (near and (prev.direct or prev.continued)):
                src = prev
        if src is not None and src.source is not None:
            c.source, c.cue, c.via, c.stance = src.source, src.cue, list(src.via), src.stance
            c.told_to = src.told_to
            c.inherit = False
            c.cue_start = -1  # resolved together with the claim it continues


_SPLIT_GAP = 160  # chars: the attribution between two halves of one quotation
ELISION = " … "  # where an interrupting attribution was left out of a quotation's text


def text_fits_span(text: str, claim: Claim) -> bool:
    """The contract between a claim's text and its offsets: the text is the span, or the
    span's pieces in order with interrupting attributions elided (:func:`statement_text`)."""
    span = text[claim.start : claim.end]
    if claim.text == span:
        return True
    pos = 0
    for piece in claim.text.split(ELISION):
        found = span.find(piece, pos)
        if not piece or found < 0:
            return False
        pos = found + len(piece)
    return ELISION in claim.text


def statement_text(text: str, start: int, end: int, gaps: list[tuple[int, int]]) -> str:
    """The claim's words as a reader reads them: the span, with the attributions that
    interrupt a split quotation ('“A,” she said. “B.”' -> 'A … B') left out, since the
    card names the speaker anyway and a quote lookup must see only the quoted words."""
    if not gaps:
        return text[start:end]
    pieces, pos = [], start
    for gap_start, gap_end in gaps:
        pieces.append(text[pos:gap_start].rstrip(" ,;:\u2013\u2014-" + "".join(_MARKS)))
        pos = gap_end
    pieces.append(text[pos:end])
    return ELISION.join(p.strip() for p in pieces if p.strip())


def _reopens(text: str, start: int) -> bool:
    """The second half opens after a finished attribution clause ('..., she said. “B' or
    '..., she said, “B'), not inside running text ('and “rebellious” voices')."""
    j = start - 1
    while j >= 0 and (text[j] in _MARKS or text[j].isspace()):
        j -= 1
    return j >= 0 and text[j] in _CLAUSE_END


_MARKS = frozenset("\"“”„«»‘’'")
_CLAUSE_END = frozenset(",.;:!?–—-")


def _join_split_quotes(text: str, raw: list[RawClaim], units: list[Unit]) -> list[RawClaim]:
    """'“A,” she said. “B.”' is one statement interrupted by its attribution: the halves
    become one claim (the reader sees the whole quotation, and it is one attribution)."""
    out: list[RawClaim] = []
    for c in raw:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.direct
            and c.direct
            and min(c.cue_start, prev.cue_start) < 0
            and prev.source is not None
            and c.source is not None
            and (c.source is prev.source or _src_span(c) == _src_span(prev))
            and prev.end <= prev.source.start
            and prev.source.end <= c.start
            and c.start - prev.end <= _SPLIT_GAP
            and units[c.unit].para == units[prev.unit].para
            and "\n" not in text[prev.end : c.start]
            and _reopens(text, c.start)
        ):
            prev.gaps.append((prev.end, c.start))
            prev.end = c.end
            prev.continued = c.continued
            if prev.cue_start < 0:  # the cue belongs to the second half: resolve with it
                prev.cue, prev.cue_start, prev.told_to = c.cue, c.cue_start, c.told_to
                prev.shape, prev.comp = c.shape, c.comp
            continue
        out.append(c)
    return out


def _resolve(text: str, cp: CompiledPack, raw: list[RawClaim]) -> list[tuple[Claim, RawClaim]]:
    """Resolve source phrases to entities (in text order) and build the public claims."""
    reg = Registry(text, cp)
    resolved: dict[int, tuple[Entity, list[Entity]]] = {}
    order = sorted(
        (i for i, c in enumerate(raw) if c.source is not None and c.cue_start >= 0),
        key=lambda i: _src_start(raw[i]),
    )
    pronouns = cp.pack.person_pronouns | cp.pack.plural_pronouns
    for i in order:
        c = raw[i]
        src = c.source
        if src is None:
            continue
        vias: list[Entity] = []
        for v in c.via:
            ve = reg.resolve(v.name or v.text, v.start, c.unit, role=v.role)
            if ve is not None:
                vias.append(ve)
        # a pronoun's antecedent precedes the statement, not just the pronoun ("“...,” ujarnya")
        at = min(src.start, c.start) if src.clitic or src.text.lower() in pronouns else src.start
        ent = reg.resolve(
            src.name or src.text,
            at,
            c.unit,
            clitic=src.clitic,
            role=src.role,
            anonymous=src.anonymous,
        )
        if ent is None:
            continue
        if c.stance == "unverified" and ent.kind == "outlet":
            ent.home = True
        if not vias:
            vias = _nesting_via(raw, i, resolved)
        if vias and ent.kind in ("anonymous", "group") and not ent.via:
            ent.via = vias
        if not vias and ent.kind == "anonymous" and ent.via:
            vias = list(ent.via)
        resolved[i] = (ent, vias)
    # bare quotes that inherited a source: same entity as the claim they continue
    by_span = {_src_span(raw[i]): i for i in resolved}
    claims: list[tuple[Claim, RawClaim]] = []
    for i, c in enumerate(raw):
        got = resolved.get(i)
        if got is None and c.source is not None and c.cue_start < 0:
            j = by_span.get(_src_span(c))
            got = resolved.get(j) if j is not None else None
        if c.source is not None and got is None:
            continue  # a pronoun with no antecedent: better no claim than a guessed speaker
        speaker: Speaker | None = None
        via_names: list[str] = []
        if got is not None and c.source is not None:
            ent, vias = got
            speaker = Speaker(
                name=ent.name,
                kind=ent.kind,
                role=ent.role,
                mention_start=c.source.start,
                mention_end=c.source.end,
            )
            for ve in vias:
                if ve is not ent and ve.name not in via_names:
                    via_names.append(ve.name)
        claims.append(
            (
                Claim(
                    text=statement_text(text, c.start, c.end, c.gaps),
                    start=c.start,
                    end=c.end,
                    speaker=speaker,
                    cue=c.cue,
                    via=via_names,
                    told_to=c.told_to,
                    direct=c.direct,
                    stance=c.stance,
                ),
                c,
            )
        )
    return claims


def _nesting_via(
    raw: list[RawClaim], i: int, resolved: dict[int, tuple[Entity, list[Entity]]]
) -> list[Entity]:
    """A source named inside another claim's content ("the Courier said one of the
    executives described ...") reached us through that claim's speaker: the chain grows."""
    src = raw[i].source
    if src is None:
        return []
    unit = raw[i].unit
    outer = []
    for j in range(i - 1, -1, -1):  # raw claims are in text order; same-unit ones are adjacent
        if raw[j].unit != unit:
            break
        if j in resolved and raw[j].start <= src.start < raw[j].end:
            outer.append(j)
    for j in range(i + 1, len(raw)):
        if raw[j].unit != unit:
            break
        if j in resolved and raw[j].start <= src.start < raw[j].end:
            outer.append(j)
    if not outer:
        return []
    j = min(outer, key=lambda k: raw[k].end - raw[k].start)
    ent, vias = resolved[j]
    return [ent, *vias]


def _src_start(c: RawClaim) -> int:
    return c.source.start if c.source is not None else -1


def _src_span(c: RawClaim) -> tuple[int, int]:
    return (c.source.start, c.source.end) if c.source is not None else (-1, -1)


def _unattributed(text: str, units: list[Unit], raw: list[RawClaim]) -> list[Claim]:
    """The outlet's own check-worthy statements (numbers, dates): speaker null, few."""
    taken = {c.unit for c in raw}
    out: list[Claim] = []
    for i, u in enumerate(units):
        if i in taken or len(out) >= _MAX_UNATTRIBUTED:
            continue
        body = text[u.start : u.end]
        n = len(body.split())
        if n < 8 or n > 80 or not _NUMBER_RE.search(body) or body[-1:] not in ".!?":
            continue
        out.append(Claim(text=body, start=u.start, end=u.end))
    return out
