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
# UTF-16 surrogates cannot be encoded as UTF-8 (SQLite, Telegram, stdout all refuse them); a
# Python string holds one only from a lone "\ud800" JSON escape or undecodable bytes.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    return _SURROGATE_RE.search(text) is not None


def replace_surrogates(text: str) -> str:
    """Lone surrogates replaced by U+FFFD, the replacement character."""
    return _SURROGATE_RE.sub("\ufffd", text)


def any_surrogates(value: object) -> bool:
    """Whether a decoded JSON value (strings, keys, lists, dicts, nested) holds a lone
    surrogate anywhere; a loop, not recursion: it may be nested as deep as the parser let."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            if has_surrogates(item):
                return True
        elif isinstance(item, dict):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, list | tuple):
            todo.extend(item)
    return False


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


# -- query-side recovery of words that fold() drops or disguises --------------------------
# fold() (and so content_hash) drops hashtags and mentions, and keeps "j0k0wi" as is. But
# the stored side is indexed from the raw text, where "#Gaza" is the word "gaza", and a
# forwarded post often names its topic only in a tag ("@SpiritAirlines charges military
# for carry-ons", "#AustralianFires"). These helpers give matching those words back
# without touching fold() or content_hash.

_TAG_RE = re.compile(r"(?<!\w)[#@](\w+)")
_CAMEL_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
# One digit between letters: "rp50rb" (Rp 50 ribu) is a number, not leetspeak.
_LEET_RE = re.compile(r"(?<=[^\W\d_])[013457](?=[^\W\d_])")


def tag_words(text: str) -> list[str]:
    """Words of the hashtags and mentions in raw text: the tag as one word (what a stored
    text's own "#OpKKK" is indexed as) and, when camel-cased, its parts:
    "#AustralianFires" -> ["australianfires", "australian", "fires"]; "@Oreo" -> ["oreo"]."""
    out: list[str] = []
    for tag in _TAG_RE.findall(unicodedata.normalize("NFKC", text)):
        out.append(tag.casefold())
        parts = _CAMEL_RE.findall(tag) if tag.isascii() else []  # the split knows A-Z only
        if len(parts) > 1:
            out.extend(p.casefold() for p in parts)
    return out


def unleet(word: str) -> str:
    """Digits standing for letters inside a word folded back ("j0k0wi" -> "jokowi",
    "tingg4l" -> "tinggal"); numbers and digits at a word's edge ("60jt", "covid19") stay."""
    return _LEET_RE.sub(lambda m: m.group(0).translate(_LEET), word)


_LETTERS_OR_DIGITS_RE = re.compile(r"\d+|[^\W\d_]+")


def number_parts(word: str) -> list[str]:
    """A word with letters run into digits, split ("150juta" -> ["150", "juta"], "covid19"
    -> ["covid", "19"]): the stored text may well write them apart. Plain words, numbers
    and leetspeak ("j0k0wi", :func:`unleet`'s) give []."""
    if word.isalpha() or word.isdigit() or not word.isalnum() or unleet(word) != word:
        return []
    return _LETTERS_OR_DIGITS_RE.findall(word)


_CAMEL_PAIR_RE = re.compile(r"[a-z][A-Z]")


def camel_parts(text: str) -> list[str]:
    """Parts of camel-cased words in raw text, links left out ("BankBRI" -> ["bank",
    "bri"], "iPhone" -> ["i", "phone"]): the stored text may write them apart. One regex
    pass finds the rare lower-upper pairs; only their words are split."""
    text = unicodedata.normalize("NFKC", text)
    if "://" in text or "www." in text:
        text = _URL_RE.sub(" ", text)
    out: list[str] = []
    end = 0
    for match in _CAMEL_PAIR_RE.finditer(text):
        start, stop = match.start(), match.end()
        if start < end:
            continue  # a second pair in a word already split
        while start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
            start -= 1
        while stop < len(text) and text[stop].isascii() and text[stop].isalnum():
            stop += 1
        end = stop
        if (start > 0 and text[start - 1].isalnum()) or (stop < len(text) and text[stop].isalnum()):
            continue  # other letters in the word: the split knows A-Z only
        out.extend(p.casefold() for p in _CAMEL_RE.findall(text[start:stop]))
    return out
