"""XL001-XL003 on hand-built alignments (no model)."""
from __future__ import annotations

import numpy as np

from xlingo.check.base import all_rules
from xlingo.check.rules.alignment import ExtraSentence, MeaningShift, MissingSentence
from xlingo.model import Severity
from xlingo.testing import context_for, story_from_rows

ROWS = [
    {"en": "The museum reopens on Friday after two years of work.",
     "es": "El museo reabre el viernes tras dos años de obras.",
     "it": "Il museo riapre venerdì dopo due anni di lavori."},
    {"en": "Tickets cost twelve euros for adults.",
     "es": "Las entradas cuestan doce euros para adultos.",
     "it": None},
    {"en": None, "es": None, "it": "Il sindaco ha promesso un nuovo parcheggio vicino alla stazione."},
]


def test_missing_sentence_points_at_the_gap_in_the_lacking_version():
    story = story_from_rows(ROWS)
    findings = list(MissingSentence().check(context_for(story)))
    assert [(f.rule, f.doc, f.row, f.severity) for f in findings] == [("XL001", "it", 1, Severity.ERROR)]
    f = findings[0]
    it = story.document("it")
    assert f.start == f.end == it.sentences[0].end  # right after the last sentence it does have
    assert {r.lang for r in f.related} == {"en", "es"}


def test_extra_sentence_in_a_single_version():
    story = story_from_rows(ROWS)
    findings = list(ExtraSentence().check(context_for(story)))
    assert [(f.doc, f.row) for f in findings] == [("it", 2)]
    assert findings[0].text.startswith("Il sindaco")


def test_boilerplate_rows_are_not_omissions():
    story = story_from_rows(ROWS)
    ctx = context_for(story, boilerplate={("it", 1)})
    assert list(ExtraSentence().check(ctx)) == []


def test_punctuation_alone_is_nothing_to_translate():
    """A closing quotation mark the segmenter left as a sentence of its own (Latin, Arabic, Chinese
    quotes) is neither missing from the versions without it nor added to the one with it."""
    for quote in ('"', "»", "”", "」"):
        rows = [dict(ROWS[0]), {"en": quote, "es": quote, "it": None}, {"en": None, "es": None, "it": quote}]
        ctx = context_for(story_from_rows(rows))
        assert list(MissingSentence().check(ctx)) == [] and list(ExtraSentence().check(ctx)) == []


def test_clean_alignment_has_no_findings():
    story = story_from_rows([ROWS[0]] * 3)
    ctx = context_for(story)
    assert list(MissingSentence().check(ctx)) == [] and list(ExtraSentence().check(ctx)) == []


def _vec(*dims):
    v = np.zeros(8, dtype=np.float32)
    v[list(dims)] = 1.0
    return v / np.linalg.norm(v)


def test_meaning_shift_flags_the_outlier_version():
    rows = [{"en": f"en {k}", "de": f"de {k}", "fr": f"fr {k}"} for k in range(8)]
    story = story_from_rows(rows)
    for k, row in enumerate(story.alignment):
        row.similarity = 0.93 + 0.005 * (k % 3)
    story.alignment[5].similarity = 0.78
    table = {"en 5": _vec(0, 1), "fr 5": _vec(0, 1, 2), "de 5": _vec(5, 6)}

    def embed(texts):
        return np.stack([table.get(t, _vec(0)) for t in texts])

    findings = list(MeaningShift().check(context_for(story, embed=embed)))
    assert [(f.doc, f.row) for f in findings] == [("de", 5)]


def _shift_story(texts):
    """Eight rows of es / pl / ja; row 5 much less similar under the span encoder than the rest."""
    rows = [{"es": f"Frase {k}.", "pl": f"Zdanie {k}.", "ja": f"文{k}。"} for k in range(8)]
    rows[5] = texts
    story = story_from_rows(rows)
    for k, row in enumerate(story.alignment):
        row.similarity = 0.93 + 0.005 * (k % 3)
    story.alignment[5].similarity = 0.80
    return story


def test_meaning_shift_needs_the_second_encoder_to_find_the_versions_apart():
    replaced = {"es": "El museo reabre el viernes.", "pl": "Muzeum zostanie otwarte w piątek.",
                "ja": "市長は新しい駐車場を約束した。"}  # the Japanese says something else
    paraphrase = {"es": "El museo reabre el viernes.", "pl": "W piątek muzeum znów przyjmie gości.",
                  "ja": "美術館は金曜日に再開する。"}  # the same news in other words
    table = {replaced["es"]: _vec(0, 1), replaced["pl"]: _vec(0, 1, 2), replaced["ja"]: _vec(5, 6),
             paraphrase["pl"]: _vec(0, 2), paraphrase["ja"]: _vec(0, 1, 3)}

    def second(texts):
        return np.stack([table.get(t, _vec(7)) for t in texts])

    rule = MeaningShift({"min_z": 3.0, "max_second_agreement": 0.3})
    found = list(rule.check(context_for(_shift_story(replaced), second_embed=second)))
    assert [(f.doc, f.row) for f in found] == [("ja", 5)] and "this one least" in found[0].message
    assert list(rule.check(context_for(_shift_story(paraphrase), second_embed=second))) == []
    # without a second encoder, the span encoder's margin decides (0.13 below the median here)
    assert len(list(MeaningShift({"min_z": 3.0, "max_similarity_margin": 0.1}).check(
        context_for(_shift_story(paraphrase))))) == 1
    assert list(MeaningShift({"min_z": 3.0, "max_similarity_margin": 0.2}).check(
        context_for(_shift_story(paraphrase)))) == []


