"""Locale-aware extraction of numbers, amounts, percentages and dates from a sentence.

``extract_quantities(text, lang)`` returns every quantity of ``text`` normalised to
a :class:`~decimal.Decimal` value, so that ``13,7 Milliarden`` (de), ``13.7 billion``
(en), ``13,7 bilhões`` (pt-BR) and ``13 700 millions`` (fr) compare equal.

Choices (documented here once, used by the XL1xx rules):

* **Separators** come from Babel's locale data (``get_decimal_symbol`` /
  ``get_group_symbol``). A single separator followed by three digits in the
  position of the locale's group symbol is read as grouping (``1.500`` = 1500 in
  de) and remembers the other convention's reading as ``alt`` (1.5), so that a
  rule can notice a number written in another language's convention. A
  separator that cannot group (``13.7`` in de) is read as a decimal mark written
  in the foreign convention (``foreign=True``). Spaces (SI style, also DIN and
  Duden for German) and apostrophes (Swiss ``1'000``) group digits in every
  language when the groups are of three digits after a lead of one to three.
* **Scale words** are per language, because the same word differs:
  ``billion`` is 10^9 in English but ``Billion`` (de), ``billion`` (fr),
  ``billón`` (es), ``biljoen`` (nl) are 10^12 (long scale); Portuguese is read
  by spelling: ``bilhão/bilhões`` (Brazilian) = 10^9, ``bilião/biliões``
  (European, long scale) = 10^12, and ``mil milhões`` / ``mil millones`` are
  10^9 (consecutive scale words multiply). Abbreviations ``m``/``k`` count as
  scales only after a currency sign (``$5m``), since ``8848 m`` is metres.
* **Spelled-out numbers** zero..twelve (a tiny per-language table; Babel has no
  spell-out) and ``hundred``/``thousand``/``dozen`` are *soft*: they can match a
  number in another version but are never required, because ``ein``/``un``/
  ``one`` are also articles. A spelled number followed by a scale word
  (``zwei Millionen``) is an ordinary, hard quantity.
* **Identifiers** such as ``H20``, ``A320``, ``COVID-19``, ``G7``, ``5G`` (digits
  glued to letters, or after ``letter-``) are not quantities; comparing them is
  left to the names rules. Ordinal and unit suffixes (``17th``, ``1er``,
  ``1990s``, ``5km``, ``16bn``) do not make an identifier.
* **Dates**: numeric dates give their day and year as numbers and their month as
  a ``month`` quantity; month names (Babel's wide names) give ``month``
  quantities. Clock times (``18:30``, ``18h30``, ``18 Uhr``, ``6 p.m.``) are
  ``time`` quantities compared on a 12-hour dial. Both are soft.
* **Units of measurement** after a number (``miles``, ``km``, ``Zoll``, ``pounds``, ``mph``,
  ``°F``...) give it a ``measure`` in its dimension's base unit, so that a version that
  converted the unit for its readers (``200 miles`` / ``320 km``, ``6 inches`` / ``15 cm``)
  matches up to the rounding conversions get (12 %). The first number of a range takes the
  unit of the second (``2 to 4 inches``). ``pound`` after a number is read both as money and
  as a weight.
* **Chinese and Japanese numerals** (``二十``, ``三百五十``, ``两万``) are soft numbers: ``一`` is
  also part of ordinary words (一些 *some*).
* **Decades**: ``1980s`` / ``1980er`` / ``anos 1980`` match ``80`` (``années 80``).
* Signs are ignored (``-5 %`` and ``fell 5%`` say the same in translation).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import get_month_names
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from num2words import num2words
from roman import InvalidRomanNumeralError, fromRoman

from xlingo.language import primary_language

__all__ = ["Quantity", "extract_quantities", "same_value", "same_measure", "one_conversion", "currencies_conflict",
           "format_number", "locale_symbols", "spelled_out"]

KINDS_NUMERIC = ("number", "percent", "money")


@dataclass(frozen=True)
class Quantity:
    """One number of a text, normalised: ``value`` is the magnitude with its scale applied."""

    start: int
    end: int
    text: str
    value: Decimal
    kind: str = "number"  # "number" | "percent" | "money" | "month" | "time"
    currency: frozenset[str] = frozenset()  # ISO codes it may stand for (empty: none said)
    quantum: Decimal = Decimal(1)  # the precision written (scale * 10^-decimals)
    scale: Decimal = Decimal(1)
    soft: bool = False  # spelled-out small number, month or time: may match, never required
    alt: Decimal | None = None  # the other convention's reading of an ambiguous token
    foreign: bool = False  # written in another locale's convention (e.g. ``13.7`` in de)
    num_start: int = 0  # span of the digits alone
    num_end: int = 0
    grouped: bool = False  # the digits use a group separator
    unit: str | None = None  # a unit of measurement said after it (``mi``, ``km``, ``lb``...)
    measure: Decimal | None = None  # the value in the unit's dimension's base unit (m, kg, m/s...)
    short_year: bool = False  # a year by its last two digits (``SS19``, ``’19``): value = those digits
    part: bool = False  # a clock time's hour or minutes, read as numbers too: may match, never votes

    @property
    def qualified(self) -> bool:
        """True when a scale word, a percent or a currency makes it evidently an amount."""
        return self.kind in ("percent", "money") or self.scale != 1

    def shifted(self, offset: int) -> Quantity:
        """The same quantity with offsets moved by ``offset`` (sentence -> document)."""
        return replace(self, start=self.start + offset, end=self.end + offset,
                       num_start=self.num_start + offset, num_end=self.num_end + offset)


# --------------------------------------------------------------------------- locale data

_SPACES = " \u00a0\u202f\u2009"
_APOS = "'’"


@lru_cache(maxsize=64)
def _locale(lang: str) -> Locale:
    for tag in (lang.replace("-", "_"), primary_language(lang), "en"):
        try:
            return Locale.parse(tag)
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("unreachable")  # pragma: no cover


@lru_cache(maxsize=64)
def locale_symbols(lang: str) -> tuple[str, str]:
    """(decimal symbol, group symbol) of a language, from Babel; English ones if it has neither."""
    loc = _locale(lang)
    dec, grp = get_decimal_symbol(loc), get_group_symbol(loc)
    if dec not in ".,":
        dec, grp = ".", ","
    return dec, grp


def format_number(value: Decimal, lang: str, grouped: bool) -> str:
    """``value`` written as ``lang`` writes it (with or without group separators)."""
    return format_decimal(value, locale=_locale(lang), group_separator=grouped)


# --------------------------------------------------------------------------- language tables

_D = Decimal
_SCALES: dict[str, list[tuple[str, Decimal]]] = {
    "en": [(r"thousand", _D(10) ** 3), (r"millions?|mn", _D(10) ** 6), (r"billions?|bn", _D(10) ** 9),
           (r"trillions?|tn|trn", _D(10) ** 12)],
    "de": [(r"Tausend|Tsd\.", _D(10) ** 3), (r"Millionen|Million|Mio\.?", _D(10) ** 6),
           (r"Milliarden|Milliarde|Mrd\.?", _D(10) ** 9), (r"Billionen|Billion|Bio\.", _D(10) ** 12),
           (r"Billiarden|Billiarde", _D(10) ** 15)],
    "fr": [(r"mille", _D(10) ** 3), (r"millions?", _D(10) ** 6), (r"milliards?|Mds?|Mrds?", _D(10) ** 9),
           (r"billions?", _D(10) ** 12), (r"billiards?", _D(10) ** 15)],
    "pt": [(r"mil", _D(10) ** 3), (r"milhões|milhão|mi", _D(10) ** 6), (r"bilhões|bilhão|bi", _D(10) ** 9),
           (r"biliões|bilião|trilhões|trilhão|tri", _D(10) ** 12), (r"triliões|trilião", _D(10) ** 18)],
    "es": [(r"mil", _D(10) ** 3), (r"millones|millón", _D(10) ** 6), (r"millardos?", _D(10) ** 9),
           (r"billones|billón", _D(10) ** 12)],
    "it": [(r"mila|mille", _D(10) ** 3), (r"milioni|milione|mln", _D(10) ** 6),
           (r"miliardi|miliardo|mld|mrd", _D(10) ** 9), (r"bilioni|bilione", _D(10) ** 12)],
    "nl": [(r"duizend", _D(10) ** 3), (r"miljoen|mln\.?", _D(10) ** 6), (r"miljard|mld\.?|mrd\.?", _D(10) ** 9),
           (r"biljoen", _D(10) ** 12)],
    "ru": [(r"тыс\.?|тысяч\w*", _D(10) ** 3), (r"млн\.?|миллион\w*", _D(10) ** 6),
           (r"млрд\.?|миллиард\w*", _D(10) ** 9), (r"трлн\.?|триллион\w*", _D(10) ** 12)],
    "uk": [(r"тис\.?|тисяч\w*", _D(10) ** 3), (r"млн\.?|мільйон\w*", _D(10) ** 6),
           (r"млрд\.?|мільярд\w*", _D(10) ** 9), (r"трлн\.?|трильйон\w*", _D(10) ** 12)],
    "pl": [(r"tys\.?|tysiąc\w*|tysięcy", _D(10) ** 3), (r"mln|milion\w*", _D(10) ** 6),
           (r"mld|miliard\w*", _D(10) ** 9), (r"bln|bilion\w*", _D(10) ** 12)],
    "ar": [(r"ألف|آلاف", _D(10) ** 3), (r"مليون|ملايين", _D(10) ** 6), (r"مليار|مليارات", _D(10) ** 9),
           (r"تريليون", _D(10) ** 12)],
    # written onto the digits (2000万, 1.25 亿): 万 is ten thousand, 亿/億 a hundred million
    # 多/余 ("more than") may stand between: 550多万 is "more than 5.5 million"
    "zh": [(r"百", _D(10) ** 2), (r"[多余餘]?千(?![米克瓦])", _D(10) ** 3), (r"[多余餘]?(?:万|萬)", _D(10) ** 4), (r"[多余餘]?(?:亿|億)", _D(10) ** 8)],
    "ja": [(r"百", _D(10) ** 2), (r"余?千(?![米克])", _D(10) ** 3), (r"余?万", _D(10) ** 4), (r"余?億", _D(10) ** 8), (r"余?兆", _D(10) ** 12)],
    "ko": [(r"천", _D(10) ** 3), (r"만", _D(10) ** 4), (r"억", _D(10) ** 8), (r"조", _D(10) ** 12)],
}

_WORDS: dict[str, dict[str, int]] = {
    "en": dict(zero=0, one=1, two=2, three=3, four=4, five=5, six=6, seven=7, eight=8, nine=9, ten=10,
               eleven=11, twelve=12, dozen=12, hundred=100, thousand=1000),
    "de": dict(null=0, ein=1, eins=1, eine=1, einen=1, einem=1, einer=1, eines=1, zwei=2, zwo=2, drei=3,
               vier=4, fünf=5, sechs=6, sieben=7, acht=8, neun=9, zehn=10, elf=11, zwölf=12, dutzend=12,
               hundert=100, tausend=1000),
    "fr": dict(zéro=0, un=1, une=1, deux=2, trois=3, quatre=4, cinq=5, six=6, sept=7, huit=8, neuf=9, dix=10,
               onze=11, douze=12, douzaine=12, cent=100, mille=1000),
    "pt": dict(zero=0, um=1, uma=1, dois=2, duas=2, três=3, quatro=4, cinco=5, seis=6, sete=7, oito=8,
               nove=9, dez=10, onze=11, doze=12, dúzia=12, cem=100, mil=1000),
    "es": dict(cero=0, un=1, uno=1, una=1, dos=2, tres=3, cuatro=4, cinco=5, seis=6, siete=7, ocho=8,
               nueve=9, diez=10, once=11, doce=12, docena=12, cien=100, mil=1000),
    "it": dict(zero=0, un=1, uno=1, una=1, due=2, tre=3, quattro=4, cinque=5, sei=6, sette=7, otto=8,
               nove=9, dieci=10, undici=11, dodici=12, dozzina=12, cento=100, mille=1000),
    "nl": dict(nul=0, een=1, één=1, twee=2, drie=3, vier=4, vijf=5, zes=6, zeven=7, acht=8, negen=9,
               tien=10, elf=11, twaalf=12, dozijn=12, honderd=100, duizend=1000),
    "ru": dict(ноль=0, один=1, одна=1, одно=1, два=2, две=2, три=3, четыре=4, пять=5, шесть=6, семь=7, восемь=8,
               девять=9, десять=10, одиннадцать=11, двенадцать=12, сто=100, тысяча=1000),
    "pl": dict(zero=0, jeden=1, jedna=1, jedno=1, dwa=2, dwie=2, trzy=3, cztery=4, pięć=5, sześć=6, siedem=7,
               osiem=8, dziewięć=9, dziesięć=10, jedenaście=11, dwanaście=12, sto=100, tysiąc=1000,
               # declined (num2words does not decline Polish): dwóch, trzema, pięciu...
               dwóch=2, dwóm=2, dwoma=2, trzech=3, trzem=3, trzema=3, czterech=4, czterem=4, czterema=4,
               pięciu=5, sześciu=6, siedmiu=7, ośmiu=8, dziewięciu=9, dziesięciu=10, jedenastu=11, dwunastu=12),
    "ar": {"صفر": 0, "واحد": 1, "اثنان": 2, "اثنين": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5,
           "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "تسعة": 9, "تسع": 9,
           "عشرة": 10, "عشر": 10, "مائة": 100, "مئة": 100},
}
_SCALE_ARTICLES = {"en": {"a": 1, "an": 1}}  # "a billion" is a number only before a scale word

_PERCENT = (r"pct\.?|per\s?cent|percent(?:age\s+points?)?|prozent(?:punkte?n?)?|pour\s?cent|"
            r"points?\s+de\s+pourcentage|por\s+cento|pontos?\s+percentua(?:l|is)|por\s+ciento|"
            r"puntos?\s+porcentuales?|per\s?cento|punti\s+percentuali|procent(?:punt(?:en)?)?|"
            r"процент\w*|відсот\w*|proc\.|في\s+الم(?:ا)?ئة|بالم(?:ا)?ئة")
#: A sign needs no word boundary after it: Chinese and Japanese run on (``1.8%減``, ``4.8％``).
_PERCENT_SIGN = "[%‰٪％]"

# currency families: a generic word stands for every code of its family
_FAMILIES: dict[str, frozenset[str]] = {
    "dollar": frozenset({"USD", "CAD", "AUD", "HKD", "TWD", "SGD", "NZD"}),
    "euro": frozenset({"EUR"}), "yuan": frozenset({"CNY"}), "yen": frozenset({"JPY"}),
    "won": frozenset({"KRW"}), "pound": frozenset({"GBP"}), "franc": frozenset({"CHF", "XOF", "XAF"}),
    "real": frozenset({"BRL"}), "rupee": frozenset({"INR", "PKR"}), "ruble": frozenset({"RUB"}),
    "peso": frozenset({"MXN", "ARS", "COP", "CLP", "PHP"}), "yenyuan": frozenset({"JPY", "CNY"}),
}
_FAMILY_WORDS = [
    ("dollar", r"dollars?|dólar(?:es)?|dollar[io]"),
    ("euro", r"euros?"),
    ("yuan", r"yuan(?:s|es)?|renminbi"),
    ("yen", r"yens?|ienes?"),
    ("won", r"wons?"),
    ("pound", r"pounds?(?:\s+sterling)?|pfund(?:\s+sterling)?|livres?\s+sterling|libras?\s+esterlinas?|"
              r"sterlin[ae]|britse\s+pond"),
    ("franc", r"francs?|franken|francos?|franchi|frank"),
    ("real", r"reais"),
    ("rupee", r"rupees?|rupien?|roupies?|rupias?"),
    ("ruble", r"roubles?|rubles?|rubel|rublos?|rubli"),
    ("peso", r"pesos?"),
]
_QUALIFIERS = [
    ("USD", r"US|U\.\s?S\.|USA|EUA|amerikanische[nr]?|américains?|americanos?|american|estadounidenses?|"
            r"statunitensi|statunitense|norte-americanos?|amerikaanse"),
    ("CAD", r"kanadische[nr]?|canadiens?|canadian|canadenses?|canadienses?|canadesi|canadese"),
    ("AUD", r"australische[nr]?|australiens?|australian|australianos?|australiani|australiano"),
    ("HKD", r"Hongkong|Hong\s?Kong|HK"),
    ("TWD", r"taiwanesische[nr]?|taïwanais|taiwanese|taiwaneses|NT"),
    ("CHF", r"Schweizer|suisses?|swiss|suíços?|suizos?|svizzeri|svizzero|zwitserse"),
    ("GBP", r"britische[nr]?|british|britanniques?|britânicas?|británicas?|britanniche"),
]
_SYMBOLS = {
    "US$": "USD", "U.S.$": "USD", "US $": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "AU$": "AUD",
    "HK$": "HKD", "NT$": "TWD", "S$": "SGD", "NZ$": "NZD", "R$": "BRL", "$": "dollar", "€": "EUR",
    "£": "GBP", "¥": "yenyuan", "CN¥": "CNY", "JP¥": "JPY", "₩": "KRW", "₹": "INR", "₽": "RUB",
    "EUR": "EUR", "USD": "USD", "GBP": "GBP", "JPY": "JPY", "CNY": "CNY", "RMB": "CNY", "KRW": "KRW",
    "CHF": "CHF", "BRL": "BRL", "INR": "INR", "RUB": "RUB", "CAD": "CAD", "AUD": "AUD", "HKD": "HKD",
    "SFr.": "CHF", "Fr.": "CHF",
}



def _codes(name: str) -> frozenset[str]:
    return _FAMILIES.get(name, frozenset({name}))


def currencies_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when both name a currency and no code fits both (``$`` fits ``US$``; ``€`` does not)."""
    return bool(a) and bool(b) and not (a & b)


