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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import partial
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.cli.report import chain
from bot.conversation import AdminStats
from bot.core.ids import ID_PATTERN, MAX_ID
from bot.core.models import (
    Article,
    AskResult,
    Claim,
    Demand,
    Digest,
    DigestClaim,
    DigestRun,
    Feed,
    MatchHit,
    Provenance,
)
from bot.digest.compose import MAX_FOLLOW_CHARS, MAX_FOLLOWS
from bot.digest.subscriptions import Outcome as SubscriptionOutcome
from bot.i18n import Lang, format_count, format_date, text

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


def notice_with(lang: Lang, key: str, **values: object) -> list[str]:
    """A notice with values filled in, escaped."""
    return split_html(_t(lang, key, **values))


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


# -- answers ----------------------------------------------------------------------------------
# Callback data: "<action>:<article id>[:<page>]", ASCII, far under Telegram's 64 bytes.
ACTION_ALL: Final = "all"
ACTION_SOURCES: Final = "src"
ACTION_NOT_THIS: Final = "no"
ACTION_OPEN: Final = "open"
ACTION_LANG: Final = "lang"
ACTION_DIGEST: Final = "dg"
CLAIMS_PER_PAGE: Final = 8
CARD_CLAIMS: Final = 5
CARD_CLAIM_CHARS: Final = 300
_BUTTON_TITLE_CHARS: Final = 40


@dataclass(frozen=True, slots=True)
class Reply:
    """Messages to send in order; the keyboard goes with the last one."""

    chunks: list[str]
    keyboard: InlineKeyboardMarkup | None = None


@dataclass(frozen=True, slots=True)
class Callback:
    """A pressed button: card buttons carry an article id (and a page), the others an arg."""

    action: str
    article_id: int = 0
    page: int = 0
    arg: str = ""


_ID: Final = rf"(?P<id>{ID_PATTERN})"  # a positive SQLite integer: at most 19 digits
# One format for every button, "action:args", and one grammar per action: anything this
# version did not make (stale, forged, oversized ids) parses to None, never to an exception.
_BUTTONS: Final[dict[str, re.Pattern[str]]] = {
    ACTION_ALL: re.compile(_ID + r"(?::(?P<page>[1-9]\d{0,6}))?"),
    ACTION_SOURCES: re.compile(_ID),
    ACTION_NOT_THIS: re.compile(_ID),
    ACTION_OPEN: re.compile(_ID),
    ACTION_LANG: re.compile(r"(?P<arg>en|id)"),
    ACTION_DIGEST: re.compile(r"(?P<arg>unsub|time|at:(?:[01]\d|2[0-3])[0-5]\d|more:\d{8})"),
}


def callback_data(action: str, *args: int | str) -> str:
    """The button's data: ``action:arg:arg``, a zero page left out."""
    parts = [action, *(str(a) for a in args if a != 0)]
    data = ":".join(parts)
    if len(data.encode()) > 64:  # pragma: no cover - ids would need 50+ digits
        raise ValueError("callback data over Telegram's 64-byte limit")
    return data


def button(label: str, action: str, *args: int | str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callback_data(action, *args))


def parse_callback(data: str | None) -> Callback | None:
    """The button pressed, or None for data this version did not make (old or forged)."""
    action, _, rest = (data or "").partition(":")
    grammar = _BUTTONS.get(action)
    found = grammar.fullmatch(rest) if grammar is not None else None
    if found is None:
        return None
    values = found.groupdict()
    article_id = int(values.get("id") or 0)
    if article_id > MAX_ID:
        return None
    return Callback(action, article_id, int(values.get("page") or 0), values.get("arg") or "")


def _t(lang: Lang, key: str, **values: object) -> str:
    return esc(text(lang, key, **values))


def _date(lang: Lang, value: datetime | None, zone: tzinfo) -> str | None:
    if value is None:
        return None
    local = value.astimezone(zone) if value.tzinfo else value
    return format_date(lang, local.date())


