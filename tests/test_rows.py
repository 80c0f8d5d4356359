"""The row score (``Row.divergence``): its signals, its model file, XL704 on top of it."""
from __future__ import annotations

import json

import numpy as np
import pytest

from xlingo.align import AlignParams
from xlingo.annotate import annotate
from xlingo.annotate.divergence import copied_share, number_mismatch
from xlingo.annotate.rows import (
    MODEL_FILE,
    SENTENCE_FEATURES,
    WORD_FEATURES,
    Logistic,
    RowModel,
    load_row_model,
    model_from_json,
    row_features,
    row_model_tag,
    row_scores,
)
from xlingo.check.rules.spans import SentenceDivergence
from xlingo.model import Severity
from xlingo.pipeline import stage_parameters
from xlingo.testing import context_for, story_from_rows

FLOORS = {"info": 0.5, "warning": 0.8, "error": 0.95, "info_pair": 0.5}


def cosine_model(floors: dict[str, float] = FLOORS) -> RowModel:
    """A made-up row model: the lower the row's lowest cosine, the higher the score."""
    n, m = len(SENTENCE_FEATURES), len(SENTENCE_FEATURES) + len(WORD_FEATURES)

    def on_cosine(size: int) -> Logistic:
        coef = np.zeros(size)
        coef[SENTENCE_FEATURES.index("cosine")] = -20.0
        return Logistic(np.zeros(size), np.ones(size), coef, 10.0)

    return RowModel(on_cosine(m), on_cosine(n), floors, "use-v3", "test")


# made-up news in three languages, one concept per sentence so the hashed encoder tells them apart
ROWS = [
    {"en": "The mayor opened the new library on Monday.", "fr": "Le maire a inauguré la nouvelle bibliothèque lundi.",
     "de": "Der Bürgermeister eröffnete am Montag die neue Bibliothek."},
    {"en": "Tickets cost 12 euros for adults.", "fr": "Les billets coûtent 12 euros pour les adultes.",
     "de": "Karten kosten 12 Euro für Erwachsene."},
    {"en": "The museum closes at six in winter.", "fr": "Le musée ferme à six heures en hiver.",
     "de": "Das Museum schließt im Winter um sechs."},
    {"en": "Volunteers planted two hundred trees.", "fr": "Des bénévoles ont planté deux cents arbres.",
     "de": "Freiwillige pflanzten zweihundert Bäume."},
    {"en": "The harbour will be dredged next spring.", "fr": "Le port sera dragué au printemps prochain.",
     "de": "Der Hafen wird im nächsten Frühjahr ausgebaggert."},
    {"en": "Local bakers sold out by noon.", "fr": "Les boulangers locaux ont tout vendu avant midi.",
     "de": "Die örtlichen Bäcker waren mittags ausverkauft."},
]


def same_text_embed(texts):
    """An encoder that sees a sentence's meaning as the row of ``ROWS`` it comes from (any other
    sentence: a meaning of its own, from its characters)."""
    out = np.zeros((len(texts), 16))
    for i, t in enumerate(texts):
        k = next((k for k, r in enumerate(ROWS) if t in r.values()), None)
        out[i, k if k is not None else 6 + sum(map(ord, t)) % 8] = 1.0
        out[i, 14] = 0.3  # every sentence shares a little
        out[i] /= np.linalg.norm(out[i])
    return out


def run(rows, model=None, token_states=None):
    ctx = context_for(story_from_rows(rows), embed=same_text_embed, token_states=token_states,
                      row_model=model or cosine_model())
    return ctx, list(SentenceDivergence().check(ctx))


def test_number_mismatch_counts_values_of_one_version_missing_from_the_other():
    assert number_mismatch("Die Brücke kostet 48 Millionen Euro.", "Le pont coûte 48 millions d'euros.") == 0
    assert number_mismatch("Le pont coûte 84 millions d'euros.", "Die Brücke kostet 48 Millionen Euro.") == 1
    assert number_mismatch("Мост стоит 1,5 млрд рублей и 20 лет.", "橋は1.5億ルーブル。") == 1  # no 20
    assert number_mismatch("Kein Wort, keine Zahl.", "Aucun chiffre ici.") == 0
    assert number_mismatch("Um 20.30 Uhr", "à 20 h 30") == 1  # the joined value is missing: a feature, not a rule


