"""Word alignment from token states: words and offsets, subword merging, argmax / itermax.

Unit tests use hand-made token vectors (no model); the few ``model`` tests align real
sentences with the default encoder's token states.
"""
from __future__ import annotations

import numpy as np
import pytest

from xlingo.annotate.wordalign import (
    Word,
    WordStates,
    align_words,
    concat,
    itermax,
    mutual_argmax,
    split_words,
    word_states,
)
from xlingo.embed.base import TokenStates


def texts(words: list[Word]) -> list[str]:
    return [w.text for w in words]


# --------------------------------------------------------------------------- words

@pytest.mark.parametrize("text, expected", [
    ("Les prix ont augmenté de 13,7 %.", ["Les", "prix", "ont", "augmenté", "de", "13,7", "%"]),
    ("Environ 14 000 coureurs ont pris le départ.", ["Environ", "14 000", "coureurs", "ont", "pris", "le", "départ"]),
    ("l'entreprise d’Orsena", ["l'", "entreprise", "d’", "Orsena"]),
    ("Der Mont-Blanc-Tunnel kostet 1.000.000 €.", ["Der", "Mont-Blanc-Tunnel", "kostet", "1.000.000", "€"]),
    ("em 2019 300 pessoas", ["em", "2019", "300", "pessoas"]),  # a year is no thousands group
    ("Sales' growth: 2:21:09", ["Sales", "growth", "2", "21", "09"]),
    ("Ηλιος και Σελήνη", ["Ηλιος", "και", "Σελήνη"]),
])
def test_split_words(text, expected):
    words = split_words(text)
    assert texts(words) == expected
    assert all(text[w.start:w.end] == w.text for w in words)


def states(offsets, vectors) -> TokenStates:
    v = np.asarray(vectors, dtype=np.float32)
    return TokenStates(offsets=offsets, vectors=v / np.linalg.norm(v, axis=1, keepdims=True))


