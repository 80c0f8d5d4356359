"""Generate ``docs/rules.md`` from the rule classes: ``python -m xlingo.check.docs > docs/rules.md``."""
from __future__ import annotations

import re

from xlingo.check.base import Rule, all_rules


def _demote(doc: str) -> str:
    """Rule docstrings use ``##`` headings; on the catalogue page they sit one level lower."""
    return re.sub(r"^## ", "#### ", doc, flags=re.MULTILINE)


def _levels(rule: type[Rule]) -> str:
    """``error`` for a fixed severity, ``**error** / warning`` (catalogue severity in bold) for a graded one."""
    if not rule.levels:
        return rule.severity.value
    return " / ".join(f"**{s.value}**" if s == rule.severity else s.value for s in rule.severities())


def rules_markdown() -> str:
    """The rule catalogue as Markdown: an index table, then one section per rule."""
    rules = all_rules()
    lines = ["# xlingo rules", "",
             "Generated from the rule sources by `python -m xlingo.check.docs`; do not edit by hand.", "",
             "Select or ignore rules by code or prefix (`--select XL1,XL201`, `--ignore XL5`), change a severity "
             "with `--severity XL003=error`, or in `[tool.xlingo]` (see the README).", "",
             "| code | name | severity (graded: when the evidence says so) | summary |", "| --- | --- | --- | --- |"]
    lines += [f"| [{r.code}](#{r.code.lower()}) | {r.name} | {_levels(r)} | {r.summary} |" for r in rules]
    for r in rules:
        lines += ["", f"## {r.code}", "", f"**{r.name}** · severity: {_levels(r)}", "", r.summary + ".",
                  "", _demote(r.doc())]
        if r.options:
            lines += ["", "#### Options", ""]
            lines += [f"- `{k}` = {v:g}" for k, v in sorted(r.options.items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