def test_copied_share_is_high_for_an_untranslated_sentence_only():
    en = "The committee postponed the final decision until further notice."
    assert copied_share(en, en) == 1.0
    assert copied_share("Le comité a reporté la décision finale jusqu'à nouvel ordre.", en) == 0.0
    assert copied_share("Der Ausschuss der Gemeinde Greenfield vertagte gestern die endgültige Entscheidung.",
                        "Greenfield's committee waited.") < 0.2
    assert copied_share("Да.", "Yes.") == 0.0  # no word of four letters


def test_row_features_see_a_changed_number_and_an_untranslated_version():
    rows = [dict(r) for r in ROWS]
    rows[1]["de"] = "Karten kosten 21 Euro für Erwachsene."
    rows[3]["fr"] = rows[3]["en"]
    ctx = context_for(story_from_rows(rows), embed=same_text_embed, token_states=None)
    annotate(ctx, ["boilerplate", "margins", "words"])
    feats = row_features(ctx)
    numbers, copied = SENTENCE_FEATURES.index("numbers_missing"), SENTENCE_FEATURES.index("copied")
    assert [x[numbers] for x, _ in feats] == [0, 1, 0, 0, 0, 0]
    assert max(range(len(feats)), key=lambda k: feats[k][0][copied]) == 3
    assert all(w is None for _, w in feats)  # no token states: no word view


