"""The words of names: folding, splitting, inflection-tolerant comparison, word frequencies."""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from anyascii import anyascii

from xlingo.language import primary_language, zipf

#: Languages whose orthography capitalises every noun: a capital says little about a name there.
NOUN_CAPITALISING = frozenset({"de", "lb"})
#: Languages that write days, months and nationality words in lower case (``lundi``,
#: ``polski``): a capital inside a sentence marks a name, however common the word.
LOWER_CASE_COMMON = frozenset({"fr", "es", "it", "pt", "ca", "ro", "pl", "cs", "sk", "sl", "hr", "sr", "bs", "ru",
                               "uk", "bg", "sv", "da", "nb", "nn", "no", "fi", "et", "lt", "lv", "hu"})
#: Languages that write compounds as one word (``Granitwolke`` for two words of a name).
COMPOUNDING = frozenset({"de", "lb", "nl", "sv", "da", "nb", "nn", "no", "is", "fi"})
#: Languages that write names in sentence case ("Banque centrale européenne"): a name may hold
#: lower-case adjectives and nouns after its first word.
SENTENCE_CASE = frozenset({"fr", "pt", "es", "it", "ca", "ro", "gl", "oc"})
#: Languages that inflect names with a genitive ``-s`` (``Googles``, ``Acme's``).
GENITIVE_S = frozenset({"de", "en", "nl", "sv", "da", "nb", "nn", "no", "lb", "is", "af"})
#: Languages whose plural of a borrowed name is ``-s`` (``les iPhones``, ``a fábrica de Minis``).
PLURAL_S = frozenset({"fr", "es", "pt", "ca", "gl"})

#: Words that join the parts of one name (``Bank of England``, ``Banco do Brasil``, ``von der Leyen``).
CONNECTORS = frozenset("of de du des d' da do dos das di del della dello delle degli dei dal dalla "
                       "von vom van zu zur zum y & for für".split())
#: Head nouns of public institutions' English names (a centre, a committee, a ministry, a court):
#: news translates these names as a rule, unlike those of newspapers, bands, films, companies or
#: think tanks (an *Institute*, a *School* may be either: not here).
INSTITUTION_HEADS = frozenset("""agency assembly authority board bureau center centre commission committee
    congress council court department directorate ministry office parliament police senate service
    tribunal university""".split())
#: Articles that may follow a connector inside a name (``of the``, ``de la``, ``van der``).
CONNECTOR_ARTICLES = frozenset("the la le les l' der den het los las el lo".split())
#: Determiners and article-preposition contractions skipped between a cue and the name after it.
DETERMINERS = frozenset("""the a an le la les l' un une o os as um uma el los las lo il gli i uno una
der die das dem den des ein eine einem einen einer eines het de een du au aux do da dos das ao aos à às
al del dal dalla della nel nella zum zur vom im beim""".split())

#: Elided articles and prepositions written onto the next word (``l'Office``, ``dell'Istituto``).
ELISIONS = frozenset("l d j m n s t c qu lorsqu puisqu jusqu un dell all dall nell sull coll".split())

WORD_RE = re.compile(r"\w+(?:[-‐'’.&]\w+)*")
ELISION_RE = re.compile(r"([^\W\d_]{1,5})['’](?=\w)")

_UNDECOMPOSED = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss",
                               "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "þ": "th", "Þ": "Th"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-folded text without accents (``ø``, ``ł``, ``ß`` too), apostrophes unified."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").translate(_UNDECOMPOSED))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=65536)
def split_words(text: str, accents: bool = False) -> tuple[str, ...]:
    """Folded words of a name, hyphens and dots treated as spaces (``U.S.`` -> ``us``); with
    ``accents`` only case-folded (the form word frequencies need)."""
    out: list[str] = []
    folded = text.replace("’", "'").casefold() if accents else fold(text)
    for w in WORD_RE.findall(folded):
        m = ELISION_RE.match(w)
        if m and m.group(1) in ELISIONS:  # l'Office -> l' + office
            out.append(m.group(1) + "'")
            w = w[m.end():]
        out.extend(p for p in re.split(r"[-‐]", w.replace(".", "")) if p)
    return tuple(out)


