"""Speaker entities of one article: names, aliases, pronouns and anaphors resolved.

One entity per real-world speaker: "Wall Street Journal", "WSJ", "surat kabar itu" and "the
newspaper" become one outlet; its ``name`` is the longest name seen, so readers get the
full form whichever mention the claim used.
"""

from __future__ import annotations

import re
from bisect import insort
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.analysis.lang.base import CompiledPack
from bot.analysis.names import is_role_word, name_start
from bot.analysis.tokens import UPPER_RE, WORD_RE
from bot.core.models import SpeakerKind

_DOMAIN_RE = re.compile(r"[\w-]+\.(?:com|id|net|org|co\.id|co\.uk|news)\b", re.IGNORECASE)
_CAP_RUN_RE = re.compile(
    r"(?<![\w-])[A-ZÀ-ÖØ-Þ][\w'’\-]*\.?"
    r"(?:[ \t]+(?:[A-ZÀ-ÖØ-Þ][\w'’\-]*\.?|\([A-Z][\w\-]*\)"
    r"|(?:bin|binti|van|von|de|da|del|al|el|la|le|di)"
    r"(?=[ \t]+[A-ZÀ-ÖØ-Þ])|(?:al|el)-[A-ZÀ-ÖØ-Þ][\w'’\-]*))*"
)
_POSSESSIVE_RE = re.compile(r"['’]s?$")
_KINDS: dict[tuple[str, str], SpeakerKind] = {}  # (pack, phrase) -> kind, see classify
_KINDS_MAX = 50_000
_PLURAL_REACH = 600  # chars: how far back a plural pronoun prefers people over a body


@dataclass(eq=False)
class Entity:
    """A speaker (or possible speaker) in one article."""

    name: str
    kind: SpeakerKind
    role: str | None = None
    aliases: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    via: list[Entity] = field(default_factory=list)
    home: bool = False  # the publishing outlet ("we could not verify"): never an anaphor target
    _toks: list[str] = field(default_factory=list, repr=False)
    _tok_name: str = field(default="", repr=False)

    def tokens(self, determiners: frozenset[str]) -> list[str]:
        """Lower-cased name words without determiners (cached per name)."""
        if self._tok_name != self.name:
            self._toks = [w for w in self.name.lower().split() if w not in determiners]
            self._tok_name = self.name
        return self._toks

    def add_name(self, name: str, determiners: frozenset[str] = frozenset()) -> None:
        """Remember an alias; the longest proper name becomes the display name."""
        self.aliases.add(name.lower())
        head, _, rest = name.partition(" ")
        if head in determiners and rest[:1].isupper():
            name = rest  # "the Coastal Herald" reads as "Coastal Herald" next to "The Herald"
        if len(name) > len(self.name) and (UPPER_RE.match(name) or not UPPER_RE.match(self.name)):
            self.name = name


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper() and w.lower() != "the")


