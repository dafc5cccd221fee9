"""Article extraction on the saved page corpus (issue 6): main text and metadata.

    .venv/bin/python benchmarks/eval_extraction.py [--pages tests/fixtures/pages] [--verbose]
        [--no-line-filter]

Runs ``bot.web.extract.extract_article`` over every ``NAME.html`` in the corpus and compares the
result with ``NAME.expected.json`` (see tests/fixtures/pages/README.md). Scores per page and
overall:

* **recall**: the share of body sentences found in the extracted text. Body paragraphs are
  split into sentences; a sentence is found if it occurs in the extracted text after
  normalization (Unicode NFKC, quotes and dashes folded, whitespace collapsed, case folded).
* **boilerplate**: the share of extracted sentences that are not part of the body (nor of the
  page's ``optional`` strings such as a standfirst or live-blog timestamps). Any listed
  ``boilerplate`` string found in the text is reported as a leak and fails the page.
* **metadata**: title, outlet, author and published_at (the same instant, with an offset
  when the expected value has one) against the expected values.
* pages marked ``"unreadable": true`` pass when ``UnreadablePageError`` is raised.

Floors: recall >= 0.95 overall and >= 0.90 on every page; boilerplate <= 0.05 overall;
no leaked boilerplate string. Exit status 1 when a floor fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.errors import UnreadablePageError
from bot.web.extract import ExtractedArticle, extract_article

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = ROOT / "tests" / "fixtures" / "pages"

RECALL_FLOOR = 0.95
PAGE_RECALL_FLOOR = 0.90
BOILERPLATE_CEILING = 0.05
METADATA_FIELDS = ("title", "outlet", "author", "published_at")

_FOLD = str.maketrans(
    {
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
        "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
    }
)
# Sentence ends: . ! ? (optionally followed by closing quotes) then a space and an upper-case
# letter, a digit or an opening quote. Decimal commas/points and "Rp 1,5" never split.
_SPLIT_RE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATIONS = ("Dr.", "dr.", "Mr.", "Mrs.", "Ms.", "St.", "No.", "Jl.", "H.", "Prof.")


def normalize(text: str) -> str:
    """NFKC, folded quotes and dashes, collapsed whitespace, case folded."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return re.sub(r"\s+", " ", text).strip().casefold()


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph (or of each line of an extracted text)."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        pieces = _SPLIT_RE.split(line)
        merged: list[str] = []
        for piece in pieces:
            if merged and merged[-1].endswith(_ABBREVIATIONS):
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        out.extend(p.strip() for p in merged if p.strip())
    return out


@dataclass
class PageScore:
    name: str
    unreadable_expected: bool
    seconds: float
    error: str | None = None
    body_sentences: int = 0
    found: int = 0
    extracted_sentences: int = 0
    foreign: int = 0
    missing: list[str] = field(default_factory=list)
    foreign_examples: list[str] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)
    metadata: dict[str, bool] = field(default_factory=dict)
    metadata_got: dict[str, Any] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.found / self.body_sentences if self.body_sentences else 1.0

    @property
    def boilerplate(self) -> float:
        return self.foreign / self.extracted_sentences if self.extracted_sentences else 0.0

    @property
    def passed(self) -> bool:
        if self.unreadable_expected:
            return self.error == "unreadable"
        return (
            self.error is None and self.recall >= PAGE_RECALL_FLOOR and not self.leaked
        )


def _same_datetime(expected: str | None, got: datetime | None) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    want = datetime.fromisoformat(expected)
    if (want.utcoffset() is None) != (got.utcoffset() is None):
        return False
    return want == got


def score_page(html_path: Path, expected: dict[str, Any]) -> PageScore:
    """Extract one page and compare it with its expected file."""
    data = html_path.read_bytes()
    unreadable = bool(expected.get("unreadable"))
    start = time.perf_counter()
    try:
        art: ExtractedArticle | None = extract_article(data, url=expected.get("url"))
        error = None
    except UnreadablePageError:
        art, error = None, "unreadable"
    except Exception as exc:  # a crash is a failed page, not a failed run
        art, error = None, f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - start
    score = PageScore(html_path.stem, unreadable, seconds, error)
    if unreadable:
        if art is not None:
            score.error = "extracted text from a page that should be unreadable"
        return score
    body = [s for p in expected["body"] for s in split_sentences(p)]
    score.body_sentences = len(body)
    if art is None:
        score.missing = body
        return score

    text_norm = normalize(art.text)
    for sentence in body:
        if normalize(sentence) in text_norm:
            score.found += 1
        else:
            score.missing.append(sentence)

    allowed = [normalize(p) for p in (*expected["body"], *expected.get("optional", []))]
    for sentence in split_sentences(art.text):
        score.extracted_sentences += 1
        # trafilatura writes list items as "- item"; the bullet is not page text
        sentence = re.sub(r"^[-•*]\s+", "", sentence)
        if not any(normalize(sentence) in a for a in allowed):
            score.foreign += 1
            score.foreign_examples.append(sentence)
    score.leaked = [b for b in expected.get("boilerplate", []) if normalize(b) in text_norm]

    got = {
        "title": art.title,
        "outlet": art.outlet,
        "author": art.author,
        "published_at": art.published_at,
    }
    score.metadata_got = got
    for name in METADATA_FIELDS:
        if name == "published_at":
            score.metadata[name] = _same_datetime(expected.get(name), art.published_at)
        else:
            score.metadata[name] = (got[name] or None) == (expected.get(name) or None)
    return score


