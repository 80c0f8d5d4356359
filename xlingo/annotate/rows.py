"""Annotators "margins" and "divergence": how far each row's versions are from each other.

"margins": per row and pair of versions, the cosine minus each side's mean cosine to the other
version's sentences outside the row, and the plain cosine (:func:`xlingo.annotate.divergence.pair_scores`),
computed once for XL704 and the row scores.

"divergence": ``Row.divergence``, the estimated chance that a professional reviewer marks an
accuracy error in the row. Signals the pipeline already has (:func:`row_features`): the
sentence cosine, its margin over non-translations and that margin against the story's usual one,
length ratio, numbers of one version missing from another, the share of words copied unchanged,
the cosine under a second encoder that the row model names (USE v3, whose errors are not e5's;
its sentence vectors are the alignment's, so only a merged cell costs it a string); and, where
the "words" annotator ran, the word-level meaning model's view of both sides (the most and the
mean probability that a word has no counterpart, the meaning mass so missing, the share of
unmatched words). A logistic regression over them, each coefficient with the sign its signal has
alone (plain numbers in ``row_model.json``, rebuilt by ``training/train_row_model.py``, chosen and
evaluated by document-level cross-validation), maps them to that chance. A second set of
coefficients over the sentence signals alone serves encoders without token states.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from xlingo.annotate.context import CheckContext
from xlingo.annotate.divergence import (
    copied_share,
    number_mismatch,
    pair_cosines,
    pair_divergence,
    pair_scores,
    typical_margins,
)
from xlingo.annotate.meaning import missing
from xlingo.annotate.shipped import digest_tag, shipped_text

_SENTENCE = ("cosine", "margin", "margin_vs_story", "pair_divergence", "length_ratio", "log_words",
             "numbers_missing", "copied", "versions_3plus", "second_cosine")
_WORD = ("word_max", "word_mean", "mass", "unmatched_share")
CENTRED = ("cosine", "length_ratio", "copied", "second_cosine", "word_max", "word_mean", "mass", "unmatched_share")
SENTENCE_FEATURES = _SENTENCE + tuple(f"{f}_vs_story" for f in CENTRED if f in _SENTENCE)
WORD_FEATURES = _WORD + tuple(f"{f}_vs_story" for f in CENTRED if f in _WORD)
MODEL_FILE = "row_model.json"


@dataclass(frozen=True)
class Logistic:
    """Standardised features -> logistic regression -> Platt scaling (``a``, ``b``, fitted on
    held-out MQM segments: the chance a reviewer marks a major accuracy error). A feature that
    could not be computed (NaN: no second encoder) counts at its mean, i.e. not at all."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    a: float = 1.0
    b: float = 0.0

    def __call__(self, x: np.ndarray) -> np.ndarray:
        z = np.nan_to_num((np.atleast_2d(x) - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-(self.a * z + self.b)))

    @classmethod
    def from_dict(cls, d: dict) -> Logistic:
        return cls(np.array(d["mean"]), np.array(d["scale"]), np.array(d["coef"]), float(d["intercept"]),
                   float(d.get("a", 1.0)), float(d.get("b", 0.0)))


@dataclass(frozen=True)
class RowModel:
    """The row score's two models (with and without word signals), severity floors, the second
    encoder its features name (``xlingo.embed.load_encoder``), digest."""

    full: Logistic
    sentence: Logistic
    floors: dict[str, float]
    second_encoder: str
    digest: str

    def score(self, x: np.ndarray | None, words: np.ndarray | None) -> float:
        if x is None:
            return 0.0
        if words is None:
            return float(self.sentence(x)[0])
        return float(self.full(np.concatenate([x, words]))[0])


def model_from_json(text: str) -> RowModel:
    body = json.loads(text)
    if tuple(body["sentence_features"]) != SENTENCE_FEATURES or tuple(body["word_features"]) != WORD_FEATURES:
        raise ValueError("row model: its features are not the ones this version computes")
    return RowModel(Logistic.from_dict(body["full"]), Logistic.from_dict(body["sentence"]),
                    {k: float(v) for k, v in body["floors"].items()}, body["second_encoder"],
                    hashlib.sha256(text.encode()).hexdigest()[:12])


@lru_cache(maxsize=4)
def load_row_model(path: str | None = None) -> RowModel:
    """The shipped row model (or the one at ``path``)."""
    return model_from_json(shipped_text(MODEL_FILE, path))


