"""Stage 4, align: sentence alignment of the language versions of a story.

Two versions are aligned by a dynamic programme over beads (1-1, 1-2, 2-1, 2-2, ... and
1-0 / 0-1 for a sentence without counterpart) scored with multilingual sentence embeddings.
Several versions are aligned pair by pair and the pairs are merged into rows that are
monotone and contiguous in every version.

The encoder is the whole cost, so only sentences are embedded up front. A window of several
sentences is first scored with a proxy vector, the length-weighted normalised sum of its
sentence vectors (the encoders mean-pool tokens, so this is close to the real thing). Then,
round by round, the real concatenation is embedded for every proxy window of a bead that some
path within ``refine_margin`` of the best one goes through (max-marginals from a forward and
a backward pass), until no such window is left: ~1.2-1.4 strings per sentence and encoder on
Text+Berg and NTREX stories, where Bertalign embeds ~4 (every overlapping window).

Scores are normalised per story: a bead's cosine is centred on how similar each of its two
windows is to the other version on average and divided by the spread of the story's sentence
similarities, so the thresholds hold for encoders that crowd their cosines (e5: 0.8-0.97)
and for those that spread them (USE: 0-0.9) alike; with several encoders (pass a sequence of
embedding functions) the normalised scores are averaged. Three penalties, each with one
weight and a plain meaning, break the near-ties between neighbouring bead shapes: lengths that
stray from the story's own length model (Gale and Church's, its ratio and spread learned from
the story), per standard deviation; a bead sentence that scores below ``member_floor`` against
the other side (keeps unrelated sentences out of merged beads); and a number written in both
versions that a bead, or a sentence left alone, parts from its equal (numbers are the anchors
that survive translation; they hold a 2-2 bead together where the versions cut the sentences
at different places).

A sentence counts by its content, its letters up to ``content_letters``: scanning debris
(``.....``, ``- _-``) costs nothing left alone and adds nothing to the size of a bead, unless
the other side of the bead is as bare (two numbered headings), so the size bonus no longer pulls
it into a neighbour. Runs of sentences the programme leaves without counterpart join the
neighbouring bead (in their own version) whose other side the joined window, embedded for real,
scores better against than the bead's own window did: a fragment kept out by a bead-shape limit
or by noise comes back, a real insertion (which dilutes the window) stays alone. No threshold:
the comparison decides.

With three versions or more, each pair is aligned a second time with a gain for the links
the other versions agree on (:func:`align_versions`). The scoring parameters are chosen by
leave-one-document-out cross-validation over NTREX-derived stories in 12 languages and
Text+Berg chunks (``benchmarks/align_synthetic.py --cv``); the engine aligns with USE v3 and
its own model averaged (``[tool.xlingo.align] encoders``), chosen the same way.
"""
from __future__ import annotations

import heapq
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields, replace

import numpy as np

from xlingo.embed.base import EmbedFn
from xlingo.model import Document, Row
from xlingo.stats import MAD_TO_SIGMA, UnionFind

Bead = tuple[tuple[int, ...], tuple[int, ...]]
BeadType = tuple[int, int]

NEG = -1e9  # gain of an impossible bead; finite so that sums of it stay finite
_MIN_SCALE = 1e-3  # floor of the similarity spread (a story with no spread at all)
_REFINE_ROUNDS = 12  # most rounds of embedding real windows (Text+Berg needs 3-5)
_ABSORB_ROUNDS = 3  # most rounds of joining lone sentences to a neighbouring bead
_GALE_CHURCH_VARIANCE = 6.8  # variance of the length residual per character (Gale & Church 1993)
_LENGTH_PRIOR_BEADS = 10  # weight of that variance, in beads, against the story's own