def content_words(words: Iterable[str]) -> list[str]:
    """The words of a name that carry it (no connectors, articles or single letters)."""
    return [w for w in words if w not in CONNECTORS and w not in CONNECTOR_ARTICLES
            and w not in DETERMINERS and len(w) > 1 and not w.isdigit()]


@lru_cache(maxsize=65536)
def char_similarity(a: str, b: str) -> float:
    """difflib ratio of two names, folded, spaces and hyphens ignored."""
    a, b = "".join(split_words(a)), "".join(split_words(b))
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0


def institution(name: str) -> bool:
    """The name's head noun, its last word before a connector (``Select Committee`` of *Select
    Committee on Artificial Intelligence*, ``Center`` of *National Hurricane Center*), is an
    institution's (:data:`INSTITUTION_HEADS`)."""
    words: list[str] = []
    for w in split_words(name):
        if w in CONNECTORS or w in ("on", "in", "at"):
            break
        words.append(w)
    return bool(words) and words[-1].removesuffix("s") in INSTITUTION_HEADS


def is_title(word: str) -> bool:
    """``word`` is a title or honorific put before a person's name in some language (``Senator``,
    ``Prinz``, ``Mme``, ``Sheikh``: nameparser's list)."""
    from nameparser.config import CONSTANTS

    return fold(word).rstrip(".") in CONSTANTS.titles


def capitalised_inside(text: str) -> bool:
    """A word of ``text`` has a capital after a small letter (``McGregor``, ``DiCaprio``,
    ``LeBron``): a name's own spelling, whatever its folded word's frequency says (word lists
    count famous surnames as common English words)."""
    return any(a.islower() and b.isupper() for w in text.split() for a, b in zip(w, w[1:]))


_LATIN_WORD = re.compile(r"[a-z0-9]+")


def latin_words(text: str) -> list[str]:
    """The words of ``text`` written in Latin letters or digits, folded (``Simpson`` in Chinese)."""
    return _LATIN_WORD.findall(fold(text))


#: Soft and hard signs, which transliteration writes as apostrophes that would split a word
#: (``Канье`` -> ``Kan'e``).
_SIGNS = str.maketrans("", "", "ьЬъЪ")


def translit_words(text: str) -> list[str]:
    """The words of ``text`` transliterated to Latin letters, folded (``Уотсон`` -> ``uotson``,
    ``Канье`` -> ``kane``)."""
    return latin_words(anyascii(text.translate(_SIGNS)))


#: katakana, the script Japanese writes foreign names in
_KATAKANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc-\u30fe\u31f0-\u31ff]+")


def katakana_spaced(text: str) -> str:
    """``text`` with a space around every run of katakana (``ニコ・サルトーリが`` -> ``ニコ・サルトーリ が``):
    Japanese puts none between a name and the words around it."""
    return _KATAKANA_RUN.sub(lambda m: f" {m[0]} ", text)


def name_words(text: str) -> list[str]:
    """The words of ``text`` that can write a name, as :func:`translit_words` gives them: all but
    those written in lower case (an ordinary ``trauma`` writes no ``Trumpa``, however alike the
    spelling); a word in a script without capitals may be a name."""
    return [w for token in text.split() if not _lower_case(token) for w in translit_words(token)]


def _lower_case(token: str) -> bool:
    """The token has letters with a case, none of them a capital, and no digit."""
    return any(c.islower() for c in token) and not any(c.isupper() or c.isdigit() for c in token)


def initials(words: Sequence[str]) -> str:
    """The initials of a name's words, folded, short lower-case function words skipped
    (``Federal Bureau of Investigation`` -> ``fbi``)."""
    return "".join(w[0] for w in words if not (w.islower() and len(w) <= 3)).casefold()


def is_latin(text: str) -> bool:
    """Most letters of the text are Latin."""
    letters = [c for c in text if c.isalpha()]
    return 2 * sum(c < "\u0250" for c in letters) >= len(letters)


