"""Attribution benchmark: measure ``bot.analysis.analyze`` on PolNeAR (en) and PFSA-ID (id).

Usage (from the repository root)::

    python benchmarks/eval_attribution.py polnear [--split dev|train] [--limit N] [--baseline]
    python benchmarks/eval_attribution.py pfsa [--file dev-40|med-dev-dl-20] [--limit N]
        [--baseline]
    python benchmarks/eval_attribution.py ggt | fixtures | quotes | calibrate | badinput
    python benchmarks/eval_attribution.py speed [--n N] [--cli]
    python benchmarks/eval_attribution.py all [--baseline]

Common options: ``--data-dir DIR`` (default ``../shared/eval`` relative to the repository
root, overridable by the environment variable ``KATASIAPA_EVAL_DIR``), ``--strict`` (exit 1
when a floor fails), ``--language-hint`` (pass the data set's language to ``analyze`` instead
of ``"auto"``), ``--single-annotator`` (PolNeAR: score only one annotator per article).

The data is research-use only: it is read from the shared directory at run time and nothing
from it is ever written into the repository.

Scoring (the definitions of ``/work/shared/eval/README.md``)
-----------------------------------------------------------
* A predicted claim *matches* a gold attribution when their content spans overlap by at least
  half of the shorter span, in characters. Matching is one-to-one and greedy: all
  (prediction, gold) pairs that clear the threshold are taken in order of decreasing overlap
  (ties: earlier gold, then earlier prediction) and a pair is kept when neither side is used.
* Gold content made of several pieces (PolNeAR split quotes, ``[[s1,e1],[s2,e2]]``) is scored
  *piecewise*: the overlap is the number of characters of the predicted span that fall inside
  any gold piece, and the gold length is the sum of the piece lengths. The text between the
  pieces (usually the attribution, '"...," he said, "..."') is therefore neither required nor
  penalised: one prediction covering the whole split quote, or just its first half, matches.
* Content precision = matched / predictions, recall = matched / gold, F1 their harmonic mean.
* Speaker accuracy is computed over matched pairs whose gold attribution has a source: the
  speaker is right when the predicted speaker mention span overlaps the gold source span, or
  the predicted speaker name shares its head token (last word token, case-folded, a trailing
  possessive 's dropped) with the gold source text.
* Diagnostics printed for information only (no floor): speaker accuracy when any name word
  of 3+ letters is shared (Indonesian short references often use the first name: "kata
  Rudi"), and the mean predicted and gold span lengths (the half-of-the-shorter rule
  favours long predicted spans: one that contains the gold content always matches).
* End-to-end: a true positive is a matched pair with the speaker right; precision over all
  predictions, recall over all gold attributions, F1. Gold attributions without any source
  (PolNeAR has some: a cue and content with no one saying it) count for content recall, are left out
  of the speaker-accuracy denominator and can never be end-to-end true positives.
* Only predicted claims **with a speaker** count as predictions: speaker-null claims are the
  outlet's own statements, not attributions. Gold attributions with no content span are
  skipped (they cannot be matched).
* Direct vs indirect. A predicted claim is direct when its ``direct`` flag is set. A PolNeAR
  gold content is taken as direct when its first piece starts with a double quote mark and
  its last piece ends with one (optionally followed by punctuation); mixed content such as
  'that X, "in their words."' is indirect. Recall and speaker accuracy are split by the gold
  class, precision by the predicted class. PFSA-ID is not split (nearly all its statements
  are quotes).

* Strict content F1 (issue 11): as content F1, counting a matched pair only when its
  character F1 (2 * overlap / (predicted + gold length)) is at least 0.8; the mean character
  F1 over matched pairs is printed as boundary quality.
* Card precision: per unit, the claims a card shows (key, highest score first, at most 5);
  the share that match a gold attribution (one-to-one) with the right speaker. Where the
  gold annotates only some statements (PFSA-ID), the share of shown claims on text no gold
  content overlaps is printed apart, and the floor applies to the annotated part.
* Reliability: per confidence bin, the share of predictions that are right (matched and
  speaker right); the floor is on the claims with confidence >= 0.8.
* GGT-style quotes: gold attributions with a source whose cue holds a verb of saying or
  writing (``QUOTE_VERBS``, 'according to') or whose content is a direct quotation, against
  the analyzer's claims with such a cue or the direct flag; the card counts every key claim.
  The GGT-like set is PolNeAR *train*, one annotator per article, the odd half of a CRC32
  hash of the article id (the even half is where ``calibrate`` fits the confidence model).
* Hand-annotated fixtures (tests/fixtures/articles): content = the gold ``text_contains``
  fragment, speaker right when the head token matches the gold speaker or an alias.

PolNeAR: the files hold one line per (article, annotator). Each line is evaluated on its own,
against its own annotations (counts summed over lines, i.e. micro-averaged); the analyzer is
run once per distinct text. In the dev split two of the 84 articles were annotated by six
annotators each (94 lines), so those two count six times; ``--single-annotator`` keeps only
the first line of each article, and the figures for that view are printed too.

PFSA-ID: the tags carry no explicit speaker->statement links, so each STATEMENT span gets its
source by this rule (applied in order):

1. the CUE or CUECOREF span nearest the statement with at most 3 characters between them
   (a cue after the statement wins a tie: '..." kata X');
2. if that cue is a CUE: the PERSON/PERSONCOREF span nearest the cue (character distance)
   in the same line (the detokenised text has one sentence a line), not inside a statement;
3. if the cue is a CUECOREF ('katanya', 'ujarnya'), or step 2 found nobody, or there is no
   adjacent cue: the nearest PERSON/PERSONCOREF in the statement's own line(s), else the
   nearest one ending before the statement (the person a clitic or pronoun refers back to),
   else the nearest one after it; spans inside a statement never count;
4. statements with no person anywhere in the article have no source.

The gold source span is that PERSON/PERSONCOREF span only (not the ROLE/AFFILIATION before it).

The floors the release issue sets are printed next to each figure with PASS/FAIL. They are
defined for the full PolNeAR dev split and the full PFSA-ID dev-40 file; on other splits or
with ``--limit`` they are shown for information only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import traceback
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "eval"
ENV_DATA_DIR = "KATASIAPA_EVAL_DIR"

Span = tuple[int, int]

# Floors from the issues (11 raised them): figure key -> floor (higher is better)
POLNEAR_FLOORS = {
    "content_f1": 0.70,
    "speaker_acc": 0.90,
    "e2e_f1": 0.65,
    "strict_f1": 0.60,
    "card_precision": 0.85,
}
QUOTE_FLOORS = {"content_f1": 0.85, "speaker_acc": 0.88}
GGT_FLOORS = {"content_f1": 0.85, "speaker_acc": 0.88, "card_precision": 0.85}
PFSA_FLOORS = {"recall": 0.95, "speaker_acc": 0.90, "card_precision_annotated": 0.85}
FIXTURE_FLOORS = {"content_f1": 0.85, "speaker_acc": 0.88, "card_precision": 0.85}
CONFIDENT = 0.8  # claims at or above this confidence ...
CONFIDENT_FLOOR = 0.90  # ... must be right this often
CARD_CLAIMS = 5  # a card shows at most this many key claims
SPEED_FLOOR = 300.0  # articles per second, one core
MEMORY_CEILING_MB = 300.0

OPEN_QUOTES = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')
CLOSE_QUOTES = frozenset('"\u201c\u201d\u00bb\u00ab')


# --------------------------------------------------------------------------------------------
# Pure scoring
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldAttribution:
    """One gold attribution: content pieces, source pieces (None when the gold has no source)."""

    content: tuple[Span, ...]
    source: tuple[Span, ...] | None = None
    source_text: str | None = None
    direct: bool | None = None
    aliases: tuple[str, ...] = ()  # other names of the source (hand-annotated fixtures)
    quote: bool = False  # a GGT-style quote (see ``is_quote_cue``)

    @property
    def has_source(self) -> bool:
        return self.source is not None or self.source_text is not None


@dataclass(frozen=True)
class Prediction:
    """One predicted attributed claim."""

    start: int
    end: int
    speaker_name: str | None = None
    mention: Span | None = None
    direct: bool = False
    key: bool = False
    score: float = 0.0
    confidence: float | None = None
    cue: str | None = None


def _length(pieces: Iterable[Span]) -> int:
    return sum(max(0, e - s) for s, e in pieces)


def content_overlap(pred: Span, gold: Sequence[Span]) -> int:
    """Characters of ``pred`` inside any piece of ``gold`` (pieces assumed not to overlap)."""
    ps, pe = pred
    return sum(max(0, min(pe, ge) - max(ps, gs)) for gs, ge in gold)


def content_matches(pred: Span, gold: Sequence[Span]) -> bool:
    """True when the overlap is at least half of the shorter of the two spans (and > 0)."""
    overlap = content_overlap(pred, gold)
    shorter = min(max(0, pred[1] - pred[0]), _length(gold))
    return overlap > 0 and 2 * overlap >= shorter


def greedy_match(
    preds: Sequence[Prediction], golds: Sequence[GoldAttribution]
) -> list[tuple[int, int]]:
    """One-to-one greedy matching by overlap; returns (prediction index, gold index) pairs."""
    candidates: list[tuple[int, int, int]] = []
    for pi, p in enumerate(preds):
        for gi, g in enumerate(golds):
            if content_matches((p.start, p.end), g.content):
                candidates.append((content_overlap((p.start, p.end), g.content), gi, pi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in candidates:
        if pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        pairs.append((pi, gi))
    pairs.sort()
    return pairs


_WORD_RE = re.compile(r"\w+", re.UNICODE)
_POSSESSIVE_RE = re.compile(r"['\u2019]s\b", re.IGNORECASE)


def head_token(text: str | None) -> str | None:
    """Last word token of ``text``, case-folded, a trailing possessive 's dropped."""
    if not text:
        return None
    words = _WORD_RE.findall(_POSSESSIVE_RE.sub("", text))
    return words[-1].casefold() if words else None