@dataclass(frozen=True)
class AlignParams:
    """Every tunable of the aligner; all of them go into the report signature.

    The scoring parameters were chosen by leave-one-document-out cross-validation over
    Text+Berg dev chunks and NTREX-derived stories in 12 languages
    (``benchmarks/align_synthetic.py --cv``, ``reports/bench/align_cv.json``).
    """

    max_window: int = 4  # most sentences on one side of a bead
    max_bead: int = 5  # most sentences in a bead, both sides together
    skip: float = -0.3  # gain of a sentence left without counterpart (score units)
    size_power: float = 0.5  # a bead's gain is its score times (sentences / 2) ** size_power
    length_weight: float = 0.3  # score penalty per standard deviation of the story's length model
    member_floor: float = 0.25  # a bead loses what its least related sentence scores below this
    agreement: float = 0.5  # gain per sentence of a bead, times (share of other versions agreeing - 1/2)
    band: int = 10  # half-width (sentences) of the band around the first-pass 1-1 path
    refine_margin: float = 0.25  # embed the windows of beads on paths within this of the best
    number_weight: float = 0.25  # penalty per number both versions hold that a bead or skip parts from its equal
    content_letters: int = 8  # letters of a sentence with full content (fewer: it counts less; 0: off)

    def with_options(self, options: Iterable[tuple[str, float]]) -> AlignParams:
        """A copy with these ``(field, value)`` overrides (integers where the field is one)."""
        return replace(self, **{k: type(getattr(self, k))(v) for k, v in options})

    def thresholds(self) -> tuple[tuple[str, float], ...]:
        """Name/value pairs for the report signature, e.g. ``("align.max_window", 3.0)``."""
        return tuple((f"align.{f.name}", float(v)) for f, v in zip(fields(self), astuple(self)))

    def bead_types(self) -> list[BeadType]:
        """Bead shapes the programme may use, smallest first and skips last (ties go to the first)."""
        w = range(1, self.max_window + 1)
        return [*sorted(((a, b) for a in w for b in w if a + b <= self.max_bead), key=lambda t: (sum(t), t)),
                (1, 0), (0, 1)]


# --- two versions -----------------------------------------------------------------------------

def align_pair(src: Sequence[str], tgt: Sequence[str], embed: EmbedFn | Sequence[EmbedFn],
               params: AlignParams = AlignParams(), *,
               sentence_embed: EmbedFn | Sequence[EmbedFn] = ()) -> list[Bead]:
    """Beads in order covering every sentence of both sides exactly once.

    Shapes: up to ``params.max_window`` sentences a side and ``params.max_bead`` in all,
    plus 1-0 and 0-1 for a sentence without counterpart. Positions are 0-based. ``embed`` may
    be several encoders: their normalised scores are averaged. ``sentence_embed``, more
    encoders of which only the sentences are embedded (their windows are approximated from
    them), are averaged in too: a way to use vectors that are there anyway at no extra cost.
    """
    if not src or not tgt:
        return _unaligned(len(src), len(tgt))
    return _PairAligner(list(src), list(tgt), _embed_fns(embed), params, _embed_fns(sentence_embed)).run()


def _unaligned(n: int, m: int) -> list[Bead]:
    return [((i,), ()) for i in range(n)] + [((), (j,)) for j in range(m)]


def _embed_fns(embed: EmbedFn | Sequence[EmbedFn] | None) -> list[EmbedFn]:
    if embed is None:
        return []
    return [embed] if callable(embed) else list(embed)


class _Side:
    """One version's sentences and its window vectors (proxies until embedded for real)."""

    def __init__(self, texts: list[str], vecs: np.ndarray, max_window: int) -> None:
        self.texts = texts
        self.n = len(texts)
        chars = np.array([max(len(t), 1) for t in texts], dtype=np.float64)
        cum = np.concatenate([[0.0], np.cumsum(chars)])
        sizes = range(1, min(max_window, self.n) + 1)
        self.chars = {k: cum[k:] - cum[:-k] for k in sizes}  # characters of each window
        weighted = vecs * chars[:, None]
        self.windows = {k: _unit(sum(weighted[o:self.n - k + 1 + o] for o in range(k))) for k in sizes}
        self.windows[1] = vecs
        self.proxy = {k: np.full(self.n - k + 1, k > 1) for k in sizes}
        self.extra: dict[str, np.ndarray] = {}  # windows embedded for real outside the programme

    def vector(self, ids: tuple[int, ...]) -> np.ndarray:
        """The window of these consecutive sentences: embedded for real where it was, else the
        length-weighted proxy."""
        text = self.joined(ids)
        if text in self.extra:
            return self.extra[text]
        if len(ids) in self.windows:
            return self.windows[len(ids)][ids[0]]
        chars = self.chars[1][list(ids)]
        return _unit((self.windows[1][list(ids)] * chars[:, None]).sum(axis=0))

    def joined(self, ids: tuple[int, ...]) -> str:
        return " ".join(self.texts[i] for i in ids)

    def text(self, size: int, start: int) -> str:
        return " ".join(self.texts[start:start + size])


