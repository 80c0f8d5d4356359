"""Counterfactual probes: how a sentence's vector moves when some of its words are cut out.

A rule that suspects words of one version (a negation slipped in, a clause the others have and
this version lacks) asks the encoder whether the versions come closer once those words are gone:
a faithful translation with the words cut out is nearer the version that never had them, while a
paraphrase that says the same thing in other words is not.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from xlingo.embed.base import EmbedFn


def cut_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` without the character ``spans`` (overlapping ones cut once), the text on either
    side joined by one space where either side had one (none in Chinese or Japanese)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        left, right = text[:start], text[end:]
        space = " " if left[-1:].isspace() or right[:1].isspace() else ""
        text = left.rstrip() + space + right.lstrip()
    return text.strip()


def cut_gain(embed: EmbedFn, text: str, cut: str, others: Sequence[str]) -> float:
    """The least share, over ``others``, of its cosine distance to ``text`` that ``cut`` (``text``
    with words cut out) closes: 1 when the cut makes it the same as every other, 0 when the cut
    changes nothing, negative when it pulls away from one of them."""
    vecs = np.asarray(embed([text, cut, *others]), dtype=np.float64)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    sims = vecs[2:] @ vecs[:2].T
    return float(np.min((sims[:, 1] - sims[:, 0]) / np.maximum(1.0 - sims[:, 0], 1e-6)))
