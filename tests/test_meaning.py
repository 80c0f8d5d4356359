"""The learned meaning model: its file, its features and its verdicts on made-up rows.

Token states come from the made-up lexicon of ``test_rules_spans`` (words of one concept share
a vector), so what is "present" is known exactly; the shipped model itself is small and fast.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np
from test_rules_spans import lexicon_embed, lexicon_tokens

from xlingo.annotate.meaning import FEATURES, analyse_words, fill_presence, load_model, model_from_json, model_tag
from xlingo.annotate.wordalign import split_words
from xlingo.check.rules.spans import SpanAddition, SpanMistranslation, SpanOmission
from xlingo.testing import story_from_rows

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))


def _presence(rows: list[dict[str, str]], k: int = 0):
    story = story_from_rows(rows)
    sw = analyse_words(story, lexicon_tokens, lexicon_embed)
    fill_presence(sw)
    return sw.rows[k]


def _word(row, d: str, text: str) -> int:
    return next(i for i, w in enumerate(row.cells[d].words.words) if w.text == text)


def test_model_file_round_trips_and_its_digest_is_in_the_rule_options():
    model = load_model()
    again = model_from_json(model.to_json())
    x = np.random.default_rng(0).standard_normal((5, len(FEATURES)))
    assert np.allclose(model(x), again(x))
    assert model.digest == hashlib.sha256(model.to_json().encode()).hexdigest()[:12]
    for rule in (SpanOmission(), SpanAddition(), SpanMistranslation()):
        assert rule.opts["model"] == model_tag() > 0


def test_model_output_is_a_probability_and_increases_with_its_log_odds():
    model = load_model()
    assert model.calib_a > 0
    x = np.random.default_rng(2).standard_normal((50, len(FEATURES)))
    order = np.argsort(model.logit(x))
    assert np.all(np.diff(model(x)[order]) >= 0)
    p = model(np.random.default_rng(1).standard_normal((50, len(FEATURES))) * 3)
    assert np.all((p >= 0) & (p <= 1))


def test_a_word_no_other_version_has_is_missing_from_each_of_them():
    rows = [{"es": "Las ventas subieron 7 por ciento el martes.",
             "it": "Le vendite sono aumentate del 7 per cento martedì.",
             "pt": "As vendas subiram 7 por cento na terça-feira."}] * 3
    rows = rows + [{"es": "Las ventas subieron 7 por ciento el martes.",
                    "it": "Le vendite sono aumentate del 7 per cento martedì.",
                    "pt": "As vendas subiram 7 por cento na terça-feira ponte."}]
    row = _presence(rows, 3)
    extra = _word(row, "pt", "ponte")
    for e in ("es", "it"):
        absent = 1 - row.presence[("pt", e)]
        assert absent[extra] > 0.5
        assert np.median(absent) < 0.3


def test_faithful_versions_have_their_content_words_present():
    rows = [{"es": "La exposición dura hasta el final de septiembre.",
             "pt": "A exposição dura até o fim de setembro.",
             "de": "Die Ausstellung dauert bis Ende September."}] * 2
    row = _presence(rows)
    for (d, e), pres in row.presence.items():
        heavy = row.cells[d].weight >= 0.6
        assert (pres[heavy] > 0.5).all(), (d, e)


def test_number_features_compare_values_not_formats():
    from xlingo.annotate.meaning import StoryWords  # noqa: F401

    story = story_from_rows([{"de": "Es kamen 20.000 Besucher.", "en": "20,000 visitors came."},
                             {"de": "Es kamen 30.000 Besucher.", "en": "20,000 visitors came."}])
    sw = analyse_words(story, lexicon_tokens, lexicon_embed)
    col_in, col_out = FEATURES.index("number_in_other"), FEATURES.index("number_not_in_other")
    same, other = sw.features(0, "de", "en"), sw.features(1, "de", "en")
    i = _word(sw.rows[0], "de", "20.000")
    j = _word(sw.rows[1], "de", "30.000")
    assert same[i, col_in] == 1 and same[i, col_out] == 0
    assert other[j, col_in] == 0 and other[j, col_out] == 1


def test_unspaced_scripts_are_cut_into_words_and_combining_marks_stay_in_their_word():
    text = "议会今天批准了预算 and Parliament"
    assert [w.text for w in split_words(text)] == ["议会", "今天", "批准", "了", "预算", "and", "Parliament"]
    assert [w.text for w in split_words("नमस्ते दुनिया")] == ["नमस्ते", "दुनिया"]  # vowel signs are marks
    assert "".join(w.text for w in split_words("ฝนตกหนัก")) == "ฝนตกหนัก"


def test_synthetic_perturbations_label_exactly_what_changed():
    from synthetic import KINDS, perturb

    text = "Le maire de Lyon a annoncé 12 nouvelles pistes cyclables pour la rentrée."
    donors = ["Les travaux commenceront au printemps prochain."]
    for kind in KINDS:
        rng = np.random.default_rng(5)
        p = perturb(0, "fr", text, donors, ["Marseille"], kind, rng)
        assert p is not None and p.text != text, kind
        a, b = p.removed
        new_a, new_b = p.new
        assert p.text[:new_a] == text[:a]
        assert p.text[new_b:].strip() == text[b:].strip()