class _Similarity:
    """One encoder's view of a pair: window vectors, bead cosines and the per-story normalisation."""

    def __init__(self, src: list[str], tgt: list[str], embed: EmbedFn, params: AlignParams,
                 types: list[BeadType], windows: bool = True) -> None:
        self.embed = embed
        self.windows = windows  # embed the windows for real (else keep them approximated)
        vecs = np.asarray(embed(src + tgt), dtype=np.float64)
        n = len(src)
        self.sides = (_Side(src, vecs[:n], params.max_window), _Side(tgt, vecs[n:], params.max_window))
        self.centre = (vecs[:n].mean(axis=0), vecs[n:].mean(axis=0))
        self.scale = max(float((vecs[:n] @ vecs[n:].T).std()), _MIN_SCALE)
        self.cos = {(a, b): self.sides[0].windows[a] @ self.sides[1].windows[b].T for a, b in types if a and b}

    def set_real(self, side: int, size: int, start: int, vec: np.ndarray) -> None:
        sd = self.sides[side]
        sd.windows[size][start] = vec
        sd.proxy[size][start] = False
        for (a, b), cos in self.cos.items():
            if side == 0 and a == size:
                cos[start, :] = self.sides[1].windows[b] @ vec
            elif side == 1 and b == size:
                cos[:, start] = self.sides[0].windows[a] @ vec

    def z_between(self, src: tuple[int, ...], tgt: tuple[int, ...]) -> float:
        """The normalised score of any two windows (longer than ``max_window`` too: approximated)."""
        wa, wb = self.sides[0].vector(src), self.sides[1].vector(tgt)
        base = 0.5 * (float(wa @ self.centre[1]) + float(wb @ self.centre[0]))
        return (float(wa @ wb) - base) / self.scale

    def z(self, a: int, b: int) -> np.ndarray:
        """Cosines of all (a, b) beads, centred on each window's mean similarity to the other
        version and divided by the story's spread; rows = source windows, columns = target ones."""
        wa, wb = self.sides[0].windows[a], self.sides[1].windows[b]
        base = 0.5 * ((wa @ self.centre[1])[:, None] + (wb @ self.centre[0])[None, :])
        return (self.cos[(a, b)] - base) / self.scale