def _alt(items) -> str:
    return "|".join(sorted(items, key=len, reverse=True))


_SP = f"[{_SPACES}]"
# letters of the scripts written without spaces (Thai, kana, Han, Hangul)
_UNSPACED = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff"
# the end of a word, also where the script writes words without spaces (万人, 公里的, 200mの)
_WORD_END = rf"(?:(?<=[{_UNSPACED}])|(?=[{_UNSPACED}])|(?!\w))"
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
_SYM_RE = _alt(re.escape(s) for s in _SYMBOLS if not s[0].isalpha())
_CODE_RE = _alt(re.escape(s) for s in _SYMBOLS if s[0].isalpha() and "$" not in s and "¥" not in s)
_XSYM_RE = _alt(re.escape(s) for s in _SYMBOLS if s[0].isalpha() and ("$" in s or "¥" in s))
_QUAL_RE = "|".join(f"(?P<q{i}>{q})" for i, (_, q) in enumerate(_QUALIFIERS))
_FAM_RE = "|".join(f"(?P<f{i}>{w})" for i, (_, w) in enumerate(_FAMILY_WORDS))
_CUR_AFTER = re.compile(
    rf"(?:{_SP}*|-)(?:(?P<sym>{_XSYM_RE}|{_SYM_RE})|(?-i:(?P<code>{_CODE_RE}))(?![\w$])|"
    rf"(?:(?:de|d['’]|di|dos|das|del|van){_SP}*)?(?:(?:{_QUAL_RE})(?:-|{_SP}))?"
    rf"(?:{_FAM_RE})(?:{_SP}+(?:{_QUAL_RE.replace('(?P<q', '(?P<r')}))?(?!\w))", re.IGNORECASE)