#: Spellings of one sound, as one letter, for comparing names across transliteration conventions
#: (``Corée``/``Korea``, ``Micronésie``/``Микронезии``, ``Joseph``/``Жозеф``, ``Wirginia``/``Virginia``).
_NAME_SOUNDS = (("ph", "f"), ("dzh", "j"), ("chzh", "j"), ("c", "k"), ("q", "k"), ("z", "s"), ("x", "s"),
                ("w", "v"))
#: Its letters alone, for comparing first letters.
ONE_SOUND = str.maketrans({a: b for a, b in _NAME_SOUNDS if len(a) == 1})
#: The same across scripts: ``dzh``/``dge`` (Бридж, *Bridge*), ``zh``, ``kh``, ``th``, ``ph``,
#: ``ck``, a soft ``c`` as ``s`` (Пенс, *Pence*), ``z`` as ``s`` (Пас, *Paz*); then an ``h``
#: after a vowel is silent (Джонни, *Johnny*), any other ``h`` is a ``g`` (Генри, *Henry*), and
#: ``g`` and ``j`` are one (Джеффа, *Geoff*), a doubled letter one (Мэтью, *Matthew*).
_CROSS_SCRIPT = (("dzh", "j"), ("dg", "j"), ("zh", "j"), ("kh", "g"), ("th", "t"), ("ph", "f"), ("ck", "k"),
                 ("ce", "se"), ("ci", "si"), ("c", "k"), ("q", "k"), ("x", "ks"), ("z", "s"))
_SILENT_H = re.compile(r"(?<=[aeiou])h")


def _sounds(text: str, spellings: Sequence[tuple[str, str]]) -> str:
    """``text`` transliterated with ``spellings`` applied in order (one letter per sound)."""
    x = "".join(translit_words(text))
    for a, b in spellings:
        x = x.replace(a, b)
    return x


def _skeleton(text: str, spellings: Sequence[tuple[str, str]], silent: str) -> str:
    """The consonants of ``text`` transliterated: ``spellings`` applied in order, the letters in
    ``silent`` (vowels and glides) left out."""
    return re.sub(f"[{silent}]", "", _sounds(text, spellings))


def sounds_alike(a: str, b: str) -> float:
    """Similarity of two names across transliteration conventions: the best of their spelling
    and of their consonant skeletons (``Wayde Sims`` / ``Уэйда Симса`` -> ``dsms`` both;
    ``Micronésie`` / ``Микронезии`` -> ``mkrns``). Skeletons count only where they are as long,
    or one of three consonants or more adds one at the end (a case ending: ``Трампом``/*Trump*;
    not ``Stanów`` for *West*, ``st`` in ``stn``), or the spellings are
    half alike (``Teksasem``/*Texas*, ``Франсуа Бушар``/*Francois Bouchard*): a short skeleton
    is found inside many longer ones (``brst`` of *Brexit* in ``brnstn`` of *Burnaston*, ``ms``
    of *James* in ``sms`` of *Sims*). Either order gives the same figure (difflib's does not:
    *Britain* / *Burnaston* reads half alike one way only)."""
    sa, sb = _skeleton(a, _NAME_SOUNDS, "aeiouyjwhv"), _skeleton(b, _NAME_SOUNDS, "aeiouyjwhv")
    spelled = min(char_similarity(anyascii(a), anyascii(b)), char_similarity(anyascii(b), anyascii(a)))
    short, long_ = sorted((sa, sb), key=len)
    ended = len(short) == len(long_) or (len(long_) == len(short) + 1 and len(short) >= 3 and long_.startswith(short))
    return max(spelled, char_similarity(sa, sb)) if ended or spelled >= 0.5 else spelled


def cased(text: str) -> bool:
    """The text is in a script with capitals (most of its letters have a case), where names
    can be told by their shape; not Japanese with a Latin ``UK`` in it."""
    letters = [c for c in text if c.isalpha()]
    return any(c.isupper() for c in letters) and 2 * sum(c.lower() != c.upper() for c in letters) >= len(letters)


