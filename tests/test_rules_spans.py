"""XL701-XL705 on hand-built multilingual rows.

Without the model, token states come from a tiny made-up bilingual lexicon: every word of a
concept group gets that concept's vector (plus a little noise), any other word a vector of
its own, so "which words have a counterpart" is exactly what the lexicon says. A few
``model`` tests run the real encoder.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from tests.rule_rows import sentence_vectors, token_states
from xlingo.annotate.divergence import (
    Event,
    TokenCache,
    _gap_place,
    row_divergence,
    row_events,
    vote_gaps,
    word_weight,
)
from xlingo.annotate.meaning import analyse_words, fill_presence, vote
from xlingo.check.base import RULES, all_rules
from xlingo.check.rules.numbers import NumberMismatch
from xlingo.check.rules.spans import (
    GarbledStructure,
    SentenceDivergence,
    SpanAddition,
    SpanMistranslation,
    SpanOmission,
    _strongest,
    divergence_scores,
    drop_gain,
    length_deficit,
)
from xlingo.model import Severity
from xlingo.testing import context_for, story_from_rows

DIM = 256
GROUPS = [  # one concept per line, words of all languages (case-folded)
    "the el il o a der die das le la los las i os as l'",
    "council consejo consiglio conselho rat conseil",
    "approved aprobó approvato aprovou genehmigte approuvé ha",
    "budget presupuesto bilancio orçamento haushalt",
    "of de di do da von des du",
    "48", "84",
    "million millones milioni milhões millionen millions",
    "euros euro euro",
    "for para per pour für",
    "new nuevo nuovo nova neue nouveau",
    "bridge puente ponte brücke pont",
    "sales ventas vendite vendas umsatz ventes",
    "rose subieron aumentate subiram stieg augmenté",
    "fell cayeron calate caíram sank",
    "by um por",
    "7",
    "percent por ciento cento prozent pour cent",
    "exhibition exposición mostra exposição ausstellung exposition",
    "lasts dura dura dura dauert dure",
    "until hasta fino até bis jusqu",
    "end final fine fim ende fin",
    "september septiembre settembre setembro septembre",
    "carry soportará sosterrà",
    "children niños bambini crianças kinder enfants",
    "under menores sotto menos unter moins",
    "16",
    "years años anni anos jahren ans",
    "enter entran entrano entram",
    "free gratis grátis",
    "and y e und et",
    "20,000 20.000",
    "vehicles vehículos veicoli veículos",
    "a al al",
    "day día giorno dia",
    "on en",
    "tuesday martes martedì terça-feira",
    "river río fiume rio",
    "rises crece cresce sobe",
    "rain lluvia pioggia chuva",
    "more más più mais",
    "is es è é",
    "expected esperado previsto esperada",
]
CONCEPT = {w: k for k, line in enumerate(GROUPS) for w in line.split()}


def _vec(word: str) -> np.ndarray:
    key = word.casefold()
    seed = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "little")
    noise = np.random.default_rng(seed).standard_normal(DIM)
    if key in CONCEPT:
        v = np.eye(DIM)[CONCEPT[key]] + 0.05 * noise
    else:
        v = noise  # a word of its own: nearly orthogonal to everything else
    return v / np.linalg.norm(v)


def lexicon_tokens(texts):
    """Fake token states: one 'piece' per word, concept vectors from the lexicon."""
    return token_states(texts, _vec)


def lexicon_embed(texts):
    """Fake cross-lingual sentence vectors: the normalised sum of the word vectors."""
    return sentence_vectors(texts, _vec)


# Score floors for the span logic under the made-up lexicon: its cosines (1 within a concept, ~0
# across) lie far outside what the model was trained on, so its probabilities are not calibrated
# here; the shipped floors are tested in test_meaning and on the real encoder.
LEXICON_FLOORS = {"info_score": 0.05, "warn_score": 0.1, "error_score": 0.15, "pair_warn_score": 0.1}


def run(rule, rows, token_states=lexicon_tokens, embed=lexicon_embed):
    if isinstance(rule, (SpanOmission, SpanAddition, SpanMistranslation)):
        rule = type(rule)({**LEXICON_FLOORS, **rule.given})
    if isinstance(rule, GarbledStructure):
        rule = GarbledStructure({"gap_score": LEXICON_FLOORS["warn_score"], **rule.given})
    story = story_from_rows(rows)
    ctx = context_for(story, embed=embed, token_states=token_states)
    return story, list(rule.check(ctx))


BUDGET = {"es": "El consejo aprobó el presupuesto de 48 millones de euros para el nuevo puente.",
          "it": "Il consiglio ha approvato il bilancio di 48 milioni di euro per il nuovo ponte.",
          "pt": "O conselho aprovou o orçamento de 48 milhões de euros para a nova ponte."}


def test_rules_are_registered_with_docs():
    all_rules()
    assert {c: RULES[c].name for c in ("XL701", "XL702", "XL703", "XL704", "XL705")} == {
        "XL701": "span-omission", "XL702": "span-addition", "XL703": "span-mistranslation",
        "XL704": "sentence-divergence", "XL705": "garbled-structure"}


def test_word_weight_comes_from_frequency_and_shape():
    assert word_weight("de", "pt") < 0.2 and word_weight("que", "fr") < 0.2
    assert word_weight("orçamento", "pt") > 0.7
    assert word_weight("13,7", "de") == 1.0
    assert word_weight("Valmorisco", "xx") > 0.5  # unknown language: length decides


# --------------------------------------------------------------------------- XL701

def test_omission_is_flagged_in_the_version_that_lacks_the_words():
    rows = [dict(BUDGET, it="Il consiglio ha approvato il bilancio di 48 di euro per il nuovo ponte.")]
    story, found = run(SpanOmission(), rows)
    assert len(found) == 1
    f = found[0]
    assert (f.rule, f.doc) == ("XL701", "it")
    assert "48" in f.text  # the words around the gap
    assert {(r.doc, r.text) for r in f.related} >= {("es", "millones"), ("pt", "milhões")}
    assert f.severity == Severity.ERROR  # both others agree, a quantity word is missing
    assert story.document("it").text[f.start:f.end] == f.text


def test_heavy_omission_of_plain_words_is_an_error_with_a_unanimous_vote():
    rows = [dict(BUDGET, pt="O conselho aprovou o orçamento de 48 milhões de euros.")]
    _, found = run(SpanOmission(), rows)
    assert [(f.doc, f.severity) for f in found] == [("pt", Severity.ERROR)]
    assert {r.doc for r in found[0].related} == {"es", "it"}


def test_a_name_left_out_is_information_only_while_a_word_left_out_stays_an_error():
    # made up (es, it, pt): the council of Valmora; pt drops the town's name, then (second story) "nuevo puente"
    rows = [{"es": "El consejo de Valmora aprobó el presupuesto de 48 millones de euros.",
             "it": "Il consiglio di Valmora ha approvato il bilancio di 48 milioni di euro.",
             "pt": "O conselho aprovou o orçamento de 48 milhões de euros."}]
    _, found = run(SpanOmission(), rows)
    assert [(f.doc, f.severity) for f in found] == [("pt", Severity.INFO)]  # a shortened reference, as a rule
    assert any("Valmora" in r.text for r in found[0].related)
    rows = [dict(BUDGET, pt="O conselho aprovou o orçamento de 48 milhões de euros.")]
    assert [f.severity for f in run(SpanOmission(), rows)[1]] == [Severity.ERROR]


def test_an_error_needs_a_content_words_worth_of_meaning_left_out():
    # a lone connective (though / jedoch / entanto) every other version has: a warning, not an error
    rule = SpanOmission({"info_score": 0.1, "warn_score": 0.2, "error_score": 0.3})

    def omission(mass, key=False):
        return Event("omission", "fr", 0, 5, 0, mass, key, ["de", "en", "pt"], [("de", 0, 6)])

    assert rule.severity_of(omission(0.6), 4, 0.9) == Severity.WARNING
    assert rule.severity_of(omission(1.4), 4, 0.9) == Severity.ERROR  # a clause
    assert rule.severity_of(omission(0.6, key=True), 4, 0.9) == Severity.ERROR  # a number or name
    assert rule.severity_of(omission(0.6), 4, 0.25) == Severity.WARNING  # below the error floor anyway


def test_no_omission_in_faithful_versions():
    _, found = run(SpanOmission(), [BUDGET])
    assert found == []


def test_a_word_only_one_version_has_is_not_an_omission_elsewhere():
    # es alone says "nuevo puente": the two others lack it -> es added it (XL702), nobody omitted it
    rows = [{"es": BUDGET["es"],
             "it": "Il consiglio ha approvato il bilancio di 48 milioni di euro.",
             "pt": "O conselho aprovou o orçamento de 48 milhões de euros."}]
    _, omitted = run(SpanOmission(), rows)
    _, added = run(SpanAddition(), rows)
    assert omitted == []
    assert [(f.doc, f.text) for f in added] == [("es", "nuevo puente")]


def test_no_vote_with_two_versions():
    rows = [{"es": BUDGET["es"], "pt": "O conselho aprovou o orçamento de 48 milhões de euros."}]
    _, found = run(SpanOmission(), rows)
    assert found == []


# --------------------------------------------------------------------------- XL702

def test_addition_in_one_version_points_at_the_others():
    rows = [{"de": "Die Ausstellung dauert bis Ende September.",
             "es": "La exposición dura hasta final de septiembre.",
             "fr": "L'exposition dure jusqu'à fin septembre, sauf pendant les travaux du musée."}]
    story, found = run(SpanAddition(), rows)
    assert len(found) == 1
    f = found[0]
    assert f.doc == "fr" and "travaux du musée" in f.text
    assert {r.doc for r in f.related} == {"de", "es"}
    assert f.severity == Severity.ERROR
    assert "is not in de, es: added here, or left out there" in f.message


def test_addition_with_two_versions_is_never_an_error():
    rows = [{"de": "Die Ausstellung dauert bis Ende September.",
             "fr": "L'exposition dure jusqu'à fin septembre, sauf pendant les travaux du musée."}]
    _, found = run(SpanAddition(), rows)
    assert found and all(f.severity < Severity.ERROR for f in found)


def test_function_words_alone_are_no_addition():
    rows = [{"en": "Children under 16 enter free.", "es": "Los niños menores de 16 años entran gratis.",
             "it": "I bambini sotto i 16 anni entrano gratis."}]
    _, found = run(SpanAddition(), rows)
    assert [f for f in found if f.text.casefold() in {"los", "de", "i"}] == []


# --------------------------------------------------------------------------- XL703

def test_mistranslation_when_the_others_agree_on_something_else():
    rows = [{"en": "Sales rose by 7 percent.", "de": "Der Umsatz stieg um 7 Prozent.",
             "pt": "As vendas caíram 7 por cento."}]
    found = run(SpanMistranslation(), rows)[1] + run(SpanOmission(), rows)[1]
    assert [f.doc for f in found] == ["pt"]  # the version that says otherwise, as a swap or a gap
    f = found[0]
    assert "caíram" in f.text
    assert {(r.doc, r.text) for r in f.related} == {("en", "rose"), ("de", "stieg")}
    assert "`rose` / `stieg` in en, de" in f.message and "likelihood of a real error" in f.message


def test_a_different_number_is_placed_by_the_span_rule_and_judged_by_the_number_rule():
    # the span rule finds the odd number out, whatever its format, but leaves the verdict to XL101,
    # which reads numbers the way each language writes them (match clocks, conversions, words)
    rows = [{"en": "The bridge will carry 20,000 vehicles a day.", "es": "El puente soportará 20.000 vehículos al día.",
             "it": "Il ponte sosterrà 84 veicoli al giorno."}]
    _, found = run(SpanMistranslation(), rows)
    _, omitted = run(SpanOmission(), rows)  # the model may see "84" as standing for the figure, or not
    assert [(f.doc, f.severity) for f in found + omitted] == [("it", Severity.INFO)]
    assert "84" in (found + omitted)[0].text
    _, found = run(NumberMismatch(), rows)
    assert [(f.doc, f.severity) for f in found] == [("it", Severity.ERROR)]


def test_two_versions_flag_both_sides_but_never_as_errors():
    rows = [{"en": "Sales rose by 7 percent on Tuesday.", "pt": "As vendas caíram 7 por cento na Europa."}]
    _, found = run(SpanMistranslation(), rows)
    assert {f.doc for f in found} == {"en", "pt"}
    assert any("rose" in f.text for f in found if f.doc == "en")
    assert all(f.severity < Severity.ERROR and "no vote" in f.message for f in found)


# --------------------------------------------------------------------------- XL704

STORY = [
    {"en": "The council approved the budget.", "es": "El consejo aprobó el presupuesto.",
     "it": "Il consiglio ha approvato il bilancio."},
    {"en": "Sales rose by 7 percent.", "es": "Las ventas subieron 7 por ciento.", "it": "Le vendite aumentate 7 per cento."},
    {"en": "The exhibition lasts until the end of September.", "es": "La exposición dura hasta final de septiembre.",
     "it": "La mostra dura fino alla fine di settembre."},
    {"en": "Children under 16 enter free.", "es": "Los niños menores de 16 años entran gratis.",
     "it": "I bambini sotto i 16 anni entrano gratis."},
    {"en": "The river rises.", "es": "El río crece.", "it": "Il fiume cresce."},
    {"en": "More rain is expected.", "es": "Más lluvia es esperado.", "it": "Più pioggia è previsto."},
]


def test_sentence_divergence_flags_the_version_that_says_something_else():
    rows = [dict(r) for r in STORY]
    rows[4]["it"] = "Nessuno sa perché tutto questo accade."
    _, found = run(SentenceDivergence(), rows)
    assert [(f.doc, f.row) for f in found] == [("it", 4)]
    assert {r.doc for r in found[0].related} == {"en", "es"}


def test_sentence_divergence_is_quiet_on_a_faithful_story_and_on_short_ones():
    assert run(SentenceDivergence(), STORY)[1] == []
    assert run(SentenceDivergence(), STORY[:3])[1] == []


def test_row_divergence_is_calibrated_on_the_story():
    rows = [dict(r) for r in STORY]
    rows[4]["it"] = "Nessuno sa perché tutto questo accade."
    story = story_from_rows(rows)
    div = row_divergence(story, lexicon_embed)
    assert len(div) == len(rows) and all(0.0 <= d <= 1.0 for d in div)
    assert max(range(len(div)), key=div.__getitem__) == 4 and div[4] > 0.8
    assert np.median(div) < 0.2
    with_spans = divergence_scores(context_for(story, embed=lexicon_embed, token_states=lexicon_tokens,
                                               second_embed=lexicon_embed))
    assert max(range(len(div)), key=with_spans.__getitem__) == 4


# --------------------------------------------------------------------------- XL705

def test_looping_phrase_is_garbled_structure():
    rows = [{"de": "Die Ausstellung dauert bis Ende September.", "es": "La exposición dura hasta final de septiembre.",
             "it": "La mostra dura fino dura fino alla fine di settembre."}]
    _, found = run(GarbledStructure(), rows)
    assert [(f.doc, f.text) for f in found] == [("it", "dura fino")]


def test_repeats_that_are_not_loops_are_fine():
    rows = [{"fr": "Le parcours entre le camp II et le camp III était mauvais.",
             "de": "Die Strecke zwischen Lager II und Lager III war schlecht."},
            {"de": "Die Ausstellung dauert bis Ende September.", "es": "La exposición dura hasta final de septiembre.",
             "it": "La mostra dura fino alla fine di settembre."}]
    _, found = run(GarbledStructure(), rows)
    assert found == []


def test_an_idiom_before_a_clause_is_no_loop_though_its_words_come_twice():
    # made up: "wheel to wheel" / "side by side" idioms, then a clause starting with the idiom's preposition
    rows = [{"en": "After a wheel-to-wheel fight, in which he nearly crashed, Hamilton took the lead.",
             "pl": "Po walce koło w koło, w której omal się nie rozbił, Hamilton objął prowadzenie.",
             "it": "Dopo una lotta fianco a fianco, a cui quasi si schiantò, Hamilton passò in testa."}]
    assert run(GarbledStructure(), rows)[1] == []
    rows[0]["pl"] = "Po walce koło w koło, w której omal się nie rozbił, omal się nie rozbił, Hamilton objął prowadzenie."
    assert [(f.doc, f.text) for f in run(GarbledStructure(), rows)[1]] == [("pl", "omal się nie rozbił")]  # a loop


def test_rhetorical_repetition_is_no_loop_but_a_looping_phrase_in_any_script_is():
    rows = [{"en": "They sweep up long ball after long ball, like you saw at Leeds, like you saw at York.",
             "de": "Sie räumen einen langen Ball nach dem anderen ab, wie in Leeds und in York.",
             "ru": "Они снимают длинный мяч за мячом, как вы видели в Лидсе, как вы видели в Йорке."},
            {"en": "The talks resume next week.", "de": "Die Gespräche werden nächste Woche fortgesetzt.",
             "ru": "Переговоры возобновятся возобновятся на следующей неделе на следующей неделе."}]
    _, found = run(GarbledStructure(), rows)
    # loops are warnings; the made-up lexicon leaves most German words of row 0 unmatched, which
    # only the (uncalibrated here) broken-sentence information may read
    assert [(f.doc, f.row) for f in found if f.severity == Severity.WARNING] == [("ru", 1)]


def test_a_loop_in_a_script_without_spaces_or_one_that_took_its_punctuation_along_is_garbled():
    rows = [{"en": "The new line opens in the spring.", "de": "Die neue Linie wird im Frühjahr eröffnet.",
             "zh": "新线路将在春季开通新线路将在春季开通。"},
            {"en": "He said: \"We are ready, in every sense\", and left.",
             "de": "Er sagte: „Wir sind bereit, in jeder Hinsicht“, und ging.",
             "zh": "他说：“我们已经准备好了。”然后离开了。",
             "pl": "Powiedział: „Jesteśmy gotowi, pod każdym względem”, — pod każdym względem”, — i wyszedł."}]
    _, found = run(GarbledStructure(), rows)
    assert sorted((f.doc, f.row) for f in found) == [("pl", 1), ("zh", 0)]
    # the same words again after other punctuation: a rhetorical echo, not a loop
    rows[1]["pl"] = "Powiedział: „Jesteśmy gotowi, pod każdym względem, pod każdym względem!” i wyszedł."
    _, found = run(GarbledStructure(), rows)
    assert [(f.doc, f.row) for f in found] == [("zh", 0)]


@pytest.mark.parametrize("lang, looped, text", [
    # function words alone loop too
    ("de", "dem nur der", "Die Frau, von dem nur der dem nur der Vorname bekannt ist, kam spät."),
    ("nl", "dat hij meer", "Hij zei dat hij meer dat hij meer zou zeggen."),
    # the copies parted by a no-break space (French before a colon)
    ("fr", "les gens disaient", "Les gens disaient\u00a0les gens disaient\u00a0: c'est fini."),
    # a loop that took the opening quote of its first copy along, in any quoting style
    ("es", "frío” y “cansado” por", "El equipo estaba “frío” y “cansado” por “frío” y “cansado” por el viaje."),
    ("pl", "Ludzie mówią inaczej", "„Ludzie mówią inaczej „Ludzie mówią inaczej niż kiedyś”, dodał."),
    ("fr", "les gens disaient", "Il a ajouté : « les gens disaient « les gens disaient autre chose »."),
    # ... or the dash before its first copy
    ("ru", "сказал он своим", "«Мы готовы», — сказал он своим — сказал он своим коллегам."),
    ("it", "hanno migliorato", "I due paesi - ancora in guerra - hanno migliorato - hanno migliorato i rapporti."),
    # a long loop: seven words, the percentage sign and its suffix among them
    ("de", "an, 90%ig sicher zu sein", "Er gab an, 90%ig sicher zu sein an, 90%ig sicher zu sein, dass es stimmt."),
    # in a script without spaces, a loop that starts inside a word, or takes its opening bracket along
    ("ja", "まだ国内に", "600万人の人々はいまだ国内にまだ国内に居住している。"),
    ("ja", "私はあなた", "「私はあなた「私はあなたの目の前に立っています」と女性が言った。"),
])
def test_loops_of_function_words_long_ones_and_across_punctuation_or_inside_words_are_garbled(lang, looped, text):
    rows = [{"en": "The woman arrived late.", "es": "La mujer llegó tarde.", lang: text}]
    _, found = run(GarbledStructure(), rows)
    assert [(f.doc, f.text) for f in found if f.severity == Severity.WARNING] == [(lang, looped)]


@pytest.mark.parametrize("lang, text", [
    ("de", "Er sagte, dass es gut sei, und dass es gut bleibe."),  # a repeated word pair with words between
    ("ja", "彼はどんどん走って、ますます速くなった。"),  # reduplication of a two-character unit
    ("ja", "これは大きな大きな問題の一つだ。"),  # one word said twice (big, big): a doubled word, not a loop
    ("zh", "大家哈哈哈哈哈哈地笑了起来。"),  # one character laughed again and again
    ("fr", "Les gens disaient.\nLes gens disaient autre chose."),  # two lines that begin alike
    ("es", "Dijo “sí, claro” “sí, claro” con ironía."),  # two quotations side by side
    ("es", "Respondió sí, claro “sí, claro” con ironía."),  # words echoed in quotes, the first not quoted
    ("fr", "Il a dit - à sa manière - à sa façon qu'il reviendrait."),  # dashes, but the words differ
    ("en", "It was a long way - a long way from home."),  # a dash between the copies, none before the first
])
def test_reduplication_and_repeats_that_are_no_loop_are_fine(lang, text):
    rows = [{"en": "The woman arrived late.", "es": "La mujer llegó tarde.", lang: text}]
    _, found = run(GarbledStructure(), rows)
    assert [f for f in found if f.severity == Severity.WARNING] == []


def test_several_gaps_in_one_sentence_are_a_broken_structure():
    rows = [{"en": "The council approved the budget of 48 million euros for the new bridge.",
             "es": BUDGET["es"], "pt": BUDGET["pt"],
             "it": "Il consiglio il bilancio di 48 di euro per il."}]
    _, found = run(GarbledStructure(), rows)
    assert [(f.doc, f.severity) for f in found] == [("it", Severity.INFO)]  # a free rendering looks the same
    assert "separate parts of what the other versions say are missing" in found[0].message


# --------------------------------------------------------------------------- plumbing

def test_span_rules_do_nothing_without_token_states():
    rows = [dict(BUDGET, it="Il consiglio ha approvato il bilancio di 48 di euro per il nuovo ponte.")]
    for rule in (SpanOmission(), SpanAddition(), SpanMistranslation(), GarbledStructure()):
        assert run(rule, rows, token_states=None)[1] == []


def test_token_states_are_computed_once_per_sentence():
    calls = []

    def counting(texts):
        calls.extend(texts)
        return lexicon_tokens(texts)

    story = story_from_rows([dict(BUDGET, it="Il consiglio ha approvato il bilancio di 48 di euro per il nuovo ponte.")])
    ctx = context_for(story, embed=lexicon_embed, token_states=counting)
    for rule in (SpanOmission(), SpanAddition(), SpanMistranslation(), GarbledStructure()):
        list(rule.check(ctx))
    assert sorted(calls) == sorted(s.text for d in story.documents for s in d.sentences)


def test_events_carry_spans_that_match_the_text():
    rows = [dict(BUDGET, it="Il consiglio ha approvato il bilancio di 48 di euro per il nuovo ponte.")]
    story = story_from_rows(rows)
    story_words = analyse_words(story, TokenCache(lexicon_tokens), lexicon_embed)
    fill_presence(story_words)
    for row in story_words.rows.values():
        for ev in row_events(row):
            doc = story.document(ev.doc)
            assert 0 <= ev.start < ev.end <= len(doc.text)
            for d, s, e in ev.related:
                assert story.document(d).text[s:e].strip() == story.document(d).text[s:e]


# --------------------------------------------------------------------------- real encoder

@pytest.fixture(scope="session")
def real():
    from xlingo.embed import load_encoder
    from xlingo.embed.base import Embedder

    enc = load_encoder("e5-small")
    if not hasattr(enc, "encode_tokens"):
        pytest.skip("default encoder has no token states")
    return Embedder(enc), enc.encode_tokens


REAL_STORY = [
    {"en": "The city council approved a budget of 48 million euros for the new bridge on Tuesday.",
     "de": "Der Stadtrat genehmigte am Dienstag ein Budget von 48 Millionen Euro für die neue Brücke.",
     "fr": "Le conseil municipal a approuvé mardi un budget de 48 millions d'euros pour le nouveau pont."},
    {"en": "Construction will start in March and should last about three years.",
     "de": "Die Bauarbeiten beginnen im März und sollen etwa drei Jahre dauern.",
     "fr": "Les travaux commenceront en mars et devraient durer environ trois ans."},
    {"en": "Two opposition members voted against the plan, citing the cost.",
     "de": "Zwei Mitglieder der Opposition stimmten unter Hinweis auf die Kosten gegen den Plan.",
     "fr": "Deux élus de l'opposition ont voté contre le projet, invoquant son coût."},
]


@pytest.mark.model
def test_real_clean_story_has_no_errors(real):
    embed, tokens = real
    ctx = context_for(story_from_rows(REAL_STORY), embed=embed, token_states=tokens)
    found = [f for rule in (SpanOmission(), SpanAddition(), SpanMistranslation(), GarbledStructure())
             for f in rule.check(ctx)]
    assert [f for f in found if f.severity == Severity.ERROR] == []


@pytest.mark.model
@pytest.mark.xfail(reason="model v3 finds the dropped 'million' absent (p 0.56 from en and de, above the 0.29 "
                   "where a word counts as absent), but the span's score (0.23, Platt-scaled to MQM reviewers) "
                   "stays below the info floor chosen on clean news (0.29); issue 9", strict=False)
def test_real_dropped_quantity_word_is_found(real):
    embed, tokens = real
    rows = [dict(r) for r in REAL_STORY]
    rows[0]["fr"] = "Le conseil municipal a approuvé mardi un budget de 48 d'euros pour le nouveau pont."
    ctx = context_for(story_from_rows(rows), embed=embed, token_states=tokens)
    found = list(SpanOmission().check(ctx)) + list(SpanMistranslation().check(ctx))
    hits = [f for f in found if f.doc == "fr" and f.row == 0]
    assert hits and "48" in hits[0].text
    assert {r.doc for r in hits[0].related} >= {"en", "de"}


# --------------------------------------------------------------------------- the N-way vote

def _lexicon_rows(rows):
    story = story_from_rows(rows)
    story_words = analyse_words(story, TokenCache(lexicon_tokens), lexicon_embed)
    fill_presence(story_words)
    return story, story_words.rows


def test_the_vote_weighs_what_the_third_version_says():
    _, rows = _lexicon_rows([BUDGET])
    row = rows[0]
    for pair in row.pairs:
        row.probability[pair] = np.full(len(row.cells[pair[0]].words), 0.01)
    es = [w.text for w in row.cells["es"].words.words]
    bridge = es.index("puente")
    row.probability[("es", "pt")][bridge] = 0.3  # es finds "puente" missing from pt ...
    alone = vote(row, "es", "pt", 0.06)[bridge]
    it_bridge = [w.text for w in row.cells["it"].words.words].index("ponte")
    row.probability[("it", "pt")][it_bridge] = 0.3  # ... and so does it: two witnesses say more than one
    both = vote(row, "es", "pt", 0.06)[bridge]
    assert alone < 0.3 < both
    row.probability[("it", "pt")][it_bridge] = 0.001  # it's counterpart is clearly in pt: that speaks against
    assert vote(row, "es", "pt", 0.06)[bridge] < alone
    number = es.index("48")
    row.probability[("es", "pt")][number] = 0.3  # numbers are compared by value elsewhere: no vote
    assert vote(row, "es", "pt", 0.06)[number] == pytest.approx(0.3)


def test_a_stretch_two_versions_share_and_the_third_lacks_is_a_vote_gap_at_the_place_of_the_words():
    rows = [dict(BUDGET, pt="O conselho aprovou o orçamento de 48 milhões de euros.")]
    story, words = _lexicon_rows(rows)
    gaps = vote_gaps(words[0])
    gap = max(gaps, key=lambda g: g.vote)
    assert gap.doc == "pt" and all(g.vote < gap.vote / 3 for g in gaps if g is not gap)
    assert "euros" in story.document("pt").text[gap.start:gap.end]  # where the words would be
    related = {(d, story.document(d).text[s:e]) for d, s, e in gap.related}
    assert any(d == "es" and "puente" in t for d, t in related) and any(d == "it" and "ponte" in t for d, t in related)
    assert gap.vote > 0 and gap.by_vote
    _, faithful = _lexicon_rows([BUDGET])
    assert all(g.vote < gap.vote / 3 for g in vote_gaps(faithful[0]))


@pytest.mark.parametrize("rows, place", [
    # the anchor before the stretch (``consejo``) stands at the start of the version that lacks it
    # (``O conselho aprovou...``): the gap is placed after the words linked before the stretch
    ({"es": "El presupuesto de 48 millones de euros aprobó el consejo para el nuevo puente.",
      "it": "Il bilancio di 48 milioni di euro approvato il consiglio per il nuovo ponte.",
      "pt": "O conselho aprovou o orçamento de 48 milhões de euros."}, "euros"),
    # after the stretch the holders say ``aprobó el consejo``, which the version has at its start:
    # those words cannot mark where the gap ends, so it runs to the end of ``nova ponte`` (the
    # adjective before the noun), not only up to ``nova``
    ({"es": "El puente nuevo para los niños menores de 16 años aprobó el consejo.",
      "it": "Il ponte nuovo per i bambini sotto 16 anni ha approvato il consiglio.",
      "pt": "O conselho aprovou a nova ponte."}, "nova ponte"),
])
def test_a_gap_is_placed_where_the_words_around_it_stand_when_the_version_orders_them_otherwise(rows, place):
    story, words = _lexicon_rows([rows])
    gap = max((g for g in vote_gaps(words[0]) if g.doc == "pt"), key=lambda g: g.vote)
    assert story.document("pt").text[gap.start:gap.end] == place


def test_a_gap_at_the_end_of_the_holder_goes_after_the_words_linked_only_into_it():
    """Words of the version linked only to the missing words (weak links: they are missing) say
    nothing about where the gap is; when the stretch ends the holder, the gap goes after them."""
    rows = [{**BUDGET, "pt": "O conselho aprovou o orçamento de 48 milhões de euros."}]
    _, words = _lexicon_rows(rows)
    row = words[0]
    es = [w.text for w in row.cells["es"].words.words]
    pt = [w.text for w in row.cells["pt"].words.words]
    i, j = es.index("para"), len(es) - 1
    links = row.pairs[("es", "pt")].links
    for x in range(pt.index("milhões"), len(pt)):  # the last words link into the stretch alone
        links[:, x] = False
        links[i + x % (j - i + 1), x] = True
    lo, hi = _gap_place(row, "es", "pt", i, j, pt.index("conselho"), None)
    assert pt[lo:hi + 1] == ["euros"]


def test_a_vote_gap_is_only_as_strong_as_the_holder_that_sees_it_least():
    """A stretch is missing from a version as strongly as every version that has it says so (the
    weaker of two): one version's doubt about words the other finds rendered is no dropped clause."""
    rows = [dict(BUDGET, pt="O conselho aprovou o orçamento de 48 milhões de euros.")]
    _, words = _lexicon_rows(rows)
    row = words[0]
    both = max(g.vote for g in vote_gaps(row) if g.doc == "pt")
    it = [w.text for w in row.cells["it"].words.words]
    row.voted[("it", "pt")][it.index("per"):] = 0.001  # it finds "per il nuovo ponte" rendered in pt after all
    one = max((g.vote for g in vote_gaps(row) if g.doc == "pt"), default=0.0)
    assert both > 0 and one < both / 3


