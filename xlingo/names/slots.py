"""Where a version puts a name (after a cue, in parentheses or quotes) and how alike two renderings mean."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from xlingo.language import primary_language, zipf
from xlingo.names.mentions import Token, connector_run, has_shape, tokenize
from xlingo.names.words import CONNECTOR_ARTICLES, CONNECTORS, DETERMINERS, SENTENCE_CASE, content_words, split_words
from xlingo.stats import MAD_TO_SIGMA

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

FUNCTION_ZIPF = 5.8  # above this a lower-case word ends a sentence-case name (articles, auxiliaries)

_OPEN_QUOTES = "«“„\"‘‹"
_CLOSE_QUOTES = "»”“\"’›"

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
    lang = primary_language(lang)
    ends = [i]
    j, after_connector = i + 1, False
    while j < len(toks) and j - i < limit and toks[j].joined:
        t = toks[j]
        k = connector_run(toks, j)
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


@lru_cache(maxsize=256)
def _cue_table(lang: str) -> tuple[tuple[str, tuple[str, ...], bool], ...]:
    """The cues of ``lang`` as lower-cased word tuples (built once per language)."""
    lang = primary_language(lang)
    table = [("source", tuple(t.low for t in tokenize(c)), False) for c in SOURCE_CUES.get(lang, ())]
    table += [(kind, tuple(t.low for t in tokenize(c)), False) for kind, cs in ANY_CUES.items() for c in cs]
    table += [("source", tuple(t.low for t in tokenize(c)), True) for c in POST_CUES.get(lang, ())]
    return tuple(table)


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
    return Slot(kind, doc, primary_language(lang), j, tuple(name_ends(toks, j, lang)), tuple(toks))


def _slot_before(toks: Sequence[Token], cue: int, lang: str, doc: str) -> Slot | None:
    """The name that ends right before a post-positioned cue, started after a determiner."""
    for i in range(max(0, cue - 10), cue):
        if not toks[i].upper_initial or toks[i].low in DETERMINERS:
            continue
        before_ok = i == 0 or not toks[i].joined or toks[i - 1].low in DETERMINERS
        if before_ok and cue - 1 in name_ends(toks, i, lang) and toks[cue].joined:
            return Slot("source", doc, primary_language(lang), i, (cue - 1,), tuple(toks))
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
                    out.append(Slot("paren" if opener == "(" else "quote", doc, primary_language(lang), i, (j,), tuple(toks)))
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
    vecs = embed([*queries, *candidates, *background])  # one request: a batched service waits once, not three times
    q, c = vecs[:len(queries)], vecs[len(queries):len(queries) + len(candidates)]
    bg = vecs[len(queries) + len(candidates):] if background else c
    sims = q @ c.T
    base = q @ bg.T
    med = np.median(base, axis=1, keepdims=True)
    mad = np.median(np.abs(base - med), axis=1, keepdims=True)
    return (sims - med) / (MAD_TO_SIGMA * mad + 0.005)
