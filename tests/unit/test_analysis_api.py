"""Public API contract of bot.analysis: errors, language choice, offsets, robustness."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from bot.analysis import SUPPORTED_LANGUAGES, analyze, detect_language, text_fits_span
from bot.core.errors import EmptyTextError, UnsupportedLanguageError
from bot.core.models import Analysis

EN = "The mayor said the bridge would reopen in May. Critics disagreed."
ID = "Wali kota mengatakan jembatan itu akan dibuka kembali pada bulan Mei."


def test_supported_languages() -> None:
    assert set(SUPPORTED_LANGUAGES) == {"id", "en"}


@pytest.mark.parametrize(("text", "lang"), [(EN, "en"), (ID, "id")])
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang
    assert analyze(text).language == lang


def test_detect_language_is_total() -> None:
    for text in ("", "🙂🙂", "12345", "???"):
        assert detect_language(text) in SUPPORTED_LANGUAGES


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n"])
def test_empty_text(text: str) -> None:
    with pytest.raises(EmptyTextError):
        analyze(text)


def test_unsupported_language_lists_supported_codes() -> None:
    with pytest.raises(UnsupportedLanguageError) as err:
        analyze(EN, language="fr")
    assert "id" in str(err.value)
    assert "en" in str(err.value)


def test_explicit_language_overrides_detection() -> None:
    assert analyze(EN, language="id").language == "id"
    assert analyze(EN, language="EN").language == "en"


def _check_offsets(text: str, a: Analysis) -> None:
    for c in a.claims:
        assert text_fits_span(text, c)
        assert 0.0 <= c.score <= 1.0
        if c.speaker is not None and c.speaker.mention_start is not None:
            assert c.speaker.mention_end is not None
            assert 0 <= c.speaker.mention_start < c.speaker.mention_end <= len(text)


def test_title_from_headline_and_offsets_into_full_text() -> None:
    text = "Harbour tolls to rise: Coast Gazette\n\nThe port authority said tolls would rise."
    a = analyze(text)
    assert a.title == "Harbour tolls to rise: Coast Gazette"
    _check_offsets(text, a)
    head = [c for c in a.claims if c.start < len(a.title)]
    assert head
    assert head[0].speaker is not None
    assert head[0].speaker.name == "Coast Gazette"


def test_no_title_when_first_line_is_a_sentence() -> None:
    assert analyze("The council met on Monday.\n\nIt said little.").title is None
    assert analyze("x", title="Given").title == "Given"


_WEIRD = [
    "\x00\x01\x02 said \x7f",
    "🙂🙂🙂 " * 50,
    "<p>The <b>minister</b> said &amp; denied</p><script>x()</script>",
    "said said said said",
    "“ ” \" \" « » ‘ ’ '' ''",
    "kata kata kata, ujarnya, katanya",
    "a" * 5000,
    "no punctuation at all just words the mayor said things are fine and more words",
    "“unclosed quote, he said\n\n“another one",
    "\r\n\r\nThe CEO said: \r\n“Profits rose.”\r\n",
    "Menurut , kata , ujar :",
    ": : : WSJ",
]


@pytest.mark.parametrize("text", _WEIRD)
def test_weird_input_never_raises(text: str) -> None:
    _check_offsets(text, analyze(text))


def test_fuzz_random_text_never_raises() -> None:
    rng = random.Random(7)
    alphabet = list("abcdefg XYZ,.;:!?\"“”«»‘’'()-–—\n\t0123") + ["said ", "kata ", "menurut "]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 300)))
        if not text.strip():
            continue
        _check_offsets(text, analyze(text))


def test_one_megabyte_of_text() -> None:
    para = "The minister said the budget would grow by 3 percent. “It is fair,” she added.\n\n"
    text = para * (1_000_000 // len(para))
    a = analyze(text)
    assert len(a.claims) > 1000
    _check_offsets(text, a)


def test_deterministic() -> None:
    text = "Officials said the dam was safe. “We checked it twice,” the engineer said."
    assert analyze(text).model_dump() == analyze(text).model_dump()


def test_never_imports_telegram() -> None:
    code = "import sys, bot.analysis; sys.exit('telegram' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
