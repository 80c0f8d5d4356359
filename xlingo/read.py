"""Stage 1, read: turn files into :class:`~xlingo.model.Document` objects.

Decoding is forgiving about what real feeds deliver (UTF-8 with or without a
BOM, UTF-16 or UTF-32 with a BOM, Latin-1/Windows-1252, CRLF line ends) and strict about
what cannot be text (binary data, empty files).
"""
from __future__ import annotations

import bisect
import codecs
import logging
import os
import re
import unicodedata
from pathlib import Path

from xlingo.errors import InputError, one_line
from xlingo.language import UNDETERMINED, contradicting_language, detect_language, language_tag, parse_language_tag
from xlingo.model import Document, Origin
from xlingo.output import mark_input

log = logging.getLogger("xlingo.read")

MAX_BYTES = 20 * 1024 * 1024
#: longer texts are left decomposed (they exceed the sentence budget of segment.py in practice);
#: composing one costs memory in proportion to its compositions
COMPOSE_MAX_CHARS = 4 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".html", ".htm"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}  # read for their prose (xlingo.markup)
HTML_SUFFIXES = {".html", ".htm"}
#: a suppression pragma on a line of its own (in a comment, the front matter or plain text):
#: applied by xlingo.suppress; a reader that drops markup keeps these lines
PRAGMA = re.compile(r"^[^\n\w]*xlingo:\s*ignore(?:\[(?P<codes>[^\]\n]*)\])?[^\n\w]*$", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_C1 = re.compile(r"[\x80-\x9f]")
# a report signature (every format that names its run) or a baseline's schema: xlingo's own outputs
_OWN_OUTPUT = re.compile(rb"xlingo:\d+\.\d+[^|\s\"<]{0,40}\|model:|\"schema\": *\"xlingo\.(?:baseline|report)/")
_LANG_SUFFIX = re.compile(r"\.([a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)$")
#: Hangul vowel and final jamo: they compose with the syllable before them (macOS writes Korean decomposed)
_JAMO_VT = re.compile("[\u1160-\u11ff\ud7b0-\ud7ff]")
#: byte order marks and their codecs; UTF-32's little-endian BOM starts like UTF-16's, so it comes first
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_bytes(data: bytes, name: str) -> str:
    """Decode file bytes to text with ``\\n`` line ends, or raise :class:`InputError`."""
    if not data.strip():
        raise InputError(f"{name}: file is empty")
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: cannot decode as {enc}: {exc.reason} at byte {exc.start}") from None
            return _normalise_newlines(text, name)
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = _legacy_decode(data)
        if text is None:
            raise InputError(f"{name}: cannot decode: not UTF-8 (bad byte at {exc.start}) "
                             "and not Latin-1/Windows-1252 text; save it as UTF-8") from None
    return _normalise_newlines(text, name)


def _legacy_decode(data: bytes) -> str | None:
    """Windows-1252 (a superset of Latin-1's printable range) if the bytes read as text there: a
    Western text, whose letters are mostly ASCII (Windows-1251 Russian or GBK Chinese also decode,
    as mojibake of accented letters only: ``Ïîåçä``)."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    c1 = len(_C1.findall(text))
    letters = [c for c in text if c.isalpha()]
    accented = sum(not c.isascii() for c in letters)
    return None if c1 > max(2, len(text) // 200) or accented > max(3, len(letters) // 2) else text


def _normalise_newlines(text: str, name: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name}: file holds no text")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise InputError(f"{name}: looks like a binary file ({controls} control characters), not text")
    return text


def composed(text: str) -> tuple[str, list[tuple[int, int]] | None]:
    """``text`` in Unicode NFC (accents composed, as words and names are compared: a decomposed
    ``Müller`` read as ``Mu`` and ``ller``) and, when that changed it, where it comes from in ``text``:
    ``(offset, offset in text)`` pairs, from each of which both advance together up to the next
    (None for a text in NFC already, the usual case, or longer than :data:`COMPOSE_MAX_CHARS`)."""
    if len(text) > COMPOSE_MAX_CHARS or unicodedata.is_normalized("NFC", text):
        return text, None
    out: list[str] = []
    runs = [(0, 0)]
    size = start = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and (unicodedata.combining(text[i]) or _JAMO_VT.match(text[i])):
            continue  # composes with the character before it
        piece = text[start:i]
        if i - start > 1 or piece > "\u02ff":
            piece = unicodedata.normalize("NFC", piece)
        out.append(piece)
        size += len(piece)
        if len(piece) != i - start:
            runs.append((size, i))
        start = i
    return "".join(out), runs


def source_offset(runs: list[tuple[int, int]], offset: int) -> int:
    """Where a character of a recomposed text (:func:`composed`) comes from in the text it was made of."""
    at, source = runs[bisect.bisect_right(runs, (offset, len(runs) + offset)) - 1]
    return source + offset - at


def composed_offsets(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """``composed(text)`` and, per character of it, the offset ``offsets`` gives the character of
    ``text`` it comes from."""
    out, runs = composed(text)
    return out, offsets if runs is None else [offsets[source_offset(runs, k)] for k in range(len(out))]


def file_origin(path: str, text: str, runs: list[tuple[int, int]]) -> Origin:
    """Where each character of a recomposed file text (:func:`composed`) sits in the file ``text`` was
    read from: an anchor where a run of :func:`composed` starts and where each line does."""
    breaks = [m.start() for m in re.finditer("\n", text)]
    sources = [source for _, source in runs]
    anchors = []
    for source in sorted({*sources, *(b + 1 for b in breaks)}):
        at, start = runs[bisect.bisect_right(sources, source) - 1]
        line = bisect.bisect_left(breaks, source)
        anchors.append((at + source - start, line + 1, source - (breaks[line - 1] + 1 if line else 0) + 1))
    return Origin(path, 1, tuple(anchors))


def document_text(path: str, raw: str) -> tuple[str, Origin | None]:
    """The text a file's version is compared by, and where its characters sit in the file (None:
    where they are): the file's text in NFC; for Markdown and HTML, its prose (:mod:`xlingo.markup`)."""
    suffix = Path(path).suffix.lower()
    if suffix not in MARKDOWN_SUFFIXES | HTML_SUFFIXES:
        text, runs = composed(raw)
        return text, None if runs is None else file_origin(path, raw, runs)
    from xlingo.markup import html_prose, markdown_prose  # only for these files

    prose, offsets = (markdown_prose if suffix in MARKDOWN_SUFFIXES else html_prose)(raw)
    if not prose.strip():
        raise InputError(f"{path}: no prose: only code, markup or front matter")
    text, offsets = composed_offsets(prose, offsets)
    return text, file_origin(path, raw, [(k, at) for k, at in enumerate(offsets) if not k or at != offsets[k - 1] + 1])