_CUR_BEFORE = re.compile(rf"(?:(?P<sym>(?:US|U\.S\.){_SP}?\$|[A-Z]{{1,2}}\$|{_XSYM_RE}|{_SYM_RE})|"
                         rf"(?<![\w.])(?P<code>{_CODE_RE}))(?:{_SP}|-)?$")
#: German makes an adjective of a percentage: ``100%ig``, ``80-prozentige``
_PERCENT_ADJECTIVE = r"(?:ig(?:e[nmrs]?)?)?"
_PERCENT_AFTER = re.compile(rf"(?:{_SP}*|-)(?:{_PERCENT_SIGN}{_PERCENT_ADJECTIVE}|(?:{_PERCENT}){_PERCENT_ADJECTIVE}(?!\w))",
                            re.IGNORECASE)
_NUM = re.compile(rf"(?<!\d)\d+(?:[.,{_APOS}]\d+|{_SP}\d{{3}}(?!\d))*")
#: a year, and what joins the short end of a range of years to it (``1950-53``, ``2019/20``)
_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
_YEAR_JOIN = re.compile(r"[-–/~〜～]")  # 1950-53, 1950/53, 1950～53
#: a year by its last two digits: a season's or fiscal year's code (``SS19`` spring-summer, ``AW19``,
#: ``FW19``, ``FY19``, French ``PE19``/``AH19``) or an apostrophe (``’19``, the class of '98)
_SHORT_YEAR = re.compile(rf"(?<![^\W{_UNSPACED}])(?<!['’])(?:(?:SS|AW|FW|FY|PE|AH)|['’])(?P<yy>\d\d)"
                         rf"(?![^\W{_UNSPACED}]|['’])")  # a word's edge, also against Chinese or Japanese
#: Arabic script's separators between digits (``30،000``, ``30٬000``, ``2٫5``), read as "," and "."
_ARABIC_SEPARATORS = re.compile(r"(?<=\d)(?:[،٬](?=\d{3}(?!\d))|٫(?=\d))")
#: Three or more groups of digits between single spaces (``0800 555 111``): a telephone number or a
#: code when they do not group one number's thousands (:func:`_digit_sequences`).
_DIGIT_SEQUENCE = re.compile(rf"(?<![\d.,])\d+(?:{_SP}\d+){{2,}}(?!\d|[.,]\d)")
#: A web or mail address: its digits are a path or an id, localised with the site (``/2024/05/123``).
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DATE = re.compile(r"(?<![\d.,/])(?:(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})|"
                   r"(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y2>\d{4}|\d{2}))(?!\d|[.,/]\d)")
_TIME = re.compile(rf"(?<![\d.,:：])(?P<h>[01]?\d|2[0-4]|\d\d(?=h\d\d))(?:(?P<sep>[:.：]|{_SP}?h{_SP}?)(?P<m>\d\d))?"
                   rf"(?P<suf>{_SP}?(?:Uhr|uur|u\.|h|[ap]\.{_SP}?m\.|[ap]m|o['’]clock)(?!\w))?(?!\d)", re.IGNORECASE)
#: What stands before a clock time written with a dot and no suffix (``alle ore 4.40``, ``a las
#: 16.30``, ``son las 5.30``, ``o godz. 7.15``, ``الساعة 4.40``): an hour word or a preposition or
#: article that takes one.
_HOUR_CUE = re.compile(r"(?:\b(?:ore|alle|dalle|hora|horas|às|las|a\s+la|heure|heures|uur|godz\.?|"
                       r"godzinie|час|часов|ώρα)|الساعة|時)\s*$", re.IGNORECASE)
#: A clock time said with a part of the day: before the hour in Chinese and Japanese (``下午3点``,
#: ``晚上十点半``, ``午後3時15分``), after it in Arabic (``3 مساءً``); read on the 12-hour dial.
_DAYPART_TIME = re.compile(
    r"(?:上午|下午|晚上|早上|凌晨|中午|傍晚|午前|午後)\s*(?P<h>\d{1,2}|[一二两三四五六七八九十]{1,3})\s*[点點時](?!間)"
    r"(?:\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*分|(?P<half>半))?"
    r"|(?<![\d.,:])(?P<ah>\d{1,2})(?::(?P<am>\d\d))?\s*(?:مساءً|مساءا|مساء|صباحاً|صباحا|صباح)")
#: A month written with digits and the month character (``10月``, ``10 月``, ``3월``), in the
#: languages that write months so; not the ``月`` of a count of months (``3个月``, ``3ヶ月``, ``3개월``).
#: Past 12 it is a month no calendar has (``91月``, a slip), which matches none.
_DIGIT_MONTH = re.compile(r"(?<![\d.,])(?P<mo>\d\d?)[ \u00a0]?(?:月|월)(?!間)")
_DIGIT_MONTH_LANGS = frozenset({"zh", "ja", "ko"})
_ELAPSED = re.compile(r"(?<![\d.,:])(?P<mm>\d{1,3})(?::(?P<ss>[0-5]\d)|分(?P<cjk>[0-5]?\d)秒)(?![\d:])")  # 27:37, 27分37秒
# glued suffixes that do not turn a number into an identifier (ordinals, decades, units, scales)
_SUFFIXES = {"st", "nd", "rd", "th", "e", "è", "ᵉ", "er", "re", "ère", "ème", "eme", "ième", "ste", "de", "enne", "o", "a", "º", "ª", "s", "ern",
             "km", "kg", "cm", "mm", "m", "h", "k", "bn", "mn", "tn", "mi", "bi", "ml", "kw", "mw", "gw", "kwh"}
_GLUED_SCALES = {"k": 3, "m": 6, "mn": 6, "mi": 6, "bn": 9, "bi": 9, "tn": 12}
_ALWAYS_SCALES = {"bn", "mn", "tn"}  # need no currency sign to be read as scales
_WORD = re.compile(r"[^\W\d_]+")
_FRACTIONS = {"½": Decimal("0.5"), "¼": Decimal("0.25"), "¾": Decimal("0.75")}


