"""XL601 boilerplate: marks page furniture, keeps real omissions (fake embeddings; one model test)."""
from __future__ import annotations

import pytest

from xlingo.check.rules.boilerplate import Boilerplate
from xlingo.model import Severity
from xlingo.testing import context_for, story_from_rows

STORY = [
    {"en": "The town council of Marlow Bridge approved the budget for next year.",
     "es": "El ayuntamiento de Marlow Bridge aprobó el presupuesto del próximo año."},
    {"en": "The budget of the town council raises spending on schools and roads.",
     "es": "El presupuesto aumenta el gasto en escuelas y carreteras."},
    {"en": "The council voted for the budget by a large majority.",
     "es": "El pleno votó el presupuesto por amplia mayoría."},
    {"en": "The opposition on the council criticised the debt in the budget.",
     "es": "La oposición criticó la deuda."},
    {"en": "The budget takes effect in January, the town council said.",
     "es": "El presupuesto entra en vigor en enero."},
]


def _check(rows):
    ctx = context_for(story_from_rows(rows))
    return list(Boilerplate().check(ctx)), ctx


def test_credit_line_and_read_also_block_are_marked():
    rows = STORY[:1] + [{"en": "Photo: Jane Doe/Riverside Press", "es": None}] + STORY[1:] + [
        {"en": "See also:", "es": None},
        {"en": "Local football club signs a new goalkeeper", "es": None},
        {"en": "Weather: sunny weekend ahead", "es": None}]
    findings, ctx = _check(rows)
    assert [(f.rule, f.doc, f.row, f.severity) for f in findings] == [
        ("XL601", "en", 1, Severity.INFO), ("XL601", "en", 6, Severity.INFO)]
    assert findings[0].text == "Photo: Jane Doe/Riverside Press"
    en = ctx.story.document("en")
    assert (findings[1].start, findings[1].end) == (en.sentences[6].start, en.sentences[8].end)
    assert "3 sentences" in findings[1].message
    assert ctx.boilerplate == {("en", 1), ("en", 6), ("en", 7), ("en", 8)}


def test_translation_footer_is_page_furniture():
    rows = STORY + [{"en": None, "es": "Rendered automatically by software and reviewed by our editors."}]
    findings, ctx = _check(rows)
    assert [(f.doc, f.row) for f in findings] == [("es", 5)]
    assert ctx.boilerplate == {("es", 5)}


def test_on_topic_omission_is_not_boilerplate():
    rows = STORY[:3] + [{"en": "The mayor defended the budget and the spending on schools before the council.",
                         "es": None},
                        {"en": "The budget of the town council also funds the Town Hall/Riverside Park tram line.",
                         "es": None}] + STORY[3:] + [
        {"en": "The town council meets again in March to discuss the budget", "es": None}]
    findings, ctx = _check(rows)
    assert findings == [] and ctx.boilerplate == set()


def test_credit_in_every_version_is_not_a_lonely_sentence():
    rows = STORY + [{"en": "Photo: Jane Doe/Riverside Press", "es": "Foto: Jane Doe/Riverside Press"}]
    findings, ctx = _check(rows)
    assert findings == [] and ctx.boilerplate == set()


def test_stray_fragments_are_marked_but_not_a_short_cjk_sentence():
    rows = STORY[:2] + [{"en": "* , -", "es": None}, {"en": None, "es": "JfV"}] + STORY[2:] + [
        {"en": None, "es": None, "zh": "市议会今天批准了明年的预算。"}]
    _, ctx = _check(rows)
    assert ctx.boilerplate == {("en", 2), ("es", 2)}


def test_later_rules_skip_marked_rows():
    rows = STORY + [{"en": "© Riverside Press 2024", "es": None}]
    _, ctx = _check(rows)
    assert [k for k, _ in ctx.content_rows()] == [0, 1, 2, 3, 4]


@pytest.mark.model
def test_real_encoder_separates_furniture_from_an_omission(embedder):
    rows = [
        {"de": "Hitzewelle in Südeuropa: Waldbrände zwingen Tausende zur Flucht",
         "pt": "Onda de calor no sul da Europa: incêndios obrigam milhares a fugir"},
        {"de": "In Griechenland und Portugal kämpfen Feuerwehrleute seit Tagen gegen große Waldbrände.",
         "pt": "Na Grécia e em Portugal, os bombeiros combatem há dias grandes incêndios florestais."},
        {"de": "Die Temperaturen stiegen am Dienstag auf über 44 Grad.",
         "pt": "As temperaturas subiram na terça-feira para mais de 44 graus."},
        {"de": "Mehr als 3000 Menschen mussten ihre Häuser verlassen.",
         "pt": "Mais de 3000 pessoas tiveram de deixar as suas casas."},
        {"de": "Die Behörden warnten vor weiteren Bränden in den kommenden Tagen.", "pt": None},
        {"de": "Experten sehen den Klimawandel als Ursache für die häufigeren Hitzewellen.",
         "pt": "Os especialistas apontam as alterações climáticas como causa das ondas de calor mais frequentes."},
        {"de": "Die Regierung versprach Hilfen für die betroffenen Gemeinden.",
         "pt": "O governo prometeu apoios para os municípios afetados."},
        {"de": None, "pt": "Esta notícia foi vertida automaticamente por software e revista pelos editores."},
        {"de": "Lesen Sie auch:", "pt": None},
        {"de": "Bundesliga: Spitzenreiter verliert überraschend auswärts", "pt": None},
        {"de": "So sparen Sie beim Online-Banking Gebühren", "pt": None},
    ]
    ctx = context_for(story_from_rows(rows), embed=embedder)
    findings = list(Boilerplate().check(ctx))
    assert ("de", 4) not in ctx.boilerplate  # the omitted warning stays an omission
    assert ("pt", 6) in ctx.boilerplate
    assert {("de", 7), ("de", 8), ("de", 9)} <= ctx.boilerplate
    assert len(findings) == 2
