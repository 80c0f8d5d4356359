"""Feed inputs of ``xlingo check``: folders of text files, JSON Lines, RSS/Atom feeds.

What can be read becomes a :class:`FeedDocument`; what cannot is handled per case, ruff-like
(``--strict`` turns every skip and every bad record into an immediate error):

* error, nothing is checked (exit 2): a path that does not exist, a folder or feed with nothing
  to check, XML that is not well-formed (``file:line:col``), XML that declares entities
  (entity expansion bombs, external entities: refused, never expanded; a ``<!DOCTYPE ... PUBLIC>``
  without entities is fine and never fetched);
* bad record, reported and skipped, the rest is checked, and the run exits 2 after writing
  its outputs: a JSON Lines line that is not valid JSON (also: nested too deep, a number too
  long, not UTF-8), not a JSON object, without ``text``, with a field of the wrong type, a
  language value that is not a language tag or text with a lone surrogate (``file:line``);
* skipped with a warning (exit code unchanged): a file over the size limit, an empty, binary
  or undecodable text file, a repeat of an earlier document (same text, language and story), well-formed XML without RSS items or Atom entries, a feed item without text, a feed whose ``<language>`` is not a tag
  (each item's language is detected instead), and xlingo's own outputs (reports and
  baselines written into the feed folder are recognised by their content and never read).

A record of a JSON Lines file or a feed is a document named ``FILE#L<line>`` (the line the record
starts on) whose :class:`~xlingo.model.Origin` says where its text sits in the file, so every
output can point at it (``Document.locate``).
"""
from __future__ import annotations

import io
import json
import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_external_ges, feature_namespaces

import defusedxml.sax
import feedparser
from defusedxml import DefusedXmlException

from xlingo.errors import InputError, one_line
from xlingo.language import UNDETERMINED, detect_language, language_tag, parse_language_tag
from xlingo.model import Document, Origin
from xlingo.output import mark_input
from xlingo.read import (
    BOMS,
    MAX_BYTES,
    TEXT_SUFFIXES,
    composed,
    composed_offsets,
    decode_bytes,
    document_text,
    is_own_output,
    lang_from_name,
    language_of,
    read_at_most,
    unique_ids,
)

log = logging.getLogger("xlingo.feed")

JSONL_SUFFIXES = {".jsonl", ".ndjson"}
XML_SUFFIXES = {".xml", ".rss", ".atom"}
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: what a JSON Lines record's text is written in ("format"): read for its text, markup left out
TEXT_FORMATS = ("text", "html", "markdown")
#: closing tags and breaks of HTML inside a JSON line (``<\/p>`` as JSON may escape it)
_HTML_IN_JSON = re.compile(rb"<\\?/(?:p|div|a|span|li|h[1-6]|strong|em|b|i)>|<br\s*\\?/?>", re.IGNORECASE)


@dataclass
class FeedDocument:
    """One document of the feed, with the story id the input gave it (if any)."""

    document: Document
    story: str | None = None
    url: str | None = None


@dataclass
class Problems:
    """Inputs skipped with a warning, and bad records (skipped, but the run fails with exit 2);
    with ``strict`` each one is an error at once instead."""

    strict: bool = False
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # bad records; also in ``skipped``

    def skip(self, message: str) -> None:
        """An input that holds nothing to check: a warning."""
        message = one_line(message)
        if self.strict:
            raise InputError(f"{message} (an error with --strict)")
        log.warning(message)
        self.skipped.append(message)

    def bad_record(self, message: str) -> None:
        """A record that breaks the input format: reported and skipped; the run will exit 2."""
        message = one_line(message)
        if self.strict:
            raise InputError(f"{message} (an error with --strict)")
        log.error(message)
        self.skipped.append(message)
        self.errors.append(message)

    def failure(self) -> str | None:
        """The one-line error that ends a run which met bad records (after writing its outputs)."""
        if not self.errors:
            return None
        return (f"{len(self.errors)} bad input record(s) skipped (first: {self.errors[0]}); "
                "the rest was checked and reported")


def read_feed(paths: Sequence[str], problems: Problems, max_bytes: int = MAX_BYTES) -> list[FeedDocument]:
    """Every document in ``paths`` (files and folders, folders searched recursively, sorted)."""
    out: list[FeedDocument] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputError(f"{raw}: no such file or directory")
        files = sorted(_folder_files(p)) if p.is_dir() else [p]
        if p.is_dir() and not files:
            raise InputError(f"{raw}: folder holds no .txt, .md, .jsonl or RSS/Atom files")
        for f in files:
            if f.resolve() not in seen:
                seen.add(f.resolve())
                out.extend(_read_file(f, problems, max_bytes))
    for doc in [d for d in out if d.document.lang == UNDETERMINED]:
        problems.skip(f"{doc.document.path}: cannot tell the language of its text (name the file like NAME.de.txt, "
                      'or give a "lang"); skipped')
    out = _without_duplicates([d for d in out if d.document.lang != UNDETERMINED], problems)
    if not out:
        raise InputError(f"nothing to check in {', '.join(paths)}")
    unique_ids([fd.document for fd in out])
    return out


