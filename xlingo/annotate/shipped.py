"""Models shipped inside the package as plain JSON (the meaning model, the row model): their text,
and their digest as a number, the form rule options take, so the report signature covers them."""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def shipped_text(file: str, path: str | None = None) -> str:
    """The text of the shipped model ``file`` in :mod:`xlingo.annotate`, or of the one at ``path``."""
    if path:
        return Path(path).read_text(encoding="utf-8")
    return resources.files("xlingo.annotate").joinpath(file).read_text(encoding="utf-8")


def digest_tag(digest: str) -> float:
    """A model's hex digest as a number (its first 8 hex digits)."""
    return float(int(digest[:8], 16))