def row_model_tag(model: RowModel | None = None) -> float:
    """The row model's digest as a number (for rule options, hence the report signature)."""
    return digest_tag((model or load_row_model()).digest)


def compute_margins(ctx: CheckContext, options: dict[str, float] | None = None) -> None:
    """Fill ``ctx.margins``, ``ctx.cosines`` and, with a second encoder, ``ctx.second_cosines``."""
    ctx.cosines, ctx.margins = pair_scores(ctx.story, ctx.embed, ctx.sentence_vectors or None)
    if ctx.second_embed is not None:
        ctx.second_cosines = pair_cosines(ctx.story, ctx.second_embed)


def _sentence_features(ctx: CheckContext) -> list[np.ndarray | None]:
    """Per row, :data:`SENTENCE_FEATURES` (None for rows with fewer than two non-empty cells)."""
    if ctx.margins is None or ctx.cosines is None:
        compute_margins(ctx)
    margins, cosines = ctx.margins, ctx.cosines
    second = ctx.second_cosines or [{} for _ in margins]
    typical = typical_margins(margins)
    out: list[np.ndarray | None] = []
    for k, (m, cos, cos2) in enumerate(zip(margins, cosines, second)):
        if not m:
            out.append(None)
            continue
        text = {d: ctx.row_text(k, d) for p in m for d in p}
        words = [max(1, len(t.split())) for t in text.values()]
        ratio = max(abs(math.log((len(text[d]) + 1) / (len(text[e]) + 1))) for d, e in m)
        numbers = max(max(number_mismatch(text[d], text[e]), number_mismatch(text[e], text[d])) for d, e in m)
        copied = max(max(copied_share(text[d], text[e]), copied_share(text[e], text[d])) for d, e in m)
        out.append(np.array([
            min(cos[p] for p in m), min(m.values()), min(v - typical[p] for p, v in m.items()),
            max(pair_divergence(v, typical[p]) for p, v in m.items()), ratio, math.log(float(np.mean(words))),
            numbers, copied, float(len(text) >= 3), min((cos2[p] for p in m if p in cos2), default=math.nan)]))
    return out


def _word_features(ctx: CheckContext, k: int) -> np.ndarray | None:
    """The raw word features of row ``k`` (the highest over its versions), None without the word view."""
    row = ctx.words.rows.get(k) if ctx.words is not None else None
    if row is None:
        return None
    best = np.zeros(len(_WORD))
    for d, cell in row.cells.items():
        p = missing(row, d)
        w = cell.weight
        mass = float((w * p).sum())
        shared = row.shared(d)
        best = np.maximum(best, [float(p.max()), float((w * p).sum() / max(w.sum(), 1e-9)), math.log1p(mass),
                                 float((shared < 0.5).mean())])
    return best


def _with_story_centred(feats: list[np.ndarray | None], names: tuple[str, ...]) -> list[np.ndarray | None]:
    """Each feature vector followed by its :data:`CENTRED` features less their median over the story's rows
    (what sets a row apart from the rest of its story, whatever the data's usual level)."""
    cols = [names.index(f) for f in CENTRED if f in names]
    have = [x for x in feats if x is not None]
    if not have:
        return feats
    median = np.median(np.stack(have)[:, cols], axis=0)
    return [None if x is None else np.concatenate([x, x[cols] - median]) for x in feats]


def row_features(ctx: CheckContext) -> list[tuple[np.ndarray | None, np.ndarray | None]]:
    """Per row: its :data:`SENTENCE_FEATURES` and its :data:`WORD_FEATURES` (either None where
    unavailable)."""
    sentence = _with_story_centred(_sentence_features(ctx), _SENTENCE)
    words = _with_story_centred([_word_features(ctx, k) if x is not None else None for k, x in enumerate(sentence)],
                                _WORD)
    return list(zip(sentence, words))


def row_scores(ctx: CheckContext, model: RowModel | None = None) -> list[float]:
    """Per row: the estimated chance that a reviewer marks an accuracy error in it (0 for a row
    with fewer than two versions)."""
    model = model or ctx.row_model or load_row_model()
    return [model.score(x, w) for x, w in row_features(ctx)]


def score_rows(ctx: CheckContext, options: dict[str, float] | None = None) -> None:
    """Write ``Row.divergence`` of every row."""
    for row, score in zip(ctx.rows, row_scores(ctx)):
        row.divergence = score
