"""Turn a fetched news page (HTML) into an article: main text, headline, outlet, author, date.

The main text comes from trafilatura (a maintained extractor), never from hand-written
scraping of one outlet's markup. Around it this module adds what a fact-check bot needs and
trafilatura leaves to the caller:

* **Decoding**: bytes are decoded with the BOM or the declared ``<meta charset>`` (ISO-8859-1
  and ASCII mean windows-1252, as browsers read them), falling back to UTF-8 with replacement
  characters. Input is capped at ``MAX_HTML_BYTES`` before decoding; then scripts (but not
  JSON-LD), styles, inline SVG and comments are dropped and the rest cut at
  ``MAX_MARKUP_CHARS``: parsing and pruning cost about 25 bytes of memory per byte of markup
  and time that grows faster than the page, so what the parser sees is bounded.
* **Metadata** with full timestamps: JSON-LD (``NewsArticle`` and friends: headline,
  datePublished, author, publisher.name, inLanguage), then OpenGraph (og:title, og:site_name,
  article:published_time, og:url), then ``<meta>``/``<link rel=canonical>``/``<html lang>``,
  then a date written in the byline text ("Senin, 2 Maret 2026 14:05 WIB", "2 March 2026,
  09:30 GMT"), then what trafilatura found (its dates carry no time or offset).
* **Line post-filter**: inserts that sit between paragraphs of Indonesian and English portals
  ("Baca juga: …", "ADVERTISEMENT", "Scroll to continue with content", paging, share buttons,
  newsletter and cookie boxes) are dropped line by line with the short pattern list
  ``BOILERPLATE_LINE_PATTERNS`` below; a line repeating the headline or the bare byline is
  dropped. Text written as ``<br><br>``-separated runs is split into paragraphs first.
* **Readability check**: a paywall teaser, an empty page or a JavaScript app shell raises
  ``UnreadablePageError`` instead of returning a fragment that would be analysed as an article.

Pure: no network, no global state; the same input always gives the same output.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html import unescape as html_unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

from bot.core.errors import UnreadablePageError
from bot.core.textnorm import clean_text

# Pages over 5 MB are either dumps or full of comments; the article is at the top, so the
# input is cut (not refused) and the parser copes with the unclosed tags.
MAX_HTML_BYTES = 5 * 1024 * 1024
# What the parser gets at most once the bulk without text is gone (about 15 MB and 4 s of
# work on the densest markup); article pages are well under it, comment threads are not.
MAX_MARKUP_CHARS = 500_000
# Below these, what was extracted is a teaser, a shell or a caption, not an article.
MIN_TEXT_CHARS = 200
MIN_SENTENCES = 3
# A page that says it is paywalled must give at least this much text to count as readable.
MIN_PAYWALLED_TEXT_CHARS = 600

_SNIFF_BYTES = 8192
MAX_BOILERPLATE_LINE_CHARS = 250



@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """An article read from a page. ``published_at`` is aware when the page gives an offset."""

    text: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    url: str | None = None
    language: str | None = None


# --------------------------------------------------------------------------- boilerplate lines
# Whole lines (after whitespace is collapsed) that are page furniture, not article text, in
# Indonesian and English. Each pattern is anchored at the start of the line; keep the list
# short and add a fixture page to tests/fixtures/pages/ for every pattern added.
BOILERPLATE_LINE_PATTERNS: tuple[str, ...] = (
    # "Baca juga: <headline>", "Lihat juga", "Simak juga", "Tonton juga", "Read more: …"
    r"(baca|lihat|simak|tonton|cek) (juga|selengkapnya|berita lainnya)\b",
    r"(read|see) (also|more)(\s*:|$)",
    r"(also read|related|related articles?|related stories|more on this story|recommended)\s*:",
    r"(related articles?|related stories|more on this story|recommended for you|berita terkait|"
    r"artikel terkait|terpopuler|most read|populer)$",
    # ad labels and the "scroll" prompt portals put around in-article ads
    r"(advertisement|iklan|sponsored|ads|konten bersponsor)$",
    r"(scroll|gulir) (to|down to|ke bawah untuk|untuk) (continue|lanjut|melanjutkan)",
    # paging: "Halaman 1 2 3", "Halaman Selanjutnya", "Page 1 of 2", "Next"
    r"halaman(\s+\d+)+$|halaman (selanjutnya|berikutnya|sebelumnya)$|page \d+( of \d+)?$",
    r"(selanjutnya|sebelumnya|next|previous|next page|tampilkan semua)$",
    # share buttons and follow prompts
    r"(share|bagikan)( (this|this article|this story|artikel ini|berita ini))?\s*:?$",
    r"(share|bagikan) (on|ke|via) ",
    r"(facebook|twitter|x|whatsapp|telegram|linkedin|email|e-mail|copy link|salin tautan|"
    r"salin link)$",
    r"(ikuti|follow)\b.*\b(google news|whatsapp|channel|saluran|telegram|instagram|twitter)\b",
    r"(simak|dapatkan|baca|cek|get)\b.*\b(di|on|via|lewat|melalui) (google news|whatsapp channel|"
    r"saluran whatsapp)\b",
    # embed placeholders ("[Gambas:Video …]") and reporter initials closing a story ("(rzk/dal)")
    r"\[[^\]]{1,80}\]$",
    r"\(\s*[a-z]{2,5}(\s*/\s*[a-z]{2,5})*\s*\)$",
    # newsletters, cookie banners, subscription walls
    r"(sign up|subscribe|daftar|berlangganan)\b.*\b(newsletter|nawala|buletin|to continue|"
    r"untuk melanjutkan|untuk membaca)",
    r"(we|kami|this site|situs ini) (use|uses|menggunakan) (cookies|kuki|cookie)",
    r"(accept|terima|setuju)( all)?( cookies)?$",
    r"(already a subscriber|sudah berlangganan)\s*\?",
    # credits and syndication notes ("Laporan Wartawan <outlet>, <name>" opens regional stories)
    r"laporan wartawan\b",
    r"(editor|penulis|reporter|pewarta|redaktur|sumber|foto|photo)\s*:",
    r"(artikel ini telah tayang|this (article|story) (was|first) (originally )?"
    r"(published|appeared))",
    # wire-service sign-offs: "Reporting by …; Editing by …", "Our Standards: …"
    r"((additional )?(reporting|writing|editing|compiled) by\b.*;|our standards\s*:)",
    # video and audio promos, live badges
    r"(watch|listen|dengarkan|video|tonton)\s*:",
    r"(live|langsung|breaking|terkini|update|updated|diperbarui)$",
    r"(©|\(c\)\s*\d|copyright\s*(©|\(c\)|\d)|hak cipta dilindungi|all rights reserved)",
)
_BOILERPLATE_RE = re.compile(
    "|".join(f"(?:{p})" for p in BOILERPLATE_LINE_PATTERNS), re.IGNORECASE
)

_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’)]*(?:\s|$)")
_WS_RE = re.compile(r"[ \t\u00a0\u2009\u202f]+")

# --------------------------------------------------------------------------- decoding
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]+)""", re.IGNORECASE
)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# The WHATWG encoding standard: these labels are read as windows-1252 by every browser.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
    "x-user-defined": "cp1252",
}


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET_RE.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").strip().lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page cannot truly be UTF-16 if its <meta> was readable as ASCII (WHATWG rule).
    return "utf-8" if name.startswith("utf-16") else name


