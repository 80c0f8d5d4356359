"""Where the versions of a story say different things: per word, per span and per row.

**Words.** Every non-empty cell of a row is split into words (:mod:`xlingo.annotate.wordalign`)
with contextual vectors from the encoder's token states (one extra forward pass per sentence
text, cached for the story). For each ordered pair of versions ``(d, e)`` the words of ``d``
get a *presence* in ``e``, 0..1: a logistic of their best cosine to the words of ``e``'s cell,
less a penalty when that match clearly prefers another word of ``d``, plus a bonus when
itermax links them. The logistic's centre is calibrated per story and pair of versions
(free translations have lower token cosines throughout). Surface evidence overrides the
encoder where it is certain: the same number value or the same rare word in ``e`` means
present, a number whose value is nowhere in ``e`` although ``e`` has numbers means absent.

**Weight.** How much meaning a word carries comes from its frequency, not from stopword
lists: ``wordfreq`` Zipf frequency mapped to 0..1 (``de``/``que``/``the`` ~0.1, ordinary
nouns ~1); numbers, the unit or multiplier right after a number (``48 millones``,
``13,7 Prozent``) and names (capitalised, rare, not first in the sentence) weigh 0.9-1 and
are *key* words.

**Spans and the vote** (:func:`row_events`). With three or more versions a word of ``d``
present in some ``e`` but absent in ``c`` is missing *in c*: an *omission*, placed in ``c``
between the words its neighbours are linked to. If ``c`` has words of its own (present in no
other version) at that place, it is a *mistranslation* (``X`` here, ``Y`` elsewhere). Words
of one version only, left over, are an *addition*. With two versions nothing can be voted: an
unshared stretch is an addition (or the other side's omission), or a mistranslation when the
other side also has an unshared stretch at that place. Each event carries its evidence:
versions that agree, meaning mass (sum of weight x absence), key words.

**Rows** (:func:`row_divergence`). A row's cosine is compared with each sentence's cosines to
the *other* sentences of the other version (a margin over non-translations, as in margin
scoring), and that margin with the story's typical margin: ``0`` = as close as the story's
usual rows, ``1`` = no closer than unrelated sentences of the story. This means the same
whatever the encoder's cosine band and the language pair.

**Structure** (:func:`repeated_ngrams`): a phrase repeated at once in one version only
(looping output).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from xlingo.annotate.wordalign import PairAlignment, WordStates, align_words, concat, word_states
from xlingo.embed.base import TokenStates
from xlingo.language import known_zipf
from xlingo.model import Story
from xlingo.segment import SPACELESS_RUN

TokenFn = Callable[[Sequence[str]], list[TokenStates]]
EmbedFn = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Params:
    """Tunables of the word presence model (all cosines are encoder token-state cosines)."""

    link_bonus: float = 0.08  # added to the best cosine when itermax links the word
    absent: float = 0.5  # presence below this = absent
    veto: float = 0.8  # a holder's counterpart this present in a version means that version has it
    bridge: float = 0.35  # words lighter than this may sit inside a span without being absent
    anchor_reach: int = 6  # words scanned on each side of a span for an anchor
    compete: float = 0.5  # penalty per unit by which a word's match prefers another word


# --- how much a word means ----------------------------------------------------------------

_DIGIT = re.compile(r"\d")


def number_value(word: str) -> str | None:
    """A number's digits without separators or leading zeros (``20,000`` = ``20.000``)."""
    if not _DIGIT.search(word):
        return None
    digits = re.sub(r"\D", "", word).lstrip("0")
    return digits or "0"


#: the weight (:func:`word_weight`) from which a word carries content (not a function word)
CONTENT_WEIGHT = 0.6


def word_weight(word: str, lang: str) -> float:
    """How much meaning ``word`` carries, 0..1, from its frequency in ``lang`` (length if unknown)."""
    if number_value(word) is not None:
        return 1.0
    if not any(c.isalnum() for c in word):
        return 0.6  # %, currency signs
    z = known_zipf(word, lang)
    if z is None:
        return float(min(1.0, max(0.1, (len(word) - 2) / 6)))
    return float(min(1.0, max(0.05, (7.3 - z) / 3.3)))


def _is_name(word: str, lang: str, first: bool) -> bool:
    if len(word) < 2 or not word[0].isupper() or first:
        return False
    z = known_zipf(word, lang)
    return z is not None and z < 3.0


# --- token states, once per sentence text -------------------------------------------------

class TokenCache:
    """Token states per distinct text, computed once (one forward pass per sentence)."""

    def __init__(self, fn: TokenFn) -> None:
        self.fn = fn
        self.memo: dict[str, TokenStates] = {}

    def __call__(self, texts: Sequence[str]) -> list[TokenStates]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if missing:
            self.memo.update(zip(missing, self.fn(missing)))
        return [self.memo[t] for t in texts]


# --- words of a story's rows --------------------------------------------------------------

@dataclass
class Cell:
    """One version's words in one row (document offsets)."""

    doc: str
    lang: str
    words: WordStates
    weight: np.ndarray
    key: np.ndarray  # numbers and names
    values: list[str | None]  # number values
    seen: np.ndarray  # words the encoder saw (not truncated away)