def _shorten(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _badges(lang: Lang, claim: Claim) -> list[str]:
    badges = []
    if claim.stance in ("denies", "declines_comment", "unverified", "accuses", "claims"):
        badges.append(text(lang, f"stance.{claim.stance}"))
    if claim.speaker is not None and claim.speaker.kind == "anonymous":
        badges.append(text(lang, "badge.anonymous"))
    return badges


def claim_line(
    lang: Lang, claim: Claim, outlet: str | None, *, index: int | None = None, limit: int = 0
) -> str:
    """"1. “claim” — Speaker (role) · cue · via outlet ← WSJ ← speaker  [denied]"."""
    body = _shorten(claim.text, limit) if limit else " ".join(claim.text.split())
    quoted = f"“{esc(body)}”" if claim.direct else esc(body)
    head = f"{index}. " if index is not None else ""
    parts = [f"{head}{quoted}"]
    if claim.speaker is None:
        parts.append(f"— <i>{_t(lang, 'card.no_source')}</i>")
    else:
        who = f"— <b>{esc(claim.speaker.name)}</b>"
        if claim.speaker.role:
            who += f" ({esc(claim.speaker.role)})"
        if claim.cue:
            who += f" · <i>{esc(claim.cue)}</i>"
        parts.append(who)
        if claim.via:
            parts.append(f"· {_t(lang, 'card.via')} {esc(chain(claim, outlet))}")
    badges = _badges(lang, claim)
    if badges:
        parts.append(" ".join(f"[{esc(b)}]" for b in badges))
    return " ".join(parts)


def sourcing_summary(lang: Lang, claims: Sequence[Claim]) -> str:
    """"5 claims: 2 named sources, 3 anonymous via WSJ; 1 denials" in one line (plain)."""
    named = {
        c.speaker.name.casefold()
        for c in claims
        if c.speaker is not None and c.speaker.kind != "anonymous"
    }
    anonymous = [c for c in claims if c.speaker is not None and c.speaker.kind == "anonymous"]
    hops = Counter(c.via[0] for c in anonymous if c.via)
    sources = []
    if named:
        sources.append(text(lang, "summary.named", count=len(named)))
    if anonymous:
        if hops:
            via = hops.most_common(1)[0][0]
            sources.append(text(lang, "summary.anonymous_via", count=len(anonymous), via=via))
        else:
            sources.append(text(lang, "summary.anonymous", count=len(anonymous)))
    stances: Counter[str] = Counter(c.stance for c in claims)
    flags = [
        text(lang, key, count=stances[stance])
        for stance, key in (
            ("denies", "summary.denials"),
            ("declines_comment", "summary.declined"),
            ("unverified", "summary.unverified"),
        )
        if stances[stance]
    ]
    line = text(lang, "summary.claims", count=len(claims))
    if sources:
        line += ": " + ", ".join(sources)
    if flags:
        line += "; " + ", ".join(flags)
    return line


def _header(lang: Lang, article: Article, zone: tzinfo) -> list[str]:
    lines = []
    if article.title:
        lines.append(f"<b>{esc(_shorten(article.title, 300))}</b>")
    meta = [esc(m) for m in (article.outlet, _date(lang, article.published_at, zone)) if m]
    if article.url and article.url.lower().startswith(("http://", "https://")):
        meta.append(f'<a href="{esc(article.url)}">{_t(lang, "card.link")}</a>')
    meta.append(f"#{article.id}")
    lines.append(" · ".join(meta))
    if article.provenance is Provenance.USER:
        lines.append(f"<i>{_t(lang, 'card.user_submission')}</i>")
    return lines


def _demand_lines(lang: Lang, demand: Demand | None, zone: tzinfo) -> list[str]:
    if demand is None or demand.times == 0:
        return []
    lines = []
    origin = demand.first_origin
    if origin is not None and origin.label:
        when = _date(lang, origin.date or demand.first_seen, zone) or ""
        channel = esc(origin.label)
        if origin.link:
            channel = f'<a href="{esc(origin.link)}">{channel}</a>'
        lines.append(text(lang, "card.first_seen", channel="\0", date=when).replace("\0", channel))
    if demand.times == 1:
        lines.append(_t(lang, "card.forwarded_once"))
    else:
        lines.append(_t(lang, "card.forwarded", times=demand.times, users=demand.users))
    if demand.channels > 1:
        lines.append(_t(lang, "card.from_channels", count=demand.channels))
    return [" ".join(lines)]


def _card_keyboard(lang: Lang, article_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    text(lang, "button.all"), callback_data=callback_data(ACTION_ALL, article_id)
                ),
                InlineKeyboardButton(
                    text(lang, "button.sources"),
                    callback_data=callback_data(ACTION_SOURCES, article_id),
                ),
            ],
            [
                InlineKeyboardButton(
                    text(lang, "button.not_this"),
                    callback_data=callback_data(ACTION_NOT_THIS, article_id),
                )
            ],
        ]
    )