def test_the_shipped_model_loads_scores_in_range_and_refuses_other_features(tmp_path):
    model = load_row_model()
    assert {"info", "warning", "error", "info_pair"} <= set(model.floors)
    assert model.floors["info"] <= model.floors["warning"] <= model.floors["error"]
    ctx = context_for(story_from_rows(ROWS), embed=same_text_embed, token_states=None)
    annotate(ctx, ["boilerplate", "margins"])
    assert all(0.0 <= s <= 1.0 for s in row_scores(ctx))
    from importlib import resources

    body = json.loads(resources.files("xlingo.annotate").joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    body["sentence_features"] = ["cosine"]
    with pytest.raises(ValueError, match="features"):
        model_from_json(json.dumps(body))


def test_the_shipped_model_ranks_a_replaced_sentence_above_faithful_ones():
    rows = [dict(r) for r in ROWS]
    rows[2]["de"] = "Niemand weiß, warum das Wetter heute so ist."
    ctx = context_for(story_from_rows(rows), embed=same_text_embed, token_states=None)
    annotate(ctx, ["boilerplate", "margins"])
    scores = row_scores(ctx)
    assert max(range(len(scores)), key=scores.__getitem__) == 2


def test_xl704_flags_the_one_version_out_of_line_with_a_likelihood():
    rows = [dict(r) for r in ROWS]
    rows[4]["de"] = "Niemand weiß, warum das Wetter heute so ist."
    _, found = run(rows)
    assert [(f.doc, f.row) for f in found] == [("de", 4)]
    assert {r.doc for r in found[0].related} == {"en", "fr"}
    assert found[0].severity >= Severity.WARNING
    assert "likelihood of a real error" in found[0].message


def test_xl704_is_quiet_on_faithful_and_short_stories():
    assert run(ROWS)[1] == []
    assert run(ROWS[:4])[1] == []  # too few rows for the story's usual values


def test_xl704_is_information_only_when_no_version_stands_out():
    rows = [dict(r) for r in ROWS]
    rows[4]["de"] = "Niemand weiß, warum das Wetter heute so ist."
    rows[4]["fr"] = "Personne ne comprend les horaires des trains."
    _, found = run(rows)
    assert [(f.row, f.severity) for f in found] == [(4, Severity.INFO)]


def test_xl704_two_versions_one_finding_with_the_other_side_as_counterpart():
    rows = [{"en": r["en"], "fr": r["fr"]} for r in ROWS]
    rows[5]["fr"] = "Personne ne comprend les horaires des trains."
    _, found = run(rows)
    assert [(f.doc, f.row, f.severity) for f in found] == [("fr", 5, Severity.INFO)]  # quality estimation
    assert [r.doc for r in found[0].related] == ["en"]


def test_xl704_floors_come_from_the_row_model_and_the_margin_test_stands_on_its_own():
    rows = [dict(r) for r in ROWS]
    rows[4]["de"] = "Niemand weiß, warum das Wetter heute so ist."
    never = {k: 2.0 for k in FLOORS}
    ctx = context_for(story_from_rows(rows), embed=same_text_embed, token_states=None, row_model=cosine_model(never))
    found = list(SentenceDivergence().check(ctx))  # no score reaches a floor: the margin's own test flags it
    assert [(f.doc, f.row, f.severity) for f in found] == [("de", 4, Severity.WARNING)]
    assert "no closer to the others than unrelated sentences" in found[0].message
    assert "likelihood" not in found[0].message  # the row model's low score is no part of this verdict
    ctx = context_for(story_from_rows(rows), embed=same_text_embed, token_states=None, row_model=cosine_model(never))
    assert list(SentenceDivergence({"min_divergence": 2.0}).check(ctx)) == []


def test_the_row_model_is_part_of_the_report_signature():
    model = load_row_model()
    assert SentenceDivergence().opts["model"] == row_model_tag(model)
    params = stage_parameters([SentenceDivergence()], AlignParams())
    assert params["divergence"]["row_model"] == model.digest
    assert params["divergence"]["second_encoder"].startswith(model.second_encoder + "@")  # name and version
    assert params["rules.XL704"]["model"] == row_model_tag(model)


def test_xl704_score_alone_is_information_however_high():
    rows = [dict(r) for r in ROWS]
    rows[4]["de"] = "Niemand weiß, warum das Wetter heute so ist."
    ctx = context_for(story_from_rows(rows), embed=same_text_embed, token_states=None, row_model=cosine_model())
    found = list(SentenceDivergence({"min_divergence": 2.0}).check(ctx))  # the margin's own test off
    assert row_scores(ctx)[4] > 0.99
    assert [(f.doc, f.row, f.severity) for f in found] == [("de", 4, Severity.INFO)]


def second_model(floors: dict[str, float] = FLOORS) -> RowModel:
    """A made-up row model on the second encoder's cosine alone."""
    n, m = len(SENTENCE_FEATURES), len(SENTENCE_FEATURES) + len(WORD_FEATURES)

    def on_second(size: int) -> Logistic:
        coef = np.zeros(size)
        coef[SENTENCE_FEATURES.index("second_cosine")] = -20.0
        return Logistic(np.full(size, 0.5), np.ones(size), coef, 0.0)

    return RowModel(on_second(m), on_second(n), floors, "use-v3", "test")


def test_the_second_cosine_is_the_rows_least_pair_cosine_under_the_second_encoder():
    rows = [dict(r) for r in ROWS]
    rows[3]["fr"] = "Le boulanger a fermé sa boutique pour toujours."  # another meaning, for the second encoder too
    ctx = context_for(story_from_rows(rows), embed=same_text_embed, second_embed=same_text_embed, token_states=None)
    annotate(ctx, ["boilerplate", "margins"])
    col = SENTENCE_FEATURES.index("second_cosine")
    feats = [x[col] for x, _ in row_features(ctx)]
    assert feats[3] < 0.2 and all(v > 0.99 for k, v in enumerate(feats) if k != 3)
    assert max(range(len(rows)), key=row_scores(ctx, second_model()).__getitem__) == 3


def test_without_a_second_encoder_its_features_count_at_their_mean():
    ctx = context_for(story_from_rows(ROWS), embed=same_text_embed, token_states=None)
    annotate(ctx, ["boilerplate", "margins"])
    col = SENTENCE_FEATURES.index("second_cosine")
    assert all(np.isnan(x[col]) for x, _ in row_features(ctx))
    assert row_scores(ctx, second_model()) == pytest.approx([0.5] * len(ROWS))  # the model's own mean: no evidence
