"""Stage 5, annotate: named components that compute, once per story, what rules read.

Each annotator has a name, the fields it ``assigns`` on the :class:`CheckContext` (or its rows),
the annotators it ``requires`` first, and the rule whose options tune it. Rules declare the
annotators they read (``Rule.requires``); the engine runs exactly the annotators that the
selected rules and the report need, in this order, so ignoring a rule skips work only it needed
and never changes another rule's findings.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from xlingo.annotate.boilerplate import mark_boilerplate
from xlingo.annotate.context import CheckContext
from xlingo.annotate.copies import find_copies
from xlingo.annotate.rows import compute_margins, score_rows
from xlingo.annotate.words import find_word_events, mark_unsure_words

__all__ = ["ANNOTATORS", "Annotator", "CheckContext", "annotate", "plan"]


@dataclass(frozen=True)
class Annotator:
    """A named component that writes typed fields of one story's context."""

    name: str
    assigns: tuple[str, ...]
    requires: tuple[str, ...]
    run: Callable[[CheckContext, dict[str, float] | None], None]
    tuned_by: str | None = None  # the rule code whose options tune it
    uses: tuple[str, ...] = ()  # annotators whose results it takes when they ran (never forces them)


ANNOTATORS: dict[str, Annotator] = {a.name: a for a in (
    Annotator("boilerplate", ("boilerplate", "boilerplate_blocks"), (), mark_boilerplate, tuned_by="XL601"),
    Annotator("copies", ("copies",), ("boilerplate",), find_copies, tuned_by="XL402"),
    Annotator("words", ("words",), ("boilerplate",), find_word_events),
    Annotator("unsure-words", ("Row.unsure_words",), (), mark_unsure_words, uses=("words",)),
    Annotator("margins", ("margins", "cosines"), (), compute_margins),
    Annotator("divergence", ("Row.divergence",), ("margins",), score_rows, uses=("words",)),
)}


def plan(needed: Iterable[str]) -> list[Annotator]:
    """The annotators ``needed`` and those they require, in run order."""
    want: set[str] = set()
    stack = list(needed)
    while stack:
        name = stack.pop()
        if name not in ANNOTATORS:
            raise KeyError(f"no annotator named {name!r}")
        if name not in want:
            want.add(name)
            stack.extend(ANNOTATORS[name].requires)
    return [a for a in ANNOTATORS.values() if a.name in want]


def annotate(ctx: CheckContext, needed: Iterable[str],
             options: Mapping[str, dict[str, float]] | None = None) -> None:
    """Run the annotators ``needed`` (and what they require) that have not run on ``ctx`` yet."""
    for a in plan(needed):
        if a.name not in ctx.annotated:
            a.run(ctx, (options or {}).get(a.name))
            ctx.annotated.add(a.name)