def word_found(word: str, words: Sequence[str]) -> bool:
    """A name word is among a text's words, up to inflection and transliteration (by spelling
    or by sound: ``Manhattan``/``Манхэттене``); a word of one or two letters always is."""
    if len(word) < 3:
        return True
    first = word[0].translate(ONE_SOUND)
    for w in words:
        if w == word or (len(w) >= 4 and w[0].translate(ONE_SOUND) == first
                         and (char_similarity(w, word) >= 0.75 or sounds_alike(w, word) >= 0.85)):
            return True
    return False


#: Slavic case endings as transliterated (Джоном, *Jon*: the name declined)
_CASE_ENDINGS = ("om", "em", "ym", "im", "oi", "ami", "akh", "ov", "a", "u", "e", "y", "iu", "ia")


def transliterated(word: str, name_word: str) -> bool:
    """``word`` (in another script) writes ``name_word`` by its sounds: their consonants, vowels
    and ``w``/``v`` left out (``у`` for *w*: Уотсон), are the same (two or more: Янг for *Young*;
    one, for words as long to within a letter that begin alike: Джей for *Jay*, Йен for *Ian*,
    not Бубба for *Webb*) or agree at three letters or more (Стэмфорд, Генри, Бридж; not Новый
    for *New*, nor Порода for *Breed*), the word declined or not (Джоном for *Jon*)."""
    sb = _sounds(_SILENT_H.sub("", fold(name_word)), _CROSS_SCRIPT).replace("h", "g").replace("g", "j")
    sa = _sounds(word, _CROSS_SCRIPT).replace("h", "g").replace("g", "j")
    return _sound_match(sa, sb) or any(_sound_match(sa[:-len(e)], sb, short=False) for e in _CASE_ENDINGS
                                       if sa.endswith(e) and len(sa) - len(e) >= 2)


def _sound_match(sa: str, sb: str, short: bool = True) -> bool:
    """Two words' sounds (``_CROSS_SCRIPT`` applied) write one name: see :func:`transliterated`
    (a single consonant in common counts only where ``short``)."""
    a, b = (re.sub(r"(.)\1+", r"\1", re.sub("[aeiouyvw]", "", x)) for x in (sa, sb))
    first = sa[:1] == sb[:1] or sa[:1] in "aeiouy" and sb[:1] in "aeiouy"
    return (a == b and (len(a) >= 2 or short and len(a) == 1 and first and abs(len(sa) - len(sb)) <= 1)
            or min(len(a), len(b)) >= 3 and difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.85)


_DE_ADJ = re.compile(r"^(.{3,}?)(e|en|er|es|em)$")


def same_word(a: str, b: str, lang_a: str = "", lang_b: str = "") -> bool:
    """Two folded words are one name word: equal, or equal up to a genitive ``-s`` / Romance
    plural ``-s`` / German adjective ending / Slavic case ending (``googles``/``google``,
    ``minis``/``mini``, ``deutschen``/``deutsche``, ``livingstonu``/``livingston``), on one side
    or, in two languages, on both (``gerrards``/``gerrarda``)."""
    if a == b:
        return True
    for x, y, lang in ((a, b, lang_a), (b, a, lang_b)):
        if lang in GENITIVE_S and len(y) >= 3 and x in (y + "s", y + "es", y + "'s", y + "'"):
            return True
        if lang in PLURAL_S and lang_a != lang_b and len(y) >= 3 and x == y + "s":
            return True
        if len(y) >= 3 and x == y + "'s":
            return True  # a brand's English possessive kept in any language (Sainsbury's)
        if len(y) >= 4 and any(x == y + e for e in _DERIVATIONS.get(lang, ())):
            return True  # Belfaster (de), New Yorker: the place name with the language's adjective ending
        if lang in DECLINING and len(y) >= 3:
            stems = (y, y[:-1]) if y[-1] in "aeiouy" and len(y) >= 4 else (y,)  # Mendoza -> Mendozę
            if any(x.startswith(st) and _CASE_ENDING.match(x[len(st):]) for st in stems):
                return True
            if any(y.endswith(c) and x == y[:-1] + e for c, e in _ALTERNATIONS):
                return True  # Oxford -> Oxfordzie, Detroit -> Detroicie
        if lang in APOSTROPHE_SUFFIX and len(y) >= 2 and x.startswith(y + "'") and x[len(y) + 1:].isalpha() \
                and len(x) - len(y) <= 6:
            return True  # Trump'ın, Ankara'ya: a suffix after the apostrophe
    if "de" in (lang_a, lang_b):
        ma, mb = _DE_ADJ.match(a), _DE_ADJ.match(b)
        if ma and mb and ma.group(1) == mb.group(1):
            return True
    # both inflected, each the way its language does (``gerrards`` / ``gerrarda``: Dutch genitive,
    # Polish genitive)
    return lang_a != lang_b and bool(set(_uninflected(a, lang_a)) & set(_uninflected(b, lang_b)))


