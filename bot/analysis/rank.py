"""Key claims: what a card, a digest and the CLI show first.

A claim is key only when the analyzer is confident in it (``KEY_CONFIDENCE``, calibrated:
about nine in ten such claims are right on development data) and it is among the most
important of its article (``CARD_CLAIMS`` at most). Importance is a transparent additive
score instead of a model, so fact-checkers can see why a claim is on top and the same article
always ranks the same way: a named speaker's own words, the article's central source, denials
and "could not be verified" flags, specifics (numbers, named parties) and the lead.
A card with fewer right claims beats a card with five shaky ones.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from bot.core.models import Claim

_NUMBER_RE = re.compile(r"\d")
_CAP_RE = re.compile(r"(?<=\s)[A-ZÀ-ÖØ-Þ][\w-]+")
KEY_CONFIDENCE = 0.8  # never key below this
CARD_CLAIMS = 5  # at most this many key claims per article
_SPEECH_SHAPES = ("shape_verb", "shape_final", "shape_according", "shape_headline")


def importance(
    claim: Claim, sig: Mapping[str, float] | None = None, *, central: bool = False
) -> float:
    """How much a reader needs this claim, in [0, 1] (confidence aside)."""
    sig = sig or {}
    sp = claim.speaker
    s = 0.15
    if sp is not None:
        s += 0.25
        named = sp.kind in ("person", "organization", "outlet") or (
            sp.kind == "anonymous" and bool(claim.via)
        )
        if named:
            s += 0.1
        if claim.direct and sp.kind == "person":
            s += 0.1  # a named speaker's own words
        if central:
            s += 0.1  # the article's main source
        if any(sig.get(k) for k in _SPEECH_SHAPES):
            s += 0.05  # said, rather than believed or wanted
        elif sig.get("shape_forward"):
            s -= 0.05
    if claim.stance in ("asserts", "claims", "accuses"):
        s += 0.1
    elif claim.stance == "denies":
        s += 0.1  # a denial is what a fact-checker looks for
    elif claim.stance in ("declines_comment", "unverified"):
        s -= 0.05  # a flag the reader needs, but no claim to check
    words = len(claim.text.split())
    if 8 <= words <= 60:
        s += 0.1
    if _NUMBER_RE.search(claim.text):
        s += 0.15
    s += min(0.1, 0.05 * len(_CAP_RE.findall(claim.text)))
    if claim.direct and sp is not None and sp.kind == "anonymous":
        s -= 0.1
    return max(0.0, min(1.0, s))


def mark_key(
    claims: Sequence[Claim],
    confidences: Sequence[float] | None = None,
    signals: Sequence[Mapping[str, float] | None] | None = None,
) -> list[Claim]:
    """The claims (in their order) with ``confidence`` set, ``score`` (importance weighed
    by confidence) and ``key`` on the best confident ones."""
    confs = list(confidences) if confidences is not None else [c.confidence for c in claims]
    sigs = list(signals) if signals is not None else [None] * len(claims)
    counts = Counter(c.speaker.name for c in claims if c.speaker is not None)
    top = max(counts.values(), default=0)
    end = max((c.end for c in claims), default=1) or 1
    seen: Counter[str] = Counter()
    scores: list[float] = []
    for c, conf, sig in zip(claims, confs, sigs, strict=True):
        name = c.speaker.name if c.speaker is not None else ""
        central = bool(name) and top >= 2 and counts[name] == top
        s = importance(c, sig, central=central)
        if name and seen[name] >= 2:
            s -= 0.05 * (seen[name] - 1)  # a card shows several voices, not one voice thrice
        if name:
            seen[name] += 1
        if c.start < end / 3:
            s += 0.05  # news puts the main claims first
        scores.append(round(max(0.0, min(1.0, s)) * (0.5 + 0.5 * conf), 3))
    order = sorted(range(len(claims)), key=lambda i: (-scores[i], claims[i].start))
    keys = [i for i in order if claims[i].speaker is not None and confs[i] >= KEY_CONFIDENCE][
        :CARD_CLAIMS
    ]
    chosen = set(keys)
    return [
        c.model_copy(update={"confidence": confs[i], "score": scores[i], "key": i in chosen})
        for i, c in enumerate(claims)
    ]
