"""A third language is data: a new LanguagePack, no new code path (toy Spanish pack)."""

from __future__ import annotations

import pytest

import bot.analysis
from bot.analysis import analyze
from bot.analysis.lang import PACKS, CompiledPack, Cue, LanguagePack, Shape

TOY_ES = LanguagePack(
    code="es",
    name="Español (toy)",
    stopwords=frozenset(
        {"el", "la", "de", "que", "y", "en", "los", "las", "un", "una", "por", "con", "para"}
    ),
    cues=(
        Cue("dijo", Shape.VERB),
        Cue("afirmó", Shape.VERB),
        Cue("negó", Shape.VERB, "denies"),
        Cue("según", Shape.ACCORDING),
    ),
    complementizers=frozenset({"que"}),
    addressee_markers=frozenset({"a"}),
    addressee_verbs=frozenset(),
    abbreviations=frozenset({"sr.", "sra.", "dr."}),
    titles=frozenset({"alcaldesa", "alcalde", "ministro", "ministra"}),
    role_words=frozenset({"portavoz", "director", "directora"}),
    person_pronouns=frozenset({"él", "ella"}),
    plural_pronouns=frozenset({"ellos", "ellas"}),
    clitic_pronoun=None,
    outlet_anaphors=("el periódico", "el diario"),
    source_anaphors=("la fuente",),
    outlet_words=frozenset({"diario", "periódico", "gaceta"}),
    org_words=frozenset({"ministerio", "ayuntamiento"}),
    group_words=frozenset({"vecinos", "expertos"}),
    anonymous_words=frozenset({"fuente", "fuentes"}),
    determiners=frozenset({"el", "la", "los", "las", "un", "una"}),
    fillers=frozenset({"también", "ya"}),
    clause_breakers=frozenset({"y", "pero", "porque", "que"}),
    tail_words=frozenset({"el", "en", "a"}),
    participle_markers=frozenset(),
    participle_suffix=None,
    adverbial_openers=frozenset({"en", "ayer"}),
)


@pytest.fixture
def with_toy_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(PACKS, "es", CompiledPack(TOY_ES))
    assert bot.analysis.PACKS is PACKS


@pytest.mark.usefixtures("with_toy_pack")
def test_toy_pack_works_without_new_code() -> None:
    text = (
        "La alcaldesa Marta Gil dijo que el puente abrirá en mayo. "
        "Según la Gaceta Norte, la obra costó 3 millones. "
        "El ministerio negó las acusaciones."
    )
    a = analyze(text, language="es")
    assert a.language == "es"
    by_text = {c.text: c for c in a.claims}
    bridge = next(c for t, c in by_text.items() if "puente abrirá" in t)
    assert bridge.speaker is not None
    assert bridge.speaker.name == "Marta Gil"
    cost = next(c for t, c in by_text.items() if "obra costó" in t)
    assert cost.speaker is not None
    assert cost.speaker.kind == "outlet"
    denial = next(c for t, c in by_text.items() if "negó" in t)
    assert denial.stance == "denies"