def decode_html(data: bytes) -> str:
    """Bytes to text: BOM, then declared ``<meta charset>``, then UTF-8 with replacement."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    encoding = _declared_charset(data[:_SNIFF_BYTES]) or "utf-8"
    return data.decode(encoding, errors="replace")


# --------------------------------------------------------------------------- metadata
_ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "blogposting",
    "liveblogposting", "socialmediaposting", "scholarlyarticle", "techarticle", "report",
    "webpage",
}


def _json_ld_objects(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = script.text_content() or ""
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.lower() for v in values if isinstance(v, str)}


def _names(value: Any) -> list[str]:
    """Names from a JSON-LD person/organization value (string, object or a list of them)."""
    if isinstance(value, str):
        value = html_unescape(value).strip()
        return [value] if value and not value.startswith(("http://", "https://")) else []
    if isinstance(value, dict):
        name = value.get("name")
        return _names(name) if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _str(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    if isinstance(value, str) and value.strip():
        # CMSs often HTML-escape JSON-LD strings ("Harga &amp; Pasokan")
        return _clean_inline(html_unescape(value))
    return None


def _json_ld_article(tree: Any) -> dict[str, Any]:
    """The page's main article object (the first news type wins over a generic one)."""
    best: dict[str, Any] = {}
    best_rank = 99
    for obj in _json_ld_objects(tree):
        types = _types(obj) & _ARTICLE_TYPES
        if not types:
            continue
        rank = 2 if types == {"webpage"} else (1 if types == {"article"} else 0)
        if rank < best_rank:
            best, best_rank = obj, rank
    return best


