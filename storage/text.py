"""Pure text helpers of the storage layer: speaker keys and safe FTS5 queries."""

from __future__ import annotations

import unicodedata

from bot.textnorm import normalize_for_match, tokens

# A forwarded article used as a query would otherwise become thousands of OR terms.
DEFAULT_MAX_QUERY_TERMS = 64


def strip_diacritics(text: str) -> str:
    """Remove combining marks after canonical decomposition ("Dédé" -> "Dede")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(name: str) -> str:
    """The identity key of a speaker name or role: case, diacritics, punctuation and
    whitespace folded ("  Sri Mulyani-Indrawati " == "sri mulyani indrawati")."""
    return normalize_for_match(strip_diacritics(name))


def fts_match_query(text: str, *, max_terms: int = DEFAULT_MAX_QUERY_TERMS) -> str | None:
    """A safe FTS5 MATCH expression for raw user text, or None if it has no words.

    Every token becomes a quoted FTS5 string (so ``NEAR``, ``AND``, ``*``, ``-``, ``:``,
    quotes and parentheses are plain words or dropped), de-duplicated in order of first
    appearance, capped at ``max_terms``, and OR-ed: BM25 ranks documents that have more
    (and rarer) query words higher.
    """
    seen: dict[str, None] = {}
    for token in tokens(text):
        if token and token not in seen:
            seen[token] = None
            if len(seen) >= max_terms:
                break
    if not seen:
        return None
    return " OR ".join('"' + token.replace('"', '""') + '"' for token in seen)
