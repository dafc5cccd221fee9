"""Links in messages: find them, and spell one link the ways an archive may have stored it.

Full URL normalization (AMP and mobile variants, redirects) belongs to link fetching; here
it is enough that a link differing only in scheme, ``www.``, a trailing slash, a fragment or
tracking parameters finds the stored article.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_URL_RE: Final = re.compile(r"https?://[^\s<>\"'«»]+", re.IGNORECASE)
_TRAILING: Final = ".,;:!?)]}'\""
_TRACKING_PREFIXES: Final = ("utm_",)
_TRACKING_KEYS: Final = frozenset(
    {"fbclid", "gclid", "igshid", "mc_cid", "mc_eid", "ref", "ref_src", "s", "si", "spm"}
)


def find_urls(text: str) -> list[str]:
    """http(s) links in ``text``, without sentence punctuation glued to their end."""
    return [m.group(0).rstrip(_TRAILING) for m in _URL_RE.finditer(text)]


def link_only(text: str) -> str | None:
    """The link, when the message is one link and nothing else (a few stray symbols aside)."""
    urls = find_urls(text)
    if len(urls) != 1:
        return None
    rest = _URL_RE.sub(" ", text)
    return urls[0] if not any(ch.isalnum() for ch in rest) else None


def url_variants(url: str) -> list[str]:
    """The spellings of ``url`` to look up: http/https, with and without ``www.`` and a
    trailing slash, with tracking parameters and the fragment dropped."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return []
    host = (parts.hostname or "").lower()
    if not host or parts.scheme.lower() not in ("http", "https"):
        return []
    host = host.removeprefix("www.")
    port = f":{parts.port}" if parts.port else ""
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in _TRACKING_KEYS and not k.lower().startswith(_TRACKING_PREFIXES)
        ]
    )
    path = parts.path.rstrip("/")
    variants: list[str] = []
    for scheme in ("https", "http"):
        for netloc in (host + port, f"www.{host}{port}"):
            for p in (path, path + "/") if path else ("", "/"):
                variants.append(urlunsplit((scheme, netloc, p, query, "")))
    return list(dict.fromkeys(variants))