def _without_duplicates(docs: list[FeedDocument], problems: Problems) -> list[FeedDocument]:
    """The documents but a repeat of one before it (same text, language and story: a record exported
    twice), skipped with a warning: a second copy would count as one more version agreeing with it."""
    first: dict[tuple[str, str, str | None], str] = {}
    kept = []
    for fd in docs:
        key = (fd.document.lang, fd.document.text, fd.story)
        if key in first:
            problems.skip(f"{fd.document.path}: the same text as {first[key]}; skipped")
        else:
            first[key] = fd.document.path
            kept.append(fd)
    return kept


#: Folders of tools, not of stories (as ruff leaves them out): a feed checked from a repository's root.
TOOL_FOLDERS = frozenset({"node_modules", "venv", "site-packages", "__pycache__", "__pypackages__"})


def _folder_files(folder: Path) -> Iterator[Path]:
    """The story files below ``folder``: not hidden, not a README, not in a tool's folder (not walked)."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in TOOL_FOLDERS]
        for name in files:
            f = Path(root, name)
            if not name.startswith(".") and not name.lower().startswith("readme") \
                    and f.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES | XML_SUFFIXES:
                yield f


def _kind(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in XML_SUFFIXES:
        return "xml"
    if suffix in TEXT_SUFFIXES:
        return "text"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return {b"<": "xml", b"{": "jsonl"}.get(head, "text")


def _read_file(path: Path, problems: Problems, max_bytes: int) -> list[FeedDocument]:
    try:
        data = read_at_most(path, max_bytes)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    mark_input(path)  # also when skipped: an input all the same, never replaced by an output
    if data is None:
        problems.skip(f"{path}: skipped: file is too large (over {max_bytes / 2**20:.0f} MiB)")
        return []
    if is_own_output(data):
        log.info("%s: an xlingo report or baseline, not a document; skipped", one_line(str(path)))
        return []
    kind = _kind(path, data)
    if kind == "jsonl":
        return list(_read_jsonl(path, data, problems))
    if kind == "xml":
        return list(_read_xml(path, data, problems))
    try:
        text, origin = document_text(str(path), decode_bytes(data, str(path)))
    except InputError as exc:
        problems.skip(f"{exc}; skipped")
        return []
    return [FeedDocument(Document(id=path.stem, path=str(path), text=text, lang=language_of(path, text),
                                  origin=origin))]


def _read_jsonl(path: Path, data: bytes, problems: Problems) -> Iterator[FeedDocument]:
    wide = next((enc for bom, enc in BOMS if data.startswith(bom) and enc != "utf-8-sig"), None)
    if wide:  # UTF-16 or UTF-32 with its BOM (PowerShell's `>`, a spreadsheet's "Unicode text"): read as UTF-8
        try:
            data = data.decode(wide).encode("utf-8", "surrogatepass")
        except UnicodeDecodeError as exc:
            problems.bad_record(f"{path}: cannot decode as {wide}: {exc.reason} at byte {exc.start}; file skipped")
            return
    hinted = False
    for n, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        if not hinted and _HTML_IN_JSON.search(raw) and b'"format"' not in raw:
            hinted = True
            log.warning('%s:%d: the text holds HTML markup; with "format": "html" its tags and attributes '
                        "are not compared as words and numbers", one_line(str(path)), n)
        try:
            yield _jsonl_record(path, n, raw)
        except InputError as exc:
            problems.bad_record(f"{exc}; line skipped")


def _jsonl_record(path: Path, n: int, raw: bytes) -> FeedDocument:
    """One JSON Lines record, or an :class:`InputError` saying why (``file:line``)."""
    where = f"{path}:{n}"
    try:
        line = raw.decode("utf-8-sig" if n == 1 else "utf-8").rstrip("\r")
        record = json.loads(line)
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}:{exc.colno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{where}: invalid JSON: nested too deep") from None
    except ValueError as exc:  # an integer of thousands of digits
        raise InputError(f"{where}: invalid JSON: {str(exc).split(';')[0]}") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f'{where}: no "text"')
    markup = record.get("format", "text")
    if markup not in TEXT_FORMATS:
        raise InputError(f'{where}: "format" must be one of {", ".join(TEXT_FORMATS)}, not {markup!r}')
    bad = [k for k in ("story", "lang", "title", "url") if record.get(k) is not None
           and (not isinstance(record[k], (str, int)) or isinstance(record[k], bool))]
    if bad:
        raise InputError(f'{where}: "{bad[0]}" must be a string')
    fields = {k: str(record[k]) for k in ("story", "lang", "title", "url") if record.get(k) is not None}
    for key, value in (("text", text), *fields.items()):
        if _SURROGATE.search(value):
            raise InputError(f'{where}: "{key}" holds a lone surrogate (\\u{ord(_SURROGATE.search(value)[0]):04x}), '
                             "not text")
    source = list(range(len(text)))  # where each character of the text read comes from in the value
    if markup != "text":
        from xlingo.markup import html_prose, markdown_prose  # only for these records

        text, source = (html_prose if markup == "html" else markdown_prose)(text)
    text, offsets = composed_offsets(*normalise_with_offsets(text))
    if not text:
        raise InputError(f'{where}: no "text"')
    given = fields.get("lang", "").strip()
    lang = parse_language_tag(given, f'{where}: "lang"') if given else detect_language(text)
    anchors = record_anchors(line, "text", [source[k] for k in offsets], n) if source else ()
    return FeedDocument(
        Document(id=f"{path.stem}-L{n}", path=f"{path}#L{n}", text=text, lang=lang, title=fields.get("title"),
                 origin=Origin(str(path), n, anchors)),
        story=fields.get("story"), url=fields.get("url"))


# The elements feedparser makes entries of: RSS items (no namespace, RSS 0.90/1.0) and Atom entries.
_ENTRY_ELEMENTS = {(None, "item"), ("http://purl.org/rss/1.0/", "item"),
                   ("http://my.netscape.com/rdf/simple/0.9/", "item"), ("http://backend.userland.com/rss2", "item"),
                   ("http://www.w3.org/2005/Atom", "entry"), ("http://purl.org/atom/ns#", "entry")}


class _ItemLines(ContentHandler):
    """Line numbers of the items (RSS) and entries (Atom) of a feed, as feedparser counts them, and of
    the element holding each one's text."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int] = []
        self.bodies: list[dict[str, int]] = []  # per item: "content" / "summary" -> line of that element
        self._locator = None

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 (SAX API)
        self._locator = locator

    def startElementNS(self, name: tuple[str | None, str], qname, attrs) -> None:  # noqa: N802 (SAX API)
        if self._locator is None:
            return
        if (name[0] or None, name[1]) in _ENTRY_ELEMENTS:
            self.lines.append(self._locator.getLineNumber())
            self.bodies.append({})
        elif self.bodies and name[1] in _BODY_TAGS:
            self.bodies[-1].setdefault(_BODY_TAGS[name[1]], self._locator.getLineNumber())

    def body_line(self, k: int) -> int | None:
        """The line of the element feedparser takes item ``k``'s text from (content first, else summary)."""
        body = self.bodies[k] if k < len(self.bodies) else {}
        return body.get("content") or body.get("summary")