def test_a_gap_the_vote_sees_whole_keeps_its_meaning_where_the_words_show_only_part_of_it():
    """The words' presences may show one word of a dropped clause as missing (below ``min_mass``)
    while the vote sees the whole clause: the event keeps the vote's stretch and its meaning, so
    the rule does not drop it as a function word."""
    rows = [dict(BUDGET, pt="O conselho aprovou o orçamento de 48 milhões de euros.")]
    story, words = _lexicon_rows(rows)
    row = words[0]
    for d, new, bridge in (("es", "nuevo", "puente"), ("it", "nuovo", "ponte")):
        ws = [w.text for w in row.cells[d].words.words]
        row.presence[(d, "pt")][ws.index(new)] = 0.6  # aligned, but not the noun
        row.presence[(d, "pt")][ws.index(bridge)] = 0.45
        row.presence[(d, "pt")][ws.index(bridge) - 3] = 0.6
    voted = [ev for ev in row_events(row) if ev.doc == "pt" and ev.vote > 0]
    assert voted and all(ev.mass >= 1.0 for ev in voted)
    assert any(story.document(d).text[s:e] == "para el nuevo puente" for ev in voted for d, s, e in ev.related)


@pytest.mark.parametrize("pt", [
    "Para a nova ponte, o conselho aprovou o orçamento de 48 milhões de euros.",  # reordered
    "O conselho aprovou o orçamento de 48 milhões de euros. Para a nova ponte.",  # split in two sentences
])
def test_a_reordered_or_split_version_is_no_vote_gap(pt):
    rows = [dict(BUDGET, pt=pt)]
    _, words = _lexicon_rows(rows)
    dropped = [dict(BUDGET, pt="O conselho aprovou o orçamento de 48 milhões de euros.")]
    _, gap_words = _lexicon_rows(dropped)
    strong = max(g.vote for g in vote_gaps(gap_words[0]) if g.doc == "pt")
    assert all(g.vote < strong / 3 for row in words.values() for g in vote_gaps(row))