def test_meaning_shift_with_two_versions_does_not_say_which_one_changed():
    rows = [{"ar": f"جملة {k}.", "ru": f"Предложение {k}."} for k in range(8)]
    rows[5] = {"ar": "افتتح المتحف يوم الجمعة.", "ru": "Мэр пообещал новую парковку."}
    story = story_from_rows(rows)
    for k, row in enumerate(story.alignment):
        row.similarity = 0.93 + 0.005 * (k % 3)
    story.alignment[5].similarity = 0.80

    def second(texts):
        return np.stack([_vec(1) if t.startswith("افتتح") else _vec(2) if t.startswith("Мэр") else _vec(7)
                         for t in texts])

    [f] = MeaningShift({"min_z": 3.0, "max_second_agreement": 0.3}).check(context_for(story, second_embed=second))
    assert f.row == 5 and "either may be the one that changed" in f.message


def test_meaning_shift_quiet_on_uniform_story():
    story = story_from_rows([{"en": f"e{k}", "de": f"d{k}"} for k in range(8)])
    for row in story.alignment:
        row.similarity = 0.9
    assert list(MeaningShift().check(context_for(story))) == []


def test_every_rule_is_documented_in_four_parts():
    for rule in all_rules():
        doc = rule.doc()
        for part in ("What it does", "Why is this bad?", "Example", "Use instead"):
            assert part in doc, (rule.code, part)


_CONCEPTS = {"museum": ("museo", "muzeum", "美術館"), "reopens": ("reabre", "otwarte", "再開"),
             "friday": ("viernes", "piątek", "金曜日"), "works": ("obras", "prac", "工事"),
             "mayor": ("alcalde", "burmistrz", "市長"), "great": ("gran", "wielkim", "素晴らしい")}


def _concept_embed(texts):
    """A made-up encoder of meaning: a shared component plus one per concept a text names, in any
    of the three languages (Japanese matched inside the text)."""
    out = []
    for t in texts:
        low = t.lower()
        v = [1.0] + [float(sum(w in low for w in words)) for words in _CONCEPTS.values()]
        out.append(np.array(v) / np.linalg.norm(v))
    return np.stack(out)


_NEWS = {"es": ["El museo reabre el viernes tras dos años de obras.", "El alcalde habló de un gran día."],
         "pl": ["Muzeum zostanie otwarte w piątek po dwóch latach prac.", "Burmistrz mówił o wielkim dniu."]}


def test_a_sentence_the_aligner_merged_away_from_one_version_is_missing_there():
    # the other versions' two sentences meet the Japanese one in a row: it lacks the mayor's words
    story = story_from_rows([{**_NEWS, "ja": "美術館は二年間の工事を経て金曜日に再開する。"}])
    [f] = MissingSentence().check(context_for(story, second_embed=_concept_embed))
    assert (f.doc, f.severity, f.start, f.end) == ("ja", Severity.WARNING, len(story.document("ja").text),
                                                   len(story.document("ja").text))
    assert {(r.lang, r.text) for r in f.related} == {("es", _NEWS["es"][1]), ("pl", _NEWS["pl"][1])}
    # at the start where the first sentence is the one left out
    story = story_from_rows([{**_NEWS, "ja": "市長は素晴らしい日だと述べた。"}])
    [f] = MissingSentence().check(context_for(story, second_embed=_concept_embed))
    assert (f.doc, f.start, {r.text for r in f.related}) == ("ja", 0, {_NEWS["es"][0], _NEWS["pl"][0]})


def test_two_sentences_said_in_one_or_two_are_no_sentence_missing():
    for ja in (["美術館は二年間の工事を経て金曜日に再開する。", "市長は素晴らしい日だと述べた。"],
               "美術館は二年間の工事を経て金曜日に再開し、市長は素晴らしい日だと述べた。"):  # merged into one
        ctx = context_for(story_from_rows([{**_NEWS, "ja": ja}]), second_embed=_concept_embed)
        assert list(MissingSentence().check(ctx)) == []
    # a closing quotation mark the segmenter left on its own is nothing to translate
    row = {"es": [_NEWS["es"][0], "»"], "pl": [_NEWS["pl"][0], "”"], "ja": "美術館は二年間の工事を経て金曜日に再開する。"}
    assert list(MissingSentence().check(context_for(story_from_rows([row]), second_embed=_concept_embed))) == []
    # one other version alone holds the mayor's words (the Polish splits the news in two): no vote
    row = {"es": _NEWS["es"], "pl": ["Muzeum zostanie otwarte w piątek.", "Po dwóch latach prac."],
           "ja": "美術館は二年間の工事を経て金曜日に再開する。"}
    assert list(MissingSentence().check(context_for(story_from_rows([row]), second_embed=_concept_embed))) == []


def test_a_merged_row_is_judged_only_by_a_vote_and_a_second_encoder():
    row = {**_NEWS, "ja": "美術館は二年間の工事を経て金曜日に再開する。"}
    assert list(MissingSentence().check(context_for(story_from_rows([row])))) == []  # no second encoder
    pair = {"es": _NEWS["es"], "ja": row["ja"]}  # two versions: nothing tells which side is right
    assert list(MissingSentence().check(context_for(story_from_rows([pair]), second_embed=_concept_embed))) == []
