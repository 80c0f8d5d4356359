"""Locale-aware extraction of numbers, amounts, percentages, dates and times."""
from __future__ import annotations

from decimal import Decimal

import pytest

from xlingo.check.quantities import currencies_conflict, extract_quantities, locale_symbols, same_value

B = Decimal(10) ** 9
M = Decimal(10) ** 6
T = Decimal(10) ** 12


def hard(text: str, lang: str) -> list[tuple[Decimal, str]]:
    return [(q.value, q.kind) for q in extract_quantities(text, lang) if not q.soft]


def one(text: str, lang: str):
    qs = [q for q in extract_quantities(text, lang) if not q.soft]
    assert len(qs) == 1, qs
    return qs[0]


def test_offsets_point_into_the_text():
    text = "Le groupe a vendu pour 13 700 millions de dollars le 17 mars, soit 12 % de plus."
    for q in extract_quantities(text, "fr"):
        assert text[q.start:q.end] == q.text
        assert q.start <= q.num_start <= q.num_end <= q.end


@pytest.mark.parametrize("lang,text", [
    ("de", "Der Umsatz erreichte 13,7 Milliarden."),
    ("de", "Der Umsatz erreichte 13,7 Mrd."),
    ("en", "Revenue reached 13.7 billion."),
    ("en", "Revenue reached 13.7bn."),
    ("pt", "A receita chegou a 13,7 bilhões."),
    ("pt", "A receita chegou a 13,7 mil milhões."),
    ("fr", "Le chiffre d'affaires a atteint 13,7 milliards."),
    ("fr", "Le chiffre d'affaires a atteint 13 700 millions."),
    ("es", "Los ingresos alcanzaron 13.700 millones."),
    ("es", "Los ingresos alcanzaron 13,7 mil millones."),
    ("it", "I ricavi hanno raggiunto 13,7 miliardi."),
    ("nl", "De omzet bereikte 13,7 miljard."),
])
def test_the_same_amount_in_every_language(lang, text):
    assert hard(text, lang) == [(Decimal("13.7") * B, "number")]


@pytest.mark.parametrize("lang,text,value", [
    ("en", "a debt of 2 trillion", 2 * T),
    ("de", "Schulden von 2 Billionen", 2 * T),        # German Billion = 10^12
    ("fr", "une dette de 2 billions", 2 * T),         # long scale
    ("es", "una deuda de 2 billones", 2 * T),
    ("nl", "een schuld van 2 biljoen", 2 * T),
    ("pt", "uma dívida de 2 biliões", 2 * T),         # European spelling: long scale
    ("pt", "uma dívida de 2 trilhões", 2 * T),        # Brazilian
    ("pt", "uma dívida de 2 bilhões", 2 * B),         # Brazilian spelling: short scale
    ("en", "a debt of 2 billion", 2 * B),
])
def test_billion_means_what_the_language_says(lang, text, value):
    assert hard(text, lang) == [(value, "number")]


@pytest.mark.parametrize("lang,text,value,alt,foreign", [
    ("de", "1.500 Menschen", Decimal(1500), Decimal("1.5"), False),
    ("en", "1.500 people", Decimal("1.5"), Decimal(1500), False),
    ("en", "1,500 people", Decimal(1500), Decimal("1.5"), False),
    ("fr", "1 500 personnes", Decimal(1500), None, False),
    ("fr", "1\u202f500 personnes", Decimal(1500), None, False),
    ("de", "1.234.567,89 Euro", Decimal("1234567.89"), None, False),
    ("en", "1,234,567.89 euros", Decimal("1234567.89"), None, False),
    ("de", "1,234.5 Euro", Decimal("1234.5"), None, True),     # English separators in German
    ("en", "1.500.000 people", Decimal(1500000), None, True),  # German grouping in English
    ("de", "13.7 Milliarden", Decimal("13.7") * B, None, True),
    ("de", "Fr. 1'234.50", Decimal("1234.50"), None, False),   # Swiss style is consistent
])
def test_separators_follow_the_locale(lang, text, value, alt, foreign):
    q = one(text, lang)
    assert (q.value, q.alt, q.foreign) == (value, alt, foreign)


def test_locale_symbols_come_from_babel():
    assert locale_symbols("de") == (",", ".")
    assert locale_symbols("en") == (".", ",")
    assert locale_symbols("de-CH")[0] == "."
    assert locale_symbols("xx") == (".", ",")  # unknown language: English conventions


@pytest.mark.parametrize("lang,text", [
    ("en", "Nvidia's H20 chip and the Airbus A320"),
    ("de", "die COVID-19-Pandemie und der G7-Gipfel"),
    ("fr", "le réseau 5G et la F-16"),
])
def test_identifiers_are_not_quantities(lang, text):
    assert hard(text, lang) == []


@pytest.mark.parametrize("lang,text,value", [
    ("en", "on the 17th", Decimal(17)),
    ("fr", "le 1er mai", Decimal(1)),
    ("en", "in the 1990s", Decimal(1990)),
    ("en", "a 5km race", Decimal(5)),
    ("de", "am 17. Mai", Decimal(17)),
])
def test_ordinal_and_unit_suffixes_keep_the_number(lang, text, value):
    assert one(text, lang).value == value


@pytest.mark.parametrize("lang,text", [
    ("en", "10%"), ("fr", "10 %"), ("de", "10 Prozent"), ("en", "10 per cent"), ("fr", "10 pour cent"),
    ("pt", "10 por cento"), ("es", "10 por ciento"), ("it", "10 per cento"), ("nl", "10 procent"),
    # a sign run on by the next word, as Chinese and Japanese write it, and the full-width sign
    ("ja", "売上は10%減った"), ("zh", "增长了10%的销售"), ("ja", "10％増"), ("ar", "بنسبة 10٪ فقط"),
])
def test_percentages(lang, text):
    assert hard(text, lang) == [(Decimal(10), "percent")]