def article_card(
    lang: Lang,
    article: Article,
    *,
    demand: Demand | None = None,
    score: float | None = None,
    submitted: bool = False,
    zone: tzinfo = UTC,
) -> Reply:
    """The answer to a forwarded article: what it is, who says what in it, how it spreads."""
    paragraphs: list[str] = []
    if submitted:
        paragraphs.append(
            f"<b>{_t(lang, 'card.submitted')}</b>\n{_t(lang, 'card.submitted_note')}"
        )
    elif score is not None:
        paragraphs.append(f"<b>{_t(lang, 'card.match', score=round(score))}</b>")
    paragraphs.append("\n".join(_header(lang, article, zone) + _demand_lines(lang, demand, zone)))
    # Only the analyzer's key claims (confident and important): a card with fewer, right
    # claims beats one padded with shaky ones. The rest stays behind "All claims".
    key = _distinct([c for c in article.claims if c.key])
    key = sorted(key, key=lambda c: (-c.score, c.start))[:CARD_CLAIMS]
    key.sort(key=lambda c: c.start)
    if key:
        lines = [f"<b>{_t(lang, 'card.key_claims')}</b>"]
        lines += [
            claim_line(lang, c, article.outlet, index=i, limit=CARD_CLAIM_CHARS)
            for i, c in enumerate(key, start=1)
        ]
        paragraphs.append("\n".join(lines))
    if any(c.speaker is not None for c in article.claims):
        if not key:
            paragraphs.append(_t(lang, "card.no_key_claims"))
        paragraphs.append(f"<i>{esc(sourcing_summary(lang, article.claims))}</i>")
    else:
        paragraphs.append(_t(lang, "card.no_claims"))
    return Reply(split_html("\n\n".join(paragraphs)), _card_keyboard(lang, article.id))


def _distinct(claims: Sequence[Claim]) -> list[Claim]:
    """One claim per text: a headline repeated as the lead sentence is one claim to a reader."""
    seen: set[str] = set()
    out = []
    for claim in sorted(claims, key=lambda c: (-c.score, c.start)):
        key = " ".join(claim.text.casefold().split())
        if key not in seen:
            seen.add(key)
            out.append(claim)
    return out


def unanalyzable(lang: Lang) -> Reply:
    return Reply(notice(lang, "card.none"))


def similar_list(lang: Lang, hits: Sequence[MatchHit], zone: tzinfo = UTC) -> Reply:
    """"No exact match" with one button per candidate and its similarity."""
    lines = [f"<b>{_t(lang, 'card.similar')}</b>"]
    buttons = []
    for i, hit in enumerate(hits, start=1):
        meta = ", ".join(m for m in (hit.outlet, _date(lang, hit.published_at, zone)) if m)
        title = hit.title or (hit.claims[0].text if hit.claims else f"#{hit.article_id}")
        lines.append(
            f"{i}. {esc(_shorten(title, 200))} ({round(hit.score)}%)"
            + (f" — {esc(meta)}" if meta else "")
        )
        label = f"{i}. {round(hit.score)}% {_shorten(title, _BUTTON_TITLE_CHARS)}"
        buttons.append(
            [InlineKeyboardButton(label, callback_data=callback_data(ACTION_OPEN, hit.article_id))]
        )
    return Reply(split_html("\n".join(lines)), InlineKeyboardMarkup(buttons))