def spans_overlap(a: Span, pieces: Sequence[Span]) -> bool:
    return any(min(a[1], e) > max(a[0], s) for s, e in pieces)


def speaker_correct(pred: Prediction, gold: GoldAttribution) -> bool:
    """Mention span overlaps the gold source span, or the head tokens agree."""
    if not gold.has_source:
        return False
    if pred.mention is not None and gold.source and spans_overlap(pred.mention, gold.source):
        return True
    ph = head_token(pred.speaker_name)
    return ph is not None and any(
        ph == head_token(name) for name in (gold.source_text, *gold.aliases)
    )


def char_f1(pred: Span, gold: Sequence[Span]) -> float:
    """Boundary agreement of a matched pair: 2 * overlap / (predicted + gold length)."""
    total = max(0, pred[1] - pred[0]) + _length(gold)
    return 2 * content_overlap(pred, gold) / total if total else 0.0


def card(preds: Sequence[Prediction]) -> list[Prediction]:
    """What a card shows: key claims, highest score first, at most ``CARD_CLAIMS``."""
    keys = [p for p in preds if p.key]
    keys.sort(key=lambda p: (-p.score, p.start))
    return keys[:CARD_CLAIMS]


def card_right(shown: Sequence[Prediction], golds: Sequence[GoldAttribution]) -> int:
    """Shown claims matching a gold attribution with the right speaker (one-to-one)."""
    good = [
        (content_overlap((p.start, p.end), g.content), gi, pi)
        for pi, p in enumerate(shown)
        for gi, g in enumerate(golds)
        if content_matches((p.start, p.end), g.content) and speaker_correct(p, g)
    ]
    good.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, gi, pi in good:
        if pi not in used_p and gi not in used_g:
            used_p.add(pi)
            used_g.add(gi)
    return len(used_p)