_BODY_TAGS = {"encoded": "content", "content": "content", "description": "summary", "summary": "summary"}


def scan_xml(path: Path | str, data: bytes) -> _ItemLines:
    """Check that ``data`` is well-formed, entity-free XML; where its items/entries and their texts are.

    A document type declaration is allowed (RSS 0.91's ``PUBLIC`` DTD) but never fetched;
    any entity declaration is refused.
    """
    handler = _ItemLines()
    parser = defusedxml.sax.make_parser()
    parser.forbid_dtd, parser.forbid_entities, parser.forbid_external = False, True, False
    parser.setFeature(feature_external_ges, False)  # external entities and DTDs: never fetched
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    try:
        parser.parse(io.BytesIO(data))
    except SAXParseException as exc:
        raise InputError(f"{path}:{exc.getLineNumber()}:{exc.getColumnNumber() + 1}: malformed XML: "
                         f"{exc.getMessage()}") from None
    except DefusedXmlException as exc:
        raise InputError(f"{path}: refused: the XML declares or references entities ({type(exc).__name__}: "
                         f"{exc}); entity expansion is not allowed in feeds") from None
    return handler


def _read_xml(path: Path, data: bytes, problems: Problems) -> Iterator[FeedDocument]:
    scanned = scan_xml(path, data)
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries:  # a stray sitemap.xml in a feeds folder, an empty feed: nothing to check
        problems.skip(f"{path}: no RSS items or Atom entries; skipped")
        return
    located = len(scanned.lines) == len(parsed.entries)
    if not located:  # never point at the wrong item: the feed's first line
        log.debug("%s: %d items by line, %d parsed; items located at line 1", path, len(scanned.lines),
                  len(parsed.entries))
    feed_lang = _feed_language(path, parsed.feed.get("language"), problems) or lang_from_name(path.with_suffix(".txt"))
    for k, entry in enumerate(parsed.entries):
        line = scanned.lines[k] if located else 1
        body = entry.get("content") or [{}]
        html = body[0].get("value") or entry.get("summary") or ""
        text = composed(html_to_text(html))[0]
        title = html_to_text(entry.get("title") or "") or None
        if not text:
            problems.skip(f"{path}:{line}: feed item {title or k + 1!r} has no text; skipped")
            continue
        lang = _feed_language(f"{path}:{line}", body[0].get("language"), problems) or feed_lang
        yield FeedDocument(
            Document(id=f"{path.stem}-L{line}", path=f"{path}#L{line}", text=text, title=title,
                     lang=lang or detect_language(text), origin=Origin(str(path), (scanned.body_line(k) if located else None) or line)),
            url=entry.get("link"))


