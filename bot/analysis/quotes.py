"""Quote spans: pair quote marks by their context, not their glyph.

Glyphs lie in real text (detokenized corpora put every quote as ”; ASCII " is symmetric), so a
mark opens when it is preceded by space/start and followed by a word, closes in the mirror
case, and the glyph only breaks ties. A quote still open at a blank line ends there and is
marked ``continued`` (news convention: the next paragraph reopens the same quote).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKS = '"“”„‟«»‘’‹›'
# '' (two apostrophes) is a double quote in some wire styles: ''I think so,'' he said.
_MARK_RE = re.compile(r"''|[\"“”„‟«»‘’‹›]")
_OPENERS = "“„‟«‘‹"
_CLOSERS = "”»’›"
_SINGLE = "‘’‹›"
_PARA_RE = re.compile(r"\n[ \t\r]*\n")
_MAX_QUOTE = 4000


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted stretch: ``start``/``end`` include the marks; ``inner_*`` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    continued: bool = False  # still open at the end of its paragraph


def _role(text: str, i: int, n: int = 1) -> str:
    """'open', 'close' or 'both' for the mark at i (n chars long), judged by its neighbours."""
    ch = text[i]
    left = text[i - 1] if i > 0 else " "
    right = text[i + n] if i + n < len(text) else " "
    if n == 2:
        ch = '"'

    if ch in _SINGLE and left.isalnum() and right.isalnum():
        return "none"  # apostrophe: it’s, Jum’at
    left_open = left.isspace() or left in "([{—–-/:" or left in _MARKS
    right_close = right.isspace() or right in ".,;:!?)]}—–-" or right in _MARKS
    if left_open and not right_close:
        return "open"
    if right_close and not left_open:
        return "close"
    if ch in _OPENERS:
        return "open"
    if ch in _CLOSERS:
        return "close"
    return "both"


def _displaced_closer(text: str, open_at: int, i: int) -> bool:
    """'... roboh, "ujar Hadi' / '... masak\n"kata Sulastri': copied text often pushes a
    closing mark off its quotation (a space or a line break before it, the next word glued to
    it). While a quotation is open, a mark after a clause's punctuation or a line break and
    before a lower-case word closes it."""
    j = i - 1
    newline = False
    while j > open_at and text[j].isspace():
        newline = newline or text[j] == "\n"
        j -= 1
    if j <= open_at + 1 or j == i - 1:
        return False  # nothing before it, or glued to a word: no displaced mark
    nxt = text[i + 1 : i + 2]
    return nxt.islower() and (newline or text[j] in ",.!?")


def find_quotes(text: str) -> list[Quote]:
    """All quote spans in text, in order, never overlapping."""
    marks = [(m.start(), m.end() - m.start()) for m in _MARK_RE.finditer(text)]
    if not marks:
        return []
    para_breaks = [m.start() for m in _PARA_RE.finditer(text)]
    quotes: list[Quote] = []
    open_at: int | None = None
    open_len = 1
    pb = 0

    def close_open_at_break(upto: int) -> None:
        nonlocal open_at, pb
        while pb < len(para_breaks) and para_breaks[pb] < upto:
            brk = para_breaks[pb]
            if open_at is not None and open_at < brk:
                end = brk
                while end > open_at + 1 and text[end - 1].isspace():
                    end -= 1
                if end - open_at > 3:
                    quotes.append(Quote(open_at, end, open_at + open_len, end, continued=True))
                open_at = None
            pb += 1

    for i, n in marks:
        close_open_at_break(i)
        role = _role(text, i, n)
        if role == "none":
            continue
        if open_at is not None and i - open_at > _MAX_QUOTE:
            open_at = None
        if open_at is not None and role == "open" and _displaced_closer(text, open_at, i):
            role = "close"
        if open_at is None:
            if role in ("open", "both") or (
                role == "close" and i + n < len(text) and text[i + n] == "\n"
            ):
                # (the second case: a displaced opener glued to the previous line)
                open_at, open_len = i, n
            continue
        if role in ("close", "both"):
            single_open = n == 1 and open_len == 1 and text[open_at] in _SINGLE
            single_here = n == 1 and text[i] in _SINGLE
            if single_open != single_here:
                continue
            quotes.append(Quote(open_at, i + n, open_at + open_len, i))
            open_at = None
        # a second opener while one is open: keep the first (nested or stray mark)
    close_open_at_break(len(text) + 1)
    if open_at is not None:
        end = len(text.rstrip())
        if end - open_at > 3 and end - open_at <= _MAX_QUOTE:
            quotes.append(Quote(open_at, end, open_at + open_len, end, continued=True))
    return quotes