# GGT-style quotes: attributions headed by a verb of saying or writing (or 'according to'),
# or direct quotations. Beliefs, wishes and evidence ("thinks", "wants", "polls show") are
# attributions but not quotes. Fixed before looking at any system output.
QUOTE_VERBS = frozenset(
    """
    say says said saying tell tells told telling add adds added adding write writes wrote
    written writing note notes noted noting report reports reported reporting announce
    announces announced announcing ask asks asked asking explain explains explained
    explaining argue argues argued arguing claim claims claimed claiming state states stated
    stating declare declares declared declaring insist insists insisted insisting
    acknowledge acknowledges acknowledged acknowledging admit admits admitted admitting
    reply replies replied replying respond responds responded responding tweet tweets
    tweeted tweeting post posts posted posting warn warns warned warning recall recalls
    recalled recalling suggest suggests suggested suggesting continue continues continued
    comment comments commented remark remarks remarked stress stresses stressed
    emphasize emphasizes emphasized confirm confirms confirmed confirming deny denies
    denied denying reveal reveals revealed complain complains complained complaining
    accuse accuses accused accusing criticize criticizes criticized predict predicts
    predicted promise promises promised pledge pledges pledged vow vows vowed concede
    concedes conceded contend contends contended maintain maintains maintained testify
    testifies testified mention mentions mentioned describe describes described call calls
    called urge urges urged urging quip quipped joke joked boast boasted charge charged
    allege alleges alleged alleging according quoted quoting cited citing assert asserts
    asserted insisted told estimate estimates estimated conclude concludes concluded
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def is_quote_cue(cue: str | None) -> bool:
    """A cue made with one of ``QUOTE_VERBS`` (any word of it, case-folded)."""
    return bool(cue) and any(w in QUOTE_VERBS for w in _WORD_RE.findall(cue.lower()))


def speaker_loosely_correct(pred: Prediction, gold: GoldAttribution) -> bool:
    """Diagnostic only: mention overlap, or any name word (3+ letters) shared with the source."""
    if speaker_correct(pred, gold):
        return True
    if not gold.has_source or not pred.speaker_name or not gold.source_text:
        return False
    words = {w.casefold() for w in _WORD_RE.findall(pred.speaker_name) if len(w) >= 3}
    return bool(words & {w.casefold() for w in _WORD_RE.findall(gold.source_text)})


def gold_is_direct(pieces_text: Sequence[str]) -> bool:
    """PolNeAR heuristic: first piece opens with a quote mark and the last piece closes one."""
    if not pieces_text:
        return False
    first = pieces_text[0].strip()
    last = pieces_text[-1].strip().rstrip(".,;:!?\u2026 ")
    if not first or not last:
        return False
    return first[0] in OPEN_QUOTES and (last[-1] in CLOSE_QUOTES)


@dataclass
class Counts:
    """Additive counts; ``summarize`` turns them into the reported figures."""

    docs: int = 0
    preds: int = 0
    golds: int = 0
    golds_with_source: int = 0
    matched: int = 0
    matched_with_source: int = 0
    speaker_right: int = 0
    speaker_right_loose: int = 0
    pred_chars: int = 0
    gold_chars: int = 0
    # direct / indirect split (gold class for recall, predicted class for precision)
    gold_direct: int = 0
    gold_indirect: int = 0
    pred_direct: int = 0
    pred_indirect: int = 0
    matched_gold_direct: int = 0
    matched_gold_indirect: int = 0
    matched_pred_direct: int = 0
    matched_pred_indirect: int = 0
    speaker_den_direct: int = 0
    speaker_den_indirect: int = 0
    speaker_right_direct: int = 0
    speaker_right_indirect: int = 0
    direct_flag_agree: int = 0
    direct_flag_den: int = 0
    # strict content: matched pairs whose character F1 is at least STRICT_CHAR_F1
    strict_matched: int = 0
    char_f1_sum: float = 0.0
    # cards: what a reader sees (key claims, best score first, at most CARD_CLAIMS)
    cards: int = 0
    cards_shown: int = 0  # cards with at least one claim
    card_shown: int = 0
    card_right: int = 0
    card_unannotated: int = 0  # shown claims overlapping no gold content at all
    # (confidence, right) per prediction; right is None where the gold cannot tell
    reliability: list[tuple[float, bool | None]] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


STRICT_CHAR_F1 = 0.8


def score_document(
    preds: Sequence[Prediction],
    golds: Sequence[GoldAttribution],
    *,
    partial_gold: bool = False,
    shown: Sequence[Prediction] | None = None,
) -> Counts:
    """Counts for one evaluation unit (one article, or one PolNeAR article x annotator line).

    ``partial_gold``: the gold annotates only some statements (PFSA-ID: public figures), so a
    prediction overlapping no gold content is neither right nor wrong for reliability."""
    c = Counts(docs=1, preds=len(preds), golds=len(golds))
    if shown is None:
        shown = card(preds)
    c.cards = 1
    c.cards_shown = int(bool(shown))
    c.card_shown = len(shown)
    c.card_right = card_right(shown, golds)
    c.card_unannotated = sum(
        1 for p in shown if not any(spans_overlap((p.start, p.end), g.content) for g in golds)
    )
    c.golds_with_source = sum(1 for g in golds if g.has_source)
    c.pred_chars = sum(max(0, p.end - p.start) for p in preds)
    c.gold_chars = sum(_length(g.content) for g in golds)
    for p in preds:
        if p.direct:
            c.pred_direct += 1
        else:
            c.pred_indirect += 1
    for g in golds:
        if g.direct is True:
            c.gold_direct += 1
        elif g.direct is False:
            c.gold_indirect += 1
    right_preds: set[int] = set()
    for pi, gi in greedy_match(preds, golds):
        p, g = preds[pi], golds[gi]
        c.matched += 1
        f1 = char_f1((p.start, p.end), g.content)
        c.char_f1_sum += f1
        c.strict_matched += int(f1 >= STRICT_CHAR_F1)
        if p.direct:
            c.matched_pred_direct += 1
        else:
            c.matched_pred_indirect += 1
        if g.direct is not None:
            c.direct_flag_den += 1
            c.direct_flag_agree += int(p.direct == g.direct)
            if g.direct:
                c.matched_gold_direct += 1
            else:
                c.matched_gold_indirect += 1
        if not g.has_source:
            continue
        right = speaker_correct(p, g)
        if right:
            right_preds.add(pi)
        c.matched_with_source += 1
        c.speaker_right += int(right)
        c.speaker_right_loose += int(speaker_loosely_correct(p, g))
        if g.direct is True:
            c.speaker_den_direct += 1
            c.speaker_right_direct += int(right)
        elif g.direct is False:
            c.speaker_den_indirect += 1
            c.speaker_right_indirect += int(right)
    for pi, p in enumerate(preds):
        if p.confidence is None:
            continue
        label: bool | None = pi in right_preds
        if (
            partial_gold
            and not label
            and not any(spans_overlap((p.start, p.end), g.content) for g in golds)
        ):
            label = None
        c.reliability.append((p.confidence, label))
    return c


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


def summarize(c: Counts) -> dict[str, float | int | None]:
    """The reported figures for a set of counts (None where a denominator is zero)."""
    precision = _ratio(c.matched, c.preds)
    recall = _ratio(c.matched, c.golds)
    e2e_p = _ratio(c.speaker_right, c.preds)
    e2e_r = _ratio(c.speaker_right, c.golds)
    return {
        "docs": c.docs,
        "predictions": c.preds,
        "gold": c.golds,
        "gold_without_source": c.golds - c.golds_with_source,
        "matched": c.matched,
        "content_precision": precision,
        "content_recall": recall,
        "content_f1": _f1(precision, recall),
        "speaker_acc": _ratio(c.speaker_right, c.matched_with_source),
        "speaker_acc_loose": _ratio(c.speaker_right_loose, c.matched_with_source),
        "mean_pred_chars": _ratio(c.pred_chars, c.preds),
        "mean_gold_chars": _ratio(c.gold_chars, c.golds),
        "e2e_precision": e2e_p,
        "e2e_recall": e2e_r,
        "e2e_f1": _f1(e2e_p, e2e_r),
        "gold_direct": c.gold_direct,
        "gold_indirect": c.gold_indirect,
        "recall_direct": _ratio(c.matched_gold_direct, c.gold_direct),
        "recall_indirect": _ratio(c.matched_gold_indirect, c.gold_indirect),
        "pred_direct": c.pred_direct,
        "pred_indirect": c.pred_indirect,
        "precision_direct": _ratio(c.matched_pred_direct, c.pred_direct),
        "precision_indirect": _ratio(c.matched_pred_indirect, c.pred_indirect),
        "speaker_acc_direct": _ratio(c.speaker_right_direct, c.speaker_den_direct),
        "speaker_acc_indirect": _ratio(c.speaker_right_indirect, c.speaker_den_indirect),
        "direct_flag_acc": _ratio(c.direct_flag_agree, c.direct_flag_den),
        "strict_precision": _ratio(c.strict_matched, c.preds),
        "strict_recall": _ratio(c.strict_matched, c.golds),
        "strict_f1": _f1(_ratio(c.strict_matched, c.preds), _ratio(c.strict_matched, c.golds)),
        "mean_char_f1": _ratio(c.char_f1_sum, c.matched),
        "cards": c.cards,
        "cards_shown": c.cards_shown,
        "card_shown": c.card_shown,
        "card_precision": _ratio(c.card_right, c.card_shown),
        "card_unannotated_share": _ratio(c.card_unannotated, c.card_shown),
        "card_precision_annotated": _ratio(c.card_right, c.card_shown - c.card_unannotated),
    }


# --------------------------------------------------------------------------------------------
# PFSA-ID: derive each statement's source (pure)
# --------------------------------------------------------------------------------------------

PERSON_LABELS = frozenset({"PERSON", "PERSONCOREF"})
CUE_LABELS = frozenset({"CUE", "CUECOREF"})
CUE_GAP = 3


@dataclass(frozen=True)
class LabeledSpan:
    label: str
    start: int
    end: int
    text: str = ""


def _line_bounds(text: str, start: int, end: int) -> Span:
    """From the line start before ``start`` to the line end after ``end``."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    return lo, (len(text) if hi < 0 else hi)


def _distance(a: Span, b: Span) -> int:
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


def derive_pfsa_sources(
    text: str, spans: Sequence[LabeledSpan]
) -> list[tuple[LabeledSpan, LabeledSpan | None]]:
    """Each STATEMENT with the PERSON/PERSONCOREF span taken as its source (see docstring)."""
    statements = sorted((s for s in spans if s.label == "STATEMENT"), key=lambda s: s.start)
    cues = [s for s in spans if s.label in CUE_LABELS]

    def inside_statement(s: LabeledSpan) -> bool:
        return any(st.start <= s.start and s.end <= st.end for st in statements)

    persons = sorted(
        (s for s in spans if s.label in PERSON_LABELS and not inside_statement(s)),
        key=lambda s: s.start,
    )
    out: list[tuple[LabeledSpan, LabeledSpan | None]] = []
    for st in statements:
        sspan = (st.start, st.end)
        adjacent = [c for c in cues if _distance((c.start, c.end), sspan) <= CUE_GAP]
        # nearest first; on a tie prefer the cue after the statement
        adjacent.sort(key=lambda c: (_distance((c.start, c.end), sspan), c.start < st.start))
        source: LabeledSpan | None = None
        if adjacent and adjacent[0].label == "CUE":
            cue = adjacent[0]
            lo, hi = _line_bounds(text, cue.start, cue.end)
            same_line = [p for p in persons if p.start >= lo and p.end <= hi]
            if same_line:
                source = min(
                    same_line,
                    key=lambda p: (_distance((p.start, p.end), (cue.start, cue.end)), p.start),
                )
        if source is None:
            lo, hi = _line_bounds(text, st.start, st.end)
            own_lines = [p for p in persons if p.start >= lo and p.end <= hi]
            before = [p for p in persons if p.end <= st.start]
            after = [p for p in persons if p.start >= st.end]
            if own_lines:
                source = min(own_lines, key=lambda p: (_distance((p.start, p.end), sspan), p.start))
            elif before:
                source = max(before, key=lambda p: (p.end, p.start))
            elif after:
                source = after[0]
        out.append((st, source))
    return out


# --------------------------------------------------------------------------------------------
# Naive regex baseline (pure)
# --------------------------------------------------------------------------------------------

_SPEECH_VERBS = (
    # en
    "said|says|say|told|tells|tell|according to|reported|reports|report|added|adds|stated|"
    "states|claimed|claims|denied|denies|argued|argues|explained|wrote|writes|announced|"
    "insisted|warned|noted|asked|suggested|acknowledged|admitted|"
    # id
    "kata|katanya|ujar|ujarnya|ucap|ucapnya|tutur|tuturnya|menurut|mengatakan|menyatakan|"
    "menjelaskan|menegaskan|mengungkapkan|menuturkan|melaporkan|membantah|menambahkan|"
    "dikatakan|menyebutkan|menyebut|mengklaim|menuduh|menilai|mengakui"
)
_SPEECH_RE = re.compile(rf"\b(?:{_SPEECH_VERBS})\b", re.IGNORECASE)
_SENTENCE_RE = re.compile(r"[^\n.!?]+(?:[.!?]+[\"\u201d\u2019']?|(?=\n)|$)")
_NAME_RE = re.compile(
    r"\b[A-Z][\w'\u2019.\-]*(?:\s+(?:(?:de|van|von|bin|binti|al|el)\s+)?[A-Z][\w'\u2019.\-]*)*"
)
_QUOTE_CHARS = frozenset('"\u201c\u201d\u00ab\u00bb\u201e')


def baseline_predict(text: str) -> list[Prediction]:
    """Sentence with a speech verb -> claim; nearest capitalized name in it -> speaker."""
    preds: list[Prediction] = []
    for m in _SENTENCE_RE.finditer(text):
        sentence = m.group(0)
        lead = len(sentence) - len(sentence.lstrip())
        start, end = m.start() + lead, m.end()
        if end - start < 2:
            continue
        verb = _SPEECH_RE.search(text, start, end)
        if verb is None:
            continue
        best: tuple[int, Span, str] | None = None
        for nm in _NAME_RE.finditer(text, start, end):
            name = nm.group(0).rstrip(".")
            span = (nm.start(), nm.start() + len(name))
            d = _distance(span, (verb.start(), verb.end()))
            if best is None or d < best[0]:
                best = (d, span, name)
        if best is None:
            continue
        preds.append(
            Prediction(
                start=start,
                end=end,
                speaker_name=best[2],
                mention=best[1],
                direct=any(ch in _QUOTE_CHARS for ch in text[start:end]),
            )
        )
    return preds


# --------------------------------------------------------------------------------------------
# Data loading
# --------------------------------------------------------------------------------------------


class DataMissing(Exception):
    pass


def resolve_data_dir(cli_value: str | None) -> Path:
    if cli_value:
        path = Path(cli_value)
        if not path.is_absolute():
            path = REPO_ROOT / path
        return path
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env)
    return DEFAULT_DATA_DIR


