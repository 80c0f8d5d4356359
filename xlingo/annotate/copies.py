"""Annotator "copies": sentences copied verbatim from a version in another language.

Each sentence is compared with its counterparts in the other versions of its row (case-folded,
punctuation ignored); language identification of the shared text tells which version holds the
copy. XL402 reports the copies and XL401 leaves the clear ones alone; the options are XL402's.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations

from xlingo.annotate.context import CheckContext
from xlingo.language import language_probabilities, primary_language
from xlingo.model import Document, Sentence

OPTIONS = {"min_ratio": 0.9, "min_words": 3.0, "min_word_share": 0.4, "lang_margin": 0.3}
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Copy:
    """A sentence that is a copy of its counterpart in ``source``."""

    row: int
    source: str  # the version it was copied from
    certain: bool  # the text is in the source's language (else in neither: both hold a copy)


def is_plain_word(word: str) -> bool:
    """An ordinary word: not an acronym (``UN``) nor a brand with inner capitals (``iPhone``)."""
    return not (len(word) > 1 and (word.isupper() or any(c.isupper() for c in word[1:])))


def lowercase_words(text: str) -> int:
    """Words that are neither names, acronyms nor codes (start lowercase, no inner capitals)."""
    return sum(1 for w in WORD.findall(text) if w[0].islower() and is_plain_word(w))


def candidate_langs(ctx: CheckContext) -> list[str]:
    """Languages a sentence of the story may be in: the versions', the context's and English."""
    return sorted({"en", *(primary_language(d.lang) for d in (*ctx.documents, *ctx.context_documents))} - {"und"})


def content_sentences(ctx: CheckContext, k: int, doc: Document) -> list[Sentence]:
    """A document's sentences in row ``k`` that are not boilerplate."""
    return [s for s in ctx.row_sentences(k, doc) if (doc.id, s.i) not in ctx.boilerplate]


def find_copies(ctx: CheckContext, options: dict[str, float] | None = None) -> None:
    """Fill ``ctx.copies``: every sentence copied from another language's version."""
    opts = {**OPTIONS, **(options or {})}
    flagged: dict[tuple[str, int], Copy] = {}

    def flag(doc: Document, sents: list[Sentence], k: int, source: Document, certain: bool) -> None:
        for s in sents:
            old = flagged.get((doc.id, s.i))
            if old is None or certain and not old.certain:
                flagged[(doc.id, s.i)] = Copy(k, source.id, certain)

    langs = candidate_langs(ctx)
    for k, _ in ctx.content_rows():
        docs = [d for d in ctx.documents if content_sentences(ctx, k, d)]
        for a, b in combinations(docs, 2):
            la, lb = primary_language(a.lang), primary_language(b.lang)
            if la == lb:
                continue
            for sa, sb in _matches(_units(content_sentences(ctx, k, a)), _units(content_sentences(ctx, k, b)), opts):
                probs = language_probabilities(" ".join(s.text for s in sa), langs)
                pa, pb = probs.get(la, 0.0), probs.get(lb, 0.0)
                top = max(probs, key=probs.__getitem__)
                if top == la and pa - pb >= opts["lang_margin"]:
                    flag(b, sb, k, a, True)
                elif top == lb and pb - pa >= opts["lang_margin"]:
                    flag(a, sa, k, b, True)
                else:  # the text is in neither language: both hold a copy of it
                    flag(a, sa, k, b, False)
                    flag(b, sb, k, a, False)
    ctx.copies.update(sorted(flagged.items(), key=lambda x: (x[1].row, x[0])))


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def _matches(units_a: list[list[Sentence]], units_b: list[list[Sentence]], opts: dict[str, float]
             ) -> Iterator[tuple[list[Sentence], list[Sentence]]]:
    """Pairs of units (a sentence or a whole cell) that are copies of each other."""
    for ua in units_a:
        text = " ".join(s.text for s in ua)
        n = lowercase_words(text)
        ta = _tokens(text)
        if n < opts["min_words"] or n < opts["min_word_share"] * len(ta):
            continue  # names, numbers and codes read the same everywhere
        for ub in units_b:
            if len(ua) > 1 and len(ub) > 1:
                continue  # two whole cells: their sentences are compared one by one
            tb = _tokens(" ".join(s.text for s in ub))
            if SequenceMatcher(None, ta, tb, autojunk=False).ratio() >= opts["min_ratio"]:
                yield ua, ub
                break


def _units(sents: list[Sentence]) -> list[list[Sentence]]:
    """Each sentence of a cell alone, then the whole cell when it holds several."""
    return [[s] for s in sents] + ([sents] if len(sents) > 1 else [])
