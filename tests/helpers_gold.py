"""Score an ``Analysis`` against a hand-written ``*.gold.json`` (the seed article's format).

Gold format (see ``tests/fixtures/seed-id-wsj-buyback.gold.json``): ``claims[]`` entries with
``text_contains`` (a fragment that must appear in the claim's text), ``speaker`` (null for the
outlet's own unattributed statements), ``aliases``, ``speaker_kind``, optional
``speaker_role``, ``cue``, ``via`` (outermost last), optional ``told_to``, ``direct``,
``stance`` and ``key``. One optional key is added for the hand-annotated fixtures:
``mention``, the words the speaker mention span must cover (a pronoun such as "She" when the
claim's speaker is only referred to by a pronoun in that sentence).

An attributed entry is *fully right* when some claim whose text contains the fragment has:

* a speaker whose name equals the gold speaker or one of its aliases (case-insensitive,
  quotes and whitespace folded);
* ``via`` of the same length, each hop naming the same entity (a hop may be written as any
  alias of a speaker listed in the same gold file);
* the gold ``direct`` flag and ``stance``;
* where given: a role containing the gold ``speaker_role`` (or contained in it and at least
  half as long), ``told_to`` naming the same entity, and the speaker mention covering
  ``mention``.

A null-speaker entry is right when no claim containing its fragment has a speaker (the claim
may also be absent). ``speaker_kind`` and ``cue`` are not scored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.models import Analysis, Claim

_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")


def claim_containing(analysis: Analysis, fragment: str) -> Claim:
    """The shortest claim whose text contains ``fragment`` (asserting that one exists)."""
    hits = [c for c in analysis.claims if fragment in c.text]
    assert hits, f"no claim contains {fragment!r}: {[c.text for c in analysis.claims]}"
    return min(hits, key=lambda c: len(c.text))


def norm(text: str | None) -> str:
    """Case-, quote- and whitespace-folded text for comparisons."""
    return _SPACE.sub(" ", (text or "").translate(_QUOTES)).strip().casefold()


@dataclass
class EntryResult:
    article: str
    index: int
    fragment: str
    attributed: bool
    found: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ArticleReport:
    name: str
    entries: list[EntryResult]
    language_expected: str | None = None
    language_got: str | None = None

    @property
    def right(self) -> int:
        return sum(e.ok for e in self.entries)


def _entities(gold: dict[str, Any]) -> list[set[str]]:
    """Alias sets of every named speaker in the gold file (used for via and told_to)."""
    groups: dict[str, set[str]] = {}
    for entry in gold.get("claims", []):
        if entry.get("speaker"):
            key = norm(entry["speaker"])
            groups.setdefault(key, {key}).update(norm(a) for a in entry.get("aliases", []))
    return list(groups.values())


def _bare(name: str) -> str:
    """Normalized name without a leading article ("the Sample Ledger" = "Sample Ledger")."""
    return re.sub(r"^the ", "", norm(name))


def _same_entity(predicted: str | None, gold_name: str, entities: Sequence[set[str]]) -> bool:
    p, g = _bare(predicted or ""), _bare(gold_name)
    if not p:
        return False
    if p == g:
        return True
    return any(
        g in bare and p in bare for bare in ({_bare(n) for n in names} for names in entities)
    )


def _role_ok(predicted: str | None, gold_role: str) -> bool:
    p, g = norm(predicted), norm(gold_role)
    if not p:
        return False
    return g in p or (p in g and 2 * len(p) >= len(g))


def entry_problems(
    text: str, claim: Claim, entry: dict[str, Any], entities: Sequence[set[str]]
) -> list[str]:
    """What is wrong with ``claim`` as the answer to an attributed gold ``entry``."""
    problems: list[str] = []
    sp = claim.speaker
    names = {norm(entry["speaker"]), *(norm(a) for a in entry.get("aliases", []))}
    if sp is None:
        return ["no speaker"]
    if norm(sp.name) not in names:
        problems.append(f"speaker {sp.name!r}")
    gold_via = entry.get("via", [])
    if len(claim.via) != len(gold_via) or not all(
        _same_entity(p, g, entities) for p, g in zip(claim.via, gold_via, strict=False)
    ):
        problems.append(f"via {claim.via!r} != {gold_via!r}")
    if "direct" in entry and bool(claim.direct) != bool(entry["direct"]):
        problems.append(f"direct {claim.direct}")
    if "stance" in entry and claim.stance != entry["stance"]:
        problems.append(f"stance {claim.stance}")
    if entry.get("speaker_role") and not _role_ok(sp.role, entry["speaker_role"]):
        problems.append(f"role {sp.role!r}")
    if entry.get("told_to") and not _same_entity(claim.told_to, entry["told_to"], entities):
        problems.append(f"told_to {claim.told_to!r}")
    if entry.get("mention"):
        if sp.mention_start is None or sp.mention_end is None:
            problems.append("no mention span")
        else:
            got = text[sp.mention_start : sp.mention_end]
            if norm(entry["mention"]) not in norm(got):
                problems.append(f"mention {got!r}")
    return problems


def score_article(name: str, text: str, analysis: Analysis, gold: dict[str, Any]) -> ArticleReport:
    """One result per gold entry; the best-fitting claim is used when several contain it."""
    entities = _entities(gold)
    results: list[EntryResult] = []
    for i, entry in enumerate(gold.get("claims", [])):
        fragment = entry["text_contains"]
        candidates = [c for c in analysis.claims if norm(fragment) in norm(c.text)]
        attributed = bool(entry.get("speaker"))
        r = EntryResult(name, i, fragment, attributed, found=bool(candidates))
        if not attributed:
            spoken = [c.speaker.name for c in candidates if c.speaker is not None]
            if spoken:
                r.problems.append(f"null-speaker entry given speaker {spoken[0]!r}")
        elif not candidates:
            r.problems.append("claim not found")
        else:
            r.problems = min(
                (entry_problems(text, c, entry, entities) for c in candidates), key=len
            )
        results.append(r)
    return ArticleReport(
        name, results, language_expected=gold.get("language"), language_got=analysis.language
    )


def load_fixture(txt_path: Path) -> tuple[str, dict[str, Any]]:
    """The article text and its gold (``NAME.txt`` next to ``NAME.gold.json``)."""
    gold_path = txt_path.with_name(txt_path.name.removesuffix(".txt") + ".gold.json")
    text = txt_path.read_text(encoding="utf-8")
    return text, json.loads(gold_path.read_text(encoding="utf-8"))


def check_fixture(txt_path: Path, analyze: Callable[..., Analysis]) -> ArticleReport:
    text, gold = load_fixture(txt_path)
    name = txt_path.name.removesuffix(".txt")
    return score_article(name, text, analyze(text), gold)


def fixture_paths(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.txt"))


def key_claims_hit(analysis: Analysis, gold: dict[str, Any], top_n: int) -> tuple[int, int]:
    """(key gold entries found among the ``top_n`` highest-scored claims, key gold entries)."""
    ranked = sorted(analysis.claims, key=lambda c: -c.score)[:top_n]
    keys = [e for e in gold.get("claims", []) if e.get("key")]
    hit = sum(any(norm(e["text_contains"]) in norm(c.text) for c in ranked) for e in keys)
    return hit, len(keys)


@dataclass
class Totals:
    entries: int = 0
    right: int = 0
    null_entries: int = 0
    null_right: int = 0

    @property
    def rate(self) -> float:
        return self.right / self.entries if self.entries else 1.0


def totals(reports: Iterable[ArticleReport]) -> Totals:
    t = Totals()
    for rep in reports:
        for e in rep.entries:
            t.entries += 1
            t.right += e.ok
            if not e.attributed:
                t.null_entries += 1
                t.null_right += e.ok
    return t


def format_table(reports: Sequence[ArticleReport], show_ok: bool = False) -> str:
    """Per-article right/total, then every wrong entry with what was wrong."""
    lines = [f"{'article':<40} {'right':>5} {'of':>4}  lang"]
    for rep in reports:
        lang = f"{rep.language_got}" + (
            f" (expected {rep.language_expected})"
            if rep.language_expected and rep.language_expected != rep.language_got
            else ""
        )
        lines.append(f"{rep.name:<40} {rep.right:>5} {len(rep.entries):>4}  {lang}")
        for e in rep.entries:
            if e.ok and not show_ok:
                continue
            status = "ok" if e.ok else "; ".join(e.problems)
            lines.append(f"    #{e.index:<2} {e.fragment[:48]!r:<52} {status}")
    t = totals(reports)
    lines.append(
        f"TOTAL {t.right}/{t.entries} entries fully right ({t.rate:.1%}); "
        f"null-speaker entries kept speaker-less {t.null_right}/{t.null_entries}"
    )
    return "\n".join(lines)


CARD_CLAIMS = 5


def card(analysis: Analysis) -> list[Claim]:
    """What a card shows: key claims with a speaker, best score first, at most five."""
    keys = [c for c in analysis.claims if c.key and c.speaker is not None]
    return sorted(keys, key=lambda c: (-c.score, c.start))[:CARD_CLAIMS]


def card_right(analysis: Analysis, gold: dict[str, Any]) -> tuple[int, int]:
    """(shown claims that carry a gold statement and name its speaker, shown claims)."""
    shown = card(analysis)
    right = 0
    for c in shown:
        body = norm(c.text)
        for entry in gold.get("claims", []):
            if not entry.get("speaker"):
                continue
            frag = norm(entry["text_contains"])
            names = {norm(entry["speaker"]), *(norm(a) for a in entry.get("aliases", []))}
            if (frag in body or body in frag) and c.speaker and norm(c.speaker.name) in names:
                right += 1
                break
    return right, len(shown)