class _PairAligner:
    """The banded dynamic programme for one pair of versions, refined with real windows."""

    def __init__(self, src: list[str], tgt: list[str], embeds: list[EmbedFn], params: AlignParams,
                 sentence_embeds: Sequence[EmbedFn] = ()) -> None:
        self.params = params
        self.n, self.m = len(src), len(tgt)
        self.types = [(a, b) for a, b in params.bead_types() if a <= self.n and b <= self.m]
        self.sims = [_Similarity(src, tgt, e, params, self.types) for e in embeds]
        self.sims += [_Similarity(src, tgt, e, params, self.types, windows=False) for e in sentence_embeds]
        self.sides = self.sims[0].sides  # texts and lengths (the same in every encoder's view)
        self.length = {t: np.zeros((self.n - t[0] + 1, self.m - t[1] + 1)) for t in self.types if t[0] and t[1]}
        self.numbers = {t: np.zeros_like(v) for t, v in self.length.items()}  # set after the first pass
        self.lone_numbers = (np.zeros(self.n), np.zeros(self.m))
        self.content = tuple(np.array([_content(t, params.content_letters) for t in side.texts])
                             for side in self.sides)
        self.agree: np.ndarray | None = None  # per sentence pair: agreement * (share of other versions - 1/2)
        self.mask = np.ones((self.n + 1, self.m + 1), dtype=bool)
        first = best_path(self._gains([(1, 1), (1, 0), (0, 1)]), self.n, self.m)
        self.mask = self._band(first)
        self._set_length_penalties(first)
        self._set_number_penalties(first)

    def _set_number_penalties(self, first: list[Bead]) -> None:
        """Penalise beads that part a number from its equal: a number written in digits in a
        sentence, which the other version writes within ``band`` sentences of where the first
        pass puts that sentence, costs ``number_weight`` in a bead whose other side lacks it, and
        in a skip. It counts one over the most sentences it occurs in nearby on either side (a
        year said in every other sentence anchors little). Numbers survive translation in every
        script: where the versions cut two sentences at different places, they hold the 2-2 bead
        together."""
        per_sentence = [[_numbers(t) for t in side.texts] for side in self.sides]
        shared = sorted(set().union(*per_sentence[0]) & set().union(*per_sentence[1]))
        if not shared or not self.params.number_weight:
            return
        column = {k: v for v, k in enumerate(shared)}
        has = [np.zeros((len(sets), len(shared))) for sets in per_sentence]
        for h, sets in zip(has, per_sentence):
            for i, nums in enumerate(sets):
                h[i, [column[k] for k in nums if k in column]] = 1.0
        # where the first pass puts each sentence on the other side
        at = [np.zeros(self.n, dtype=np.int64), np.zeros(self.m, dtype=np.int64)]
        i = j = 0
        for a, b in first:
            for x in a:
                at[0][x] = min(j, self.m - 1)
            for y in b:
                at[1][y] = min(i, self.n - 1)
            i, j = i + len(a), j + len(b)
        r = self.params.band
        cum = [np.concatenate([np.zeros((1, len(shared))), np.cumsum(h, axis=0)]) for h in has]

        def near(side: int, centres: np.ndarray) -> np.ndarray:
            size = len(has[side])
            lo, hi = np.clip(centres - r, 0, size), np.clip(centres + r + 1, 0, size)
            return cum[side][hi] - cum[side][lo]

        weights = []
        for side in (0, 1):
            own = near(side, np.arange(len(has[side])))
            other = near(1 - side, at[side])
            w = np.where(other > 0, 1.0 / np.maximum(np.maximum(own, other), 1.0), 0.0)
            weights.append(self.params.number_weight * has[side] * w)
        win_has = [{k: np.minimum(sum(h[o:len(h) - k + 1 + o] for o in range(k)), 1.0)
                    for k in range(1, min(self.params.max_window, len(h)) + 1)} for h in has]
        win_w = [{k: np.max([w[o:len(w) - k + 1 + o] for o in range(k)], axis=0)
                  for k in range(1, min(self.params.max_window, len(w)) + 1)} for w in weights]
        for a, b in self.numbers:  # weighted numbers of each side that the other side lacks
            wa, wb, ha, hb = win_w[0][a], win_w[1][b], win_has[0][a], win_has[1][b]
            self.numbers[(a, b)] = (wa.sum(axis=1)[:, None] - wa @ hb.T) + (wb.sum(axis=1)[None, :] - ha @ wb.T)
        self.lone_numbers = (weights[0].sum(axis=1), weights[1].sum(axis=1))

    def _set_length_penalties(self, first: list[Bead]) -> None:
        """Penalise beads whose lengths stray from the story's length model (Gale & Church 1993,
        learned from the story itself): target characters are ``ratio`` times source characters,
        the residual spreading with the square root of the length. ``ratio`` is the median over
        the first-pass 1-1 beads, the spread their robust one, shrunk towards Gale & Church's
        variance (6.8 characters) as if it were ``_LENGTH_PRIOR_BEADS`` more beads, so that a
        short story is not judged on two or three beads. The penalty is ``length_weight`` per
        standard deviation."""
        pairs = [(a[0], b[0]) for a, b in first if a and b]
        if not pairs:
            return
        src, tgt = (np.array(ids) for ids in zip(*pairs))
        ratio = float(np.median(self.sides[1].chars[1][tgt] / self.sides[0].chars[1][src]))
        residual = _length_residual(self.sides[0].chars[1][src], self.sides[1].chars[1][tgt] / ratio)
        robust_var = (MAD_TO_SIGMA * float(np.median(np.abs(residual)))) ** 2
        k = _LENGTH_PRIOR_BEADS
        spread = float(np.sqrt((len(pairs) * robust_var + k * _GALE_CHURCH_VARIANCE) / (len(pairs) + k)))
        for a, b in self.length:
            deviation = _length_residual(self.sides[0].chars[a][:, None], self.sides[1].chars[b][None, :] / ratio)
            self.length[(a, b)] = self.params.length_weight * np.abs(deviation) / spread

    def run(self) -> list[Bead]:
        """Embed every proxy window of a bead whose best path comes within ``refine_margin`` of the
        best path, until there is none; then the best path."""
        for _ in range(_REFINE_ROUNDS):
            gains = self._gains(self.types)
            total, marginals = _max_marginals(gains, self.n, self.m)
            need = set()
            for (a, b), mm in marginals.items():
                if a and b and (a > 1 or b > 1):
                    s_idx, t_idx = np.nonzero(mm >= total - self.params.refine_margin)
                    need.update((0, a, int(i)) for i in s_idx if self.sides[0].proxy[a][i])
                    need.update((1, b, int(j)) for j in t_idx if self.sides[1].proxy[b][j])
            if not need:
                break
            todo = sorted(need)
            texts = [self.sides[s].text(k, i) for s, k, i in todo]
            for sim in (s for s in self.sims if s.windows):
                vecs = np.asarray(sim.embed(texts), dtype=np.float64)
                for (s, k, i), v in zip(todo, vecs):
                    sim.set_real(s, k, i, v)
        beads = best_path(self._gains(self.types), self.n, self.m)
        for _ in range(_ABSORB_ROUNDS):
            joined = self._absorb(beads)
            if len(joined) == len(beads):
                break
            beads = joined
        return beads

    def _absorb(self, beads: list[Bead]) -> list[Bead]:
        """Join sentences left without counterpart to the neighbouring bead (in their own version)
        whose other side they bring closer: the joined window, embedded for real, scores better
        against that side than the bead's own window did. Candidates are the runs of such
        sentences next to a bead, shortest first up to ``max_window``; the best gain wins. Catches
        the fragments a bead shape limit or a noisy sentence kept out, and leaves a real insertion
        alone (it dilutes). A sentence with no content (``content_letters``) is not joined."""
        lone = {}  # (side, sentence) -> index of its bead
        for k, (a, b) in enumerate(beads):
            if not (a and b):
                lone[(0, a[0]) if a else (1, b[0])] = k
        cands = []  # (neighbour bead, side, lone sentences joined, joined window)
        for n, bead in enumerate(beads):
            if not (bead[0] and bead[1]):
                continue
            for side in (0, 1):
                for step, edge in ((-1, bead[side][0]), (1, bead[side][-1])):
                    run: list[int] = []
                    sent = edge + step
                    while (side, sent) in lone and len(run) < self.params.max_window \
                            and self.content[side][sent] > 0:
                        run.append(sent)
                        cands.append((n, side, tuple(run), tuple(sorted((*bead[side], *run)))))
                        sent += step
        if not cands:
            return beads
        todo = sorted({(side, ids) for _, side, _, ids in cands})
        texts = [self.sides[side].joined(ids) for side, ids in todo]
        for sim in (s for s in self.sims if s.windows):
            vecs = np.asarray(sim.embed(texts), dtype=np.float64)
            for (side, _), text, vec in zip(todo, texts, vecs):
                sim.sides[side].extra[text] = vec
        scored = []
        for n, side, run, ids in cands:
            other = beads[n][1 - side]
            gain = self._z_window(side, ids, other) - self._z_window(side, beads[n][side], other)
            if gain > 0:
                scored.append((-gain, n, side, run))
        out: list[list[tuple[int, ...]] | None] = [list(bead) for bead in beads]
        for _, n, side, run in sorted(scored):
            target = out[n]
            if any(out[lone[(side, x)]] is None for x in run):
                continue
            target[side] = tuple(sorted((*target[side], *run)))
            for x in run:
                out[lone[(side, x)]] = None
        return [(x[0], x[1]) for x in out if x is not None]

    def _z_window(self, side: int, ids: tuple[int, ...], other: tuple[int, ...]) -> float:
        """Normalised score of a window of ``side`` against one of the other side, encoders averaged."""
        src, tgt = (ids, other) if side == 0 else (other, ids)
        return float(np.mean([s.z_between(src, tgt) for s in self.sims]))

    def _z(self, a: int, b: int) -> np.ndarray:
        return sum(s.z(a, b) for s in self.sims) / len(self.sims)

    def _score(self, a: int, b: int) -> np.ndarray:
        """Bead scores: normalised cosine, less the length and number penalties, less the shortfall
        of the bead's least related sentence (against the whole other window) under ``member_floor``."""
        z = self._z(a, b) - self.length[(a, b)] - self.numbers[(a, b)]
        worst = np.full(z.shape, np.inf)
        if a > 1:  # each source sentence against the target window
            each = self._z(1, b)
            for o in range(a):
                worst = np.minimum(worst, each[o:o + z.shape[0]])
        if b > 1:  # each target sentence against the source window
            each = self._z(a, 1)
            for o in range(b):
                worst = np.minimum(worst, each[:, o:o + z.shape[1]])
        return z - np.maximum(self.params.member_floor - worst, 0.0)

    def _gains(self, types: list[BeadType]) -> dict[BeadType, np.ndarray]:
        p = self.params
        gains = {}
        for a, b in types:
            g = np.full((self.n + 1, self.m + 1), p.skip if a == 0 or b == 0 else NEG)
            if (a, b) == (1, 0):
                g[1:] = p.skip * self.content[0][:, None] - self.lone_numbers[0][:, None]
            elif (a, b) == (0, 1):
                g[:, 1:] = p.skip * self.content[1][None, :] - self.lone_numbers[1][None, :]
            if a and b:
                g[a:, b:] = self._score(a, b) * (self._size(a, b) / 2) ** p.size_power
                if self.agree is not None:
                    g[a:, b:] += self._agreement(a, b)
            g[~self.mask] = NEG
            gains[(a, b)] = g
        return gains

    def _size(self, a: int, b: int) -> np.ndarray:
        """The sentences of every (a, b) bead, each counted by its content (1 for a sentence with
        ``content_letters`` letters or more), or in full where the other side has no more
        content than it (scanning debris paired with debris, a heading with a heading)."""
        c = self.content
        most = [np.max([c[k][o:len(c[k]) - size + 1 + o] for o in range(size)], axis=0)
                for k, size in ((0, a), (1, b))]
        src = sum(np.maximum(c[0][o:self.n - a + 1 + o][:, None], 1.0 - most[1][None, :]) for o in range(a))
        tgt = sum(np.maximum(c[1][o:self.m - b + 1 + o][None, :], 1.0 - most[0][:, None]) for o in range(b))
        return src + tgt

    def _agreement(self, a: int, b: int) -> np.ndarray:
        """Sum over the bead's sentences of the best ``agree`` of a link to the other window."""
        n, m, sh = self.n, self.m, self.agree
        row_best = np.max([sh[:, o:m - b + 1 + o] for o in range(b)], axis=0)  # (n, windows of b)
        col_best = np.max([sh[o:n - a + 1 + o, :] for o in range(a)], axis=0)  # (windows of a, m)
        return (sum(row_best[o:n - a + 1 + o] for o in range(a))
                + sum(col_best[:, o:m - b + 1 + o] for o in range(b)))

    def _band(self, first: list[Bead]) -> np.ndarray:
        """DP cells within ``params.band`` of the first-pass (1-1 and skips only) path."""
        n, m = self.n, self.m
        lo = np.full(n + 1, m)
        hi = np.zeros(n + 1, dtype=np.int64)
        i = j = 0
        lo[0] = 0
        for a, b in first:
            i, j = i + len(a), j + len(b)
            lo[i], hi[i] = min(lo[i], j), max(hi[i], j)
        w = self.params.band
        lo_w = np.array([lo[max(0, r - w):r + w + 1].min() for r in range(n + 1)]) - w
        hi_w = np.array([hi[max(0, r - w):r + w + 1].max() for r in range(n + 1)]) + w
        cols = np.arange(m + 1)
        return (cols[None, :] >= lo_w[:, None]) & (cols[None, :] <= hi_w[:, None])


