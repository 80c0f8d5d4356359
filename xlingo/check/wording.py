"""Wording shared by the rules' messages."""
from __future__ import annotations

from collections.abc import Sequence

from xlingo.annotate.context import CheckContext


def languages(ctx: CheckContext, docs: Sequence[str]) -> str:
    """The languages of ``docs``, each once, in order: ``de, fr``."""
    return ", ".join(dict.fromkeys(ctx.story.document(d).lang for d in docs))


def quoted(text: str) -> str:
    """``text`` in backticks, its whitespace runs collapsed to single spaces."""
    return f"`{' '.join(text.split())}`"