def test_the_vote_makes_an_omission_a_warning_only_past_its_floor_and_never_with_two_versions():
    rows = [dict(BUDGET, pt="O conselho aprovou o orçamento de 48 milhões de euros.")]
    _, words = _lexicon_rows(rows)
    evidence = max(ev.vote for ev in row_events(words[0]) if ev.doc == "pt")
    high = {"info_score": 2.0, "warn_score": 2.0, "error_score": 2.0, "pair_warn_score": 2.0}  # the score says nothing
    story = story_from_rows(rows)
    ctx = context_for(story, embed=lexicon_embed, token_states=lexicon_tokens)
    below = list(SpanOmission({**high, "vote_info": evidence - 0.1, "vote_warn": evidence + 0.1,
                               "vote_error": evidence + 0.2}).check(ctx))
    assert [(f.doc, f.severity) for f in below] == [("pt", Severity.INFO)]
    ctx = context_for(story, embed=lexicon_embed, token_states=lexicon_tokens)
    above = list(SpanOmission({**high, "vote_info": 0.0, "vote_warn": evidence - 0.1,
                               "vote_error": evidence + 0.2}).check(ctx))
    assert [(f.doc, f.severity) for f in above] == [("pt", Severity.WARNING)]
    two = [{k: v for k, v in r.items() if k != "it"} for r in rows]
    ctx = context_for(story_from_rows(two), embed=lexicon_embed, token_states=lexicon_tokens)
    assert list(SpanOmission({**high, "vote_info": 0.0, "vote_warn": 0.0, "vote_error": 0.0}).check(ctx)) == []


