"""Name candidates in one text: tokens with their case evidence, joined into mentions."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from xlingo.language import primary_language, title_cased, zipf
from xlingo.names.words import (
    CONNECTOR_ARTICLES,
    CONNECTORS,
    ELISION_RE,
    ELISIONS,
    NOUN_CAPITALISING,
    WORD_RE,
    base_zipf,
    content_words,
    is_latin,
    split_words,
)
from xlingo.segment import word_units

RARE_ZIPF = 3.0  # below this a capitalised word is a name candidate even where capitals say little
KNOWN_ZIPF = 2.0  # a word this common in its language is one of its words...
NATIVE_GAP = 2.0  # ...when it is this much (Zipf) rarer in English, where names travel
INITIAL_JOIN_ZIPF = 4.5  # a sentence-initial word rarer than this joins the name that follows it

_PART = re.compile(r"[^-‐]+")  # hyphenated words are split: "H20-Chips" -> "H20", "Chips"
_INITIAL_GAP = re.compile(r"[.!?:;«»“”„\"—–•\n]")

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
    out of the word. Memoised: a story's rules tokenize the same sentences several times."""
    return list(_tokenized(text, start, len(text) if end is None else end))


@lru_cache(maxsize=2048)  # the sentences of the stories in flight (16 at a time), a few times each
def _tokenized(text: str, start: int, end: int) -> tuple[Token, ...]:
    out: list[Token] = []
    prev = start
    for m in WORD_RE.finditer(text, start, end):
        s, e, w = m.start(), m.end(), m.group()
        pieces: list[tuple[int, int]] = []
        el = ELISION_RE.match(w)
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
    return tuple(out)


@lru_cache(maxsize=65536)
def letters(text: str) -> str:
    """The letters of ``text``, nothing else."""
    return "".join(c for c in text if c.isalpha())


def has_shape(word: str) -> bool:
    """Internal capitals (``iPhone``, ``GitHub``), letters with digits (``H20``, ``A380``) or an
    acronym (``ACME``): a name whatever the language."""
    alpha = letters(word)
    if any(c.isdigit() for c in word):
        return len(word) >= 2 and word[0].isalpha() and any(c.isupper() for c in alpha)
    if len(alpha) < 2:
        return False
    if alpha.isupper():
        return True
    return any(re.search(r"[a-zß-ÿ][A-ZÀ-Þ]", part) for part in re.split(r"[-‐'’.&]", word))  # linear


def sentence_style(toks: Sequence[Token]) -> tuple[bool, bool]:
    """(shouting, title case) of a sentence's tokens: capitals uninformative in both."""
    words = [t.text for t in toks if len(letters(t.text)) >= 2]
    if len(words) < 3:
        return False, False
    caps = sum(letters(w).isupper() for w in words)
    return caps >= 0.8 * len(words), title_cased(words)


def token_evidence(tok: Token, lang: str, case_informative: bool, shouting: bool) -> str | None:
    """Why a token is part of a name: ``shape``, ``capital`` (mid-sentence capital where
    common nouns are lower-case), ``rare`` (capitalised, rare in the language, and, where its
    capital says nothing in a language that capitalises names only, no form of its own) or None."""
    if not shouting and has_shape(tok.text):
        return "shape"
    if len(letters(tok.text)) < 2:
        return None
    if not tok.upper_initial or shouting:
        return None
    if case_informative and not tok.initial:
        return "capital"
    z = base_zipf(tok.text, lang)
    return "rare" if z < RARE_ZIPF and not (case_informative and _native_word(tok.text, lang, z)) else None


def _native_word(word: str, lang: str, z: float) -> bool:
    """A word of Latin letters known in ``lang`` (Zipf ``z`` at least :data:`KNOWN_ZIPF`) and
    :data:`NATIVE_GAP` rarer in English: a form of the language's own, rare as a form
    (``Uśmiechając``, *smiling*; ``Encharcados``, *soaked*), where a name, kept across
    languages, is known in English too (``Holloway``)."""
    return z >= KNOWN_ZIPF and is_latin(word) and z - zipf(word.lower(), "en") >= NATIVE_GAP


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


def mention_of(doc: str, lang: str, text: str, toks: Sequence[Token], sent: int, evidence: str,
             shouting: bool) -> Mention:
    s, e = toks[0].start, toks[-1].end
    return Mention(doc, lang, s, e, text[s:e], sent, evidence, toks[0].initial, shouting, split_words(text[s:e]))


def connector_run(toks: Sequence[Token], j: int) -> int:
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
    of German count only when rare or shaped like a name; :class:`~xlingo.names.index.NameIndex` adds the rest.
    """
    lang = primary_language(lang)
    out: list[Mention] = []
    for sent, s0, s1 in spans or [(-1, 0, len(text))]:
        toks = tokenize(text, s0, s1)
        shouting, title = sentence_style(toks)
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
                k = connector_run(toks, j)  # not "Keller du SEFRI": an acronym after "of" is another name
                if (k > j and k < len(toks) and toks[k].joined and ev[k] and toks[k].upper_initial
                        and not toks[k].text.isupper()):
                    run.extend(range(j, k + 1))
                    j = k + 1
                    continue
                break
            best = min(("shape", "capital", "rare").index(ev[r]) for r in run if ev[r])
            out.append(mention_of(doc, lang, text, toks[run[0]:run[-1] + 1], sent,
                                ("shape", "capital", "rare")[best], shouting))
            i = j
    return out

