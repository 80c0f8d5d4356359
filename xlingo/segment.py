"""Stage 2, segment: split each document into sentences with character offsets.

Sentence boundaries come from sentencex (rule-based, ~300 languages); every
paragraph break is a boundary too. With ``presplit`` each non-empty line is
one sentence, and sentence ids are line numbers (0-based), as aligners' users
expect of pre-segmented input.
"""
from __future__ import annotations

import re

import sentencex

from xlingo.model import Document, Sentence

_NONSPACE = re.compile(r"\S")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink ``[start, end)`` to exclude surrounding whitespace; None if blank."""
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return None
    lead = len(chunk) - len(chunk.lstrip())
    return start + lead, start + lead + len(stripped)


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: paragraphs first, then sentencex inside each."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        if para.strip():
            for b in sentencex.get_sentence_boundaries(lang.split("-")[0], para):
                span = _trimmed(text, pos + b["start_index"], pos + b["end_index"])
                if span:
                    spans.append(span)
        pos += len(para) + 1
    return spans


def split_lines(text: str) -> list[tuple[int, int] | None]:
    """One span per line (None for blank lines), for pre-segmented input."""
    spans: list[tuple[int, int] | None] = []
    pos = 0
    for line in text.split("\n"):
        spans.append(_trimmed(text, pos, pos + len(line)))
        pos += len(line) + 1
    if spans and spans[-1] is None and text.endswith("\n"):
        spans.pop()
    return spans


def segment(doc: Document, presplit: bool = False) -> Document:
    """Fill ``doc.sentences`` in place and return the document."""
    if presplit:
        doc.sentences = [Sentence(i, s, e, doc.text[s:e]) for i, span in enumerate(split_lines(doc.text))
                         if span is not None for s, e in [span]]
    else:
        doc.sentences = [Sentence(i, s, e, doc.text[s:e]) for i, (s, e) in enumerate(split_sentences(doc.text, doc.lang))]
    return doc
