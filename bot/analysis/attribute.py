"""Cue matching: from one unit's cue phrases to source phrases and content spans.

Every construction is decided by the cue's ``Shape`` plus punctuation around it, so a new
language only brings its cue list and word lists (see ``lang``), never a new code path here.
Speakers are kept as text spans; ``coref`` turns them into entities afterwards.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from bot.analysis.lang.base import CompiledPack, Cue, Shape
from bot.analysis.names import is_degree, name_start
from bot.analysis.quotes import Quote
from bot.analysis.segment import Unit
from bot.analysis.tokens import QUOTE_MARKS, Tok, TokenIndex, has_boundary
from bot.core.models import Stance

_TRIM_LEFT = " \t\r\n,;:–—-\"“”„‟«»‘’‹›'"
_TRIM_RIGHT = " \t\r\n,;:–—-\"“”„‟«»‘’‹›.'"
_MAX_SOURCE_WORDS = 10
_MAX_TITLE_WORDS = 16  # a capitalized role and body name before a name may run longer
# a cue right after a comma or a closing mark ('..., said X', '...,” kata X', "...,'' said X")
_AFTER_COMMA_RE = re.compile(r"(?:[,”\"’»]|'')\s*$")
_TAIL_WORDS = 8  # words after a clause-final cue that may still be only a tail
_MIN_QUOTE_WORDS = 3  # a shorter quotation inside a sentence is a term, not a statement
_MAX_LEAD = 40
_WINDOW = 600  # chars around a cue in an overlong unit
_SAME_REACH = 8
_CUE_SPACING = 60  # chars between cues an overlong unit still reads as separate statements
_MANY_CLAIMS = 60  # words between a cue and its complementizer ('said on Monday, after ..., that')
_PREFIX_RE = re.compile(r"([^:\n]{2,40}?):\s+")
_HEADLINE_RE = re.compile(r":\s+([^:\n]{1,60})$")
_LIST_LINE_RE = re.compile(r"[^:\n]{1,40}:\s+\S")  # "North Quay: 2 ships", "Pelantikan: Februari"
_PARTY_RE = re.compile(r"^[A-Z]{1,2}-[A-Z][a-z]+\.?$")  # "D-Minn.", "R-Texas": party-state
_DATE_RE = re.compile(r"^\d{1,4}(?:[/.\-]\d{1,4}){0,2}$")
_DOMAIN_RE = re.compile(r"[\w-]+\.(?:com|id|net|org|co\.id|co\.uk|news)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CueMatch:
    """A cue phrase found in the text (a tiny stand-in for ``re.Match``)."""

    s: int
    e: int
    text: str
    cue: Cue

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e

    def group(self) -> str:
        return self.text[self.s : self.e]


@dataclass(slots=True)
class SourceRef:
    """The words naming a speaker, plus what the phrase itself says about them."""

    start: int
    end: int
    text: str
    role: str | None = None
    clitic: bool = False  # Indonesian -nya: a pronoun inside the cue word
    subject: bool = False  # taken from the clause subject (participle constructions)
    anonymous: bool = False  # "X, speaking on condition of anonymity, said"
    name: str | None = None  # the name inside the phrase when it also holds a role
    chain: list[SourceRef] = field(default_factory=list)  # cited sources, outermost first


@dataclass(slots=True)
class RawClaim:
    """A claim before coreference: content span, source span, cue and chain."""

    start: int
    end: int
    unit: int
    source: SourceRef | None
    cue: str | None
    cue_start: int
    stance: Stance = "asserts"
    told_to: str | None = None
    via: list[SourceRef] = field(default_factory=list)
    direct: bool = False
    inherit: bool = False  # a bare quote: its speaker comes from a neighbouring claim
    continued: bool = False  # ends in a quote that continues in the next paragraph
    headline: bool = False
    belief: bool = False  # a stance/belief cue (supported, wants): never nested in content
    fronted: bool = False  # "menurut X, C" / "seperti dikutip dari Z, C": cue before content
    shape: str = ""  # the cue's Shape value, "headline" or "bare" (for the confidence model)
    comp: bool = False  # the content opens after a complementizer ("said that C")
    # Attributions interrupting a split quotation ('“A,” she said. “B.”'): left out of the
    # claim's text, which a reader reads as 'A … B'; the span still covers them.
    gaps: list[tuple[int, int]] = field(default_factory=list)


class UnitAttributor:
    """Finds the attributions in units of one text with one language pack."""

    def __init__(self, text: str, cp: CompiledPack, quotes: list[Quote], units: list[Unit]) -> None:
        self.text = text
        self.cp = cp
        self.p = cp.pack
        self.quotes = quotes
        self._qstarts = [q.start for q in quotes]
        self.idx = TokenIndex(text, [(u.start, u.end) for u in units])
        self.consumed: set[int] = set()  # cue offsets already used inside a source phrase
        self._not_verbs = cp.not_verbs
        self._outlet_nouns = cp.outlet_nouns
        self._cues = self._scan_cues()
        self._cue_starts = [c.s for c in self._cues]
        self._cue_start_set = set(self._cue_starts)
        self._cue_end_set = {c.e for c in self._cues}

    # ---- helpers -------------------------------------------------------------------------
    def words(self, _text: str, lo: int, hi: int) -> list[Tok]:
        """Tokens of [lo, hi) from the lazy per-unit index (``_text`` is always self.text)."""
        return self.idx.slice(lo, hi)

    def cues_in(self, lo: int, hi: int) -> list[CueMatch]:
        """Cue phrases inside [lo, hi) (from the one whole-text scan)."""
        i = bisect_left(self._cue_starts, lo)
        out = []
        while i < len(self._cues) and self._cues[i].e <= hi:
            out.append(self._cues[i])
            i += 1
        return out

    def _scan_cues(self) -> list[CueMatch]:
        """Cue phrases of the whole text: the longest at each start, left to right."""
        t = self.text
        low = t.lower()
        if len(low) != len(t):  # a few characters lower-case to two; keep offsets exact
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in t)
        found: list[tuple[int, int]] = []
        matcher = self.cp.matcher
        for fm in self.cp.first_word_re.finditer(low):
            pat = matcher(fm.group())
            if pat is None:
                found.append((fm.start(), fm.end()))
                continue
            m = pat.match(t, fm.start())
            if m:
                found.append((fm.start(), m.end()))
        found.sort(key=lambda x: (x[0], -x[1]))
        out: list[CueMatch] = []
        last_end = -1
        for s, e in found:
            if s < last_end:
                continue
            cue = self.cp.cue_of(t[s:e])
            if cue is not None:
                if cue.shape is not Shape.HEDGE:  # a hedge only hides the cue words inside it
                    out.append(CueMatch(s, e, t, cue))
                last_end = e
        return out

    def quote_at(self, pos: int) -> Quote | None:
        """The quote whose inner text contains pos."""
        k = bisect_right(self._qstarts, pos) - 1
        if k >= 0 and self.quotes[k].inner_start <= pos < self.quotes[k].inner_end:
            return self.quotes[k]
        return None

    def trim(self, lo: int, hi: int) -> tuple[int, int]:
        """Shrink [lo, hi) past quote marks, commas, dashes and final dots."""
        t = self.text
        while lo < hi and t[lo] in _TRIM_LEFT:
            lo += 1
        top = hi
        while hi > lo and t[hi - 1] in _TRIM_RIGHT:
            hi -= 1
        if hi < top and self.quotes:
            # 'its bid would be "looked after"': keep the closing mark of a quotation that
            # opens inside the span, so the span never ends inside the quotation
            q = self.quote_at(hi - 1)
            if (
                q is not None
                and lo <= q.start
                and q.inner_end >= hi
                and q.end <= top
                and not t[hi : q.inner_end].strip(_TRIM_RIGHT)
            ):
                hi = q.end
        return lo, hi

    def quoted_share(self, lo: int, hi: int) -> float:
        """Fraction of [lo, hi) inside quote marks."""
        if hi <= lo:
            return 0.0
        k = max(0, bisect_right(self._qstarts, lo) - 1)
        inside = 0
        for q in self.quotes[k:]:
            if q.start >= hi:
                break
            inside += max(0, min(hi, q.end) - max(lo, q.start))
        return inside / (hi - lo)

    def _gap(self, a: int, b: int) -> str:
        return self.text[a:b]

    # ---- source phrases ------------------------------------------------------------------
    def _brk(self, a: int, b: int) -> bool:
        """A phrase boundary between offsets a and b; a short '(BPBD)' does not break."""
        gap = self.text[a:b]
        if gap.strip(" \t") in ("(", ")"):
            return False
        if gap.strip(" \t") in ("-", "/") and self.text[b : b + 1].isdigit():
            return False  # "Covid - 19" in detokenized text is one name
        return has_boundary(gap)

    def np_before(self, lo: int, pos: int) -> SourceRef | None:
        """The source phrase ending just before ``pos`` (the cue), within one clause."""
        toks = self.words(self.text, lo, pos)
        toks = [t for t in toks if self.quote_at(t.start) is None]
        p = self.p
        i, right = self._skip_asides(toks, len(toks) - 1, pos)
        if i < 0 or (toks[i].end in self._cue_end_set and not toks[i].cap):
            return None  # "X rejected claims that": a cue word is never the speaker
        anon = self._anonymity_relative(toks, i, right)
        if anon is not None:
            # "A council official who asked not to be named said": the official, unnamed
            src = self.np_before(lo, toks[anon].start)
            if src is not None:
                src.anonymous = True
            return src
        vre = self.cp.verb_re
        lex = self._not_verbs
        if (
            vre is not None
            and not toks[i].cap
            and vre.match(toks[i].low)
            and toks[i].low not in lex
            and not has_boundary(self._gap(toks[i].end, right))  # ", saat dihubungi,"
        ):
            return None  # "pemerintah tidak pernah berhenti mengingatkan": no speaker here
        gap = self._gap(toks[i].end, right)
        if gap.rstrip().endswith(")") and "(" in self.text[lo:right]:
            # skip "(R-Wis.)" between a name and its cue
            op = self.text.rfind("(", lo, right)
            k = i
            while k >= 0 and toks[k].start > op:
                k -= 1
            if k >= 0 and not has_boundary(self._gap(toks[k].end, op)):
                i, right = k, op
        if has_boundary(self._gap(toks[i].end, right)):
            return self._appositive(toks[: i + 1], right)
        relative = False
        if toks[i].low in p.relatives and i > 0:
            # "analysts who said": the phrase before the relative pronoun
            if self._brk(toks[i - 1].end, toks[i].start):
                return self._appositive(toks[:i], toks[i].start)
            i -= 1
            relative = True
            if not (toks[i].cap or self._speaker_noun(toks[i].low)):
                return None  # "in a way that would support X": no one speaks here
        taken: list[Tok] = [toks[i]]
        j = i - 1
        while j >= 0 and (
            len(taken) < _MAX_SOURCE_WORDS
            or (len(taken) < _MAX_TITLE_WORDS and toks[j].cap and taken[0].cap)
        ):
            if self._brk(toks[j].end, taken[0].start):
                break
            w = toks[j].low
            if w in ("dan", "and", "&") and toks[j + 1].cap and j > 0 and toks[j - 1].cap:
                # "Dinas Pemadam Kebakaran dan Penyelamatan": one body's name
                taken.insert(0, toks[j])
                j -= 1
                continue
            if (
                vre is not None
                and not toks[j].cap
                and vre.match(w)
                and w not in lex
                and not self._in_relative(toks, j)
            ):
                return None  # "PKS kemudian mengikuti alur X mengatakan": a clause, no speaker
            if w in p.prepositions and not (j > 0 and toks[j - 1].low in p.glue_words):
                # "Dairy farmers in the valley said": a short head at the clause start
                k = j - 1
                while k > 0 and not self._brk(toks[k - 1].end, toks[k].start):
                    k -= 1
                if (
                    k >= 0
                    and 0 < j - k <= 3
                    and (toks[k].cap or toks[k].low in p.determiners)
                    and (k == 0 or self._brk(toks[k - 1].end, toks[k].start))
                ):
                    taken = toks[k : j + 1] + taken
                break
            if w in p.clause_breakers:
                # "Dia dan korannya": a short coordinated subject at the clause start.
                rest = toks[:j]
                k = len(rest) - 1
                while k > 0 and not self._brk(rest[k - 1].end, rest[k].start):
                    k -= 1
                conj = rest[k:] if rest else []
                if (
                    w in ("dan", "and", "&")
                    and 0 < len(conj) <= 3
                    and (conj[0].low in p.person_pronouns or all(t.cap for t in conj))
                ):
                    taken = conj + [toks[j]] + taken
                break
            taken.insert(0, toks[j])
            j -= 1
        if len(taken) >= _MAX_SOURCE_WORDS:
            if not any(t.cap for t in taken):
                return None
            # keep the trailing name-like part of an overlong phrase
            while taken and not taken[0].cap:
                taken.pop(0)
        if self._circumstantial(taken) and j >= 0 and self._brk(toks[j].end, taken[0].start):
            # "Argo Yuwono, Senin (21/9), di Jakarta mengatakan": skip the place/time aside
            return self._appositive(toks[: j + 1], taken[0].start)
        while taken and (
            taken[0].low in p.prepositions | p.clause_breakers
            or (len(taken) > 1 and taken[0].low in p.adverbial_openers)
        ):
            taken.pop(0)
        taken = self._drop_time_lead(taken)
        if not relative and self._object_relative(taken):
            return None  # "a figure the union disputed": the union speaks about the figure
        ag = self._agentive(toks, taken) if taken else None
        if ag is not None:
            return ag
        rel = next((n for n, t in enumerate(taken) if n and t.low in p.relatives), None)
        if rel is not None and taken[rel - 1].cap:
            taken = taken[:rel]  # "Ketua X Ahmad Doli yang dihubungi mengatakan" -> the name
        if not taken or (
            taken[-1].low in p.nonfinal_words
            and not (taken[-1].cap and len(taken) > 1)
            and taken[-1].low not in p.group_words  # "Several said", "Many say"
        ):  # "Teluk Dalam"
            return None
        return self._finish(taken)

    def _speaker_noun(self, low: str) -> bool:
        """A common noun that can name a speaker ('analysts', 'the mayor', 'warga'), also
        in its plural ('residents')."""
        lex = self.cp.speaker_lex
        if low in lex or low in self.p.group_words:
            return True
        suf = self.p.plural_suffix
        if suf and low.endswith(suf) and low[: -len(suf)] in lex:
            return True
        pat = self.cp.person_noun_re
        return pat is not None and bool(pat.match(low))

    def _drop_time_lead(self, taken: list[Tok]) -> list[Tok]:
        """'Late last month the regulator asked': a time phrase before the subject is no
        part of the speaker."""
        p = self.p
        n, timed = 0, 0
        while n < len(taken) - 1:
            w = taken[n].low
            if w in p.time_words or _DATE_RE.match(w):
                timed = n + 1
            elif not (w in p.time_modifiers or w in p.time_preps) or (
                w in p.determiners and n > 0 and taken[n - 1].low in p.time_words
            ):
                break
            n += 1
        return taken[timed:] if timed and timed < len(taken) else taken

    def _object_relative(self, taken: list[Tok]) -> bool:
        """'a figure the union disputed', 'the claims the company denied': a noun phrase,
        then the real subject with no relative pronoun between (English reduced relative)."""
        p = self.p
        if p.head_initial or len(taken) < 3 or taken[0].low not in p.determiners:
            return False
        vre = self.cp.verb_re
        if vre is not None and any(vre.match(t.low) for t in taken):
            return False
        return any(
            t.low in p.determiners
            and not taken[k - 1].cap
            and taken[k - 1].low not in p.nonfinal_words
            and taken[k - 1].low not in p.prepositions
            and taken[k - 1].low not in p.glue_words
            and not taken[k - 1].low.endswith(("'s", "’s"))
            for k, t in enumerate(taken[1:], start=1)
        )

    def _anonymity_relative(self, toks: list[Tok], i: int, right: int) -> int | None:
        """Index of the relative pronoun opening 'who asked not to be named' / 'yang meminta
        namanya tidak disebutkan' right before the cue (no comma), or None."""
        p = self.p
        if self._brk(toks[i].end, right):
            return None
        marked = False
        for k in range(i, max(-1, i - 9), -1):
            if k < i and self._brk(toks[k].end, toks[k + 1].start):
                return None
            if toks[k].low in p.anonymity_markers:
                marked = True
            if toks[k].low in p.relatives:
                return k if marked and k > 0 else None
        return None

    def _in_relative(self, toks: list[Tok], j: int) -> bool:
        """Is toks[j] inside a short relative clause ('pemain yang enggan disebutkan
        namanya')? Its verbs belong to the source phrase."""
        p = self.p
        for k in range(j - 1, max(-1, j - 4), -1):
            if self._brk(toks[k].end, toks[k + 1].start):
                return False
            if toks[k].low in p.relatives:
                return k > 0 and not self._brk(toks[k - 1].end, toks[k].start)
        return False

    def _agentive(self, toks: list[Tok], taken: list[Tok]) -> SourceRef | None:
        """'internal emails seen by the Coastal Herald show', 'dokumen yang diperoleh Harian
        X menunjukkan': the documents are the source; the outlet that saw them only passes
        them on (a via hop), it does not say this itself."""
        prt = self.cp.participle_re
        p = self.p
        if prt is None:
            return None
        end = toks.index(taken[-1])
        lo = end
        while lo > 0 and end - lo < 14 and not self._brk(toks[lo - 1].end, toks[lo].start):
            lo -= 1
        clause = toks[lo : end + 1]
        for q in range(len(clause) - 2, 0, -1):
            w = clause[q]
            if w.cap or not prt.match(w.low) or w.low in self._not_verbs:
                continue
            by = clause[q + 1].low in p.agent_markers
            rel = clause[q - 1].low in p.relatives
            if not by and not (rel and p.head_initial):
                continue
            agent = clause[q + 2 :] if by else clause[q + 1 :]
            if not agent or (agent[0] != taken[0] and w.start < taken[0].start):
                return None  # the participle must head the phrase found for this cue
            h_end = q - 1 if rel else q
            h = h_end
            while h > 0 and h_end - h < 5:
                x = clause[h - 1]
                if (
                    x.low in p.clause_breakers
                    or x.low in p.prepositions
                    or (x.low in p.adverbial_openers and x.low not in p.determiners)
                    or x.low in p.relatives
                    or x.end in self._cue_end_set
                ):
                    break
                h -= 1
            head = clause[h:h_end]
            lex = p.org_words | p.outlet_words | p.group_words
            if (
                not any(t.cap or t.low in lex for t in agent)
                or not head
                or all(t.low in p.determiners for t in head)
            ):
                return None
            outer = self._finish(agent)
            if w.low not in p.author_participles:  # "released by X": X's own statement
                outer.chain = [SourceRef(head[0].start, head[-1].end, self._span(head))]
            return outer
        return None

    def _skip_asides(self, toks: list[Tok], i: int, right: int) -> tuple[int, int]:
        """Step left over what may stand between a subject and its cue: auxiliaries and
        adverbs ('also', 'flatly'), time phrases ('on Thursday', 'last week', 'pada Sabtu
        malam', 'Minggu (12/4/2026)') and short passive asides ('saat dihubungi')."""
        p = self.p
        while True:
            start_i = i
            while i >= 0 and toks[i].low in p.fillers and not self._brk(toks[i].end, right):
                right = toks[i].start
                i -= 1
            # a time phrase: needs a time word; may open with a preposition
            k, edge, timed = i, right, False
            while k > 0 and not self._brk(toks[k].end, edge):
                w = toks[k].low
                if toks[k].cap and w not in p.time_names and w in p.time_words:
                    break  # "Harian Suara Pagi": a capitalized "Pagi" is a name's word
                if w in p.time_words or _DATE_RE.match(w):
                    timed = timed or w in p.time_words or "/" in w
                elif w in p.time_preps and timed:
                    edge, k = toks[k].start, k - 1
                    # "early on Friday", "late on Tuesday"
                    while (
                        k > 0
                        and toks[k].low in p.time_modifiers
                        and not self._brk(toks[k].end, edge)
                    ):
                        edge, k = toks[k].start, k - 1
                    break
                elif not (w in p.time_modifiers or w in p.fillers):
                    break
                edge, k = toks[k].start, k - 1
            if (
                timed
                and k >= 0
                and k < i
                and not self._brk(toks[k].end, edge)
                and not (
                    toks[k].low in p.titles and toks[k + 1].cap  # "Pak Minggu": a name
                )
                and not _DATE_RE.match(toks[k].low)
                and not toks[k + 1].low.isdigit()
            ):
                # ("Nomor 7 Tahun 2020" names a document; a time phrase never opens with a
                # bare number)
                i, right = k, edge
            # "Tri Rismaharini di Surabaya mengatakan": a place after a capitalized name
            for o in range(i, max(0, i - 4), -1):
                if self._brk(toks[o].end, toks[o + 1].start if o < i else right):
                    break
                if toks[o].low in p.place_preps and not toks[o].cap:
                    left = toks[o - 1] if o > 0 else None
                    if (
                        o < i
                        and left is not None
                        and left.cap
                        and all(t.cap for t in toks[o + 1 : i + 1])
                        and left.low not in p.org_words
                        and left.low not in p.outlet_words
                        and not self._brk(left.end, toks[o].start)
                    ):
                        i, right = o - 1, toks[o].start
                    break
                if not toks[o].cap:
                    break
            # "Mendes flatly denied", "He repeatedly said": a manner adverb after a name
            suf = p.adverb_suffix
            if (
                suf
                and i > 0
                and not toks[i].cap
                and toks[i].low.endswith(suf)
                and len(toks[i].low) > len(suf) + 3
                and not self._brk(toks[i].end, right)
                and (
                    toks[i - 1].cap
                    or toks[i - 1].low in p.person_pronouns
                    or toks[i - 1].low in p.plural_pronouns
                )
                and not self._brk(toks[i - 1].end, toks[i].start)
            ):
                i, right = i - 1, toks[i].start
            # "Dewi saat dihubungi mengatakan": a subordinator with a passive verb
            for o in range(i - 1, max(0, i - 4), -1):
                if self._brk(toks[o].end, toks[o + 1].start):
                    break
                if toks[o].low in p.aside_openers:
                    prt = self.cp.participle_re
                    nxt = toks[o + 1]
                    if (
                        o > 0
                        and prt is not None
                        and prt.match(nxt.low)
                        and not any(t.cap for t in toks[o + 1 : i + 1])
                        and not self._brk(toks[i].end, right)
                        and not self._brk(toks[o - 1].end, toks[o].start)
                    ):
                        i, right = o - 1, toks[o].start
                    break
            if i == start_i or i < 0:
                return i, right

    def _segments(self, toks: list[Tok], right: int, limit: int) -> list[list[Tok]]:
        """Comma-separated segments of ``toks`` ending at ``right``, nearest first."""
        segs: list[list[Tok]] = []
        cur: list[Tok] = []
        for t in reversed(toks):
            if cur and self._brk(t.end, cur[0].start):
                segs.append(cur)
                cur = []
                if len(segs) == limit:
                    return segs
            cur.insert(0, t)
        if cur:
            segs.append(cur)
        for seg in segs:
            # "Siti Aminah (45)": an age in brackets after a name is no part of the phrase
            if (
                len(seg) > 1
                and seg[-1].text.isdigit()
                and self.text[seg[-2].end : seg[-1].start].strip() == "("
            ):
                seg.pop()
        return segs

    def _name_like(self, seg: list[Tok]) -> bool:
        """A proper name: short, ends capitalized, mostly capitalized, no clause words."""
        return (
            0 < len(seg) <= 6
            and seg[-1].cap
            and 2 * sum(t.cap for t in seg) >= len(seg)
            and (seg[0].cap or seg[0].low in self.p.titles)
            and not any(t.low in self.p.clause_breakers for t in seg)
            and seg[0].start not in self._cue_start_set
        )

    def _role_after(self, seg: list[Tok]) -> bool:
        """'..., a spokesman for X' / '..., mantan wakil kepala ...': a role after a name."""
        p = self.p
        possessive = len(seg) > 1 and (
            seg[0].low.endswith(("'s", "’s")) or self.text[seg[0].end : seg[0].end + 1] in "'’"
        )  # "Jeff Weaver, Sanders' campaign manager, said"
        return (
            0 < len(seg) <= 20
            and (
                not seg[0].cap
                or seg[0].low in p.role_words
                or seg[0].low in p.titles
                or (possessive and self._speaker_noun(seg[-1].low))
            )
            and seg[0].low not in p.relatives
            and not self._name_like(seg)
        )

    def _role_before(self, seg: list[Tok]) -> bool:
        """'its director, Paul Renner' / 'Bupati Batu Merah, Andi Saputra': a role first."""
        p = self.p
        if not 0 < len(seg) <= 8 or self.quote_at(seg[0].start) is not None:
            return False
        lex = p.role_words | p.titles
        return any(
            t.low in lex
            or t.low.endswith(("'s", "’s"))
            or (not t.cap and t.low not in p.nonfinal_words)
            for t in seg
        )

    def _appositive(self, toks: list[Tok], right: int) -> SourceRef | None:
        """'X, role, said' / 'role, X, said' / 'X, citing Y, said': segments before a cue."""
        segs = self._segments(toks, right, 6)
        p = self.p
        k = 0
        chain: list[SourceRef] = []
        while k < len(segs):
            cited = self._cited(segs[k])
            if not cited:
                break
            chain = cited + chain
            k += 1
        while k < len(segs) and (
            segs[k][0].low in p.relatives
            or self._circumstantial(segs[k])
            or all(is_degree(t.text) for t in segs[k])
            or (len(segs[k]) == 1 and _PARTY_RE.match(segs[k][0].text))
        ):
            k += 1  # "X, whose café overlooks the river, said" / "X, di Jakarta, Senin, kata"
        if k >= len(segs):
            return None
        last = segs[k]
        prev = segs[k + 1] if k + 1 < len(segs) else None
        src: SourceRef | None = None
        if prev is not None and self._role_after(last) and self._name_like(prev):
            src = self._finish(prev, role=self._span(last))
        elif prev is not None and self._name_like(last) and self._role_before(prev):
            src = self._finish(last, role=self._span(prev))
        elif (
            self._name_like(last)
            or (chain and len(last) <= 8)
            or (len(last) <= 14 and last[-1].cap and last[0].low in p.titles | p.role_words)
        ):  # the last: "Direktur Riset X (CORE) Piter Abdullah, saat dihubungi, mengatakan"
            src = self._finish(last)
        elif k > 0 and k + 1 == len(segs) and self._bare_subject(last, loose=True):
            # "Some traders, speaking on condition of anonymity, said": a common-noun
            # subject at the clause start, then an aside
            src = self._finish(last)
        if src is not None and chain:
            src.chain = chain
        if src is not None and any(t.low in p.anonymity_markers for seg in segs[:k] for t in seg):
            src.anonymous = True
        return src

    def _bare_subject(self, seg: list[Tok], *, loose: bool = False) -> bool:
        """A short subject phrase headed by a group, role, body or pronoun word (``loose``:
        any short phrase opening with a capital or a determiner, as before an aside)."""
        p = self.p
        if not 0 < len(seg) <= 6 or self.quote_at(seg[0].start) is not None:
            return False
        if any(
            t.low in p.clause_breakers or t.low in p.complementizers or t.low in p.fillers
            for t in seg
        ):
            return False
        vre = self.cp.verb_re
        if vre is not None and any(
            vre.match(t.low) and t.low not in self._not_verbs and not t.cap for t in seg
        ):
            return False
        if loose and len(seg) <= 4 and (seg[0].cap or seg[0].low in p.determiners):
            return True
        head = seg[0] if p.head_initial and seg[0].low not in p.determiners else seg[-1]
        lex = (
            p.group_words
            | p.org_words
            | p.anonymous_words
            | p.role_words
            | p.person_pronouns
            | p.plural_pronouns
        ) - p.determiners
        suf = p.plural_suffix
        return any(
            t.low in lex or bool(suf and t.low.endswith(suf) and t.low[: -len(suf)] in lex)
            for t in (head, *seg[-2:])
        )

    def _circumstantial(self, seg: list[Tok]) -> bool:
        """A place/time/manner aside between a speaker and the cue: 'di Jakarta', 'Senin
        (13/4/2020)', 'speaking on Monday'."""
        p = self.p
        first = seg[0].low
        if first in p.tail_words or first in p.prepositions or first in p.adverbial_openers:
            return True
        if p.participle_suffix and first.endswith(p.participle_suffix) and not seg[0].cap:
            return True
        prt = self.cp.participle_re
        if (
            prt is not None
            and len(seg) > 1
            and not seg[0].cap
            and prt.match(first)
            and first not in self._not_verbs
            and seg[1].low in p.prepositions | p.time_preps | p.agent_markers
        ):
            return True  # "X, interviewed at the harbour, said": a participle aside
        return all(t.low in p.org_words or t.text.isdigit() for t in seg)

    def _cited(self, seg: list[Tok]) -> list[SourceRef]:
        """'citing the Courier's report, which quoted two executives': the cited sources."""
        p = self.p
        start = seg[1].start if len(seg) > 1 and seg[0].low in p.relatives else seg[0].start
        cues = [m for m in self.cues_in(seg[0].start, seg[-1].end) if m.cue.shape is Shape.CITING]
        if not cues or cues[0].s != start:
            return []
        out: list[SourceRef] = []
        for n, m in enumerate(cues):
            self.consumed.add(m.s)
            stop = cues[n + 1].s if n + 1 < len(cues) else seg[-1].end
            toks = [t for t in seg if m.e <= t.start and t.end <= stop]
            while toks and toks[-1].low in p.relatives:
                toks.pop()
            if toks:
                out.append(self._finish(toks))
        return out

    def _span(self, toks: list[Tok]) -> str:
        return self.text[toks[0].start : toks[-1].end]

    def _finish(self, toks: list[Tok], role: str | None = None) -> SourceRef:
        """A source phrase; 'council chair Miriam Okafor' -> name 'Miriam Okafor', role
        'council chair'; 'Energy Minister Carla Mendes' -> 'Carla Mendes', 'Energy Minister'
        (a pre-nominal role phrase before a personal name)."""
        p = self.p
        while len(toks) > 1 and is_degree(toks[-1].text):
            toks = toks[:-1]  # "dr. Rina Susanti Sp.A": the degree is no part of the name
        src = SourceRef(toks[0].start, toks[-1].end, self._span(toks), role=role)
        k = len(toks)
        while k > 0 and toks[k - 1].cap:
            k -= 1
        split = name_start([t.text for t in toks], self.cp)
        if split is not None:
            k = split
        elif k == 0 and len(toks) > 2 and toks[0].low in self._outlet_nouns:
            k = 1  # "Koran Suara Tepian": the outlet is "Suara Tepian"
        run, pre = toks[k:], toks[:k]
        outlet_prefix = len(pre) == 1 and pre[0].low in self._outlet_nouns and len(run) >= 2
        if (
            pre
            and (len(run) >= 2 or split is not None)
            and pre[-1].low not in p.nonfinal_words
            and (
                outlet_prefix
                or split is not None
                or not pre[-1].cap
                or pre[-1].low in p.titles
                or pre[-1].low in p.role_words
            )
            and not all(t.low in p.determiners for t in pre)
        ):
            while pre and pre[0].low in p.determiners:
                pre = pre[1:]
            src.name = self._span(run)
            while pre and pre[-1].low in p.honorifics:
                pre = pre[:-1]  # "Mr. Trump", "Kepala Dinas X dr Sinta": no part of a role
            if pre and not outlet_prefix:
                own = self._span(pre)
                if self.text[pre[-1].end : pre[-1].end + 1] == ".":
                    own += "."  # "Rep.", "Gov.": keep the abbreviation's dot
                if role is None or len(role) < len(own):
                    src.role = role or own
        return src

    def np_after(self, pos: int, hi: int, *, stop_at_tail: bool = True) -> SourceRef | None:
        """The phrase starting at ``pos`` (after 'kata', 'according to'), with a role
        appositive on either side: 'kata Kepala X, Rudi Hartanto,' / 'said Smith, a spokesman'."""
        toks = [t for t in self.words(self.text, pos, hi) if self.quote_at(t.start) is None]
        if not toks or any(c in QUOTE_MARKS or c in ",;:" for c in self._gap(pos, toks[0].start)):
            return None
        p = self.p
        vre = self.cp.verb_re
        segs: list[list[Tok]] = []
        cur: list[Tok] = []
        prev_end = pos
        for t in toks:
            if cur and self._brk(prev_end, t.start):
                segs.append(cur)
                cur = []
                if len(segs) == 3 or "," not in self._gap(prev_end, t.start):
                    break
            if t.low in p.complementizers:
                break
            if (
                t.low in p.clause_breakers
                and cur
                and not (
                    t.low in ("dan", "and", "&") and cur[-1].cap  # "Kamar Dagang dan Industri"
                )
            ):
                break
            if (
                cur
                and stop_at_tail
                and t.low in p.tail_words
                and not t.cap
                and cur[-1].low not in p.prepositions
                and cur[-1].low not in p.glue_words  # "a person close to the Clintons"
            ):  # "a memo seen by reporters"
                break
            if (
                cur
                and cur[-1].cap
                and not t.cap
                and t.low not in p.nonfinal_words
                and not cur[-1].low.endswith(("'s", "’s"))
                and not t.text[0].isdigit()
                and t.low not in p.honorifics | p.titles  # "Kota Rawa dr Sinta Dewi"
                and t.low not in self.cp.speaker_lex  # "said Huckabee campaign spokesman X"
                and (p.head_initial or (vre is not None and vre.match(t.low)))
            ):
                break  # "kata Wisnu Yuas dihubungi dari ...": the name ends at a verb
            if cur and t.low in p.relatives:
                break  # "said Mr. Nevins who ...": the relative clause is no part of it
            cur.append(t)
            prev_end = t.end
            if len(cur) >= _MAX_SOURCE_WORDS + 4:
                break
        if cur and len(segs) < 3:
            segs.append(cur)
        if not segs:
            return None
        while segs and segs[-1][-1].low in p.clause_breakers:
            segs[-1].pop()
            if not segs[-1]:
                segs.pop()
        if not segs:
            return None
        first = segs[0]
        second = segs[1] if len(segs) > 1 else None
        titled_name = name_start([t.text for t in first], self.cp) is not None
        if (
            second is not None
            and (first[0].low in p.role_words | p.titles)
            and not titled_name  # "said Senator Joe Donnelly, Democrat of Indiana"
            and self._name_like(second)
            and not self._circumstantial(second)
        ):
            name = second
            if len(segs) > 2 and self._name_like(segs[2]) and not self._circumstantial(segs[2]):
                name = segs[2]  # "Kepala Puskesmas X, Jakarta Utara, Edison S": the last name
            return self._finish(name, role=self._span(first))
        if (
            second is not None
            and second[0].low in p.role_words | p.titles
            and second[0].low not in p.relatives
            and len(second) <= 12
        ):
            return self._finish(first, role=self._span(second))
        if (
            second is not None
            and self._name_like(first)
            and len(second) <= 6
            and not second[0].cap
            and second[0].start not in self._cue_start_set
            and not any(
                t.low in p.tail_words | p.prepositions | p.complementizers | p.clause_breakers
                or t.low in p.relatives
                for t in second[:1]
            )
            and not self._clause_like(second)
        ):
            return self._finish(first, role=self._span(second))  # "kata Siti, pedagang di X"
        return self._finish(first)

    def _role_name_after(self, pos: int, hi: int) -> tuple[SourceRef, int] | None:
        """'according to a spokesman for the port, Jane Roe, C' / 'menurut rekan Yudi di X,
        Maya Anggraini, C': a role phrase, then the name in commas -> (source, content start)."""
        toks = [
            t
            for t in self.words(self.text, pos, min(hi, pos + 400))
            if self.quote_at(t.start) is None
        ]
        if not toks or has_boundary(self._gap(pos, toks[0].start)):
            return None
        segs: list[list[Tok]] = []
        cur: list[Tok] = [toks[0]]
        for t in toks[1:]:
            if self._brk(cur[-1].end, t.start):
                segs.append(cur)
                cur = []
                if len(segs) == 2:
                    break
            cur.append(t)
        if len(segs) < 2:
            return None
        role, name = segs
        p = self.p
        if "," not in self._gap(role[-1].end, name[0].start):
            return None
        if (
            not 1 <= len(role) <= 10
            or self._name_like(role)
            or not (not role[0].cap or role[0].low in p.role_words | p.titles)
            or any(t.low in p.complementizers or t.end in self._cue_end_set for t in role)
        ):
            return None
        lex = self.cp.role_lex | p.org_words | p.outlet_words | p.stopwords
        if (
            not self._name_like(name)
            or self._circumstantial(name)
            or len(name) > 4
            or any(not t.cap or t.low in lex for t in name)
        ):
            return None  # the name must look personal: no role, place or body words
        after = self.text[name[-1].end : hi]
        m = re.match(r"\s*,", after)
        if not m or len(self.words(self.text, name[-1].end + m.end(), hi)) < 3:
            return None
        return self._finish(name, role=self._span(role)), name[-1].end + m.end()

    def subject(self, u: Unit, hi: int) -> SourceRef | None:
        """The clause subject (for 'dengan mengatakan' / ', saying'): first non-adverbial NP."""
        toks = self.words(self.text, u.start, hi)
        p = self.p
        i = 0
        while i < len(toks):
            # skip a fronted adverbial segment up to its comma
            if toks[i].low in p.adverbial_openers:
                j = i
                while j + 1 < len(toks) and not has_boundary(
                    self._gap(toks[j].end, toks[j + 1].start)
                ):
                    j += 1
                if j + 1 >= len(toks):
                    return None
                i = j + 1
                continue
            break
        taken: list[Tok] = []
        while i < len(toks) and len(taken) < 6:
            t = toks[i]
            if taken and has_boundary(self._gap(taken[-1].end, t.start)):
                break
            if not (
                t.cap
                or t.low in p.determiners
                or t.low in p.group_words
                or t.low in p.person_pronouns
                or t.low in p.plural_pronouns
                or (taken and t.low in ("of", "dari"))
            ):
                break
            taken.append(t)
            i += 1
        while taken and taken[-1].low in ("of", "dari"):
            taken.pop()
        if not taken:
            return None
        return SourceRef(
            taken[0].start, taken[-1].end, self.text[taken[0].start : taken[-1].end], subject=True
        )

    # ---- right side of a cue -------------------------------------------------------------
    def _skip_addressee(self, cue: Cue, pos: int, hi: int) -> tuple[int, str | None]:
        """Skip 'kepada X' / 'told X' after a cue; returns the new position and X."""
        t = self.text
        toks = [k for k in self.words(t, pos, min(hi, pos + 120))]
        if not toks or has_boundary(self._gap(pos, toks[0].start)):
            return pos, None
        p = self.p
        first = toks[0]
        if first.low in p.addressee_markers:
            body = toks[1:]
        elif cue.phrase.split()[-1].lower() in p.addressee_verbs:
            body = toks
        else:
            return pos, None
        taken: list[Tok] = []
        for k in body:
            if taken and has_boundary(self._gap(taken[-1].end, k.start)):
                break
            if k.low in p.complementizers or (
                taken and (k.low in p.tail_words or k.low in p.clause_breakers) and not k.cap
            ):
                break  # "told reporters as she left", "told staff in an email"
            taken.append(k)
            if len(taken) >= 5:
                break
        if not taken:
            return pos, None
        end = taken[-1].end
        while len(taken) > 1 and taken[0].low in p.determiners:
            taken = taken[1:]
        return end, t[taken[0].start : taken[-1].end]

    def _skip_parenthetical(self, pos: int, hi: int) -> tuple[int, tuple[int, int] | None]:
        """Skip '– citing X –' or ', citing X,' between a cue and its content."""
        t = self.text
        m = re.match(r"\s*([–—]|-\s|,)", t[pos:hi])
        if not m:
            return pos, None
        opener = m.group(1).strip()
        start = pos + m.end()
        closer = {"–": "–", "—": "—", "-": " -", ",": ","}[opener[0]]
        end = t.find(closer, start, hi)
        if end < 0 or end - start > 200:
            return pos, None
        return end + len(closer), (start, end)

    def _tail_only(
        self, pos: int, hi: int, cue: Cue | None = None, *, quoted_left: bool = False
    ) -> bool:
        """Nothing but a short tail (addressee, time, place) after a clause-final cue
        (``quoted_left``: a quotation before the cue, so any stretch without a clause or a
        quotation of its own is a tail: '“...,” he said outside the building.')."""
        if cue is not None:
            pos = self._skip_addressee(cue, pos, hi)[0]
        rest = self.text[pos:hi]
        if not rest.strip(' \t\r\n.!?"”’»'):
            return True
        toks = self.words(self.text, pos, hi)
        if not toks:
            return True
        p = self.p
        if rest.lstrip().startswith(","):
            # "..., X said, adding that ...": another attribution follows; "X said, C": content
            after = pos + len(rest) - len(rest.lstrip()) + 1
            nxt = self.words(self.text, after, hi)[:1]
            if (
                nxt
                and (nxt[0].low in p.aside_openers or nxt[0].low in p.coordinators)
                and not nxt[0].cap
            ):
                # "“...,” X said, as the crowd cheered" / ", and her husband cut in": a
                # circumstance or a new clause, never what was said
                return True
            suf = p.participle_suffix
            if (
                nxt
                and suf
                and not nxt[0].cap
                and nxt[0].low.endswith(suf)
                and not self.cues_in(nxt[0].start, nxt[0].end)
            ):
                return True  # "..., she added, underscoring the appeal of X": a new clause
            if nxt and nxt[0].low in p.prepositions and not nxt[0].cap:
                # '“...,” she said, in an implicit caution to X': a circumstance, unless a
                # clause follows ('said, in a statement, that the deal was off')
                vre = self.cp.verb_re
                return not any(
                    t.low in p.complementizers or (vre is not None and vre.match(t.low))
                    for t in self.words(self.text, nxt[0].start, hi)
                ) and QUOTE_MARKS.isdisjoint(self.text[nxt[0].start : hi])
            follow = self.cues_in(nxt[0].start, hi)[:1] if nxt else []
            return (
                bool(follow)
                and follow[0].s == nxt[0].start
                and follow[0].cue.shape is not Shape.CITING
            )  # ", citing X, that ..." is content
        if rest.lstrip()[:1] in ":" or rest.lstrip()[:1] in QUOTE_MARKS:
            return False
        if any(k.low in p.complementizers for k in toks):
            return False
        vre = self.cp.verb_re
        if vre is not None and any(
            vre.match(k.low)
            and not k.cap
            and (k.low not in self._not_verbs or k.low in p.fillers)
            and not (n and toks[n - 1].low in p.aside_openers)
            for n, k in enumerate(toks)
        ):
            return False  # "said night shifts were short": a clause, not a tail
        # "said during a hearing in X after the primary": circumstances only
        return toks[0].low in p.tail_words | p.addressee_markers or (
            quoted_left and QUOTE_MARKS.isdisjoint(rest) and not toks[0].cap
        )

    # ---- the unit ------------------------------------------------------------------------
    def attribute(self, idx: int, u: Unit) -> list[RawClaim]:
        """All attributions of one unit, in textual order."""
        claims: list[RawClaim] = []
        hl = self._headline(idx, u)
        if hl:
            hl.shape = "headline"
            return [hl]
        found = [
            m
            for m in self.cues_in(u.start, u.end)
            if self.quote_at(m.s) is None
            # "Secretary of State Clinton": a capitalized cue word inside a sentence is a name
            and not (m.group()[0].isupper() and not self._at_start(u, m.s))
        ]
        comp = self.cp.complementizer_re
        found = [
            m
            for m in found
            # a weak cue ("shows", "found") needs a complementizer soon after it, or to close
            # its clause ("..., a survey of 40 agents found.")
            if not (
                m.cue.needs_that
                and not comp.search(self.text, m.e, min(u.end, m.e + 250))
                and self.text.count(" ", m.e, u.end) > _TAIL_WORDS
            )
            and not self._noun_use(m)
        ]
        citing = [m for m in found if m.cue.shape is Shape.CITING]
        last_cue = -_CUE_SPACING
        for m in found:
            if m.cue.shape is Shape.CITING or m.s in self.consumed:
                continue
            if m.cue.shape is Shape.ACCORDING and claims:
                last = claims[-1]
                src_end = last.source.end if last.source else -1
                if last.source is not None and 0 <= m.s - src_end <= 3 and not last.headline:
                    ref = self.np_after(m.e, u.end)  # "..., kata sumber, menurut WSJ": a hop
                    if ref is not None:
                        last.via.append(ref)
                    continue
            near = u
            if u.end - u.start > 2 * _WINDOW:
                if m.s - last_cue < _CUE_SPACING:
                    continue  # "said said said ...": no statement fits between two cues
                last_cue = m.e
                # a "sentence" of many kilobytes (text without sentence ends): each cue looks
                # only at its neighbourhood, so the work per cue stays bounded
                near = Unit(max(u.start, m.s - _WINDOW), min(u.end, m.e + _WINDOW), u.para, False)
            claim = self._one(idx, near, m.s, m.e, m.group(), m.cue, claims)
            # (two cues finding one statement are neighbours: the last few claims suffice)
            if claim is None or any(_same(c, claim) for c in claims[-_SAME_REACH:]):
                continue
            claim.belief = m.cue.shape is Shape.FORWARD and not m.cue.needs_that
            claim.shape = m.cue.shape.value
            claim.fronted = m.cue.shape is Shape.ACCORDING and claim.start > m.s
            if claim.source is not None and claim.source.chain:
                # "X, citing Y, which quoted Z, said": Z speaks, via [Y, X] (outermost last)
                chain = claim.source.chain
                outer = SourceRef(
                    claim.source.start,
                    claim.source.end,
                    claim.source.text,
                    claim.source.role,
                    name=claim.source.name,
                )
                claim.via = [*reversed(chain[:-1]), outer, *claim.via]
                claim.source = chain[-1]
            claims.append(claim)
        for m in citing:  # ", citing X" after a report, or "Citing X, the paper said"
            if m.s in self.consumed or not claims:
                continue
            ref = self.np_after(m.e, u.end, stop_at_tail=False)
            before = [c for c in claims if c.cue_start < m.s]
            host = before[-1] if before else claims[0]
            if ref is not None and host.source is not None:
                host.via.insert(0, host.source)
                host.source = ref
        # "X denied that her ministry had promised C": the nested "promise" is what X
        # denies, nobody's assertion; it stays inside the denial's content only
        claims = [
            c
            for n, c in enumerate(claims)
            if not any(
                d is not c
                and d.stance == "denies"
                and d.start <= c.cue_start < d.end
                and c.source is not None
                and d.start <= c.source.start
                and not c.direct
                for d in claims[max(0, n - _SAME_REACH) : n + _SAME_REACH]
            )
        ]
        # "A spokesman said the government supported X": a stance verb inside reported
        # content is what the speaker reports, not a new claim with its own chain
        claims = [
            c
            for n, c in enumerate(claims)
            if not (
                c.belief
                and not c.direct
                and any(
                    d is not c
                    and d.start <= c.cue_start < d.end
                    and (c.source is None or d.start <= c.source.start)
                    for d in claims[max(0, n - _SAME_REACH) : n + _SAME_REACH]
                )
            )
        ]
        claims = self._fronted_hops(claims)
        self._continued_quotes(idx, u, claims)
        if not claims and self.quoted_share(u.start, u.end) >= 0.6:
            lo, hi = self.trim(u.start, u.end)
            if hi - lo > 3:
                q = self.quote_at(lo)
                claims.append(
                    RawClaim(
                        lo,
                        hi,
                        idx,
                        None,
                        None,
                        lo,
                        direct=True,
                        inherit=True,
                        shape="bare",
                        continued=bool(q and q.continued),
                    )
                )
        return claims

    def _fronted_hops(self, claims: list[RawClaim]) -> list[RawClaim]:
        """'Seperti dikutip dari Z, X mengatakan C' / 'According to Z, X said C': when the
        fronted content is itself an attribution, Z is only a hop on X's claim."""
        drop: list[RawClaim] = []
        for c in claims:
            if not c.fronted or c.source is None:
                continue
            inner = [
                d
                for d in claims
                if d is not c
                and d.source is not None
                and not d.source.clitic
                and c.start <= d.source.start
                and d.cue_start < c.end
                and (
                    not self.words(self.text, c.start, d.source.start)
                    # "..., Kepala Puskesmas X, dr. Budi, mengatakan": the role comes first
                    or (
                        d.source.role is not None
                        and self.text[c.start : d.source.start].strip(_TRIM_RIGHT) == d.source.role
                    )
                )
            ]
            if inner:
                hop = c.source
                if hop.role is not None and c.start <= self.text.find(hop.role, hop.end) < c.end:
                    # the role read after the hop's name belongs to the inner speaker
                    hop = SourceRef(hop.start, hop.end, hop.text, name=hop.name)
                for d in inner:
                    d.via = [hop, *c.via, *d.via]
                drop.append(c)
        return [c for c in claims if all(c is not d for d in drop)]

    def _noun_use(self, m: CueMatch) -> bool:
        """'the report', "the Courier's report", 'his claims': a cue word used as a noun."""
        prev = self.words(self.text, max(0, m.s - 30), m.s)[-1:]
        if not prev or self._brk(prev[0].end, m.s):
            return False
        w = prev[0].low
        return (w in self.p.determiners and w not in self.p.person_pronouns) or w.endswith(
            ("'s", "’s", "s'", "s’")
        )

    def _left_is_source(self, lo: int, cs: int) -> bool:
        """'Bupati X, Andi Saputra, mengatakan ...': the text before the cue is only the
        speaker's name and role, so this is no 'C, said X' inversion."""
        toks = [t for t in self.words(self.text, lo, cs) if self.quote_at(t.start) is None]
        if not toks or self.quoted_share(lo, cs) > 0.2:
            return False
        segs = self._segments(toks, cs, 5)
        # "Sejumlah orang tua, yang enggan disebut namanya, mengeluhkan": asides do not count
        core = [
            s
            for n, s in enumerate(segs)
            if n == len(segs) - 1 or not (s[0].low in self.p.relatives or self._circumstantial(s))
        ]
        if len(core) < len(segs) and len(core) == 1 and self._bare_subject(core[0], loose=True):
            return True
        if (
            len(segs) >= 2
            and self._name_like(segs[0])
            and segs[1][0].low in self.p.role_words | self.p.titles
            and len(segs[1]) <= 8
        ):
            return True  # "..., Kepala Desa Air Manis, Tono Wibisono, mengatakan"
        return len(core) <= 2 and any(self._name_like(s) for s in core)

    def _continued_quotes(self, idx: int, u: Unit, claims: list[RawClaim]) -> None:
        """'“A,” kata X, “B.”': quotes of the unit that no claim covers continue the quote
        attributed before them."""
        if len(claims) > _MANY_CLAIMS:
            return  # a pathological "sentence" (kilobytes, no sentence end): skip the join
        k = max(0, bisect_right(self._qstarts, u.start) - 1)
        for q in self.quotes[k:]:
            if q.start >= u.end:
                break
            if q.start < u.start or any(
                c.start < q.inner_end and q.inner_start < c.end for c in claims
            ):
                continue
            hosts = [
                c
                for c in claims
                if c.direct
                and c.source is not None
                and (c.source.end <= q.start or q.end <= c.source.start)
            ]
            if not hosts:
                continue
            host = min(hosts, key=lambda c: abs(c.source.start - q.start) if c.source else 0)
            lo, hi = self.trim(q.inner_start, q.inner_end)
            if (
                len(self.words(self.text, lo, hi)) < _MIN_QUOTE_WORDS
                and self.text[hi : hi + 1] not in ".!?"
            ):
                continue  # 'whose book features “rebellious” voices': a word in quotes
            if hi - lo > 3:
                claims.append(
                    RawClaim(
                        lo,
                        hi,
                        idx,
                        host.source,
                        host.cue,
                        -1,
                        host.stance,
                        host.told_to,
                        list(host.via),
                        True,
                        shape=host.shape,
                    )
                )
                claims.sort(key=lambda c: c.start)

    def _at_start(self, u: Unit, pos: int) -> bool:
        """True when only quote marks, brackets or a comma-free prefix precede pos."""
        head = self.text[u.start : pos]
        if not head.strip(' \t\r\n"“”‘’«»([—–-'):
            return True
        toks = self.words(self.text, u.start, u.end)
        return len(toks) >= 3 and sum(t.cap for t in toks) >= 0.7 * len(toks)  # title case

    def _in_list(self, lo: int, hi: int) -> bool:
        """A line in a block of 'Label: value' lines (a table of players, results, a
        schedule), or right after a line ending in ':' ('Squad:', 'Perolehan suara:'): data,
        never speech."""
        t = self.text
        prev_end = t.rfind("\n", 0, lo)
        prev_line = t[t.rfind("\n", 0, max(0, prev_end)) + 1 : prev_end] if prev_end > 0 else ""
        nxt_end = t.find("\n", hi + 1)
        next_line = (
            t[hi + 1 : nxt_end if nxt_end >= 0 else len(t)] if t[hi : hi + 1] == "\n" else ""
        )
        if prev_line.rstrip().endswith(":"):
            return True
        return any(_LIST_LINE_RE.match(line.strip()) for line in (prev_line, next_line) if line)

    def _headline(self, idx: int, u: Unit) -> RawClaim | None:
        """A headline attribution on a line of its own: 'Claim: WSJ' or 'Trump: claim'."""
        t = self.text
        if not u.line_start or "\n" in t[u.start : u.end]:
            return None
        nl = t.find("\n", u.end)
        if t[u.end : nl if nl >= 0 else len(t)].strip():
            return None
        pre = _PREFIX_RE.match(t, u.start, u.end)
        if pre:
            src_toks = self.words(t, u.start, pre.end(1))
            body = self.words(t, pre.end(), u.end)
            if (
                1 <= len(src_toks) <= 4
                and sum(1 for w in body if not w.text[0].isdigit()) >= 3
                and not self._in_list(u.start, u.end)
                and src_toks[0].cap
                and not all(t.text.isupper() for t in src_toks)  # "UPDATE:", "SIMAK JUGA:"
                and not any(t.low in self.p.headline_labels for t in src_toks)
            ):
                s, e = src_toks[0].start, src_toks[-1].end
                lo, hi = self.trim(pre.end(), u.end)
                return RawClaim(lo, hi, idx, SourceRef(s, e, t[s:e]), None, u.start, headline=True)
        if t[u.end - 1] in ".!?":
            return None
        m = _HEADLINE_RE.search(t, u.start, u.end)
        if not m:
            return None
        src_toks = self.words(t, m.start(1), m.end(1))
        if not (1 <= len(src_toks) <= 4) or not (
            src_toks[0].cap or _DOMAIN_RE.match(m.group(1).strip())
        ):
            return None
        lo, hi = self.trim(u.start, m.start())
        if len(self.words(t, lo, hi)) < 3:
            return None
        s, e = src_toks[0].start, src_toks[-1].end
        return RawClaim(lo, hi, idx, SourceRef(s, e, t[s:e]), None, m.start(), headline=True)

    def _one(
        self, idx: int, u: Unit, cs: int, ce: int, matched: str, cue: Cue, prior: list[RawClaim]
    ) -> RawClaim | None:
        t = self.text
        lo = u.start
        for c in prior[-_SAME_REACH:]:  # after a clause-final attribution ("“A,” kata X. ..."),
            if c.end <= c.cue_start <= cs:  # start anew (only the nearest ones can matter)
                lo = max(
                    lo, c.source.end if c.source is not None and c.source.end <= cs else c.cue_start
                )
        gap_before = t[max(u.start, cs - 4) : cs]
        after_comma = bool(_AFTER_COMMA_RE.search(gap_before)) or bool(
            _AFTER_COMMA_RE.search(t[u.start : cs].rstrip())
            and not self.words(t, max(u.start, cs - 2), cs)
        )
        content_words = self.words(t, lo, cs)
        stance = cue.stance
        p = self.p

        if cue.shape is Shape.ACCORDING:
            appo = self._role_name_after(ce, u.end)
            if appo is not None:  # "menurut rekan Yudi di X, Maya Anggraini, C"
                a, b = self.trim(appo[1], u.end)
                return self._make(idx, a, b, appo[0], matched, cs, stance, check=False)
            src = self._clitic(cs, ce, matched) or self.np_after(ce, u.end)
            if src is None or src.text.lower() in p.not_sources:
                return None  # "menurut rencana", "according to plan": no speaker
            after = src.end
            m = re.match(r"\s*,", t[after : u.end])
            left_words = [w for w in self.words(t, lo, cs) if w.low not in p.adverbial_openers]
            if m and len(self.words(t, after + m.end(), u.end)) >= 3:
                a, b = self.trim(after + m.end(), u.end)
            elif len(left_words) >= 3:
                a, b = self._drop_opener(*self.trim(lo, cs))
            else:
                return None
            return self._make(idx, a, b, src, matched, cs, stance, check=False)

        if cue.shape is Shape.FINAL:
            if not after_comma or len(content_words) < 2:
                return None
            src = self._clitic(cs, ce, matched) or self.np_after(ce, u.end)
            if src is None:
                return None
            a, b = self._drop_opener(*self.trim(lo, cs))
            told = self._told_after(cue, src.end, u)
            rest = self._resumed(max(src.end, ce), u.end, clause=True)
            if rest is not None and self.quoted_share(a, b) < 0.5:
                # "Berdasarkan data sementara, kata Hadi, dua papan reklame akan roboh": the
                # fronted phrase and the clause after the attribution are one statement
                b = rest
                if src.role is not None and self.text.find(src.role, src.end, rest) >= 0:
                    src.role = None  # (the clause is no appositive of the speaker)
            return self._make(idx, a, b, src, matched, cs, stance, told=told)

        if cue.shape is Shape.NOCONTENT:
            coord = self._coordinated(u, cs, prior)
            if coord is not None:
                # "X said C but declined to comment on D": a second predicate of X
                host, cut = coord
                _, told = self._skip_addressee(cue, ce, u.end)
                a, b = self.trim(cs, u.end)
                made = self._make(idx, a, b, host.source, matched, cs, stance, told=told)
                if made is not None:
                    made.via = list(host.via)
                    host.end = max(host.start + 1, self.trim(host.start, cut)[1])
                return made
            src = self.np_before(lo, cs)
            if src is None:
                return None
            _, told = self._skip_addressee(cue, ce, u.end)
            a, b = self.trim(src.start, u.end)
            return self._make(idx, a, b, src, matched, cs, stance, told=told)

        # VERB / FORWARD
        prev = self._prev_word(u.start, cs)
        if prev in p.passive_auxiliaries and not first_is_present(matched, p.participle_suffix):
            # "I was told that C", "when asked about X": the subject heard it, said nothing;
            # "was told by X that C" names the speaker after "by"
            return self._passive(idx, u, cs, ce, matched, cue)
        before = self.words(t, max(lo, cs - 60), cs)
        if (
            prev in p.aside_openers
            and not first_is_present(matched, p.participle_suffix)
            and (len(before) == 1 or self._brk(before[-2].end, before[-1].start))
        ):
            return None  # "When asked about her weaknesses, they ...": no one speaks here
        coord = self._coordinated(u, cs, prior)
        host_src = coord[0].source if coord is not None else None
        if coord is not None and host_src is not None:
            # "Prosecutors argued that C, and said D": a second predicate of the same speaker
            host, cut = coord
            made = self._forward(idx, u, cs, ce, matched, cue, host_src, strict=True)
            if made is not None:
                made.via = [*made.via, *host.via]
                host.end = max(host.start + 1, self.trim(host.start, cut)[1])
                return made
        first_word = matched.split()[0].lower()
        participle = (
            p.participle_suffix is not None
            and first_word.endswith(p.participle_suffix)
            and after_comma
        ) or self._prev_word(u.start, cs) in p.participle_markers
        if participle:
            src = prior[-1].source if prior and prior[-1].source else self.subject(u, cs)
            if src is None:
                return None
            return self._forward(idx, u, cs, ce, matched, cue, src, strict=True)

        # "C, said X" (inverted) unless a tail follows: then "C, X, role, said to Y"
        if (
            cue.shape is Shape.VERB
            and after_comma
            and len(content_words) >= 2
            and not self._tail_only(ce, u.end, cue)
        ):
            src = self.np_after(ce, u.end)
            if src is not None:
                follow = self.text[src.end : u.end].lstrip(" \t)")
                if follow[:1] not in ("", ",", ".", ";", "!", "?", *QUOTE_MARKS):
                    src = None  # "..., said the company had ...": no inverted speaker here
            left_ok = (
                self.quoted_share(lo, cs) >= 0.3 or len(content_words) >= 4
            ) and not self._left_is_source(lo, cs)
            if src is not None and left_ok and src.text.split()[0].lower() not in p.complementizers:
                a, b = self._drop_opener(*self.trim(lo, cs))
                made = self._make(
                    idx, a, b, src, matched, cs, stance, told=self._told_after(cue, src.end, u)
                )
                if made is not None:
                    return made
        final_ok = cue.shape is Shape.VERB and not cue.needs_that
        # a quotation, then its speaker, then the cue: what follows is a tail ("“...,” he
        # said outside the building"); with nothing between quote and cue, "said X" inverts
        quoted_left = self.quoted_share(lo, cs) >= 0.5 and any(
            self.quote_at(w.start) is None for w in self.words(t, max(lo, cs - 80), cs)
        )
        if (final_ok or cue.needs_that) and self._tail_only(
            ce, u.end, cue, quoted_left=quoted_left
        ):
            src = self.np_before(lo, cs)
            if src is None:
                return None
            if not final_ok and not re.search(r",\s*$", t[lo : src.start]):
                return None  # "..., a poll of 30 economists showed.": only after a comma
            a, b = self.trim(lo, src.start)
            if len(self.words(t, a, b)) >= 2:
                _, told = self._skip_addressee(cue, ce, u.end)
                return self._make(idx, a, b, src, matched, cs, stance, told=told)
            # nothing before the speaker: what follows the cue is the content after all
            return self._forward(
                idx, u, cs, ce, matched, cue, src, strict=cue.shape is Shape.FORWARD
            )
        src = self.np_before(lo, cs)
        if src is None:
            return None
        made = self._forward(idx, u, cs, ce, matched, cue, src, strict=cue.shape is Shape.FORWARD)
        if made is not None and not made.comp and re.match(r"\s*,", t[ce : made.start]):
            # "Because of rising fuel costs, a spokesman said, routes would be cut": the
            # phrase fronted before a parenthetical attribution belongs to the statement
            left = self._drop_opener(*self.trim(lo, src.start))
            if (
                left[1] > left[0]
                and re.search(r",\s*$", t[left[1] : src.start])
                and self.quoted_share(*left) == 0
                and not any(c.start < src.start and c.end > lo for c in prior)
            ):
                made.start = left[0]
        return made

    def _forward(
        self,
        idx: int,
        u: Unit,
        cs: int,
        ce: int,
        matched: str,
        cue: Cue,
        src: SourceRef,
        *,
        strict: bool,
    ) -> RawClaim | None:
        """'X cue [to Y] [– citing Z –] [that] C': content after the cue."""
        t = self.text
        pos, told = self._skip_addressee(cue, ce, u.end)
        pos2, paren = self._skip_parenthetical(pos, u.end)
        via_src: SourceRef | None = None
        if paren is not None:
            found = self.cues_in(paren[0], paren[1])
            inner = found[0] if found else None
            if inner is not None and inner.cue.shape is Shape.CITING:
                via_src = self.np_after(inner.end(), paren[1], stop_at_tail=False)
                pos = pos2
        toks = self.words(t, pos, min(u.end, pos + 400))
        comp = False
        opens_quote = bool(toks) and self.quote_at(toks[0].start) is not None
        # '..., Obama said, "is that their concern ...": a quotation is the content as it is
        for n, k in enumerate(toks[: 0 if opens_quote else _MAX_LEAD]):
            if k.low in self.p.complementizers:
                lead = toks[:n]
                pp = (  # "said on a call with analysts that": a prepositional aside
                    bool(lead)
                    and lead[0].low in self.p.prepositions | self.p.time_preps
                    and not any(x.low in self.p.clause_breakers for x in lead)
                    and not has_boundary(self._gap(pos, k.start).replace(",", ""))
                )
                if (
                    (cue.stance in ("denies", "accuses") and n < 6)
                    or pp
                    or all(
                        x.cap or x.low in self.p.tail_words or x.low in self.p.fillers for x in lead
                    )
                    or self._adjuncts(lead, pos, k.start)
                ):
                    pos = k.end
                    comp = True
                break
        if cue.needs_that and not comp:
            return None
        if not comp and not opens_quote:
            pos = self._skip_time(toks, pos, u.end)
        rest = t[pos : u.end].lstrip()
        if rest.startswith(":"):
            pos = t.index(":", pos) + 1
        hi = self._content_end(pos, u.end)
        a, b = self.trim(pos, hi)
        n = len(self.words(t, a, b))
        if cue.stance in ("denies", "accuses") and not comp and n >= 1:
            # "X membantah tuduhan itu", "X denied the allegations", "X accused Y of Z": the
            # verb phrase is the claim (never the subject: the speaker is not content); a
            # denial of a proposition ("membantah telah menangkap ...") is just that
            obj = self.words(t, a, b)
            if cue.stance == "accuses" or n < 4 or not self._verbal(obj[0]):
                a, b = self.trim(cs, hi)
        elif n < 1 or (not strict and n < 2):
            return None
        claim = self._make(idx, a, b, src, matched, cs, cue.stance, told=told)
        if claim is not None:
            claim.comp = comp
        if claim is not None and via_src is not None:
            claim.via.insert(0, claim.source) if claim.source else None
            claim.source = via_src
        return claim

    def _adjunct_start(self, w: Tok) -> bool:
        """Can a circumstance (time, place, manner, 'after talks broke down') start here?"""
        p = self.p
        return (
            w.low in p.prepositions
            or w.low in p.time_preps
            or w.low in p.aside_openers
            or w.low in p.time_words
            or w.low in p.tail_words
            or w.low in p.fillers
            or bool(_DATE_RE.match(w.low))
        )

    def _adjuncts(self, lead: list[Tok], lo: int, hi: int) -> bool:
        """'said on Monday, after talks with the port broke down over pay, that C': every
        comma-separated piece between the cue and the complementizer is a circumstance, so
        the complementizer opens the reported clause."""
        if not lead or self.quoted_share(lo, hi) > 0:
            return False
        segs: list[list[Tok]] = [[lead[0]]]
        for prev, w in zip(lead, lead[1:], strict=False):
            if self._brk(prev.end, w.start):
                segs.append([w])
            else:
                segs[-1].append(w)
        return all(self._adjunct_start(seg[0]) and not seg[0].cap for seg in segs) and bool(
            re.search(r"[,–—]\s*$", self._gap(lead[-1].end, hi)) or len(segs) == 1
        )

    def _skip_time(self, toks: list[Tok], pos: int, hi: int) -> int:
        """'said on Monday night the tunnel would reopen': a time phrase right after the cue
        is no part of what was said; the clause after it is."""
        p = self.p
        n, end = 0, 0
        while n < len(toks) and n < 6:
            w = toks[n].low
            if n and self._brk(toks[n - 1].end, toks[n].start):
                break
            if w in p.time_words or _DATE_RE.match(w):
                end = n + 1
            elif not (w in p.time_preps or w in p.time_modifiers):
                break
            n += 1
        n = end
        first = toks[0].low if toks else ""
        if not (
            first in p.time_preps
            or first in p.time_modifiers
            or first in p.time_names
            or first in p.time_adverbs
        ):
            return pos  # "said night shifts were short": a noun, not a time phrase
        if n == 0 or n >= len(toks) - 1 or self.quote_at(toks[0].start) is not None:
            return pos
        rest = toks[n:]
        if rest[0].low in p.prepositions or rest[0].low in p.relatives:
            return pos  # "said in March of last year", "said Monday that": not a clause start
        gap = self._gap(toks[n - 1].end, rest[0].start)
        if has_boundary(gap) and "," not in gap:
            return pos
        return rest[0].start

    def _clause_like(self, toks: list[Tok]) -> bool:
        """Does this stretch read as a clause (a verb form or an auxiliary/modal), not as a
        noun phrase such as a speaker's role ('warga Blok C', 'a spokesman for X')?"""
        vre = self.cp.verb_re
        marks = self.p.clause_markers
        return any(
            not t.cap
            and (
                t.low in marks
                or (vre is not None and vre.match(t.low) and t.low not in self._not_verbs)
            )
            for t in toks
        )

    def _resumed(self, pos: int, hi: int, *, clause: bool) -> int | None:
        """'..., kata Hadi, C.': where the statement resumed after a parenthetical
        attribution ends, or None when nothing (or only a role or a tail) follows."""
        m = re.match(r"[ \t]*,[ \t]*", self.text[pos:hi])
        if not m:
            return None
        start = pos + m.end()
        toks = self.words(self.text, start, hi)
        if len(toks) < 3 or self.quote_at(toks[0].start) is not None:
            return None
        if toks[0].low in self.p.tail_words or toks[0].low in self.p.aside_openers:
            return None
        if self.cues_in(start, hi) and any(
            c.cue.shape is not Shape.HEDGE for c in self.cues_in(start, hi)
        ):
            return None  # another attribution follows: its own claim
        if clause and not self._clause_like(toks):
            return None
        return self.trim(start, self._content_end(start, hi))[1]

    def _passive(
        self, idx: int, u: Unit, cs: int, ce: int, matched: str, cue: Cue
    ) -> RawClaim | None:
        """'was told by the ministry that C': the agent after the marker is the speaker."""
        toks = self.words(self.text, ce, min(u.end, ce + 200))
        if not toks or toks[0].low not in self.p.agent_markers:
            return None
        src = self.np_after(toks[0].end, u.end)
        if src is None or not self.plausible(src):
            return None
        return self._forward(idx, u, cs, src.end, matched, cue, src, strict=True)

    def _coordinated(self, u: Unit, cs: int, prior: list[RawClaim]) -> tuple[RawClaim, int] | None:
        """'X said C but declined to comment': a no-content cue right after a coordinator,
        inside the content of an earlier claim of the unit -> (that claim, where C ends)."""
        prev = self.words(self.text, max(u.start, cs - 30), cs)[-1:]
        if not prev or prev[0].low not in self.p.coordinators:
            return None
        if self._brk(prev[0].end, cs) or self.quote_at(cs) is not None:
            return None
        for c in reversed(prior):
            if (
                c.start < prev[0].start
                and cs < c.end
                and c.source is not None
                and not c.direct
                and not c.belief
            ):
                return c, prev[0].start
        return None

    def _drop_opener(self, a: int, b: int) -> tuple[int, int]:
        """'But internal emails show ..., according to X': a sentence-initial connective
        ('But', 'However,', 'Namun,') links to the previous sentence; it is not content."""
        toks = self.words(self.text, a, min(b, a + 40))[:2]
        if len(toks) < 2 or self.quote_at(a) is not None:
            return a, b
        w, gap = toks[0].low, self._gap(toks[0].end, toks[1].start)
        p = self.p
        if w in p.coordinators or (w in p.adverbial_openers and gap.strip() == ","):
            return self.trim(toks[1].start, b)
        return a, b

    def _verbal(self, w: Tok) -> bool:
        """Does a denied object start with a verb phrase ('telah menangkap', 'taking bribes')
        rather than a noun phrase ('the allegations', 'deal with a firm')?"""
        p = self.p
        if w.cap or w.low in p.claim_nouns:
            return False
        if w.low in p.fillers:
            return True
        vre = self.cp.verb_re
        if vre is not None and vre.match(w.low) and w.low not in self._not_verbs:
            return True
        suf = p.participle_suffix
        return bool(suf and w.low.endswith(suf) and len(w.low) > len(suf) + 2)

    def _content_end(self, pos: int, hi: int) -> int:
        """Forward content stops before a trailing ', according to X' / ', kata X'."""
        for m in self.cues_in(pos, hi):
            if (
                m.cue.shape in (Shape.ACCORDING, Shape.CITING, Shape.FINAL)
                and self.quote_at(m.s) is None
                and re.search(r",\s*$", self.text[max(pos, m.s - 3) : m.s])
            ):
                return m.s
            suf = self.p.participle_suffix
            if (
                suf
                and m.cue.shape in (Shape.VERB, Shape.FORWARD)
                and m.group().split()[0].lower().endswith(suf)
                and self.quote_at(m.s) is None
                and re.search(r",\s*(?:and\s+)?$", self.text[max(pos, m.s - 8) : m.s])
            ):
                # "X defended the plan, arguing that C": the participle opens X's next
                # statement (its own claim); this one ends at the comma
                return self.text.rfind(",", pos, m.s)
            if m.cue.shape in (Shape.VERB, Shape.FORWARD) and self.quote_at(m.s) is None:
                # "denies deal with firm, documents suggest otherwise": a new clause with
                # its own speaker and cue ends the content at the comma
                comma = self.text.rfind(",", pos, m.s)
                subj = self.words(self.text, comma + 1, m.s) if comma >= 0 else []
                if subj and self._object_relative(subj):
                    return comma  # "C, a figure the union disputed": another voice on C
                if (
                    subj
                    and len(subj) <= 3
                    and not any(
                        t.low in self.p.clause_breakers
                        or t.low in self.p.complementizers
                        or t.low in self.p.relatives
                        for t in subj
                    )
                    and self._subject_like(subj)
                    and self._tail_only(m.e, hi) is False
                ):
                    return comma
        return hi

    def _subject_like(self, subj: list[Tok]) -> bool:
        p = self.p
        return subj[-1].cap or subj[-1].low in (
            p.group_words | p.org_words | p.anonymous_words | p.person_pronouns | p.plural_pronouns
        )

    def _told_after(self, cue: Cue, pos: int, u: Unit) -> str | None:
        return self._skip_addressee(cue, pos, u.end)[1]

    def _clitic(self, cs: int, ce: int, matched: str) -> SourceRef | None:
        """'katanya' / 'menurutnya': the -nya clitic is the source mention."""
        cl = self.p.clitic_pronoun
        if cl and matched.lower().endswith(cl) and len(matched) > len(cl) + 2:
            return SourceRef(ce - len(cl), ce, self.text[ce - len(cl) : ce], clitic=True)
        return None

    def _prev_word(self, lo: int, pos: int) -> str:
        toks = self.words(self.text, max(lo, pos - 40), pos)
        return toks[-1].low if toks else ""

    def plausible(self, src: SourceRef) -> bool:
        """Can this phrase name a speaker? Names, pronouns, anaphors, role/group nouns."""
        if src.clitic or src.subject:
            return True
        toks = self.words(self.text, src.start, src.end)
        if not toks:
            return False
        p = self.p
        if toks[0].low in p.clause_breakers or toks[0].low in p.complementizers:
            return False
        if any(k.cap for k in toks) or _DOMAIN_RE.match(src.text):
            return True
        if self.cp.anaphor_re.match(src.text) or (len(toks) > 1 and toks[0].low in p.determiners):
            return True
        if src.text.lower().startswith(p.partitives):
            return True
        lex = (
            p.person_pronouns
            | p.plural_pronouns
            | p.group_words
            | p.anonymous_words
            | p.role_words
            | p.titles
            | p.org_words
            | p.outlet_words
        ) - p.determiners
        if any(k.low in lex for k in toks) or self._speaker_noun(toks[-1].low):
            return True  # ("one commenter", "a developer")
        # "shippers say", "local growers said": a short plural head names a group
        suf = p.plural_suffix
        last = toks[-1].low
        return bool(
            suf
            and len(toks) <= 3
            and last.endswith(suf)
            and len(last) > len(suf) + 3
            and not last.endswith(suf * 2)
            and all(k.low not in p.clause_breakers | p.fillers | p.prepositions for k in toks)
        )

    def _make(
        self,
        idx: int,
        a: int,
        b: int,
        src: SourceRef | None,
        cue: str,
        cs: int,
        stance: Stance,
        told: str | None = None,
        *,
        check: bool = True,
    ) -> RawClaim | None:
        if b - a < 2:
            return None
        if check and src is not None and not self.plausible(src):
            return None
        if src is not None and src.role and self.text.find(src.role, a, b) >= 0:
            src.role = None  # "menurut Rudi, warga harus tenang": the content is no role
        # a quotation is direct; words of the reporter before a partial quote are not
        # ('accused the board of "hiding the losses"')
        lead = self.quote_at(a) is not None or self.text[a - 1 : a] in QUOTE_MARKS
        direct = lead and (self.quoted_share(a, b) >= 0.5 or self.quote_at(b - 1) is not None)
        q = self.quote_at(a)
        cont = bool(q and q.continued)
        cue_text = " ".join(cue.split())
        if told:
            marker = next(iter(sorted(self.p.addressee_markers)), "")
            tail = self.text[cs + len(cue) : cs + len(cue) + 30].split()
            if tail and tail[0].lower() in self.p.addressee_markers:
                marker = tail[0]
                cue_text = f"{cue_text} {marker}"
        return RawClaim(a, b, idx, src, cue_text, cs, stance, told, [], direct, continued=cont)


def first_is_present(matched: str, participle_suffix: str | None) -> bool:
    """'is saying', 'are telling': a progressive, not a passive ('was told')."""
    first = matched.split()[0].lower()
    return bool(participle_suffix and first.endswith(participle_suffix)) or first.endswith("s")


def _same(a: RawClaim, b: RawClaim) -> bool:
    """Near-identical content (two cues found the same statement)."""
    inter = min(a.end, b.end) - max(a.start, b.start)
    if inter <= 0.8 * max(a.end - a.start, b.end - b.start):
        return False
    if a.source is None or b.source is None:
        return True
    return a.source.start == b.source.start or a.source.text == b.source.text