def read_text(path: str | os.PathLike[str]) -> str:
    """Read and decode one text file, with one-line errors for every failure."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file or directory")
    if p.is_dir():
        raise InputError(f"{path}: is a folder, expected a text file")
    try:
        data = read_at_most(p, MAX_BYTES)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if data is None:
        raise InputError(f"{path}: file is too large (over {MAX_BYTES // (1024 * 1024)} MiB)")
    mark_input(p)
    return decode_bytes(data, str(path))


def read_at_most(path: Path, limit: int) -> bytes | None:
    """The bytes of ``path``, or None when it holds more than ``limit``: read, not trusted from its
    size, so that a device or a pipe (``/dev/zero``, ``<(...)``) cannot fill the memory."""
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    return data if len(data) <= limit else None


def read_bounded_text(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> str:
    """The UTF-8 text (a BOM dropped) of a config, ignore, baseline or report file, at most ``limit``
    bytes read: ``--baseline /dev/zero`` is one line, not the memory filled (an ``OSError`` or a
    ``UnicodeDecodeError`` as ``Path.read_text`` raises them)."""
    data = read_at_most(Path(path), limit)
    if data is None:
        raise InputError(f"{path}: file is too large (over {limit // (1024 * 1024)} MiB)")
    return data.decode("utf-8-sig")


def is_own_output(data: bytes) -> bool:
    """Whether file contents are one of xlingo's reports or baselines (never read as a document)."""
    return _OWN_OUTPUT.search(data) is not None


def _own_output_file(path: Path) -> bool:
    try:
        return path.stat().st_size <= MAX_BYTES and is_own_output(path.read_bytes())
    except OSError:
        return False


def lang_from_name(path: str | os.PathLike[str]) -> str | None:
    """Language tag from a ``name.de.txt`` style suffix, if present and a valid tag
    (a suffix that is not a tag is part of the name)."""
    stem = Path(path).name
    for suffix in TEXT_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    m = _LANG_SUFFIX.search(stem)
    return language_tag(m.group(1)) if m else None


def language_of(path: str | os.PathLike[str], text: str) -> str:
    """The language a file's name gives (``story.de.txt``), else the one its text reads as. A name
    that the text confidently contradicts is still followed, with a warning: ``story.bak.txt``
    names Bashkir."""
    named = lang_from_name(path)
    if named is None:
        return detect_language(text)
    other = contradicting_language(named, text)
    if other is not None:
        log.warning("%s: the file name says the language is %s, but the text reads as %s; going by the name "
                    "(--lang, or a name like NAME.%s.txt, decides)", one_line(str(path)), named, other, other)
    return named


def expand_paths(paths: list[str]) -> list[str]:
    """Expand folders into their text files (sorted; xlingo's own reports left out); keep files as given."""
    out: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(str(f) for f in p.iterdir()
                           if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES and not f.name.lower().startswith("readme")
                           and not _own_output_file(f))
            if not files:
                raise InputError(f"{raw}: folder holds no .txt or .md files")
            out.extend(files)
        elif not p.exists():
            raise InputError(f"{raw}: no such file or directory")
        else:
            out.append(raw)
    return out


def read_document(path: str | os.PathLike[str], lang: str | None = None, doc_id: str | None = None) -> Document:
    """Read one language version; the language is forced, taken from the name, or detected."""
    if lang is not None:
        lang = parse_language_tag(lang, f"{path}: language")
    text, origin = document_text(str(path), read_text(path))
    lang = lang or language_of(path, text)
    if lang == UNDETERMINED:
        raise InputError(f"{path}: cannot tell the language of its text; name the file like NAME.de.txt "
                         "or pass --lang")
    return Document(id=doc_id or lang, path=str(path), text=text, lang=lang, origin=origin)


def unique_ids(docs: list[Document]) -> None:
    """Make document ids unique in place: ``de``, ``de-2``... in input order; a suffix never takes
    the id of another document (``story``, ``story`` and ``story-2`` become ``story``, ``story-3``, ``story-2``)."""
    taken = {doc.id for doc in docs}
    seen: set[str] = set()
    for doc in docs:
        if doc.id in seen:
            n = 2
            while f"{doc.id}-{n}" in taken:
                n += 1
            doc.id = f"{doc.id}-{n}"
            taken.add(doc.id)
        seen.add(doc.id)