def test_the_drop_probe_raises_a_vote_gap_to_a_warning_only_when_its_weighed_signals_reach_the_floor():
    rows = [dict(BUDGET, pt="O conselho aprovou o orçamento de 48 milhões de euros.")]
    _, words = _lexicon_rows(rows)
    evidence = max(ev.vote for ev in row_events(words[0]) if ev.doc == "pt")
    high = {"info_score": 2.0, "warn_score": 2.0, "error_score": 2.0, "pair_warn_score": 2.0}  # the score says nothing
    vote = {"vote_info": 0.0, "vote_warn": evidence + 1, "vote_error": evidence + 1}
    story = story_from_rows(rows)

    def severities(second_embed, **probe):
        ctx = context_for(story, embed=lexicon_embed, token_states=lexicon_tokens, second_embed=second_embed)
        return [(f.doc, f.severity) for f in SpanOmission({**high, **vote, **probe}).check(ctx)]

    gap = next(ev for ev in row_events(words[0]) if ev.doc == "pt" and ev.vote == evidence)
    gain = drop_gain(context_for(story, embed=lexicon_embed, second_embed=lexicon_embed), "pt", 0, tuple(gap.related))
    assert gain > 0  # cut from es and it, "nuevo puente" / "nuovo ponte" bring them closer to pt
    gain_only = {"probe_vote_weight": 0.0, "probe_gain_weight": 1.0, "probe_length_weight": 0.0}
    assert severities(lexicon_embed, probe_vote=evidence - 0.1, probe_floor=gain - 0.01, **gain_only) == [
        ("pt", Severity.WARNING)]
    assert severities(lexicon_embed, probe_vote=evidence + 0.1, probe_floor=gain - 0.01, **gain_only) == [
        ("pt", Severity.INFO)]  # under the vote's gate the encoder is not asked
    assert severities(lexicon_embed, probe_vote=evidence - 0.1, probe_floor=gain + 0.01, **gain_only) == [
        ("pt", Severity.INFO)]
    vote_only = {"probe_vote_weight": 1.0, "probe_gain_weight": 0.0, "probe_length_weight": 0.0}
    assert severities(lexicon_embed, probe_vote=0.0, probe_floor=np.log(evidence) - 0.01, **vote_only) == [
        ("pt", Severity.WARNING)]
    assert severities(lexicon_embed, probe_vote=0.0, probe_floor=np.log(evidence) + 0.01, **vote_only) == [
        ("pt", Severity.INFO)]
    assert severities(None, probe_vote=0.0, probe_floor=-1.0) == [("pt", Severity.INFO)]  # no second encoder


