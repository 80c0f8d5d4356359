"""Rule messages are written for an editor: what is missing or different, where, and what the other
versions say; no NLP vocabulary ("counterpart", z-scores, probabilities, cosine figures)."""
from __future__ import annotations

import re

from test_rules_alignment import ROWS as ALIGNMENT_ROWS
from test_rules_spans import BUDGET, run

from xlingo.check.rules.alignment import ExtraSentence, MissingSentence
from xlingo.check.rules.spans import SpanAddition, SpanMistranslation, SpanOmission
from xlingo.testing import context_for, story_from_rows

JARGON = re.compile(r"counterpart|\bz=|\bp=|similarity \d|agree on\b|stretches|row's", re.IGNORECASE)


def messages(rule, rows):
    return [f.message for f in run(rule, rows)[1]]


def test_a_left_out_figure_says_what_the_other_versions_have():
    (msg,) = messages(SpanOmission(), [dict(BUDGET, it="Il consiglio ha approvato il bilancio di 48 di euro per il nuovo ponte.")])
    assert msg.startswith("left out: `millones` / `milhões` in es, pt has nothing corresponding in this version (around `")
    assert not JARGON.search(msg)


def test_additions_and_changed_words_name_the_other_versions():
    (added,) = messages(SpanAddition(), [dict(BUDGET, es="El consejo aprobó el presupuesto de 48 millones de euros "
                                                          "para el nuevo puente y el río.")])
    assert "is not in it, pt: added here, or left out there" in added and not JARGON.search(added)
    swapped = [{"en": "Sales rose by 7 percent.", "de": "Der Umsatz stieg um 7 Prozent.",
                "pt": "As vendas caíram 7 por cento."}]
    (changed,) = messages(SpanMistranslation(), swapped) + messages(SpanOmission(), swapped)  # a swap or a gap
    assert "`rose` / `stieg` in en, de" in changed and "caíram" in changed and not JARGON.search(changed)


def test_missing_and_extra_sentences_read_as_editorial_notes():
    story = story_from_rows(ALIGNMENT_ROWS)
    (missing,) = [f.message for f in MissingSentence().check(context_for(story))]
    (extra,) = [f.message for f in ExtraSentence().check(context_for(story))]
    assert missing == "missing here: `Tickets cost twelve euros for adults.` (en, es) has no translation in this version"
    assert extra == "not in en, es: added here, or left out there"
    assert not JARGON.search(missing + extra)

