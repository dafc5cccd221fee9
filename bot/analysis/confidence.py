"""How likely a claim is right: its words and its speaker, as a calibrated probability.

A logistic model over a few transparent signals of the construction that produced the claim
(the cue's shape, a complementizer, how the speaker is mentioned, the span's size, nested
attributions). The weights are data, fitted on development data only by
``benchmarks/eval_attribution.py calibrate`` (PolNeAR train, one half of its articles, and
PFSA-ID med-dev; "right" = the content matches a gold attribution and the speaker is right)
and pasted below; ``eval_attribution.py`` prints the reliability curve on other data.

Claims with no speaker are the outlet's own statements; their confidence is the measured
share of such claims that no gold attribution covers.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence

from bot.analysis.attribute import RawClaim
from bot.analysis.lang.base import CompiledPack
from bot.core.models import Claim

# name -> weight; fitted by `eval_attribution.py calibrate` (see the module docstring)
WEIGHTS: dict[str, float] = {
    "bias": 0.605,
    "comp": 0.704,
    "content_long": -0.069,
    "content_prep": -0.699,
    "content_short": -0.975,
    "core_cue": 0.595,
    "direct": 0.332,
    "direct_according": -0.3,
    "direct_bare": -1.447,
    "direct_en": 0.324,
    "direct_final": 1.11,
    "direct_forward": 0.531,
    "direct_fragment": -1.045,
    "direct_id": 0.008,
    "direct_verb": 0.439,
    "forward_object": 0.398,
    "inverted": -0.61,
    "kind_anonymous": 0.472,
    "kind_group": 0.055,
    "kind_organization": -0.129,
    "kind_outlet": -0.069,
    "kind_person": -0.33,
    "mention_anaphor": 0.759,
    "mention_clitic": -2.541,
    "mention_common": 0.178,
    "mention_name": 0.746,
    "mention_pronoun": 0.857,
    "nested": 1.76,
    "overlap": -1.641,
    "role": 0.447,
    "shape_according": 1.012,
    "shape_bare": -1.447,
    "shape_final": 1.415,
    "shape_forward": -0.472,
    "shape_headline": -0.701,
    "shape_nocontent": -0.047,
    "shape_verb": 0.241,
    "source_initial_word": 0.059,
    "source_long": 0.144,
    "source_odd": -1.376,
    "source_possessive": -0.366,
    "speaker_claims": 0.424,
    "stance_accuses": 0.014,
    "stance_declines_comment": -0.29,
    "stance_denies": -0.913,
    "told_to": -0.186,
    "unit_shared": -1.137,
    "via": -1.187,
}
UNATTRIBUTED_CONFIDENCE = 0.474

_CAP_RE = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_WORD_RE = re.compile(r"[^\W\d_][\w'’.-]*")

SHAPES = ("verb", "forward", "final", "according", "nocontent", "headline", "bare", "citing")
MENTIONS = ("name", "pronoun", "clitic", "anaphor", "common")
KINDS = ("person", "organization", "outlet", "group", "anonymous")


class Context:
    """What a claim's signals need from the rest of the article, indexed once (an article
    may hold thousands of claims: every lookup is a bisection, never a scan)."""

    def __init__(
        self,
        text: str,
        cp: CompiledPack,
        raw: Sequence[RawClaim],
        speaker_counts: Mapping[str, int],
    ) -> None:
        self.text = text
        self.cp = cp
        self.speaker_counts = speaker_counts  # claims per speaker name in the article
        self.cue_starts = sorted(c.cue_start for c in raw if c.cue_start >= 0)
        self.spans = sorted((c.start, c.end) for c in raw)
        ends: list[int] = []
        top = -1
        for _, e in self.spans:
            top = max(top, e)
            ends.append(top)
        self.max_end = ends  # max end among spans[: i + 1]
        self.per_unit = Counter(c.unit for c in raw if c.source is not None)

    def sentence_start(self, pos: int) -> bool:
        """Only quote marks, brackets or a line/sentence end before pos."""
        j = pos - 1
        while j >= 0 and self.text[j] in " \t\"“”‘’'([":
            j -= 1
        return j < 0 or self.text[j] in ".!?\n:"

    def nested(self, raw: RawClaim) -> bool:
        """Another claim's cue lies inside this claim's content."""
        i = bisect_right(self.cue_starts, raw.start)
        while i < len(self.cue_starts) and self.cue_starts[i] < raw.end:
            if self.cue_starts[i] != raw.cue_start:
                return True
            i += 1
        return False

    def overlaps(self, raw: RawClaim) -> bool:
        """Another claim's content overlaps this one's."""
        i = bisect_left(self.spans, (raw.start, raw.end))
        if i > 0 and self.max_end[i - 1] > raw.start:
            return True  # one starting earlier reaches into this one
        j = i + 1
        return j < len(self.spans) and self.spans[j][0] < raw.end


def _mention_type(raw: RawClaim, cp: CompiledPack) -> str:
    src = raw.source
    if src is None:
        return "common"
    if src.clitic:
        return "clitic"
    p = cp.pack
    low = src.text.lower()
    if low in p.person_pronouns or low in p.plural_pronouns:
        return "pronoun"
    if cp.anaphor_re.match(src.text):
        return "anaphor"
    words = src.text.split()
    if words and words[0].lower() in p.definite_markers and not _CAP_RE.search(src.text[1:]):
        return "anaphor"
    named = any(_CAP_RE.match(w) for w in words[1:]) or bool(
        words and _CAP_RE.match(words[0]) and words[0].lower() not in p.determiners
    )
    return "name" if named else "common"


def _odd_source_words(text: str, cp: CompiledPack) -> int:
    """Lower-case words in a speaker phrase that no speaker word list knows ('the woman he',
    'lead a group'): a sign the phrase is a clause fragment, not a speaker."""
    p = cp.pack
    known = cp.speaker_lex
    return sum(
        1
        for w in _WORD_RE.findall(text)
        if not _CAP_RE.match(w) and w.lower() not in known and w.lower() not in p.stopwords
    )


def signals(raw: RawClaim, claim: Claim, ctx: Context) -> dict[str, float]:
    """The model's inputs for one attributed claim (binary unless the name says otherwise)."""
    cp = ctx.cp
    p = cp.pack
    sig: dict[str, float] = {"bias": 1.0}
    shape = raw.shape or "verb"
    sig[f"shape_{shape}"] = 1.0
    if claim.direct:
        sig["direct"] = 1.0
        sig[f"direct_{shape}"] = 1.0
        # the Indonesian development data annotates direct quotes only, so the language
        # may shift the direct-quote estimate alone; indirect claims share one estimate
        sig[f"direct_{p.code}"] = 1.0
    cue_low = " ".join((raw.cue or "").lower().split()[:2])
    if cue_low and (cue_low in p.core_cues or cue_low.split()[0] in p.core_cues):
        sig["core_cue"] = 1.0
    if raw.comp:
        sig["comp"] = 1.0
    if raw.cue_start >= 0 and raw.end <= raw.cue_start:
        sig["inverted"] = 1.0
    mention = _mention_type(raw, cp)
    sig[f"mention_{mention}"] = 1.0
    sp = claim.speaker
    if sp is not None:
        sig[f"kind_{sp.kind}"] = 1.0
        if sp.role:
            sig["role"] = 1.0
        n = ctx.speaker_counts.get(sp.name, 1)
        sig["speaker_claims"] = min(n - 1, 4) / 4
    src = raw.source
    if src is not None:
        nwords = len(src.text.split())
        if nwords >= 6:
            sig["source_long"] = 1.0
        if src.text.endswith(("'s", "’s")):
            sig["source_possessive"] = 1.0  # "Obama's criticized ...": a fragment
        if nwords == 1 and not src.clitic and mention == "name" and ctx.sentence_start(src.start):
            sig["source_initial_word"] = 1.0  # "Video shows", "Having said": one capital word
        odd = _odd_source_words(src.text, cp)
        if odd:
            sig["source_odd"] = min(odd, 3) / 3
    first = claim.text.split(maxsplit=1)[0].lower() if claim.text.strip() else ""
    if not claim.direct and first in p.prepositions:
        sig["content_prep"] = 1.0  # "said after X failed to ...": a circumstance, not a clause
    if shape == "forward" and not raw.comp and not claim.direct:
        sig["forward_object"] = 1.0  # "questioned Cruz's eligibility": an object, no clause
    words = len(claim.text.split())
    if words < 4:
        sig["content_short"] = 1.0
    elif words > 50:
        sig["content_long"] = 1.0
    if claim.direct and claim.text[:1].islower():
        sig["direct_fragment"] = 1.0
    if ctx.nested(raw):
        sig["nested"] = 1.0
    if ctx.overlaps(raw):
        sig["overlap"] = 1.0
    if claim.stance != "asserts":
        sig[f"stance_{claim.stance}"] = 1.0
    if claim.via:
        sig["via"] = 1.0
    if claim.told_to:
        sig["told_to"] = 1.0
    if ctx.per_unit[raw.unit] > 1:
        sig["unit_shared"] = 1.0
    return sig


def confidence(sig: Mapping[str, float], weights: Mapping[str, float] = WEIGHTS) -> float:
    """The calibrated probability that the claim is right, rounded to 3 decimals."""
    z = sum(weights.get(k, 0.0) * v for k, v in sig.items())
    z = max(-30.0, min(30.0, z))
    return round(1.0 / (1.0 + math.exp(-z)), 3)
