"""Stage 6, check: pluggable rules with stable codes, default severities and docs.

A rule is a class with a code (``XL101``), a name, a default severity, tunable
``options`` and a docstring in four parts (*What it does*, *Why is this bad?*,
*Example*, *Use instead*) that becomes its documentation page. Rules see one
story at a time through a :class:`CheckContext`: the aligned documents, their
sentence embeddings, the context documents, the glossary and the typed annotations of
the annotators named in its ``requires`` (:mod:`xlingo.annotate`). Rules only read the
context and emit findings.
"""
from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from typing import ClassVar

from xlingo.annotate.context import CheckContext, EmbedFn
from xlingo.config import RuleSpec
from xlingo.model import Finding, Severity

__all__ = ["RULES", "CheckContext", "EmbedFn", "Rule", "all_rules", "register"]


class Rule:
    """Base class of every check. Subclasses set the class variables and ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    options: ClassVar[dict[str, float]] = {}
    # graded rules: every severity the evidence may give, and when (the catalogue severity among them);
    # a finding at any other severity is a bug (see :meth:`CheckContext.finding`)
    levels: ClassVar[dict[Severity, str]] = {}
    requires: ClassVar[tuple[str, ...]] = ("boilerplate",)  # annotators whose fields it reads

    def __init__(self, options: dict[str, float] | None = None) -> None:
        self.opts = {**self.options, **(options or {})}

    def check(self, ctx: CheckContext) -> Iterable[Finding]:  # pragma: no cover - interface
        raise NotImplementedError

    @classmethod
    def severities(cls) -> list[Severity]:
        """The severities the rule can give, highest first."""
        return sorted(cls.levels or [cls.severity], reverse=True)

    @classmethod
    def doc(cls) -> str:
        """The rule's documentation: its docstring, dedented, and for a graded rule its levels."""
        text = inspect.cleandoc(cls.__doc__ or "")
        if cls.levels:
            text += "\n\n## Severity\n" + "\n".join(
                f"- **{sev.value}**{' (catalogue)' if sev == cls.severity else ''}: {cls.levels[sev]}"
                for sev in cls.severities())
        return text


RULES: dict[str, type[Rule]] = {}
_CODE = re.compile(r"^XL\d{3}$")


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the catalogue under its stable code."""
    if not _CODE.match(cls.code):
        raise ValueError(f"bad rule code {cls.code!r}")
    from xlingo.annotate import ANNOTATORS

    if unknown := set(cls.requires) - set(ANNOTATORS):
        raise ValueError(f"{cls.code}: requires unknown annotators {sorted(unknown)}")
    if cls.code in RULES and RULES[cls.code] is not cls:
        raise ValueError(f"duplicate rule code {cls.code}")
    for part in ("What it does", "Why is this bad?", "Example", "Use instead"):
        if part not in (cls.__doc__ or ""):
            raise ValueError(f"{cls.code}: docstring lacks the section {part!r}")
    if cls.levels and cls.severity not in cls.levels:
        raise ValueError(f"{cls.code}: levels must say when the catalogue severity {cls.severity.value} applies")
    RULES[cls.code] = cls
    return cls


def rule_catalogue() -> list[RuleSpec]:
    """Code, name and option names of every rule, for validating selectors and options."""
    return [RuleSpec(r.code, r.name, frozenset(r.options)) for r in all_rules()]


def all_rules() -> list[type[Rule]]:
    """Every registered rule, by code."""
    import xlingo.check.rules  # noqa: F401  (registers the built-in rules)

    return [RULES[c] for c in sorted(RULES)]