def _uninflected(word: str, lang: str) -> list[str]:
    """``word`` without the genitive ``-s`` or the case ending its language may have added."""
    genitive = [word[:-1]] if lang in GENITIVE_S and word.endswith("s") and len(word) >= 5 else []
    return genitive + case_stems(word, lang)


#: Languages that decline names with case endings (Polish ``Livingstonu``, ``Craiga``).
DECLINING = frozenset({"pl", "cs", "sk", "ru", "uk", "be", "hr", "sr", "bs", "sl", "bg", "lt", "lv"})
_CASE_ENDING = re.compile(r"^(?:'(?:go|mu|m)|'?(?:a|u|e|y|i|o|ą|ę|em|om|ie|owi|ami|ach|ów|ego|emu|iem|ym|im|ia|iu|"
                          r"iowi|ой|ом|ем|ы|ей|ого|ему|ами|ах|ов|ым|у|е|а|и))?$")  # Ovie'go, Kovačicia


def case_stems(word: str, lang: str) -> list[str]:
    """The forms of a folded name word without a case ending its language may have added
    (``halketta`` -> ``halkett``; none where ``lang`` does not decline names): what a version
    that writes the name by its sounds, undeclined, can be compared with."""
    if lang not in DECLINING:
        return []
    return [word[:k] for k in range(len(word) - 1, max(2, len(word) - 4), -1) if _CASE_ENDING.match(word[k:])]


#: Consonants a Slavic locative or dative changes before its ending (``d`` -> ``dzie``).
_ALTERNATIONS = (("d", "dzie"), ("t", "cie"), ("r", "rze"))
#: Languages that write a name's suffixes after an apostrophe (Turkish ``Trump'ın``, Finnish ``Bordeaux'ssa``).
APOSTROPHE_SUFFIX = frozenset({"tr", "az", "fi"})
#: Endings a language writes onto an unchanged place name to make an adjective or a demonym
#: (``Belfaster``, ``New Yorker``, ``Amsterdamse``).
_DERIVATIONS = {"de": ("er", "ern", "ers"), "lb": ("er",), "nl": ("se",), "en": ("er", "ers")}
_INFLECTIONS = {"de": ("s", "es", "n", "en", "e", "er", "ern", "ns"), "lb": ("s", "en", "er"),
                "nl": ("s", "en"), "en": ("s",), "sv": ("s",), "da": ("s",), "nb": ("s",)}


#: Spellings by which languages romanise one sound of a name written in another script
#: (German ``Wladimir``/``Tschaikowski``, French ``Poutine``/``Tchaïkovski``, English
#: ``Vladimir``/``Tchaikovsky``, Dutch and Polish ``j`` for ``y``), longest first.
_ROMANISATIONS = (("tsch", "ch"), ("tch", "ch"), ("sch", "sh"), ("dsch", "j"), ("dzh", "j"), ("kh", "h"),
                  ("ou", "u"), ("ph", "f"), ("ck", "k"), ("w", "v"), ("y", "i"), ("j", "i"), ("sz", "sh"),
                  ("cz", "ch"))