# made up for these tests: a ferry service resumes (es, it, ru), one version with a clause cut
ISLAND_FERRY = [
    {"es": "El servicio de ferry entre las dos islas se reanuda el lunes.",
     "it": "Il servizio di traghetti tra le due isole riprende lunedì.",
     "ru": "Паромное сообщение между двумя островами возобновится в понедельник."},
    {"es": "Los barcos saldrán cada dos horas desde el puerto viejo.",
     "it": "Le navi partiranno ogni due ore dal porto vecchio.",
     "ru": "Суда будут отправляться каждые два часа из старого порта."},
    {"es": "La compañía contrató a doce marineros nuevos durante el invierno.",
     "it": "La compagnia ha assunto dodici nuovi marinai durante l'inverno.",
     "ru": "Компания наняла двенадцать новых моряков за зиму."},
    {"es": "Los billetes cuestan lo mismo que el año pasado, aunque el combustible se ha encarecido mucho.",
     "it": "I biglietti costano come l'anno scorso, anche se il carburante è aumentato molto.",
     "ru": "Билеты стоят столько же, сколько в прошлом году, хотя топливо сильно подорожало."},
    {"es": "Los residentes pagan la mitad.",
     "it": "I residenti pagano la metà.",
     "ru": "Жители платят половину."},
]