def who_said(lang: Lang, result: AskResult, zone: tzinfo = UTC) -> Reply:
    """"Who said this?": every stored statement of the quote, earliest first, with a
    warning when different articles attribute it to different speakers."""
    if result.outcome == "none" or not result.results:
        return Reply(notice(lang, "who.none"))
    count = len(result.results)
    if result.in_text_only:
        head = _t(lang, "who.in_text", count=count)
    elif result.outcome == "match":
        head = (
            _t(lang, "who.found_one") if count == 1 else _t(lang, "who.found", count=count)
        )
    else:
        head = _t(lang, "who.similar")
    paragraphs = [f"<b>{head}</b>"]
    buttons: list[InlineKeyboardButton] = []
    if result.misattribution:
        speakers = ", ".join(result.speakers)
        paragraphs.append(f"⚠️ <b>{_t(lang, 'who.conflict', speakers=speakers)}</b>")
    for i, hit in enumerate(result.results, start=1):
        meta = " · ".join(
            esc(m) for m in (hit.outlet, _date(lang, hit.published_at, zone), hit.title) if m
        )
        lines = [f"{i}. {meta} · #{hit.article_id}" if meta else f"{i}. #{hit.article_id}"]
        if not result.in_text_only:  # key claims would pass for the quote's speakers
            lines += [
                claim_line(lang, c, hit.outlet, limit=CARD_CLAIM_CHARS) for c in hit.claims[:3]
            ]
        paragraphs.append("\n".join(lines))
        if len(buttons) < 5:
            buttons.append(
                InlineKeyboardButton(
                    text(lang, "button.open", id=hit.article_id),
                    callback_data=callback_data(ACTION_OPEN, hit.article_id),
                )
            )
    rows = [buttons[:3], buttons[3:]] if len(buttons) > 3 else [buttons]
    keyboard = InlineKeyboardMarkup(rows)
    return Reply(split_html("\n\n".join(paragraphs)), keyboard)


