"""Suppressions, like ruff's ``noqa`` and per-file ignores: findings a person has judged.

Two ways, both applied after the rules ran (:func:`xlingo.check.runner.run_checks`):

* **A pragma in the document**, for the whole document: ``xlingo: ignore[XL202,XL5]`` on a line
  of its own - in a comment (``<!-- xlingo: ignore[XL202] -->`` in Markdown, ``# xlingo:
  ignore[XL202]``) or in the front matter (``xlingo: ignore[XL202]``). Codes are rule codes or
  prefixes; a bare ``xlingo: ignore`` silences every rule for the document. Findings on the
  pragma line itself (it is not story text) are dropped too.
* **A ``.xlingo-ignore`` file** in the current folder (where CI runs xlingo), one entry a line,
  ``#`` starts a comment::

      # a finding judged a false positive, by its fingerprint (shown in every output)
      3f2a9c0d1e4b5a69
      # rule codes or prefixes, and a glob on the document path (/-separated)
      XL202,XL203  feeds/brands/*.fr.txt
      XL5          feeds/legacy/**

Unlike a baseline (:mod:`xlingo.baseline`), a suppression is a decision that stays: it is not
reported as stale when the finding goes away.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from xlingo.config import path_matches
from xlingo.errors import ConfigError
from xlingo.model import Document, Finding
from xlingo.output import mark_input
from xlingo.read import PRAGMA, read_bounded_text

IGNORE_FILE = ".xlingo-ignore"
_CODE = re.compile(r"^XL\d{0,3}$")
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")


@dataclass(frozen=True)
class Pragmas:
    """A document's pragmas: the rule codes/prefixes it ignores ("" = all) and where the pragmas are."""

    codes: tuple[str, ...]
    lines: tuple[tuple[int, int], ...]

    def suppresses(self, f: Finding) -> bool:
        return any(f.rule.startswith(c) for c in self.codes) or any(
            a <= f.start and f.end <= b for a, b in self.lines)


def document_pragmas(doc: Document) -> Pragmas:
    """The ``xlingo: ignore[...]`` lines of a document."""
    codes: list[str] = []
    lines = []
    for m in PRAGMA.finditer(doc.text):
        lines.append((m.start(), m.end()))
        listed = m.group("codes")
        codes += [""] if listed is None else [c.strip().upper() for c in listed.split(",") if c.strip()]
    return Pragmas(tuple(dict.fromkeys(codes)), tuple(lines))


@dataclass(frozen=True)
class IgnoreFile:
    """The entries of a ``.xlingo-ignore`` file."""

    fingerprints: frozenset[str] = frozenset()
    patterns: tuple[tuple[tuple[str, ...], str], ...] = ()  # (codes, path glob)

    def suppresses(self, f: Finding, path: str) -> bool:
        if f.fingerprint in self.fingerprints:
            return True
        path = path.replace("\\", "/")
        return any(path_matches(path, glob) and any(f.rule.startswith(c) for c in codes)
                   for codes, glob in self.patterns)

    @classmethod
    def parse(cls, text: str, source: str = IGNORE_FILE) -> IgnoreFile:
        """Read the file's entries; a malformed line is a :class:`ConfigError` naming it."""
        fingerprints, patterns = set(), []
        for n, raw in enumerate(text.split("\n"), 1):  # not splitlines: U+2028, \x1c... stay in their comment
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) == 1 and _FINGERPRINT.match(parts[0]):
                fingerprints.add(parts[0])
                continue
            codes = tuple(c.strip().upper() for c in parts[0].split(",") if c.strip())
            if len(parts) != 2 or not codes or not all(_CODE.match(c) for c in codes):
                raise ConfigError(f"{source}:{n}: expected a 16-digit fingerprint or `CODES PATH-GLOB`, not {raw.strip()!r}")
            patterns.append((codes, parts[1]))
        return cls(frozenset(fingerprints), tuple(patterns))


def load_ignore_file(folder: str | Path = ".") -> IgnoreFile:
    """``.xlingo-ignore`` of ``folder`` (the current folder), or no entries when there is none."""
    path = Path(folder) / IGNORE_FILE
    try:
        text = read_bounded_text(path)  # a BOM (Windows editors) is no entry
    except FileNotFoundError:
        return IgnoreFile()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    mark_input(path)  # no output of this run may replace it
    return IgnoreFile.parse(text, str(path))
