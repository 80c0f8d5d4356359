"""The objects that flow through the pipeline: documents and their sentences.

Offsets are always character offsets into ``Document.text``, the text exactly
as decoded from the user's file (newlines normalised to ``\\n``).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Sentence:
    """One segment of a document: ``text == document.text[start:end]``."""

    i: int
    start: int
    end: int
    text: str


@dataclass
class Document:
    """One language version of a story (or a context document)."""

    id: str
    path: str
    text: str
    lang: str = "und"
    title: str | None = None
    sentences: list[Sentence] = field(default_factory=list)

    def span_text(self, start: int, end: int) -> str:
        """The text between two character offsets."""
        return self.text[start:end]

    def sentence(self, i: int) -> Sentence:
        """The sentence with id ``i`` (ids are positions, or line numbers with ``presplit``)."""
        if i < len(self.sentences) and self.sentences[i].i == i:
            return self.sentences[i]
        for s in self.sentences:
            if s.i == i:
                return s
        raise KeyError(i)

    def sentences_span(self, ids: tuple[int, ...] | list[int]) -> tuple[int, int]:
        """Character span covering the given (contiguous) sentence ids."""
        if not ids:
            raise ValueError("empty sentence id list")
        return self.sentence(min(ids)).start, self.sentence(max(ids)).end