def _feed_language(where: Path | str, value: object, problems: Problems) -> str | None:
    """A feed's or an item's declared language; one that is not a tag is a warning (detected instead)."""
    if not isinstance(value, str) or not value.strip():
        return None
    tag = language_tag(value)
    if tag is None:
        shown = value if len(value) <= 40 else value[:37] + "..."
        problems.skip(f"{where}: language {shown!r} is not a language tag; detected from the text instead")
    return tag


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment (:func:`xlingo.markup.html_prose`), one paragraph per line."""
    from xlingo.markup import html_prose

    return _normalise(html_prose(html)[0])


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """``_normalise(text)`` and, for each of its characters, the offset in ``text`` it comes from."""
    out: list[str] = []
    offsets: list[int] = []
    line_start = 0
    for end in re.finditer(r"\r\n|\r|\n|$", text):
        chars: list[tuple[str, int]] = []
        for word in re.finditer(r"[^ \t\f\v\u00a0\r\n]+", text[line_start:end.start()]):
            if chars:
                chars.append((" ", chars[-1][1] + 1))
            chars.extend((c, line_start + word.start() + k) for k, c in enumerate(word.group()))
        while chars and chars[0][0].isspace():
            chars.pop(0)
        while chars and chars[-1][0].isspace():
            chars.pop()
        if chars:
            if out:
                out.append("\n")
                offsets.append(line_start - 1)
            out.extend(c for c, _ in chars)
            offsets.extend(at for _, at in chars)
        line_start = end.end()
    return "".join(out), offsets


def record_anchors(line: str, key: str, offsets: list[int], line_no: int) -> tuple[tuple[int, int, int], ...]:
    """Anchors (text offset, line, column) of a JSON object's string value ``key`` within its line.

    ``offsets`` map the (normalised) text to the decoded string; escapes (``\\n``, ``\\u00e9``,
    surrogate pairs) take several columns in the line, so each starts a new anchor.
    """
    start = _value_start(line, key)
    if start is None or start >= len(line) or line[start] != '"':
        return ()
    columns: list[int] = []
    j = start + 1
    while j < len(line) and line[j] != '"':
        columns.append(j)
        if line[j] != "\\":
            j += 1
        elif line[j + 1] != "u":
            j += 2
        elif 0xD800 <= int(line[j + 2:j + 6], 16) < 0xDC00 and line[j + 6:j + 8] == "\\u":
            j += 12
        else:
            j += 6
    anchors: list[tuple[int, int, int]] = []
    previous = None
    for k, at in enumerate(offsets):
        column = columns[at] + 1 if at < len(columns) else None
        if column is None:
            return ()
        if previous is None or column != previous + 1:
            anchors.append((k, line_no, column))
        previous = column
    return tuple(anchors)


def _value_start(line: str, key: str) -> int | None:
    """Index in ``line`` (one JSON object) where the last value of ``key`` starts."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")
    i = ws.match(line, 0).end() + 1
    found = None
    while i < len(line):
        i = ws.match(line, i).end()
        if line[i:i + 1] != '"':
            break
        name, i = json.decoder.scanstring(line, i + 1)
        i = ws.match(line, ws.match(line, i).end() + 1).end()
        if name == key:
            found = i
        _, i = decoder.raw_decode(line, i)
        i = ws.match(line, i).end()
        i += line[i:i + 1] == ","
    return found


def _normalise(text: str) -> str:
    """Newlines as ``\\n``, spaces collapsed inside lines, blank lines dropped."""
    return normalise_with_offsets(text)[0]
