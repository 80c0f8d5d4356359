"""Annotators "words" and "unsure-words": word alignment of every content row, the span events it
shows and their scores; the words the meaning model is least sure the other versions carry.

Every content row's cells are split into words with contextual vectors from the encoder's
token states, the words of every pair of versions are aligned (:mod:`xlingo.annotate.divergence`),
and the learned meaning model (:mod:`xlingo.annotate.meaning`) gives each word its probability of
having no counterpart in each other version; the omissions, additions and mistranslations found,
each with its score, go to ``ctx.words``. An encoder without token states leaves ``ctx.words`` at
None. "unsure-words" writes ``Row.unsure_words`` from that analysis when it ran: evidence below the
findings' floors, for a reviewer's eye (the viewer shades them, the text report lists them).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xlingo.annotate.context import CheckContext
from xlingo.annotate.divergence import CONTENT_WEIGHT, Event, Params, RowWords, TokenCache, row_events
from xlingo.annotate.meaning import analyse_words, fill_presence, load_model, missing
from xlingo.model import round_score


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


def mark_unsure_words(ctx: CheckContext, options: dict[str, float] | None = None) -> None:
    """Write ``Row.unsure_words`` where the word analysis ran: per version, its content words at
    least twice as likely as the model's base rate to have no counterpart in the other versions
    (about 2 % of the content words of clean news reach that, 19 per 100 sentences of en/de/fr/pt
    NTREX stories; a word at the model's ``absent_at`` is as unusual as the top 1 %). Chances are
    rounded as reports write them, so every path to a report prints the same."""
    if ctx.words is None:
        return
    floor = 2.0 * (ctx.meaning_model or load_model()).base_rate
    for k, row in ctx.words.rows.items():
        marked = {}
        for d, cell in row.cells.items():
            p = unsure(row, d)
            keep = [(w.start, w.end, round_score(p[i])) for i, w in enumerate(cell.words.words)
                    if p[i] >= floor and cell.weight[i] >= CONTENT_WEIGHT and cell.seen[i]]
            if keep:
                marked[d] = keep
        ctx.rows[k].unsure_words = marked
