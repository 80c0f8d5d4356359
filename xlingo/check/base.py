"""Stage 5, check: pluggable rules with stable codes, default severities and docs.

A rule is a class with a code (``XL101``), a name, a default severity, tunable
``options`` and a docstring in four parts (*What it does*, *Why is this bad?*,
*Example*, *Use instead*) that becomes its documentation page. Rules see one
story at a time through a :class:`CheckContext`: the aligned documents, their
sentence embeddings, the context documents and the glossary.
"""
from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from xlingo.model import Document, Finding, Row, Sentence, Severity, Span, Story


class Rule:
    """Base class of every check. Subclasses set the class variables and ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    options: ClassVar[dict[str, float]] = {}
    # graded rules: every severity the evidence may give, and when (the catalogue severity among them);
    # a finding at any other severity is a bug (see :meth:`CheckContext.finding`)
    levels: ClassVar[dict[Severity, str]] = {}
    phase: ClassVar[int] = 10  # lower runs first; phase 0 rules mark segments for the others

    def __init__(self, options: dict[str, float] | None = None) -> None:
        self.opts = {**self.options, **(options or {})}

    def check(self, ctx: CheckContext) -> Iterable[Finding]:  # pragma: no cover - interface
        raise NotImplementedError

    @classmethod
    def severities(cls) -> list[Severity]:
        """The severities the rule can give, highest first."""
        return sorted(cls.levels or [cls.severity], reverse=True)

    @classmethod
    def doc(cls) -> str:
        """The rule's documentation: its docstring, dedented, and for a graded rule its levels."""
        text = inspect.cleandoc(cls.__doc__ or "")
        if cls.levels:
            text += "\n\n## Severity\n" + "\n".join(
                f"- **{sev.value}**{' (catalogue)' if sev == cls.severity else ''}: {cls.levels[sev]}"
                for sev in cls.severities())
        return text


RULES: dict[str, type[Rule]] = {}
_CODE = re.compile(r"^XL\d{3}$")


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the catalogue under its stable code."""
    if not _CODE.match(cls.code):
        raise ValueError(f"bad rule code {cls.code!r}")
    if cls.code in RULES and RULES[cls.code] is not cls:
        raise ValueError(f"duplicate rule code {cls.code}")
    for part in ("What it does", "Why is this bad?", "Example", "Use instead"):
        if part not in (cls.__doc__ or ""):
            raise ValueError(f"{cls.code}: docstring lacks the section {part!r}")
    if cls.levels and cls.severity not in cls.levels:
        raise ValueError(f"{cls.code}: levels must say when the catalogue severity {cls.severity.value} applies")
    RULES[cls.code] = cls
    return cls


def all_rules() -> list[type[Rule]]:
    """Every registered rule, by code."""
    import xlingo.check.rules  # noqa: F401  (registers the built-in rules)

    return [RULES[c] for c in sorted(RULES)]


EmbedFn = Callable[[Sequence[str]], np.ndarray]


@dataclass
class CheckContext:
    """What a rule sees of one story."""

    story: Story
    embed: EmbedFn
    sentence_vectors: dict[tuple[str, int], np.ndarray] = field(default_factory=dict)
    glossary: list = field(default_factory=list)
    token_states: Callable | None = None  # encoder token states, for span-level rules
    boilerplate: set[tuple[str, int]] = field(default_factory=set)  # (doc id, sentence id)
    notes: dict[str, object] = field(default_factory=dict)  # shared results between rules

    @property
    def documents(self) -> list[Document]:
        return self.story.documents

    @property
    def context_documents(self) -> list[Document]:
        return self.story.context

    @property
    def rows(self) -> list[Row]:
        return self.story.alignment

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

    def content_rows(self) -> Iterator[tuple[int, Row]]:
        """Rows with at least one sentence that is not boilerplate."""
        for k, row in enumerate(self.rows):
            if any(not self.is_boilerplate(d, ids) for d, ids in row.cells.items() if ids):
                yield k, row

    def span(self, doc: str | Document, start: int, end: int) -> Span:
        """A :class:`Span` of a document, text filled in."""
        d = self.story.document(doc) if isinstance(doc, str) else doc
        return Span(d.id, d.lang, start, end, d.text[start:end])

    def finding(self, rule: Rule, doc: str | Document, start: int, end: int, message: str, *,
                row: int | None = None, related: Sequence[Span] = (), suggestion: str | None = None,
                severity: Severity | None = None) -> Finding:
        """Build a finding with text, language and enclosing sentence filled in."""
        if severity is not None and severity not in rule.severities():
            raise ValueError(f"{rule.code}: severity {severity.value} is not one of its documented levels "
                             f"({', '.join(s.value for s in rule.severities())}); add it to {type(rule).__name__}.levels")
        d = self.story.document(doc) if isinstance(doc, str) else doc
        sentence = " ".join(s.text for s in d.sentences if s.start < end and s.end > start) or d.text[start:end]
        return Finding(rule=rule.code, severity=severity or rule.severity, message=message, doc=d.id,
                       lang=d.lang, start=start, end=end, text=d.text[start:end], row=row,
                       related=list(related), suggestion=suggestion, sentence=sentence)
