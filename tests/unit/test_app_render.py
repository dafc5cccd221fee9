"""Rendering: escaping, Telegram-valid HTML and splitting under the 4096-character limit."""

from __future__ import annotations

import html

import pytest

from bot.i18n import format_count, pick_language, text
from handlers import render
from tests.helpers.botapi_rules import parse_html, utf16_len


def assert_telegram_valid(chunks: list[str], limit: int = 4096) -> str:
    plains = []
    for chunk in chunks:
        plain, _ = parse_html(chunk)  # raises ApiError exactly where Telegram would
        assert plain.strip()
        assert utf16_len(plain) <= limit
        plains.append(plain)
    return "\n\n".join(plains)


@pytest.mark.parametrize(("code", "lang"), [("id", "id"), ("id-ID", "id"), ("in", "id"),
                                            ("en", "en"), ("en-GB", "en"), (None, "en"),
                                            ("", "en"), ("ms", "en")])  # fmt: skip
def test_pick_language(code: str | None, lang: str) -> None:
    assert pick_language(code) == lang


def test_counts_are_grouped_per_language() -> None:
    assert format_count("en", 12345) == "12,345"
    assert format_count("id", 12345) == "12.345"


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("count", [0, 1, 2, 1_234_567])
def test_welcome_is_valid_html_in_both_languages(lang: str, count: int) -> None:
    chunks = render.welcome(lang, count)  # type: ignore[arg-type]
    assert len(chunks) == 1
    plain = assert_telegram_valid(chunks)
    assert text(lang, "welcome.title") in plain  # type: ignore[arg-type]
    if count > 1:
        assert format_count(lang, count) in plain  # type: ignore[arg-type]


def test_user_text_is_escaped() -> None:
    nasty = '<script>alert("x")</script> & <b>not bold</b> &nbsp; \' >'
    [chunk] = render.split_html(render.esc(nasty))
    plain, entities = parse_html(chunk)
    assert plain == nasty
    assert entities == []


def test_long_reply_is_split_at_paragraphs_outside_tags() -> None:
    paragraphs = [
        f"<b>Claim {i}</b>\n<i>{html.escape('Menteri & juru bicara <kata> ' * 20)}</i>"
        for i in range(60)
    ]
    markup = "\n\n".join(paragraphs)
    chunks = render.split_html(markup)
    assert len(chunks) > 1
    joined = assert_telegram_valid(chunks)
    assert joined == parse_html(markup)[0]  # nothing lost, nothing duplicated
    for chunk in chunks:
        assert chunk.startswith("<b>Claim ")  # every cut is at a paragraph boundary


def test_blank_lines_inside_pre_are_not_cut_points() -> None:
    pre = "<pre>" + "\n\n".join(["x" * 100] * 30) + "</pre>"
    chunks = render.split_html(pre + "\n\n" + "tail", limit=2000)
    assert_telegram_valid(chunks, limit=2000)


def test_single_huge_paragraph_is_split_between_words_with_tags_reopened() -> None:
    markup = '<a href="https://example.org/a?b=1&amp;c=2">' + "kata " * 3000 + "</a> akhir"
    chunks = render.split_html(markup)
    assert len(chunks) >= 4
    joined = assert_telegram_valid(chunks)
    assert joined.split() == parse_html(markup)[0].split()
    for chunk in chunks[:-1]:
        _, entities = parse_html(chunk)
        assert entities[0]["type"] == "text_link"


def test_one_giant_word_is_cut_without_breaking_entities() -> None:
    markup = "<code>" + "&amp;" * 9000 + "</code>"
    chunks = render.split_html(markup)
    joined = assert_telegram_valid(chunks)
    assert joined.replace("\n", "") == "&" * 9000


def test_astral_characters_count_as_two() -> None:
    chunks = render.split_html(" ".join(["😀"] * 2000))  # 3999 code points, 5999 units
    assert len(chunks) == 2
    assert_telegram_valid(chunks)


def test_empty_markup_gives_no_messages() -> None:
    assert render.split_html("") == []
    assert render.split_html("  \n\n ") == []