def _meta_index(tree: Any) -> dict[str, str]:
    """``<meta>`` contents by lower-cased property / name / itemprop (the first one wins)."""
    index: dict[str, str] = {}
    for el in tree.iter("meta"):
        content = el.get("content")
        if not content or not content.strip():
            continue
        for attr_name in ("property", "name", "itemprop", "http-equiv"):
            key = (el.get(attr_name) or "").strip().lower()
            if key and key not in index:
                index[key] = _clean_inline(content)
    return index


def _meta(metas: dict[str, str], *keys: str) -> str | None:
    """The first of the keys that the page's ``<meta>`` tags give."""
    for key in keys:
        if key in metas:
            return metas[key]
    return None


def _clean_inline(text: str) -> str:
    return _WS_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()


_TZ_ABBREVIATIONS = {
    "wib": 7, "wita": 8, "wit": 9, "utc": 0, "gmt": 0, "z": 0, "bst": 1, "cet": 1, "cest": 2,
    "sgt": 8, "myt": 8, "jst": 9, "aest": 10, "est": -5, "edt": -4, "pst": -8, "pdt": -7,
}
_MONTHS = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2, "pebruari": 2,
    "maret": 3, "march": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6,
    "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7, "agustus": 8, "august": 8, "agu": 8,
    "aug": 8, "agt": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "october": 10,
    "okt": 10, "oct": 10, "november": 11, "nov": 11, "nopember": 11, "desember": 12,
    "december": 12, "des": 12, "dec": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TZ_ALT = "|".join(sorted(_TZ_ABBREVIATIONS, key=len, reverse=True))
_TIME = (
    r"(?:,|\s|\bpukul\b|\bat\b|\||-|–)*(?P<h>\d{1,2})[:.](?P<mi>\d{2})"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?))?"
)
_TZ = (
    r"(?:\s*(?:(?P<tzabbr>" + _TZ_ALT + r")\b"
    r"(?:\s*\(?(?:gmt|utc)?(?P<tzoff2>[+-]\d{1,2}(?::?\d{2})?)\)?)?"
    r"|(?:gmt|utc)?\s*(?P<tzoff>[+-]\d{1,2}(?::?\d{2})?)))?"
)
# "2 Maret 2026 14.05 WIB", "Senin, 02/03/2026 14:05 WIB", "March 2, 2026 9:30 am EST".
_DMY_RE = re.compile(
    r"\b(?P<d>\d{1,2})\s+(?P<mon>" + _MONTH_ALT + r")\.?\s+(?P<y>(?:19|20)\d{2})"
    r"(?:" + _TIME + r")?" + _TZ,
    re.IGNORECASE,
)
_MDY_RE = re.compile(
    r"\b(?P<mon>" + _MONTH_ALT + r")\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>(?:19|20)\d{2})"
    r"(?:" + _TIME + r")?" + _TZ,
    re.IGNORECASE,
)
_NUMERIC_RE = re.compile(
    r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d{2})(?:" + _TIME + r")?" + _TZ,
    re.IGNORECASE,
)


