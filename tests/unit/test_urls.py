"""Links in messages: detection and the spellings looked up in the archive."""

from __future__ import annotations

import pytest

from bot.urls import find_urls, link_only, url_variants


def test_find_urls_strips_sentence_punctuation() -> None:
    text = "Baca (https://example.org/a?b=1). Juga http://x.test/y!"
    assert find_urls(text) == ["https://example.org/a?b=1", "http://x.test/y"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://example.org/news/1", "https://example.org/news/1"),
        ("  https://example.org/news/1  👀", "https://example.org/news/1"),
        ("look: https://example.org/news/1", None),  # text with it: an article or a question
        ("https://a.test/1 https://b.test/2", None),
        ("no link here", None),
        ("ftp://example.org/file", None),
    ],
)
def test_link_only(text: str, expected: str | None) -> None:
    assert link_only(text) == expected


def test_variants_cover_scheme_www_slash_and_drop_tracking() -> None:
    variants = url_variants("http://WWW.Example.org/news/1/?utm_source=tg&id=5&fbclid=x#top")
    assert "https://example.org/news/1?id=5" in variants
    assert "https://www.example.org/news/1/?id=5" in variants
    assert "http://example.org/news/1?id=5" in variants
    assert all("utm_" not in v and "fbclid" not in v and "#" not in v for v in variants)
    assert len(variants) == len(set(variants)) == 8


@pytest.mark.parametrize("bad", ["", "not a url", "javascript:alert(1)", "http://", "http://[::1"])
def test_variants_of_bad_input_are_empty(bad: str) -> None:
    assert url_variants(bad) == []