# units of measurement: (name, dimension, factor to the base unit, pattern); °F is affine
_UNITS = [
    ("mph", "speed", Decimal("1.609344"), r"mph|(?:miles?|meilen|miglia|millas?|milhas?|mijl(?:en)?|mil(?:e|i)?)\s+"
                                          r"(?:per|an|pro|por|par|all['’]|à\s+l['’]|a\s+l['’]|na|in\s+der)\s*"
                                          r"(?:hour|stunde|hora|heure|ora|uur|godzin\w*)|miglia\s+orarie"),
    ("kmh", "speed", Decimal(1), r"km\s?/\s?h|kmh|stundenkilomet\w*|(?:km|kil[oó]m[eèé]t\w*|chilometri|quil[óô]metros?)\s+"
                                 r"(?:per|pro|por|par|all['’]|à\s+l['’]|a\s+l['’])\s*(?:hour|stunde|hora|heure|ora|uur)|"
                                 r"(?:km|chilometri)\s+orari|kilometr\w*\s+na\s+godzin\w*|"
                                 r"км\s?/\s?ч(?:ас)?|km\s?/\s?u(?:ur)?|километр\w*\s+в\s+час|km\s?/\s?godz\.?|公里(?:/小时|每小时)|キロ(?:メートル)?毎時|كم/ساعة|كيلومترا?\s+في\s+الساعة"),
    ("km", "length", Decimal(1000), r"km|kilomet\w*|kilomètres?|quil[óô]metros?|chilometri|kilómetros?|километр\w*|км|公里|千米|キロメートル|كيلومترات|كيلومترا|كيلومتر|كم"),
    ("cm", "length", Decimal("0.01"), r"cm|centim[eè]t\w*|zentimet\w*|centímetros?|centymetr\w*|сантиметр\w*|см|厘米|センチ(?:メートル)?|سنتيمترات|سنتيمترا|سنتيمتر|سم"),
    ("mm", "length", Decimal("0.001"), r"mm|millim[eè]t\w*|milímetros?|milimetr\w*|миллиметр\w*|мм|毫米|ミリ(?:メートル)?|مليمتر|ملم|مم"),
    ("m", "length", Decimal(1), rf"[mм](?![/²³]|(?![{_UNSPACED}])\w)|met(?:er|re|ro|ri)s?n?|mètres?|metr(?:y|ów|ach|ami|a|u|em|ze|owy|owa|owe)?|метр\w*"),
    ("mi", "length", Decimal("1609.344"), r"miles?|meilen?|milhas?|millas?|miglia|mijl(?:en)?|mil(?:e|i|ach|ami)?|мил[ьи]\w*|英里|マイル|أميال|ميلا|ميل"),
    ("ft", "length", Decimal("0.3048"), r"feet|foot|ft|fu[ßs]|pieds?|pies|pés|piedi|футов|фута?|英尺|フィート|أقدام|قدما"),
    ("in", "length", Decimal("0.0254"), r"inch(?:es)?|zoll|pouces?|pulgadas?|polegadas?|pollici|cal[ei]|дюйм\w*|英寸|インチ|بوصات|بوصة|إنش"),
    ("yd", "length", Decimal("0.9144"), r"yards?|yd|jardas?|yardas?|iarde|ярд\w*|码|碼|ヤード"),
    ("kg", "mass", Decimal(1), r"kg|kilo(?:gram(?:me)?s?|gramm|gramos?|gramas?|grammi)?s?|kilogram\w*|quilos?|chili|килограмм\w*|кг|公斤|千克|キログラム|كيلوغرامات|كيلوغراما|كيلوغرام|كجم|كغ"),
    ("lb", "mass", Decimal("0.45359237"), r"pounds?|lbs?|pfund|livres?|libras?|libbre|funt(?:y|ów)?|фунт\w*|磅|ポンド|أرطال|رطلا|رطل"),
    ("t", "mass", Decimal(1000), r"tonnes?|tons?|tonnen|toneladas?|tonnellate|тонн\w*"),
    ("acre", "area", Decimal("4046.86"), r"acres?|acri"),
    ("ha", "area", Decimal(10000), r"hectares?|hektar|ha(?!\w)|ettari|hectáreas?|гектар\w*"),
    ("km2", "area", Decimal(1000000), r"km²|km2|square\s+kilomet\w*|quadratkilomet\w*|kilomètres?\s+carrés"),
    ("mi2", "area", Decimal("2589988"), r"square\s+miles?"),
    ("gal", "volume", Decimal("3.78541"), r"gallons?|gallonen|galões|galones|galloni"),
    ("l", "volume", Decimal(1), r"litres?|liters?|litros?|litri|литр\w*"),
    ("F", "temperature", Decimal(1), r"°\s?F|(?:degrees?|grad|degrés|graus|grados|gradi)\s+fahrenheit|fahrenheit|"
                                     r"градус\w*\s+по\s+фаренгейту|华氏度?|華氏度?|カ氏|درج\w*\s+فهرنهايت|فهرنهايت"),
    ("C", "temperature", Decimal(1), r"°\s?C|(?:degrees?|grad|degrés|graus|grados|gradi)\s+(?:celsius|centigrade)|celsius|"
                                     r"градус\w*\s+по\s+цельсию|摄氏度?|攝氏度?|セ氏|درج\w*\s+مئوية"),
    # a bare degree says no scale: a US story's "80 degrees" is Fahrenheit, its translation's "27 Grad" Celsius
    ("deg", "temperature", Decimal(1), r"degrees?|grad|degrés|graus?|grados?|gradi|graden|градус\w*|درج(?:ة|ات)|"
                                       r"°(?!\s?[CF]\b)"),
]
_UNIT_DIM = {name: dim for name, dim, _, _ in _UNITS}
_UNIT_FACTOR = {name: f for name, _, f, _ in _UNITS}
_UNIT_AFTER = re.compile(rf"(?:{_SP}*|-)(?:" + "|".join(f"(?P<u{i}>{p})" for i, (_, _, _, p) in enumerate(_UNITS))
                         + rf"){_WORD_END}", re.IGNORECASE)
_RANGE_JOIN = re.compile(rf"{_SP}*(?:-|–|to|bis|à|a|y|e|and|und|et|tot|au|al|ao|alle|til|do|до|から|到|至|～|〜|~|إلى){_SP}*$",
                         re.IGNORECASE)
_UNIT_TOLERANCE = Decimal("0.12")


_CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
               "八": 8, "九": 9}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
_CJK_BIG = {"万": 10 ** 4, "萬": 10 ** 4, "亿": 10 ** 8, "億": 10 ** 8}
_CJK_NUMERAL = re.compile(r"[零〇一二两兩三四五六七八九十百千万萬亿億]+")
_WEEK = ("周", "週", "星期", "礼拜", "禮拜")  # before a numeral from 一 to 六: a day of the week (周六, Saturday)


#: A century in Roman numerals, after the word (``século XIX``, ``siglo XXI``, ``secolo XVIII``) or
#: before it (``XIXe siècle``, ``XIX wieku``, ``XIX века``, ``XVIII secolo``).
_ROMAN_CENTURY = re.compile(
    r"(?i:\b(?:s[eé]culos?|siglos?|secol[oi]|si[eè]cles?)\s+)(?P<after>[IVX]{1,5})\b|"
    r"\b(?P<before>[IVX]{1,5})(?:e|ème|ᵉ|-?(?:го|м|й))?\s+(?i:si[eè]cles?|secol[oi]|wiek\w*|век\w*|stolet\w*)")


def _roman(numeral: str) -> int | None:
    """The value of a Roman numeral written the usual way (``XIX``: 19), else None (``IIX``)."""
    try:
        return fromRoman(numeral)
    except InvalidRomanNumeralError:
        return None


def _weekday(text: str, m: re.Match) -> bool:
    """The CJK numeral names a day of the week (``周六``, ``星期一``), not a number."""
    return len(m.group(0)) == 1 and m.group(0) in "一二三四五六" and text[:m.start()].endswith(_WEEK)


