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


def link_in(text: str, max_words: int = 30) -> str | None:
    """The link of a message that is a link with at most a short comment around it (the
    way people share articles); None for no link, several links, or a long text."""
    urls = find_urls(text)
    if len(urls) != 1:
        return None
    rest = _URL_RE.sub(" ", text)
    return urls[0] if len(rest.split()) <= max_words else None


_MOBILE_HOSTS: Final = ("www.", "m.", "mobile.", "amp.")
_AMP_KEYS: Final = frozenset({"amp", "outputtype", "amp_js_v"})


def _split(url: str) -> tuple[str, str, str, str] | None:
    """(host without www/m/amp, port suffix, path without AMP markers or trailing slash,
    query without tracking or AMP parameters), or None when it is not an http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if not host or parts.scheme.lower() not in ("http", "https"):
        return None
    changed = True
    while changed:
        changed = False
        for prefix in _MOBILE_HOSTS:
            if host.startswith(prefix) and host.count(".") > 1:
                host, changed = host[len(prefix) :], True
    path = re.sub(r"(?:/amp)+/?$|^/amp(?=/)", "", parts.path.rstrip("/")).rstrip("/")
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in _TRACKING_KEYS
            and k.lower() not in _AMP_KEYS
            and not k.lower().startswith(_TRACKING_PREFIXES)
        ]
    )
    return host, port, path, query


def canonical_url(url: str) -> str | None:
    """One spelling per article link: https, no www/m/amp host, no AMP path, no trailing
    slash, no tracking parameters or fragment."""
    split = _split(url)
    if split is None:
        return None
    host, port, path, query = split
    return urlunsplit(("https", host + port, path, query, ""))


def url_variants(url: str) -> list[str]:
    """The spellings of ``url`` to look up in the archive: http/https, with and without
    ``www.``, with and without a trailing slash, of the canonical form (AMP and mobile
    variants, tracking parameters and the fragment dropped)."""
    split = _split(url)
    if split is None:
        return []
    host, port, path, query = split
    variants: list[str] = []
    for scheme in ("https", "http"):
        for netloc in (host + port, f"www.{host}{port}"):
            for p in (path, path + "/") if path else ("", "/"):
                variants.append(urlunsplit((scheme, netloc, p, query, "")))
    return list(dict.fromkeys(variants))