def _offset(text: str | None) -> timezone | None:
    if not text:
        return None
    m = re.fullmatch(r"([+-])(\d{1,2})(?::?(\d{2}))?", text)
    if not m:
        return None
    delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
    return timezone(-delta if m.group(1) == "-" else delta)


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 timestamp (``Z`` allowed) or a date written out in Indonesian or English."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        pass
    return parse_written_date(value)


def parse_written_date(text: str) -> datetime | None:
    """The first date written in prose: "Senin, 2 Maret 2026 | 14:05 WIB", "March 2, 2026"."""
    for regex in (_DMY_RE, _MDY_RE, _NUMERIC_RE):
        m = regex.search(text)
        if not m:
            continue
        groups = m.groupdict()
        month = _MONTHS[groups["mon"].lower()] if groups.get("mon") else int(groups["m"])
        hour = int(groups["h"]) if groups.get("h") else 0
        minute = int(groups["mi"]) if groups.get("mi") else 0
        ampm = (groups.get("ampm") or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        tz = _offset(groups.get("tzoff2")) or _offset(groups.get("tzoff"))
        if tz is None and groups.get("tzabbr"):
            tz = timezone(timedelta(hours=_TZ_ABBREVIATIONS[groups["tzabbr"].lower()]))
        try:
            return datetime(int(groups["y"]), month, int(groups["d"]), hour, minute, tzinfo=tz)
        except ValueError:
            continue
    return None


_BYLINE_XPATH = (
    "//*[self::time or contains(@class,'date') or contains(@class,'time') "
    "or contains(@class,'byline') or contains(@class,'meta') or contains(@class,'dateline') "
    "or contains(@class,'posted')]"
)


def _byline_date(tree: Any) -> datetime | None:
    """``<time datetime>``, a date in a date/byline element, else the first short text in the
    page that gives a date with a time of day ("Jumat, 6 Maret 2026 20:14 WITA")."""
    for el in tree.xpath("//time[@datetime]"):
        parsed = parse_datetime(el.get("datetime"))
        if parsed is not None:
            return parsed
    for el in tree.xpath(_BYLINE_XPATH):
        text = _clean_inline(el.text_content() or "")
        if 6 <= len(text) <= 300:
            parsed = parse_written_date(text)
            if parsed is not None:
                return parsed
    for el in tree.iter("div", "p", "span", "td", "small", "em", "i", "b", "strong", "font"):
        text = _clean_inline(el.text or "")
        if 8 <= len(text) <= 120 and re.search(r"\d[:.]\d\d", text):
            parsed = parse_written_date(text)
            if parsed is not None and (parsed.hour or parsed.minute or parsed.tzinfo):
                return parsed
    return None


_BYLINE_PREFIX_RE = re.compile(
    r"^(?:laporan wartawan [^,:]*[,:]\s*|(?:oleh|by|penulis|reporter|pewarta|written by)"
    r"\s*:?\s+)",
    re.IGNORECASE,
)
_NAME_PARTICLES = {"dan", "and", "bin", "binti", "van", "de", "di", "der", "von", "al", "dr."}


def _looks_like_name(text: str) -> bool:
    """Two to six capitalized words (particles allowed), no digits, no sentence punctuation."""
    words = text.split()
    if not 1 <= len(words) <= 6 or any(ch.isdigit() for ch in text) or text[-1:] in ".!?:":
        return False
    caps = [w for w in words if w.lower() not in _NAME_PARTICLES and w not in ("&", ",")]
    return bool(caps) and all(w[:1].isupper() for w in caps)


def _tidy_author(text: str) -> str | None:
    """The name in a byline: "By Jane Doe | 2 March 2026" -> "Jane Doe"."""
    text = _BYLINE_PREFIX_RE.sub("", _clean_inline(text))
    name = re.split(r"\s*[|·•]\s*|\s+[-–—]\s+|\s*,\s*(?=\d)", text)[0].strip(" ,;")
    name = _BYLINE_PREFIX_RE.sub("", name)
    return name if _looks_like_name(name) else None


def _byline_author(tree: Any) -> str | None:
    """A name in a byline element, or in a short "Penulis: …" / "Oleh …" credit line."""
    for el in tree.xpath(
        "//*[contains(@class,'author') or contains(@class,'byline') or @rel='author'"
        " or contains(@class,'credit') or contains(@class,'reporter') or contains(@class,'writer')]"
    ):
        text = _clean_inline(el.text_content() or "")
        if text and len(text) <= 160:
            name = _tidy_author(text)
            if name:
                return name
    for el in tree.iter("div", "p", "span", "b", "strong", "em", "i"):
        text = _clean_inline(el.text_content() or "")
        if len(text) <= 120 and re.match(r"(?:penulis|reporter|pewarta|oleh)\s*:", text, re.I):
            name = _tidy_author(text)
            if name:
                return name
    return None


_TITLE_SEPARATORS_RE = re.compile(r"\s+[|–—:·»-]\s+")


def _outlet_from_title(tree: Any, headline: str | None) -> str | None:
    """ "Headline | Outlet" in ``<title>``: the part that is not the headline."""
    page_title = _clean_inline(tree.xpath("string(//title)") or "")
    parts = _TITLE_SEPARATORS_RE.split(page_title)
    if len(parts) < 2 or not headline:
        return None
    key = _norm_for_compare(headline)
    if _norm_for_compare(parts[0]) == key and len(parts[-1]) <= 60:
        return parts[-1]
    if _norm_for_compare(parts[-1]) == key and len(parts[0]) <= 60:
        return parts[0]
    return None


def _language(tree: Any, metas: dict[str, str], ld: dict[str, Any]) -> str | None:
    candidates = [
        (tree.xpath("string(/html/@lang)") or "").strip(),
        (tree.xpath("string(/html/@xml:lang)") or "").strip(),
        _meta(metas, "content-language", "language", "og:locale") or "",
        _str(ld.get("inLanguage")) or "",
    ]
    for raw in candidates:
        code = re.split(r"[-_]", raw.strip().lower())[0]
        if re.fullmatch(r"[a-z]{2,3}", code):
            return "id" if code in ("in", "ind") else ("en" if code == "eng" else code)
    return None


def _canonical(
    tree: Any, metas: dict[str, str], ld: dict[str, Any], url: str | None
) -> str | None:
    links = [
        el.get("href") for el in tree.iter("link") if (el.get("rel") or "").lower() == "canonical"
    ]
    for candidate in (
        *links,
        _meta(metas, "og:url"),
        _str(ld.get("url")),
        _str(ld.get("mainEntityOfPage")),
    ):
        if not candidate or not isinstance(candidate, str):
            continue
        absolute = urljoin(url, candidate.strip()) if url else candidate.strip()
        if urlsplit(absolute).scheme in ("http", "https") and urlsplit(absolute).netloc:
            return absolute
    return url


# --------------------------------------------------------------------------- text
def _norm_for_compare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\W_]+", " ", text).strip()


