"""Units of analysis: sentences with exact offsets, never split inside a quote.

A multi-sentence quote followed by its attribution (“A. B,” kata X.) must stay one unit, so
quote spans are found first and sentence boundaries inside them are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from bot.analysis.quotes import Quote

# Sentence-final punctuation, optional closing marks/brackets, then whitespace.
_END_RE = re.compile(r"[.!?…]+[\"”’»)\]]*(?=\s)")
_NEWLINE_RE = re.compile(r"\n")
_PARA_RE = re.compile(r"\n[ \t\r]*\n")
_WORD_BEFORE_RE = re.compile(r"(\S+)$")


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence (or quote-bound group of sentences) of the input, by offsets."""

    start: int
    end: int
    para: int  # paragraph index (blank-line separated blocks)
    line_start: bool  # first unit on its line


def _is_abbrev(text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    """True when the '.' at ``dot`` ends an abbreviation or an initial, not a sentence."""
    m = _WORD_BEFORE_RE.search(text, max(0, dot - 30), dot + 1)
    if not m:
        return False
    word = m.group(1).lstrip('"“‘«(').lower()
    if word in abbreviations:
        return True
    core = word.rstrip(".")
    if len(core) == 1 and core.isalpha():
        return True  # an initial: "J. Smith"
    return bool(re.fullmatch(r"(?:\w\.){2,}", word)) and len(core) <= 6  # U.S.


_CLOSERS = frozenset("\"”’»'")
_TAIL_MAX_WORDS = 10
_QUOTE_CHARS = frozenset('"“”„«»')


def _short_tail(text: str, pos: int) -> bool:
    """After a quotation that ends its own sentence, a short piece up to the next sentence
    end with no quotation and no line break ('Trump said.', 'asked Mrs. Grant.') is its
    attribution, not a sentence of its own."""
    nxt = _END_RE.search(text, pos, min(len(text), pos + 160))
    stop = nxt.start() if nxt else min(len(text), pos + 160)
    piece = text[pos:stop]
    if nxt is None and stop < len(text):
        return False
    return (
        0 < len(piece.split()) <= _TAIL_MAX_WORDS
        and "\n" not in piece
        and _QUOTE_CHARS.isdisjoint(piece)
        and "''" not in piece
    )


def split_units(text: str, quotes: list[Quote], abbreviations: frozenset[str]) -> list[Unit]:
    """Sentences of ``text`` as offset ranges (whitespace trimmed), quote-aware."""
    n = len(text)
    cuts: set[int] = set()
    for m in _NEWLINE_RE.finditer(text):
        # a line-wrapped attribution ('...,”\nkata Budi.') continues its sentence
        last = text[max(0, m.start() - 40) : m.start()].rstrip(" \t\r")[-1:]
        first = text[m.end() : m.end() + 40].lstrip(" \t")[:1]
        if last and last in ',"”’»' and first.islower():
            continue
        cuts.add(m.start())
    for m in _END_RE.finditer(text):
        end = m.end()
        nxt = end
        while nxt < n and text[nxt] in " \t":
            nxt += 1
        if nxt < n and text[nxt].islower() and text[m.start()] == ".":
            continue  # "the U.S. said": a lowercase continuation is no new sentence
        if text[m.start()] == "." and _is_abbrev(text, m.start(), abbreviations):
            continue
        if m.group()[-1] in _CLOSERS and (
            (nxt < n and text[nxt].islower()) or _short_tail(text, end)
        ):
            continue  # '"Why attack me?" Trump said.': the attribution finishes the sentence
        cuts.add(end)
    starts = [q.start for q in quotes]
    for q in quotes:
        # A quote that opens right after a sentence end starts a new unit.
        j = q.start - 1
        while j >= 0 and text[j] in " \t\n":
            j -= 1
        if j >= 0 and text[j] in ".!?":
            cuts.add(q.start)
    kept = []
    for c in sorted(cuts):
        k = bisect_right(starts, c - 1) - 1
        if k >= 0 and quotes[k].start < c < quotes[k].end and c != quotes[k].start:
            continue
        kept.append(c)
    para_starts = [0] + [m.end() for m in _PARA_RE.finditer(text)]
    units: list[Unit] = []
    prev = 0
    for c in [*kept, n]:
        s, e = prev, c
        prev = c
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        para = bisect_right(para_starts, s) - 1
        j = s - 1
        while j >= 0 and text[j] in " \t\r":
            j -= 1
        line_start = j < 0 or text[j] == "\n"
        units.append(Unit(s, e, para, line_start))
    return units
