"""Text normalization shared by ingest (content keys) and matching (queries).

Indonesian and English go through the same steps: no language is second-class.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Curly, angle and prime quotes all fold to the ASCII quote so quoted text compares equal.
_QUOTE_FOLD = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2039": "'",
        "\u203a": "'",
        "\u2032": "'",
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION_RE = re.compile(r"(?<!\w)[@#]\w+")
_CONTROL_RE = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2060\ufeff]")
_NON_WORD_RE = re.compile(r"[^\w\s]+", re.UNICODE)
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def clean_text(text: str) -> str:
    """NFC, control characters removed, newlines unified: safe to store and to offset into."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_RE.sub("", text)


def fold(text: str) -> str:
    """Compatibility-normalized, case-folded, quote-folded text with URLs and @/# tags removed."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_FOLD).casefold()
    # The regexes are the slow part of hashing a long article: skip them when they cannot match.
    if "://" in text or "www." in text:
        text = _URL_RE.sub(" ", text)
    if "@" in text or "#" in text:
        text = _MENTION_RE.sub(" ", text)
    return _CONTROL_RE.sub("", text)


def normalize_for_match(text: str) -> str:
    """Folded text reduced to words separated by single spaces (punctuation and emoji dropped)."""
    text = _NON_WORD_RE.sub(" ", fold(text))
    return " ".join(text.replace("_", " ").split())


def tokens(text: str) -> list[str]:
    """Word tokens of the normalized text."""
    return _TOKEN_RE.findall(normalize_for_match(text))


def content_hash(text: str) -> str:
    """Key for idempotent ingest: the same article with different whitespace, quotes or case
    is the same article."""
    return hashlib.sha256(normalize_for_match(text).encode("utf-8")).hexdigest()
