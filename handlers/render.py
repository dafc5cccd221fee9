"""The only module that knows Telegram HTML: it escapes, marks up and splits replies.

Every string that comes from a user, an article or a translation passes through
``html.escape`` here. Replies longer than Telegram's 4096-character limit are split at
paragraph boundaries outside any tag; a single overlong paragraph is split between words, with
open tags closed at the end of one message and reopened at the start of the next, so every
message parses on its own.
"""

from __future__ import annotations

import html
import re
from typing import Final

from bot.i18n import Lang, format_count, text

MAX_MESSAGE_CHARS: Final = 4096
_TAG_RE: Final = re.compile(r"(<[^>]*>)")
_TOKEN_RE: Final = re.compile(r"(<[^>]*>|\s+|[^<\s]+)")
_UNIT_RE: Final = re.compile(r"&#?[0-9A-Za-z]+;|.", re.DOTALL)


def esc(value: object) -> str:
    """Escape text for Telegram HTML (quotes too, so it is also safe inside attributes)."""
    return html.escape(str(value), quote=True)


def visible_length(markup: str) -> int:
    """Length Telegram counts after parsing entities, in UTF-16 code units (conservative)."""
    plain = html.unescape(_TAG_RE.sub("", markup))
    return len(plain.encode("utf-16-le")) // 2


def welcome(lang: Lang, article_count: int) -> list[str]:
    """/start and /help: what the bot does, the archive size and an example to try."""
    if article_count <= 0:
        archive = text(lang, "welcome.archive_empty")
    elif article_count == 1:
        archive = text(lang, "welcome.archive_one")
    else:
        archive = text(lang, "welcome.archive", count=format_count(lang, article_count))
    paragraphs = [
        f"<b>{esc(text(lang, 'welcome.title'))}</b>",
        esc(text(lang, "welcome.what")),
        esc(archive),
        f"{esc(text(lang, 'welcome.try'))}\n"
        f"• {esc(text(lang, 'welcome.example_forward'))}\n"
        f"• <i>{esc(text(lang, 'welcome.example_question'))}</i>",
        esc(text(lang, "welcome.help_hint")),
    ]
    return split_html("\n\n".join(paragraphs))


def notice(lang: Lang, key: str) -> list[str]:
    """A one-paragraph plain notice (coming soon, error apology), escaped."""
    return split_html(esc(text(lang, key)))


def split_html(markup: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Split well-formed Telegram HTML into messages of at most ``limit`` visible characters."""
    if limit < 16:
        raise ValueError("limit too small to split HTML sensibly")
    if visible_length(markup) <= limit:
        return [markup] if markup.strip() else []
    chunks: list[str] = []
    current = ""
    for para in _top_level_paragraphs(markup):
        candidate = f"{current}\n\n{para}" if current else para
        if visible_length(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
            current = ""
        if visible_length(para) <= limit:
            current = para
        else:
            pieces = _split_paragraph(para, limit)
            chunks.extend(pieces[:-1])
            current = pieces[-1] if pieces else ""
    if current:
        chunks.append(current)
    return [c for c in chunks if c.strip()]


def _tag_name(tag: str) -> str:
    return tag.strip("</>").split()[0].lower() if tag.strip("</>").split() else ""


def _top_level_paragraphs(markup: str) -> list[str]:
    """Split at blank lines that are not inside any element (e.g. not inside <pre>)."""
    paragraphs: list[str] = []
    depth = 0
    start = 0
    pos = 0
    for token in _TOKEN_RE.findall(markup):
        if token.startswith("<"):
            depth += -1 if token.startswith("</") else 1
        elif depth == 0 and "\n\n" in token and token.isspace():
            paragraphs.append(markup[start:pos])
            start = pos + len(token)
        pos += len(token)
    paragraphs.append(markup[start:])
    return [p for p in paragraphs if p.strip()]


def _split_paragraph(para: str, limit: int) -> list[str]:
    """Greedy split between words; close open tags at a cut and reopen them after it."""
    chunks: list[str] = []
    stack: list[str] = []  # opening tags, outermost first
    parts: list[str] = []
    length = 0

    def cut() -> None:
        nonlocal parts, length
        closing = "".join(f"</{_tag_name(t)}>" for t in reversed(stack))
        body = "".join(parts).rstrip()
        if html.unescape(_TAG_RE.sub("", body)).strip():
            chunks.append(body + closing)
        parts = list(stack)
        length = 0

    for token in _TOKEN_RE.findall(para):
        if token.startswith("</"):
            if stack:
                stack.pop()
            parts.append(token)
            continue
        if token.startswith("<"):
            stack.append(token)
            parts.append(token)
            continue
        size = visible_length(token)
        if length + size > limit and length > 0:
            cut()
            if token.isspace():
                continue
        if size <= limit:
            parts.append(token)
            length += size
            continue
        # One "word" longer than a message (a giant URL): cut it between characters/entities.
        for unit in _UNIT_RE.findall(token):
            unit_size = visible_length(unit)
            if length + unit_size > limit:
                cut()
            parts.append(unit)
            length += unit_size
    cut()
    return chunks
