"""Role phrases and personal names: 'Energy Minister Carla Mendes' -> role + name.

Shared by the source-phrase finder (``attribute``) and the entity registry (``coref``) so a
speaker gets the same name whichever path saw it first. Pure word-list logic from the pack.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.analysis.lang.base import CompiledPack

# "Sp.A", "S.H.", "M.Kes", "Ph.D", "MBA": academic/professional suffixes after a name
_DEGREE_RE = re.compile(r"^(?:[A-Z][a-z]{0,3}\.){1,3}[A-Z]?[a-z]{0,4}\.?$")
_PLACES = frozenset({"U.S", "U.K", "U.N", "E.U", "U.A.E"})
_POSTNOMINALS = frozenset({"MBA", "PhD", "MD", "MSc", "BSc"})


def is_degree(word: str) -> bool:
    """A degree or post-nominal ('Sp.A', 'S.H.', 'M.Si', 'PhD'): never a name or a role."""
    if word.rstrip(".") in _PLACES:
        return False
    return word in _POSTNOMINALS or ("." in word and bool(_DEGREE_RE.match(word)))


def is_role_word(low: str, cp: CompiledPack) -> bool:
    """A title, role or portfolio word, also inside a hyphenated form ('president-elect')."""
    lex = cp.role_lex
    if low in lex or low.rstrip(".") in lex:
        return True
    if "-" in low:
        parts = [w for w in low.split("-") if w]
        return bool(parts) and (parts[0] in lex or parts[-1] in lex)
    return False


def name_start(words: Sequence[str], cp: CompiledPack) -> int | None:
    """Where the personal name starts in a phrase that opens with a role phrase.

    'Energy Minister Carla Mendes' -> 2, 'Bupati Sungai Deras Hendra Wijaya' -> 3,
    'Ajun Komisaris Dewi Lestari' -> 2, 'Ridgeway Minerals' -> None (no role word), 'Minister'
    -> None (no name). The role phrase is the role/title words plus the organization and place
    words around them; the name is the short capitalized run after the last of those.
    """
    p = cp.pack
    n = len(words)
    if n < 2:
        return None
    lows = [w.lower() for w in words]
    if any(w in p.company_affixes for w in lows):
        return None  # "PT Lintas Cepat Mandiri": one company name, no role in it
    heads = p.org_words | p.outlet_words
    if not any(
        is_role_word(lows[i], cp) and lows[i] not in heads and lows[i] not in p.determiners
        for i in range(n - 1)
    ):
        return None  # "Kota Metro", "Harian Suara Pagi": a place/outlet head is no role

    def marker(i: int) -> bool:
        w, low = words[i], lows[i]
        core = w.strip("()")
        return (
            is_role_word(low, cp)
            or low in p.org_words
            or low in p.outlet_words
            or (core.isupper() and len(core) > 1)
            or w != core
            or not w[:1].isupper()
        )

    marks = [i for i in range(n - 1) if marker(i)]
    last = marks[-1]
    tail = n - last - 1
    start = last + 1
    # an organization/place word, not a title ("Kota" in "Wali Kota X" is both)
    placey = not is_role_word(lows[last], cp) or lows[last] in p.org_words
    if p.head_initial and placey:
        # 'Bupati Sungai Deras Hendra Wijaya': the word after a place/institution head is
        # that place's own name, so the personal name is what follows it
        if tail <= 1:
            return None
        if tail >= 3:
            start = n - 2
    if tail >= 4:
        start = n - 2
    name = words[start:]
    if not name or any(
        not w[:1].isupper()
        or marker(start + k)
        or lows[start + k] in p.stopwords
        or lows[start + k] in p.time_words
        or is_degree(w)
        for k, w in enumerate(name)
    ):
        return None
    return start
