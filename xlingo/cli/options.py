"""Options shared by ``diff`` and ``check``, and how they become validated :class:`Settings`."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from xlingo.config import Settings, comma_list, load_settings, parse_severity
from xlingo.errors import ConfigError

Model = Annotated[Optional[str], typer.Option("--model", "-m", help="Encoder: e5-small (default, offline), use-v3, or any sentence-transformers name or path.")]
Formats = Annotated[list[str], typer.Option("--format", "-f", help="Output format (text, json, sarif, junit, github, codeclimate, html); repeat for several, FORMAT:PATH to name a file.")]
OutputFiles = Annotated[list[str], typer.Option("--output-file", "-o", help="Write the matching --format to this file (atomically).")]
Select = Annotated[Optional[str], typer.Option("--select", help="Comma-separated rule codes, prefixes or names to enable, replacing the configured ones (e.g. XL1,XL201).")]
ExtendSelect = Annotated[Optional[str], typer.Option("--extend-select", help="Comma-separated rule codes, prefixes or names to enable on top of the selected ones.")]
Ignore = Annotated[Optional[str], typer.Option("--ignore", help="Comma-separated rule codes, prefixes or names to disable.")]
Severities = Annotated[list[str], typer.Option("--severity", help="Override a rule's severity: CODE=error|warning|info (repeatable).")]
Config = Annotated[Optional[str], typer.Option("--config", help="Config file (xlingo.toml or pyproject.toml); default: the nearest one found.")]
Glossary = Annotated[list[str], typer.Option("--glossary", "-g", help="Glossary / do-not-translate list (CSV or TBX); repeatable.")]
Presplit = Annotated[bool, typer.Option("--presplit", help="Inputs are already segmented: one sentence per non-blank line.")]
FailOn = Annotated[Optional[str], typer.Option("--fail-on", help="Lowest severity that fails (exit 1): error, warning or info (default: config, else error).")]
ExitZero = Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even with findings (errors still exit 2).")]
Statistics = Annotated[bool, typer.Option("--statistics", help="Show the number of findings per rule.")]
ShowSettings = Annotated[bool, typer.Option("--show-settings", help="Print every setting in effect (what the signature hashes) and exit.")]
NoColor = Annotated[bool, typer.Option("--no-color", help="Plain text, no colours.")]
Threads = Annotated[Optional[int], typer.Option("--threads", min=1, help="Encoder threads (default: config 'threads', else automatic).")]
Timings = Annotated[bool, typer.Option("--timings", help="Print stage timings (never written into JSON).")]
Verbose = Annotated[int, typer.Option("--verbose", "-v", count=True, help="More logging (-vv for debug).")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")]


def _codes(value: str | None) -> tuple[str, ...] | None:
    return None if value is None else comma_list(value)


def build_settings(*, config: str | None, model: str | None, select: str | None, ignore: str | None,
                   severity: list[str], glossary: list[str], presplit: bool, fail_on: str | None = None,
                   extend_select: str | None = None) -> Settings:
    """CLI over config file over defaults, validated against the rule catalogue."""
    if model is not None and not model.strip():  # --model "$MODEL" with MODEL unset: not the default model
        raise ConfigError("--model: an empty model name (e5-small, use-v3, or a sentence-transformers name or path)")
    base = load_settings(config)
    sev = dict(base.severity)
    for item in severity:
        code, eq, level = item.partition("=")
        if not eq or not code.strip():
            raise ConfigError(f"--severity {item!r}: expected CODE=error|warning|info")
        sev[code.strip()] = parse_severity(level.strip(), f"--severity {item}")
    selected = _codes(select)
    if extend_select is not None:
        selected = (selected if selected is not None else base.select) + (_codes(extend_select) or ())
    settings = base.with_cli(
        model=model, select=selected, ignore=_codes(ignore),
        severity=tuple(sorted(sev.items())) if severity else None,
        glossary=tuple(glossary) if glossary else None,
        presplit=True if presplit else None,
        fail_on=parse_severity(fail_on, "--fail-on") if fail_on is not None else None,
    )
    if not settings.select:  # e.g. --select "$RULES" with RULES unset: no rule at all, a gate always green
        where = f"--select {select!r}" if select is not None else "select (config)"
        raise ConfigError(f"{where}: no rule selector given (`xlingo rules` lists the rules)")
    from xlingo.check.base import rule_catalogue

    return settings.validate_rules(rule_catalogue())


def show_settings(settings: Settings) -> str:
    """Every setting in effect, with the alignment parameters and the options of the selected rules."""
    from xlingo.align import AlignParams
    from xlingo.check.runner import selected_rules
    from xlingo.pipeline import stage_parameters

    return settings.show(stage_parameters(selected_rules(settings), AlignParams().with_options(settings.align_options)))
