"""Glossary and do-not-translate lists: terms that must appear as given, per language.

A CSV glossary has a header row. Column ``term`` is the source term; a column
per language code gives its required rendering there; an optional ``dnt``
column (``1``/``yes``/``true``) marks a term that must stay as is in every
language. A term with no language columns is a do-not-translate entry::

    term,de,fr,pt,dnt
    South Harbour Times,,,,yes
    data protection,Datenschutz,protection des données,proteção de dados,

The delimiter may be ``,``, ``;`` or a tab; columns ``note``, ``notes``,
``comment``, ``comments``, ``description``, ``definition`` and ``context`` are
ignored.

A TBX file (TBX 2 ``martif``/``termEntry``/``langSet``/``tig``, or TBX 3
``tbx``/``conceptEntry``/``langSec``/``termSec``) gives one entry per concept:
its term in the source language (the root's ``xml:lang``, else the first
language) is ``term`` and every language's preferred term (the first one not
marked deprecated or superseded) is its translation. TBX has no standard
do-not-translate mark: a concept whose term is the same in every language says
as much. It is read with ``defusedxml`` (no external entities, no entity bombs).

Every problem is an :class:`~xlingo.errors.InputError` on one line, with
``file:line``.
"""
from __future__ import annotations

import csv
import io
import os
import re
import xml.sax
import xml.sax.handler
import xml.sax.xmlreader
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

from xlingo.errors import InputError
from xlingo.language import language_tag, primary_language
from xlingo.read import read_text

_TRUE = {"1", "yes", "y", "true", "x", "dnt"}
_FALSE = {"", "0", "no", "n", "false"}
_IGNORED = {"note", "notes", "comment", "comments", "description", "definition", "context"}
_LANG = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_DEPRECATED = ("deprecated", "superseded")


@dataclass(frozen=True)
class GlossaryEntry:
    """One term: must stay as is (``dnt``) or be rendered as ``translations[lang]``."""

    term: str
    translations: dict[str, str] = field(default_factory=dict)
    dnt: bool = False
    source: str = ""  # "file:line", for messages

    def expected(self, lang: str) -> str | None:
        """What this term must read as in ``lang`` (None if the glossary says nothing).

        ``lang`` matches a column of the same tag, else of the same base language
        (``pt-BR`` finds ``pt``, ``de`` finds ``de-DE``).
        """
        if self.dnt:
            return self.term
        key = lang.replace("_", "-").lower()
        tags = {k.replace("_", "-").lower(): v for k, v in self.translations.items()}
        if key in tags:
            return tags[key]
        base = primary_language(key)
        return tags.get(base) or next((v for k, v in tags.items() if primary_language(k) == base), None)


def load_glossary(path: str | os.PathLike[str]) -> list[GlossaryEntry]:
    """Read a CSV (or TSV) or TBX glossary; :class:`InputError` names the file and line of any problem."""
    text = read_text(path)
    name = str(path)
    if Path(name).suffix.lower() in (".tbx", ".xml") or text.lstrip("\ufeff \n\t").startswith("<"):
        entries = _load_tbx(Path(path).read_bytes(), name)
    else:
        entries = _load_csv(text, name)
    if not entries:
        raise InputError(f"{name}: glossary holds no entries")
    return entries


def _load_csv(text: str, name: str) -> list[GlossaryEntry]:
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise InputError(f"{name}:1: bad CSV: {exc}") from None
    lowered = [h.lower() for h in header]
    if "term" not in lowered:
        raise InputError(f"{name}:1: glossary header has no 'term' column (got {', '.join(map(repr, header)) or 'nothing'})")
    seen: set[str] = set()
    langs: dict[int, str] = {}
    for i, (h, low) in enumerate(zip(header, lowered, strict=True)):
        if low in seen:
            raise InputError(f"{name}:1: column {h!r} appears twice")
        seen.add(low)
        if low in ("term", "dnt") or low in _IGNORED:
            continue
        if not _LANG.match(h):
            raise InputError(f"{name}:1: column {h!r} is neither 'term', 'dnt' nor a language code")
        if language_tag(h) is None:  # `jp`, `cn`, `gr`: a column no document would ever match
            raise InputError(f"{name}:1: column {h!r} is not a language tag (e.g. ja, zh, el)")
        langs[i] = h.replace("_", "-")
    term_col, dnt_col = lowered.index("term"), lowered.index("dnt") if "dnt" in lowered else None
    entries: list[GlossaryEntry] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                raise InputError(f"{name}:{line}: {len(cells)} fields, the header has {len(header)}")
            cells += [""] * (len(header) - len(cells))
            term = cells[term_col].strip()
            if not term:
                raise InputError(f"{name}:{line}: empty 'term'")
            flag = cells[dnt_col].strip().lower() if dnt_col is not None else ""
            if flag not in _TRUE | _FALSE:
                raise InputError(f"{name}:{line}: 'dnt' must be yes/no, 1/0 or true/false, not {flag!r}")
            translations = {lang: cells[i].strip() for i, lang in langs.items() if cells[i].strip()}
            entries.append(GlossaryEntry(term, translations, flag in _TRUE or not translations, f"{name}:{line}"))
    except csv.Error as exc:
        raise InputError(f"{name}:{reader.line_num}: bad CSV: {exc}") from None
    return entries


