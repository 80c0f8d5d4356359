"""Counterfactual probes: cutting words out of a text, and what the cut does to its vector."""
from __future__ import annotations

import numpy as np

from xlingo.check.probes import cut_gain, cut_spans


def test_cut_spans_joins_the_sides_with_one_space_and_none_in_scripts_without_spaces():
    text = "Der Rat genehmigte das Budget, das 48 Millionen Euro beträgt, am Dienstag."
    start = text.index(", das")
    assert cut_spans(text, [(start, text.index(", am"))]) == "Der Rat genehmigte das Budget, am Dienstag."
    ja = "同社は2隻目の船を発注しており、2027年に引き渡される予定だ。"
    assert cut_spans(ja, [(ja.index("ており"), ja.index("。"))]) == "同社は2隻目の船を発注し。"
    ru = "Мэр пояснила, что проект обошёлся в три миллиона евро и что половину оплатил регион."
    two = [(ru.index(" в три"), ru.index(" евро") + 5), (ru.index(" и что"), ru.index("."))]
    assert cut_spans(ru, two) == "Мэр пояснила, что проект обошёлся."
    assert cut_spans(ru, [*two, two[1], (two[1][0] + 2, two[1][1] - 2)]) == "Мэр пояснила, что проект обошёлся."


def _bag(texts):
    """Sentence vectors as bags of words over a tiny vocabulary."""
    vocab = ["ship", "carries", "passengers", "gas", "runs", "on", "the", "navire", "passagers", "gaz"]
    same = {"navire": "ship", "passagers": "passengers", "gaz": "gas"}
    out = []
    for t in texts:
        v = np.zeros(len(vocab))
        for w in t.split():
            v[vocab.index(same.get(w, w))] += 1
        out.append(v / np.linalg.norm(v))
    return np.array(out)


def test_cut_gain_measures_the_share_of_the_distance_the_cut_closes():
    text = "the ship carries passengers runs on gas"
    assert cut_gain(_bag, text, "the ship carries passengers", ["navire passagers"]) > 0
    assert cut_gain(_bag, text, "the ship carries passengers", ["the ship carries passengers"]) == 1.0
    assert cut_gain(_bag, text, "runs on gas", ["navire passagers"]) < 0  # cutting what the other has
    # the least share over several others: one that has the words pulls it below zero
    assert cut_gain(_bag, text, "the ship carries passengers", ["navire passagers", "navire passagers gaz"]) < 0
