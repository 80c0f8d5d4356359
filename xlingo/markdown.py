"""Stage 1, read: the prose of a Markdown file, with where each character comes from.

A Markdown version of a story (documentation, a newsroom's source files) is compared by its
prose: headings, paragraphs, list items, block quotes and table cells, each its own paragraph.
Code blocks, HTML, front matter, link and image targets and emphasis marks are not text to
translate: left in, a code block that every version shares reads as a sentence left
untranslated, and a link target as words. `markdown-it-py` parses the file (CommonMark, tables,
strikethrough); its tokens say what is prose, and each piece of prose is found again in the
file, in order, so that findings point at the file's own lines and columns. The front matter
(YAML between ``---`` lines, TOML between ``+++`` lines: a date, a weight, an image path) is
metadata: a translation published a day later is no number mismatch. An ``xlingo: ignore``
pragma line in a comment or the front matter is kept (:mod:`xlingo.suppress` reads it from the
text).
"""
from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from xlingo.read import PRAGMA

_FRONT_MATTER = re.compile(r"\A(?P<fence>---|\+\+\+)[ \t]*\n.*?^(?:(?P=fence)|\.\.\.)[ \t]*$", re.DOTALL | re.MULTILINE)
#: how far past the cursor a piece of prose or a target is looked for: the markup between two
#: pieces (a link target and title, an image, inline HTML), and an escape or entity (``&#8364;``)
MARKUP_REACH = 4096
ESCAPE_REACH = 32


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


class _Prose:
    """The prose collected so far and, per character, its offset in the source."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.offsets: list[int] = []
        self.cursor = 0  # source offset the next piece is searched from

    def paragraph(self) -> None:
        """End the current block: a blank line before the next one."""
        if self.parts and not self.parts[-1].endswith("\n\n"):
            self.add("\n\n", self.cursor, contiguous=False)

    def add(self, text: str, at: int, contiguous: bool = True) -> None:
        self.parts.append(text)
        self.offsets.extend(range(at, at + len(text)) if contiguous else [at] * len(text))

    def find(self, text: str, end: int, reach: int) -> int | None:
        """Where ``text`` next appears in the source, from the cursor, within ``reach`` characters
        and before ``end`` (a bounded search: hostile input stays linear)."""
        at = self.source.find(text, self.cursor, min(end, self.cursor + reach + len(text)))
        return None if at < 0 else at

    def take(self, text: str, end: int) -> None:
        """Add ``text``, a piece of prose of the source region ending at ``end``: where it appears
        verbatim, from there; else (an escape, an entity) character by character."""
        at = self.find(text, end, MARKUP_REACH)
        if at is not None:
            self.add(text, at)
            self.cursor = at + len(text)
            return
        for ch in text:
            at = self.find(ch, end, ESCAPE_REACH)
            self.add(ch, self.cursor if at is None else at)
            if at is not None:
                self.cursor = at + 1

    def skip(self, text: str, end: int) -> None:
        """Move the cursor past ``text`` (a link target, code left out) when it is found."""
        at = self.find(text, end, MARKUP_REACH) if text else None
        if at is not None:
            self.cursor = at + len(text)


def _line_starts(source: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", source))]


def markdown_prose(source: str) -> tuple[str, list[int]]:
    """The prose of the Markdown text ``source`` and the source offset of each of its characters."""
    starts = _line_starts(source)
    prose = _Prose(source)

    def line(k: int) -> int:
        return starts[k] if k < len(starts) else len(source)

    front = _FRONT_MATTER.match(source)
    body = front.end() if front else 0
    _pragmas(prose, source[:body], 0)
    for token in _parser().parse("\n" * source.count("\n", 0, body) + source[body:]):  # the same lines
        if token.type == "html_block" and token.map:
            _pragmas(prose, source[line(token.map[0]):line(token.map[1])], line(token.map[0]))
        elif token.type == "inline" and token.map:
            begin, end = line(token.map[0]), line(token.map[1])
            prose.cursor = max(prose.cursor, begin)
            _inline(prose, token.children or [], end)
            if token.content:
                prose.paragraph()
    text = "".join(prose.parts).rstrip("\n")
    return text, prose.offsets[:len(text)]


def _pragmas(prose: _Prose, block: str, at: int) -> None:
    """Keep the pragma lines of ``block`` (HTML or front matter at source offset ``at``), each its
    own paragraph."""
    for m in PRAGMA.finditer(block):
        line = m.group()
        prose.add(line.strip(), at + m.start() + len(line) - len(line.lstrip()))
        prose.paragraph()


def _inline(prose: _Prose, children: list[Token], end: int) -> None:
    """The prose of one inline run: its text and inline code; line breaks as new lines; images,
    inline HTML, link targets and emphasis marks left out."""
    targets: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            prose.take(child.content, end)
        elif child.type in ("softbreak", "hardbreak"):
            at = prose.find("\n", end, MARKUP_REACH)
            prose.add("\n", prose.cursor if at is None else at)
            if at is not None:
                prose.cursor = at + 1
        elif child.type == "link_open":
            targets.append("" if child.markup == "autolink" else str(child.attrs.get("href", "")))
        elif child.type == "link_close":
            prose.skip(targets.pop() if targets else "", end)  # past `](target`
        elif child.type == "image":
            prose.skip(str(child.attrs.get("src", "")), end)
        elif child.type == "html_inline":
            prose.skip(child.content, end)