def test_length_deficit_says_how_much_shorter_a_row_is_than_the_story_makes_usual():
    cut = [dict(r) for r in ISLAND_FERRY]
    cut[3]["ru"] = "Билеты стоят столько же, сколько в прошлом году."  # the concessive clause dropped
    ctx = context_for(story_from_rows(cut))
    shortened = length_deficit(ctx, "ru", 3, ("es", "it"))
    assert shortened > 0.75  # shorter than both, past the story's spread
    assert length_deficit(ctx, "es", 3, ("ru",)) < 0  # the other way round: longer than usual
    whole = context_for(story_from_rows(ISLAND_FERRY))
    assert length_deficit(whole, "ru", 3, ("es", "it")) < shortened - 0.75  # the same row translated whole
    assert length_deficit(context_for(story_from_rows(cut[2:4])), "ru", 1, ("es", "it")) == 0.0  # two rows: no norm


def test_drop_gain_is_positive_for_words_the_version_lacks_and_negative_for_words_it_has():
    story = story_from_rows([dict(BUDGET, pt="O conselho aprovou o orçamento de 48 milhões de euros.")])
    ctx = context_for(story, embed=lexicon_embed, second_embed=lexicon_embed)

    def span(lang, words):
        doc = story.document(lang)
        return lang, doc.text.index(words), doc.text.index(words) + len(words)

    lacking = (span("es", "para el nuevo puente"), span("it", "per il nuovo ponte"))
    assert drop_gain(ctx, "pt", 0, lacking) > 0.1  # cut, the others come closer to what pt says
    shared = (span("es", "48 millones de euros"), span("it", "48 milioni di euro"))
    assert drop_gain(ctx, "pt", 0, shared) < 0


LIBRARY = [  # made up for these tests: a library reopens (es, it, ru)
    {"es": "La biblioteca municipal de Arnedo reabrirá sus puertas el lunes tras dos años de obras.",
     "it": "La biblioteca comunale di Arnedo riaprirà lunedì dopo due anni di lavori.",
     "ru": "Городская библиотека Арнедо вновь откроется в понедельник после двух лет ремонта."},
    {"es": "El edificio tiene ahora una sala de lectura para niños, que se ha instalado en el antiguo patio, y un "
           "ascensor nuevo.",
     "it": "L'edificio dispone ora di una sala di lettura per bambini, allestita nel vecchio cortile, e di un nuovo "
           "ascensore.",
     "ru": "Теперь в здании есть читальный зал для детей, который устроили в старом внутреннем дворе, и новый лифт."},
    {"es": "La alcaldesa explicó que el proyecto costó tres millones de euros y que la mitad fue pagada por la región.",
     "it": "La sindaca ha spiegato che il progetto è costato tre milioni di euro e che metà è stata pagata dalla "
           "regione.",
     "ru": "Мэр пояснила, что проект обошёлся в три миллиона евро и что половину оплатил регион."},
    {"es": "Los vecinos podrán pedir prestados hasta diez libros a la vez.",
     "it": "I residenti potranno prendere in prestito fino a dieci libri alla volta.",
     "ru": "Жители смогут брать до десяти книг одновременно."},
    {"es": "Los fines de semana habrá talleres de escritura para adolescentes.",
     "it": "Nei fine settimana ci saranno laboratori di scrittura per adolescenti.",
     "ru": "По выходным будут проходить писательские мастерские для подростков."},
]


@pytest.fixture(scope="session")
def second():
    """The row score's second encoder (USE v3), which the engine hands the rules as ``second_embed``."""
    from xlingo.annotate.rows import load_row_model
    from xlingo.embed import load_encoder
    from xlingo.embed.base import Embedder

    return Embedder(load_encoder(load_row_model().second_encoder))


def _library(real, changes, second_embed=None):
    embed, tokens = real
    rows = [dict(r) for r in LIBRARY]
    for k, cells in changes.items():
        rows[k].update(cells)
    story = story_from_rows(rows)
    ctx = context_for(story, embed=embed, token_states=tokens, second_embed=second_embed)
    return story, list(SpanOmission().check(ctx)) + list(SpanMistranslation().check(ctx))


