"""Word alignment between translations from an encoder's contextual token states.

The SimAlign / awesome-align recipe without extra model: subword vectors from a middle
layer of the story's own multilingual encoder are merged into word vectors (mean of the
subwords a word overlaps, renormalised); two sentences' words are compared by cosine, and
words are linked by mutual argmax, optionally grown by *itermax* (repeat the mutual argmax
among words still unlinked on one side, Jalili Sabet et al. 2020).

Words are found by a script-agnostic pattern, not by the encoder's pieces: letters and digits
(with inner hyphens, and decimal or thousands marks inside numbers), elided articles split
off at the apostrophe (``l'`` | ``entreprise``) and the symbols that carry meaning (``%``,
currency signs). Every word keeps its character offsets, so what a detector finds can be
pointed at exactly.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from xlingo.embed.base import TokenStates
from xlingo.segment import word_units

# A number (13,7 / 1.000.000 / 2'500 / 14 000), a word (with inner hyphens), an elided article or
# pronoun up to its apostrophe, or a meaningful symbol.
WORD = re.compile(
    r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?(?!\d)"
    r"|\d+(?:[.,'’]\d+)*"
    r"|[^\W\d_]{1,3}['’](?=[^\W\d_])"
    r"|[^\W_](?:[^\W_]|[-‐](?=[^\W_]))*"
    r"|[%‰€$£¥₹§°]"
)


@dataclass(frozen=True)
class Word:
    """A word of a text: character offsets into that text and its surface form."""

    start: int
    end: int
    text: str


@dataclass
class WordStates:
    """The words of one text and their contextual vectors (unit rows; zero rows if unseen)."""

    words: list[Word]
    vectors: np.ndarray  # (n_words, dim)

    def __len__(self) -> int:
        return len(self.words)

    def shifted(self, offset: int) -> WordStates:
        """The same words with offsets moved by ``offset`` (sentence -> document offsets)."""
        return WordStates([Word(w.start + offset, w.end + offset, w.text) for w in self.words], self.vectors)


def split_words(text: str) -> list[Word]:
    """The words of ``text`` with their character offsets: combining marks (Devanagari or Thai
    vowel signs) stay inside the word they belong to, runs of spaceless scripts (Chinese,
    Japanese, Thai) are cut into words (:func:`xlingo.segment.word_units`)."""
    spans: list[tuple[int, int]] = []
    marked = False  # the previous word ended in combining marks the pattern left out
    for m in WORD.finditer(text):
        start, end = m.start(), m.end()
        if spans and marked and spans[-1][1] == start and not m.group()[0].isdigit():
            start = spans.pop()[0]
        marked = False
        while end < len(text) and unicodedata.category(text[end]).startswith("M"):
            end, marked = end + 1, True
        spans.append((start, end))
    return [Word(a, b, text[a:b]) for s, e in spans for a, b in word_units(text, s, e)]


def word_states(text: str, tokens: TokenStates) -> WordStates:
    """Merge subword states into one unit vector per word (mean of the pieces it overlaps)."""
    words = split_words(text)
    dim = tokens.vectors.shape[1] if tokens.vectors.ndim == 2 else 0
    out = np.zeros((len(words), dim), dtype=np.float32)
    if not words or not len(tokens.offsets):
        return WordStates(words, out)
    starts = np.array([w.start for w in words])
    ends = np.array([w.end for w in words])
    for (s, e), vec in zip(tokens.offsets, tokens.vectors):
        # pieces often start at the space before a word; overlap ignores it
        lo = int(np.searchsorted(ends, s, side="right"))
        hi = int(np.searchsorted(starts, e, side="left"))
        for k in range(lo, hi):
            out[k] += vec
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    out = np.divide(out, norms, out=np.zeros_like(out), where=norms > 1e-9)
    return WordStates(words, out)


def concat(parts: Sequence[WordStates]) -> WordStates:
    """Words of several texts, one after another (offsets as given)."""
    if not parts:
        return WordStates([], np.zeros((0, 0), dtype=np.float32))
    return WordStates([w for p in parts for w in p.words], np.concatenate([p.vectors for p in parts]))


def mutual_argmax(sim: np.ndarray) -> np.ndarray:
    """Links (boolean matrix) between words that are each other's best match."""
    links = np.zeros(sim.shape, dtype=bool)
    if sim.size == 0:
        return links
    fwd = sim.argmax(axis=1)
    bwd = sim.argmax(axis=0)
    rows = np.arange(sim.shape[0])
    ok = bwd[fwd] == rows
    links[rows[ok], fwd[ok]] = True
    return links


def itermax(sim: np.ndarray, rounds: int = 2, alpha: float = 0.9) -> np.ndarray:
    """SimAlign's itermax: mutual argmax, then again among words unlinked on one side.

    In each further round, pairs whose words are both linked already are left out and those
    with one linked word have their similarity scaled by ``alpha``, so a word may gain a
    second link (one-to-many) only when it is clearly the best candidate.
    """
    links = mutual_argmax(sim)
    m, n = sim.shape
    if min(m, n) <= 2:
        return links
    for _ in range(rounds - 1):
        free_x = ~links.any(axis=1)
        free_y = ~links.any(axis=0)
        if not free_x.any() or not free_y.any():
            break
        weight = np.clip(alpha * free_x[:, None] + alpha * free_y[None, :], 0.0, 1.0)
        allowed = free_x[:, None] | free_y[None, :]
        new = mutual_argmax(np.where(allowed, sim * weight, -np.inf)) & allowed
        if not (new & ~links).any():
            break
        links |= new
    return links


@dataclass
class PairAlignment:
    """Alignment of the words of two texts: similarities, links, and each word's best match."""

    a: WordStates
    b: WordStates
    sim: np.ndarray  # (len(a), len(b)) cosines
    links: np.ndarray  # boolean, same shape

    @property
    def best_a(self) -> np.ndarray:
        """For each word of ``a``, its highest similarity to a word of ``b`` (0 if ``b`` is empty)."""
        return self.sim.max(axis=1) if self.sim.shape[1] else np.zeros(self.sim.shape[0])

    @property
    def best_b(self) -> np.ndarray:
        return self.sim.max(axis=0) if self.sim.shape[0] else np.zeros(self.sim.shape[1])

    def transposed(self) -> PairAlignment:
        return PairAlignment(self.b, self.a, self.sim.T, self.links.T)


def align_words(a: WordStates, b: WordStates, rounds: int = 2, min_sim: float = 0.0) -> PairAlignment:
    """Align two word sequences (itermax); links below ``min_sim`` are dropped."""
    if len(a) and len(b):
        sim = (a.vectors @ b.vectors.T).astype(np.float32)
    else:
        sim = np.zeros((len(a), len(b)), dtype=np.float32)
    links = itermax(sim, rounds=rounds) if sim.size else np.zeros(sim.shape, dtype=bool)
    return PairAlignment(a, b, sim, links & (sim >= min_sim))