def is_boilerplate_line(line: str) -> bool:
    """Whether a whole extracted line is a known insert (see ``BOILERPLATE_LINE_PATTERNS``).

    Inserts are short; a long line is article text even if it starts like one.
    """
    line = _clean_inline(line)
    return len(line) <= MAX_BOILERPLATE_LINE_CHARS and bool(_BOILERPLATE_RE.match(line))


def _clean_lines(text: str, title: str | None, author: str | None) -> str:
    """Drop boilerplate lines, the headline repeated in the body and a bare byline line."""
    drop = set()
    if title:
        drop.add(_norm_for_compare(title))
    if author:
        for prefix in ("", "by ", "oleh ", "penulis ", "reporter "):
            drop.add(_norm_for_compare(prefix + author))
    drop.discard("")
    lines = [_clean_inline(line) for line in text.splitlines()]
    kept = [
        line
        for line in lines
        if line and not is_boilerplate_line(line) and _norm_for_compare(line) not in drop
    ]
    return "\n\n".join(kept)


def count_sentences(text: str) -> int:
    """A rough sentence count: terminal punctuation followed by a space or the end."""
    return len(_SENTENCE_END_RE.findall(text))


def _paywalled(tree: Any, ld: dict[str, Any]) -> bool:
    free = ld.get("isAccessibleForFree")
    if free is False or (isinstance(free, str) and free.strip().lower() == "false"):
        return True
    return bool(
        tree.xpath(
            "//*[contains(translate(@class,'PAYWALL','paywall'),'paywall') "
            "or contains(translate(@id,'PAYWALL','paywall'),'paywall')]"
        )
    )