class Registry:
    """Entities of one text plus the mention positions needed for pronoun resolution."""

    def __init__(self, text: str, cp: CompiledPack) -> None:
        self.text = text
        self.cp = cp
        self.p = cp.pack
        self.entities: list[Entity] = []
        # (position, serial, entity) of every mention seen, for "most recent X" lookups
        self.mentions: list[tuple[int, int, Entity]] = []
        self._serial = 0
        self.speaker_units: list[tuple[int, Entity]] = []
        self._alias: dict[str, Entity] = {}  # lower-cased scanned name -> entity
        self.strong: list[tuple[int, Entity]] = []  # person names sure to be people
        self.weak: list[tuple[int, Entity]] = []
        self.speaker_pos: list[tuple[int, Entity]] = []  # resolved person speakers, in order
        self.runs: list[tuple[int, list[str]]] = []  # capitalized runs, for name expansion
        self._outlet_nouns = cp.outlet_nouns
        self._expand_skip = cp.expand_skip
        self._scan_skip = cp.scan_skip
        self._scan_names()

    # ---- building --------------------------------------------------------------------------
    def _mention(self, pos: int, ent: Entity) -> None:
        self._serial += 1
        item = (pos, self._serial, ent)
        if not self.mentions or self.mentions[-1][0] <= pos:
            self.mentions.append(item)
        else:
            insort(self.mentions, item, key=lambda m: (m[0], m[1]))

    def _scan_names(self) -> None:
        """Capitalized runs that look like people or outlets: antecedents for pronouns."""
        p = self.p
        for m in _CAP_RUN_RE.finditer(self.text):
            raw = m.group()
            if " " not in raw and "\t" not in raw and "." not in raw:
                continue  # one capitalized word (most runs: sentence starts) names no one here
            toks = raw.split()
            cut = next((n for n, w in enumerate(toks) if w in p.place_preps), None)
            if cut is not None:  # "Muzakir di Donggala": a name, then a place
                toks = toks[:cut]
                raw = " ".join(toks)
            if len(toks) > 1:
                self.runs.append((m.start(), [_POSSESSIVE_RE.sub("", w).rstrip(".") for w in toks]))
            if len(toks) < 2 and not _DOMAIN_RE.fullmatch(raw):
                continue
            # drop sentence-initial function and cue words ("Dalam", "Menurut", "According")
            skip = self._scan_skip
            off = 0
            while (
                len(toks) > 1 and toks[0].lower() in skip and toks[0].lower() not in p.determiners
            ):
                off = raw.index(toks[1], off + len(toks[0]))
                toks = toks[1:]
            if len(toks) < 2 and not _DOMAIN_RE.fullmatch(toks[0]):
                continue
            start = m.start() + off
            name = " ".join(toks)
            titled = self._titled_name(toks)
            full_kind = "person" if titled else self.classify(name)
            if full_kind == "organization" and self._company_name(toks):
                # "Skyreach Air", "PT Lintas Cepat Mandiri": what "the company" refers to
                ent = self._alias.get(name.lower()) or self._new(name, "organization")
                self._mention(start, ent)
                continue
            if full_kind not in ("person", "outlet"):
                continue
            stripped, title = titled or self.strip_titles(name)
            kind = "person" if titled else self.classify(stripped)
            if (
                kind == "person"
                and not titled
                and is_role_word(stripped.split()[0].lower(), self.cp)
            ):
                continue  # "Kepala Dinas Kesehatan Kota X": a role with no name, no antecedent
            if kind == "person" and (titled or len(stripped.split()) >= 2):
                name = stripped
            elif full_kind == "outlet" and kind == "outlet":
                title = ""
                words = name.split()
                if len(words) > 2 and words[0].lower() in self._outlet_nouns:
                    name = " ".join(words[1:])  # "Koran Suara Tepian" -> "Suara Tepian"
            else:
                continue
            # exact aliases only here: fuzzy merging happens when a source is resolved
            ent = self._alias.get(name.lower()) or self._new(name, kind)
            if kind == "person" and title:
                ent.titles.update(w.lower() for w in title.split())
            if kind == "person":
                # a titled name or a comma appositive ("Kepala X, Budi Santoso,") is surely a
                # person; other capitalized runs (events, places) only when nothing better
                before = self.text[max(0, start - 2) : start]
                after = self.text[m.end() : m.end() + 1]
                nxt = self.text[m.end() + 1 : m.end() + 30].split()[:1]
                role_next = (
                    after == "," and bool(nxt) and nxt[0].lower() in (p.role_words | p.titles)
                )  # "William Wongso, salah satu tokoh kuliner"
                strong = bool(title or titled) or ("," in before and after in ",(") or role_next
                (self.strong if strong else self.weak).append((start, ent))
            self._mention(start, ent)

    def _company_name(self, toks: list[str]) -> bool:
        p = self.p
        return any(
            w.lower().rstrip(".,") in p.company_affixes or w.lower() in p.company_words
            for w in toks[1:]
        ) or (bool(toks) and toks[0].lower() in p.company_affixes)

    def _titled_name(self, toks: list[str]) -> tuple[str, str] | None:
        """'Ketua MPR (MPR) Bambang Soesatyo', 'Energy Minister Carla Mendes': a run with a
        role phrase before a short personal name -> (name, title words)."""
        p = self.p
        k = name_start(toks, self.cp)
        if k is None:
            return None
        if (
            k == 1
            and len(toks) == 4
            and toks[0].lower() in p.titles | p.role_words
            and not any(w.lower() in self.cp.role_lex for w in toks[1:])
        ):
            return None  # "Ketua Majelis Permusyawaratan Rakyat": more likely a body
        title = " ".join(w for w in toks[:k] if w.lower() in p.titles)
        return " ".join(toks[k:]), title

    def _new(self, name: str, kind: SpeakerKind, role: str | None = None) -> Entity:
        ent = Entity(name=name, kind=kind, role=role)
        ent.aliases.add(name.lower())
        self._alias.setdefault(name.lower(), ent)
        self.entities.append(ent)
        return ent

    # ---- classification --------------------------------------------------------------------
    def strip_titles(self, name: str) -> tuple[str, str]:
        """'Letnan Jenderal Ihor Romanenko' -> ('Ihor Romanenko', 'Letnan Jenderal')."""
        toks = name.split()
        p = self.p
        i = 0
        while i < len(toks) - 1 and (
            toks[i].lower() in p.titles
            or (toks[i].isupper() and len(toks[i]) > 1)
            or toks[i].lower() in p.determiners
        ):
            i += 1
        if i and any(
            w.lower() in p.org_words or is_role_word(w.lower(), self.cp) for w in toks[i:]
        ):
            return name, ""  # "Bupati Sungai Deras": a role with its place, no name
        if i and (
            not UPPER_RE.match(toks[i])
            or not all(UPPER_RE.match(w) or w.islower() and len(w) <= 3 for w in toks[i:])
        ):
            return name, ""  # "juru bicara pemerintah Mesir" is a role, not a titled name
        if i and p.head_initial and toks[i - 1].lower() in p.org_words and len(toks) - i >= 3:
            i += 1  # "Kota Sukamaju Hadi Wibisono": the place's name, then the person's
        if not i and p.head_initial:
            # "Diskar PB Kota Sukamaju Hadi Wibisono": a body's acronym and place, then a name
            marks = [
                k
                for k, w in enumerate(toks[:-2])
                if w.lower() in p.org_words or (w.isupper() and len(w) > 1)
            ]
            if marks:
                k = marks[-1] + (2 if toks[marks[-1]].lower() in p.org_words else 1)
                tail = toks[k:]
                if 2 <= len(tail) <= 3 and all(
                    UPPER_RE.match(w) and not w.isupper() and w.lower() not in p.org_words
                    for w in tail
                ):
                    return " ".join(tail), ""
        return " ".join(toks[i:]), " ".join(toks[:i])

    def classify(self, phrase: str) -> SpeakerKind:
        """Speaker kind from the words of the phrase (pack word lists); memoized per pack
        (the same names recur across articles)."""
        key = (self.p.code, phrase)
        got = _KINDS.get(key)
        if got is None:
            if len(_KINDS) > _KINDS_MAX:
                _KINDS.clear()
            got = _KINDS[key] = self._classify(phrase)
        return got

    def _classify(self, phrase: str) -> SpeakerKind:
        p = self.p
        low = [_POSSESSIVE_RE.sub("", w.lower()) for w in WORD_RE.findall(phrase)]
        if not low:
            return "person"
        if any(w in p.company_affixes for w in low):
            return "organization"  # "PT Lintas Cepat Mandiri", "Dunmere Airport Ltd"
        if any(w in p.study_nouns for w in low):
            return "organization"  # "a Reuters poll of 30 economists": the poll, not Reuters
        if _DOMAIN_RE.search(phrase) or any(w in p.outlet_words for w in low):
            return "outlet"
        if any(w in p.anonymous_words for w in low) or phrase.lower().startswith(p.partitives):
            return "anonymous"
        head = [w for w in low if w not in p.determiners]
        if head and (head[0] in p.group_words or (low[0] in p.group_words)):
            return "group"
        suf = p.plural_suffix
        if (
            suf
            and not p.head_initial
            and 0 < len(head) <= 3
            and head[-1].endswith(suf)
            and head[-1][: -len(suf)] in p.role_words | p.titles
        ):
            return "group"  # "Prosecutors", "Local nurses": a role in the plural
        core = head
        for n, w in enumerate(head):
            if n and w in p.nonfinal_words:  # "a lawyer for the firm": the head is "lawyer"
                core = head[:n]
                break
        if (
            not p.head_initial
            and core
            and (core[-1] in p.role_words or core[-1] in p.titles)
            and core[-1] not in p.org_words
            and core[-1] not in p.determiners
        ):
            return "person"  # "a company spokesman", "the prosecutor's office spokesman"
        if (
            not p.head_initial
            and len(core) > 1
            and core[-1] in p.org_words
            and core[-1] not in p.titles | p.role_words
        ):
            return "organization"  # "the governor's office", "the finance ministry"
        if head and (head[0] in p.titles or head[0] in p.role_words):
            return "person"
        if any(w in p.org_words for w in low):
            words_ = phrase.split()
            tail = [w for w in words_[-2:] if w[:1].isupper() and not w.isupper()]
            if (
                len(words_) > 2
                and len(tail) == 2
                and not any(w.lower() in p.org_words | p.outlet_words for w in tail)
                and any(w in p.titles or w in p.role_words for w in low[:-2])
            ):
                return "person"  # "Kepala Dinas Kesehatan X Budi Santoso": a titled person
            return "organization"
        words = phrase.split()
        if len(words) == 1 and words[0].isupper() and len(words[0]) > 1:
            return "organization"
        if (
            head
            and head[-1].endswith("s")
            and not any(UPPER_RE.match(w) for w in words)
            and self.p.code == "en"
        ):
            return "group"
        return "person"

    # ---- lookup ----------------------------------------------------------------------------
    def find(self, name: str, kind: SpeakerKind | None = None) -> Entity | None:
        """An existing entity this name refers to: same name, acronym, surname or subset."""
        low = name.lower()
        toks = [_POSSESSIVE_RE.sub("", w) for w in low.split() if w not in self.p.determiners]
        if not toks:
            return None
        bare = " ".join(w for w in name.split() if w.lower() not in self.p.determiners)
        best: Entity | None = None
        for ent in reversed(self.entities):
            if low in ent.aliases:
                return ent  # (newest first: a later alias wins over the scan's first one)
        for ent in reversed(self.entities):
            etoks = ent.tokens(self.p.determiners)
            if not etoks:
                continue
            if len(toks) == 1 and bare.isupper() and len(bare) > 1 and (_acronym(ent.name) == bare):
                return ent
            if len(etoks) == 1 and ent.name.isupper() and _acronym(name) == ent.name:
                return ent
            if (
                kind is not None
                and ent.kind != kind
                and not ({kind, ent.kind} <= {"person", "organization"})
            ):
                continue
            if ent.kind not in ("person", "outlet", "organization") or not UPPER_RE.match(bare):
                continue
            surname = len(toks) == 1 and (
                toks[0] == etoks[-1]
                or (ent.kind == "person" and toks[0] == etoks[0])
                or (
                    ent.kind == "organization"
                    and len(etoks) > 1
                    and toks[0] == etoks[0]
                    and toks[0] not in self.p.company_affixes
                    and toks[0] not in self.p.org_words
                    and toks[0] not in self.cp.role_lex
                )  # "Brightline" -> "Brightline Networks"
            )
            subset = (
                len(toks) > 1
                and toks[-1] == etoks[-1]
                and (set(toks) <= set(etoks) or set(etoks) <= set(toks))
            )
            if surname or subset:
                best = best or ent
        return best

    def latest(
        self, pos: int, kinds: tuple[SpeakerKind, ...], within: int | None = None
    ) -> Entity | None:
        """Most recent entity of one of ``kinds`` mentioned before pos (``within`` chars)."""
        for mpos, _, ent in reversed(self.mentions):
            if within is not None and mpos < pos - within:
                return None
            if mpos < pos and ent.kind in kinds and not ent.home:
                return ent
        return None

    def by_title(self, title_words: list[str], pos: int, *, forward: bool = False) -> Entity | None:
        """'Presiden' / 'the senator' alone: the latest person introduced with that title
        (``forward``: the first one named after pos, for a headline)."""
        want = {w.lower() for w in title_words}
        loose: Entity | None = None
        seq: Iterable[tuple[int, int, Entity]] = (
            self.mentions if forward else reversed(self.mentions)
        )
        for mpos, _, ent in seq:
            if (
                (mpos > pos if forward else mpos < pos)
                and ent.kind == "person"
                and want <= ent.titles
            ):
                if ent.titles == want:
                    return ent
                loose = loose or ent
        return loose

    # ---- resolution ------------------------------------------------------------------------
    def resolve(
        self,
        phrase: str,
        start: int,
        unit: int,
        *,
        clitic: bool = False,
        role: str | None = None,
        anonymous: bool = False,
    ) -> Entity | None:
        """The entity a source phrase names; creates one for a new name."""
        p = self.p
        toks = phrase.split()
        first = toks[0].lower() if toks else ""
        ent: Entity | None = None
        if clitic or first in p.person_pronouns:
            # "-nya" may also stand for an institution; "he", "she", "Dia" only for a person
            kinds: tuple[SpeakerKind, ...] = ("person", "organization") if clitic else ("person",)
            ent = self._recent_person(start, unit, kinds)
            if ent is None:
                return None
        elif first in p.plural_pronouns and len(toks) <= 2:
            # "Mereka menyebut ...": people first (a group, unnamed sources), then a body
            ent = self.latest(start, ("group", "anonymous"), within=_PLURAL_REACH) or self.latest(
                start, ("group", "organization", "anonymous")
            )
            if ent is None:
                ent = self._new(phrase, "group")
        else:
            m = self.cp.anaphor_re.match(phrase)
            if m:
                a = m.group().lower()
                is_outlet = any(a.startswith(x.lower()) for x in p.outlet_anaphors)
                kind: SpeakerKind = "outlet" if is_outlet else "anonymous"
                ent = self.latest(start, (kind,))
                if ent is None:
                    ent = self._new(phrase, kind)
        if ent is None:
            phrase = self._possessor(phrase)
            ent = self._definite(phrase, start)
        if ent is None:
            kind = "anonymous" if anonymous else self.classify(phrase)
            name = phrase
            title = ""
            bare = False
            if kind == "person" and UPPER_RE.match(phrase):
                name, title = self.strip_titles(phrase)
                words = phrase.split()
                bare = all(
                    is_role_word(w.lower(), self.cp) or w.lower() in p.determiners for w in words
                )
                if not title and (name.lower() in p.titles or bare):
                    title, name = name, ""
                if not name or name.lower() in p.titles:
                    want = [w for w in words if w.lower() in p.titles] or words
                    # "Minister denies deal" (headline): the minister the article names
                    found = self.by_title(want, start) or (
                        self.by_title(want, start, forward=True) if unit == 0 else None
                    )
                    if found is not None:
                        ent = found
                    name = name or phrase
                    bare = True
            if ent is None:
                if kind == "person" and len(name.split()) == 1 and UPPER_RE.match(name):
                    name = self._expand(name, start)
                ent = self.find(name, kind)
                if ent is None:
                    ent = self._new(name, kind, role)
                else:
                    ent.add_name(name, p.determiners)
                if title and all(
                    w.lower().rstrip(".") in p.honorifics or w.lower() in p.honorifics
                    for w in title.split()
                ):
                    title = ""  # "Mr. Trump": an honorific is neither a title nor a role
                if title and not bare:  # a bare role is the name, never also its role
                    ent.titles.update(w.lower() for w in title.split())
                    if ent.role is None and role is None and len(title.split()) <= 4:
                        ent.role = title
        if role and (ent.role is None or len(role) > len(ent.role)):
            ent.role = role
        if ent.kind == "person" and role and self._body_role(role):
            ent.kind = "organization"  # "Friends of the Teal, a volunteer group"
        self._mention(start, ent)
        self.speaker_units.append((unit, ent))
        if ent.kind in ("person", "organization"):
            insort(self.speaker_pos, (start, ent), key=lambda x: x[0])
        return ent

    def _body_role(self, role: str) -> bool:
        """A role phrase headed by a body word ('a volunteer group', 'consumer group',
        'sebuah lembaga swadaya'): what it describes is an organization."""
        p = self.p
        words = [w.lower() for w in WORD_RE.findall(role) if w.lower() not in p.determiners]
        if not words or words[0] in p.relatives:
            return False  # "who runs a haulage firm" describes a person
        head = words[0] if p.head_initial else words[-1]
        return head in p.org_words and not is_role_word(head, self.cp) and head not in p.titles

    def _expand(self, short: str, pos: int) -> str:
        """'Agus' -> 'Agus Fatoni' when the article names him in full somewhere: the longest
        name seen is the one readers need (the nearest full form before pos wins)."""
        low = short.lower()
        for mpos, _, ent in reversed(self.mentions):
            # a person already resolved as a speaker with this word in the name ("Hadi" ->
            # "Hadi Wibisono") beats a capitalized run that may carry a place before it
            if (
                mpos < pos
                and ent.kind == "person"
                and low in ent.tokens(self.p.determiners)
                and len(ent.name.split()) >= 2
            ):
                return ent.name
        best: str | None = None
        skip = self._expand_skip
        for start, words in self.runs:
            if short not in words:
                continue
            k = name_start(words, self.cp)
            if k is not None and short in words[k:]:
                words = words[k:]  # "Ketua Umum PP Muhammadiyah Haedar Nashir": the name
            kept = [
                w for w in words if w.lower() not in skip and not is_role_word(w.lower(), self.cp)
            ]
            if len(kept) < 2 or short not in kept:
                continue
            i = kept.index(short)
            cand = " ".join(kept[max(0, i - 1) : i + 3])
            if best is None or start < pos:
                best = cand
            if start >= pos:
                break
        return best or short

    def _possessor(self, phrase: str) -> str:
        """ "the Courier's report" -> "the Courier"; "laporan Pelita Timur" -> "Pelita Timur":
        a report speaks for the outlet that wrote it."""
        p = self.p
        toks = phrase.split()
        for i, w in enumerate(toks[:-1]):
            if w.endswith(("'s", "’s")) and toks[i + 1].lower() in p.report_nouns:
                return " ".join([*toks[:i], w[:-2]])
        rest = [w for w in toks if w.lower() not in p.determiners]
        if len(rest) > 1 and rest[0].lower() in p.report_nouns and UPPER_RE.match(rest[1]):
            out = []
            for w in rest[1:]:
                if w.lower() in p.relatives:
                    break
                out.append(w)
            return " ".join(out)
        return phrase

    def _definite(self, phrase: str, pos: int) -> Entity | None:
        """'the executive', 'the club', 'perusahaan itu': an earlier speaker named by a
        common noun with a definite marker (no capitals, so no new name)."""
        p = self.p
        words = [w.lower() for w in phrase.split()]
        if (
            not words
            or len(words) > 4
            or UPPER_RE.search(phrase[1:])  # (a sentence-initial capital says nothing)
        ):
            return None
        if words[0] not in p.definite_markers and words[-1] not in p.definite_markers:
            return None
        content = [w for w in words if w not in p.definite_markers and w not in p.determiners]
        if not content:
            return None
        head = content[0] if p.head_initial else content[-1]
        if head in p.company_heads:
            # "the company added": the latest company, never a public body or a document
            return self._latest_org(pos, public=False)
        forms = {head, head + "s", head.rstrip("s")}
        for mpos, _, ent in reversed(self.mentions):
            if mpos < pos and forms & set(ent.tokens(p.determiners)):
                return ent
        if head in p.org_anaphor_heads:
            return self._latest_org(pos, public=None)
        return None

    def _latest_org(self, pos: int, *, public: bool | None) -> Entity | None:
        """The latest organization before pos (``public``: only public bodies / only not)."""
        p = self.p
        for mpos, _, ent in reversed(self.mentions):
            if mpos >= pos or ent.kind != "organization" or ent.home:
                continue
            etoks = ent.tokens(p.determiners)
            ehead = etoks[0] if etoks and p.head_initial else etoks[-1] if etoks else ""
            if ehead in p.document_nouns:  # "the company" is no court filing
                continue
            if public is not None and any(t in p.public_bodies for t in etoks) != public:
                continue
            return ent
        return None

    def _recent_person(
        self, pos: int, unit: int, kinds: tuple[SpeakerKind, ...] = ("person",)
    ) -> Entity | None:
        """Pronoun antecedent: a person speaker of this or the previous unit; else the later
        of the last person speaker and the last surely-personal name; else any name."""
        for u, ent in reversed(self.speaker_units):
            if u < unit - 1:
                break
            if ent.kind in kinds:  # ("Kepala Dinas X Budi" reads as an organization)
                return ent
        best: tuple[int, Entity] | None = None
        for cands in (self.speaker_pos, self.strong):
            for cpos, ent in reversed(cands):
                if cpos < pos and ent.kind in kinds:
                    if best is None or cpos > best[0]:
                        best = (cpos, ent)
                    break
        if best is not None:
            return best[1]
        for cpos, ent in reversed(self.weak):
            if cpos < pos and ent.kind == "person":
                return ent
        return None
