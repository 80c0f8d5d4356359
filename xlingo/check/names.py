"""Proper names across the versions of a story: candidates, counterparts, literal renderings.

Reusable by any rule, in three layers:

* :func:`tokenize` and :func:`extract` find name candidates in one text, language-aware:
  words with internal capitals or digits (``iPhone``, ``H20``), acronyms, rare capitalised
  words, capitalised words mid-sentence where the language keeps common nouns lower-case
  (not German, which capitalises every noun), joined into multiword names over connectors
  (``of``, ``de la``, ``von``, ``van der``...). A second pass (:class:`NameIndex`) adds the
  occurrences of names found elsewhere in the story (a German ``Apple``, a sentence-initial
  ``Zentrix``), so that capitals that say nothing locally are read with the story's evidence;
  a third adds, row by row, close spellings of the other versions' names (a German
  ``Granit Cloud``, made of words that are common nouns there).
* :func:`relation` and :class:`NameIndex` match candidates across the versions of a row:
  same name (casefold, accents, hyphens/spaces, genitive ``-s`` and German adjective endings
  ignored), spelling variant (character similarity), partial rendering (words shared and
  words replaced) or short form; :meth:`NameIndex.support` counts which documents use a form.
* :func:`slots`, :func:`name_spans`, :func:`is_ordinary` and :func:`calibrated` locate the
  words a version put where a name belongs (after "according to"/"selon"/"laut"/"segundo",
  "via", in parentheses or quotes, or any name-like span) and judge whether they are a
  word-by-word rendering: ordinary words of the version's language (wordfreq), little
  character overlap with the name, high cross-lingual similarity relative to the story's
  background similarity.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from xlingo.language import zipf_frequency
from xlingo.segment import word_units

if TYPE_CHECKING:
    from xlingo.check.base import CheckContext

#: Languages whose orthography capitalises every noun: a capital says little about a name there.
NOUN_CAPITALISING = frozenset({"de", "lb"})
#: Languages that write compounds as one word (``Granitwolke`` for two words of a name).
COMPOUNDING = frozenset({"de", "lb", "nl", "sv", "da", "nb", "nn", "no", "is", "fi"})
#: Languages that write names in sentence case ("Banque centrale européenne"): a name may hold
#: lower-case adjectives and nouns after its first word.
SENTENCE_CASE = frozenset({"fr", "pt", "es", "it", "ca", "ro", "gl", "oc"})
#: Languages that inflect names with a genitive ``-s`` (``Googles``, ``Acme's``).
GENITIVE_S = frozenset({"de", "en", "nl", "sv", "da", "nb", "nn", "no", "lb", "is", "af"})

#: Words that join the parts of one name (``Bank of England``, ``Banco do Brasil``, ``von der Leyen``).
CONNECTORS = frozenset("of de du des d' da do dos das di del della dello delle degli dei dal dalla "
                       "von vom van zu zur zum y & for für".split())
#: Articles that may follow a connector inside a name (``of the``, ``de la``, ``van der``).
CONNECTOR_ARTICLES = frozenset("the la le les l' der den het los las el lo".split())
#: Determiners and article-preposition contractions skipped between a cue and the name after it.
DETERMINERS = frozenset("""the a an le la les l' un une o os as um uma el los las lo il gli i uno una
der die das dem den des ein eine einem einen einer eines het de een du au aux do da dos das ao aos à às
al del dal dalla della nel nella zum zur vom im beim""".split())

#: Attribution cues: the name of a source follows them ("according to the X").
SOURCE_CUES: dict[str, tuple[str, ...]] = {
    "en": ("according to", "citing", "cited by", "reported by", "quoted by", "quoted in", "told"),
    "fr": ("selon", "d'après", "cité par", "citée par", "rapporté par", "relayé par"),
    "de": ("laut", "gemäß", "nach angaben", "zitiert von"),
    "pt": ("segundo", "de acordo com", "conforme", "citado por", "citada por", "noticiado por"),
    "es": ("según", "de acuerdo con", "citado por", "citada por"),
    "it": ("secondo", "stando a", "citato da", "citata da"),
    "nl": ("volgens",),
}
#: Attribution cues that follow the name ("dem X zufolge").
POST_CUES: dict[str, tuple[str, ...]] = {"de": ("zufolge",), "nl": ("aldus",)}
#: Cues shared by every language.
ANY_CUES: dict[str, tuple[str, ...]] = {"via": ("via",)}

#: Elided articles and prepositions written onto the next word (``l'Office``, ``dell'Istituto``).
ELISIONS = frozenset("l d j m n s t c qu lorsqu puisqu jusqu un dell all dall nell sull coll".split())

RARE_ZIPF = 3.0  # below this a capitalised word is a name candidate even where capitals say little
FUNCTION_ZIPF = 5.8  # above this a lower-case word ends a sentence-case name (articles, auxiliaries)
INITIAL_JOIN_ZIPF = 4.5  # a sentence-initial word rarer than this joins the name that follows it

_WORD = re.compile(r"\w+(?:[-‐'’.&]\w+)*")
_ELISION = re.compile(r"([^\W\d_]{1,5})['’](?=\w)")
_PART = re.compile(r"[^-‐]+")  # hyphenated words are split: "H20-Chips" -> "H20", "Chips"
_INITIAL_GAP = re.compile(r"[.!?:;«»“”„\"—–•\n]")
_OPEN_QUOTES = "«“„\"‘‹"
_CLOSE_QUOTES = "»”“\"’›"


# --------------------------------------------------------------------------- words


def lang_of(code: str) -> str:
    """Primary language subtag, lower-case (``pt-BR`` -> ``pt``)."""
    return code.split("-")[0].split("_")[0].lower()


@lru_cache(maxsize=262144)
def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in ``lang`` (0.0 for an unknown language)."""
    try:
        return float(zipf_frequency(word, lang))
    except (LookupError, ValueError):
        return 0.0


