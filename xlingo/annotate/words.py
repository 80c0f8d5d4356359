"""Annotator "words": word alignment of every content row and the span events it shows.

Every content row's cells are split into words with contextual vectors from the encoder's
token states, the words of every pair of versions are aligned and presences are calibrated on
the story (:mod:`xlingo.check.divergence`); the omissions, additions and mistranslations found
go to ``ctx.words``. An encoder without token states leaves ``ctx.words`` at None.
"""
from __future__ import annotations

from dataclasses import dataclass

from xlingo.annotate.context import CheckContext
from xlingo.check.divergence import Event, Params, RowWords, TokenCache, analyse_story, row_events


@dataclass
class WordAnalysis:
    """Word-level view of a story's content rows (by row index) and their span events."""

    rows: dict[int, RowWords]
    events: list[Event]


def _content_docs(ctx: CheckContext, k: int) -> list[str]:
    row = ctx.rows[k]
    return [d.id for d in ctx.documents if row.cells.get(d.id) and not ctx.is_boilerplate(d.id, row.cells[d.id])]


def align_words(ctx: CheckContext, options: dict[str, float] | None = None) -> None:
    """Fill ``ctx.words`` (None when the encoder has no token states)."""
    if ctx.token_states is None:
        ctx.words = None
        return
    tokens = TokenCache(ctx.token_states)
    ks = [k for k, _ in ctx.content_rows() if len(_content_docs(ctx, k)) >= 2]
    rows = analyse_story(ctx.story, tokens, Params(), rows=ks, docs={k: _content_docs(ctx, k) for k in ks})
    ctx.words = WordAnalysis(rows, [ev for row in rows.values() for ev in row_events(row, Params())])
