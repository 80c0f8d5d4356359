"""Annotators "margins" and "divergence": how far each row's versions are from each other.

"margins": per row and pair of versions, the cosine minus each side's mean cosine to the other
version's sentences outside the row (:func:`xlingo.check.divergence.pair_margins`), computed once
for XL704 and the row scores. "divergence": the calibrated 0..1 score of every row
(``Row.divergence``), with the span events of "words" when that annotator ran.
"""
from __future__ import annotations

from xlingo.annotate.context import CheckContext
from xlingo.check.divergence import pair_margins, row_divergence


def compute_margins(ctx: CheckContext, options: dict[str, float] | None = None) -> None:
    """Fill ``ctx.margins``."""
    ctx.margins = pair_margins(ctx.story, ctx.embed, ctx.sentence_vectors or None)


def row_scores(ctx: CheckContext) -> list[float]:
    """Calibrated 0..1 divergence per row: sentence margins, plus span events when present."""
    return row_divergence(ctx.story, ctx.embed, ctx.sentence_vectors or None,
                          events=ctx.words.events if ctx.words is not None else None, margins=ctx.margins)


def score_rows(ctx: CheckContext, options: dict[str, float] | None = None) -> None:
    """Write ``Row.divergence`` of every row."""
    for row, score in zip(ctx.rows, row_scores(ctx)):
        row.divergence = score