def all_claims(lang: Lang, article: Article, page: int) -> Reply:
    """One page of every claim in the article, with previous/next buttons."""
    claims = sorted(article.claims, key=lambda c: c.start)
    pages = max(1, -(-len(claims) // CLAIMS_PER_PAGE))
    page = min(max(page, 1), pages)
    shown = claims[(page - 1) * CLAIMS_PER_PAGE : page * CLAIMS_PER_PAGE]
    lines = [f"<b>{_t(lang, 'all.title', count=len(claims), page=page, pages=pages)}</b>"]
    if article.title:
        lines.append(f"<i>{esc(_shorten(article.title, 200))}</i> · #{article.id}")
    start = (page - 1) * CLAIMS_PER_PAGE + 1
    body = [claim_line(lang, c, article.outlet, index=i) for i, c in enumerate(shown, start)]
    row = []
    if page > 1:
        row.append(
            InlineKeyboardButton(
                text(lang, "button.prev"),
                callback_data=callback_data(ACTION_ALL, article.id, page - 1),
            )
        )
    if page < pages:
        row.append(
            InlineKeyboardButton(
                text(lang, "button.next"),
                callback_data=callback_data(ACTION_ALL, article.id, page + 1),
            )
        )
    markup = "\n".join(lines) + "\n\n" + "\n\n".join(body or [_t(lang, "card.no_claims")])
    return Reply(split_html(markup), InlineKeyboardMarkup([row]) if row else None)


def sources(lang: Lang, article: Article) -> Reply:
    """Each speaker in the article with their role and what they said."""
    by_speaker: dict[tuple[str, str], list[Claim]] = {}
    for claim in sorted(article.claims, key=lambda c: c.start):
        if claim.speaker is not None:
            key = (claim.speaker.name, claim.speaker.kind)
            by_speaker.setdefault(key, []).append(claim)
    if not by_speaker:
        return Reply(notice(lang, "sources.none"))
    paragraphs = [f"<b>{_t(lang, 'sources.title', count=len(by_speaker))}</b>"]
    for (name, kind), said in by_speaker.items():
        roles = list(dict.fromkeys(c.speaker.role for c in said if c.speaker and c.speaker.role))
        head = f"<b>{esc(name)}</b>" + (f" ({esc(', '.join(roles))})" if roles else "")
        if kind == "anonymous":
            head += f" [{_t(lang, 'badge.anonymous')}]"
        lines = [head]
        for stmt in said:
            body = esc(_shorten(stmt.text, CARD_CLAIM_CHARS))
            body = f"“{body}”" if stmt.direct else body
            flags = [s for s in _badges(lang, stmt) if s != text(lang, "badge.anonymous")]
            via = (
                f" · {_t(lang, 'card.via')} {esc(chain(stmt, article.outlet))}"
                if stmt.via
                else ""
            )
            lines.append(f"• {body}{via}" + "".join(f" [{esc(f)}]" for f in flags))
        paragraphs.append("\n".join(lines))
    return Reply(split_html("\n\n".join(paragraphs)))


def language_choice(lang: Lang) -> Reply:
    keyboard = InlineKeyboardMarkup(
        [
            [
                button("English", ACTION_LANG, "en"),
                button("Bahasa Indonesia", ACTION_LANG, "id"),
            ]
        ]
    )
    return Reply(notice(lang, "lang.choose"), keyboard)


def admin_stats(lang: Lang, stats: AdminStats, digests: str | None = None) -> Reply:
    """/stats; ``digests`` is the already escaped line from :func:`digest_stats`."""
    a, u = stats.archive, stats.activity
    count = partial(format_count, lang)
    sources_text = ", ".join(f"{k}: {count(v)}" for k, v in sorted(a.by_provenance.items()))
    lines = [
        f"<b>{_t(lang, 'stats.title')}</b>",
        _t(
            lang,
            "stats.archive",
            articles=count(a.articles),
            claims=count(a.claims),
            speakers=count(a.speakers),
        ),
    ]
    if sources_text:
        lines.append(_t(lang, "stats.sources", sources=sources_text))
    lines += [
        _t(lang, "stats.users", users=count(u.users), active=count(u.active_today)),
        _t(
            lang,
            "stats.today",
            queries=count(u.queries_today),
            forwards=count(u.forwards_today),
            unmatched=count(u.unmatched_today),
        ),
        _t(
            lang,
            "stats.totals",
            unmatched=count(u.unmatched_total),
            not_this=count(u.not_this_total),
        ),
    ]
    if digests:
        lines.append(digests)
    return Reply(split_html("\n".join(lines)))


# What a reply quotes back of something a user typed: a short prefix, so 10,000 characters
# sent to /timezone are not answered with four messages repeating them. A reason (which may
# embed a link someone sent) gets more room, still far from a message's length.
QUOTE_CHARS: Final = 60
REASON_CHARS: Final = 200


def quoted(value: object, limit: int = QUOTE_CHARS) -> object:
    """A text value cut to a short prefix for quoting back; other values as they are."""
    return _shorten(value, limit) if isinstance(value, str) else value


def message(lang: Lang, key: str, **values: object) -> Reply:
    """A one-paragraph reply from a translated string, escaped; text values are quoted
    only as a prefix (``REASON_CHARS``)."""
    return Reply(
        split_html(_t(lang, key, **{k: quoted(v, REASON_CHARS) for k, v in values.items()}))
    )


# -- digests ----------------------------------------------------------------------------------
DIGEST_PREFIX: Final = "dg"
DIGEST_TIMES: Final = ("06:00", "07:00", "08:00", "12:00", "18:00", "21:00")


def _digest_claim(lang: Lang, item: DigestClaim) -> str:
    title = esc(_shorten(item.title or "", 80))
    where = f" · <i>{title}</i>" if title else ""
    line = claim_line(lang, item.claim, item.outlet, limit=220)
    return f"• {line}{where} · #{item.article_id}"


def digest_keyboard(lang: Lang, digest: Digest) -> InlineKeyboardMarkup:
    row = []
    if digest.more:
        day = digest.digest_date.strftime("%Y%m%d")
        row.append(
            button(text(lang, "button.more"), ACTION_DIGEST, "more", day)
        )
    row.append(button(text(lang, "button.change_time"), ACTION_DIGEST, "time"))
    unsubscribe = button(text(lang, "button.unsubscribe"), ACTION_DIGEST, "unsub")
    return InlineKeyboardMarkup([row, [unsubscribe]])


def digest(lang: Lang, item: Digest, zone: tzinfo = UTC) -> Reply:
    """The daily briefing: follows first, then new articles with their top claims, what was
    forwarded most, and the denials / could-not-verify flags. Split cleanly when long."""
    end = item.end.astimezone(zone)
    head = [f"<b>{_t(lang, 'digest.title', date=format_date(lang, item.digest_date))}</b>"]
    if item.total_new:
        head.append(_t(lang, "digest.total", count=item.total_new, time=end.strftime("%H:%M")))
    else:
        head.append(_t(lang, "digest.total_none"))
    paragraphs = ["\n".join(head)]
    if item.followed:
        lines = [f"<b>{_t(lang, 'digest.followed')}</b>"]
        lines += [_digest_claim(lang, c) for c in item.followed]
        paragraphs.append("\n".join(lines))
    if item.articles:
        lines = [f"<b>{_t(lang, 'digest.new')}</b>"]
        for i, article in enumerate(item.articles, start=1):
            meta = " · ".join(esc(m) for m in (article.outlet,) if m)
            title = esc(_shorten(article.title or f"#{article.article_id}", 160))
            line = f"{i}. <b>{title}</b>" + (f" — {meta}" if meta else "")
            line += f" · #{article.article_id}"
            if article.forwards:
                line += f" · {_t(lang, 'digest.forwarded_times', count=article.forwards)}"
            lines.append(line)
            lines += [
                "   " + claim_line(lang, c, article.outlet, limit=220) for c in article.claims
            ]
        paragraphs.append("\n".join(lines))
    if item.most_forwarded:
        lines = [f"<b>{_t(lang, 'digest.forwarded')}</b>"]
        for article in item.most_forwarded:
            title = esc(_shorten(article.title or f"#{article.article_id}", 120))
            lines.append(
                f"• {title} · {_t(lang, 'digest.forwarded_times', count=article.forwards)}"
                f" · #{article.article_id}"
            )
        paragraphs.append("\n".join(lines))
    if item.flags:
        lines = [f"<b>{_t(lang, 'digest.flags')}</b>"]
        lines += [_digest_claim(lang, c) for c in item.flags]
        paragraphs.append("\n".join(lines))
    return Reply(split_html("\n\n".join(paragraphs)), digest_keyboard(lang, item))


def time_choice(lang: Lang) -> Reply:
    buttons = [
        button(t, ACTION_DIGEST, "at", t.replace(":", ""))
        for t in DIGEST_TIMES
    ]
    return Reply(notice(lang, "sub.choose_time"), InlineKeyboardMarkup([buttons[:3], buttons[3:]]))


def subscription(lang: Lang, outcome: SubscriptionOutcome) -> Reply:
    """Confirm, in the user's language, what is now set."""
    sub = outcome.subscription
    values: dict[str, object] = {"value": quoted(outcome.value), "max": MAX_FOLLOWS}
    if sub is not None:
        values.update(time=sub.send_time, zone=sub.timezone)
    key = {
        "subscribed": "sub.subscribed",
        "rescheduled": "sub.rescheduled",
        "unsubscribed": "sub.unsubscribed",
        "not_subscribed": "sub.not_subscribed",
        "bad_time": "sub.bad_time",
        "bad_timezone": "sub.bad_timezone",
        "timezone_set": "sub.timezone_set",
        "followed": "follow.added",
        "already_following": "follow.exists",
        "follows_full": "follow.full",
        "follow_too_long": "follow.too_long",
        "unfollowed": "follow.removed",
        "not_following": "follow.missing",
    }.get(outcome.result)
    if key is None:
        return follows(lang, sub.follows if sub else [])
    if outcome.result == "follow_too_long":
        values["max"] = MAX_FOLLOW_CHARS
    return Reply(split_html(_t(lang, key, **values)))


def follows(lang: Lang, items: Sequence[str]) -> Reply:
    if not items:
        return Reply(notice(lang, "follow.none"))
    lines = [_t(lang, "follow.list", count=len(items), max=MAX_FOLLOWS)]
    lines += [f"• {esc(item)}" for item in items]
    return Reply(split_html("\n".join(lines)))


def digest_stats(lang: Lang, active: int, run: DigestRun | None) -> str:
    """One line for /stats (plain, escaped by the caller's paragraph)."""
    if run is None:
        return _t(lang, "stats.digests_none", active=active)
    return _t(
        lang,
        "stats.digests",
        active=active,
        due=run.due,
        sent=run.sent,
        empty=run.empty,
        late=run.late,
        failed=run.failed,
        deactivated=run.deactivated,
        ambiguous=run.ambiguous,
    )


def feed_list(lang: Lang, items: Sequence[Feed]) -> Reply:
    if not items:
        return Reply(notice(lang, "feeds.none"))
    lines = [f"<b>{_t(lang, 'feeds.title', count=len(items))}</b>"]
    for feed in items:
        polled = _date(lang, feed.last_polled, UTC) if feed.last_polled else "—"
        line = (
            f"#{feed.id} {esc(feed.title or '')} <code>{esc(feed.url)}</code> · "
            + _t(lang, "feeds.line", minutes=feed.interval_s // 60, polled=polled,
                 status=feed.last_status or "—", added=feed.items_added)
        )  # fmt: skip
        if feed.last_error:
            line += f" · <i>{esc(feed.last_error)}</i>"
        lines.append(line)
    return Reply(split_html("\n".join(lines)))
