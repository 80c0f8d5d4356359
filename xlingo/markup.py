"""Stage 1, read: the prose of a Markdown or HTML file, with where each character comes from.

A version of a story written in Markdown (documentation, a newsroom's source files) or HTML (an
article page, a CMS export) is compared by its prose: headings, paragraphs, list items, quotes
and table cells, each its own paragraph. Code, scripts, styles, the page's head and navigation,
tags and their attributes, link and image targets and emphasis marks are not text to translate:
left in, a code block that every version shares reads as a sentence left untranslated, an
image's ``width="640"`` as a number, a link target as words. `markdown-it-py` parses Markdown
(CommonMark, tables, strikethrough) and the standard library's ``html.parser`` HTML; each piece
of prose is found again in the file, in order (:class:`_Prose`), so that findings point at the
file's own lines and columns. A Markdown file's front matter (YAML between ``---`` lines, TOML
between ``+++`` lines: a date, a weight, an image path) is metadata: a translation published a
day later is no number mismatch. An ``xlingo: ignore`` pragma line in a comment or the front
matter is kept (:mod:`xlingo.suppress` reads it from the text).
"""
from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

from xlingo.read import PRAGMA

#: HTML elements whose content is not story text, and those that end a paragraph
SKIPPED_ELEMENTS = {"script", "style", "template", "noscript", "head", "nav", "svg", "math", "iframe", "object"}
BLOCK_ELEMENTS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "blockquote",
                  "section", "article", "header", "footer", "figure", "figcaption", "pre", "table", "hr", "dd", "dt",
                  "main", "aside"}
_VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_FRONT_MATTER = re.compile(r"\A(?P<fence>---|\+\+\+)[ \t]*\r?\n.*?^(?:(?P=fence)|\.\.\.)[ \t]*(?=\r?\n|\Z)",
                           re.DOTALL | re.MULTILINE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NEWLINE = re.compile("\n")
_SPACE = re.compile(r"\s")
_DECLARATION = re.compile(r"<!(?!--)")  # a declaration or marked section (a comment stays one)
#: how far past the cursor a piece of prose or a target is looked for: the markup between two
#: pieces (a link target and title, an image, inline HTML), and an escape or entity (``&#8364;``)
MARKUP_REACH = 4096
ESCAPE_REACH = 32
_ESCAPE = re.compile(r"&#?\w{1,31};|\\[!-/:-@\[-`{-~]")  # an HTML entity, a Markdown backslash escape


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
        if self.parts and self.parts[-1] == " ":
            self.parts.pop()
            del self.offsets[-1]
        if self.parts and not self.parts[-1].endswith("\n\n"):
            self.add("\n\n", self.cursor, contiguous=False)

    def add(self, text: str, at: int, contiguous: bool = True) -> None:
        at = max(0, min(at, len(self.source) - 1))
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
        if at is not None and not _ESCAPE.search(self.source, self.cursor, at):  # else an entity may be it
            self.add(text, at)
            self.cursor = at + len(text)
            return
        for ch in text:
            if ch.isspace():  # any white space of the source (a code span's line break reads as a space)
                space = _SPACE.search(self.source, self.cursor, min(end, self.cursor + ESCAPE_REACH))
                self.add(ch, self.cursor if space is None else space.start())
                self.cursor = self.cursor if space is None else space.end()
                continue
            at = self.find(ch, end, ESCAPE_REACH)
            escape = _ESCAPE.search(self.source, self.cursor, min(end, self.cursor + ESCAPE_REACH))
            if escape and (at is None or escape.start() < at) and escape.group()[0] != ch:
                self.add(ch, escape.start())  # the character an entity or escape stands for
                self.cursor = escape.end()
                continue
            self.add(ch, self.cursor if at is None else at)
            if at is not None:
                self.cursor = at + 1

    def take_words(self, text: str, end: int) -> None:
        """Add the words of ``text``, a piece of the source region ending at ``end`` whose line
        breaks and indentation are layout: one space between words (and at either end where
        ``text`` has space there)."""
        for k, m in enumerate(re.finditer(r"\S+", text)):
            if (k or m.start()) and self.parts and not self.parts[-1][-1:].isspace():
                self.add(" ", self.cursor, contiguous=False)
            self.take(m.group(), end)
        if text[-1:].isspace() and text.strip() and not self.parts[-1][-1:].isspace():
            self.add(" ", self.cursor, contiguous=False)

    def skip(self, text: str, end: int) -> None:
        """Move the cursor past ``text`` (a link target, code left out) when it is found."""
        at = self.find(text, end, MARKUP_REACH) if text else None
        if at is not None:
            self.cursor = at + len(text)


def _line_starts(source: str, breaks: re.Pattern[str] = _LINE_BREAK) -> list[int]:
    """Where each line starts, lines ending as a parser ends them (markdown-it: at CR LF, CR or LF;
    html.parser: at LF)."""
    return [0, *(m.end() for m in breaks.finditer(source))]


def markdown_prose(source: str) -> tuple[str, list[int]]:
    """The prose of the Markdown text ``source`` and the source offset of each of its characters."""
    starts = _line_starts(source)
    prose = _Prose(source)

    def line(k: int) -> int:
        return starts[k] if k < len(starts) else len(source)

    front = _FRONT_MATTER.match(source)
    body = front.end() if front else 0
    _pragmas(prose, source[:body], 0)
    for token in _parser().parse("\n" * (len(_line_starts(source[:body])) - 1) + source[body:]):  # the same lines
        if token.type == "html_block" and token.map:
            _pragmas(prose, source[line(token.map[0]):line(token.map[1])], line(token.map[0]))
        elif token.type == "inline" and token.map:
            begin, end = line(token.map[0]), line(token.map[1])
            prose.cursor = max(prose.cursor, begin)
            _inline(prose, token.children or [], end)
            if token.content:
                prose.paragraph()
    text = "".join(prose.parts).rstrip()
    return text, prose.offsets[:len(text)]


def _pragmas(prose: _Prose, block: str, at: int) -> None:
    """Keep the pragma lines of ``block`` (HTML or front matter at source offset ``at``), each its
    own paragraph."""
    for m in PRAGMA.finditer(block):
        line = m.group()
        prose.add(line.strip(), at + m.start() + len(line) - len(line.lstrip()))
        prose.paragraph()


def _inline(prose: _Prose, children: list[Token], end: int) -> None:
    """The prose of one inline run: its text and inline code; a wrapped line goes on after a space,
    a hard break starts a new line; images, inline HTML, link targets and emphasis marks left out."""
    targets: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            prose.take(child.content, end)
        elif child.type in ("softbreak", "hardbreak"):  # a wrapped line goes on; a hard break is a new line
            br = _LINE_BREAK.search(prose.source, prose.cursor, end)
            prose.add(" " if child.type == "softbreak" else "\n", prose.cursor if br is None else br.start())
            if br is not None:
                prose.cursor = br.end()
        elif child.type == "link_open":
            targets.append("" if child.markup == "autolink" else str(child.attrs.get("href", "")))
        elif child.type == "link_close":
            prose.skip(targets.pop() if targets else "", end)  # past `](target`
        elif child.type == "image":
            prose.skip(str(child.attrs.get("src", "")), end)
        elif child.type == "html_inline":
            prose.skip(child.content, end)


class _HtmlProse(HTMLParser):
    """Collects the prose of an HTML text into a :class:`_Prose`, a paragraph per block element."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.prose = _Prose(source)
        self.lines = _line_starts(source, _NEWLINE)
        self.skipping: list[str] = []  # open elements whose content is left out

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs) -> None:
        if self.skipping == ["head"] and (tag == "body" or tag in BLOCK_ELEMENTS):
            self.skipping = []  # the head's end tag may be left out: the body ends it
        if tag in SKIPPED_ELEMENTS and tag not in _VOID_ELEMENTS:
            self.skipping.append(tag)
        elif tag in BLOCK_ELEMENTS and not self.skipping:
            self.prose.paragraph()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag in self.skipping:
            while self.skipping.pop() != tag:
                pass
        elif tag in BLOCK_ELEMENTS and not self.skipping:
            self.prose.paragraph()

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            at = self._offset()
            # the text runs to the next tag (an attribute is not it), unless it holds a `<` itself (a
            # `3 < 4`, or what an unclosed comment left at the end)
            end = -1 if "<" in data else self.prose.source.find("<", at + 1)
            self.prose.cursor = max(self.prose.cursor, at)
            self.prose.take_words(data, end if end >= 0 else len(self.prose.source))

    def handle_comment(self, data: str) -> None:
        if not self.skipping and PRAGMA.fullmatch(data.strip()):
            at = self._offset()
            _pragmas(self.prose, self.prose.source[at:at + len(data) + 7], at)


def html_prose(source: str) -> tuple[str, list[int]]:
    """The prose of the HTML text ``source`` (entities decoded) and the source offset of each of its
    characters."""
    parser = _HtmlProse(source)
    try:
        parser.feed(source)
        parser.close()
    except AssertionError:  # html.parser on a malformed declaration (``<![x``): read them as instructions
        parser = _HtmlProse(source)
        parser.feed(_DECLARATION.sub("<?", source))  # the same length: offsets hold
        parser.close()
        text = "".join(parser.prose.parts).rstrip()  # an unclosed one ends as text: as written
        return "".join("!" if ch == "?" and source[at] == "!" else ch
                       for ch, at in zip(text, parser.prose.offsets)), parser.prose.offsets[:len(text)]
    text = "".join(parser.prose.parts).rstrip()
    return text, parser.prose.offsets[:len(text)]