def _require(path: Path) -> Path:
    if not path.is_file():
        raise DataMissing(
            f"evaluation data not found: {path}\n"
            f"Point --data-dir or ${ENV_DATA_DIR} at the shared eval directory "
            f"(default {DEFAULT_DATA_DIR})."
        )
    return path


def _read_jsonl(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    with _require(path).open(encoding="utf-8") as fh:
        n = 0
        for line in fh:
            if not line.strip():
                continue
            yield json.loads(line)
            n += 1
            if limit is not None and n >= limit:
                return


@dataclass
class EvalUnit:
    key: str  # text identity (analysis is cached per key)
    text: str
    golds: list[GoldAttribution]
    group: str = ""  # article id, for the single-annotator view
    meta: dict[str, Any] = field(default_factory=dict)


def _pieces(part: dict[str, Any] | None) -> tuple[Span, ...]:
    if not part or not part.get("spans"):
        return ()
    return tuple(sorted((int(s), int(e)) for s, e in part["spans"]))


def polnear_units(data_dir: Path, split: str, limit: int | None) -> list[EvalUnit]:
    path = data_dir / "attribution" / "polnear" / f"polnear_{split}.jsonl"
    units: list[EvalUnit] = []
    for row in _read_jsonl(path, limit):
        text = row["text"]
        golds: list[GoldAttribution] = []
        for att in row.get("attributions", []):
            content = _pieces(att.get("content"))
            if not content:
                continue
            source = _pieces(att.get("source")) or None
            direct = gold_is_direct([text[s:e] for s, e in content])
            cue = (att.get("cue") or {}).get("text")
            golds.append(
                GoldAttribution(
                    content=content,
                    source=source,
                    source_text=(att.get("source") or {}).get("text") if source else None,
                    direct=direct,
                    quote=source is not None and (direct or is_quote_cue(cue)),
                )
            )
        units.append(
            EvalUnit(
                key=row["doc_id"],
                text=text,
                golds=golds,
                group=row["doc_id"],
                meta={"annotator": row.get("annotator")},
            )
        )
    return units


def ggt_like_units(data_dir: Path, half: int, limit: int | None) -> list[EvalUnit]:
    """A GGT-like English set from PolNeAR *train*: one annotator line per article, the gold
    restricted to quotes (``GoldAttribution.quote``). Articles are split in two halves by a
    fixed hash of their id: half 0 fits the confidence model, half 1 is the GGT-like dev set."""
    seen: set[str] = set()
    out: list[EvalUnit] = []
    for u in polnear_units(data_dir, "train", None):
        if u.group in seen or zlib.crc32(u.group.encode()) % 2 != half:
            continue
        seen.add(u.group)
        if half == 1:
            u.golds = [g for g in u.golds if g.quote]
        out.append(u)
        if limit is not None and len(out) >= limit:
            break
    return out


FIXTURE_DIR = REPO_ROOT / "tests" / "fixtures" / "articles"
_FOLD = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)


def fixture_units(language: str, directory: Path = FIXTURE_DIR) -> list[EvalUnit]:
    """The repository's hand-annotated invented articles: each attributed gold entry becomes
    a gold attribution whose content is its ``text_contains`` fragment (located with quote
    marks folded) and whose source is the speaker with all its aliases."""
    units: list[EvalUnit] = []
    for path in sorted(directory.glob("*.txt")):
        gold = json.loads(path.with_name(path.stem + ".gold.json").read_text(encoding="utf-8"))
        if gold.get("language") != language:
            continue
        text = path.read_text(encoding="utf-8")
        folded = text.translate(_FOLD)
        golds: list[GoldAttribution] = []
        for entry in gold["claims"]:
            if not entry.get("speaker"):
                continue
            frag = entry["text_contains"].translate(_FOLD)
            at = folded.find(frag)
            if at < 0:
                raise DataMissing(f"{path.name}: fragment not in text: {frag!r}")
            golds.append(
                GoldAttribution(
                    content=((at, at + len(frag)),),
                    source=None,
                    source_text=entry["speaker"],
                    aliases=tuple(entry.get("aliases", [])),
                    direct=bool(entry.get("direct")),
                    quote=True,
                )
            )
        units.append(EvalUnit(key=path.stem, text=text, golds=golds, group=path.stem))
    return units


PFSA_FILES = {
    "dev-40": "pfsa-id_dev-40.spans.jsonl",
    "med-dev-dl-20": "pfsa-id-med_dev-dl-20-v2.spans.jsonl",
}


def pfsa_units(data_dir: Path, name: str, limit: int | None) -> list[EvalUnit]:
    path = data_dir / "attribution" / "pfsa-id" / PFSA_FILES[name]
    units: list[EvalUnit] = []
    for row in _read_jsonl(path, limit):
        text = row["text"]
        spans = [
            LabeledSpan(s["label"], int(s["start"]), int(s["end"]), s.get("text", ""))
            for s in row.get("spans", [])
        ]
        golds = [
            GoldAttribution(
                content=((st.start, st.end),),
                source=((src.start, src.end),) if src else None,
                source_text=src.text if src else None,
                direct=None,
            )
            for st, src in derive_pfsa_sources(text, spans)
        ]
        key = f"{name}:{row.get('article_index')}"
        units.append(EvalUnit(key=key, text=text, golds=golds, group=key))
    return units