@dataclass
class RowWords:
    """The word-level view of one row: cells, pair alignments and presences."""

    k: int
    cells: dict[str, Cell]
    pairs: dict[tuple[str, str], PairAlignment] = field(default_factory=dict)
    presence: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    probability: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # model: word missing from e
    voted: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # the same after the N-way vote
    neutral: float = 0.06  # the model's base rate: a vote at this level is no evidence either way

    def others(self, d: str) -> list[str]:
        return [e for e in self.cells if e != d]

    def shared(self, d: str) -> np.ndarray:
        """Per word of ``d``: its highest presence in any other version."""
        ps = [self.presence[(d, e)] for e in self.others(d)]
        return np.max(ps, axis=0) if ps else np.ones(len(self.cells[d].words))


def cell_words(story: Story, k: int, doc_id: str, tokens: TokenCache) -> Cell | None:
    """Words of ``doc_id``'s cell in row ``k`` with their vectors, or None if the cell is empty."""
    doc = story.document(doc_id)
    ids = story.alignment[k].cells.get(doc_id, ())
    if not ids:
        return None
    sents = [doc.sentence(i) for i in ids]
    states = tokens([s.text for s in sents])
    parts = [word_states(s.text, ts).shifted(s.start) for s, ts in zip(sents, states)]
    ws = concat(parts)
    if not len(ws):
        return None
    starts = {s.start for s in sents}
    weight = np.array([word_weight(w.text, doc.lang) for w in ws.words])
    first = [w.start in starts for w in ws.words]
    values = [number_value(w.text) for w in ws.words]
    key = np.array([v is not None or _is_name(w.text, doc.lang, f) for w, v, f in zip(ws.words, values, first)])
    for i in range(1, len(values)):  # the unit or multiplier right after a number is part of the quantity
        if (values[i] is None and values[i - 1] is not None and weight[i] >= 0.35
                and ws.words[i - 1].end + 1 >= ws.words[i].start):
            weight[i], key[i] = max(weight[i], 0.9), True
    seen = np.linalg.norm(ws.vectors, axis=1) > 0.5
    return Cell(doc_id, doc.lang, ws, weight, key, values, seen)


def _number_readings(cell: Cell) -> set[str]:
    """Values of a cell's numbers, plus adjacent numbers read as one (``20 h 30`` = ``20.30``)
    and the parts of numbers made of 1-2 digit groups (``20.30`` = ``20`` and ``30``)."""
    out: set[str] = set()
    vals = cell.values
    for i, v in enumerate(vals):
        if v is None:
            continue
        out.add(v)
        groups = re.findall(r"\d+", cell.words.words[i].text)
        if len(groups) > 1 and all(len(g) <= 2 for g in groups):
            out.update(g.lstrip("0") or "0" for g in groups)
        joined = cell.words.words[i].text
        for k in range(i + 1, min(len(vals), i + 4)):
            if vals[k] is None:
                if k > i + 1 and vals[k - 1] is None:
                    break
                continue
            joined += cell.words.words[k].text
            out.add(re.sub(r"\D", "", joined).lstrip("0") or "0")
    return out


def evidence(pa: PairAlignment, p: Params) -> np.ndarray:
    """Per word of ``pa.a``: its best cosine in ``pa.b``, less ``p.compete`` times how much more
    that match prefers another word of ``a``, plus ``p.link_bonus`` when linked."""
    sim = pa.sim
    if sim.shape[1] == 0:
        return np.zeros(sim.shape[0])
    if sim.shape[0] > 1:
        top2 = np.sort(sim, axis=0)[-2:]
        rival = np.where(sim >= top2[1][None, :], top2[0][None, :], top2[1][None, :])
        score = sim - p.compete * np.maximum(0.0, rival - sim)
    else:
        score = sim
    return score.max(axis=1) + p.link_bonus * pa.links.any(axis=1)



def align_row(story: Story, k: int, tokens: TokenCache, params: Params = Params(),
              docs: Sequence[str] | None = None) -> RowWords | None:
    """Word alignment of all pairs of non-empty cells of row ``k`` (None if fewer than two).

    Presences are not filled in: the meaning model does (:func:`xlingo.annotate.meaning.fill_presence`).
    """
    ids = docs or [d.id for d in story.documents]
    cells = {d: c for d in ids if (c := cell_words(story, k, d, tokens)) is not None}
    if len(cells) < 2:
        return None
    row = RowWords(k, cells)
    names = list(cells)
    for x, d in enumerate(names):
        for e in names[x + 1:]:
            pa = align_words(cells[d].words, cells[e].words)
            row.pairs[(d, e)], row.pairs[(e, d)] = pa, pa.transposed()
    return row


# --- span events --------------------------------------------------------------------------

