"""The pre-commit hook (``xlingo-pre-commit``): check only the stories a commit touches.

pre-commit passes the changed files after the hook's ``args``. A story's versions must be checked
together, so each changed file brings its siblings: ``name.de.txt`` brings every ``name.*`` file
of its folder in a text format, a text file without a language suffix brings its whole folder (one
story per folder), and a JSON Lines or RSS/Atom feed file is checked as it is. Everything else
(the ``args``, e.g. ``--baseline .xlingo-baseline.json``) goes to ``xlingo check`` unchanged.
"""
from __future__ import annotations

import glob
import sys
from collections.abc import Sequence
from pathlib import Path

from xlingo.feed import JSONL_SUFFIXES, XML_SUFFIXES
from xlingo.read import TEXT_SUFFIXES, lang_from_name

FEED_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | XML_SUFFIXES


def split_args(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """(options for ``xlingo check``, changed files): pre-commit appends the files last."""
    k = len(argv)
    while k > 0 and Path(argv[k - 1]).suffix.lower() in FEED_SUFFIXES and Path(argv[k - 1]).is_file():
        k -= 1
    return list(argv[:k]), list(argv[k:])


def story_paths(filenames: Sequence[str]) -> list[str]:
    """The files and folders holding every version of the stories the changed files belong to."""
    out: list[str] = []
    folders: set[Path] = set()
    for name in filenames:
        p = Path(name)
        if p.suffix.lower() not in TEXT_SUFFIXES:
            out.append(name)
            continue
        if lang_from_name(p) is None:
            folders.add(p.parent)
            continue
        base = p.name[: -len(p.suffix)].rsplit(".", 1)[0]  # "train" of "train.de.txt"
        siblings = sorted(str(s) for s in p.parent.glob(f"{glob.escape(base)}.*")
                          if s.is_file() and s.suffix.lower() in TEXT_SUFFIXES and lang_from_name(s))
        out += siblings or [name]
    out = [x for x in out if Path(x).parent not in folders]
    return list(dict.fromkeys([*(str(f) for f in sorted(folders)), *out]))


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``xlingo check`` on the touched stories (exit 0 when no story file changed)."""
    options, changed = split_args(sys.argv[1:] if argv is None else argv)
    if not changed:
        raise SystemExit(0)
    from xlingo.cli import main as xlingo

    xlingo(["check", *options, *story_paths(changed)])  # its manners: a usage error is one line too
