"""XL101 on numbers a translation converts: units of measurement, decades, clock times.

Made-up sentences (no seed text) in Latin, Cyrillic, Chinese and Japanese script.
"""
from __future__ import annotations

import pytest

from xlingo.check.quantities import extract_quantities, same_value
from xlingo.check.rules.numbers import NumberMismatch
from xlingo.model import Severity
from xlingo.testing import context_for, story_from_rows


def findings(rows):
    return list(NumberMismatch().check(context_for(story_from_rows(rows))))


@pytest.mark.parametrize("row", [
    {"en": "The storm passed within 150 miles of the coast.", "de": "Der Sturm zog 240 Kilometer vor der Küste vorbei.",
     "fr": "La tempête est passée à 240 km de la côte.", "ru": "Шторм прошёл в 240 километрах от побережья."},
    {"en": "Forecasters expect 3 to 5 inches of rain.", "de": "Erwartet werden 7,5 bis 12,5 Zentimeter Regen.",
     "pt": "Os meteorologistas esperam 7,5 a 12,5 cm de chuva."},
    {"en": "The 300-pound bear was seen near the lake.", "fr": "L'ours de 136 kilos a été vu près du lac.",
     "es": "El oso de 136 kilos fue visto cerca del lago."},
    {"en": "It was 95 degrees Fahrenheit at noon.", "de": "Mittags waren es 35 Grad Celsius.",
     "it": "A mezzogiorno c'erano 35 °C."},
    {"en": "The winds reached 60 miles per hour.", "fr": "Les vents ont atteint 97 km/h.",
     "pt": "Os ventos atingiram 95 km/h."},  # two roundings of one conversion
    {"en": "The church emptied in the 1970s.", "de": "Die Kirche leerte sich in den 1970er-Jahren.",
     "fr": "L'église s'est vidée dans les années 70."},
    {"en": "The company has 350 employees.", "zh": "该公司有三百五十名员工。", "ja": "同社の従業員は350人だ。"},
    {"en": "The ferry leaves at 1.30pm.", "de": "Die Fähre legt um 13.30 Uhr ab.", "fr": "Le bac part à 13h30."},
    {"en": "The 6-foot-6 forward scored twice.", "ru": "Нападающий ростом 1,98 м забил дважды.",
     "pl": "Mierzący 1,98 m napastnik strzelił dwa gole."},  # Russian's abbreviated metre
    {"en": "Winds reached 85 miles per hour.", "nl": "De wind bereikte 137 km per uur.",
     "de": "Der Wind erreichte 137 km pro Stunde.", "fr": "Le vent a atteint 137 km par heure."},
    # speeds in the words of each language, one source in mph, roundings of its conversion
    {"en": "Winds of 85 miles per hour, moving north at 12 miles per hour.",
     "it": "Venti di 85 miglia all'ora, si sposta verso nord a 12 miglia all'ora.",
     "es": "Vientos de 136 kilómetros por hora, avanza hacia el norte a 19 kilómetros por hora.",
     "nl": "Wind van 140 km per uur, beweegt noordwaarts met 20 km per uur.",
     "pl": "Wiatr do 137 km/h, przesuwa się na północ z prędkością 19 kilometrów na godzinę."},
])
def test_converted_quantities_are_not_mismatches(row):
    assert findings([row]) == []


def test_a_unit_changed_without_converting_the_number_is_flagged():
    row = {"en": "The border is 50 miles away.", "de": "Die Grenze ist 50 Kilometer entfernt.",
           "fr": "La frontière est à 50 km."}
    assert [(f.lang, f.text) for f in findings([row])] == [("en", "50")]


def test_units_and_ranges_are_read():
    qs = extract_quantities("between 2 and 4 inches", "en")
    assert [(q.value, q.unit) for q in qs] == [(2, "in"), (4, "in")]
    a, b = extract_quantities("200 miles", "en")[0], extract_quantities("320 km", "fr")[0]
    assert same_value(a, b) == 1
    a, b = extract_quantities("200 miles", "en")[0], extract_quantities("200 km", "fr")[0]
    assert same_value(a, b) == 0


