"""Synthetic divergences over multi-way parallel news, with exact labels.

In the spirit of Divergent mBERT (Briakou & Carpuat 2020): one version of a row is changed so
that its meaning no longer matches the others', and the changed characters are known:

- ``replace``: a phrase (1-4 words) replaced by a phrase of another sentence of the same story
  and language (covers lexical substitution and phrase replacement);
- ``insert``: a phrase (2-5 words) of another sentence inserted between two words;
- ``delete``: a stretch of 2-7 words removed (the other versions' counterparts of it lose
  their partner; labelled through the clean word alignment when features are built);
- ``number``: a number's value changed;
- ``entity``: a name (capitalised, not first) replaced by a name from another story;
- ``substitute``: one content word replaced by another word of the same story and language with
  a similar frequency and, where one exists, the same ending (the same inflection: a verb by a
  verb of the same tense, a noun by a noun), so that only the meaning changes - the lexical
  substitution of Divergent mBERT, which a phrase from another sentence (``replace``) rarely
  resembles: the sentence stays fluent and the word's context pulls its contextual state
  towards the original's counterparts.

Unspaced scripts (Chinese, Japanese) use characters as units. Every choice comes from a
``numpy`` generator seeded per row, so the suite is the same on every run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from xlingo.annotate.wordalign import split_words
from xlingo.language import zipf

KINDS = ("replace", "insert", "delete", "number", "entity", "substitute")
UNSPACED = {"zh", "ja"}


@dataclass(frozen=True)
class Perturbation:
    """One changed version of row ``row``: the new text, and character spans."""

    row: int
    lang: str
    kind: str
    clean: str
    text: str
    new: tuple[int, int]  # characters of ``text`` that are new (empty span for a deletion)
    removed: tuple[int, int]  # characters of ``clean`` that are gone (empty span for an insertion)


def units(text: str, lang: str) -> list[tuple[int, int]]:
    """Word spans (characters for unspaced scripts)."""
    if lang in UNSPACED:
        return [(i, i + 1) for i, c in enumerate(text) if c.isalnum()]
    return [(w.start, w.end) for w in split_words(text)]


def _phrase(text: str, lang: str, rng: np.random.Generator, lo: int, hi: int) -> str | None:
    us = units(text, lang)
    if len(us) < lo:
        return None
    n = int(rng.integers(lo, min(hi, len(us)) + 1))
    i = int(rng.integers(0, len(us) - n + 1))
    return text[us[i][0]:us[i + n - 1][1]]


def _names(text: str) -> list[tuple[int, int]]:
    ws = split_words(text)
    return [(w.start, w.end) for k, w in enumerate(ws)
            if k > 0 and len(w.text) > 2 and w.text[0].isupper() and w.text[1:].islower()]


def _content_words(text: str, lang: str) -> list[tuple[int, int]]:
    """Spans of lower-case words of four letters or more that carry meaning (zipf below 5.5:
    not a function word)."""
    return [(w.start, w.end) for w in split_words(text)
            if len(w.text) >= 4 and w.text.isalpha() and w.text.islower() and zipf(w.text, lang) < 5.5]


def _substitute(text: str, lang: str, donors: list[str], rng: np.random.Generator) -> tuple[int, int, str] | None:
    """A content word of ``text`` and the donor word that replaces it: same ending where the
    donors have one (the inflection), frequency within one zipf unit."""
    spots = _content_words(text, lang)
    if not spots or lang in UNSPACED:
        return None
    a, b = spots[int(rng.integers(len(spots)))]
    old = text[a:b]
    f = zipf(old, lang)
    pool = sorted({text_[x:y] for text_ in donors for x, y in _content_words(text_, lang)} - {old})
    pool = [w for w in pool if abs(zipf(w, lang) - f) <= 1.0 and w[:4] != old[:4] and w not in text]
    same_ending = [w for w in pool if w[-2:] == old[-2:]]
    pool = same_ending or pool
    if not pool:
        return None
    return a, b, pool[int(rng.integers(len(pool)))]


def perturb(row: int, lang: str, text: str, donors: list[str], names: list[str], kind: str,
            rng: np.random.Generator) -> Perturbation | None:
    """One perturbation of ``text`` of the given kind (None when it does not apply)."""
    sep = "" if lang in UNSPACED else " "
    us = units(text, lang)
    if len(us) < 4:
        return None
    if kind in ("replace", "insert"):
        donor = donors[int(rng.integers(len(donors)))] if donors else ""
        phrase = _phrase(donor, lang, rng, 1 if kind == "replace" else 2, 4 if kind == "replace" else 5)
        if not phrase:
            return None
        if kind == "replace":
            n = int(rng.integers(1, min(4, len(us) - 2) + 1))
            i = int(rng.integers(0, len(us) - n + 1))
            a, b = us[i][0], us[i + n - 1][1]
            if text[a:b].casefold() == phrase.casefold():
                return None
            new = text[:a] + phrase + text[b:]
            return Perturbation(row, lang, kind, text, new, (a, a + len(phrase)), (a, b))
        i = int(rng.integers(1, len(us)))
        a = us[i][0]
        new = text[:a] + phrase + sep + text[a:]
        return Perturbation(row, lang, kind, text, new, (a, a + len(phrase)), (a, a))
    if kind == "delete":
        n = int(rng.integers(2, min(7, len(us) - 2) + 1))
        i = int(rng.integers(0, len(us) - n + 1))
        a, b = us[i][0], us[i + n - 1][1]
        while b < len(text) and text[b] == " ":
            b += 1
        new = text[:a] + text[b:]
        return Perturbation(row, lang, kind, text, new, (a, a), (a, b))
    if kind == "substitute":
        found = _substitute(text, lang, donors, rng)
        if found is None:
            return None
        a, b, word = found
        return Perturbation(row, lang, kind, text, text[:a] + word + text[b:], (a, a + len(word)), (a, b))
    if kind == "number":
        nums = [m for m in re.finditer(r"\d+", text)]
        if not nums:
            return None
        m = nums[int(rng.integers(len(nums)))]
        old = m.group()
        for _ in range(10):
            digits = list(old)
            k = int(rng.integers(len(digits)))
            digits[k] = str((int(digits[k]) + int(rng.integers(1, 10))) % 10)
            value = "".join(digits)
            if value != old and not (len(value) > 1 and value[0] == "0"):
                break
        else:
            return None
        new = text[:m.start()] + value + text[m.end():]
        return Perturbation(row, lang, kind, text, new, (m.start(), m.start() + len(value)), (m.start(), m.end()))
    if kind == "entity":
        spots = _names(text)
        if not spots or not names:
            return None
        a, b = spots[int(rng.integers(len(spots)))]
        name = names[int(rng.integers(len(names)))]
        if name == text[a:b] or name in text:
            return None
        new = text[:a] + name + text[b:]
        return Perturbation(row, lang, kind, text, new, (a, a + len(name)), (a, b))
    raise ValueError(kind)


def build(lines: dict[str, list[str]], docs: list[str], per_row: int = 2, seed: int = 13) -> list[Perturbation]:
    """``per_row`` perturbations per row, each of another language (chosen with the kind by a
    generator seeded with ``seed`` and the row number)."""
    langs = sorted(lines)
    by_doc: dict[str, list[int]] = {}
    for k, d in enumerate(docs):
        by_doc.setdefault(d, []).append(k)
    names = {lang: sorted({lines[lang][k][a:b] for k in range(len(docs)) for a, b in _names(lines[lang][k])})
             for lang in langs if lang not in UNSPACED}
    out: list[Perturbation] = []
    for k, d in enumerate(docs):
        rng = np.random.default_rng([seed, k])
        chosen = rng.permutation(len(langs))[:per_row]
        for x in chosen:
            lang = langs[int(x)]
            text = lines[lang][k]
            donors = [lines[lang][j] for j in by_doc[d] if j != k]
            other_names = [n for n in names.get(lang, []) if n not in text]
            for kind in rng.permutation(KINDS):
                p = perturb(k, lang, text, donors, other_names, str(kind), rng)
                if p is not None:
                    out.append(p)
                    break
    return out