def best_path(gains: dict[BeadType, np.ndarray], n: int, m: int) -> list[Bead]:
    """The bead sequence of greatest total gain through the (n+1, m+1) grid.

    ``gains[(a, b)][i, j]`` is the gain of the bead that covers source sentences ``i-a..i-1``
    and target sentences ``j-b..j-1``. Ties go to the earlier key, and to any bead over a 0-1.
    """
    _, kind, types = _forward(gains, n, m)
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        a, b = types[kind[i, j]]
        beads.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    return beads[::-1]


def _max_marginals(gains: dict[BeadType, np.ndarray], n: int, m: int) -> tuple[float, dict[BeadType, np.ndarray]]:
    """The best total, and for every bead type the best total of a path forced through each bead.

    ``out[(a, b)][s, t]`` is for the bead starting at source ``s`` and target ``t``.
    """
    fwd, _, _ = _forward(gains, n, m)
    rev = {}
    for (a, b), g in gains.items():
        r = np.full_like(g, NEG)
        r[a:, b:] = g[::-1, ::-1][:n + 1 - a, :m + 1 - b]
        rev[(a, b)] = r
    bwd = _forward(rev, n, m)[0][::-1, ::-1]  # best total from (i, j) to the end
    out = {(a, b): fwd[:n + 1 - a, :m + 1 - b] + g[a:, b:] + bwd[a:, b:] for (a, b), g in gains.items()}
    return float(fwd[n, m]), out


