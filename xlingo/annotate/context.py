"""What the annotators and rules of one story work on: the story, its encoder services and the
typed annotations the annotators write (rules only read them)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from xlingo.embed.base import EmbedFn
from xlingo.model import Document, Finding, Row, Sentence, Severity, Span, Story

if TYPE_CHECKING:
    from xlingo.annotate.boilerplate import BoilerplateBlock
    from xlingo.annotate.copies import Copy
    from xlingo.annotate.meaning import MeaningModel
    from xlingo.annotate.rows import RowModel
    from xlingo.annotate.words import WordAnalysis

T = TypeVar("T")


@dataclass
class CheckContext:
    """One story as annotators and rules see it.

    The services (``embed``, ``second_embed``, ``token_states``, ``sentence_vectors``, ``glossary``,
    ``meaning_model``, ``row_model``) come from the engine; the annotation fields below are written by the annotators of
    :mod:`xlingo.annotate` (each names the annotator that fills it) before any rule runs.
    """

    story: Story
    embed: EmbedFn
    sentence_vectors: dict[tuple[str, int], np.ndarray] = field(default_factory=dict)
    glossary: list = field(default_factory=list)
    token_states: Callable | None = None  # encoder token states, for span-level annotators
    meaning_model: MeaningModel | None = None  # None: the shipped one (benchmarks pass cross-validated ones)
    row_model: RowModel | None = None  # the row score's model; None: the shipped one (likewise)
    second_embed: EmbedFn | None = None  # the row model's second encoder (None: its features count at their mean)
    # --- annotations ------------------------------------------------------------------------
    boilerplate: set[tuple[str, int]] = field(default_factory=set)  # "boilerplate": (doc id, sentence id)
    boilerplate_blocks: list[BoilerplateBlock] = field(default_factory=list)  # "boilerplate"
    copies: dict[tuple[str, int], Copy] = field(default_factory=dict)  # "copies": copied sentences
    words: WordAnalysis | None = None  # "words": word alignment and span events (None: no token states)
    margins: list[dict[tuple[str, str], float]] | None = None  # "margins": per row, per pair of versions
    cosines: list[dict[tuple[str, str], float]] | None = None  # "margins": the same pairs' plain cosines
    second_cosines: list[dict[tuple[str, str], float]] | None = None  # "margins": the same under ``second_embed``
    annotated: set[str] = field(default_factory=set)  # names of the annotators that ran
    _memo: dict[tuple, Any] = field(default_factory=dict, repr=False)

    @property
    def documents(self) -> list[Document]:
        return self.story.documents

    @property
    def context_documents(self) -> list[Document]:
        return self.story.context

    @property
    def rows(self) -> list[Row]:
        return self.story.alignment

    def cached(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(self, *args)``, computed once per story: a derived value several rules share.

        ``fn`` must be a pure function of the story and ``args`` (no rule's state), so the
        result never depends on which rules ran before.
        """
        key = (fn, *args)
        if key not in self._memo:
            self._memo[key] = fn(self, *args)
        return self._memo[key]

    def row_sentences(self, row: int | Row, doc: str | Document) -> list[Sentence]:
        """The sentences a document holds in a row (empty if none)."""
        r = self.rows[row] if isinstance(row, int) else row
        d = self.story.document(doc) if isinstance(doc, str) else doc
        return [d.sentence(i) for i in r.cells.get(d.id, ())]

    def row_span(self, row: int | Row, doc: str | Document) -> tuple[int, int] | None:
        """Character span of a document's cell in a row, or None for an empty cell."""
        sents = self.row_sentences(row, doc)
        return (sents[0].start, sents[-1].end) if sents else None

    def row_text(self, row: int | Row, doc: str | Document) -> str:
        """Text of a document's cell in a row (``""`` for an empty cell)."""
        span = self.row_span(row, doc)
        d = self.story.document(doc) if isinstance(doc, str) else doc
        return d.text[span[0]:span[1]] if span else ""

    def is_boilerplate(self, doc: str, ids: Iterable[int]) -> bool:
        """True when every given sentence of ``doc`` was marked as boilerplate."""
        ids = list(ids)
        return bool(ids) and all((doc, i) in self.boilerplate for i in ids)

    def content_documents(self, row: int | Row) -> list[Document]:
        """The documents whose cell in a row holds a sentence that is not boilerplate, in story order."""
        r = self.rows[row] if isinstance(row, int) else row
        return [d for d in self.documents if r.cells.get(d.id) and not self.is_boilerplate(d.id, r.cells[d.id])]

    def content_rows(self) -> Iterator[tuple[int, Row]]:
        """Rows with at least one sentence that is not boilerplate."""
        for k, row in enumerate(self.rows):
            if any(not self.is_boilerplate(d, ids) for d, ids in row.cells.items() if ids):
                yield k, row

    def compared_rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Content rows with at least two versions: row index and each version's cell text."""
        for k, row in self.content_rows():
            texts = {d.id: self.row_text(k, d) for d in self.content_documents(row)}
            if len(texts) >= 2:
                yield k, texts

    def span(self, doc: str | Document, start: int, end: int) -> Span:
        """A :class:`Span` of a document, text filled in."""
        d = self.story.document(doc) if isinstance(doc, str) else doc
        return Span(d.id, d.lang, start, end, d.text[start:end])

    def finding(self, rule: Any, doc: str | Document, start: int, end: int, message: str, *,
                row: int | None = None, related: Sequence[Span] = (), suggestion: str | None = None,
                severity: Severity | None = None) -> Finding:
        """Build a finding of ``rule`` (its code and default severity) with text and language filled in."""
        if severity is not None and severity not in rule.severities():
            raise ValueError(f"{rule.code}: severity {severity.value} is not one of its documented levels "
                             f"({', '.join(s.value for s in rule.severities())}); add it to {type(rule).__name__}.levels")
        d = self.story.document(doc) if isinstance(doc, str) else doc
        return Finding(rule=rule.code, severity=severity or rule.severity, message=message, doc=d.id,
                       lang=d.lang, start=start, end=end, text=d.text[start:end], row=row,
                       related=tuple(related), suggestion=suggestion)