def test_word_states_average_the_pieces_of_a_word():
    text = "Preise stiegen"
    # "stiegen" = "stie" + "gen"; the first piece's span starts at the space before it
    ts = states([(0, 6), (6, 11), (11, 14)], [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    ws = word_states(text, ts)
    assert texts(ws.words) == ["Preise", "stiegen"]
    assert np.allclose(ws.vectors[0], [1, 0, 0])
    assert np.allclose(ws.vectors[1], np.array([0, 1, 1]) / np.sqrt(2))


def test_a_piece_spanning_two_words_feeds_both_and_unseen_words_stay_zero():
    text = "de 13,7 %. fin"
    ts = states([(0, 2), (3, 7), (8, 10)], [[1, 0], [0, 1], [1, 1]])  # "%." covers "%" and ".", "fin" truncated
    ws = word_states(text, ts)
    assert texts(ws.words) == ["de", "13,7", "%", "fin"]
    assert np.allclose(np.linalg.norm(ws.vectors[:3], axis=1), 1.0)
    assert not ws.vectors[3].any()


def test_shifted_and_concat_keep_offsets_and_rows():
    a = WordStates([Word(0, 3, "one")], np.eye(2, dtype=np.float32)[:1])
    b = WordStates([Word(0, 3, "two")], np.eye(2, dtype=np.float32)[1:])
    both = concat([a, b.shifted(4)])
    assert [(w.start, w.end) for w in both.words] == [(0, 3), (4, 7)]
    assert both.vectors.shape == (2, 2)


# --------------------------------------------------------------------------- matching

def test_mutual_argmax_links_only_mutual_best_matches():
    sim = np.array([[0.9, 0.2, 0.1],
                    [0.8, 0.3, 0.2],   # prefers column 0, which prefers row 0
                    [0.1, 0.2, 0.7]])
    links = mutual_argmax(sim)
    assert {tuple(x) for x in np.argwhere(links)} == {(0, 0), (2, 2)}


def test_itermax_adds_a_second_link_for_a_word_left_alone():
    # German "zu" -> French "trop ... trop": the second "trop" is free after round one
    sim = np.array([[0.9, 0.85, 0.1],
                    [0.1, 0.2, 0.9],
                    [0.3, 0.2, 0.1]])
    first = mutual_argmax(sim)
    grown = itermax(sim, rounds=2)
    assert not first[0, 1] and grown[0, 1]
    assert grown[0, 0] and grown[1, 2]


def test_itermax_leaves_small_matrices_and_full_alignments_alone():
    sim = np.array([[0.9, 0.1], [0.2, 0.8]])
    assert (itermax(sim) == mutual_argmax(sim)).all()
    square = np.eye(4) * 0.9 + 0.05
    assert (itermax(square) == np.eye(4, dtype=bool)).all()


def concept_states(words: list[str], concepts: dict[str, int], dim: int = 16, noise: float = 0.1, seed: int = 0):
    """Word states whose vectors are one-hot concepts plus a little noise (a fake bilingual lexicon)."""
    rng = np.random.default_rng(seed)
    vecs = np.stack([np.eye(dim)[concepts[w]] + noise * rng.standard_normal(dim) for w in words])
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    pos, out = 0, []
    for w in words:
        out.append(Word(pos, pos + len(w), w))
        pos += len(w) + 1
    return WordStates(out, vecs.astype(np.float32))


def test_align_words_recovers_a_reordering():
    lex = {"the": 0, "red": 1, "house": 2, "la": 0, "maison": 2, "rouge": 1}
    pa = align_words(concept_states(["the", "red", "house"], lex), concept_states(["la", "maison", "rouge"], lex, seed=1))
    assert {tuple(x) for x in np.argwhere(pa.links)} == {(0, 0), (1, 2), (2, 1)}
    assert pa.best_a.min() > 0.8
    back = pa.transposed()
    assert (back.links == pa.links.T).all() and back.a is pa.b


def test_an_unmatched_word_has_a_low_best_match_and_min_sim_drops_weak_links():
    lex = {"sales": 3, "rose": 4, "strongly": 5, "vendas": 3, "subiram": 4}
    pa = align_words(concept_states(["sales", "rose", "strongly"], lex),
                     concept_states(["vendas", "subiram"], lex, seed=2), min_sim=0.5)
    assert pa.best_a[2] < 0.5
    assert not pa.links[2].any()


def test_empty_sides():
    lex = {"a": 0}
    pa = align_words(concept_states(["a"], lex), WordStates([], np.zeros((0, 16), dtype=np.float32)))
    assert pa.sim.shape == (1, 0) and pa.best_a.tolist() == [0.0] and pa.best_b.shape == (0,)


# --------------------------------------------------------------------------- real encoder

@pytest.fixture(scope="session")
def token_encoder():
    from xlingo.embed import load_encoder

    enc = load_encoder("e5-small")
    if not hasattr(enc, "encode_tokens"):
        pytest.skip("default encoder has no token states")
    return enc


def aligned_pairs(enc, a: str, b: str) -> set[tuple[str, str]]:
    ta, tb = enc.encode_tokens([a, b])
    pa = align_words(word_states(a, ta), word_states(b, tb))
    return {(pa.a.words[i].text, pa.b.words[j].text) for i, j in np.argwhere(pa.links)}


@pytest.mark.model
def test_real_alignment_de_fr(token_encoder):
    pairs = aligned_pairs(token_encoder, "Die Preise stiegen im März um 13,7 Prozent.",
                          "Les prix ont augmenté de 13,7 % en mars.")
    assert {("Preise", "prix"), ("13,7", "13,7"), ("März", "mars")} <= pairs


@pytest.mark.model
def test_real_alignment_pt_en_reordered(token_encoder):
    pairs = aligned_pairs(token_encoder, "A câmara aprovou o novo orçamento na terça-feira.",
                          "On Tuesday the council approved the new budget.")
    assert {("orçamento", "budget"), ("aprovou", "approved"), ("novo", "new")} <= pairs
