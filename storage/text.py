"""Pure text helpers of the storage layer: speaker-name keys."""

from __future__ import annotations

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