_BLOCK_TAGS = {
    "div", "p", "table", "ul", "ol", "dl", "section", "article", "aside", "header", "footer",
    "nav", "figure", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "form", "hr",
}


def _is_br(el: Any) -> bool:
    return el is not None and el.tag == "br"


def _paragraphs_from_brs(tree: Any) -> None:
    """Turn text separated by ``<br><br>`` into ``<p>`` paragraphs (as Readability does).

    Old CMSs, common among regional Indonesian portals, write a story as one ``<div>`` of
    text and ``<br>`` tags; trafilatura then glues the pieces around inline elements
    together ("…SyahWARTA BORNEO", adbar/trafilatura#661), so inserts can no longer be
    dropped line by line.
    """
    for parent in tree.xpath("//*[br[following-sibling::*[1][self::br]]]"):
        if parent.tag not in ("div", "td", "section", "article", "main", "center", "font", "span"):
            continue
        children = list(parent)
        # (leading text, inline children) per paragraph; a block child is a group of its own
        groups: list[tuple[str, list[Any]]] = []
        text: str = parent.text or ""
        kids: list[Any] = []
        breaks = 0
        i = 0
        while i < len(children):
            child = children[i]
            if (
                _is_br(child)
                and i + 1 < len(children)
                and _is_br(children[i + 1])
                and not (child.tail or "").strip()
            ):
                while (
                    i + 1 < len(children)
                    and _is_br(children[i + 1])
                    and not (children[i].tail or "").strip()
                ):
                    i += 1
                groups.append((text, kids))
                text, kids = children[i].tail or "", []
                breaks += 1
            elif isinstance(child.tag, str) and child.tag in _BLOCK_TAGS:
                groups.append((text, kids))
                groups.append(("", [child]))
                text, kids = child.tail or "", []
            else:
                kids.append(child)
            i += 1
        groups.append((text, kids))
        if not breaks:
            continue
        parent.text = None
        for child in children:
            parent.remove(child)
        for text, kids in groups:
            if len(kids) == 1 and not text and kids[0].tag in _BLOCK_TAGS:
                kids[0].tail = None  # its tail text opened the next group
                parent.append(kids[0])
                continue
            if not text.strip() and not kids:
                continue
            para = parent.makeelement("p", {})
            para.text = text
            for kid in kids:
                para.append(kid)
            parent.append(para)


_BULKY_OPEN_RE = re.compile(r"<(script|style|svg)\b[^>]*>|<!--", re.IGNORECASE)
_BULKY_CLOSE_RE = {
    "script": re.compile(r"</script\s*>", re.IGNORECASE),
    "style": re.compile(r"</style\s*>", re.IGNORECASE),
    "svg": re.compile(r"</svg\s*>", re.IGNORECASE),
    "": re.compile(r"-->"),
}


def slim_markup(html: str, limit: int = MAX_MARKUP_CHARS) -> str:
    """The markup without scripts (JSON-LD kept: it carries metadata and sometimes the
    text), styles, inline SVG and comments, cut at ``limit`` characters.

    One pass with ``find``-style searches, linear in the page: an unclosed ``<script``
    swallows the rest, as it does in a browser, instead of being searched for again.
    """
    kept: list[str] = []
    size = pos = 0
    while size < limit:
        opened = _BULKY_OPEN_RE.search(html, pos)
        end = opened.start() if opened else len(html)
        kept.append(html[pos:end])
        size += end - pos
        if opened is None:
            break
        tag = (opened.group(1) or "").lower()
        closed = _BULKY_CLOSE_RE[tag].search(html, opened.end())
        if closed is None:
            break
        if tag == "script" and "ld+json" in opened.group(0).lower():
            kept.append(html[opened.start() : closed.end()])
            size += closed.end() - opened.start()
        pos = closed.end()
    return "".join(kept)[:limit]