@pytest.mark.parametrize("row, conversion", [
    # the source's inches, pounds and Fahrenheit are in neither version: each converted on its own
    ({"es": "Caerán 2 centímetros de lluvia.", "it": "Cadranno 2,5 centimetri di pioggia."}, True),
    ({"nl": "Er valt tot 8 centimeter regen.", "de": "Es fallen bis zu 7,5 Zentimeter Regen."}, True),
    ({"de": "Das Schwein wog 290 Kilogramm.", "nl": "Het varken woog 300 kilogram."}, True),
    ({"ru": "Было 27 градусов.", "nl": "Het was 30 graden."}, True),
    # not two roundings of one converted figure: the warning stays
    ({"de": "Es fallen 25 Zentimeter Schnee.", "fr": "Il tombera 35 centimètres de neige."}, False),
    ({"de": "Das Schwein wog 290 Kilogramm.", "nl": "Het varken woog 390 kilogram."}, False),
    ({"pl": "Trasa ma 160 km.", "fr": "La route fait 170 km."}, False),
    ({"es": "Ganó 2 partidos.", "it": "Ha vinto 3 partite."}, False),
])
def test_a_tie_of_two_roundings_of_one_converted_measure_is_information(row, conversion):
    found = findings([row])
    assert len(found) == 2
    assert {f.severity for f in found} == {Severity.INFO if conversion else Severity.WARNING}
    assert all(("converted from the other measurement system" in f.message) == conversion for f in found)


def test_a_majority_does_not_make_another_rounding_of_a_converted_measure_an_error():
    found = findings([{"es": "Caerán 2 centímetros.", "it": "Cadranno 2,5 centimetri.",
                       "pt": "Vão cair 2,5 centímetros."}])
    assert [(f.doc, f.severity) for f in found] == [("es", Severity.INFO)]
    found = findings([{"es": "Caerán 4 centímetros.", "it": "Cadranno 2,5 centimetri.",
                       "pt": "Vão cair 2,5 centímetros."}])
    assert [(f.doc, f.severity) for f in found] == [("es", Severity.ERROR)]


def test_three_roundings_of_one_converted_measure_are_information_and_three_fees_still_warn():
    rows = [{"es": "Caerán 2 centímetros.", "it": "Cadranno 2,5 centimetri.", "ru": "Выпадет 3 сантиметра."}]
    found = findings(rows)
    assert sorted((f.doc, f.severity) for f in found) == [("es", Severity.INFO), ("it", Severity.INFO),
                                                           ("ru", Severity.INFO)]
    assert all("converted from the other measurement system" in f.message for f in found)
    rows = [{"es": "Caerán 12 centímetros.", "it": "Cadranno 15 centimetri.", "ru": "Выпадет 18 сантиметров."}]
    assert {f.severity for f in findings(rows)} == {Severity.WARNING}


@pytest.mark.parametrize("row", [
    {"en": "The train left at 4:40 a.m.", "it": "Il treno è partito alle ore 4.40 del mattino.",
     "ar": "غادر القطار الساعة 4.40 صباحا.", "pl": "Pociąg odjechał o godz. 4.40 rano."},
    {"en": "The vote closes at 4:30 p.m.", "es": "La votación cierra a las 16.30.", "pt": "A votação fecha às 16h30."},
    {"en": "The best time for a pint is 5:30 p.m. on a Saturday.", "de": "Die beste Zeit ist samstags um 17:30 Uhr.",
     "es": "La hora perfecta para una pinta son las 5.30 de la tarde del sábado."},
])
def test_a_clock_time_written_with_a_dot_after_an_hour_word_is_a_time(row):
    assert findings([row]) == []
    changed = dict(row, en=row["en"].replace(":40", ":50").replace(":30", ":50"))
    assert [f.lang for f in findings([changed])] == ["en"]


def test_a_dotted_figure_without_an_hour_word_is_still_a_number():
    assert [x.kind for x in extract_quantities("Il prezzo è salito a 4.40 euro.", "it")] == ["money"]
    assert [x.kind for x in extract_quantities("Rates rose as much as 4.40 in May.", "en")] != ["time"]
    assert [x.kind for x in extract_quantities("Aplaudieron las 2.500 personas.", "es")] == ["number"]


def test_an_impossible_time_after_an_hour_word_is_still_a_time_and_wrong():
    row = {"en": "The train left at 4:40 a.m.", "it": "Il treno è partito alle ore 4.40 del mattino.",
           "ar": "غادر القطار الساعة 4.60 صباحا."}
    assert [f.lang for f in findings([row])] == ["ar"]


@pytest.mark.parametrize("text, lang, unit", [
    ("台风正以每小时 15 英里的速度向西移动。", "zh", "mph"),
    ("台风以时速 24 公里向西移动。", "zh", "kmh"),
    ("台風は時速24キロで西へ進んでいる。", "ja", "kmh"),
    ("台风距海岸 15 英里。", "zh", "mi"),  # no "per hour": a distance
])
def test_per_hour_before_the_number_makes_a_speed_in_chinese_and_japanese(text, lang, unit):
    assert [q.unit for q in extract_quantities(text, lang) if not q.soft] == [unit]