_ROMANISED_ENDINGS = (("ine", "in"), ("ij", "i"), ("ii", "i"), ("yi", "i"), ("y", "i"))


def romanisation_key(word: str) -> str:
    """A folded word with the spellings that romanisations of one sound differ by unified
    (``wladimir``, ``vladimir`` -> ``vladimir``; ``poutine``, ``putin`` -> ``putin``); double
    letters are kept, so a dropped letter (``villareal``) still differs."""
    w = fold(word)
    for a, b in _ROMANISED_ENDINGS:
        if w.endswith(a) and len(w) - len(a) >= 3:
            w = w[:-len(a)] + b
            break
    out, i = [], 0
    while i < len(w):
        for a, b in _ROMANISATIONS:
            if w.startswith(a, i):
                out.append(b)
                i += len(a)
                break
        else:
            out.append(w[i])
            i += 1
    return "".join(out)


def base_zipf(word: str, lang: str) -> float:
    """Zipf frequency of a word or of its stem without an inflectional ending (``Tals`` counts
    as ``Tal``, ``Massivs`` as ``Massiv``)."""
    w = word.lower()
    return max([zipf(w, lang)] + [zipf(w[:-len(x)], lang) for x in _INFLECTIONS.get(lang, ())
                                  if w.endswith(x) and len(w) - len(x) >= 3])


@lru_cache(maxsize=65536)
def word_zipf(word: str, lang: str) -> float:
    """Zipf frequency of a word, or of its two parts when the word itself is unknown and splits
    into known words (``abendlaterne`` -> ``abend`` + ``laterne``: a nonce compound of
    ordinary words), the weaker part counting."""
    z = zipf(word, lang)
    if z >= 2.0 or len(word) < 8 or not word.isalpha():
        return z
    best = z
    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        heads = [head] + [head[:-len(j)] for j in ("s", "es", "n", "en") if head.endswith(j) and len(head) - len(j) >= 3]
        for h in heads:
            best = max(best, min(zipf(h, lang), zipf(tail, lang)) - 0.5)
    return best if best >= 2.5 else z


def nativeness(words: Sequence[str], lang: str, others: Iterable[str]) -> float:
    """Mean of ``zipf(w, lang) - max zipf(w, other)``: > 0 when the words are more at home in
    ``lang`` than in any of the other languages (a French ``vallée``), < 0 for foreign words
    (an English ``Valley`` kept in a German text scores ~-0.9)."""
    others = [o for o in dict.fromkeys(others) if o != lang]
    if not words:
        return 0.0
    return float(np.mean([word_zipf(w, lang) - max((word_zipf(w, o) for o in others), default=0.0) for w in words]))


#: wordfreq's large word lists in Latin letters: the background a word's home is measured against
_LATIN_PANEL = ("ca", "cs", "de", "en", "es", "fi", "fr", "it", "nb", "nl", "pl", "pt", "sv")


def at_home(word: str, lang: str, margin: float = 1.0) -> bool:
    """``word`` is a word of ``lang`` rather than a name every language's texts write: known
    there, and, in Latin letters, at least ``margin`` Zipf above its median in the other large
    word lists (``Modewoche`` in German, ``coupe`` in French; not ``Kelley`` nor ``Hotel``, whose
    counts are alike everywhere)."""
    z = word_zipf(word, lang)
    if z <= 0 or not is_latin(word):
        return z > 0
    home = primary_language(lang)
    return z >= float(np.median([word_zipf(word, o) for o in _LATIN_PANEL if o != home])) + margin


def is_ordinary(words: Sequence[str], lang: str, others: Iterable[str]) -> bool:
    """True when ``words`` are ordinary words of ``lang``: known (every Zipf >= 2), common on
    average (mean >= 3) and not more at home in another language of the story."""
    cw = content_words(words)
    if not cw:
        return False
    z = [word_zipf(w, lang) for w in cw]
    return min(z) >= 2.0 and float(np.mean(z)) >= 3.0 and nativeness(cw, lang, others) >= 0.0

