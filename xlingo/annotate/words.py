"""Annotators "words" and "unsure-words": word alignment of every content row, the span events it
shows and their scores; the words the meaning model is least sure the other versions carry.

Every content row's cells are split into words with contextual vectors from the encoder's
token states, the words of every pair of versions are aligned (:mod:`xlingo.annotate.divergence`),
and the learned meaning model (:mod:`xlingo.annotate.meaning`) gives each word its probability of
having no counterpart in each other version; the omissions, additions and mistranslations found,
each with its score, go to ``ctx.words``. An encoder without token states leaves ``ctx.words`` at
None. "unsure-words" writes ``Row.unsure_words`` from that analysis when it ran: words the other
versions may not carry, or that one version alone may have left out, as evidence below the
findings' floors for a reviewer's eye (the viewer shades them, the text report lists them).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xlingo.annotate.context import CheckContext
from xlingo.annotate.divergence import CONTENT_WEIGHT, Cell, Event, Params, RowWords, TokenCache, gap_frame, row_events
from xlingo.annotate.meaning import analyse_words, fill_presence, load_model, missing
from xlingo.model import Span, UnsureWord, round_score


@dataclass
class WordAnalysis:
    """Word-level view of a story's content rows (by row index), their span events and, per event,
    the estimated chance that a reviewer marks it an accuracy error."""

    rows: dict[int, RowWords]
    events: list[Event]
    scores: list[float]


def event_score(row: RowWords, ev: Event) -> float:
    """The model's probability for the words that make the event: its own words' absence from
    every other version (additions, mistranslations), or the missing words' absence from this
    version (omissions); the highest over the span."""
    out = 0.0
    if ev.kind != "omission" and ev.own is not None:
        i, j = ev.own
        out = float(np.max(missing(row, ev.doc)[i:j + 1]))
    for d, (i, j) in ev.source.items():
        out = max(out, float(np.max(row.probability[(d, ev.doc)][i:j + 1])))
    return out


def _content_docs(ctx: CheckContext, k: int) -> list[str]:
    return [d.id for d in ctx.content_documents(k)]


def find_word_events(ctx: CheckContext, options: dict[str, float] | None = None) -> None:
    """Fill ``ctx.words`` (None when the encoder has no token states)."""
    if ctx.token_states is None:
        ctx.words = None
        return
    model = ctx.meaning_model or load_model()
    ks = [k for k, _ in ctx.content_rows() if len(_content_docs(ctx, k)) >= 2]
    story_words = analyse_words(ctx.story, TokenCache(ctx.token_states), ctx.embed, rows=ks,
                                docs={k: _content_docs(ctx, k) for k in ks})
    fill_presence(story_words, model)
    events = [ev for row in story_words.rows.values() for ev in row_events(row, Params())]
    scores = [model.span_score(event_score(story_words.rows[ev.row], ev)) for ev in events]
    ctx.words = WordAnalysis(story_words.rows, events, scores)


def unsure(row: RowWords, d: str) -> np.ndarray:
    """Per word of ``d``: the model's probability that no other version carries it, after the
    N-way vote where there is one (three or more versions)."""
    if row.voted:
        return np.min([row.voted[(d, e)] for e in row.others(d)], axis=0)
    return missing(row, d)


def lone_gaps(row: RowWords, d: str, absent: float = Params().absent) -> tuple[np.ndarray, list[str | None]]:
    """Per word of ``d``, in a row of three or more versions: the voted probability that one
    other version alone lacks it while every other version carries it (an omission there), and
    that version (None where there is none, a chance of 0). Names and numbers are left to the
    rules that compare them by spelling and value, as the vote leaves them."""
    chance, lacking = np.zeros(len(row.cells[d].words)), [None] * len(row.cells[d].words)
    if len(row.cells) < 3 or not row.voted:
        return chance, lacking
    for c in row.others(d):
        held = ~row.cells[d].key
        for e in row.others(d):
            if e != c:
                held &= row.presence[(d, e)] >= absent
        for i in np.flatnonzero(held & (row.voted[(d, c)] > chance)):
            chance[i], lacking[i] = row.voted[(d, c)][i], c
    return chance, lacking


#: the chance from which a content word is unsure, by the versions in its row (two, three, four or
#: more: chances run higher the fewer versions vote): what 2 % of the content words of clean news
#: reach, held out by document (``benchmarks/unsure_words.py`` chooses them for the shipped model)
UNSURE_FLOORS = {2: 0.24, 3: 0.16, 4: 0.1}
#: the same for a word that one version alone lacks (:func:`lone_gaps`), by the versions in its row
GAP_FLOORS = {3: 0.49, 4: 0.47}


def mark_unsure_words(ctx: CheckContext, options: dict[str, float] | None = None) -> None:
    """Write ``Row.unsure_words`` where the word analysis ran: each version's content words whose
    chance of having no counterpart in the other versions reaches :data:`UNSURE_FLOORS`, and, with
    three or more versions, those whose chance of having none in one version alone, while every
    other version carries them, reaches :data:`GAP_FLOORS` (a word left out there, with that
    version's words about the place); each with the word of each other version the word alignment
    links it to (of the versions that carry it, for the latter). Chances are rounded as reports
    write them, so every path to a report prints the same."""
    if ctx.words is None:
        return
    for k, row in ctx.words.rows.items():
        floor = UNSURE_FLOORS[min(len(row.cells), max(UNSURE_FLOORS))]
        gap_floor = GAP_FLOORS.get(min(len(row.cells), max(GAP_FLOORS)), 1.0)
        marked = []
        for d, cell in row.cells.items():
            p = unsure(row, d)
            gap, lacking = lone_gaps(row, d)
            for i in range(len(cell.words)):
                if cell.weight[i] < CONTENT_WEIGHT or not cell.seen[i]:
                    continue
                if p[i] >= floor:
                    marked.append(UnsureWord(_span(cell, i), round_score(p[i]), _linked(row, d, i),
                                             tuple(row.others(d))))
                elif gap[i] >= gap_floor:
                    c = lacking[i]
                    marked.append(UnsureWord(_span(cell, i), round_score(gap[i]), _linked(row, d, i, skip=c), (c,),
                                             _around(ctx, row, d, i, c)))
        ctx.rows[k].unsure_words = marked


def _around(ctx: CheckContext, row: RowWords, d: str, i: int, c: str) -> Span:
    """The words of ``c`` about the place where word ``i`` of ``d`` is missing (:func:`gap_frame`)."""
    lo, hi = gap_frame(row, d, c, i, i)
    ws, doc = row.cells[c].words.words, ctx.story.document(c)
    return Span(c, doc.lang, ws[lo].start, ws[hi].end, doc.text[ws[lo].start:ws[hi].end])


def _span(cell: Cell, i: int) -> Span:
    w = cell.words.words[i]
    return Span(cell.doc, cell.lang, w.start, w.end, w.text)


def _linked(row: RowWords, d: str, i: int, skip: str | None = None) -> tuple[Span, ...]:
    """Per other version (but ``skip``), the word the row's word alignment links word ``i`` of
    ``d`` to (the closest where it links several; none where it links nothing)."""
    out = []
    for e in row.others(d):
        if e == skip:
            continue
        pa = row.pairs[(d, e)]
        linked = np.flatnonzero(pa.links[i])
        if len(linked):
            out.append(_span(row.cells[e], int(linked[np.argmax(pa.sim[i, linked])])))
    return tuple(out)