def _parse(html: str) -> Any:
    from lxml import etree  # type: ignore[import-untyped]
    from lxml import html as lxml_html

    html = _XML_DECL_RE.sub("", slim_markup(html), count=1).replace("\x00", "")
    if not html.strip():
        return None
    parser = lxml_html.HTMLParser(remove_comments=True, collect_ids=False, huge_tree=False)
    try:
        return lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return None


def extract_article(html: str | bytes, url: str | None = None) -> ExtractedArticle:
    """Main text and metadata of a news page; ``UnreadablePageError`` if there is no article.

    ``html`` may be bytes (decoded by BOM / declared charset / UTF-8) or text; at most
    ``MAX_HTML_BYTES`` of it are read. ``url`` is where the page came from, used to resolve a
    relative canonical link and as the fallback ``url``.
    """
    import trafilatura  # heavy import: only when a page is actually read

    if isinstance(html, bytes):
        text_html = decode_html(html[:MAX_HTML_BYTES])
    else:
        text_html = html[:MAX_HTML_BYTES]
    tree = _parse(text_html)
    if tree is None:
        raise UnreadablePageError
    _paragraphs_from_brs(tree)

    # Main text: trafilatura's own boilerplate removal, without its metadata pass (ours below
    # keeps times and offsets; its own runs only to fill gaps).
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,
        fast=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
    )
    raw_text = (getattr(doc, "text", None) if doc is not None else None) or ""

    ld = _json_ld_article(tree)
    metas = _meta_index(tree)
    title = (
        _str(ld.get("headline"))
        or _meta(metas, "og:title", "twitter:title")
        or _first_heading(tree)
    )
    publishers = _names(ld.get("publisher"))
    outlet = (
        (publishers[0] if publishers else None)
        or _meta(metas, "og:site_name", "application-name", "publisher", "article:publisher")
        or _outlet_from_title(tree, title)
    )
    authors = list(dict.fromkeys(_clean_inline(a) for a in _names(ld.get("author"))))
    author = ", ".join(authors) if authors else (
        _meta(metas, "author", "article:author", "dc.creator", "byl") or _byline_author(tree)
    )
    if author and (author.startswith(("http://", "https://")) or not author.strip()):
        author = None
    published = (
        parse_datetime(_str(ld.get("datePublished")))
        or parse_datetime(
            _meta(metas, "article:published_time", "og:article:published_time", "pubdate",
                  "publishdate", "date", "dc.date.issued", "dc.date", "datepublished")
        )
        or _byline_date(tree)
    )

    text = clean_text(_clean_lines(raw_text, title, author))
    if len(text) < MIN_TEXT_CHARS or count_sentences(text) < MIN_SENTENCES:
        raise UnreadablePageError
    if len(text) < MIN_PAYWALLED_TEXT_CHARS and _paywalled(tree, ld):
        raise UnreadablePageError

    canonical = _canonical(tree, metas, ld, url)
    language = _language(tree, metas, ld)
    if not (title and outlet and author and published):
        # Last resort for what the page does not mark up: trafilatura's heuristics (its
        # dates have no time of day; its site name may be the host name).
        meta = trafilatura.extract_metadata(tree, default_url=url, extensive=False)
        title = title or getattr(meta, "title", None) or None
        outlet = outlet or getattr(meta, "sitename", None) or None
        author = author or _tidy_author(getattr(meta, "author", None) or "")
        published = published or parse_datetime(getattr(meta, "date", None))
    return ExtractedArticle(
        text=text,
        title=title,
        outlet=_clean_inline(outlet) if outlet else None,
        author=author,
        published_at=published,
        url=canonical,
        language=language,
    )


def _first_heading(tree: Any) -> str | None:
    for xpath in ("//article//h1", "//h1", "//title"):
        for el in tree.xpath(xpath):
            text = _clean_inline(el.text_content() or "")
            if 0 < len(text) <= 300:
                return text
    return None
