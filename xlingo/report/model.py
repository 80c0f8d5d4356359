"""The report model every output renders: data first, JSON with a versioned schema.

Everything here is deterministic: same input and settings give byte-identical
JSON (no timings, no absolute paths added, floats rounded, stable ordering).
"""
from __future__ import annotations

import enum
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from xlingo.document import Document

SCHEMA_VERSION = "xlingo.report/1"
FLOAT_DIGITS = 4


class Severity(str, enum.Enum):
    """How bad a finding is; orderable (``info < warning < error``)."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]

    def __lt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:  # type: ignore[override]
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


@dataclass(frozen=True)
class Span:
    """A stretch of one document's text: what a finding points at, or a counterpart."""

    doc: str
    lang: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "lang": self.lang, "start": self.start, "end": self.end, "text": self.text}


@dataclass
class Finding:
    """One divergence: a rule, a severity, a message and where it was seen."""

    rule: str
    severity: Severity
    message: str
    doc: str
    lang: str
    start: int
    end: int
    text: str
    row: int | None = None
    related: list[Span] = field(default_factory=list)
    suggestion: str | None = None
    sentence: str = ""  # the text of the sentence(s) holding the span

    @property
    def fingerprint(self) -> str:
        """Content-based id of the finding's own span and its counterparts: see :func:`content_fingerprint`."""
        return content_fingerprint(self.rule, self.lang, self.text, self.related)

    def sort_key(self) -> tuple:
        return (self.row if self.row is not None else -1, self.doc, self.start, self.end, self.rule, self.message)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "rule": self.rule, "severity": self.severity.value, "message": self.message,
            "doc": self.doc, "lang": self.lang, "start": self.start, "end": self.end,
            "text": self.text, "row": self.row,
            "related": [r.to_dict() for r in self.related],
            "fingerprint": self.fingerprint,
        }
        if self.suggestion is not None:
            d["suggestion"] = self.suggestion
        return d


COUNTERPART_WORDS = 8  # a longer counterpart is a whole sentence given as context, not the finding's subject


def content_fingerprint(rule: str, lang: str, text: str, related: list[Span]) -> str:
    """ruff/phpstan-style id: rule, language, the normalised span text and its counterparts'
    (no offsets, not the rest of the sentence), so the id survives edits elsewhere in the
    sentence and the story. A counterpart of more than ``COUNTERPART_WORDS`` words counts only by
    its language, unless the span itself is empty (a gap, known only by what the others have
    there). Equal findings share an id; baselines count them (see :mod:`xlingo.baseline`)."""
    gap = not text.strip()
    counterparts = sorted({(r.lang, normalise_for_fingerprint(r.text) if gap or len(r.text.split()) <= COUNTERPART_WORDS
                            else "") for r in related})
    key = "\x1f".join([rule, lang, normalise_for_fingerprint(text), *(f"{lg}={t}" for lg, t in counterparts)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def normalise_for_fingerprint(text: str) -> str:
    """Case-folded, NFKC, whitespace-collapsed text: stable under cosmetic edits."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


@dataclass
class Row:
    """One row of the multi-version alignment: for every document, its sentence ids."""

    cells: dict[str, tuple[int, ...]]
    similarity: float | None = None
    divergence: float | None = None  # calibrated 0..1 score; high = out of line with the story

    def kind(self) -> str:
        """``"1-2-1"`` style: how many sentences each document holds in this row."""
        return "-".join(str(len(v)) for v in self.cells.values())

    def to_dict(self, doc_order: list[str]) -> dict[str, Any]:
        d: dict[str, Any] = {"cells": {k: list(self.cells.get(k, ())) for k in doc_order},
                             "similarity": _round(self.similarity)}
        if self.divergence is not None:
            d["divergence"] = _round(self.divergence)
        return d


@dataclass
class Story:
    """The versions of one story, their alignment and what diverges."""

    id: str
    documents: list[Document]
    alignment: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    context: list[Document] = field(default_factory=list)

    def document(self, doc_id: str) -> Document:
        for d in (*self.documents, *self.context):
            if d.id == doc_id:
                return d
        raise KeyError(doc_id)

    def to_dict(self) -> dict[str, Any]:
        order = [d.id for d in self.documents]
        return {
            "id": self.id,
            "documents": [_doc_dict(d, "version") for d in self.documents],
            "context": [_doc_dict(d, "context") for d in self.context],
            "alignment": [r.to_dict(order) for r in self.alignment],
            "findings": [f.to_dict() for f in sorted(self.findings, key=Finding.sort_key)],
        }


def _doc_dict(d: Document, role: str) -> dict[str, Any]:
    return {"id": d.id, "path": d.path, "lang": d.lang, "role": role, "title": d.title, "text": d.text,
            "sentences": [{"i": s.i, "start": s.start, "end": s.end} for s in d.sentences]}


@dataclass(frozen=True)
class Signature:
    """Every setting that changes the output, sacrebleu style: one line tells comparability."""

    version: str
    model: str
    thresholds: tuple[tuple[str, float], ...]
    rules: tuple[str, ...]

    def __str__(self) -> str:
        parts = [f"xlingo:{self.version}", f"model:{self.model}"]
        parts += [f"{k}:{_fmt(v)}" for k, v in self.thresholds]
        parts.append("rules:" + ",".join(self.rules))
        return "|".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "model": self.model,
                "thresholds": {k: _round(v) for k, v in self.thresholds},
                "rules": list(self.rules), "string": str(self)}


@dataclass
class GroupEntry:
    """How one feed document was grouped: version of a story, related, or unrelated."""

    doc: str
    path: str
    lang: str
    story: str | None
    relation: str  # "version" | "related" | "unrelated"
    score: float | None = None
    related_to: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "path": self.path, "lang": self.lang, "story": self.story,
                "relation": self.relation, "score": _round(self.score), "related_to": self.related_to}


@dataclass
class Report:
    """The result of a run: signature, stats, stories (and, for feeds, the grouping)."""

    signature: Signature
    stories: list[Story]
    stats: dict[str, int] = field(default_factory=dict)
    grouping: list[GroupEntry] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # never serialised

    @property
    def findings(self) -> list[tuple[Story, Finding]]:
        """All findings of all stories, in report order."""
        return [(s, f) for s in self.stories for f in sorted(s.findings, key=Finding.sort_key)]

    def counts(self) -> dict[str, int]:
        """Number of findings per severity."""
        out = {s.value: 0 for s in Severity}
        for _, f in self.findings:
            out[f.severity.value] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "signature": self.signature.to_dict(),
            "stats": dict(sorted(self.stats.items())),
            "grouping": [g.to_dict() for g in self.grouping],
            "stories": [s.to_dict() for s in self.stories],
        }

    def to_json(self) -> str:
        """Deterministic JSON (sorted stats, rounded floats, UTF-8 text kept as is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), FLOAT_DIGITS)


def _fmt(x: float) -> str:
    return f"{x:g}"
