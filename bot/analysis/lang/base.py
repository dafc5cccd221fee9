"""The language-pack contract: everything language-specific is data in one ``LanguagePack``.

A new language is a new module that builds a pack from word lists; the analyzer code paths
stay the same. Regexes are compiled once per pack (``CompiledPack``), never per article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from bot.core.models import Stance


def words(spec: str) -> frozenset[str]:
    """A word list written as one '|'-separated string: packs stay readable as data."""
    return frozenset(w.strip() for w in spec.split("|") if w.strip())


class Shape(Enum):
    """Where the content sits relative to a cue: the constructions a cue may head."""

    VERB = "verb"  # X said (that) C / C, X said / C, said X
    FORWARD = "forward"  # X wants/believes C: content only after the cue
    FINAL = "final"  # C, kata X: only clause-final, source after the cue
    ACCORDING = "according"  # menurut X, C / C, according to X
    CITING = "citing"  # ..., citing X: re-attributes to X, the outer speaker becomes via
    NOCONTENT = "nocontent"  # X declined to comment: the clause itself is the claim
    HEDGE = "hedge"  # "is expected to", "said to be", "dikabarkan": no attribution at all


@dataclass(frozen=True, slots=True)
class Cue:
    """One attribution phrase (already inflected) and what it means."""

    phrase: str
    shape: Shape
    stance: Stance = "asserts"
    needs_that: bool = False  # weak cue: only counts before a complementizer


@dataclass(frozen=True)
class LanguagePack:
    """All the language-specific knowledge the analyzer uses; data only, no logic."""

    code: str
    name: str
    stopwords: frozenset[str]  # frequent function words, for language detection
    cues: tuple[Cue, ...]
    complementizers: frozenset[str]  # bahwa / that
    addressee_markers: frozenset[str]  # kepada / to: "said to X"
    addressee_verbs: frozenset[str]  # verbs whose object is the addressee: told
    abbreviations: frozenset[str]  # tokens ending in '.' that do not end a sentence
    titles: frozenset[str]  # honorifics/ranks stripped from names, lower-case
    role_words: frozenset[str]  # lower-case words that start a role appositive
    person_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    clitic_pronoun: str | None  # Indonesian -nya: "katanya" = "kata dia"
    outlet_anaphors: tuple[str, ...]  # "surat kabar", "the newspaper": refer to an outlet
    source_anaphors: tuple[str, ...]  # "sumber tersebut", "the source": refer to a source
    outlet_words: frozenset[str]  # words that make a name an outlet (Journal, Post)
    org_words: frozenset[str]  # words that make a name an organization
    group_words: frozenset[str]  # plural / collective heads: analis, officials
    anonymous_words: frozenset[str]  # sumber, source, people familiar
    determiners: frozenset[str]  # stripped at the start of a source phrase
    fillers: frozenset[str]  # adverbs/auxiliaries between a source and its cue
    clause_breakers: frozenset[str]  # words a source phrase never spans across
    tail_words: frozenset[str]  # words allowed after a clause-final cue (on, Tuesday, ...)
    participle_markers: frozenset[str]  # "dengan mengatakan": source is the clause subject
    participle_suffix: str | None  # ", saying ...": same, marked by inflection
    adverbial_openers: frozenset[str]  # words opening a fronted adverbial before the subject
    relatives: frozenset[str] = frozenset()  # who/which/yang: "X who said" -> X
    prepositions: frozenset[str] = frozenset()  # a source phrase does not reach past these
    glue_words: frozenset[str] = frozenset()  # "familiar with": a preposition inside a phrase
    nonfinal_words: frozenset[str] = frozenset()  # a source phrase never ends with these
    headline_labels: frozenset[str] = frozenset()  # "Update:", "Foto:": not a speaker
    report_nouns: frozenset[str] = frozenset()  # "the Courier's report" / "laporan X" -> outlet
    partitives: tuple[str, ...] = ()  # "one of the executives": an unnamed member of a group
    definite_markers: frozenset[str] = frozenset()  # "the executive" / "pejabat itu"
    head_initial: bool = False  # noun phrases put the head first (Indonesian) or last (English)
    org_anaphor_heads: frozenset[str] = frozenset()  # "the agency" -> latest organization
    company_heads: frozenset[str] = frozenset()  # "the company" -> latest non-public body
    public_bodies: frozenset[str] = frozenset()  # office, ministry, dinas: never "the company"
    company_affixes: frozenset[str] = frozenset()  # Ltd, Inc, PT, Tbk: a company's own name
    company_words: frozenset[str] = frozenset()  # Airlines, Networks, Logistics: a company
    verb_pattern: str | None = None  # verb morphology (id: me-/ber-/di-): no source word
    not_sources: frozenset[str] = frozenset()  # "menurut rencana", "according to plan"
    known_outlets: frozenset[str] = field(default_factory=frozenset)
    # time phrases between a subject and its cue ("X on Thursday denied", "X pada Sabtu
    # malam membantah"): heads (weekdays, months, "week", "malam"), words that only modify
    # them ("last", "this", "lalu"), and prepositions that may open them ("on", "pada")
    time_words: frozenset[str] = frozenset()
    time_names: frozenset[str] = frozenset()  # weekdays, months: capitalized, still time
    time_modifiers: frozenset[str] = frozenset()
    time_preps: frozenset[str] = frozenset()
    time_adverbs: frozenset[str] = frozenset()  # "yesterday", "kemarin": a time phrase alone
    # common nouns for people by their shape ("developer", "journalists", "pedagang"): a
    # relative clause after one of these may report speech ("donors who said")
    person_noun_pattern: str | None = None
    # "was told", "were asked": the subject of a passive speech verb is no speaker
    passive_auxiliaries: frozenset[str] = frozenset()
    # auxiliaries and modals that make a stretch a clause ("akan", "harus"), besides verb_pattern
    clause_markers: frozenset[str] = frozenset()
    # the plainest reporting cues ("said", "kata", "according to"): a confidence signal
    core_cues: frozenset[str] = frozenset()
    # "X saat dihubungi mengatakan": a subordinator opening a short passive aside
    aside_openers: frozenset[str] = frozenset()
    adverb_suffix: str | None = None  # "X flatly denied": manner adverbs by their ending
    # words naming a domain in a role ("Finance Minister", "Menteri Keuangan"): never a name
    portfolio_words: frozenset[str] = frozenset()
    # "denied the allegations" / "membantah tuduhan itu": the object is only a claim noun,
    # so the clause (from the cue) is the claim, not the object
    claim_nouns: frozenset[str] = frozenset()
    # "emails seen by X" / "dokumen yang diperoleh X": X only saw the source
    agent_markers: frozenset[str] = frozenset()
    participle_pattern: str | None = None
    author_participles: frozenset[str] = frozenset()  # "released by X": X is the author
    honorifics: frozenset[str] = frozenset()  # "Mr.", "Pak": a title, never a role
    place_preps: frozenset[str] = frozenset()  # "X di Surabaya mengatakan": a place aside
    coordinators: frozenset[str] = frozenset()  # "But ...": a connective, never content
    # "X, speaking on condition of anonymity, said" / "X, yang enggan disebut namanya,": an
    # aside with one of these words makes the speaker anonymous
    anonymity_markers: frozenset[str] = frozenset()
    # "a Reuters poll of 30 economists": a study's head noun makes the phrase a body, even
    # when an outlet's name sits inside it
    study_nouns: frozenset[str] = frozenset()
    plural_suffix: str | None = None  # "nurses": a role word's plural by its ending
    # "court filings", "dokumen internal": papers speak, but "the company" never means them
    document_nouns: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CompiledPack:
    """A pack plus its regexes, built once and cached per language."""

    pack: LanguagePack

    @cached_property
    def cue_by_phrase(self) -> dict[str, Cue]:
        """Lower-cased, whitespace-normalized phrase -> cue."""
        return {" ".join(c.phrase.lower().split()): c for c in self.pack.cues}

    @cached_property
    def not_verbs(self) -> frozenset[str]:
        """Known words that may look like verbs but can sit in a source phrase."""
        pk = self.pack
        return (
            pk.role_words
            | pk.titles
            | pk.org_words
            | pk.group_words
            | pk.anonymous_words
            | pk.definite_markers
            | pk.fillers
            | pk.stopwords
            | pk.adverbial_openers
            | pk.determiners
        )

    @cached_property
    def speaker_lex(self) -> frozenset[str]:
        """Every lower-case word a speaker phrase may be built from."""
        pk = self.pack
        return (
            pk.role_words
            | pk.titles
            | pk.org_words
            | pk.outlet_words
            | pk.group_words
            | pk.anonymous_words
            | pk.determiners
            | pk.glue_words
            | pk.portfolio_words
            | pk.person_pronouns
            | pk.plural_pronouns
            | pk.definite_markers
            | pk.honorifics
        )

    @cached_property
    def outlet_nouns(self) -> frozenset[str]:
        """One-word outlet nouns ('koran', 'harian') that may prefix an outlet's name."""
        return frozenset(a.lower() for a in self.pack.outlet_anaphors if " " not in a)

    @cached_property
    def expand_skip(self) -> frozenset[str]:
        """Words never part of a person's name (for short-name expansion)."""
        pk = self.pack
        return (
            pk.stopwords
            | pk.titles
            | pk.org_words
            | pk.tail_words
            | pk.adverbial_openers
            | self.cue_first_words
        )

    @cached_property
    def scan_skip(self) -> frozenset[str]:
        """Sentence-initial words dropped from capitalized runs ('Menurut', 'The')."""
        pk = self.pack
        return pk.stopwords | pk.adverbial_openers | self.cue_first_words

    @cached_property
    def participle_re(self) -> re.Pattern[str] | None:
        """Passive participles ('seen', 'obtained', 'diperoleh') before an agent."""
        pat = self.pack.participle_pattern
        return re.compile(pat) if pat else None

    @cached_property
    def complementizer_re(self) -> re.Pattern[str]:
        words_ = "|".join(sorted(re.escape(w) for w in self.pack.complementizers)) or "(?!)"
        return re.compile(rf"(?<![\w-])(?:{words_})(?![\w-])", re.IGNORECASE)

    @cached_property
    def person_noun_re(self) -> re.Pattern[str] | None:
        pat = self.pack.person_noun_pattern
        return re.compile(pat) if pat else None

    @cached_property
    def role_lex(self) -> frozenset[str]:
        """Words that may stand in a pre-nominal role phrase, never in the name after it."""
        pk = self.pack
        return pk.titles | pk.role_words | pk.portfolio_words

    @cached_property
    def verb_re(self) -> re.Pattern[str] | None:
        """Words whose form marks them as verbs (so they cannot end a source phrase)."""
        return re.compile(self.pack.verb_pattern) if self.pack.verb_pattern else None

    @cached_property
    def anaphor_re(self) -> re.Pattern[str]:
        """Outlet and source anaphors at the start of a source phrase."""
        phrases = sorted(
            (*self.pack.outlet_anaphors, *self.pack.source_anaphors), key=len, reverse=True
        )
        return re.compile(
            rf"^(?:{'|'.join(_phrase_pattern(p) for p in phrases)})(?![\w-])", re.IGNORECASE
        )

    @cached_property
    def cue_groups(self) -> dict[str, tuple[str, ...]]:
        """First word -> the cue phrases that start with it, longest first."""
        groups: dict[str, list[str]] = {}
        for c in self.pack.cues:
            groups.setdefault(c.phrase.lower().split()[0], []).append(c.phrase)
        return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in groups.items()}

    @cached_property
    def first_word_re(self) -> re.Pattern[str]:
        """The first words of all cues as one prefix-trie regex (fast in a backtracking
        engine, unlike a flat alternation of hundreds of words)."""
        return re.compile(
            rf"(?<![\w-])(?:{_trie_pattern(list(self.cue_groups))})(?![\w-])",
            re.IGNORECASE,
        )

    @cached_property
    def cue_first_words(self) -> frozenset[str]:
        return frozenset(self.cue_groups)

    @cached_property
    def _matchers(self) -> dict[str, re.Pattern[str] | None]:
        return {}

    def matcher(self, first: str) -> re.Pattern[str] | None:
        """The anchored matcher of the cues starting with ``first``, compiled on first use
        (a process sees few of them; compiling all cost more than analyzing an article);
        None when the only cue is the word itself."""
        got = self._matchers.get(first, False)
        if got is not False:
            return got  # type: ignore[return-value]
        phrases = self.cue_groups[first]
        pat: re.Pattern[str] | None = None
        if phrases != (first,) and [ph.lower() for ph in phrases] != [first]:
            alt = "|".join(_phrase_pattern(ph) for ph in phrases)
            pat = re.compile(rf"(?:{alt})(?![\w-])", re.IGNORECASE)
        self._matchers[first] = pat
        return pat

    def cue_of(self, matched: str) -> Cue | None:
        """The cue entry for a matched phrase (case and spacing insensitive)."""
        return self.cue_by_phrase.get(" ".join(matched.lower().split()))


def _trie_pattern(words: list[str]) -> str:
    """A regex alternation of ``words`` factored by common prefixes."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        end = "" in node
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


def _phrase_pattern(phrase: str) -> str:
    return r"\s+".join(re.escape(w) for w in phrase.split())