def load_corpus(pages: Path) -> list[tuple[Path, dict[str, Any]]]:
    """(html path, expected dict) for each page that has both files, in name order."""
    out = []
    for html_path in sorted(pages.glob("*.html")):
        exp = html_path.with_name(html_path.stem + ".expected.json")
        if exp.exists():
            out.append((html_path, json.loads(exp.read_text(encoding="utf-8"))))
    return out


@dataclass
class Summary:
    pages: list[PageScore]

    @property
    def readable(self) -> list[PageScore]:
        return [p for p in self.pages if not p.unreadable_expected]

    @property
    def recall(self) -> float:
        total = sum(p.body_sentences for p in self.readable)
        return sum(p.found for p in self.readable) / total if total else 1.0

    @property
    def boilerplate(self) -> float:
        total = sum(p.extracted_sentences for p in self.readable)
        return sum(p.foreign for p in self.readable) / total if total else 0.0

    def metadata_accuracy(self, name: str) -> float:
        vals = [p.metadata.get(name, False) for p in self.readable]
        return sum(vals) / len(vals) if vals else 1.0

    @property
    def leaks(self) -> int:
        return sum(len(p.leaked) for p in self.readable)

    @property
    def passed(self) -> bool:
        return (
            self.recall >= RECALL_FLOOR
            and self.boilerplate <= BOILERPLATE_CEILING
            and all(p.passed for p in self.pages)
        )


def evaluate(pages: Path = DEFAULT_PAGES) -> Summary:
    return Summary([score_page(h, e) for h, e in load_corpus(pages)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    ap.add_argument("--verbose", "-v", action="store_true", help="show missed and extra text")
    ap.add_argument(
        "--no-line-filter",
        action="store_true",
        help="ablation: keep every line trafilatura returns (no BOILERPLATE_LINE_PATTERNS)",
    )
    args = ap.parse_args(argv)
    if args.no_line_filter:
        import bot.web.extract

        bot.web.extract.is_boilerplate_line = lambda line: False

    # The first call pays for importing trafilatura; keep it out of the page times.
    with contextlib.suppress(UnreadablePageError):
        extract_article(b"<html><body><article><p>Warm up. Warm up. Warm up.</p></article>")

    summary = evaluate(args.pages)
    print(f"{'page':42} {'recall':>7} {'boiler':>7} {'meta':>5} {'ms':>7}  result")
    for p in summary.pages:
        if p.unreadable_expected:
            meta, rec, boil = "-", "-", "-"
        else:
            meta = f"{sum(p.metadata.values())}/{len(METADATA_FIELDS)}"
            rec, boil = f"{p.recall:.3f}", f"{p.boilerplate:.3f}"
        verdict = "PASS" if p.passed else "FAIL"
        note = " (unreadable as expected)" if p.unreadable_expected and p.passed else ""
        if p.error and not (p.unreadable_expected and p.error == "unreadable"):
            note = f" ({p.error})"
        if p.leaked:
            note += f" leaked: {p.leaked}"
        print(f"{p.name:42} {rec:>7} {boil:>7} {meta:>5} {p.seconds * 1000:7.1f}  {verdict}{note}")
        if args.verbose and not p.unreadable_expected:
            for s in p.missing:
                print(f"    missing: {s}")
            for s in p.foreign_examples:
                print(f"    extra:   {s}")
            for name, ok in p.metadata.items():
                if not ok:
                    print(f"    {name}: got {p.metadata_got.get(name)!r}")
    readable = summary.readable
    times = sorted(p.seconds for p in summary.pages)
    print()
    print(f"pages: {len(summary.pages)} ({len(readable)} readable, "
          f"{len(summary.pages) - len(readable)} expected unreadable)")
    print(f"body-sentence recall (overall): {summary.recall:.4f}   floor >= {RECALL_FLOOR}")
    worst = min(readable, key=lambda p: p.recall) if readable else None
    if worst:
        print(f"worst page recall: {worst.recall:.4f} ({worst.name})   floor >= "
              f"{PAGE_RECALL_FLOOR}")
    print(f"boilerplate share (overall): {summary.boilerplate:.4f}   ceiling <= "
          f"{BOILERPLATE_CEILING}")
    worst_b = max(readable, key=lambda p: p.boilerplate) if readable else None
    if worst_b:
        print(f"worst page boilerplate: {worst_b.boilerplate:.4f} ({worst_b.name})")
    print(f"listed boilerplate strings leaked: {summary.leaks}")
    for name in METADATA_FIELDS:
        print(f"metadata {name:13} accuracy: {summary.metadata_accuracy(name):.3f}")
    print(f"time per page: median {times[len(times) // 2] * 1000:.1f} ms, "
          f"max {times[-1] * 1000:.1f} ms")
    print(f"RESULT: {'PASS' if summary.passed else 'FAIL'}")
    return 0 if summary.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