class _TbxHandler(xml.sax.handler.ContentHandler):
    """Collects concepts -> language -> [(term, status)] with the line of each concept."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.locator: xml.sax.xmlreader.Locator | None = None
        self.root_lang: str | None = None
        self.concepts: list[tuple[int, list[tuple[str, list[list[str]]]]]] = []
        self.lang: str | None = None
        self.text: list[str] | None = None
        self.note: list[str] | None = None
        self.depth = 0

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 (SAX API)
        self.locator = locator

    def line(self) -> int:
        return self.locator.getLineNumber() if self.locator else 0

    def startElement(self, qname: str, attrs) -> None:  # noqa: N802 (SAX API)
        tag = qname.split(":")[-1]
        self.depth += 1
        if self.depth == 1:
            if tag not in ("martif", "tbx"):
                raise InputError(f"{self.name}:{self.line()}: not a TBX file (root element <{qname}>)")
            self.root_lang = attrs.get("xml:lang")
        elif tag in ("termEntry", "conceptEntry"):
            self.concepts.append((self.line(), []))
        elif tag in ("langSet", "langSec"):
            lang = attrs.get("xml:lang")
            if not lang or not self.concepts:
                raise InputError(f"{self.name}:{self.line()}: <{qname}> without xml:lang or outside an entry")
            if language_tag(lang) is None:
                raise InputError(f"{self.name}:{self.line()}: xml:lang {lang!r} is not a language tag "
                                 "(e.g. ja, zh, el)")
            self.lang = lang
            self.concepts[-1][1].append((lang, []))
        elif tag == "term":
            if self.lang is None:
                raise InputError(f"{self.name}:{self.line()}: <term> outside a language section")
            self.text = []
        elif tag == "termNote" and attrs.get("type") == "administrativeStatus":
            self.note = []

    def characters(self, content: str) -> None:
        if self.text is not None:
            self.text.append(content)
        if self.note is not None:
            self.note.append(content)

    def endElement(self, qname: str) -> None:  # noqa: N802 (SAX API)
        tag = qname.split(":")[-1]
        self.depth -= 1
        if tag == "term" and self.text is not None:
            term = " ".join("".join(self.text).split())
            if not term:
                raise InputError(f"{self.name}:{self.line()}: empty <term>")
            self.concepts[-1][1][-1][1].append([term, ""])
            self.text = None
        elif tag == "termNote" and self.note is not None:
            terms = self.concepts[-1][1][-1][1] if self.concepts and self.concepts[-1][1] else []
            if terms:
                terms[-1][1] = "".join(self.note).strip()
            self.note = None
        elif tag in ("langSet", "langSec"):
            self.lang = None


def _load_tbx(data: bytes, name: str) -> list[GlossaryEntry]:
    handler = _TbxHandler(name)
    # entity declarations are refused; external references (the usual TBX DOCTYPE) are skipped, never fetched
    parser = DefusedExpatParser(forbid_dtd=False, forbid_entities=True, forbid_external=False)
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setFeature(xml.sax.handler.feature_external_pes, False)
    parser.setContentHandler(handler)
    try:
        parser.parse(io.BytesIO(data))
    except xml.sax.SAXParseException as exc:
        raise InputError(f"{name}:{exc.getLineNumber()}: malformed TBX: {exc.getMessage()}") from None
    except DefusedXmlException as exc:
        raise InputError(f"{name}:{handler.line()}: TBX refused: entity declarations are not read ({exc})") from None
    entries = []
    for line, sections in handler.concepts:
        preferred: dict[str, str] = {}
        for lang, terms in sections:
            usable = [t for t, status in terms if not status.lower().startswith(_DEPRECATED)]
            if usable and lang not in preferred:
                preferred[lang] = usable[0]
        if not preferred:
            raise InputError(f"{name}:{line}: entry has no usable term")
        root = (handler.root_lang or "").lower()
        term = next((t for lang, t in preferred.items() if root and lang.lower() == root), None) \
            or next(iter(preferred.values()))
        entries.append(GlossaryEntry(term, preferred, False, f"{name}:{line}"))
    return entries