def test_a_speed_said_per_hour_before_the_number_converts_and_a_changed_one_is_flagged():
    row = {"en": "The typhoon is moving west at 15 miles per hour.", "zh": "台风正以每小时 15 英里的速度向西移动。",
           "es": "El tifón avanza hacia el oeste a 24 kilómetros por hora."}
    assert findings([row]) == []
    slipped = dict(row, es=row["es"].replace("24", "14"))
    assert [(f.lang, f.text) for f in findings([slipped])] == [("es", "14")]


@pytest.mark.parametrize("row, changed", [
    ({"en": "The market opens at 9:15 a.m.", "nl": "De markt opent om 9.15 u.", "fr": "Le marché ouvre à 9h15."},
     ("nl", "9.15 u.", "9.45 u.")),  # Dutch "u." (uur) after a dotted time
    ({"ja": "会場は午前9:15に開く。", "en": "The hall opens at 9:15 a.m.", "de": "Die Halle öffnet um 9:15 Uhr."},
     ("ja", "9:15", "9:45")),  # a time right after kanji
    ({"fr": "Le concert commence à 19h30.", "pt": "O concerto começa às 19h30.", "it": "Il concerto inizia alle 19:30."},
     ("fr", "19h30", "79h30")),  # no such hour, still a clock time
])
def test_clock_times_in_more_writings_are_read_and_a_changed_one_is_flagged(row, changed):
    assert findings([row]) == []
    lang, old, new = changed
    assert [(f.lang, f.text) for f in findings([dict(row, **{lang: row[lang].replace(old, new)})])] == [(lang, new)]


def test_a_percentage_two_versions_spell_out_alike_is_wanted_from_the_third():
    row = {"en": "Food sales fell by four per cent.", "pl": "Sprzedaż jedzenia spadła o cztery procent.",
           "es": "Las ventas de comida cayeron un 4 %."}
    assert findings([row]) == []
    found = findings([dict(row, es="Las ventas de comida cayeron un 7 %.")])
    assert [(f.lang, f.text, f.severity) for f in found] == [("es", "7 %", Severity.WARNING)]


@pytest.mark.parametrize("row", [
    {"en": "The 6-foot-6 forward grew up in Baton Rouge.", "pl": "Mierzący 1,98 m napastnik dorastał w Baton Rouge.",
     "zh": "这位身高6.6英尺的前锋在巴吞鲁日长大。"},
    {"en": "The 6-foot-6 forward grew up in Baton Rouge.", "nl": "De 1,98 meter lange aanvaller groeide op in Baton Rouge.",
     "ja": "6フィート6インチの彼はバトンルージュで育った。"},
])
def test_feet_in_chinese_and_japanese_are_feet(row):
    assert findings([row]) == []


def test_a_code_with_other_digits_than_the_others_write_is_flagged():
    # a model, a gene: the letters name it, the digits tell which one; in Latin, Cyrillic and Chinese text
    rows = [{"en": "Nvidia may sell its H20 chips and a test for the HER2 protein in China.",
             "ru": "Nvidia может продавать чипы H200 и тест на белок HER2 в Китае.",
             "zh": "英伟达可以在中国销售H20芯片和HER2蛋白检测。",
             "pl": "Nvidia może sprzedawać w Chinach chipy H20 i test na białko HER3."}]
    found = [(f.lang, f.text, f.severity) for f in findings(rows)]
    assert sorted(found) == [("pl", "HER3", Severity.ERROR), ("ru", "H200", Severity.ERROR)]
    two = [{"de": "Die Boeing F-35 landete.", "fr": "Le F-16 de Boeing a atterri."}]
    assert sorted((f.lang, f.text, f.severity) for f in findings(two)) == [
        ("de", "F-35", Severity.WARNING), ("fr", "F-16", Severity.WARNING)]


@pytest.mark.parametrize("row", [
    {"en": "The COVID-19 test and the H20 chip.", "es": "La prueba de Covid-19 y el chip H20.",
     "ja": "COVID-19の検査とH20チップ。"},  # the same codes, cased or not
    {"en": "Nvidia's H20 is slower than the H100.", "de": "Der H20 von Nvidia ist langsamer als der H100.",
     "fr": "La puce H100 est plus rapide que la H20 de Nvidia."},  # two codes of one series, reordered
    {"en": "The SS19 collection opened Paris Fashion Week.", "nl": "De collectie voor 2019 opende de modeweek.",
     "it": "La collezione 2019 ha aperto la settimana della moda."},  # a code no other version writes
    {"en": "He scored in the A320 hangar.", "pt": "Marcou no hangar do Airbus."},  # left out, not changed
])
def test_codes_that_agree_or_that_no_other_version_writes_are_not_flagged(row):
    assert [f for f in findings([row]) if f.text[:1].isalpha()] == []