# --------------------------------------------------------------------------------------------
# Running the analyzer
# --------------------------------------------------------------------------------------------


def load_analyze() -> Callable[..., Any]:
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    try:
        from bot.analysis import analyze
    except ImportError as exc:
        raise SystemExit(
            f"cannot import bot.analysis.analyze ({exc}); run with --baseline to score the "
            "regex baseline only"
        ) from exc
    return analyze  # type: ignore[no-any-return]


@dataclass
class RunStats:
    errors: int = 0
    offset_mismatches: int = 0
    speakerless_claims: int = 0
    seconds: float = 0.0
    first_error: str | None = None


def claims_to_predictions(text: str, analysis: Any, stats: RunStats) -> list[Prediction]:
    preds: list[Prediction] = []
    for claim in analysis.claims:
        # a split quotation's text elides the attribution inside it (' … ')
        if text[claim.start : claim.end] != claim.text and " … " not in claim.text:
            stats.offset_mismatches += 1
        if claim.speaker is None:
            stats.speakerless_claims += 1
            continue
        sp = claim.speaker
        mention = (
            (sp.mention_start, sp.mention_end)
            if sp.mention_start is not None and sp.mention_end is not None
            else None
        )
        preds.append(
            Prediction(
                start=claim.start,
                end=claim.end,
                speaker_name=sp.name,
                mention=mention,
                direct=bool(claim.direct),
                key=bool(claim.key),
                score=float(claim.score),
                confidence=getattr(claim, "confidence", None),
                cue=claim.cue,
            )
        )
    return preds


def make_predictor(
    baseline: bool, language: str
) -> tuple[Callable[[str], list[Prediction]], RunStats]:
    stats = RunStats()
    if baseline:
        return baseline_predict, stats
    analyze = load_analyze()

    def predict(text: str) -> list[Prediction]:
        t0 = time.perf_counter()
        try:
            analysis = analyze(text, language=language)
        except Exception:  # a crash on one article is reported, not fatal
            stats.errors += 1
            if stats.first_error is None:
                stats.first_error = traceback.format_exc()
            return []
        finally:
            stats.seconds += time.perf_counter() - t0
        return claims_to_predictions(text, analysis, stats)

    return predict, stats


def is_quote_prediction(p: Prediction) -> bool:
    """The analyzer's own GGT-style quotes: direct quotations and quote-verb cues."""
    return p.direct or is_quote_cue(p.cue)


def evaluate_units(
    units: Sequence[EvalUnit],
    predict: Callable[[str], list[Prediction]],
    *,
    pred_filter: Callable[[Prediction], bool] | None = None,
    partial_gold: bool = False,
) -> tuple[Counts, Counts]:
    """(all units, first unit per group) counts; analysis cached per unit key.

    ``pred_filter`` restricts the predictions scored for content and speaker; the card is
    always what the reader sees, all key claims."""
    cache: dict[str, list[Prediction]] = {}
    total, single = Counts(), Counts()
    seen: set[str] = set()
    for u in units:
        if u.key not in cache:
            cache[u.key] = predict(u.text)
        preds = cache[u.key]
        kept = [p for p in preds if pred_filter(p)] if pred_filter else preds
        c = score_document(kept, u.golds, partial_gold=partial_gold, shown=card(preds))
        total.add(c)
        if u.group not in seen:
            seen.add(u.group)
            single.add(c)
    return total, single


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------


def _fmt(v: float | int | None) -> str:
    if v is None:
        return "  n/a"
    if isinstance(v, int):
        return str(v)
    return f"{v:.3f}"


@dataclass
class FloorResult:
    label: str
    value: float | None
    floor: float
    official: bool

    @property
    def ok(self) -> bool:
        return self.value is not None and self.value >= self.floor


FLOOR_RESULTS: list[FloorResult] = []


def _floor_line(label: str, value: float | None, floor: float, official: bool) -> tuple[str, bool]:
    ok = value is not None and value >= floor
    verdict = "PASS" if ok else "FAIL"
    if not official:
        verdict += " (indicative: floor defined on the full reference set)"
    return f"  {label:<26} {_fmt(value):>6}   floor >= {floor:.2f}   {verdict}", ok


def check_floors(
    title: str, s: dict[str, float | int | None], floors: dict[str, float], official: bool
) -> bool:
    all_ok = True
    if not floors:
        return True
    print("  floors:")
    for key, floor in floors.items():
        value = s[key]
        v = None if isinstance(value, int) else value
        line, ok = _floor_line(key, v, floor, official)
        print(line)
        FLOOR_RESULTS.append(FloorResult(f"{title}: {key}", v, floor, official))
        all_ok &= ok
    return all_ok


def report_attribution(
    title: str,
    s: dict[str, float | int | None],
    floors: dict[str, float],
    official: bool,
    split_direct: bool,
    *,
    short: str | None = None,
) -> bool:
    print(f"\n== {title} ==")
    print(
        f"  units {s['docs']}  gold {s['gold']} (without source {s['gold_without_source']})"
        f"  predictions {s['predictions']}  matched {s['matched']}"
    )
    mp, mg = s["mean_pred_chars"], s["mean_gold_chars"]
    print(
        f"  mean span chars: predicted {mp:.0f}, gold {mg:.0f}"
        if mp is not None and mg is not None
        else "  mean span chars: n/a"
    )
    print(
        f"  content  P {_fmt(s['content_precision'])}  R {_fmt(s['content_recall'])}"
        f"  F1 {_fmt(s['content_f1'])}"
    )
    print(
        f"  strict content (char F1 >= {STRICT_CHAR_F1})  P {_fmt(s['strict_precision'])}"
        f"  R {_fmt(s['strict_recall'])}  F1 {_fmt(s['strict_f1'])}   mean char F1 on matched "
        f"{_fmt(s['mean_char_f1'])}"
    )
    print(
        f"  speaker accuracy on matched {_fmt(s['speaker_acc'])}   (diagnostic, any shared name "
        f"word: {_fmt(s['speaker_acc_loose'])})"
    )
    print(
        f"  end-to-end  P {_fmt(s['e2e_precision'])}  R {_fmt(s['e2e_recall'])}"
        f"  F1 {_fmt(s['e2e_f1'])}"
    )
    print(
        f"  cards: {s['cards_shown']}/{s['cards']} articles show key claims, {s['card_shown']} "
        f"claims shown; card precision {_fmt(s['card_precision'])}"
        f"  (shown on unannotated text {_fmt(s['card_unannotated_share'])}; precision on "
        f"annotated text {_fmt(s['card_precision_annotated'])})"
    )
    if split_direct:
        print(
            f"  direct   gold {s['gold_direct']}  recall {_fmt(s['recall_direct'])}"
            f"  | pred {s['pred_direct']}  precision {_fmt(s['precision_direct'])}"
            f"  | speaker acc {_fmt(s['speaker_acc_direct'])}"
        )
        print(
            f"  indirect gold {s['gold_indirect']}  recall {_fmt(s['recall_indirect'])}"
            f"  | pred {s['pred_indirect']}  precision {_fmt(s['precision_indirect'])}"
            f"  | speaker acc {_fmt(s['speaker_acc_indirect'])}"
        )
        print(f"  direct flag agreement on matched {_fmt(s['direct_flag_acc'])}")
    return check_floors(short or title, s, floors, official)