def _forward(gains: dict[BeadType, np.ndarray], n: int, m: int) -> tuple[np.ndarray, np.ndarray, list[BeadType]]:
    """Best totals to every cell and the bead type that reached it (index into the returned types).

    Rows are processed one at a time, vectorised over columns and bead types; the 0-1 chain
    inside a row is a running maximum.
    """
    others = [t for t in gains if t != (0, 1)]
    skip = gains.get((0, 1))
    stacked = np.stack([gains[t] for t in others])
    da = np.array([a for a, _ in others])[:, None]
    cols = np.arange(m + 1)[None, :] - np.array([b for _, b in others])[:, None]
    floor = NEG * (n + m + 1)
    best = np.full((n + 1, m + 1), floor)
    kind = np.zeros((n + 1, m + 1), dtype=np.int64)
    pick = np.arange(m + 1)
    for i in range(n + 1):
        rows = i - da
        ok = (rows >= 0) & (cols >= 0)
        cand = np.where(ok, best[np.maximum(rows, 0), np.maximum(cols, 0)] + stacked[:, i, :], floor)
        arg = np.argmax(cand, axis=0)
        row = cand[arg, pick]
        if i == 0:
            row[0] = 0.0
        if skip is not None:
            acc = np.concatenate([[0.0], np.cumsum(skip[i, 1:])])
            v = row - acc
            run = np.maximum.accumulate(v)
            row = acc + run
            arg[v < run] = len(others)
        best[i] = row
        kind[i] = arg
    return best, kind, [*others, (0, 1)]


