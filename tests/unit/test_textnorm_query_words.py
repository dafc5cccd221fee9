"""bot.core.textnorm query-side helpers: tag words and leetspeak (content_hash untouched)."""

from __future__ import annotations

import pytest

from bot.core.textnorm import (
    camel_parts,
    content_hash,
    normalize_for_match,
    number_parts,
    tag_words,
    unleet,
)


def test_tag_words_keep_the_tag_and_split_camel_case() -> None:
    assert tag_words("Lihat #BanjirBandang di @PemkotLembayung, #viral") == [
        "banjirbandang",
        "banjir",
        "bandang",
        "pemkotlembayung",
        "pemkot",
        "lembayung",
        "viral",
    ]


def test_tag_words_split_acronyms_and_numbers() -> None:
    assert tag_words("#KTPSelamanya #Pemilu2029") == [
        "ktpselamanya",
        "ktp",
        "selamanya",
        "pemilu2029",
        "pemilu",
        "2029",
    ]


def test_tag_words_ignore_email_addresses_and_bare_signs() -> None:
    assert tag_words("tulis ke redaksi@contoh.id atau # dan @ saja") == []


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("j0k0wi", "jokowi"),
        ("j0k0w1", "jokow1"),  # a digit at the edge may be a number: left alone
        ("b3r1ta", "berita"),
        ("tingg4l", "tinggal"),
        ("h0ax", "hoax"),
        ("60jt", "60jt"),  # a number with a unit, not leetspeak
        ("covid19", "covid19"),
        ("3kg", "3kg"),
        ("2029", "2029"),
        ("kata2", "kata2"),  # Indonesian reduplication shorthand stays
        ("rp50rb", "rp50rb"),  # Rp 50 ribu: two digits are a number
    ],
)
def test_unleet_folds_only_digits_between_letters(word: str, expected: str) -> None:
    assert unleet(word) == expected


def test_content_hash_still_ignores_tags() -> None:
    """Stored hashes depend on fold(): the query-side helpers must not have changed it."""
    assert content_hash("Harga beras #viral turun @menteri") == content_hash("harga beras turun")
    assert normalize_for_match("#Gaza hari ini") == "hari ini"


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("150juta", ["150", "juta"]),
        ("covid19", ["covid", "19"]),
        ("rp50rb", ["rp", "50", "rb"]),
        ("j0k0wi", []),  # leetspeak: unleet's
        ("beras", []),
        ("2029", []),
        ("kata_kata", []),
    ],
)
def test_number_parts_split_letters_from_digits(word: str, parts: list[str]) -> None:
    assert number_parts(word) == parts


def test_camel_parts_split_run_together_words_only() -> None:
    assert camel_parts("Promo BankLembayung untuk pengguna iPhone di JAKARTA Selatan") == [
        "bank",
        "lembayung",
        "i",
        "phone",
    ]


def test_camel_parts_leave_links_and_other_scripts_alone() -> None:
    assert camel_parts("lihat https://t.co/50pwDvDKId atau www.contoh.id/AbcDef") == []
    assert camel_parts("ÉcoleNormale dan abcDéf") == []  # the split knows A-Z only