@pytest.mark.model
@pytest.mark.parametrize("k, lang, text, after, probed", [
    # the vote's evidence of this gap stays under the probe's floor: information at most. Under the
    # model retrained on today's features it is 5.7 (6.4 before), below the vote's information floor
    # (6.64, chosen on held-out clean news): a dropped clause the report no longer shows
    pytest.param(1, "it", "L'edificio dispone ora di una sala di lettura per bambini e di un nuovo ascensore.",
                 "bambini", Severity.INFO,
                 marks=pytest.mark.xfail(strict=True, reason="vote evidence 5.7 under the vote_info floor 6.64")),
    (2, "ru", "Мэр пояснила, что проект обошёлся в три миллиона евро.", "евро", Severity.WARNING),
])
def test_real_dropped_clause_is_shown_at_the_gap_by_the_vote_and_confirmed_by_the_drop_probe(
        real, second, k, lang, text, after, probed):
    for second_embed, severity in ((None, Severity.INFO), (second, probed)):
        story, found = _library(real, {k: {lang: text}}, second_embed)
        hits = [f for f in found if f.rule == "XL701" and f.doc == lang and f.row == k]
        assert len(hits) == 1
        doc = story.document(lang)
        gap = doc.text.index(text) + text.index(after) + len(after)
        assert hits[0].start - 2 <= gap <= hits[0].end + 2
        assert {r.doc for r in hits[0].related} == {"es", "it", "ru"} - {lang}
        # the vote alone shows it as information (on clean news its strongest gaps are as strong); cut from the
        # versions that have it, the clause's absence brings them closer to this one: a warning
        assert hits[0].severity == severity
        assert ("drop probe:" in hits[0].message) == (severity == Severity.WARNING)


@pytest.mark.model
@pytest.mark.parametrize("changes", [
    {},  # faithful
    {3: {"es": "Cada vecino podrá llevarse hasta diez libros al mismo tiempo."}},  # paraphrase
    {2: {"it": "Metà del progetto, costato tre milioni di euro, è stata pagata dalla regione, ha spiegato la "
               "sindaca."}},  # clauses reordered
    {3: {"ru": "Жители смогут брать до десяти книг одновременно, а по выходным будут проходить писательские "
               "мастерские для подростков."}, 4: {"ru": None}},  # two sentences merged into one
    {1: {"es": "El edificio tiene ahora una sala de lectura para niños y un ascensor nuevo.",
         "it": "L'edificio dispone ora di una sala di lettura per bambini e di un nuovo ascensore.",
         "ru": "Теперь в здании есть читальный зал для детей и новый лифт."}},  # a clause every version lacks
], ids=["faithful", "paraphrase", "reordered", "merged", "lacking-everywhere"])
def test_real_no_span_finding_where_the_versions_agree(real, second, changes):
    assert _library(real, changes, second)[1] == []


FERRY = [  # made up for these tests: a new ferry line (fr, de, ja)
    {"fr": "Le nouveau ferry entre Marseille et Bastia sera mis en service au printemps prochain.",
     "de": "Die neue Fähre zwischen Marseille und Bastia wird im kommenden Frühjahr in Betrieb genommen.",
     "ja": "マルセイユとバスティアを結ぶ新しいフェリーは、来年の春に運航を開始する。"},
    {"fr": "Le navire peut transporter 1 200 passagers et fonctionne au gaz naturel liquéfié, ce qui réduit "
           "fortement ses émissions.",
     "de": "Das Schiff kann 1.200 Passagiere befördern und fährt mit Flüssigerdgas, was seine Emissionen stark "
           "verringert.",
     "ja": "この船は1200人の乗客を運ぶことができ、液化天然ガスで動くため、排出量が大幅に減る。"},
    {"fr": "La compagnie a commandé un deuxième navire, qui sera livré en 2027.",
     "de": "Die Reederei hat ein zweites Schiff bestellt, das 2027 geliefert wird.",
     "ja": "同社は2隻目の船を発注しており、2027年に引き渡される予定だ。"},
    {"fr": "Les billets seront en vente à partir du mois de janvier.",
     "de": "Die Fahrkarten sind ab Januar erhältlich.",
     "ja": "乗船券は1月から販売される。"},
]


def _ferry(real, second, changes):
    embed, tokens = real
    rows = [dict(r) for r in FERRY]
    for k, cells in changes.items():
        rows[k].update(cells)
    ctx = context_for(story_from_rows(rows), embed=embed, token_states=tokens, second_embed=second)
    return [f for f in SpanOmission().check(ctx) if f.severity >= Severity.WARNING]


@pytest.mark.model
def test_real_drop_probe_warns_of_a_dropped_clause_in_a_script_without_spaces(real, second):
    found = _ferry(real, second, {1: {"ja": "この船は1200人の乗客を運ぶことができる。"}})
    # the vote finds the gap from two places (after 運ぶことができる and after 1200): one warning
    assert [(f.doc, f.row) for f in found] == [("ja", 1)]
    assert "drop probe:" in found[0].message


@pytest.mark.model
@pytest.mark.parametrize("changes", [
    {},  # faithful (the vote sees a gap where German writes one compound for three French words)
    {1: {"de": "Das Schiff fasst 1.200 Fahrgäste; da es mit Flüssigerdgas fährt, stößt es deutlich weniger "
               "Schadstoffe aus."}},  # paraphrase
    {2: {"ja": "2027年には、同社が発注した2隻目の船が引き渡される。"}},  # clauses reordered
], ids=["faithful", "paraphrase", "reordered"])
def test_real_drop_probe_leaves_what_the_version_says_in_other_words(real, second, changes):
    assert _ferry(real, second, changes) == []


@pytest.mark.model
@pytest.mark.xfail(reason="issue 9: the replacing verb's contextual token state takes the meaning of its context; "
                   "model v3 ranks synthetic single-word substitutions above clean words (held-out AUC 0.82) but "
                   "only 1.7 % of them above the clean words' 99.9th percentile, and at encoder layers 2-8 a "
                   "replaced verb sits less far below its row's median cosine than the worst word of a clean row",
                   strict=False)
def test_real_verb_replaced_by_one_of_another_meaning_is_flagged(real):
    found = _library(real, {0: {"es": "La biblioteca municipal de Arnedo cerrará sus puertas el lunes tras dos años "
                                      "de obras."}})[1]
    assert any(f.doc == "es" and f.row == 0 and "cerrará" in f.text for f in found)


def test_a_gap_found_twice_for_the_same_counterparts_is_one_finding_at_its_best_place():
    name = [("en", 10, 22), ("de", 12, 24)]
    events = [Event("omission", "pt", 0, 8, 3, 1.0, True, ["en", "de"], name),
              Event("omission", "pt", 20, 30, 3, 1.0, True, ["en", "de"], list(reversed(name))),
              Event("omission", "pt", 40, 50, 3, 1.0, False, ["en", "de"], [("en", 30, 40), ("de", 31, 41)]),
              Event("addition", "pt", 20, 30, 3, 1.0, True, ["en", "de"], name)]
    kept = _strongest(events, [0.4, 0.6, 0.3, 0.9], "omission")
    assert [(ev.start, score) for ev, score in kept] == [(20, 0.6), (40, 0.3)]


def test_numbers_that_differ_are_no_broken_structure():
    # two figures changed in one version: XL101's finding, not a sentence that "reads broken"
    rows = [{"en": "The council approved 48 million euros for 3 new bridges on Tuesday.",
             "es": "El consejo aprobó el martes 48 millones de euros para 3 puentes nuevos.",
             "it": "Il consiglio ha approvato martedì 96 milioni di euro per 7 nuovi ponti."}]
    _, found = run(GarbledStructure(), rows)
    assert found == []