@pytest.mark.parametrize("lang,text,codes", [
    ("en", "$16 billion", {"USD", "CAD", "AUD", "HKD", "TWD", "SGD", "NZD"}),
    ("en", "US$16bn", {"USD"}),
    ("en", "US $ 16 billion", {"USD"}),
    ("de", "16 Milliarden US-Dollar", {"USD"}),
    ("fr", "16 milliards de dollars américains", {"USD"}),
    ("pt", "16 bilhões de dólares", {"USD", "CAD", "AUD", "HKD", "TWD", "SGD", "NZD"}),
    ("de", "16 Milliarden Euro", {"EUR"}),
    ("fr", "16 milliards d'euros", {"EUR"}),
    ("en", "€16 billion", {"EUR"}),
    ("fr", "16 milliards de yuans", {"CNY"}),
    ("en", "16 billion won", {"KRW"}),
    ("de", "16 Milliarden Schweizer Franken", {"CHF"}),
    ("pt", "R$ 16 bilhões", {"BRL"}),
])
def test_currencies(lang, text, codes):
    q = one(text, lang)
    assert (q.value, q.kind, set(q.currency)) == (16 * B, "money", codes)
    assert q.text == text


def test_currency_compatibility():
    dollar = one("$5", "en").currency
    usd = one("5 US-Dollar", "de").currency
    eur = one("5 €", "fr").currency
    assert not currencies_conflict(dollar, usd)
    assert currencies_conflict(usd, eur)
    assert not currencies_conflict(frozenset(), eur)  # no currency said: no conflict


def test_spelled_out_small_numbers_are_soft_and_scaled_ones_hard():
    qs = extract_quantities("Zwei Besucher kamen, ein Hund auch.", "de")
    assert [(q.value, q.soft) for q in qs] == [(Decimal(2), True), (Decimal(1), True)]
    assert hard("zwei Millionen Euro", "de") == [(2 * M, "money")]
    assert hard("a billion dollars", "en") == [(B, "money")]
    assert hard("a man", "en") == []
    assert hard("deux milliards", "fr") == [(2 * B, "number")]


def test_dates_and_months():
    qs = extract_quantities("am 17.03.2023", "de")
    assert sorted((q.value, q.kind) for q in qs) == [(Decimal(3), "month"), (Decimal(17), "number"),
                                                    (Decimal(2023), "number")]
    en = extract_quantities("on March 17, 2023", "en")
    assert [(q.value, q.kind) for q in en] == [(Decimal(3), "month"), (Decimal(17), "number"),
                                              (Decimal(2023), "number")]
    assert [q.kind for q in extract_quantities("You may go", "en")] == []  # "may" is no month


@pytest.mark.parametrize("lang,text", [
    ("de", "um 18.30 Uhr"), ("fr", "à 18h30"), ("fr", "à 18 h 30"), ("en", "at 6:30 p.m."), ("it", "alle 18:30"),
])
def test_clock_times_compare_on_a_twelve_hour_dial(lang, text):
    qs = extract_quantities(text, lang)
    assert [(q.kind, q.value, q.soft) for q in qs] == [("time", Decimal(390), True)]


def test_rounding_is_tolerated_within_the_precision_written():
    def q(text, lang):
        return one(text, lang)

    assert same_value(q("2 billion", "en"), q("2,0 Milliarden", "de")) == 2
    assert same_value(q("14 billion", "en"), q("13,7 Milliarden", "de")) == 1
    assert same_value(q("2 billion", "en"), q("2,4 Milliarden", "de")) == 0  # one significant digit
    assert same_value(q("8848 m", "de"), q("8847,6 m", "fr")) == 1
    assert same_value(q("10 %", "fr"), q("10 Prozent", "de")) == 2
    assert same_value(q("10 %", "fr"), q("10 €", "fr")) == 0  # a share is not an amount
    assert same_value(q("1.500 people", "en"), q("1 500 personnes", "fr")) == 0
    assert same_value(q("1.500 people", "en"), q("1 500 personnes", "fr"), use_alt=True) == 1


def test_fractions_and_spaced_groups():
    assert one("etwa 1 ½ m tief", "de").value == Decimal("1.5")
    assert one("von 25 350 ft", "de").value == Decimal(25350)
    assert hard("1881 1902", "de") == [(Decimal(1881), "number"), (Decimal(1902), "number")]


def test_the_digits_of_a_web_or_mail_address_are_no_numbers():
    # made up: each edition links its own page (de, pt, ru)
    assert extract_quantities("Mehr dazu unter https://example.de/2024/05/123456-wahl.", "de") == []
    assert extract_quantities("Leia em www.exemplo.pt/noticias/2024/06/998877 ou escreva a redacao2024@exemplo.pt.",
                              "pt") == []
    [q] = extract_quantities("В 2023 году — см. https://example.ru/news/17", "ru")
    assert q.value == 2023  # the text's own number stays


@pytest.mark.parametrize("lang, text", [
    ("en", "The centre is 6 feet 8 inches tall."),
    ("en", "The centre is 6 ft 8 in tall."),
    ("ja", "センターの身長は6フィート8インチだ。"),
    ("zh", "中锋身高6英尺8英寸。"),
])
def test_feet_and_inches_are_one_length(lang, text):
    q = one(text, lang)
    assert (q.value, q.unit) == (80, "in") and abs(q.measure - Decimal("2.032")) < Decimal("0.001")
    assert text[q.start:q.end] == q.text


def test_feet_then_another_number_are_two():
    assert [(q.value, q.unit) for q in extract_quantities("A wall of 6 feet, 3 players behind it.", "en")] == [
        (6, "ft"), (3, None)]
