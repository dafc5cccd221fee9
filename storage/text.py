"""Pure text helpers of the storage layer: speaker-name keys."""

from __future__ import annotations

import re
import unicodedata

from bot.core.textnorm import normalize_for_match


def strip_diacritics(text: str) -> str:
    """Remove combining marks after canonical decomposition ("Dédé" -> "Dede")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(name: str) -> str:
    """The identity key of a speaker name or role: case, diacritics, punctuation and
    whitespace folded ("  Sri Mulyani-Indrawati " == "sri mulyani indrawati")."""
    return normalize_for_match(strip_diacritics(name))


_SEARCH_WORD_RE = re.compile(r"[^\W_]+")
# Longer runs of letters are not words anyone searches for (base64, hashes); PostgreSQL also
# refuses lexemes over 2047 bytes.
MAX_SEARCH_WORD = 100


def search_words(text: str) -> list[str]:
    """The words a full-text index holds for ``text``, in order, repeats kept: runs of letters
    and digits after compatibility normalization, case folding and diacritics removal. The
    same rules as SQLite's FTS5 ``unicode61 remove_diacritics 2`` tokenizer, computed here so
    PostgreSQL indexes (and queries) exactly these words whatever its locale."""
    if text.isascii():  # most news text: nothing to normalize or strip (and 10x faster)
        folded = text.lower()
    else:
        folded = strip_diacritics(unicodedata.normalize("NFKC", text).casefold())
    return [w for w in _SEARCH_WORD_RE.findall(folded) if len(w) <= MAX_SEARCH_WORD]