RELIABILITY_BINS = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def report_reliability(title: str, c: Counts, official: bool) -> bool:
    """The reliability curve: per confidence bin, how often the claim was right."""
    rows = [(conf, right) for conf, right in c.reliability if right is not None]
    unknown = len(c.reliability) - len(rows)
    print(f"  reliability ({title}; right = content matched and speaker right):")
    if not rows:
        print("    no confidences (the analyzer does not report them)")
        return False
    print(f"    {'confidence':<12} {'claims':>7} {'mean conf':>10} {'right':>7}")
    for lo, hi in zip(RELIABILITY_BINS, RELIABILITY_BINS[1:], strict=False):
        got = [(cf, r) for cf, r in rows if lo <= cf < hi]
        if not got:
            continue
        mean = sum(cf for cf, _ in got) / len(got)
        acc = sum(r for _, r in got) / len(got)
        print(
            f"    [{lo:.1f}, {min(hi, 1.0):.1f}{']' if hi > 1 else ')'}   {len(got):>7} "
            f"{mean:>10.3f} {acc:>7.3f}"
        )
    if unknown:
        print(f"    ({unknown} claims on text the gold does not annotate left out)")
    confident = [r for cf, r in rows if cf >= CONFIDENT]
    share = sum(confident) / len(confident) if confident else None
    print(
        f"    confidence >= {CONFIDENT}: {len(confident)} claims "
        f"({len(confident) / len(rows):.0%} of scored), right {_fmt(share)}"
    )
    line, ok = _floor_line(f"right at conf >= {CONFIDENT}", share, CONFIDENT_FLOOR, official)
    print(line)
    FLOOR_RESULTS.append(
        FloorResult(f"{title}: right at conf >= {CONFIDENT}", share, CONFIDENT_FLOOR, official)
    )
    return ok


def _report_run_stats(stats: RunStats, baseline: bool) -> None:
    if baseline:
        return
    print(
        f"  analyzer: {stats.seconds:.2f}s in analyze(), errors {stats.errors}, speaker-null "
        f"claims ignored {stats.speakerless_claims}, claim text != text[start:end] "
        f"{stats.offset_mismatches}"
    )
    if stats.first_error:
        print("  first error:\n" + stats.first_error)


def _quote_view(units: Sequence[EvalUnit]) -> list[EvalUnit]:
    return [
        EvalUnit(u.key, u.text, [g for g in u.golds if g.quote], u.group, u.meta) for u in units
    ]


def run_polnear(args: argparse.Namespace, data_dir: Path) -> bool:
    units = polnear_units(data_dir, args.split, args.limit)
    language = "en" if args.language_hint else "auto"
    predict, stats = make_predictor(args.baseline, language)
    cached = _caching(predict)
    total, single = evaluate_units(units, cached)
    who = "regex baseline" if args.baseline else "analyzer"
    official = args.split == "dev" and args.limit is None
    ok = report_attribution(
        f"PolNeAR {args.split} ({who}; every article x annotator line)",
        summarize(total),
        POLNEAR_FLOORS,
        official,
        split_direct=True,
        short=f"PolNeAR {args.split}",
    )
    if total.docs != single.docs:
        s1 = summarize(single)
        print(
            f"  one annotator per article ({s1['docs']} articles): content F1 "
            f"{_fmt(s1['content_f1'])}  speaker acc {_fmt(s1['speaker_acc'])}  e2e F1 "
            f"{_fmt(s1['e2e_f1'])}  strict F1 {_fmt(s1['strict_f1'])}  card precision "
            f"{_fmt(s1['card_precision'])}"
        )
    if not args.baseline:
        ok &= report_reliability(f"PolNeAR {args.split}", total, official)
    _report_run_stats(stats, args.baseline)
    quotes = _quote_view(units)
    qt, _ = evaluate_units(quotes, cached, pred_filter=is_quote_prediction)
    ok &= report_attribution(
        f"PolNeAR {args.split} restricted to GGT-style quotes (gold quotes vs the analyzer's "
        "quote-verb / direct claims)",
        summarize(qt),
        QUOTE_FLOORS,
        official,
        split_direct=True,
        short=f"PolNeAR {args.split} quotes",
    )
    qa, _ = evaluate_units(quotes, cached)
    sa = summarize(qa)
    print(
        f"  (all predictions against the quote gold: content P {_fmt(sa['content_precision'])}"
        f" R {_fmt(sa['content_recall'])} F1 {_fmt(sa['content_f1'])}, speaker acc "
        f"{_fmt(sa['speaker_acc'])})"
    )
    return ok


def _caching(predict: Callable[[str], list[Prediction]]) -> Callable[[str], list[Prediction]]:
    memo: dict[str, list[Prediction]] = {}

    def cached(text: str) -> list[Prediction]:
        got = memo.get(text)
        if got is None:
            got = memo[text] = predict(text)
        return got

    return cached


def run_ggt(args: argparse.Namespace, data_dir: Path) -> bool:
    units = ggt_like_units(data_dir, 1, args.limit)
    predict, stats = make_predictor(args.baseline, "en" if args.language_hint else "auto")
    cached = _caching(predict)
    official = args.limit is None
    qt, _ = evaluate_units(units, cached, pred_filter=is_quote_prediction)
    ok = report_attribution(
        "GGT-like English dev (PolNeAR train, odd hash half, one annotator per article; gold "
        "quotes vs the analyzer's quote-verb / direct claims; card: every key claim)",
        summarize(qt),
        GGT_FLOORS,
        official,
        split_direct=True,
        short="GGT-like",
    )
    qa, _ = evaluate_units(units, cached)
    sa = summarize(qa)
    print(
        f"  (all predictions against the quote gold: content P {_fmt(sa['content_precision'])}"
        f" R {_fmt(sa['content_recall'])} F1 {_fmt(sa['content_f1'])}, speaker acc "
        f"{_fmt(sa['speaker_acc'])})"
    )
    if not args.baseline:
        # reliability against the full gold of the same articles (a claim that is a right
        # attribution but no quote is still right)
        full = {u.group: u for u in ggt_full_units(data_dir, args.limit)}
        ft, _ = evaluate_units(list(full.values()), cached)
        ok &= report_reliability("GGT-like (all attributions)", ft, official)
    _report_run_stats(stats, args.baseline)
    return ok


def ggt_full_units(data_dir: Path, limit: int | None) -> list[EvalUnit]:
    """The GGT-like articles with their full PolNeAR gold (every attribution)."""
    seen: set[str] = set()
    out: list[EvalUnit] = []
    for u in polnear_units(data_dir, "train", None):
        if u.group in seen or zlib.crc32(u.group.encode()) % 2 != 1:
            continue
        seen.add(u.group)
        out.append(u)
        if limit is not None and len(out) >= limit:
            break
    return out


def run_fixtures(args: argparse.Namespace, data_dir: Path) -> bool:
    predict, stats = make_predictor(args.baseline, "auto")
    ok = True
    for lang in ("en", "id"):
        units = fixture_units(lang)
        total, _ = evaluate_units(units, predict)
        ok &= report_attribution(
            f"hand-annotated invented articles, {lang} ({len(units)} articles in "
            "tests/fixtures/articles; gold content = the text_contains fragment)",
            summarize(total),
            FIXTURE_FLOORS
            if lang == "en"
            else {"card_precision": FIXTURE_FLOORS["card_precision"]},
            True,
            split_direct=False,
            short=f"fixtures {lang}",
        )
    _report_run_stats(stats, args.baseline)
    return ok


def run_english_quotes(args: argparse.Namespace, data_dir: Path) -> bool:
    """PolNeAR dev quotes and the English fixtures pooled: the GGT-style English figure."""
    predict, _ = make_predictor(args.baseline, "auto")
    units = _quote_view(polnear_units(data_dir, "dev", args.limit)) + fixture_units("en")
    total, _ = evaluate_units(units, predict, pred_filter=is_quote_prediction)
    return report_attribution(
        "English GGT-style quotes pooled (PolNeAR dev quotes + English fixtures)",
        summarize(total),
        QUOTE_FLOORS,
        args.limit is None,
        split_direct=False,
        short="English quotes pooled",
    )


def run_pfsa(args: argparse.Namespace, data_dir: Path) -> bool:
    units = pfsa_units(data_dir, args.file, args.limit)
    language = "id" if args.language_hint else "auto"
    predict, stats = make_predictor(args.baseline, language)
    total, _ = evaluate_units(units, predict, partial_gold=True)
    s = summarize(total)
    s["recall"] = s["content_recall"]
    who = "regex baseline" if args.baseline else "analyzer"
    official = args.file == "dev-40" and args.limit is None
    ok = report_attribution(
        f"PFSA-ID {args.file} ({who}; statement recall, precision for information only)",
        s,
        PFSA_FLOORS,
        official,
        split_direct=False,
        short=f"PFSA-ID {args.file}",
    )
    if not args.baseline:
        ok &= report_reliability(f"PFSA-ID {args.file}", total, official)
    _report_run_stats(stats, args.baseline)
    return ok


