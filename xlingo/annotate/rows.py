"""Annotators "margins" and "divergence": how far each row's versions are from each other.

"margins": per row and pair of versions, the cosine minus each side's mean cosine to the other
version's sentences outside the row (:func:`xlingo.annotate.divergence.pair_margins`), computed once
for XL704 and the row scores. "divergence": the calibrated 0..1 score of every row
(``Row.divergence``), with the word-level meaning model of "words" when that annotator ran.
"""
from __future__ import annotations

from xlingo.annotate.context import CheckContext
from xlingo.annotate.divergence import pair_margins, row_divergence
from xlingo.annotate.meaning import row_score


def compute_margins(ctx: CheckContext, options: dict[str, float] | None = None) -> None:
    """Fill ``ctx.margins``."""
    ctx.margins = pair_margins(ctx.story, ctx.embed, ctx.sentence_vectors or None)


def row_scores(ctx: CheckContext) -> list[float]:
    """Calibrated 0..1 divergence per row: the sentence margins, averaged with the meaning the model
    finds missing (:func:`~xlingo.annotate.meaning.row_score`) where "words" ran."""
    sentence = row_divergence(ctx.story, ctx.embed, ctx.sentence_vectors or None, margins=ctx.margins)
    if ctx.words is None:
        return sentence
    rows = ctx.words.rows
    return [0.5 * (v + row_score(rows[k])) if k in rows else v for k, v in enumerate(sentence)]


def score_rows(ctx: CheckContext, options: dict[str, float] | None = None) -> None:
    """Write ``Row.divergence`` of every row."""
    for row, score in zip(ctx.rows, row_scores(ctx)):
        row.divergence = score