def _cjk_value(text: str) -> int | None:
    """The value of a Chinese/Japanese numeral (``二十``, ``三百五十``, ``两万``), or None."""
    total, section, digit = 0, 0, None
    for c in text:
        if c in _CJK_DIGITS:
            if digit is not None:
                return None  # two digits in a row: a word (一一), not a number
            digit = _CJK_DIGITS[c]
        elif c in _CJK_UNITS:
            section += (1 if digit is None else digit) * _CJK_UNITS[c]
            digit = None
        else:
            total += (section + (digit or 0)) * _CJK_BIG[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def _clock_part(text: str | None) -> int | None:
    """An hour or minutes in digits or CJK numerals (none given: 0)."""
    return 0 if text is None else int(text) if text.isdigit() else _cjk_value(text)


#: "per hour" said before the number in Chinese and Japanese (``每小时 12 英里``, ``時速19キロ``), or
#: a wind speed, which in miles or kilometres is per hour (``最大風速85マイル``, ``风速为85英里``)
_PER_HOUR_BEFORE = re.compile(rf"(?:每小[时時]|[时時]速|[风風]速[はがの为為是：:]?){_SP}*$")
_SPEED_OF = {"mi": "mph", "km": "kmh"}


def _unit_after(text: str, end: int, start: int | None = None) -> str | None:
    """The unit of measurement said right after ``end`` (not part of the quantity's span); a
    length after a number that "per hour" precedes (``start``: where the number begins) is a speed."""
    per_hour = start is not None and _PER_HOUR_BEFORE.search(text, 0, start) is not None
    m = _UNIT_AFTER.match(text, end)
    if not m:
        return "kmh" if per_hour and text.startswith("キロ", end) else None  # 時速19キロ: kilometres, not kilos
    unit = next(_UNITS[int(k[1:])][0] for k, v in m.groupdict().items() if v is not None)
    return _SPEED_OF.get(unit, unit) if per_hour else unit


def _measure(value: Decimal, unit: str) -> Decimal:
    if unit == "F":
        return (value - 32) * 5 / 9
    return value * _UNIT_FACTOR[unit]


def _with_units(text: str, qs: list[Quantity]) -> list[Quantity]:
    """The first number of a range takes the second's unit (``2 to 4 inches``)."""
    out = list(qs)
    for i in range(len(out) - 1, 0, -1):
        a, b = out[i - 1], out[i]
        if a.unit is None and b.unit is not None and a.kind == "number" and a.end <= b.start \
                and _RANGE_JOIN.fullmatch(text[a.end:b.start]):
            out[i - 1] = replace(a, unit=b.unit, measure=_measure(a.value, b.unit))
    return out


@lru_cache(maxsize=64)
def _number_words(lang: str) -> dict[str, int]:
    """The words of ``lang`` read as numbers (:data:`_WORDS`), with the declined forms of 2 to 12
    where num2words declines them (``трех``, ``двумя``; ``ё`` folded to ``е``)."""
    words = dict(_WORDS.get(primary_language(lang), {}))
    for value in range(2, 13):
        words.update({spelling[0]: value for spelling in _declined(value, lang) if len(spelling) == 1})
    return words


@lru_cache(maxsize=64)
def _compiled(lang: str) -> tuple[re.Pattern[str], re.Pattern[str] | None, re.Pattern[str], list[str]]:
    """Scale-word, number-word and month-name patterns of a language."""
    scales = _SCALES.get(primary_language(lang), _SCALES["en"])
    scale_re = re.compile(rf"(?:{_SP}*|-)(?:" + "|".join(rf"(?P<s{i}>(?:{w}){_WORD_END})" for i, (w, _) in enumerate(scales))
                          + ")", re.IGNORECASE)
    words = {**_number_words(lang), **_SCALE_ARTICLES.get(primary_language(lang), {})}
    word_re = re.compile(rf"(?<!\w)(?:{_alt(re.escape(w).replace('е', '[её]') for w in words)})(?!\w)",
                         re.IGNORECASE) if words else None
    months = [m.lower() for m in get_month_names("wide", locale=_locale(lang)).values()]
    if primary_language(lang) == "en":  # English "May" is not "may"
        month_re = re.compile(rf"(?<!\w)(?:{_alt(re.escape(m.title()) for m in months)})(?!\w)")
    else:
        month_re = re.compile(rf"(?<!\w)(?:{_alt(re.escape(m) for m in months)})(?!\w)", re.IGNORECASE)
    return scale_re, word_re, month_re, months


def _scale_at(text: str, pos: int, lang: str, after_currency: bool) -> tuple[Decimal, int]:
    """Product of the scale words from ``pos`` on (``mil milhões`` = 10^9) and where they end."""
    scale_re = _compiled(lang)[0]
    scales = _SCALES.get(primary_language(lang), _SCALES["en"])
    mult, end = Decimal(1), pos
    while m := scale_re.match(text, end):
        word = m.group(0).strip(_SPACES + "-").rstrip(".").lower()
        if len(word) <= 2 and word not in _ALWAYS_SCALES and not after_currency and not _unspaced(word[0]):
            break  # "5 mi", "5 M": only next to a currency sign
        k = next(int(name[1:]) for name, v in m.groupdict().items() if v is not None)
        mult *= scales[k][1]
        end = m.end()
    return mult, end


def _currency_after(text: str, pos: int) -> tuple[frozenset[str], int]:
    m = _CUR_AFTER.match(text, pos)
    if not m:
        return frozenset(), pos
    if m.group("sym") or m.group("code"):
        key = m.group("sym") or m.group("code")
        return _codes(_SYMBOLS.get(key, _SYMBOLS.get(key.upper(), "dollar"))), m.end()
    groups = m.groupdict()
    fam = next(_FAMILY_WORDS[int(n[1:])][0] for n, v in groups.items() if n[0] == "f" and v)
    codes = _FAMILIES[fam]
    for n, v in groups.items():
        if n[0] in "qr" and v and _QUALIFIERS[int(n[1:])][0] in codes:
            codes = frozenset({_QUALIFIERS[int(n[1:])][0]})
    return codes, m.end()


def _currency_before(text: str, pos: int) -> tuple[frozenset[str], int]:
    m = _CUR_BEFORE.search(text, max(0, pos - 8), pos)
    if not m:
        return frozenset(), pos
    key = re.sub(rf"{_SP}", "", m.group("sym") or m.group("code")).replace("U.S.", "US")
    return _codes(_SYMBOLS.get(key, "dollar")), m.start()


# --------------------------------------------------------------------------- reading digits

@dataclass(frozen=True)
class _Reading:
    start: int  # offsets inside the token
    end: int
    value: Decimal
    decimals: int
    alt: Decimal | None = None
    foreign: bool = False
    grouped: bool = False


def _read_token(tok: str, dec: str, grp: str) -> list[_Reading]:
    """Readings of one digit token under a locale (several if it must be split, none if unreadable)."""
    pieces = re.split(rf"([.,{_APOS}{_SPACES}])", tok)
    digits, seps = pieces[0::2], pieces[1::2]
    # split at spaces that cannot group here (``5 100`` in en is two numbers, so is ``1881 1902``)
    for k, s in enumerate(seps):
        if s in _SPACES and len(digits[0]) > 3:
            cut = len("".join(pieces[:2 * k + 1]))
            right = _read_token(tok[cut + 1:], dec, grp)
            return _read_token(tok[:cut], dec, grp) + [
                _Reading(r.start + cut + 1, r.end + cut + 1, r.value, r.decimals, r.alt, r.foreign, r.grouped)
                for r in right]
    if not seps:
        return [_Reading(0, len(tok), Decimal(tok), 0)]
    points = [k for k, s in enumerate(seps) if s in ".,"]
    lead_ok = 1 <= len(digits[0]) <= 3 and digits[0] != "0"
    if not points:  # spaces / apostrophes only
        ok = lead_ok and all(len(d) == 3 for d in digits[1:])
        return [_Reading(0, len(tok), Decimal("".join(digits)), 0, grouped=True)] if ok else []
    last = points[-1]
    mark = seps[last]
    others = [seps[k] for k in range(len(seps)) if k != last]
    decimal_mark = bool(others) and mark not in others  # "1.234,5", "1 234,5", "1'234.5"
    if decimal_mark:
        if last != len(seps) - 1 or len(set(others)) > 1 or not lead_ok \
                or not all(len(d) == 3 for d in digits[1:last + 1]):
            return []
        frac = digits[-1]
        value = Decimal("".join(digits[:-1]) + "." + frac)
        foreign = mark != dec and others[0] not in _APOS  # Swiss 1'234.5 is consistent
        return [_Reading(0, len(tok), value, len(frac), foreign=foreign, grouped=True)]
    if others:  # one point symbol, several times: grouping only ("1.500.000")
        if not (lead_ok and all(len(d) == 3 for d in digits[1:])):
            return []
        return [_Reading(0, len(tok), Decimal("".join(digits)), 0, foreign=mark == dec, grouped=True)]
    lead, frac = digits
    as_decimal = Decimal(lead + "." + frac)
    can_group = len(frac) == 3 and lead_ok
    if mark == dec:
        return [_Reading(0, len(tok), as_decimal, len(frac), alt=Decimal(lead + frac) if can_group else None)]
    if can_group:
        return [_Reading(0, len(tok), Decimal(lead + frac), 0, alt=as_decimal, grouped=True)]
    return [_Reading(0, len(tok), as_decimal, len(frac), foreign=True)]


def _glued_letter(char: str) -> bool:
    """A letter that makes the digits after it part of a word (``A320``); not one of a script
    written without spaces (``午後12:55``)."""
    return char.isalpha() and not _unspaced(char)


def _unspaced(char: str) -> bool:
    """A character of a script written without spaces (Han, kana, Hangul, Thai)."""
    return bool(_UNSPACED_CHAR.fullmatch(char))


def _caseless(char: str) -> bool:
    """A letter of Hebrew or Arabic script: codes such as H20 are not written in it, so digits glued
    to its letters are a missing space, not an identifier."""
    return "\u0590" <= char <= "\u08ff"


def _glued(text: str, start: int, end: int) -> tuple[bool, str]:
    """(is an identifier, glued alphabetic suffix) for the digits at ``start:end``."""
    before = text[start - 1] if start else " "
    compound_year = _YEAR.fullmatch(text[start:end]) and text[end:end + 1] == "-"  # Sommer-2019-Kollektion
    if (before.isalpha() and not _unspaced(before) and not _caseless(before)) or \
            (before == "-" and start >= 2 and text[start - 2].isalpha() and not compound_year):
        return True, ""  # H20, COVID-19, F-16
    m = _WORD.match(text, end)
    if not m or _unspaced(m.group(0)[0]):
        return False, ""  # 350人, 20岁: scripts without spaces write counters onto numbers
    suffix = m.group(0)
    suffix = suffix[:next((i for i, c in enumerate(suffix) if _unspaced(c)), len(suffix))]  # 200mおよび: 200m
    if suffix.lower() not in _SUFFIXES or (len(suffix) == 1 and suffix.isupper() and suffix not in "MK") \
            or text[end + len(suffix):end + len(suffix) + 1].isdigit():
        return True, ""  # 5G, 3D, 4x4
    return False, suffix


# --------------------------------------------------------------------------- extraction

def extract_quantities(text: str, lang: str) -> list[Quantity]:
    """Every number, amount, percentage, date part and clock time of ``text``, in text order."""
    source = text
    text = _ARABIC_SEPARATORS.sub(lambda m: "." if m.group() == "٫" else ",", text)  # the same length
    dec, grp = locale_symbols(lang)
    scale_re, word_re, month_re, months = _compiled(lang)
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = [m.span() for m in _ADDRESS.finditer(text)]

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(q: Quantity) -> None:
        out.append(q)
        taken.append((q.start, q.end))

    for m in _DATE.finditer(text):
        if not free(*m.span()):
            continue
        if m.group("y1"):
            y, mo, d, soft_day = int(m.group("y1")), int(m.group("m1")), int(m.group("d1")), False
        else:
            a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y2"))
            month_first = b > 12 >= a or (primary_language(lang) == "en" and m.group("sep") == "/" and a <= 12)
            mo, d = (a, b) if month_first else (b, a)
            soft_day = a <= 12 and b <= 12 and a != b
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            continue
        s, e, t = m.start(), m.end(), m.group(0)
        # a date part has an empty digit span: it cannot be rewritten on its own
        out.append(Quantity(s, e, t, Decimal(d), soft=soft_day, num_start=s, num_end=s))
        out.append(Quantity(s, e, t, Decimal(mo), kind="month", soft=True, num_start=s, num_end=s))
        if y >= 100:
            out.append(Quantity(s, e, t, Decimal(y), num_start=s, num_end=s))
        taken.append((s, e))
    if primary_language(lang) in _DIGIT_MONTH_LANGS:
        for m in _DIGIT_MONTH.finditer(text):
            if free(*m.span()):
                add(Quantity(m.start(), m.end(), m.group(0), Decimal(int(m.group("mo"))), kind="month", soft=True,
                             num_start=m.start("mo"), num_end=m.end("mo")))
    for m in _SHORT_YEAR.finditer(text):
        a, b = m.span("yy")
        add(Quantity(m.start(), m.end(), m.group(0), Decimal(int(m.group("yy"))), soft=True, num_start=a,
                     num_end=b, short_year=True))
    for m in _TIME.finditer(text):
        sep, suf = (m.group("sep") or "").strip(_SPACES).replace("：", ":"), (m.group("suf") or "").strip(_SPACES).lower()
        dotted = sep == "." and not suf
        if not (sep in (":", "h") or suf or dotted) or not free(*m.span()):
            continue
        hour_word = _HOUR_CUE.search(text[max(0, m.start() - 16):m.start()])
        cued = dotted and hour_word
        minutes = int(m.group("m") or 0)
        slip = sep == ":" and not suf and minutes >= 60  # 3:85 where the others write 3:35: no clock shows it
        if not (cued or slip) and (dotted or minutes >= 60 and suf in ("", "h")):
            continue  # 4.40 is a decimal unless an hour word stands before it or a clock word after it (then
            # even 4.60 is a time, a wrong one: ``4.90 uur``); ``4.75 h`` may be a duration
        if m.start() and _glued_letter(text[m.start() - 1]):
            continue
        hour = int(m.group("h"))  # on a 12-hour dial; an hour or minutes no clock shows (42h55, 3:85) match none
        value = Decimal(1440 + hour * 100 + minutes if slip else (hour % 12 if hour <= 24 else hour) * 60 + minutes)
        add(Quantity(m.start(), m.end(), m.group(0), value, kind="time", soft=True,
                     num_start=m.start(), num_end=m.end()))
        if sep == ":" and not suf and not hour_word:  # or a match clock (13:10 where others write
            for part in ("h", "m"):  # 13分10秒, 13 分 10 秒): its numbers, soft; a slip's, as written
                a, b = m.span(part)
                out.append(Quantity(a, b, m.group(part), Decimal(int(m.group(part))), soft=not slip, num_start=a,
                                    num_end=b, part=not slip))
    for m in _DAYPART_TIME.finditer(text):
        hour, minutes = (_clock_part(m.group(g)) for g in ("h", "m")) if m.group("h") else \
            (int(m.group("ah")), int(m.group("am") or 0))
        if hour is not None and minutes is not None and free(*m.span()):
            value = Decimal((hour % 12 if hour <= 24 else hour) * 60 + (30 if m.group("half") else minutes))
            add(Quantity(m.start(), m.end(), m.group(0), value, kind="time", soft=True,
                         num_start=m.start(), num_end=m.end()))
    for m in _ELAPSED.finditer(text):  # 27:37 on a match clock: "in the 28th minute" elsewhere
        if free(*m.span()) and not (m.start() and _glued_letter(text[m.start() - 1])):
            seconds = "ss" if m.group("ss") else "cjk"
            add(Quantity(m.start(), m.end(), m.group(0), Decimal(int(m.group("mm")) * 60 + int(m.group(seconds))),
                         kind="time", soft=True, num_start=m.start(), num_end=m.end()))
            for part in ("mm", seconds):  # or a score, 38:17 where others write 38-17: its numbers, soft
                a, b = m.span(part)
                out.append(Quantity(a, b, m.group(part), Decimal(int(m.group(part))), soft=True, num_start=a, num_end=b))
    for q in _digit_sequences(text):
        if free(q.start, q.end):
            add(q)
    for m in _NUM.finditer(text):
        if not free(*m.span()):
            continue
        for r in _read_token(m.group(0), dec, grp):
            s, e = m.start() + r.start, m.start() + r.end
            frac = re.match(rf"{_SP}?([½¼¾])", text[e:e + 2])
            if frac and not r.decimals:  # 1 ½ m
                r = replace(r, value=r.value + _FRACTIONS[frac.group(1)], decimals=2)
                e += frac.end()
            ident, suffix = _glued(text, s, e)
            if not ident:
                add(_qualify(text, s, e, r, suffix, lang))
    if word_re is not None:
        articles = _SCALE_ARTICLES.get(primary_language(lang), {})
        words = _number_words(lang)
        for m in word_re.finditer(text):
            if not free(*m.span()):
                continue
            w = _fold_yo(m.group(0).lower())
            q = _qualify(text, m.start(), m.end(), _Reading(0, 0, Decimal(words.get(w, articles.get(w, 1))), 0),
                         "", lang)
            if q.scale == 1:
                if w not in words:
                    continue  # "a" without a scale word is an article
                q = replace(q, soft=True)  # "ein", "un", "one": also articles
            add(q)
    for m in _CJK_NUMERAL.finditer(text):
        value = _cjk_value(m.group(0))
        if value is not None and free(*m.span()) and not _weekday(text, m):
            unit = _unit_after(text, m.end(), m.start())  # 两英尺: two feet
            add(Quantity(m.start(), m.end(), m.group(0), Decimal(value), soft=True, num_start=m.start(),
                         num_end=m.end(), unit=unit, measure=_measure(Decimal(value), unit) if unit else None))
    for m in _ROMAN_CENTURY.finditer(text):
        group = "after" if m.group("after") else "before"
        value = _roman(m.group(group))
        if value is not None and free(*m.span(group)):
            add(Quantity(m.start(group), m.end(group), m.group(group), Decimal(value), soft=True,
                         num_start=m.start(group), num_end=m.end(group)))
    for m in month_re.finditer(text):
        if free(*m.span()):
            out.append(Quantity(m.start(), m.end(), m.group(0), Decimal(months.index(m.group(0).lower()) + 1),
                                kind="month", soft=True, num_start=m.start(), num_end=m.end()))
    out.sort(key=lambda q: (q.start, q.end, q.kind))
    found = _feet_and_inches(text, _with_units(text, _year_ranges(text, _cjk_compounds(text, out))))
    return found if text == source else [replace(q, text=source[q.start:q.end]) for q in found]


def _right_to_left(text: str) -> bool:
    """Whether most of the text's strongly directional characters are written right to left."""
    kinds = [unicodedata.bidirectional(c) for c in text if c.isalpha()]
    return sum(k in ("R", "AL") for k in kinds) > sum(k == "L" for k in kinds)


def _digit_sequences(text: str) -> list[Quantity]:
    """Telephone numbers and codes (:data:`_DIGIT_SEQUENCE`), each one number of all its digits.

    Right-to-left text shows space-separated groups of digits in reverse order (Unicode's
    bidirectional algorithm: the spaces between numbers take the paragraph's direction), so its
    writers type ``0800 555 111`` as ``111 555 0800``: the groups are read in the order shown.
    """
    out = []
    for m in _DIGIT_SEQUENCE.finditer(text):
        groups = re.split(_SP, m.group(0))
        if 1 <= len(groups[0]) <= 3 and groups[0][0] != "0" and all(len(g) == 3 for g in groups[1:]):
            continue  # one number's thousands: 1 250 000
        shown = groups[::-1] if _right_to_left(text) else groups
        out.append(Quantity(m.start(), m.end(), m.group(0), Decimal("".join(shown)), num_start=m.start(),
                            num_end=m.end()))
    return out


_FEET_THEN = re.compile(rf"{_SP}*-?(?:{dict((n, p) for n, _, _, p in _UNITS)['ft']})-?{_SP}*$", re.IGNORECASE)


def _feet_and_inches(text: str, qs: list[Quantity]) -> list[Quantity]:
    """A length in feet and inches is one length, in inches (``6-foot-6``, ``6 feet 6 inches``,
    ``6フィート6インチ``: 78 inches, as ``1,98 m`` says)."""
    out: list[Quantity] = []
    for q in qs:
        feet = out[-1] if out else None
        if (feet is not None and feet.unit == "ft" and q.unit in ("in", None) and q.kind == "number"
                and q.value < 12 and q.value == q.value.to_integral_value()
                and _FEET_THEN.match(text, feet.end, q.start)):
            inches = feet.value * 12 + q.value
            out[-1] = replace(feet, end=q.end, text=text[feet.start:q.end], value=inches, unit="in",
                              measure=_measure(inches, "in"), num_end=q.num_end)
            continue
        out.append(q)
    return out


def _year_ranges(text: str, qs: list[Quantity]) -> list[Quantity]:
    """The short end of a range of years is a year: ``1950-53`` ends in 1953, ``2019/20`` in 2020
    (as a version that writes ``1950–1953`` reads)."""
    out = list(qs)
    for i in range(1, len(out)):
        a, b = out[i - 1], out[i]
        if (a.kind == "number" and b.kind == "number" and _YEAR.fullmatch(a.text) and len(b.text) == 2
                and b.text.isdigit() and _YEAR_JOIN.fullmatch(text[a.end:b.start])):
            century = int(a.value) - int(a.value) % 100 + (100 if int(b.value) <= int(a.value) % 100 else 0)
            out[i] = replace(b, value=Decimal(century + int(b.value)))
    return out


def measure_spans(text: str, lang: str, quantities: list[Quantity] | None = None) -> list[tuple[int, int]]:
    """Character spans of the measures of ``text`` (its ``quantities``, when already extracted): a
    number with its unit of measurement, the unit included (``6-foot``, ``1,98 m``, ``15 Zentimetern``)."""
    out = []
    for q in extract_quantities(text, lang) if quantities is None else quantities:
        m = _UNIT_AFTER.match(text, q.end) if q.unit else None
        if m:
            out.append((q.start, m.end()))
    return out


def _cjk_compounds(text: str, qs: list[Quantity]) -> list[Quantity]:
    """Join the parts of a number written with CJK scales in a row: ``1億2,500万`` is 125 million,
    ``1 万 5 千`` fifteen thousand (each part smaller than the scale before it)."""
    out: list[Quantity] = []
    for q in qs:
        p = out[-1] if out else None
        if (p is not None and p.kind == q.kind == "number" and not q.soft and p.scale >= 10 ** 3
                and _unspaced(p.text.rstrip(_SPACES)[-1:] or " ") and not text[p.end:q.start].strip(_SPACES)
                and q.value < p.scale):
            out[-1] = replace(p, end=q.end, text=text[p.start:q.end], value=p.value + q.value,
                              quantum=min(p.quantum, q.quantum), num_end=q.num_end)
        else:
            out.append(q)
    return out


def _qualify(text: str, s: int, e: int, r: _Reading, suffix: str, lang: str) -> Quantity:
    """Attach a currency, a scale and a percent sign to the number at ``text[s:e]``."""
    cur, start = _currency_before(text, s)
    end = e + len(suffix)
    scale = Decimal(1)
    low = suffix.lower()
    if low in _GLUED_SCALES and (cur or low in _ALWAYS_SCALES):
        scale = Decimal(10) ** _GLUED_SCALES[low]
    elif not suffix:
        scale, end = _scale_at(text, e, lang, bool(cur))
    kind = "money" if cur else "number"
    if not cur:
        pm = _PERCENT_AFTER.match(text, end)
        if pm:
            kind, end = "percent", pm.end()
        else:
            after, cend = _currency_after(text, end)
            if after:
                cur, kind, end = after, "money", cend
    quantum = scale * Decimal(1).scaleb(-r.decimals)
    unit, measure = None, None
    if kind == "number" or cur == _FAMILIES["pound"]:
        unit = _unit_after(text, e if cur else end, start)
        if unit is None and suffix == "º":
            unit = "deg"  # Portuguese and Spanish "26º": degrees (or an ordinal, which no unit contradicts)
        if unit is not None:
            measure = _measure(r.value * scale, unit)
    return Quantity(start, end, text[start:end], r.value * scale, kind, cur, quantum, scale, False,
                    r.alt * scale if r.alt is not None else None, r.foreign, s, e, r.grouped, unit, measure)


@lru_cache(maxsize=4096)
def _spellings(value: int, lang: str) -> tuple[tuple[str, ...], ...]:
    """``value`` written out in words in ``lang`` (cardinal and ordinal, by num2words), each as
    its folded words; empty where num2words does not know the language."""
    return _num2words(value, lang, [("cardinal", {}), ("ordinal", {})])


#: Grammatical cases num2words declines cardinals in, for the languages it declines them for
#: (Russian, Ukrainian): ``трёх``, ``двумя``; other languages refuse the argument.
_CASES = ("genitive", "dative", "accusative", "instrumental", "prepositional", "locative")


@lru_cache(maxsize=4096)
def _declined(value: int, lang: str) -> tuple[tuple[str, ...], ...]:
    """The cardinal ``value``'s declined forms in ``lang`` where num2words declines it (else none)."""
    return _num2words(value, lang, [("cardinal", {"case": c}) for c in _CASES])


def _num2words(value: int, lang: str, forms: Sequence[tuple[str, dict]]) -> tuple[tuple[str, ...], ...]:
    """num2words' spellings of ``value`` in ``lang`` for each (``to``, options) of ``forms``, as
    folded words of three letters or more (``ё`` as ``е``, as Russian is mostly written); those it
    cannot give left out."""
    out = []
    for to, options in forms:
        try:
            words = num2words(value, lang=primary_language(lang), to=to, **options)
        # each language module fails its own way (pl ordinal 150000: IndexError; a case it does not
        # decline: TypeError, KeyError)
        except Exception:  # noqa: BLE001
            continue  # no spelling known
        out.append(tuple(w for w in re.findall(r"\w+", _fold_yo(words.casefold())) if len(w) >= 3))
    return tuple(dict.fromkeys(w for w in out if w))


#: What Arabic writes onto the front of a word: a conjunction (و, ف), a preposition (ب, ل, ك) and the
#: article (ال): ``بعشرين`` is ``عشرين`` (twenty), ``والثلاثين`` ``ثلاثين``.
_ARABIC_PROCLITICS = re.compile(r"^[وف]?[بلك]?(?:ال)?(?=[\u0621-\u064a]{3})")


def _fold_yo(text: str) -> str:
    """Russian ``ё`` written ``е``, as it mostly is."""
    return text.replace("ё", "е")


def spelled_out(text: str, lang: str, value: Decimal) -> bool:
    """Whether ``text`` writes the number ``value`` out in words (``сорока восьми`` for 48,
    ``trigésimo sexto`` for 36th, ``dwudziestoletni`` for 20, ``six autres millions``): every word
    of a spelling is the start of a word of the text, allowing case endings and compounds; a
    declined form num2words gives (``трех``, ``двухметровый``) whole."""
    if value != value.to_integral_value() or not 0 < value < 10 ** 12:
        return False
    tokens = re.findall(r"\w+", _fold_yo(text.casefold()))
    tokens += [t for t in (_ARABIC_PROCLITICS.sub("", t) for t in tokens) if t not in tokens]
    for spelling in _spellings(int(value), lang):
        if all(any(t.startswith(w[:max(3, len(w) - 2)]) for t in tokens) for w in spelling):
            return True
        if len(spelling) > 1 and any(_compound(t, spelling) for t in tokens):
            return True
    return any(all(any(t.startswith(w) for t in tokens) for w in spelling) for spelling in _declined(int(value), lang))


def _compound(token: str, spelling: Sequence[str], link: int = 3) -> bool:
    """Whether one word holds a whole spelling, its parts joined by up to ``link`` letters and each
    after the first inflected (``czterdziestodwuletni``, ``сорокадвухлетний``: 42-year-old)."""
    stem = spelling[0][:max(3, len(spelling[0]) - 3)]  # czterdzieści -> czterdzie(sto): the stem alternates
    if not token.startswith(stem):
        return False
    rest = token[len(stem):]
    for w in spelling[1:]:
        at = rest.find(w[:2], 0, link + 2)
        if at < 0:
            return False
        rest = rest[at + 2:]
    return True


def same_value(a: Quantity, b: Quantity, use_alt: bool = False) -> int:
    """2 = same value, 1 = same up to rounding (or the other convention), 0 = different.

    Rounding is tolerated when the coarser number, with at least two significant
    digits, is the finer one rounded to its precision (``14 billion`` ~ ``13.7
    billion``; ``2 billion`` !~ ``2.4 billion``). With ``use_alt`` the other
    convention's readings of ambiguous tokens (``1.500``) are tried too.
    """
    if not _comparable(a.kind, b.kind):
        return 0
    if a.unit and b.unit and (a.unit != b.unit or a.unit == "deg") and _UNIT_DIM[a.unit] == _UNIT_DIM[b.unit]:
        if a.value == b.value and a.unit == b.unit:
            return 2
        return int(same_measure(a, b))
    if a.value == b.value:
        return 2
    if a.unit and a.unit == b.unit and (_rounded_conversion(a, b) or _rounded_conversion(b, a)):
        return 1
    if _decade(a, b) or _decade(b, a) or _short_year(a, b) or _short_year(b, a):
        return 1
    coarse, fine = (a, b) if a.quantum >= b.quantum else (b, a)
    if coarse.kind in KINDS_NUMERIC and coarse.value >= 10 * coarse.quantum \
            and abs(fine.value - coarse.value) * 2 <= coarse.quantum:
        return 1
    if use_alt:
        for x, y in ((a.alt, b.value), (a.value, b.alt)):
            if x is not None and x == y:
                return 1
    return 0


def same_measure(a: Quantity, b: Quantity) -> bool:
    """Both carry units of one dimension and say the same measure up to conversion rounding
    (``60 km`` and ``64 km`` as two roundings of ``40 miles``)."""
    if not (a.unit and b.unit and _UNIT_DIM[a.unit] == _UNIT_DIM[b.unit]):
        return False
    if _UNIT_DIM[a.unit] == "temperature":
        return any(abs(x - y) <= 1 for x in _celsius(a) for y in _celsius(b))
    x, y = a.measure, b.measure
    return abs(x - y) <= _UNIT_TOLERANCE * max(abs(x), abs(y)) + (1 if a.unit in "FC" else 0)


def _celsius(q: Quantity) -> list[Decimal]:
    """The temperatures in Celsius a quantity may say (a bare degree: Celsius or Fahrenheit)."""
    as_c, as_f = q.value, (q.value - 32) * 5 / 9
    return {"C": [as_c], "F": [as_f]}.get(q.unit or "", [as_c, as_f])


#: Units of the other measurement system, per unit: what a version may have converted from.
_METRIC = frozenset({"km", "cm", "mm", "m", "kg", "t", "l", "ha", "km2", "kmh", "C"})


def _round_figure(n: int) -> bool:
    """A figure a writer picks (``12``, ``500``, ``650``, ``385``): up to a dozen, one significant
    digit, or two or three ending in 5 (not ``17`` or ``18``: ``11 miles`` is no conversion of a
    figure in kilometres that ``10 miles`` would round)."""
    digits = str(n).rstrip("0")
    return 0 < n <= 12 or len(digits) == 1 or (len(digits) in (2, 3) and digits[-1] == "5")


def _other_system(unit: str) -> list[Decimal]:
    """The factors of the units of ``unit``'s dimension in the other measurement system (none for
    temperatures, whose conversion is affine)."""
    return [factor for u, d, factor, _ in _UNITS if d == _UNIT_DIM[unit] and d != "temperature"
            and (u in _METRIC) != (unit in _METRIC)]


def _conversion_of_round_figure(q: Quantity) -> bool:
    """``q`` is a round figure of the other measurement system converted and rounded to ``q``'s
    precision (``227 kg`` = 500 lb, ``137 km/h`` = 85 mph, ``619 km`` = 385 miles)."""
    for factor in _other_system(q.unit):
        there = q.measure / factor
        for n in {int(there), int(there) + 1, int(there / 5) * 5, int(there / 5) * 5 + 5}:
            if _round_figure(n) and abs(n * factor / _UNIT_FACTOR[q.unit] - q.value) <= q.quantum:
                return True
    return False


def _step(value: Decimal) -> Decimal:
    """The rounding step a whole number's trailing digits show (``250`` -> 50, ``300`` -> 100, ``135`` -> 5)."""
    if value != value.to_integral_value() or value == 0:
        return Decimal(0)
    n, step = int(value), 1
    while n % (step * 10) == 0:
        step *= 10
    return Decimal(step * 5 if n % (step * 5) == 0 and step * 5 <= n else step)


def _rounded_conversion(fine: Quantity, coarse: Quantity) -> bool:
    """Two versions converted the same source measure: ``fine`` is the exact conversion of a
    round figure, ``coarse`` the same conversion rounded further (``227 kg``/``250 kg``,
    ``137 km/h``/``135 km/h``, ``619 km``/``620 km``)."""
    if fine.measure is None or _UNIT_DIM[fine.unit] == "temperature":
        return False
    step = _step(coarse.value)
    return step > 1 and abs(coarse.value - fine.value) <= step / 2 and _conversion_of_round_figure(fine)


def _rounding_reach(q: Quantity) -> Decimal:
    """How far the measure a written value rounds may lie from it: half the step its trailing
    digits show (``300`` -> 50, ``290`` -> 5), or a whole step of one unit or less, as a figure
    is also cut short (``2`` cm for 2.54, ``7,5`` for 7.62)."""
    if q.value == q.value.to_integral_value():
        step = _step(q.value)
        return step / 2 if step > 1 else Decimal(1)
    return q.quantum * 5 if q.value.normalize().as_tuple().digits[-1] == 5 else q.quantum


def _few_digits(n: int) -> bool:
    return n > 0 and len(str(n).rstrip("0")) <= 2


def _candidates(x: Decimal) -> set[int]:
    """Whole figures of one or two significant digits near ``x``, and its neighbours."""
    out = set()
    for sig in (1, 2):
        place = Decimal(10) ** max(x.adjusted() - sig + 1, 0)
        base = int((x / place).to_integral_value()) * int(place)
        out |= {base - int(place), base, base + int(place)}
    return {n for n in out if n > 0}


def one_conversion(a: Quantity, b: Quantity) -> bool:
    """``a`` and ``b``, in one unit, may both round one measure converted from a whole figure of
    one or two significant digits of the other measurement system, each within the step its own
    digits show: ``2``, ``2,5`` and ``3`` cm for 1 inch, ``290`` and ``300`` kg for 640 lb, ``27``
    and ``30`` degrees for 80 °F (:func:`_rounding_reach`). Two versions that convert on their own
    rarely agree to the digit."""
    if not a.unit or a.unit != b.unit or a.value == b.value:
        return False
    dim = _UNIT_DIM[a.unit]
    steps = (_rounding_reach(a), _rounding_reach(b))
    if dim == "temperature":
        if a.unit == "F":
            return False
        sources = [(lambda n: (Decimal(n) - 32) * 5 / 9, lambda v: v * 9 / 5 + 32)]  # from Fahrenheit
    elif a.unit in _METRIC and a.measure is not None:
        here = _UNIT_FACTOR[a.unit]
        sources = [(lambda n, f=f: n * f / here, lambda v, f=f: v * here / f) for f in _other_system(a.unit)]
    else:
        return False
    for to_here, back in sources:
        for n in _candidates(back(a.value)) | _candidates(back(b.value)):
            x = to_here(n)
            if _few_digits(n) and all(abs(q.value - x) <= st for q, st in zip((a, b), steps)):
                return True
    return False


def _decade(a: Quantity, b: Quantity) -> bool:
    """``a`` is a decade written in full (``1980s``, ``anos 1980``) and ``b`` its short form (80)."""
    return (a.kind == b.kind == "number" and not b.grouped and 1900 <= a.value < 2100 and a.value % 10 == 0
            and b.value == a.value % 100 and b.value >= 10)


def _short_year(a: Quantity, b: Quantity) -> bool:
    """``a`` is a year written in full (``2019``) and ``b`` the same year by its last two digits
    (``SS19``, ``’19``)."""
    return b.short_year and not a.short_year and a.kind == "number" and 1500 <= a.value < 2100 \
        and a.value == a.value.to_integral_value() and a.value % 100 == b.value


def _comparable(k1: str, k2: str) -> bool:
    if k1 == k2:
        return True
    if k1 not in KINDS_NUMERIC or k2 not in KINDS_NUMERIC:
        return False
    return {k1, k2} != {"percent", "money"}
