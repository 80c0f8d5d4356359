"""Errors a user can cause and fix; the CLI prints them on one line and exits 2."""
from __future__ import annotations

import re

# control characters, line/paragraph separators and bidirectional overrides: never raw in a message
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """``text`` with newlines, escape sequences and other control characters spelled out
    (``<U+000A>``, ``<U+001B>``...): a file name or a value from the input cannot start a new
    line (a forged ``::error::`` workflow command), hold a ``##[error]`` one (GitHub reads that legacy
    form anywhere in a line: a zero-width space goes between the hashes) or drive the terminal."""
    text = _UNPRINTABLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)  # as report.escape.visible spells it
    return text.replace("##[", "#\u200b#[")  # as report.escape.terminal_safe does


class XlingoError(Exception):
    """Base class of every error xlingo reports to the user without a traceback (always one line)."""

    def __str__(self) -> str:
        return one_line(super().__str__())


class InputError(XlingoError):
    """An input file or folder cannot be used (missing, empty, binary, undecodable...)."""


class ModelError(XlingoError):
    """The embedding model cannot be provisioned, loaded or verified."""


class ConfigError(XlingoError):
    """The configuration (CLI flags, pyproject.toml, xlingo.toml) is invalid."""