_NUMBER = re.compile(r"\d+(?:[.,'’\u00a0\u202f]\d+)*")


def _numbers(text: str) -> set[str]:
    """The numbers written in digits in ``text``, separators dropped (``8839,8`` = ``8839.8``)."""
    return {str(int("".join(c for c in m.group() if c.isdigit()))) for m in _NUMBER.finditer(text)}


def _content(text: str, full: int) -> float:
    """How much of a sentence ``text`` is: its letters over ``full`` (a wide CJK character
    counts three), at most 1; always 1 when ``full`` is 0. Scanning debris (``.....``) has none."""
    if not full:
        return 1.0
    letters = sum(3 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text if c.isalpha())
    return min(letters / full, 1.0)


def _length_residual(src_chars: np.ndarray, tgt_chars: np.ndarray) -> np.ndarray:
    """Gale & Church's length residual: the difference over the square root of the mean length
    (target lengths already in source characters)."""
    return (tgt_chars - src_chars) / np.sqrt((src_chars + tgt_chars) / 2)


def _unit(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    return np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)


# --- several versions -------------------------------------------------------------------------

def align_versions(texts: Sequence[Sequence[str]], embed: EmbedFn | Sequence[EmbedFn],
                   params: AlignParams = AlignParams(), *,
                   sentence_embed: EmbedFn | Sequence[EmbedFn] = ()) -> dict[tuple[int, int], list[Bead]]:
    """Beads of every pair ``(p, q)``, ``p < q``, of versions given as sentence lists.

    With three versions or more, each pair is aligned again, every sentence of a bead gaining
    ``params.agreement`` times (the share of the other versions through which the first pass
    links it to a sentence of the bead's other side - 1/2): a link two pairs agree on holds
    the third, a link no other version supports costs.
    """
    fns, sentence_fns = _embed_fns(embed), _embed_fns(sentence_embed)
    aligners: dict[tuple[int, int], _PairAligner] = {}
    beads: dict[tuple[int, int], list[Bead]] = {}
    for p, q in itertools.combinations(range(len(texts)), 2):
        if texts[p] and texts[q]:
            aligners[(p, q)] = _PairAligner(list(texts[p]), list(texts[q]), fns, params, sentence_fns)
            beads[(p, q)] = aligners[(p, q)].run()
        else:
            beads[(p, q)] = _unaligned(len(texts[p]), len(texts[q]))
    if len(texts) < 3 or not params.agreement:
        return beads
    links = {pq: _link_matrix(b, len(texts[pq[0]]), len(texts[pq[1]])) for pq, b in beads.items()}
    out = dict(beads)
    for (p, q), aligner in aligners.items():
        others = [r for r in range(len(texts)) if r not in (p, q) and texts[r]]
        if not others:
            continue
        share = sum(_linked(links, p, r) @ _linked(links, r, q) > 0 for r in others) / len(others)
        aligner.agree = params.agreement * (share - 0.5)
        out[(p, q)] = aligner.run()
    return out


def _link_matrix(beads: list[Bead], n: int, m: int) -> np.ndarray:
    """``[i, j]`` is 1 where source sentence ``i`` and target sentence ``j`` share a bead."""
    out = np.zeros((n, m))
    for a, b in beads:
        if a and b:
            out[np.ix_(a, b)] = 1.0
    return out


def _linked(links: dict[tuple[int, int], np.ndarray], p: int, q: int) -> np.ndarray:
    return links[(p, q)] if p < q else links[(q, p)].T