def test_a_drop_in_an_otherwise_close_version_is_stronger_evidence_than_the_same_gap_in_a_free_one():
    from xlingo.annotate.divergence import drop_evidence

    _, words = _lexicon_rows([dict(BUDGET, pt="O conselho aprovou o orçamento de 48 milhões de euros.")])
    row = words[0]
    es = [w.text for w in row.cells["es"].words.words]
    gap = (es.index("para"), es.index("puente"))  # "para el nuevo puente": what pt lacks
    present = np.ones(len(es))
    present[gap[0]:gap[1] + 1] = 0.0
    row.presence[("es", "pt")] = present  # the rest of es is all there: a dropped clause
    close = drop_evidence(row, "es", "pt", *gap)
    assert close > 0.7
    free = present.copy()
    free[[es.index("consejo"), es.index("aprobó"), es.index("presupuesto")]] = 0.2  # freer everywhere
    row.presence[("es", "pt")] = free
    assert drop_evidence(row, "es", "pt", *gap) < close * 0.75
    row.presence[("es", "pt")] = present
    most = (0, es.index("puente") - 1)  # all but the last word missing: a condensed rendering, not a drop
    assert drop_evidence(row, "es", "pt", *most) < 0.2
    assert drop_evidence(row, "es", "pt", 0, len(es) - 1) == 0.0  # nothing left to compare


def test_only_capitalised_words_in_every_version_make_a_left_out_name():
    from xlingo.check.rules.spans import _names_only

    # made up: a mayor of Valmora (ru, de, en, ar)
    rows = [{"ru": "Мэр Валморы открыл мост.", "de": "Der Bürgermeister von Valmora eröffnete die Brücke.",
             "en": "The mayor of Valmora opened the bridge at St. Anselm's.", "ar": "افتتح عمدة فالمورا الجسر.",
             "ja": "ヴァルモーラの市長が橋を開通させた。"}]
    story = story_from_rows(rows)
    ctx = context_for(story, embed=lexicon_embed, token_states=lexicon_tokens)

    def spans(*pairs):
        out = []
        for d, word in pairs:
            text = story.document(d).text
            out.append((d, text.index(word), text.index(word) + len(word)))
        return out

    def omission(*pairs):
        return Event("omission", "en", 0, 0, 0, 1.0, True, ["ru", "de"], spans(*pairs))

    assert _names_only(ctx, omission(("ru", "Валморы"), ("de", "Valmora")))  # Cyrillic and Latin capitals
    assert _names_only(ctx, omission(("en", "St. Anselm's"), ("de", "Valmora")))  # a possessive's letter is no word
    assert not _names_only(ctx, omission(("de", "Brücke"), ("en", "bridge")))  # a German noun alone is no name
    # a script without case has the name as it sounds, not what a capital would tell
    assert _names_only(ctx, omission(("ru", "Валморы"), ("ar", "فالمورا")))
    assert _names_only(ctx, omission(("de", "Valmora"), ("ja", "ヴァルモーラ")))
    assert not _names_only(ctx, omission(("de", "Valmora"), ("ar", "الجسر")))  # "the bridge"
    assert not _names_only(ctx, omission(("ar", "فالمورا"),))  # no capitals to tell
    assert not _names_only(ctx, omission(("de", "von Valmora"), ("en", "of Valmora")))  # more than the name
    assert not _names_only(ctx, Event("addition", "en", 0, 0, 0, 1.0, True, ["ru"], spans(("ru", "Валморы"))))


def _at(story, d, word):
    """(document, start, end) of ``word`` in version ``d``."""
    text = story.document(d).text
    return d, text.index(word), text.index(word) + len(word)


def _event(kind, story, row, d, word, *related):
    """A span event of ``kind`` on ``word`` of ``d``; ``related``: its counterparts, (version, word)."""
    _, s, e = _at(story, d, word)
    return Event(kind, d, s, e, row, 1.0, True, [r[0] for r in related], [_at(story, *r) for r in related])


def test_a_measure_converted_to_another_unit_is_left_to_the_number_rule():
    from xlingo.check.rules.spans import _measured, _measures_only

    # made up: a forward's height and a road's length, in feet and metres, miles and kilometres
    assert _measured("6-foot-6", "en") and _measured("1,98 m", "de") and _measured("1,98 m pour 98 kg", "fr")
    assert _measured("64 километра", "ru") and _measured("64公里", "zh") and _measured("15 Zentimetern", "de")
    assert not _measured("1,98 m de altura", "pt")  # a content word beside the measure: more than a unit
    assert not _measured("7 percent", "en") and not _measured("20 000", "fr")  # no unit of measurement
    rows = [{"en": "The 6-foot-6 forward grew up in Ohio.", "de": "Der 1,98 m große Stürmer wuchs in Ohio auf.",
             "ru": "Нападающий ростом 1,98 м вырос в Огайо."}]
    story = story_from_rows(rows)
    ctx = context_for(story, embed=lexicon_embed, token_states=lexicon_tokens)

    def swap(d, word, *related):
        return _event("mistranslation", story, 0, d, word, *related)

    assert _measures_only(ctx, swap("en", "6-foot-6", ("de", "1,98 m"), ("ru", "1,98 м")))
    assert not _measures_only(ctx, swap("en", "forward", ("de", "Stürmer"), ("ru", "Нападающий")))
    assert not _measures_only(ctx, swap("en", "6-foot-6", ("de", "1,98 m große Stürmer")))  # a word more
    left_out = Event("omission", "en", 0, 0, 0, 1.0, True, ["de"], [_at(story, "de", "1,98 m")])
    assert _measures_only(ctx, left_out)  # the English row states its height in feet
    rows = [{"en": "The forward grew up in Ohio.", "de": "Der 1,98 m große Stürmer wuchs in Ohio auf."}]
    story = story_from_rows(rows)
    ctx = context_for(story, embed=lexicon_embed, token_states=lexicon_tokens)
    left_out = Event("omission", "en", 0, 0, 0, 1.0, True, ["de"], [_at(story, "de", "1,98 m")])
    assert not _measures_only(ctx, left_out)  # no measure here: the height is left out


def test_a_number_the_other_version_states_in_its_own_words_is_left_to_the_number_rule():
    from xlingo.check.rules.spans import _numbers_stated_there

    # made up: a city's residents, a bail, a storm's distance, in four scripts
    rows = [{"en": "About 820,000 residents live there, and bail was set at $350,000.",
             "ja": "約82万人が住んでおり、保釈金は35万ドルに設定された。",
             "ru": "Там живут около 820 тыс. человек, а залог составил 350 тыс. долларов."},
            {"en": "The storm passed within 200 miles of Tucson.",
             "pl": "Burza przeszła w odległości 320 km od Tucson."}]
    story = story_from_rows(rows)
    ctx = context_for(story, embed=lexicon_embed, token_states=lexicon_tokens)

    def added(row, d, word, *related):
        return _event("addition", story, row, d, word, *related)

    assert _numbers_stated_there(ctx, added(0, "en", "820,000", ("ja", "約82万人"), ("ru", "820 тыс")))
    assert _numbers_stated_there(ctx, added(0, "en", "$350,000", ("ja", "35万ドル")))
    assert _numbers_stated_there(ctx, added(0, "ja", "82万", ("en", "820,000")))
    assert _numbers_stated_there(ctx, added(1, "en", "200", ("pl", "320 km")))  # miles converted
    assert not _numbers_stated_there(ctx, added(0, "en", "820,000 residents", ("ja", "約82万人")))  # a word more
    assert not _numbers_stated_there(ctx, added(0, "en", "residents", ("ja", "約82万人")))  # no number
    story = story_from_rows([{"en": "About 820,000 residents live there.", "ja": "約28万人が住んでいる。"}])
    ctx = context_for(story, embed=lexicon_embed, token_states=lexicon_tokens)
    assert not _numbers_stated_there(ctx, added(0, "en", "820,000", ("ja", "約28万人")))  # another value
