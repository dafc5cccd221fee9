"""Links in messages: detection and the spellings looked up in the archive."""

from __future__ import annotations

import pytest

from bot.web.urls import canonical_url, find_urls, link_in, link_only, url_variants


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


@pytest.mark.parametrize(
    "variant",
    [
        "https://m.example.org/news/1",
        "https://amp.example.org/news/1/",
        "https://www.example.org/news/1/amp",
        "https://example.org/amp/news/1",
        "http://example.org/news/1?amp=1&utm_medium=social",
        "https://example.org/news/1?outputType=amp#comments",
    ],
)
def test_amp_and_mobile_variants_share_one_canonical_url(variant: str) -> None:
    assert canonical_url(variant) == "https://example.org/news/1"
    assert "https://www.example.org/news/1/" in url_variants(variant)


def test_canonical_keeps_meaningful_query_and_port() -> None:
    assert canonical_url("http://example.org:8080/a/?id=5&fbclid=z") == (
        "https://example.org:8080/a?id=5"
    )
    assert canonical_url("https://m.co/x") == "https://m.co/x"  # a two-label host stays


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cek ini https://example.org/a benar nggak?", "https://example.org/a"),
        ("https://example.org/a", "https://example.org/a"),
        ("two https://a.test/1 https://b.test/2", None),
        ("word " * 40 + "https://example.org/a", None),
    ],
)
def test_link_in(text: str, expected: str | None) -> None:
    assert link_in(text) == expected