def speed_texts(data_dir: Path, n: int) -> list[str]:
    texts: list[str] = []
    seen: set[str] = set()
    for row in _read_jsonl(data_dir / "attribution" / "polnear" / "polnear_dev.jsonl"):
        if row["doc_id"] not in seen:
            seen.add(row["doc_id"])
            texts.append(row["text"])
        if len(texts) >= n:
            return texts
    for row in _read_jsonl(data_dir / "corpus" / "bbc_articles.jsonl", n - len(texts)):
        title = row.get("title") or ""
        texts.append(f"{title}\n\n{row['text']}" if title else row["text"])
    return texts


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity") and hasattr(os, "sched_getaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        if cpus:
            os.sched_setaffinity(0, {cpus[0]})
            return f"pinned to CPU {cpus[0]}"
    return "not pinned (no sched_setaffinity)"


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    rss = resource.getrusage(who).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _speed_verdicts(rate_wall: float, rate_cpu: float, rss: float) -> bool:
    ok_speed = rate_cpu >= SPEED_FLOOR
    ok_mem = rss < MEMORY_CEILING_MB
    print(f"  {'articles/s (wall clock)':<26} {rate_wall:>8.1f}   (the machine is shared)")
    print(
        f"  {'articles/s (CPU time)':<26} {rate_cpu:>8.1f}   floor >= {SPEED_FLOOR:.0f}   "
        f"{'PASS' if ok_speed else 'FAIL'}"
    )
    print(
        f"  {'peak RSS (MB)':<26} {rss:>8.1f}   ceiling < {MEMORY_CEILING_MB:.0f}   "
        f"{'PASS' if ok_mem else 'FAIL'}  (whole process, incl. interpreter and texts)"
    )
    FLOOR_RESULTS.append(FloorResult("speed: articles/s (CPU)", rate_cpu, SPEED_FLOOR, True))
    FLOOR_RESULTS.append(
        FloorResult(
            "speed: headroom under the 300 MB peak RSS ceiling", MEMORY_CEILING_MB - rss, 0.0, True
        )
    )
    return ok_speed and ok_mem


def run_speed(args: argparse.Namespace, data_dir: Path) -> bool:
    texts = speed_texts(data_dir, args.n)
    if args.cli:
        return run_speed_cli(texts)
    pinned = pin_one_core()
    if args.baseline:
        analyze: Callable[..., Any] = lambda text, language="auto": baseline_predict(text)  # noqa: E731
    else:
        analyze = load_analyze()
    analyze("Warm-up call, not timed. The minister said it was fine.")
    elapsed = 0.0
    cpu0 = time.process_time()
    for text in texts:
        t0 = time.perf_counter()
        analyze(text)
        elapsed += time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    chars = sum(len(t) for t in texts)
    who = "regex baseline" if args.baseline else "analyzer"
    print(
        f"\n== speed ({who}; {len(texts)} articles, mean {chars // max(1, len(texts))} chars; "
        f"{pinned}) =="
    )
    print(
        f"  total {elapsed:.2f}s wall, {cpu:.2f}s CPU in analyze()  "
        f"({chars / max(cpu, 1e-9) / 1e6:.2f} M chars per CPU second)"
    )
    return _speed_verdicts(
        len(texts) / max(elapsed, 1e-9), len(texts) / max(cpu, 1e-9), peak_rss_mb()
    )


