"""``xlingo rules``: the rule catalogue, and one rule's documentation."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from xlingo.check.base import RULES, all_rules
from xlingo.cli.app import app, fail, user_errors


@app.command("rules")
@user_errors
def rules_command(
    code: Annotated[Optional[str], typer.Argument(help="A rule code (e.g. XL101) or name to print its documentation; "
                                                       "a code prefix (e.g. XL1, as --select takes) lists its rules.")] = None,
) -> None:
    """List the rules (those of a code prefix), or print one rule's documentation."""
    rules = all_rules()
    if code:
        exact = RULES.get(code.upper()) or next((r for r in rules if r.name == code.lower()), None)
        rules = [exact] if exact else [r for r in rules if r.code.startswith(code.upper())]
        if not rules:
            fail(f"unknown rule {code!r}; `xlingo rules` lists them")
            return
    if code and len(rules) == 1:
        cls = rules[0]
        typer.echo(f"# {cls.code} {cls.name} ({cls.severity.value})\n\n{cls.summary}.\n\n{cls.doc()}")
        if cls.options:
            typer.echo("\n## Options\n" + "\n".join(f"- `{k}` = {v:g}" for k, v in sorted(cls.options.items())))
        return
    for cls in rules:
        typer.echo(f"{cls.code}  {cls.name:<28} {cls.severity.value:<8} {cls.summary}")