def align_documents(docs: Sequence[Document], embed: EmbedFn | Sequence[EmbedFn],
                    params: AlignParams = AlignParams(), *, sentence_embed: EmbedFn | Sequence[EmbedFn] = (),
                    similarity_embed: EmbedFn | None = None) -> list[Row]:
    """Rows of the multi-version alignment.

    Every sentence of every document is in exactly one row; rows are in order and contiguous
    in every document; ``cells`` has every document id (an empty tuple: no counterpart);
    ``similarity`` is the mean pairwise cosine of the non-empty cells under ``similarity_embed``
    (default: the first encoder of ``embed``; None with fewer than two cells). ``embed`` and
    ``sentence_embed`` as in :func:`align_pair`.
    """
    texts = [[s.text for s in d.sentences] for d in docs]
    nodes = [(d, i) for d, t in enumerate(texts) for i in range(len(t))]
    uf = UnionFind(nodes)
    for (p, q), pair in align_versions(texts, embed, params, sentence_embed=sentence_embed).items():
        for a, b in pair:
            if a and b:
                for x in [(p, i) for i in a] + [(q, j) for j in b]:
                    uf.union(x, (p, a[0]))
    groups = _monotone_groups(uf, [len(t) for t in texts])
    first = similarity_embed or _embed_fns(embed)[0]
    rows = []
    for group in groups:
        cells = {d.id: tuple(d.sentences[i].i for i in sorted(group.get(k, ()))) for k, d in enumerate(docs)}
        cell_texts = [" ".join(texts[k][i] for i in sorted(ids)) for k, ids in sorted(group.items())]
        rows.append(Row(cells=cells, similarity=_mean_pairwise_cosine(cell_texts, first)))
    return rows


def _monotone_groups(uf: UnionFind, lengths: list[int]) -> list[dict[int, list[int]]]:
    """Merge components until each is contiguous in every document and they can be ordered.

    A component whose span in a document holds a sentence of another component absorbs that
    component; components that precede each other in different documents (a cycle) merge.
    Returns the components in order as ``{document: [positions]}``.
    """
    while True:
        changed = False
        for d, n in enumerate(lengths):  # contiguity
            first: dict = {}
            last: dict = {}
            for i in range(n):
                r = uf.find((d, i))
                first.setdefault(r, i)
                last[r] = i
            for r in first:
                for i in range(first[r] + 1, last[r]):
                    changed |= uf.union((d, i), r)
        if changed:
            continue
        order = _order_components(uf, lengths)
        if order is not None:
            break
    groups: dict[tuple[int, int], dict[int, list[int]]] = {}
    for d, n in enumerate(lengths):
        for i in range(n):
            groups.setdefault(uf.find((d, i)), {}).setdefault(d, []).append(i)
    return [groups[r] for r in order]


def _order_components(uf: UnionFind, lengths: list[int]) -> list[tuple[int, int]] | None:
    """A total order consistent with every document, or None after merging a cycle."""
    succ: dict[tuple[int, int], set] = {}
    key: dict[tuple[int, int], float] = {}
    for d, n in enumerate(lengths):
        prev = None
        for i in range(n):
            r = uf.find((d, i))
            succ.setdefault(r, set())
            key[r] = min(key.get(r, 2.0), i / n)
            if prev is not None and prev != r:
                succ[prev].add(r)
            prev = r
    cycle = _find_cycle(succ)
    if cycle:
        for r in cycle[1:]:
            uf.union(cycle[0], r)
        return None
    indeg = {r: 0 for r in succ}
    for r in succ:
        for s in succ[r]:
            indeg[s] += 1
    heap = [(key[r], r) for r, k in indeg.items() if k == 0]
    heapq.heapify(heap)
    order = []
    while heap:
        _, r = heapq.heappop(heap)
        order.append(r)
        for s in sorted(succ[r]):
            indeg[s] -= 1
            if indeg[s] == 0:
                heapq.heappush(heap, (key[s], s))
    return order


def _find_cycle(succ: dict) -> list | None:
    """The nodes of one directed cycle (iterative depth-first search), or None."""
    state: dict = {}
    for start in sorted(succ):
        if start in state:
            continue
        stack = [(start, iter(sorted(succ[start])))]
        state[start] = 1
        path = [start]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):]
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(sorted(succ[nxt]))))
                path.append(nxt)
    return None


def _mean_pairwise_cosine(texts: list[str], embed: EmbedFn) -> float | None:
    if len(texts) < 2:
        return None
    v = _unit(np.asarray(embed(texts), dtype=np.float64))
    sims = v @ v.T
    iu = np.triu_indices(len(texts), k=1)
    return float(sims[iu].mean())