_UNDECOMPOSED = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss",
                               "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "þ": "th", "Þ": "Th"})


def fold(text: str) -> str:
    """Case-folded text without accents (``ø``, ``ł``, ``ß`` too), apostrophes unified."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").translate(_UNDECOMPOSED))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def split_words(text: str, accents: bool = False) -> tuple[str, ...]:
    """Folded words of a name, hyphens and dots treated as spaces (``U.S.`` -> ``us``); with
    ``accents`` only case-folded (the form word frequencies need)."""
    out: list[str] = []
    folded = text.replace("’", "'").casefold() if accents else fold(text)
    for w in _WORD.findall(folded):
        m = _ELISION.match(w)
        if m and m.group(1) in ELISIONS:  # l'Office -> l' + office
            out.append(m.group(1) + "'")
            w = w[m.end():]
        out.extend(p for p in re.split(r"[-‐]", w.replace(".", "")) if p)
    return tuple(out)


def content_words(words: Iterable[str]) -> list[str]:
    """The words of a name that carry it (no connectors, articles or single letters)."""
    return [w for w in words if w not in CONNECTORS and w not in CONNECTOR_ARTICLES
            and w not in DETERMINERS and len(w) > 1 and not w.isdigit()]


def char_similarity(a: str, b: str) -> float:
    """difflib ratio of two names, folded, spaces and hyphens ignored."""
    a, b = "".join(split_words(a)), "".join(split_words(b))
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0


_DE_ADJ = re.compile(r"^(.{3,}?)(e|en|er|es|em)$")


def same_word(a: str, b: str, lang_a: str = "", lang_b: str = "") -> bool:
    """Two folded words are one name word: equal, or equal up to a genitive ``-s`` / German
    adjective ending / Slavic case ending (``googles``/``google``, ``deutschen``/``deutsche``,
    ``livingstonu``/``livingston``)."""
    if a == b:
        return True
    for x, y, lang in ((a, b, lang_a), (b, a, lang_b)):
        if lang in GENITIVE_S and len(y) >= 3 and x in (y + "s", y + "es", y + "'s", y + "'"):
            return True
        if lang in DECLINING and len(y) >= 3:
            stems = (y, y[:-1]) if y[-1] in "aeiouy" and len(y) >= 4 else (y,)  # Mendoza -> Mendozę
            if any(x.startswith(st) and _CASE_ENDING.match(x[len(st):]) for st in stems):
                return True
    if "de" in (lang_a, lang_b):
        ma, mb = _DE_ADJ.match(a), _DE_ADJ.match(b)
        if ma and mb and ma.group(1) == mb.group(1):
            return True
    return False


#: Languages that decline names with case endings (Polish ``Livingstonu``, ``Craiga``).
DECLINING = frozenset({"pl", "cs", "sk", "ru", "uk", "be", "hr", "sr", "bs", "sl", "bg", "lt", "lv"})
_CASE_ENDING = re.compile(r"^'?(?:a|u|e|y|i|o|ą|ę|em|om|ie|owi|ami|ach|ów|ego|emu|iem|ym|im|ой|ом|ем|ы|ей|ого|"
                          r"ему|ами|ах|ов|ым|у|е|а|и)?$")
_INFLECTIONS = {"de": ("s", "es", "n", "en", "e", "er", "ern", "ns"), "lb": ("s", "en", "er"),
                "nl": ("s", "en"), "en": ("s",), "sv": ("s",), "da": ("s",), "nb": ("s",)}


def base_zipf(word: str, lang: str) -> float:
    """Zipf frequency of a word or of its stem without an inflectional ending (``Tals`` counts
    as ``Tal``, ``Massivs`` as ``Massiv``)."""
    w = word.lower()
    return max([zipf(w, lang)] + [zipf(w[:-len(x)], lang) for x in _INFLECTIONS.get(lang, ())
                                  if w.endswith(x) and len(w) - len(x) >= 3])


@lru_cache(maxsize=65536)
def word_zipf(word: str, lang: str) -> float:
    """Zipf frequency of a word, or of its two parts when the word itself is unknown and splits
    into known words (``morgenpfosten`` -> ``morgen`` + ``pfosten``: a nonce compound of
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


def is_ordinary(words: Sequence[str], lang: str, others: Iterable[str]) -> bool:
    """True when ``words`` are ordinary words of ``lang``: known (every Zipf >= 2), common on
    average (mean >= 3) and not more at home in another language of the story."""
    cw = content_words(words)
    if not cw:
        return False
    z = [word_zipf(w, lang) for w in cw]
    return min(z) >= 2.0 and float(np.mean(z)) >= 3.0 and nativeness(cw, lang, others) >= 0.0


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class Token:
    """A word with its character offsets in the document text."""

    text: str
    start: int
    end: int
    initial: bool  # its capital says nothing: sentence start, after a colon, a full stop, a quote
    joined: bool  # only spaces between it and the previous token (no punctuation, no line break)
    gap: str  # the text between the previous token and this one

    @property
    def low(self) -> str:
        return self.text.lower().replace("’", "'")

    @property
    def upper_initial(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words of ``text[start:end]`` with absolute offsets; elisions split (``l'``, ``d'``),
    hyphenated words split into their parts (joined to each other), possessive ``'s`` left
    out of the word."""
    end = len(text) if end is None else end
    out: list[Token] = []
    prev = start
    for m in _WORD.finditer(text, start, end):
        s, e, w = m.start(), m.end(), m.group()
        pieces: list[tuple[int, int]] = []
        el = _ELISION.match(w)
        if el and el.group(1).lower() in ELISIONS:
            pieces.append((s, s + el.end()))
            s += el.end()
        if len(text[s:e]) > 3 and text[s:e][-2:] in ("'s", "’s"):
            e -= 2
        pieces += [u for p in _PART.finditer(text[s:e]) for u in word_units(text, s + p.start(), s + p.end())]
        for ps, pe in pieces:
            gap = text[prev:ps]
            initial = not out or bool(_INITIAL_GAP.search(gap))
            joined = (not gap.strip() and "\n" not in gap) or gap in ("-", "‐")
            out.append(Token(text[ps:pe], ps, pe, initial, joined, gap))
            prev = pe
    return out


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


def has_shape(word: str) -> bool:
    """Internal capitals (``iPhone``, ``GitHub``), letters with digits (``H20``, ``A380``) or an
    acronym (``ACME``): a name whatever the language."""
    letters = _letters(word)
    if any(c.isdigit() for c in word):
        return len(word) >= 2 and word[0].isalpha() and any(c.isupper() for c in letters)
    if len(letters) < 2:
        return False
    if letters.isupper():
        return True
    return any(re.search(r"[a-zß-ÿ][A-ZÀ-Þ]", part) for part in re.split(r"[-‐'’.&]", word))  # linear


def _sentence_style(toks: Sequence[Token]) -> tuple[bool, bool]:
    """(shouting, title case) of a sentence's tokens: capitals uninformative in both."""
    words = [t.text for t in toks if len(_letters(t.text)) >= 2]
    if len(words) < 3:
        return False, False
    caps = sum(_letters(w).isupper() for w in words)
    shouting = caps >= 0.8 * len(words)
    long = [w for w in words if len(w) >= 4]
    title = len(long) >= 4 and sum(w[0].isupper() for w in long) >= 0.9 * len(long)
    return shouting, title


def token_evidence(tok: Token, lang: str, case_informative: bool, shouting: bool) -> str | None:
    """Why a token is part of a name: ``shape``, ``capital`` (mid-sentence capital where
    common nouns are lower-case), ``rare`` (capitalised, rare in the language) or None."""
    if not shouting and has_shape(tok.text):
        return "shape"
    if len(_letters(tok.text)) < 2:
        return None
    if not tok.upper_initial or shouting:
        return None
    if case_informative and not tok.initial:
        return "capital"
    return "rare" if base_zipf(tok.text, lang) < RARE_ZIPF else None


# --------------------------------------------------------------------------- mentions


@dataclass(frozen=True)
class Mention:
    """One occurrence of a name candidate in a document."""

    doc: str
    lang: str
    start: int
    end: int
    text: str
    sentence: int  # sentence id in its document (-1 when unknown)
    evidence: str  # shape | capital | rare | known
    initial: bool  # its first word stands where any word is capitalised
    shouting: bool  # inside an all-capitals sentence: its casing says nothing
    words: tuple[str, ...] = field(compare=False, default=())

    @property
    def key(self) -> str:
        return " ".join(self.words)

    @property
    def content(self) -> list[str]:
        return content_words(self.words)

    def accented(self, word: str) -> str:
        """The case-folded, accented form of one of its folded words (what wordfreq needs)."""
        plain = split_words(self.text, accents=True)
        return dict(zip(self.words, plain)).get(word, word) if len(plain) == len(self.words) else word


def _mention(doc: str, lang: str, text: str, toks: Sequence[Token], sent: int, evidence: str,
             shouting: bool) -> Mention:
    s, e = toks[0].start, toks[-1].end
    return Mention(doc, lang, s, e, text[s:e], sent, evidence, toks[0].initial, shouting, split_words(text[s:e]))


def _connector_run(toks: Sequence[Token], j: int) -> int:
    """Index after a connector group starting at ``j`` (``de``, ``de la``, ``of the``), or ``j``."""
    if j < len(toks) and toks[j].joined and toks[j].low in CONNECTORS:
        k = j + 1
        if k < len(toks) and toks[k].joined and toks[k].low in CONNECTOR_ARTICLES:
            k += 1
        return k
    return j


def extract(text: str, lang: str, spans: Sequence[tuple[int, int, int]] = (), doc: str = "") -> list[Mention]:
    """Name candidates of a text: runs of name tokens joined over connectors.

    ``spans`` are ``(sentence id, start, end)`` of the text's sentences (the whole text when
    empty). Sentence-initial words, words after a colon or a quote, and every capitalised word
    of German count only when rare or shaped like a name; :class:`NameIndex` adds the rest.
    """
    lang = lang_of(lang)
    out: list[Mention] = []
    for sent, s0, s1 in spans or [(-1, 0, len(text))]:
        toks = tokenize(text, s0, s1)
        shouting, title = _sentence_style(toks)
        informative = lang not in NOUN_CAPITALISING and not title
        ev = [token_evidence(t, lang, informative, shouting) for t in toks]
        for i in range(len(toks) - 1):  # "Granite Cloud opened": a sentence-initial word before a name
            if (ev[i] is None and ev[i + 1] == "capital" and toks[i].initial and toks[i].upper_initial
                    and toks[i + 1].joined and zipf(toks[i].text, lang) < INITIAL_JOIN_ZIPF):
                ev[i] = "capital"
        i = 0
        while i < len(toks):
            if ev[i] is None:
                i += 1
                continue
            run, j = [i], i + 1
            while j < len(toks) and toks[j].joined:
                if ev[j]:
                    run.append(j)
                    j += 1
                    continue
                k = _connector_run(toks, j)  # not "Keller du SEFRI": an acronym after "of" is another name
                if (k > j and k < len(toks) and toks[k].joined and ev[k] and toks[k].upper_initial
                        and not toks[k].text.isupper()):
                    run.extend(range(j, k + 1))
                    j = k + 1
                    continue
                break
            best = min(("shape", "capital", "rare").index(ev[r]) for r in run if ev[r])
            out.append(_mention(doc, lang, text, toks[run[0]:run[-1] + 1], sent,
                                ("shape", "capital", "rare")[best], shouting))
            i = j
    return out


# --------------------------------------------------------------------------- relations


def bucket(words: Sequence[str]) -> str:
    """A key that :func:`equivalent` forms always share (the first letters of the name)."""
    return "".join(words)[:3]


def equivalent(a: Mention | Sequence[str], b: Mention | Sequence[str], lang_a: str = "", lang_b: str = "") -> bool:
    """One name in two forms: same words up to case, accents, inflection, hyphens and spaces."""
    wa = a.words if isinstance(a, Mention) else tuple(a)
    wb = b.words if isinstance(b, Mention) else tuple(b)
    la = a.lang if isinstance(a, Mention) else lang_a
    lb = b.lang if isinstance(b, Mention) else lang_b
    if "".join(wa) == "".join(wb):
        return True
    ca, cb = content_words(wa), content_words(wb)
    return bool(ca) and len(ca) == len(cb) and all(same_word(x, y, la, lb) for x, y in zip(ca, cb))


def shared_words(a: Mention, b: Mention) -> tuple[list[str], list[str]]:
    """Content words of ``a`` found in ``b`` and those not found (inflection-tolerant)."""
    shared, own = [], []
    cb = b.content
    for w in a.content:
        (shared if any(same_word(w, v, a.lang, b.lang) for v in cb) else own).append(w)
    return shared, own


#: Relations between two mentions, strongest first.
RELATIONS = ("same", "variant", "partial", "short")


_RELATION_MEMO: dict[tuple, tuple[str, float] | None] = {}


def relation(a: Mention, b: Mention, min_similarity: float = 0.8) -> tuple[str, float] | None:
    """How two mentions of different versions relate: ``same`` name, spelling ``variant``,
    ``partial`` rendering (words kept and words replaced), ``short`` form (one holds the
    other), or None. Memoised on the forms (rows dense with one repeated name stay fast)."""
    key = (a.words, a.text, a.lang, b.words, b.text, b.lang, min_similarity)
    if key not in _RELATION_MEMO:
        if len(_RELATION_MEMO) >= 200_000:
            _RELATION_MEMO.clear()
        _RELATION_MEMO[key] = _relation(a, b, min_similarity)
    return _RELATION_MEMO[key]


def _relation(a: Mention, b: Mention, min_similarity: float) -> tuple[str, float] | None:
    if equivalent(a, b):
        return "same", 1.0
    ca, cb = a.content, b.content
    if not ca or not cb:
        return None
    sim = char_similarity(a.text, b.text)
    if len(ca) == len(cb) and sim >= min_similarity and min(len(a.key), len(b.key)) >= 4:
        return "variant", sim
    shared_a, own_a = shared_words(a, b)
    if not shared_a or max(len(w) for w in shared_a) < 3:
        return None
    _, own_b = shared_words(b, a)
    share = len(shared_a) / max(len(ca), len(cb))
    if own_a and own_b and max(map(len, own_a + own_b)) > 3:
        return "partial", share
    return "short", share


def _rank(rel: tuple[str, float]) -> tuple[int, float]:
    return -RELATIONS.index(rel[0]), rel[1]


# --------------------------------------------------------------------------- index


@dataclass
class Cluster:
    """The mentions of one name in one row, across versions."""

    row: int
    mentions: list[Mention]

    @property
    def docs(self) -> list[str]:
        return list(dict.fromkeys(m.doc for m in self.mentions))


class NameIndex:
    """Every document's name mentions, their rows, and the row clusters of one story.

    ``docs`` are ``(id, lang, text, [(sentence id, start, end)], is_version)``; ``rows`` map
    each row index to ``{doc id: (sentence ids)}``.
    """

    def __init__(self, docs: Sequence[tuple[str, str, str, Sequence[tuple[int, int, int]], bool]],
                 rows: Sequence[dict[str, tuple[int, ...]]], glossary_terms: Sequence[str] = (),
                 min_similarity: float = 0.8) -> None:
        self.min_similarity = min_similarity
        self.langs = {d: lang_of(lang) for d, lang, *_ in docs}
        self.texts = {d: text for d, _, text, *_ in docs}
        self.versions = [d for d, *_, is_version in docs if is_version]
        self.context = [d for d, *_, is_version in docs if not is_version]
        self.glossary_terms = list(glossary_terms)
        self._sentence_spans = {d: list(spans) or [(-1, 0, len(text))] for d, _, text, spans, _ in docs}
        self._spans_by_id = {d: {i: (s0, s1) for i, s0, s1 in spans} for d, spans in self._sentence_spans.items()}
        first = {d: extract(text, lang, spans, d) for d, lang, text, spans, _ in docs}
        self.mentions = self._add_known(first)
        self.row_of: dict[tuple[str, int], int] = {}
        for k, cells in enumerate(rows):
            for d, ids in cells.items():
                for i in ids:
                    self.row_of[(d, i)] = k
        self.by_row: dict[int, dict[str, list[Mention]]] = defaultdict(lambda: defaultdict(list))
        for d in self.versions:
            for m in self.mentions[d]:
                k = self.row_of.get((d, m.sentence))
                if k is not None:
                    self.by_row[k][d].append(m)
        for k, cells in enumerate(rows):
            self._add_row_variants(k, cells)
        self.clusters: dict[int, list[Cluster]] = {k: self._cluster(k, cells) for k, cells in self.by_row.items()}
        self._buckets: dict[str, dict[str, list[Mention]]] = {d: defaultdict(list) for d in self.mentions}
        for d, ms in self.mentions.items():
            for m in ms:
                self._buckets[d][bucket(m.words)].append(m)

    # -- pass 2: names known from anywhere in the story
    def _add_known(self, first: dict[str, list[Mention]]) -> dict[str, list[Mention]]:
        known: dict[tuple[str, ...], bool] = {}
        for ms in first.values():
            for m in ms:
                strong = m.evidence in ("shape", "capital") or len(m.content) >= 2
                if strong and m.content:
                    known[m.words] = known.get(m.words, False) or any(has_shape(w) for w in m.text.split())
        out: dict[str, list[Mention]] = {}
        for d, ms in first.items():
            lang, text = self.langs[d], self.texts[d]
            found = list(ms)
            for sent, s0, s1 in self._sentence_spans[d]:
                toks = tokenize(text, s0, s1)
                shouting, _ = _sentence_style(toks)
                folded = [split_words(t.text) for t in toks]
                index: dict[str, list[int]] = defaultdict(list)
                for i, f in enumerate(folded):
                    if f:
                        index[f[0][:3]].append(i)
                for words, shaped in known.items():
                    for i in index.get(words[0][:3], ()):
                        n = self._match_len(words, folded, toks, i, lang)
                        t0 = toks[i]
                        if n and (t0.upper_initial or (shaped and zipf(t0.text, lang) < RARE_ZIPF)):
                            found.append(_mention(d, lang, text, toks[i:i + n], sent, "known", shouting))
            out[d] = _non_overlapping(found)
        return out

    @staticmethod
    def _match_len(words: tuple[str, ...], folded: list[tuple[str, ...]], toks: Sequence[Token], i: int,
                   lang: str) -> int:
        """Number of tokens from ``i`` that spell ``words`` (hyphenated tokens hold several)."""
        k, n = 0, 0
        while k < len(words):
            if i + n >= len(folded) or (n and not toks[i + n].joined):
                return 0
            f = folded[i + n]
            if len(f) > len(words) - k or not all(same_word(a, b, lang, "") for a, b in zip(f, words[k:k + len(f)])):
                return 0
            k += len(f)
            n += 1
        return n

    # -- pass 3: a name of the row, spelled close enough in a version where capitals said nothing
    def _add_row_variants(self, k: int, cells: dict[str, tuple[int, ...]]) -> None:
        row = self.by_row.get(k)
        if not row:
            return
        spans = self._spans_by_id
        for d in self.versions:
            ids = cells.get(d, ())
            if not ids:
                continue
            missing = [o for od, ms in list(row.items()) if od != d for o in ms
                       if len(o.key) >= 4 and not any(relation(v, o, self.min_similarity) for v in row.get(d, []))]
            if not missing:
                continue
            lang, text = self.langs[d], self.texts[d]
            added = []
            for i in ids:
                if i not in spans[d]:
                    continue
                toks = tokenize(text, *spans[d][i])
                for o in missing:
                    n = len(tokenize(o.text))
                    for size in {max(1, n - 1), n, n + 1}:
                        for a in range(len(toks) - size + 1):
                            win = toks[a:a + size]
                            if not (win[0].upper_initial or has_shape(win[0].text)):
                                continue
                            if any(not t.joined for t in win[1:]):
                                continue
                            w = text[win[0].start:win[-1].end]
                            if char_similarity(w, o.text) >= self.min_similarity:
                                added.append(_mention(d, lang, text, win, i, "row", False))
            if added:
                row[d] = _non_overlapping(row.get(d, []) + added)
                self.mentions[d] = _non_overlapping(self.mentions[d] + [m for m in row[d] if m.evidence == "row"])

    # -- clusters of a row
    def _cluster(self, k: int, cells: dict[str, list[Mention]]) -> list[Cluster]:
        nodes = [m for d in cells for m in cells[d]]
        parent = list(range(len(nodes)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        pos = {id(m): i for i, m in enumerate(nodes)}
        docs = list(cells)
        for ai, a_doc in enumerate(docs):
            for b_doc in docs[ai + 1:]:
                for a, b in self._mutual_best(cells[a_doc], cells[b_doc]):
                    parent[find(pos[id(a)])] = find(pos[id(b)])
        groups: dict[int, list[Mention]] = defaultdict(list)
        for i, m in enumerate(nodes):
            groups[find(i)].append(m)
        return [Cluster(k, sorted(g, key=lambda m: (self.versions.index(m.doc), m.start))) for g in groups.values()]

    def _mutual_best(self, xs: Sequence[Mention], ys: Sequence[Mention]) -> list[tuple[Mention, Mention]]:
        rel = {(i, j): r for i, x in enumerate(xs) for j, y in enumerate(ys)
               if (r := relation(x, y, self.min_similarity)) is not None}
        by_x: dict[int, list[int]] = defaultdict(list)
        by_y: dict[int, list[int]] = defaultdict(list)
        for i, j in rel:  # grouped once: linear in the pairs, not quadratic
            by_x[i].append(j)
            by_y[j].append(i)
        best_x = {i: max(js, key=lambda j: _rank(rel[(i, j)])) for i, js in by_x.items()}
        best_y = {j: max(ixs, key=lambda i: _rank(rel[(i, j)])) for j, ixs in by_y.items()}
        return [(xs[i], ys[j]) for i, j in best_x.items() if best_y.get(j) == i]

    # -- evidence
    def uses(self, doc: str, words: Sequence[str], lang: str = "") -> list[Mention]:
        """Mentions of ``doc`` equivalent to a name form."""
        return [m for m in self._buckets.get(doc, {}).get(bucket(words), []) if equivalent(m, words, "", lang)]

    def support(self, words: Sequence[str], lang: str = "") -> tuple[set[str], set[str], bool]:
        """Versions and context documents that use a form anywhere, and whether a do-not-translate
        glossary term is that form."""
        versions = {d for d in self.versions if self.uses(d, words, lang)}
        context = {d for d in self.context if self.uses(d, words, lang)
                   or contains_words(self.texts[d], words)}
        glossary = any(equivalent(split_words(t), words) for t in self.glossary_terms)
        return versions, context, glossary

    def other_langs(self, lang: str) -> list[str]:
        """Languages against which ``lang``'s words are judged native or foreign (English included)."""
        return [x for x in dict.fromkeys([*self.langs.values(), "en"]) if x != lang]

    def row_names_agree(self, k: int) -> bool:
        """True when the row holds names that every one of its versions writes the same way."""
        agreeing = [c for c in self.clusters.get(k, []) if len(c.docs) >= 2
                    and all(equivalent(m, c.mentions[0]) for m in c.mentions)]
        disagreeing = [c for c in self.clusters.get(k, []) if len(c.docs) >= 2
                       and not all(equivalent(m, c.mentions[0]) for m in c.mentions)]
        return bool(agreeing) and not disagreeing


def story_names(ctx: CheckContext) -> NameIndex:
    """The story's :class:`NameIndex` (versions, context documents, do-not-translate terms),
    built once per check context (``ctx.cached``)."""
    return ctx.cached(_name_index)


def _name_index(ctx: CheckContext) -> NameIndex:
    docs = [(d.id, d.lang, d.text, [(s.i, s.start, s.end) for s in d.sentences], role)
            for role, ds in ((True, ctx.documents), (False, ctx.context_documents)) for d in ds]
    dnt = [e.term for e in ctx.glossary if getattr(e, "dnt", False)]
    return NameIndex(docs, [r.cells for r in ctx.rows], dnt)


def contains_words(text: str, words: Sequence[str]) -> bool:
    """The folded text holds the words in sequence (word boundaries respected)."""
    return bool(words) and f" {' '.join(words)} " in _haystack(text)


@lru_cache(maxsize=256)
def _haystack(text: str) -> str:
    return " " + " ".join(split_words(text)) + " "


def _non_overlapping(ms: list[Mention]) -> list[Mention]:
    """Longest mentions first; drop any that overlaps one already kept."""
    kept: list[Mention] = []
    taken: set[int] = set()
    for m in sorted(ms, key=lambda m: (-(m.end - m.start), m.evidence == "known", m.start)):
        if taken.isdisjoint(range(m.start, m.end)):
            kept.append(m)
            taken.update(range(m.start, m.end))
    return sorted(kept, key=lambda m: m.start)


# --------------------------------------------------------------------------- slots and spans


@dataclass(frozen=True)
class Slot:
    """Where a version puts the name of a source: after a cue, via, in parentheses or quotes.

    ``ends`` are the token indices where the name may end (shortest first); ``tokens`` the
    tokens of the cell it was found in.
    """

    kind: str
    doc: str
    lang: str
    start: int  # token index of its first word
    ends: tuple[int, ...]
    tokens: tuple[Token, ...]

    def span(self, end: int) -> tuple[int, int]:
        return self.tokens[self.start].start, self.tokens[end].end

    def words(self, end: int, accents: bool = False) -> tuple[str, ...]:
        return tuple(w for t in self.tokens[self.start:end + 1] for w in split_words(t.text, accents))

    def choose(self, n_content: int) -> int:
        """The end whose span has the number of content words closest to ``n_content``."""
        return min(self.ends, key=lambda e: (abs(len(content_words(self.words(e))) - n_content),
                                             not self.tokens[e].upper_initial, e))

    def tight(self) -> int:
        """The longest end reached over capitalised words and connectors only."""
        best = self.ends[0]
        for e in self.ends:
            if all(t.upper_initial or t.low in CONNECTORS or t.low in CONNECTOR_ARTICLES
                   for t in self.tokens[self.start:e + 1]):
                best = e
        return best


def name_ends(toks: Sequence[Token], i: int, lang: str, limit: int = 10) -> list[int]:
    """Token indices where a name starting at ``i`` may end, following the language's naming
    grammar: capitalised words and connectors; lower-case words after a connector
    ("des nördlichen Tals"); in sentence-case languages lower-case words anywhere inside
    ("Réserve fédérale", "Courrier de la vallée du Nord") until a function word."""
    lang = lang_of(lang)
    ends = [i]
    j, after_connector = i + 1, False
    while j < len(toks) and j - i < limit and toks[j].joined:
        t = toks[j]
        k = _connector_run(toks, j)
        if k > j:
            after_connector = True
            j = k
            continue
        if t.upper_initial or has_shape(t.text):
            ends.append(j)
        elif lang in SENTENCE_CASE:
            if zipf(t.text, lang) >= FUNCTION_ZIPF or t.text.isdigit():
                break
            ends.append(j)
        elif not after_connector:
            break
        after_connector = False
        j += 1
    return ends


def _cue_table(lang: str) -> list[tuple[str, tuple[str, ...], bool]]:
    lang = lang_of(lang)
    table = [("source", tuple(t.low for t in tokenize(c)), False) for c in SOURCE_CUES.get(lang, ())]
    table += [(kind, tuple(t.low for t in tokenize(c)), False) for kind, cs in ANY_CUES.items() for c in cs]
    table += [("source", tuple(t.low for t in tokenize(c)), True) for c in POST_CUES.get(lang, ())]
    return table


def slots(text: str, start: int, end: int, lang: str, doc: str = "") -> list[Slot]:
    """Name slots of a cell: after attribution cues ("selon le X", "laut dem X", "via X"),
    before post-positions ("dem X zufolge"), in parentheses and in short quotes."""
    toks = tokenize(text, start, end)
    found: list[Slot] = []
    lows = [t.low for t in toks]
    for kind, cue, post in _cue_table(lang):
        for i in range(len(toks) - len(cue) + 1):
            if tuple(lows[i:i + len(cue)]) != cue or any(not toks[i + x].joined for x in range(1, len(cue))):
                continue
            if post:
                slot = _slot_before(toks, i, lang, doc)
            else:
                j = i + len(cue)
                while j < len(toks) and toks[j].joined and toks[j].low in DETERMINERS:
                    j += 1
                ok = j < len(toks) and (toks[j].joined or toks[j].gap.strip() in ("(", ":"))
                slot = _slot_at(kind, toks, j, lang, doc) if ok else None
            if slot:
                found.append(slot)
    found += _enclosed(text, toks, lang, doc)
    found.sort(key=lambda s: s.start)
    depth, inside = 0, []
    for t in toks:
        depth = max(0, depth + t.gap.count("(") - t.gap.count(")"))
        inside.append(depth > 0)
    out: list[Slot] = []
    for s in found:  # one slot per start; any slot in parentheses is of kind "paren" ("(via X)", "(über X)")
        if not any(o.start == s.start for o in out):
            out.append(Slot("paren", s.doc, s.lang, s.start, s.ends, s.tokens) if inside[s.start] else s)
    return out


def _slot_at(kind: str, toks: Sequence[Token], j: int, lang: str, doc: str) -> Slot | None:
    if j >= len(toks) or not (toks[j].upper_initial or has_shape(toks[j].text)):
        return None
    return Slot(kind, doc, lang_of(lang), j, tuple(name_ends(toks, j, lang)), tuple(toks))


def _slot_before(toks: Sequence[Token], cue: int, lang: str, doc: str) -> Slot | None:
    """The name that ends right before a post-positioned cue, started after a determiner."""
    for i in range(max(0, cue - 10), cue):
        if not toks[i].upper_initial or toks[i].low in DETERMINERS:
            continue
        before_ok = i == 0 or not toks[i].joined or toks[i - 1].low in DETERMINERS
        if before_ok and cue - 1 in name_ends(toks, i, lang) and toks[cue].joined:
            return Slot("source", doc, lang_of(lang), i, (cue - 1,), tuple(toks))
    return None


def _enclosed(text: str, toks: Sequence[Token], lang: str, doc: str, limit: int = 8) -> list[Slot]:
    """Slots in parentheses and in short quotes (whole content, up to ``limit`` words)."""
    out = []
    for i0, t0 in enumerate(toks):
        opener = t0.gap.rstrip()[-1:]
        if not opener or opener not in ("(", *_OPEN_QUOTES):
            continue
        i = i0  # "(über X)", "(par X)": up to two lower-case words before the name
        while i < min(len(toks), i0 + 2) and toks[i].text[:1].islower() and toks[i + 1:i + 2] and toks[i + 1].joined:
            i += 1
        t = toks[i]
        if not (t.upper_initial or has_shape(t.text)):
            continue
        closer = ")" if opener == "(" else _CLOSE_QUOTES
        for j in range(i, min(len(toks), i + limit)):
            after = text[toks[j].end:toks[j + 1].start if j + 1 < len(toks) else toks[j].end + 2].strip()
            if after:
                if after[0] in closer:
                    out.append(Slot("paren" if opener == "(" else "quote", doc, lang_of(lang), i, (j,), tuple(toks)))
                break
    return out


def name_spans(text: str, start: int, end: int, lang: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Every name-like span of a cell: from a capitalised word to each place a name may end
    (see :func:`name_ends`); ``(start, end, case-folded words)``."""
    toks = tokenize(text, start, end)
    out = []
    for i, t in enumerate(toks):
        if not t.upper_initial:
            continue
        for e in name_ends(toks, i, lang):
            words = tuple(w for x in toks[i:e + 1] for w in split_words(x.text, accents=True))
            out.append((t.start, toks[e].end, words))
    return out


# --------------------------------------------------------------------------- similarity


def calibrated(embed: Callable[[Sequence[str]], np.ndarray], queries: Sequence[str], candidates: Sequence[str],
               background: Sequence[str]) -> np.ndarray:
    """Similarity of each query to each candidate as a robust z-score over the query's
    similarities to ``background`` strings: ``(cos - median) / (1.4826 * MAD + 0.005)``.

    Encoders spread cosines very differently (e5 packs unrelated phrases at 0.85-0.9, USE at
    0.1-0.3); the z-score makes one threshold mean the same for both.
    """
    if not queries or not candidates:
        return np.zeros((len(queries), len(candidates)), dtype=np.float32)
    q = embed(list(queries))
    c = embed(list(candidates))
    bg = embed(list(background)) if background else c
    sims = q @ c.T
    base = q @ bg.T
    med = np.median(base, axis=1, keepdims=True)
    mad = np.median(np.abs(base - med), axis=1, keepdims=True)
    return (sims - med) / (1.4826 * mad + 0.005)