@dataclass
class Event:
    """One span-level divergence: where it sits, what it corresponds to, how sure."""

    kind: str  # "omission" | "addition" | "mistranslation"
    doc: str  # version holding the finding
    start: int
    end: int
    row: int
    mass: float  # meaning carried (sum of weight x absence)
    key: bool  # a number or a name is involved
    holders: list[str]  # versions that agree against ``doc`` (have what it lacks / lack what it adds)
    related: list[tuple[str, int, int]]  # counterpart spans (doc, start, end)
    own: tuple[int, int] | None = None  # for omissions/mistranslations: the span in ``doc`` (word ids)
    source: dict[str, tuple[int, int]] = field(default_factory=dict)  # doc -> word ids of the missing words
    numbers: bool = False  # a number here against a different number in the other versions
    disputed: bool = False  # every other version also has words of its own here: no majority
    vote: float = 0.0  # omissions, three or more versions: the N-way vote's evidence (see vote_gaps)
    by_vote: bool = False  # found by the vote alone (its severity comes from ``vote`` only)


def _runs(mask: np.ndarray, light: np.ndarray) -> list[tuple[int, int]]:
    """Maximal runs of ``mask`` (inclusive bounds), bridging single light words; light words at
    either end are trimmed off (unless the run has nothing else)."""
    runs, i, n = [], 0, len(mask)
    while i < n:
        if not mask[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and (mask[j + 1] or (j + 2 < n and light[j + 1] and mask[j + 2])):
            j += 1 if mask[j + 1] else 2
        a, b = i, j
        while a < b and light[a]:
            a += 1
        while b > a and light[b]:
            b -= 1
        runs.append((a, b))
        i = j + 1
    return runs


def _anchors(row: RowWords, d: str, c: str, i: int, j: int, reach: int, absent: float,
             min_weight: float = 0.25) -> tuple[int | None, int | None]:
    """Words of ``c`` linked to the nearest present words of ``d`` left and right of ``i..j``
    (words carrying some meaning first: function words link loosely); the right one after the
    left one (a word ``d`` repeats, ``China`` at the end of the gap where ``c`` has it at the start,
    anchors nothing)."""
    pa = row.pairs[(d, c)]
    pres = row.presence[(d, c)]
    weight = row.cells[d].weight

    def scan(xs: range, after: int = 0) -> int | None:
        for strict in (True, False):
            for x in xs:
                hits = np.flatnonzero(pa.links[x])
                if len(hits) and pres[x] >= absent and (weight[x] >= min_weight or not strict):
                    y = int(hits[np.argmax(pa.sim[x, hits])])
                    if y >= after:
                        return y
        return None

    left = scan(range(i - 1, max(-1, i - 1 - reach), -1))
    return left, scan(range(j + 1, min(len(pres), j + 1 + reach)), left or 0)


_SHORT_FRAME = 5  # words from one anchor to the other that frame a gap whole


def _place(cell: Cell, left: int | None, right: int | None) -> tuple[int, int]:
    """Word ids of ``cell`` that frame a gap between two anchors (or an anchor and the end of
    the cell): the whole frame when it is short, else the nearer anchor alone."""
    n = len(cell.words)
    lo = -1 if left is None else left
    hi = n if right is None else right
    if 0 < hi - lo <= _SHORT_FRAME and (left, right) != (None, None):
        return max(lo, 0), min(hi, n - 1)
    if left is not None:
        return left, left
    if right is not None:
        return right, right
    return 0, n - 1


def _gap_place(row: RowWords, d: str, c: str, i: int, j: int, left: int | None, right: int | None) -> tuple[int, int]:
    """Word ids of version ``c`` around the gap where ``d``'s stretch ``i..j`` is missing: the frame
    between the two anchors (:func:`_place`); where the frame is long (``c`` orders the words around
    the gap otherwise), the two words where its words linked before the stretch end and those linked
    after it begin (``l'edificio | ordinarono`` where the anchors are ``danneggiato`` and
    ``carillon``). Links into the stretch say nothing (its words are missing from ``c``)."""
    n = len(row.cells[c].words)
    lo, hi = -1 if left is None else left, n if right is None else right
    if hi - lo <= _SHORT_FRAME or (left, right) == (None, None):
        return _place(row.cells[c], left, right)
    links = row.pairs[(d, c)].links
    side = []  # per word of the frame: -1 linked before the stretch only, 1 after it only, else 0
    for x in range(lo + 1, hi):
        linked = np.flatnonzero(links[:, x])
        before, after = bool((linked < i).any()), bool((linked > j).any())
        side.append(-1 if before and not after else 1 if after and not before else 0)
    if not any(side):
        return _place(row.cells[c], left, right)
    fit = [side[:g].count(-1) + side[g:].count(1) for g in range(len(side) + 1)]
    best = [g for g, f in enumerate(fit) if f == max(fit)]
    # words linked to neither side go with the present words: after them when the stretch ends ``d``
    g = lo + 1 + (best[-1] if right is None else best[0])  # the gap sits before word g
    return max(g - 1, 0), min(g, n - 1)


def gap_frame(row: RowWords, d: str, c: str, i: int, j: int, p: Params = Params()) -> tuple[int, int]:
    """Word ids of version ``c`` around the place where ``d``'s stretch ``i..j`` is missing,
    between the words of ``c`` linked to its nearest present neighbours (:func:`_gap_place`)."""
    left, right = _anchors(row, d, c, i, j, p.anchor_reach, p.absent)
    return _gap_place(row, d, c, i, j, left, right)


def _counterparts(row: RowWords, d: str, i: int, j: int, targets: Sequence[str]) -> list[tuple[str, int, int]]:
    """Spans of ``targets`` linked to words ``i..j`` of ``d``."""
    out = []
    for e in targets:
        hits = np.flatnonzero(row.pairs[(d, e)].links[i:j + 1].any(axis=0))
        if len(hits):
            ws = row.cells[e].words.words
            out.append((e, ws[int(hits.min())].start, ws[int(hits.max())].end))
    return out


def row_events(row: RowWords, params: Params = Params(), min_mass: float = 0.3) -> list[Event]:
    """Omissions, additions and mistranslations in one row (see the module docs)."""
    docs = list(row.cells)
    n = len(docs)
    p = params
    events: list[Event] = []
    unshared: dict[str, list[tuple[int, int]]] = {}
    for d in docs:
        c = row.cells[d]
        u = 1.0 - row.shared(d)
        unshared[d] = [(i, j) for i, j in _runs(u >= 1 - p.absent, c.weight < p.bridge)
                       if float((c.weight[i:j + 1] * u[i:j + 1]).sum()) >= min_mass or c.key[i:j + 1].any()]
    consumed: set[tuple[str, int, int]] = set()
    if n >= 3:
        for c_id in docs:
            found: dict[tuple[int, int], Event] = {}
            for d in docs:
                if d == c_id:
                    continue
                cd = row.cells[d]
                gone = 1.0 - row.presence[(d, c_id)]
                held = np.zeros(len(cd.words), dtype=bool)
                for e in docs:
                    if e not in (d, c_id):
                        held |= row.presence[(d, e)] >= p.absent
                mask = (gone >= 1 - p.absent) & held
                for i, j in _runs(mask, cd.weight < p.bridge):
                    mass = float((cd.weight[i:j + 1] * gone[i:j + 1] * mask[i:j + 1]).sum())
                    key = bool((cd.key[i:j + 1] & mask[i:j + 1]).any())
                    if mass < min_mass and not key:
                        continue
                    holders = _holders(row, d, c_id, i, j, p)
                    if holders is None or 2 * len(holders) <= n:
                        continue  # a version has it where c has it too, or no majority
                    place = gap_frame(row, d, c_id, i, j, p)
                    slot = next((s for s in found if s[0] <= place[1] and place[0] <= s[1]), None)
                    if slot is not None:  # the same gap seen from another version
                        ev = found[slot]
                        if d not in ev.source:
                            ev.source[d] = (i, j)
                            ev.related.append((d, cd.words.words[i].start, cd.words.words[j].end))
                        ev.holders = sorted(set(ev.holders) | set(holders), key=docs.index)
                        ev.mass, ev.key = max(ev.mass, mass), ev.key or key
                        continue
                    related = [(d, cd.words.words[i].start, cd.words.words[j].end)]
                    related += _counterparts(row, d, i, j, [e for e in holders if e != d])
                    ev = Event("omission", c_id, 0, 0, row.k, mass, key, holders, related, own=place,
                               source={d: (i, j)})
                    found[place] = ev
            for ev in found.values():
                _settle(row, ev, unshared[c_id], left_right=ev.own, consumed=consumed)
                events.append(ev)
    for d in docs:
        for i, j in unshared[d]:
            if (d, i, j) in consumed:
                continue
            events.extend(_addition(row, d, i, j, unshared, consumed, params))
    for gap in vote_gaps(row, params):
        same = next((ev for ev in events if ev.doc == gap.doc and ev.kind in ("omission", "mistranslation")
                     and ev.start <= gap.end and gap.start <= ev.end), None)
        if same is None:
            events.append(gap)
        else:  # the same gap: it carries the vote's evidence, and the vote's stretch where that holds
            same.vote = max(same.vote, gap.vote)  # clearly more (a clause, not its one clearest word)
            same.key = same.key or gap.key
            if gap.mass >= 2 * same.mass:
                same.mass, same.source, same.related = gap.mass, gap.source, gap.related
    return events


def _best_segment(gain: np.ndarray) -> tuple[float, int, int]:
    """The contiguous stretch with the largest sum of ``gain`` (0, -1, -1 when none is positive)."""
    best, run, start, bi, bj = 0.0, 0.0, 0, -1, -1
    for i, x in enumerate(gain):
        if run <= 0:
            run, start = 0.0, i
        run += float(x)
        if run > best:
            best, bi, bj = run, start, i
    return best, bi, bj


def _vote_gain(row: RowWords, d: str, c: str, params: Params, top: float, zero: float) -> np.ndarray:
    """Per word of ``d``: its evidence of missing from ``c`` (see :func:`vote_gaps`); words that no
    third version has cost 1 (only what the others share is voted)."""
    cd = row.cells[d]
    v = np.clip(row.voted[(d, c)], 1e-6, 1 - 1e-6)
    z = np.minimum(np.log(v / (1 - v)), top) - zero
    shared = np.zeros(len(v), dtype=bool)
    for e in row.others(d):
        if e != c:
            shared |= row.presence[(d, e)] >= params.absent
    return np.where(shared | (z < 0), cd.weight * z, -1.0)


def corroboration(row: RowWords, gains: dict[tuple[str, str], np.ndarray], d: str, c: str, i: int, j: int,
                  total: float) -> float:
    """The N-way vote's evidence that ``d``'s stretch ``i..j`` is missing from ``c``, once every
    other holder has spoken: each third version's own best gap among its words linked to the
    stretch (one word of margin each side), and the evidence is the geometric mean of the two
    strongest holders' (nothing when fewer than two see a gap). A dropped clause is missing from
    ``c`` as seen from every version that has it; one version's free rendering of a word is not."""
    evidence = [total]
    for e in row.others(c):
        if e == d:
            continue
        linked = np.flatnonzero(row.pairs[(d, e)].links[i:j + 1].any(axis=0))
        if not len(linked):
            evidence.append(0.0)
            continue
        lo, hi = max(int(linked.min()) - 1, 0), int(linked.max()) + 2
        evidence.append(_best_segment(gains[(e, c)][lo:hi])[0])
    top = sorted(max(x, 0.0) for x in evidence)[-2:]
    return math.sqrt(top[0] * top[1]) if len(top) == 2 else 0.0


def vote_gaps(row: RowWords, params: Params = Params(), cap: float = 0.99) -> list[Event]:
    """Omissions found by the N-way vote (three or more versions; needs ``row.voted``).

    For each version ``c`` and each other version ``d``: every word of ``d`` that a third version
    has gains its weight x (log-odds of its voted probability of missing from ``c``, capped at
    ``cap``, less the log-odds of the neutral level ``row.neutral``); the stretch of ``d`` with
    the largest total gain is a candidate gap in ``c``, placed between the words of ``c`` its
    neighbours are linked to. Evidence adds up over the words of a stretch: a whole clause that
    two versions share and ``c`` lacks outweighs one freely translated word.

    The event's ``vote`` is that total as every holder sees it (:func:`corroboration`: the
    geometric mean of the two strongest holders' gaps at that place), discounted by how the rest of the row
    aligns (:func:`drop_evidence`): a drop leaves the rest of ``c`` a close translation of ``d``,
    while a globally freer or shorter rendering loses words everywhere and a condensed one most
    of the sentence."""
    if len(row.cells) < 3 or not row.voted:
        return []
    found: dict[str, list[Event]] = {}
    top = math.log(cap / (1 - cap))
    zero = math.log(row.neutral / (1 - row.neutral))
    gains = {(d, c): _vote_gain(row, d, c, params, top, zero) for (d, c) in row.voted}
    for c in row.cells:
        for d in row.others(c):
            cd = row.cells[d]
            total, i, j = _best_segment(gains[(d, c)])
            if i < 0 or not (cd.weight[i:j + 1] >= params.bridge).any():
                continue
            lo, hi = gap_frame(row, d, c, i, j, params)
            ws, wd = row.cells[c].words.words, cd.words.words
            mass = float((cd.weight[i:j + 1] * row.voted[(d, c)][i:j + 1]).sum())
            total = corroboration(row, gains, d, c, i, j, total) * drop_evidence(row, d, c, i, j)
            holders = [d] + [e for e in row.others(c) if e != d]
            ev = Event("omission", c, ws[lo].start, ws[hi].end, row.k, mass, bool(cd.key[i:j + 1].any()), holders,
                       [(d, wd[i].start, wd[j].end)] + _counterparts(row, d, i, j, holders[1:]), own=(lo, hi),
                       source={d: (i, j)}, vote=total, by_vote=True)
            same = next((x for x in found.get(c, []) if x.start <= ev.end and ev.start <= x.end), None)
            if same is None:
                found.setdefault(c, []).append(ev)
            elif ev.vote > same.vote:
                found[c][found[c].index(same)] = ev
    return [ev for evs in found.values() for ev in evs]


def drop_evidence(row: RowWords, d: str, c: str, i: int, j: int, content: float = CONTENT_WEIGHT) -> float:
    """0..1: how much the stretch ``i..j`` of ``d`` missing from ``c`` looks like a drop rather
    than translation freedom: the mean presence in ``c`` of ``d``'s content words outside the
    stretch (the rest of the sentence is there) times the share of ``d``'s meaning outside it
    (a version that keeps a third of the sentence is a condensed rendering, not a dropped clause)."""
    cd = row.cells[d]
    outside = np.ones(len(cd.words), dtype=bool)
    outside[i:j + 1] = False
    rest = outside & (cd.weight >= content) & cd.seen
    if not rest.any():
        return 0.0
    kept = float(cd.weight[outside].sum() / max(float(cd.weight.sum()), 1e-9))
    return float(row.presence[(d, c)][rest].mean()) * kept


def _has_number(cell: Cell, i: int, j: int) -> bool:
    return any(v is not None for v in cell.values[i:j + 1])


def _holders(row: RowWords, d: str, c: str, i: int, j: int, p: Params) -> list[str] | None:
    """Versions that have words ``i..j`` of ``d`` while their own counterparts are absent in
    ``c`` too (``d`` first); None when some version's counterpart *is* present in ``c``
    (then ``c`` has it and the ``d``-``c`` alignment missed it)."""
    holders = [d]
    for e in row.cells:
        if e in (d, c):
            continue
        linked = row.pairs[(d, e)].links[i:j + 1] & (row.presence[(d, e)][i:j + 1] >= p.absent)[:, None]
        theirs = np.flatnonzero(linked.any(axis=0))
        if not len(theirs):
            continue
        there = row.presence[(e, c)][theirs]
        if (there >= p.veto).any():
            return None
        if (there < p.absent).all():
            holders.append(e)
    return holders


def _settle(row: RowWords, ev: Event, own_runs: list[tuple[int, int]], left_right: tuple[int, int] | None,
            consumed: set[tuple[str, int, int]]) -> None:
    """Turn an omission into a mistranslation if the version has words of its own at that place."""
    cell = row.cells[ev.doc]
    lo, hi = left_right or (0, len(cell.words) - 1)
    inside = [(i, j) for i, j in own_runs if i <= hi + 1 and j >= lo - 1]
    if inside:
        i, j = min(r[0] for r in inside), max(r[1] for r in inside)
        ev.kind, ev.own = "mistranslation", (i, j)
        u = 1.0 - row.shared(ev.doc)
        ev.mass = max(ev.mass, float((cell.weight[i:j + 1] * u[i:j + 1]).sum()))
        ev.key = ev.key or bool(cell.key[i:j + 1].any())
        ev.numbers = _has_number(cell, i, j) and any(_has_number(row.cells[d], a, b) for d, (a, b) in ev.source.items())
        consumed.update((ev.doc, a, b) for a, b in inside)
    i, j = ev.own
    ev.start, ev.end = cell.words.words[i].start, cell.words.words[j].end


def _addition(row: RowWords, d: str, i: int, j: int, unshared: dict[str, list[tuple[int, int]]],
              consumed: set[tuple[str, int, int]], p: Params) -> list[Event]:
    """Words of ``d`` that no other version has: an addition, or (two versions) a mistranslation
    when the other version also has words of its own at that place."""
    consumed.add((d, i, j))
    c = row.cells[d]
    u = 1.0 - row.shared(d)
    mass = float((c.weight[i:j + 1] * u[i:j + 1]).sum())
    key = bool(c.key[i:j + 1].any())
    others = row.others(d)
    ws = c.words.words
    related: list[tuple[str, int, int]] = []
    out = []
    own_elsewhere = 0
    for e in others:
        left, right = _anchors(row, d, e, i, j, p.anchor_reach, p.absent)
        place = _place(row.cells[e], left, right)
        lo, hi = place
        theirs = [(a, b) for a, b in unshared[e] if a <= hi + 1 and b >= lo - 1 and (e, a, b) not in consumed]
        we = row.cells[e].words.words
        if theirs and len(others) == 1:
            a, b = min(r[0] for r in theirs), max(r[1] for r in theirs)
            consumed.update((e, x, y) for x, y in theirs)
            ue = 1.0 - row.shared(e)
            ce = row.cells[e]
            mass_e = float((ce.weight[a:b + 1] * ue[a:b + 1]).sum())
            key_e = bool(ce.key[a:b + 1].any())
            numbers = _has_number(c, i, j) and _has_number(ce, a, b)
            out.append(Event("mistranslation", d, ws[i].start, ws[j].end, row.k, max(mass, mass_e), key or key_e,
                             [e], [(e, we[a].start, we[b].end)], own=(i, j), numbers=numbers))
            out.append(Event("mistranslation", e, we[a].start, we[b].end, row.k, max(mass, mass_e), key or key_e,
                             [d], [(d, ws[i].start, ws[j].end)], own=(a, b), numbers=numbers))
            return out
        related.append((e, we[lo].start, we[hi].end))
        own_elsewhere += bool(theirs)
    out.append(Event("addition", d, ws[i].start, ws[j].end, row.k, mass, key, others, related, own=(i, j),
                     disputed=len(others) > 1 and own_elsewhere == len(others)))
    return out


# --- per-word scores (for benchmarks and row scores) ---------------------------------------


def repeated_ngrams(cell: Cell, text: str, max_gap: int = 0) -> list[tuple[int, int]]:
    """Word ids (inclusive) of phrases of 2-10 words repeated after at most ``max_gap`` other
    words (looping output: ``happen early happen early``, ``dat hij meer dat hij meer``, not the
    rhetorical ``like you saw at Brookline, like you saw at Medinah``): a phrase of two words
    holds a word that carries meaning (weight >= 0.5; 3+ characters, or any word of a script
    written without spaces), one of three or more any word with letters (function words alone
    loop too: ``dem nur der dem nur der``). Between the copies stands white space on one line,
    or the very punctuation that follows the second copy (``in a way», — in a way», —``: the
    loop took it along), or an opening quote or bracket, or a dash, that opens the first copy too
    (``“en shock” por “en shock” por``, ``— a dit — a dit``), and the copies are written alike
    inside, punctuation included (``koło w koło, w wyniku``: an idiom, then a clause). In a
    script written without spaces, where a loop need not start at a word, a run of three to
    eight characters (three or more of that script) written twice in a row counts too
    (``まだ国内にまだ国内に``; not one word said twice, ``大きな大きな``, a doubled word).
    ``text``: the document's text (the words' offsets point into it)."""
    ws = cell.words.words
    forms = [w.text.casefold() for w in ws]
    out: list[tuple[int, int]] = []
    n = len(forms)

    def carries_meaning(x: int) -> bool:
        return cell.weight[x] >= 0.5 and (len(forms[x]) >= 3 or bool(SPACELESS_RUN.search(forms[x])))

    def gaps(i: int, size: int) -> list[str]:
        return [text[ws[x].end:ws[x + 1].start] for x in range(i, i + size - 1)]

    def looped(i: int, j: int, size: int) -> bool:
        between = text[ws[j - 1].end:ws[j].start]
        after = text[ws[j + size - 1].end:ws[j + size].start] if j + size < n else ""
        opened = between.strip()  # the copies' own opening quote, bracket or dash (“devastado” y ... por “devastado”)
        opening = "\n" not in between and text[:ws[i].start].rstrip().endswith(opened) \
            and all(unicodedata.category(c) in ("Ps", "Pi", "Pd") or c in "\"'" for c in opened)
        return (not opened and "\n" not in between or between == after or opening) and gaps(i, size) == gaps(j, size)

    def add(a: int, b: int) -> None:
        if not any(x <= b and a <= y for x, y in out):
            out.append((a, b))

    for size in range(10, 1, -1):
        for i in range(n - size + 1):
            again = [j for j in range(i + size, min(n - size + 1, i + size + max_gap + 1)) if forms[j] == forms[i]]
            if not again or not any(carries_meaning(x) if size == 2 else any(c.isalpha() for c in forms[x])
                                    for x in range(i, i + size)):
                continue
            for j in again:
                if forms[j:j + size] == forms[i:i + size] and looped(i, j, size):
                    add(j, j + size - 1)
                    break
    if n:
        spans = {(w.start, w.end) for w in ws}
        for a, b in _repeated_runs(text, max(0, ws[0].start - 1), ws[-1].end):  # with an opening quote
            ids = [x for x, w in enumerate(ws) if w.start < b and a < w.end]
            if ids and (2 * a - b, a) not in spans and (a, b) not in spans:
                add(ids[0], ids[-1])  # one word said twice is a doubled word (大きな大きな, big, big): XL502's
    return sorted(out)


def _repeated_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Character spans (in ``text[start:end]``) of the second copy of a run of 3-8 characters,
    three or more of them of a script written without spaces and not all one character (``ーーー``),
    written twice in a row."""
    out: list[tuple[int, int]] = []
    for run in SPACELESS_RUN.finditer(text, start, end):
        # the loop may take along the characters around a run (「私はあなた「私はあなた)
        a, b = max(start, run.start() - 8), min(end, run.end() + 8)
        for size in range(8, 2, -1):
            for p in range(a, b - 2 * size + 1):
                unit = text[p:p + size]
                if (text[p + size:p + 2 * size] == unit and len(set(unit)) >= 2
                        and sum(len(r.group()) for r in SPACELESS_RUN.finditer(unit)) >= 3
                        and not any(x < p + 2 * size and p < y for x, y in out)):
                    out.append((p + size, p + 2 * size))
    return out


# --- sentence level -----------------------------------------------------------------------

def _cell_vectors(story: Story, embed: EmbedFn, vectors: dict | None) -> tuple[list[dict[str, np.ndarray]],
                                                                               dict[str, tuple[list[int], np.ndarray]]]:
    """Per row, per document: the cell's vector; per document: its sentence ids and vectors."""
    docs = {d.id: d for d in story.documents}
    sent: dict[str, tuple[list[int], np.ndarray]] = {}
    for d in story.documents:
        ids = [s.i for s in d.sentences]
        if vectors and all((d.id, i) in vectors for i in ids):
            vecs = np.stack([vectors[(d.id, i)] for i in ids]) if ids else np.zeros((0, 1))
        else:
            vecs = embed([s.text for s in d.sentences])
        sent[d.id] = (ids, np.asarray(vecs, dtype=np.float64))
    cells: list[dict[str, np.ndarray]] = []
    multi: list[tuple[int, str, str]] = []
    for k, row in enumerate(story.alignment):
        cells.append({})
        for doc_id, ids in row.cells.items():
            if len(ids) == 1:
                ids_all, vecs = sent[doc_id]
                cells[k][doc_id] = vecs[ids_all.index(ids[0])]
            elif ids:
                s, e = docs[doc_id].sentences_span(ids)
                multi.append((k, doc_id, docs[doc_id].text[s:e]))
    if multi:
        for (k, doc_id, _), v in zip(multi, embed([t for _, _, t in multi])):
            cells[k][doc_id] = np.asarray(v, dtype=np.float64)
    return cells, sent


def pair_scores(story: Story, embed: EmbedFn, vectors: dict | None = None, top: int = 4
                ) -> tuple[list[dict[tuple[str, str], float]], list[dict[tuple[str, str], float]]]:
    """Per row, per pair of versions (in document order), from one look at the cells' vectors: the
    cosine, and the margin, that cosine minus the mean of each side's ``top`` cosines to the other
    version's sentences outside the row (a margin over non-translations)."""
    cells, sent = _cell_vectors(story, embed, vectors)
    order = [d.id for d in story.documents]
    cosines: list[dict[tuple[str, str], float]] = []
    margins: list[dict[tuple[str, str], float]] = []
    for k, row in enumerate(story.alignment):
        c: dict[tuple[str, str], float] = {}
        m: dict[tuple[str, str], float] = {}
        present = [d for d in order if d in cells[k]]
        for x, d in enumerate(present):
            for e in present[x + 1:]:
                cos = c[(d, e)] = float(cells[k][d] @ cells[k][e])
                bg = []
                for a, b in ((d, e), (e, d)):
                    ids, vecs = sent[b]
                    mask = np.array([i not in row.cells[b] for i in ids], dtype=bool)
                    if mask.sum() >= 1:
                        sims = np.sort(vecs[mask] @ cells[k][a])[::-1][:top]
                        bg.append(float(sims.mean()))
                if bg:
                    m[(d, e)] = cos - float(np.mean(bg))
        cosines.append(c)
        margins.append(m)
    return cosines, margins


def pair_cosines(story: Story, embed: EmbedFn) -> list[dict[tuple[str, str], float]]:
    """Per row, per pair of versions (in document order): the cosine of the cells' vectors."""
    cells, _ = _cell_vectors(story, embed, None)
    order = [d.id for d in story.documents]
    out: list[dict[tuple[str, str], float]] = []
    for row in cells:
        present = [d for d in order if d in row]
        out.append({(d, e): float(row[d] @ row[e]) for x, d in enumerate(present) for e in present[x + 1:]})
    return out


def pair_margins(story: Story, embed: EmbedFn, vectors: dict | None = None,
                 top: int = 4) -> list[dict[tuple[str, str], float]]:
    """Per row, per pair of versions: the margin of :func:`pair_scores`."""
    return pair_scores(story, embed, vectors, top)[1]


_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_WORD = re.compile(r"\w{4,}")


def number_mismatch(a: str, b: str) -> int:
    """How many number values of ``a`` appear nowhere in ``b`` (as a whole or as one of its digit
    groups, so ``13.30`` and ``13:30`` match ``13``), capped at 3."""
    def readings(text: str) -> tuple[set[str], set[str]]:
        whole = {number_value(m.group()) or "0" for m in _NUMBER.finditer(text)}
        parts = {g.lstrip("0") or "0" for m in _NUMBER.finditer(text) for g in re.findall(r"\d+", m.group())}
        return whole, whole | parts

    mine, _ = readings(a)
    _, theirs = readings(b)
    return min(3, len(mine - theirs))


def copied_share(a: str, b: str) -> float:
    """Share of ``a``'s words of four or more letters (no digits) found spelled the same in ``b``:
    high for an untranslated sentence, low (names only) for a translation."""
    words = [w.casefold() for w in _WORD.findall(a) if not _DIGIT.search(w)]
    if not words:
        return 0.0
    there = {w.casefold() for w in _WORD.findall(b)}
    return sum(w in there for w in words) / len(words)


def row_divergence(story: Story, embed: EmbedFn, vectors: dict | None = None, top: int = 4,
                   margins: list[dict[tuple[str, str], float]] | None = None) -> list[float]:
    """A 0..1 divergence per row: 0 = the story's typical margin, 1 = no better than non-partners.

    ``vectors`` may hold the story's sentence vectors keyed ``(doc id, sentence id)`` (as in
    :class:`~xlingo.check.base.CheckContext`). A row with fewer than two non-empty cells, or a
    story too short to have non-partner sentences, gets 0. The calibrated row score
    (:mod:`xlingo.annotate.rows`) takes this as one of its signals; ``benchmarks/divergence.py``
    compares the two. ``margins``: the story's :func:`pair_margins` when already computed.
    """
    if margins is None:
        margins = pair_margins(story, embed, vectors, top)
    typical = typical_margins(margins)
    out = []
    for m in margins:
        scores = [pair_divergence(v, typical[p]) for p, v in m.items()]
        out.append(max(scores) if scores else 0.0)
    return out


def typical_margins(margins: list[dict[tuple[str, str], float]]) -> dict[tuple[str, str], float]:
    """Per pair of versions, the story's median margin over its rows."""
    pairs = {p for m in margins for p in m}
    return {p: float(np.median([m[p] for m in margins if p in m])) for p in pairs}


def pair_divergence(margin: float, typical: float) -> float:
    """``1 - margin / typical`` clipped to 0..1 (0 when the story has no positive typical margin)."""
    if not typical > 0 or math.isnan(margin):
        return 0.0
    return float(min(1.0, max(0.0, 1.0 - margin / typical)))
