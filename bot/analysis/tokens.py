"""Word tokens with offsets, and the punctuation tests the phrase finders share."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

# Words keep inner hyphens, dots, apostrophes and @/& (perak-news.com, el-Sisi, AT&T, U.S).
WORD_RE = re.compile(r"[\w@][\w@'’.\-&/]*[\w]|[\w@]")
QUOTE_MARKS = frozenset('"“”„‟«»‘’‹›')
# Punctuation that ends a phrase when it sits between two words.
BOUNDARY_CHARS = frozenset(",;:()[]—–") | QUOTE_MARKS
UPPER_RE = re.compile(r"[A-ZÀ-ÖØ-Þ]")


class Tok(NamedTuple):
    """A word with offsets; ``low`` and ``cap`` are computed once, they are read often.

    A NamedTuple, not a dataclass: hundreds are built per article and creation cost counts.
    """

    start: int
    end: int
    text: str
    low: str
    cap: bool  # starts with a capital letter (names, acronyms, sentence starts)


def words(text: str, lo: int, hi: int) -> list[Tok]:
    """Word tokens of text[lo:hi] with absolute offsets.

    Built with ``tuple.__new__`` in one loop: tokenizing is the analyzer's hottest path and
    this is 2.5x faster than calling the NamedTuple constructor per word."""
    new = tuple.__new__
    out: list[Tok] = []
    append = out.append
    for m in WORD_RE.finditer(text, lo, hi):
        w = m.group()
        s = m.start()
        append(new(Tok, (s, s + len(w), w, w.lower(), w[0].isupper())))
    return out


def has_boundary(gap: str) -> bool:
    """True when the text between two words breaks a phrase (comma, quote, dash, paren)."""
    if not BOUNDARY_CHARS.isdisjoint(gap) or "''" in gap:
        return True
    return " - " in gap or "\n" in gap


class TokenIndex:
    """Word tokens of a text, tokenized lazily per unit (most units hold no cue)."""

    def __init__(self, text: str, bounds: list[tuple[int, int]]) -> None:
        self.text = text
        self.bounds = bounds
        self.starts = [b[0] for b in bounds]
        self._cache: dict[int, tuple[list[Tok], list[int]]] = {}

    def _unit(self, k: int) -> tuple[list[Tok], list[int]]:
        got = self._cache.get(k)
        if got is None:
            lo, hi = self.bounds[k]
            toks = words(self.text, lo, hi)
            got = (toks, [t.start for t in toks])
            self._cache[k] = got
        return got

    def slice(self, lo: int, hi: int) -> list[Tok]:
        """Tokens lying entirely inside [lo, hi)."""
        k = bisect_right(self.starts, lo) - 1
        if k < 0 or hi > self.bounds[k][1]:
            return words(self.text, lo, hi)
        toks, starts = self._unit(k)
        i = bisect_left(starts, lo)
        j = bisect_left(starts, hi)
        out = toks[i:j]
        while out and out[-1].end > hi:
            out.pop()
        return out