def run_speed_cli(texts: Sequence[str]) -> bool:
    """``katasiapa analyze --jsonl`` end to end on one core, start-up included."""
    exe = Path(sys.executable).with_name("katasiapa")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "bot"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for i, t in enumerate(texts):
                fh.write(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(
            [*cmd, "analyze", "--jsonl", str(path)],
            capture_output=True,
            preexec_fn=pin_one_core,  # noqa: PLW1509 - a plain fork+exec, no threads here
            check=False,
        )
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    errors = sum(1 for line in lines if '"error"' in line[:80])
    print(
        f"\n== speed end to end (katasiapa analyze --jsonl; {len(texts)} articles, one core, "
        f"start-up included) =="
    )
    print(
        f"  exit {proc.returncode}, {len(lines)} result lines, {errors} errors; {wall:.2f}s "
        f"wall, {cpu:.2f}s CPU"
    )
    return (
        _speed_verdicts(
            len(texts) / max(wall, 1e-9),
            len(texts) / max(cpu, 1e-9),
            peak_rss_mb(resource.RUSAGE_CHILDREN),
        )
        and proc.returncode == 0
        and len(lines) == len(texts)
    )


def prediction_labels(
    preds: Sequence[Prediction], golds: Sequence[GoldAttribution], *, partial_gold: bool
) -> list[bool | None]:
    """Per prediction: right (content matched one-to-one, speaker right), wrong, or None
    where a partial gold (PFSA-ID) annotates nothing under the prediction."""
    right = {pi for pi, gi in greedy_match(preds, golds) if speaker_correct(preds[pi], golds[gi])}
    out: list[bool | None] = []
    for pi, p in enumerate(preds):
        label: bool | None = pi in right
        if (
            partial_gold
            and not label
            and not any(spans_overlap((p.start, p.end), g.content) for g in golds)
        ):
            label = None
        out.append(label)
    return out


def _signal_rows(
    units: Sequence[EvalUnit], language: str, *, partial_gold: bool
) -> tuple[list[tuple[dict[str, float], bool]], int, int]:
    """(signals, right) for every attributed claim, and (speaker-less claims, how many of
    them no gold content overlaps) for the outlet-statement constant."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from bot.analysis import analyze_with_signals

    rows: list[tuple[dict[str, float], bool]] = []
    null_total = null_free = 0
    stats = RunStats()
    for u in units:
        analysis, sigs = analyze_with_signals(u.text, language=language)
        preds: list[Prediction] = []
        psigs: list[dict[str, float]] = []
        for claim, sig in zip(analysis.claims, sigs, strict=True):
            if claim.speaker is None or sig is None:
                null_total += 1
                null_free += not any(
                    spans_overlap((claim.start, claim.end), g.content) for g in u.golds
                )
                continue
            psigs.append(sig)
        preds = claims_to_predictions(u.text, analysis, stats)
        for sig, label in zip(
            psigs, prediction_labels(preds, u.golds, partial_gold=partial_gold), strict=True
        ):
            if label is not None:
                rows.append((sig, label))
    return rows, null_total, null_free


def fit_logistic(
    rows: Sequence[tuple[dict[str, float], bool]], l2: float = 1.0, iterations: int = 25
) -> dict[str, float]:
    """L2-regularized logistic regression by Newton's method over sparse rows (pure Python:
    a few dozen features, some thousand rows)."""
    names = sorted({k for sig, _ in rows for k in sig})
    index = {n: i for i, n in enumerate(names)}
    xs = [[(index[k], v) for k, v in sig.items() if v] for sig, _ in rows]
    ys = [1.0 if y else 0.0 for _, y in rows]
    d = len(names)
    w = [0.0] * d
    for _ in range(iterations):
        grad = [l2 * wi for wi in w]
        grad[index["bias"]] -= l2 * w[index["bias"]]  # the bias is not shrunk
        hess = [[0.0] * d for _ in range(d)]
        for i in range(d):
            hess[i][i] = l2 if names[i] != "bias" else 1e-6
        for x, y in zip(xs, ys, strict=True):
            z = sum(w[j] * v for j, v in x)
            z = max(-30.0, min(30.0, z))
            pr = 1.0 / (1.0 + math.exp(-z))
            g = pr - y
            h = pr * (1.0 - pr)
            for j, v in x:
                grad[j] += g * v
                row = hess[j]
                for k, u in x:
                    row[k] += h * v * u
        step = _solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step, strict=True)]
        if max(abs(si) for si in step) < 1e-6:
            break
    return {n: round(w[i], 3) for i, n in enumerate(names)}


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Solve a x = b by Gaussian elimination with partial pivoting (a is copied)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[piv] = m[piv], m[c]
        if abs(m[c][c]) < 1e-12:
            continue
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            if f:
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        if abs(m[r][r]) < 1e-12:
            continue
        x[r] = (m[r][n] - sum(m[r][k] * x[k] for k in range(r + 1, n))) / m[r][r]
    return x


def run_calibrate(args: argparse.Namespace, data_dir: Path) -> bool:
    """Fit the confidence weights on PolNeAR train (hash half 0) and dev and on PFSA-ID
    med-dev and dev-40, print the Python literal that goes into
    ``bot/analysis/confidence.py``. The GGT-like half (train, odd hash) is never fitted on:
    its reliability curve is the out-of-sample check."""
    en_units = ggt_like_units(data_dir, 0, args.limit) + polnear_units(data_dir, "dev", args.limit)
    id_units = pfsa_units(data_dir, "med-dev-dl-20", args.limit) + pfsa_units(
        data_dir, "dev-40", args.limit
    )
    en_rows, en_null, en_free = _signal_rows(en_units, "auto", partial_gold=False)
    id_rows, _, _ = _signal_rows(id_units, "auto", partial_gold=True)
    rows = en_rows + id_rows
    print(
        f"fitting on {len(en_rows)} PolNeAR claims (train hash half 0 and dev, "
        f"{len(en_units)} article lines) and {len(id_rows)} PFSA-ID claims (med-dev and "
        f"dev-40, {len(id_units)} articles); the GGT-like half is never fitted on"
    )
    weights = fit_logistic(rows)
    share = en_free / en_null if en_null else 0.5
    print(f"speaker-less claims on no gold attribution: {en_free}/{en_null} = {share:.3f}")
    print("WEIGHTS: dict[str, float] = {")
    for k, v in sorted(weights.items(), key=lambda kv: (kv[0] != "bias", kv[0])):
        print(f'    "{k}": {v},')
    print("}")
    print(f"UNATTRIBUTED_CONFIDENCE = {share:.3f}")
    return True


BAD_INPUT_FLOOR = 1.0  # seconds of CPU per 100 kB at most


def bad_inputs() -> dict[str, str]:
    """Generated pathological texts (no data files): about 100 kB each."""
    size = 100_000
    rng = __import__("random").Random(11)
    soup = ["said ", "kata ", "menurut ", '"', "“", "”", ", ", ". ", "Budi ", "the ", "\n"]
    return {
        "no sentence end": ("the mayor said things are fine and more words " * 2300)[:size],
        "cue words only": ("said kata ujar " * 7000)[:size],
        "a thousand quote marks x100": ('"' * 1000 + " said ") * 100,
        "all caps": ("THE MINISTER SAID THE BUDGET WOULD GROW. " * 2500)[:size],
        "table lines": ("Name Surname: 12, 4\n" * 5000)[:size],
        "binary-like": "".join(chr(32 + (i * 7919) % 1100) for i in range(size)),
        "cue soup": "".join(rng.choice(soup) for _ in range(size // 4))[:size],
        "news, repeated": (
            "The minister said the budget would grow by 3 percent. “It is fair,” she added.\n\n"
            * 1300
        )[:size],
    }


def run_bad_input(args: argparse.Namespace, data_dir: Path) -> bool:
    analyze = load_analyze()
    print("\n== bad input (CPU seconds per 100 kB; floor <= 1.0, no exception) ==")
    ok = True
    for name, text in bad_inputs().items():
        t0 = time.process_time()
        try:
            analysis = analyze(text)
            n, err = len(analysis.claims), ""
        except Exception as exc:  # reported, never fatal
            n, err = 0, f"  EXCEPTION {type(exc).__name__}: {exc}"
        per = (time.process_time() - t0) / (len(text) / 100_000)
        good = per <= BAD_INPUT_FLOOR and not err
        ok &= good
        print(f"  {name:<28} {per:6.3f} s  {n:>5} claims  {'PASS' if good else 'FAIL'}{err}")
    FLOOR_RESULTS.append(
        FloorResult("bad input: all within 1 s per 100 kB", 1.0 if ok else 0.0, 1.0, True)
    )
    return ok


def print_floor_summary() -> bool:
    if not FLOOR_RESULTS:
        return True
    print("\n== floors summary ==")
    ok = True
    for f in FLOOR_RESULTS:
        tag = "PASS" if f.ok else "FAIL"
        if not f.official:
            tag += " (indicative)"
        print(f"  {f.label:<58} {_fmt(f.value):>7}  >= {f.floor:<6g} {tag}")
        ok &= f.ok
    return ok


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        default=None,
        help=f"eval data (default ${ENV_DATA_DIR} or {DEFAULT_DATA_DIR})",
    )
    common.add_argument("--baseline", action="store_true", help="score the naive regex baseline")
    common.add_argument("--strict", action="store_true", help="exit 1 when a floor fails")
    common.add_argument(
        "--language-hint",
        action="store_true",
        help='pass the data set language to analyze() instead of "auto"',
    )
    common.add_argument("--limit", type=int, default=None, help="first N lines only")

    parser = argparse.ArgumentParser(
        prog="eval_attribution.py", description=__doc__.split("\n\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("polnear", parents=[common], help="PolNeAR (en), with its quote view")
    p.add_argument("--split", choices=["dev", "train"], default="dev")
    sub.add_parser("ggt", parents=[common], help="GGT-like English dev set from PolNeAR train")
    sub.add_parser("fixtures", parents=[common], help="the hand-annotated invented articles")
    sub.add_parser(
        "quotes", parents=[common], help="English quotes pooled: PolNeAR dev quotes + fixtures"
    )
    p = sub.add_parser("pfsa", parents=[common], help="PFSA-ID (id)")
    p.add_argument("--file", choices=sorted(PFSA_FILES), default="dev-40")
    p = sub.add_parser("speed", parents=[common], help="articles/s and peak RSS")
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--cli", action="store_true", help="time katasiapa analyze --jsonl instead")
    p = sub.add_parser("calibrate", parents=[common], help="fit the confidence model")
    sub.add_parser("badinput", parents=[common], help="pathological inputs: time and no crash")
    p = sub.add_parser(
        "all", parents=[common], help="PolNeAR dev, GGT-like, fixtures, quotes, PFSA-ID, speed"
    )
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--cli", action="store_true", help="time katasiapa analyze --jsonl instead")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = resolve_data_dir(args.data_dir)
    if not data_dir.is_dir():
        print(
            f"eval data directory not found: {data_dir}\nSet --data-dir or ${ENV_DATA_DIR}.",
            file=sys.stderr,
        )
        return 2
    FLOOR_RESULTS.clear()
    try:
        if args.command == "polnear":
            ok = run_polnear(args, data_dir)
        elif args.command == "ggt":
            ok = run_ggt(args, data_dir)
        elif args.command == "fixtures":
            ok = run_fixtures(args, data_dir)
        elif args.command == "quotes":
            ok = run_english_quotes(args, data_dir)
        elif args.command == "pfsa":
            ok = run_pfsa(args, data_dir)
        elif args.command == "speed":
            ok = run_speed(args, data_dir)
        elif args.command == "calibrate":
            ok = run_calibrate(args, data_dir)
        elif args.command == "badinput":
            ok = run_bad_input(args, data_dir)
        else:
            args.split, args.file = "dev", "dev-40"
            ok = run_polnear(args, data_dir)
            ok &= run_ggt(args, data_dir)
            ok &= run_fixtures(args, data_dir)
            ok &= run_english_quotes(args, data_dir)
            ok &= run_pfsa(args, data_dir)
            ok &= run_speed(args, data_dir)
            ok &= run_bad_input(args, data_dir)
            ok &= print_floor_summary()
    except DataMissing as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 1 if (args.strict and not ok) else 0


if __name__ == "__main__":
    sys.exit(main())
