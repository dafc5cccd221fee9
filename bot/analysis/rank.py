"""Key-claim ranking: check-worthy first (specific, attributed, numbers, named parties).

A transparent additive score instead of a model: fact-checkers must be able to see why a
claim is on top, and the same article must always rank the same way.
"""

from __future__ import annotations

import re

from bot.core.models import Claim

_NUMBER_RE = re.compile(r"\d")
_CAP_RE = re.compile(r"(?<=\s)[A-ZÀ-ÖØ-Þ][\w-]+")
_KEY_FLOOR = 0.6


def score(claim: Claim) -> float:
    """Check-worthiness in [0, 1]."""
    s = 0.15
    sp = claim.speaker
    if sp is not None:
        s += 0.25
        if sp.kind in ("person", "organization", "outlet") or sp.kind == "anonymous" and claim.via:
            s += 0.1
    if claim.stance in ("asserts", "accuses", "claims"):
        s += 0.1
    elif claim.stance in ("declines_comment", "unverified"):
        s -= 0.2
    words = len(claim.text.split())
    if 8 <= words <= 60:
        s += 0.1
    if _NUMBER_RE.search(claim.text):
        s += 0.15
    s += min(0.15, 0.05 * len(_CAP_RE.findall(claim.text)))
    if claim.direct and sp is not None and sp.kind == "anonymous":
        s -= 0.1
    return round(max(0.0, min(1.0, s)), 3)


def mark_key(claims: list[Claim], *, share: float = 0.4) -> list[Claim]:
    """Score every claim and set ``key`` on the top share (at least one, above a floor).

    News puts the main claims first (inverted pyramid) and a speaker's first statement
    usually carries the point; follow-ups and quote continuations rank lower.
    """
    seen: set[str] = set()
    end = max((c.end for c in claims), default=1) or 1
    scored = []
    for c in sorted(claims, key=lambda c: c.start):
        s = score(c)
        if c.speaker is not None and c.cue is not None:  # (a headline repeats the lead)
            name = c.speaker.name.casefold()
            if name in seen:
                s -= 0.15
            seen.add(name)
        if c.start < end / 3:
            s += 0.05
        scored.append(c.model_copy(update={"score": round(max(0.0, min(1.0, s)), 3)}))
    if not scored:
        return scored
    order = sorted(range(len(scored)), key=lambda i: (-scored[i].score, scored[i].start))
    n_key = max(1, round(len(scored) * share))
    keys = {i for i in order[:n_key] if scored[i].score >= _KEY_FLOOR and scored[i].speaker}
    return [c.model_copy(update={"key": i in keys}) for i, c in enumerate(scored)]
