"""Escaping report data for each medium it is written to: terminals, XML, JSON, GitHub, Markdown.

Feed text, story ids, languages and file names are data from outside: none of it may act as a
terminal escape sequence, a workflow command, Markdown/HTML or break a file's well-formedness.
"""
from __future__ import annotations

import json
import re
from typing import Any

#: C0 (but tab and newline), DEL, C1, and bidirectional overrides/isolates that reorder what is shown
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: what XML 1.0 does not allow in a document (Char production), and lone surrogates
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAK = re.compile("[\n\u2028\u2029]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
#: GitHub's legacy workflow command, which its runner reads anywhere in a log line
LEGACY_COMMAND = "##["


def visible(char: str) -> str:
    """A character spelled out, e.g. ``<U+001B>``."""
    return f"<U+{ord(char):04X}>"


def terminal_safe(text: str) -> str:
    """Text a terminal shows as text: escape sequences, control and bidi characters made visible.

    A CI log is a terminal too: GitHub's runner takes ``##[error]...`` anywhere in a line as a
    workflow command (``##[stop-commands]`` silences every later annotation), so a zero-width
    space goes between the two hashes.
    """
    return _TERMINAL_UNSAFE.sub(lambda m: visible(m.group()), text).replace(LEGACY_COMMAND, "#\u200b#[")


def terminal_line(text: str) -> str:
    """:func:`terminal_safe` on one line: line breaks made visible too, so that a file name or a
    message cannot start a line of its own (a forged finding in a log)."""
    return _LINE_BREAK.sub(lambda m: visible(m.group()), terminal_safe(text))


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 forbids made visible (so the XML is always well-formed)."""
    return _XML_INVALID.sub(lambda m: visible(m.group()), text)


def json_text(data: Any) -> str:
    """Deterministic, strict JSON (no NaN) that encodes to UTF-8: lone surrogates as ``\\uXXXX``;
    a ``##[`` in a string as ``#\\u0023[`` (the same data, but no workflow command when the JSON is
    printed into a CI log)."""
    text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).replace(LEGACY_COMMAND, "#\\u0023[")
    return text + "\n"


def xml_log_safe(document: str) -> str:
    """An XML document's ``##[`` (only in its text and attribute values) as ``#&#35;[``: the same
    data, but no workflow command when the XML is printed into a CI log."""
    return document.replace(LEGACY_COMMAND, "#&#35;[")


def github_data(text: str) -> str:
    """Escape a workflow-command message (``%``, ``\\r``, ``\\n``), as the Actions toolkit does.

    Terminal control characters are made visible first: the job log is a terminal too.
    """
    return terminal_safe(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """Escape a workflow-command property value: as data, and also ``:`` and ``,``."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(text: str) -> str:
    """A plain log line that cannot start a workflow command (``::`` at a line start)."""
    return " ".join(terminal_safe(text).split()).replace("::", ":\u200b:")


def markdown_cell(text: str) -> str:
    """Inline Markdown that shows ``text`` literally: one line, HTML and Markdown syntax escaped."""
    text = " ".join(terminal_safe(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
