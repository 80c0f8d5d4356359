"""Annotator "words": word alignment of every content row, the span events it shows and their scores.

Every content row's cells are split into words with contextual vectors from the encoder's
token states, the words of every pair of versions are aligned (:mod:`xlingo.annotate.divergence`),
and the learned meaning model (:mod:`xlingo.annotate.meaning`) gives each word its probability of
having no counterpart in each other version; the omissions, additions and mistranslations found,
each with its score, go to ``ctx.words``. An encoder without token states leaves ``ctx.words`` at
None.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xlingo.annotate.context import CheckContext
from xlingo.annotate.divergence import Event, Params, RowWords, TokenCache, row_events
from xlingo.annotate.meaning import analyse_words, fill_presence, load_model, missing


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
