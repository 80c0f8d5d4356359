"""XL101 number-mismatch, XL102 currency-mismatch, XL103 number-format on hand-built rows (no model)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from xlingo.check.base import RULES, all_rules
from xlingo.check.rules.numbers import CurrencyMismatch, NumberFormat, NumberMismatch
from xlingo.model import Severity
from xlingo.testing import context_for, story_from_rows

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def run(rule, rows, context=None, **kw):
    story = story_from_rows(rows, context=context)
    return story, list(rule.check(context_for(story, **kw)))


def test_rules_are_registered():
    all_rules()
    assert {c: RULES[c].name for c in ("XL101", "XL102", "XL103")} == {
        "XL101": "number-mismatch", "XL102": "currency-mismatch", "XL103": "number-format"}


# --------------------------------------------------------------------------- XL101

def test_the_odd_amount_out_is_flagged_with_its_span_and_counterparts():
    rows = [{"de": "Der Umsatz stieg auf 13,7 Milliarden Dollar.",
             "en": "Revenue rose to $13.7 billion.",
             "pt": "A receita subiu para 17,3 bilhões de dólares."}]
    story, found = run(NumberMismatch(), rows)
    assert len(found) == 1
    f = found[0]
    assert (f.rule, f.doc, f.severity, f.text) == ("XL101", "pt", Severity.ERROR, "17,3 bilhões de dólares")
    assert story.document("pt").text[f.start:f.end] == f.text
    assert f.message == "`17,3 bilhões de dólares` here, but `13,7 Milliarden Dollar` / `$13.7 billion` in de, en"
    assert [r.text for r in f.related] == ["13,7 Milliarden Dollar", "$13.7 billion"]
    assert f.suggestion == "13,7 bilhões de dólares"


CLEAN = [
    {"de": "Der Konzern setzte 2023 rund 13,7 Milliarden US-Dollar um, 10 % mehr als im Vorjahr.",
     "en": "The group's 2023 revenue was about $13.7 billion, up 10% on the year before.",
     "fr": "Le groupe a réalisé en 2023 un chiffre d'affaires de 13 700 millions de dollars, en hausse de 10 %.",
     "pt": "O grupo faturou em 2023 cerca de 13,7 bilhões de dólares, 10 por cento mais do que no ano anterior."},
    {"de": "Am 17. März kamen 1.500 Besucher, zwei davon aus Japan.",
     "en": "On March 17th, 1,500 visitors came, two of them from Japan.",
     "fr": "Le 17 mars, 1 500 visiteurs sont venus, dont deux du Japon.",
     "pt": "Em 17 de março vieram 1.500 visitantes, dois deles do Japão."},
    {"de": "Die Anlage kostet 2 Milliarden Euro und soll um 18.30 Uhr eröffnet werden.",
     "en": "The plant costs 2.0 billion euros and opens at 6:30 p.m.",
     "fr": "L'usine coûte 2 milliards d'euros et ouvre à 18h30.",
     "pt": "A fábrica custa 2 mil milhões de euros e abre às 18:30."},
    {"de": "Nvidia darf den H20 nach China liefern, sagte der Chef der G7.",
     "en": "Nvidia may ship the H20 to China, the head of the G7 said.",
     "fr": "Nvidia peut livrer la H20 à la Chine, a dit le chef du G7.",
     "pt": "A Nvidia pode enviar o H20 para a China, disse o chefe do G7."},
    {"es": "La deuda pública supera los 1,6 billones de euros, un 3,5 % más.",
     "it": "Il debito pubblico supera i 1.600 miliardi di euro, il 3,5 per cento in più.",
     "nl": "De staatsschuld is meer dan 1600 miljard euro, 3,5 procent meer.",
     "en": "Public debt exceeds 1.6 trillion euros, up 3.5%."},
]


def test_clean_rows_with_different_formats_of_the_same_values():
    for rule in (NumberMismatch(), CurrencyMismatch(), NumberFormat()):
        _, found = run(rule, CLEAN)
        assert found == [], [(f.rule, f.doc, f.message) for f in found]


def test_scale_words_are_compared_by_value():
    rows = [{"de": "Die Schulden betragen 2 Billionen Euro.",  # 10^12
             "en": "The debt is 2 billion euros.",             # 10^9
             "fr": "La dette s'élève à 2 000 milliards d'euros."}]
    _, found = run(NumberMismatch(), rows)
    assert [(f.doc, f.text) for f in found] == [("en", "2 billion euros")]
    assert found[0].suggestion is None  # "2000 billion" would be no way to write it


def test_a_number_missing_from_one_version_flags_its_sentence():
    rows = [{"de": "Die Firma beschäftigt 4500 Menschen.", "fr": "L'entreprise emploie 4500 personnes.",
             "it": "L'azienda ha molti dipendenti."}]
    story, found = run(NumberMismatch(), rows)
    assert [(f.doc, f.severity) for f in found] == [("it", Severity.ERROR)]
    assert found[0].text == story.document("it").text  # the whole cell
    assert "this version has no such number" in found[0].message


def test_small_numbers_spelled_out_or_dropped_are_tolerated():
    rows = [{"de": "Drei Minister traten zurück.", "en": "3 ministers resigned.", "nl": "Drie ministers stapten op."},
            {"de": "Der 2. Versuch gelang.", "en": "The second attempt worked.", "nl": "De tweede poging lukte."}]
    _, found = run(NumberMismatch(), rows)
    assert found == []


def test_two_versions_that_disagree_are_both_flagged_as_warnings():
    rows = [{"de": "Der Umsatz wuchs um 10 Prozent.", "fr": "Le chiffre a progressé de 12 %."}]
    _, found = run(NumberMismatch(), rows)
    assert sorted((f.doc, f.text, f.severity) for f in found) == [
        ("de", "10 Prozent", Severity.WARNING), ("fr", "12 %", Severity.WARNING)]


@pytest.mark.parametrize("rows, flagged", [
    # the Arabic states its amount in a word the reader does not read (a dual): no vote either way
    ([{"nl": "Ze doet niet mee als ze geen $1 miljoen kan opbrengen.",
       "es": "No se presentará si no recauda dos millones de dólares.",
       "ar": "لن تترشح ما لم تجمع مليوني دولار."}],
     [("es", Severity.WARNING), ("nl", Severity.WARNING)]),
    ([{"ja": "利用者は12万人に増えた。", "ru": "Число пользователей выросло до 150 тысяч.",
       "en": "The number of users grew sharply."}],
     [("ja", Severity.WARNING), ("ru", Severity.WARNING)]),
    # "a mile" in words, and two roundings of it in kilometres beside: information, as in a tie
    ([{"en": "Another cyclist died on Childers Street, about a mile away.",
       "de": "Ein anderer Radfahrer starb in der Childers Street, etwa 1,6 Kilometer entfernt.",
       "fr": "Un autre cycliste est mort sur Childers Street, à environ 1,5 km.",
       "pt": "Outro ciclista morreu na Childers Street, a cerca de um quilómetro e meio."}],
     [("de", Severity.INFO), ("fr", Severity.INFO)]),
    # the versions that state a figure agree: nothing to flag, however many say it in words
    ([{"nl": "Ze doet niet mee als ze geen $2 miljoen kan opbrengen.",
       "es": "No se presentará si no recauda dos millones de dólares.",
       "ar": "لن تترشح ما لم تجمع مليوني دولار."}], []),
])
def test_a_version_that_states_no_figure_abstains_and_the_others_tie(rows, flagged):
    _, found = run(NumberMismatch(), rows)
    assert sorted((f.doc, f.severity) for f in found) == flagged


def test_a_context_document_breaks_the_tie():
    rows = [{"de": "Die Schulden betragen 5 Milliarden Euro.", "fr": "La dette s'élève à 6 milliards d'euros."}]
    _, found = run(NumberMismatch(), rows, context={"en-wire": "The debt stands at 5 billion euros, officials said."})
    assert [(f.doc, f.severity) for f in found] == [("fr", Severity.ERROR)]


@pytest.mark.parametrize("rows, flagged", [
    # one inch converted and rounded three ways: the two odd ones are information
    ([{"es": "Caerán entre 2 y 5 centímetros de lluvia.", "nl": "Er valt tussen 3 en 5 centimeter regen.",
       "it": "Cadranno tra 2,5 e 5 centimetri di pioggia.", "pl": "Spadnie od 2,5 do 5 centymetrów deszczu."}],
     [("es", Severity.INFO), ("nl", Severity.INFO)]),
    ([{"ru": "Температура поднялась до 27 градусов.", "ja": "気温は26度まで上がった。",
       "de": "Die Temperatur stieg auf 30 Grad.", "fr": "La température est montée à 30 degrés."}],
     [("ja", Severity.INFO), ("ru", Severity.INFO)]),
    # two against two, each side agreeing with itself: nothing says which is right
    ([{"es": "Ganaron 24 partidos.", "nl": "Ze wonnen 24 wedstrijden.", "it": "Hanno vinto 26 partite.",
       "pl": "Wygrali 26 meczów."}], [("es", Severity.WARNING), ("it", Severity.WARNING),
                                        ("nl", Severity.WARNING), ("pl", Severity.WARNING)]),
    # a majority: the odd one is an error, whatever else differs (no one conversion explains it)
    ([{"es": "Caerán 4 centímetros.", "nl": "Er valt 2,5 centimeter.", "it": "Cadranno 2,5 centimetri.",
       "pl": "Spadnie 2,5 centymetra.", "fr": "Il tombera 3,5 centimètres."}], [("es", Severity.ERROR), ("fr", Severity.ERROR)]),
])
def test_a_tie_whose_other_side_is_split_singles_out_no_version(rows, flagged):
    _, found = run(NumberMismatch(), rows)
    assert sorted((f.doc, f.severity) for f in found) == flagged
    assert all(("disagree with each other too" in f.message) == (f.severity == Severity.INFO) for f in found)


def test_two_versions_one_drops_an_amount_but_not_a_plain_number():
    rows = [{"de": "Das kostet 3 Millionen Euro.", "fr": "Cela coûte cher."},
            {"de": "Die Karte von 1930 ist gut.", "fr": "La carte est bonne."}]
    _, found = run(NumberMismatch(), rows)
    assert [(f.doc, f.row, f.severity) for f in found] == [("fr", 0, Severity.WARNING)]


def test_model_codes_are_compared_whole_not_read_as_numbers():
    rows = [{"en": "Airbus delivered the A320 to the airline.", "de": "Airbus lieferte den A321 an die Airline.",
             "fr": "Airbus a livré l'A320 à la compagnie."}]
    _, found = run(NumberMismatch(), rows)
    assert [(f.doc, f.text, f.severity) for f in found] == [("de", "A321", Severity.ERROR)]
    assert found[0].message == "`A321` here, but `A320` in en, fr"


def test_months_are_compared_when_every_version_names_one():
    rows = [{"de": "Es geschah am 17. März 2023.", "en": "It happened on April 17, 2023.",
             "fr": "C'est arrivé le 17 mars 2023."},
            {"de": "Es geschah im Frühjahr 2023.", "en": "It happened in March 2023.",
             "fr": "C'est arrivé au printemps 2023."}]
    _, found = run(NumberMismatch(), rows)
    assert [(f.doc, f.text, f.row) for f in found] == [("en", "April", 0)]


def test_multiset_one_of_two_equal_numbers_missing():
    rows = [{"de": "Manaslu ( 8125 m ) und Nanga Parbat ( 8125 m ) bleiben.",
             "fr": "Le Manaslu ( 8125 m ) et le Nanga Parbat ( 8152 m ) restent.",
             "en": "Manaslu (8125 m) and Nanga Parbat (8125 m) remain."}]
    _, found = run(NumberMismatch(), rows)
    assert [(f.doc, f.text) for f in found] == [("fr", "8152")]


def test_a_number_one_version_repeats_leaves_the_others_single_mention_unflagged():
    """Made up (en, ja, nl): a phrase looped in the English repeats ``2,706``; the Japanese (whose
    numbers come in another order, after the ``一`` of 統一) and the Dutch each say it once: they
    are one group, not two half-groups each missing from the other."""
    rows = [{"en": "Park, citing the unification ministry, said there had been 1,127 defections last year "
                   "- compared with 2,706 in - compared with 2,706 in 2011.",
             "ja": "統一省のデータを引用したパクは、2011年の2,706人の脱北者数に比べて、昨年は1,127名だったと述べている。",
             "nl": "Park, die het ministerie citeert, verklaart dat er vorig jaar 1.127 overlopers waren, "
                   "in vergelijking met 2.706 in 2011."}]
    _, found = run(NumberMismatch(), rows)
    assert found == []


@pytest.mark.parametrize("row, flagged", [
    # an article's "one" (uma, un) is no 1 in digits: the 6 is the slip for the score's 1
    ({"pt": "Foi uma reviravolta: o clube venceu Dundee por 2-6 na sexta-feira.",
      "de": "Es war eine Wende: Der Klub schlug Dundee am Freitag 2-1.",
      "ja": "逆転劇だった。クラブは金曜日にダンディーに 2 対 1 で勝った。"}, [("pt", "6")]),
    ({"es": "Fue una remontada: el club ganó a Dundee por 2-6 el viernes.",
      "de": "Es war eine Wende: Der Klub schlug Dundee am Freitag 2-1.",
      "en": "It was a comeback: the club beat Dundee 2-1 on Friday."}, [("es", "6")]),
    ({"pt": "Foi uma reviravolta: o clube venceu Dundee por 2-1 na sexta-feira.",
      "de": "Es war eine Wende: Der Klub schlug Dundee am Freitag 2-1.",
      "ja": "逆転劇だった。クラブは金曜日にダンディーに 2 対 1 で勝った。"}, []),
])
def test_an_articles_one_is_no_number_in_digits(row, flagged):
    _, found = run(NumberMismatch(), [row])
    assert [(f.doc, f.text) for f in found] == flagged


def test_unrelated_leftovers_are_not_paired():
    # a year is no slip for a height, 53 no slip for 1953: with two versions nothing is said
    rows = [{"de": "Der Everest ( 8848 m ) wurde 1953 bestiegen.", "fr": "L'Everest a été gravi en 1956, voir p. 53."}]
    _, found = run(NumberMismatch(), rows)
    assert [(f.doc, f.text) for f in found] == [("de", "1953"), ("fr", "1956")]
    # a transposition and a scale slip are
    rows = [{"de": "Der Gipfel misst 6719 m.", "en": "The summit is 6179 m high.", "fr": "Le sommet mesure 6719 m."},
            {"de": "Es kostet 5 Millionen Euro.", "en": "It costs 5 billion euros.",
             "fr": "Cela coûte 5 millions d'euros."}]
    _, found = run(NumberMismatch(), rows)
    assert [(f.doc, f.text, f.severity) for f in found] == [("en", "6179", Severity.ERROR),
                                                            ("en", "5 billion euros", Severity.ERROR)]


def test_boilerplate_rows_are_skipped():
    rows = [{"de": "Foto: 2021", "en": "Photo: 2019", "fr": "Photo : 2018"}]
    story = story_from_rows(rows)
    ctx = context_for(story, boilerplate={("de", 0), ("en", 0), ("fr", 0)})
    assert list(NumberMismatch().check(ctx)) == []


# --------------------------------------------------------------------------- XL102

def test_the_currency_the_others_do_not_share_is_flagged():
    rows = [{"en": "Nvidia sold chips worth $16 billion.",
             "de": "Nvidia verkaufte Chips für 16 Milliarden Euro.",
             "fr": "Nvidia a vendu des puces pour 16 milliards de dollars."}]
    _, found = run(CurrencyMismatch(), rows)
    assert [(f.rule, f.doc, f.text, f.severity) for f in found] == [
        ("XL102", "de", "16 Milliarden Euro", Severity.WARNING)]
    assert {r.lang for r in found[0].related} == {"en", "fr"}
    _, numbers = run(NumberMismatch(), rows)
    assert numbers == []  # the value agrees: not a number mismatch


def test_currency_two_versions_and_compatible_names():
    _, found = run(CurrencyMismatch(), [{"pt": "Custou 5 milhões de euros.", "es": "Costó 5 millones de dólares."}])
    assert sorted(f.doc for f in found) == ["es", "pt"]
    _, found = run(CurrencyMismatch(), [{"en": "It cost US$5m.", "it": "È costato 5 milioni di dollari.",
                                         "nl": "Het kostte 5 miljoen Amerikaanse dollar."}])
    assert found == []


# --------------------------------------------------------------------------- XL103

def test_decimal_point_in_german_is_flagged_next_to_a_scale_word():
    rows = [{"de": "Der Umsatz stieg auf 13.7 Milliarden Dollar.", "en": "Revenue rose to $13.7 billion."}]
    story, found = run(NumberFormat(), rows)
    assert [(f.rule, f.doc, f.text, f.suggestion) for f in found] == [("XL103", "de", "13.7", "13,7")]
    _, numbers = run(NumberMismatch(), rows)
    assert numbers == []  # read as 13.7 anyway


def test_arabic_separators_between_digits_group_and_mark_decimals():
    rows = [{"en": "More than 30,000 people have crossed since 1953, each paying 2.5 dollars.",
             "ar": "عبر أكثر من 30،000 شخص منذ عام 1953، دفع كل منهم 2٫5 دولار.",
             "fa": "بیش از ۳۰٬۰۰۰ نفر از سال ۱۹۵۳ عبور کرده‌اند و هر کدام ۲٫۵ دلار پرداختند."}]
    for rule in (NumberMismatch(), NumberFormat()):
        _, found = run(rule, rows)
        assert found == [], [(f.rule, f.doc, f.message) for f in found]
    story, found = run(NumberMismatch(), [{**rows[0], "ar": rows[0]["ar"].replace("30،000", "40،000")}])
    assert [(f.doc, f.text) for f in found] == [("ar", "40،000")]  # the number as written


def test_ambiguous_grouping_is_resolved_by_the_other_versions():
    rows = [{"en": "Some 1.500 people came.", "de": "Es kamen 1.500 Menschen.",
             "fr": "Quelque 1 500 personnes sont venues."}]
    _, found = run(NumberFormat(), rows)
    assert [(f.doc, f.text, f.suggestion) for f in found] == [("en", "1.500", "1,500")]
    assert [r.lang for r in found[0].related] == ["de", "fr"]
    # en and de alone: either could be wrong, nothing is said
    _, found = run(NumberFormat(), [{"en": "Some 1.500 people came.", "de": "Es kamen 1.500 Menschen."}])
    assert found == []


@pytest.mark.parametrize("row", [
    {"de": "Um 18.30 Uhr, siehe S.91.", "fr": "À 18h30, voir p. 91."},
    {"de": "Der Zins liegt bei 1,5 Prozent.", "en": "The rate is 1.5 percent."},
    {"de": "Sie zahlten 1.234.567,89 Euro.", "en": "They paid 1,234,567.89 euros."},
    {"it": "Costa 2.500 euro.", "es": "Cuesta 2.500 euros.", "fr": "Il coûte 2 500 euros."},
    {"de": "Ein Träger erhält Fr. 2.70 pro Tag.", "fr": "Un porteur reçoit 2.70 francs suisses par jour."},
])
def test_number_format_clean(row):
    _, found = run(NumberFormat(), [row])
    assert found == []


# --------------------------------------------------------------------------- clean human translation

def _rules_clean():
    spec = importlib.util.spec_from_file_location("rules_clean", ROOT / "benchmarks" / "rules_clean.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (SHARED / "data" / "textberg-dev" / "dev.defr").exists(), reason="Text+Berg dev not present")
def test_no_error_on_clean_human_translation():
    bench = _rules_clean()
    rows = bench.gold_rows(SHARED / "data" / "textberg-dev")
    assert len(rows) > 200
    _, findings = bench.run_rules(rows, codes=["XL101", "XL102", "XL103"])
    assert [f for f in findings if f.severity == Severity.ERROR] == []
    # two versions: only warnings; the few left are real disagreements of the source (page numbers, years)
    assert len(findings) <= 0.02 * 2 * len(rows)
    counts = bench.count_findings(rows[:20], codes=["XL101", "XL102", "XL103"])
    assert set(counts) == {"XL101", "XL102", "XL103"}


def test_a_value_written_twice_is_flagged_at_the_occurrence_that_stands_where_the_others_differ():
    # "3-3" against "5-3": the first 3 is the slip, whichever version is read first
    rows = [{"pl": "Wynik końcowy: Varnholm 3-3 Kestrel.", "en": "Final score: Varnholm 5-3 Kestrel.",
             "ru": "Итоговый счёт: Варнхольм 5:3 Кестрел."}]
    story, found = run(NumberMismatch(), rows)
    pl = story.document("pl").text
    assert [(f.doc, f.text, f.start) for f in found] == [("pl", "3", pl.index("3"))]
