"""Annotator "boilerplate": sentences that belong to no version of the story (credits, link lists,
footers), marked so that every rule leaves them out of the comparison.

A sentence is a candidate when only its version has text in its row. It is marked when it looks
like page furniture rather than story (see :class:`~xlingo.check.rules.boilerplate.Boilerplate`,
XL601, whose options tune this annotator and which reports the marked blocks).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from xlingo.annotate.context import CheckContext
from xlingo.model import Document, Sentence
from xlingo.stats import robust_spread

# A photo/agency credit: "©" or "(c)", or a leading slash ("/Handout"); in a short
# line, a closing "Name Surname/Agentur" or "Agentur/Name Surname" pair.
_CREDIT = re.compile(r"^\W{0,3}(?:\(c\)\s|/\s*\w)|©")
_NAME, _ANY = r"[A-Z][\w.'-]*", r"\w[\w.'-]*"
_CREDIT_PAIR = re.compile(
    rf"(?:{_NAME}\s{_NAME}\s?/\s?{_ANY}|{_ANY}\s?/\s?{_NAME}\s{_NAME})(?:\s{_NAME}){{0,2}}\W{{0,2}}$")
# Page furniture, in English: the multilingual encoder recognises it in any language.
PROTOTYPES = (
    "Rendered automatically by software and reviewed by editors.",
    "See also:",
    "More on this topic",
    "Picture: Jane Roe/Wire Service",
    "Spread the word: forward this page to your friends.",
    "Was this helpful? Tell us what you think.",
    "Subscribe to our newsletter.",
    "All rights reserved.",
)
OPTIONS = {"off_topic_z": 3.0, "furniture_z": 6.0, "short_words": 12.0, "min_content": 4.0}
_BULLET = re.compile(r"^\s*(?:[-–—•·▪►*>]|\d{1,2}[.)])\s")
_TERMINAL = re.compile(r"[.!?…;。！？]['\"’”»«」)\]]*\s*$")
_WORDS = re.compile(r"\w+")
_LETTER_WORDS = re.compile(r"[^\W\d_]{2,}")
_STRONG = {"credit", "fragment"}  # cues that mark a lonely sentence on their own


@dataclass(frozen=True)
class BoilerplateBlock:
    """A run of consecutive marked sentences of one document, and why they were marked."""

    doc: str
    sentences: tuple[int, ...]
    reasons: tuple[str, ...]
    row: int  # the row of its first sentence


def mark_boilerplate(ctx: CheckContext, options: dict[str, float] | None = None) -> None:
    """Fill ``ctx.boilerplate`` (marked sentences) and ``ctx.boilerplate_blocks``."""
    opts = {**OPTIONS, **(options or {})}
    lonely: dict[str, dict[int, int]] = {d.id: {} for d in ctx.documents}  # doc -> sentence id -> row
    for k, row in enumerate(ctx.rows):
        present = [d for d, ids in row.cells.items() if ids]
        if len(present) == 1 and len(ctx.documents) > 1:
            for i in row.cells[present[0]]:
                lonely.setdefault(present[0], {})[i] = k
    for doc in ctx.documents:
        if lonely.get(doc.id):
            _document(ctx, doc, lonely[doc.id], opts)


def _cues(text: str, max_words: int) -> set[str]:
    """Structural cues of one sentence: credit, fragment, list item, heading-like short line."""
    cues = set()
    if len(_LETTER_WORDS.findall(text)) < 2 and sum(c.isalpha() for c in text) < 8:
        cues.add("fragment")  # stray marks and extraction debris (a CJK sentence is one long "word")
    n = len(_WORDS.findall(text))
    if _CREDIT.search(text) and n <= 2 * max_words or _CREDIT_PAIR.search(text) and n <= max_words:
        cues.add("credit")
    if _BULLET.match(text):
        cues.add("list item")
    if n <= max_words and not _TERMINAL.search(text):
        cues.add("short line")
    return cues


def _document(ctx: CheckContext, doc: Document, lonely: dict[int, int], opts: dict[str, float]) -> None:
    sents = doc.sentences
    sims = _similarities(ctx, doc, set(lonely), opts)
    cues = {s.i: _cues(s.text, int(opts["short_words"])) for s in sents if s.i in lonely}
    edge = _edge_runs(sents, set(lonely))
    marked: dict[int, list[str]] = {}
    for s in sents:  # in document order, so that a run grows from its first marked sentence
        if s.i not in lonely:
            continue
        c, sim = cues[s.i], sims.get(s.i, _Similarity())
        reasons = sorted(c & _STRONG) + ["off-topic"] * sim.off_topic + ["page furniture"] * sim.furniture
        weak = sorted(c - _STRONG)
        if weak and sim.low and (reasons or s.i in edge or _neighbour_marked(sents, s.i, marked)):
            reasons += weak + ([] if reasons or s.i not in edge else ["at the edge"])
        if reasons:
            marked[s.i] = reasons
    ctx.boilerplate.update((doc.id, i) for i in marked)
    for block in _blocks(sents, marked):
        reasons = tuple(sorted({r for s in block for r in marked[s.i]}))
        ctx.boilerplate_blocks.append(BoilerplateBlock(doc.id, tuple(s.i for s in block), reasons,
                                                       lonely[block[0].i]))


def _similarities(ctx: CheckContext, doc: Document, lonely: set[int], opts: dict[str, float]
                  ) -> dict[int, _Similarity]:
    """How each lonely sentence relates to the document's aligned sentences.

    Every measure is set against the same measure of the aligned sentences (each leaving
    itself out), in robust deviations from their median, so it holds at any encoder's
    scale. Topicality is the cosine to the sum of the aligned sentences: off-topic is below
    all of them and ``off_topic_z`` deviations below the median. Page furniture leans
    towards the :data:`PROTOTYPES`: its best prototype similarity minus its best
    similarity to an aligned sentence (the lean) is above that of every aligned sentence,
    and either positive (closer to a prototype than to the story) or ``furniture_z``
    deviations above their median (encoders whose cosines are all high).
    """
    content = [s for s in doc.sentences if s.i not in lonely]
    if len(content) < opts["min_content"]:
        return {}
    vecs = _vectors(ctx, doc, doc.sentences)
    idx = {s.i: n for n, s in enumerate(doc.sentences)}
    c = np.stack([vecs[idx[s.i]] for s in content])
    total = c.sum(axis=0)
    protos = np.asarray(ctx.embed(list(PROTOTYPES)), dtype=np.float32)
    pair = c @ c.T
    np.fill_diagonal(pair, -np.inf)
    own = np.array([_cos(v, total - v) for v in c])
    lean = (c @ protos.T).max(axis=1) - pair.max(axis=1)
    topic_median, topic_spread = robust_spread(own, floor=1e-3)
    lean_median, lean_spread = robust_spread(lean, floor=1e-3)
    off_limit = min(topic_median - opts["off_topic_z"] * topic_spread, float(own.min()))
    lean_limit = lean_median + opts["furniture_z"] * lean_spread
    out = {}
    for i in lonely:
        v = vecs[idx[i]]
        sim = _cos(v, total)
        lean_i = float(np.max(protos @ v) - np.max(c @ v))
        furniture = lean_i > float(lean.max()) and (lean_i > 0 or lean_i > lean_limit)
        out[i] = _Similarity(off_topic=sim < off_limit, low=sim < topic_median - topic_spread,
                             furniture=furniture)
    return out


@dataclass(frozen=True)
class _Similarity:
    off_topic: bool = False  # far below every aligned sentence: marks on its own
    low: bool = False  # below a typical aligned sentence: marks with a structural cue
    furniture: bool = False  # leaning towards the boilerplate prototypes: marks on its own


def _vectors(ctx: CheckContext, doc: Document, sents: list[Sentence]) -> np.ndarray:
    if all((doc.id, s.i) in ctx.sentence_vectors for s in sents):
        return np.stack([ctx.sentence_vectors[(doc.id, s.i)] for s in sents])
    return np.asarray(ctx.embed([s.text for s in sents]), dtype=np.float32)


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    n = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / n if n else 0.0


def _edge_runs(sents: list[Sentence], lonely: set[int]) -> set[int]:
    """Lonely sentences in an unbroken run from the document's first or last sentence."""
    out: set[int] = set()
    for order in (sents, sents[::-1]):
        for s in order:
            if s.i not in lonely:
                break
            out.add(s.i)
    return out


def _neighbour_marked(sents: list[Sentence], i: int, marked: dict[int, list[str]]) -> bool:
    pos = next(n for n, s in enumerate(sents) if s.i == i)
    return any(0 <= p < len(sents) and sents[p].i in marked for p in (pos - 1, pos + 1))


def _blocks(sents: list[Sentence], marked: dict[int, list[str]]) -> list[list[Sentence]]:
    """Maximal runs of consecutive marked sentences."""
    blocks: list[list[Sentence]] = []
    for s in sents:
        if s.i in marked:
            if blocks and blocks[-1][-1] is sents[sents.index(s) - 1]:
                blocks[-1].append(s)
            else:
                blocks.append([s])
    return blocks
