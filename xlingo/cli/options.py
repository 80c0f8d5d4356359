"""Options shared by ``diff`` and ``check``, and how they become :class:`Settings`."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from xlingo.config import Settings, load_settings, parse_severity

Model = Annotated[Optional[str], typer.Option("--model", "-m", help="Encoder: e5-small (default, offline), use-v3, or any sentence-transformers name or path.")]
Formats = Annotated[list[str], typer.Option("--format", "-f", help="Output format (text, json, sarif, junit, github, codeclimate, html); repeat for several, FORMAT:PATH to name a file.")]
OutputFiles = Annotated[list[str], typer.Option("--output-file", "-o", help="Write the matching --format to this file (atomically).")]
Select = Annotated[Optional[str], typer.Option("--select", help="Comma-separated rule codes or prefixes to enable (e.g. XL1,XL201).")]
Ignore = Annotated[Optional[str], typer.Option("--ignore", help="Comma-separated rule codes or prefixes to disable.")]
Severities = Annotated[list[str], typer.Option("--severity", help="Override a rule's severity: CODE=error|warning|info (repeatable).")]
Config = Annotated[Optional[str], typer.Option("--config", help="Config file (xlingo.toml or pyproject.toml); default: the nearest one found.")]
Glossary = Annotated[list[str], typer.Option("--glossary", "-g", help="Glossary / do-not-translate list (CSV or TBX); repeatable.")]
Presplit = Annotated[bool, typer.Option("--presplit", help="Inputs are already segmented: one sentence per line (ids = line numbers).")]
NoColor = Annotated[bool, typer.Option("--no-color", help="Plain text, no colours.")]
Timings = Annotated[bool, typer.Option("--timings", help="Print stage timings (never written into JSON).")]
Verbose = Annotated[int, typer.Option("--verbose", "-v", count=True, help="More logging (-vv for debug).")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")]


def _codes(value: str | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(c.strip().upper() for c in value.split(",") if c.strip())


def build_settings(*, config: str | None, model: str | None, select: str | None, ignore: str | None,
                   severity: list[str], glossary: list[str], presplit: bool, fail_on: str | None = None) -> Settings:
    """CLI over config file over defaults."""
    base = load_settings(config)
    sev = dict(base.severity)
    for item in severity:
        code, _, level = item.partition("=")
        sev[code.strip().upper()] = parse_severity(level.strip(), f"--severity {item}")
    return base.with_cli(
        model=model, select=_codes(select), ignore=_codes(ignore),
        severity=tuple(sorted(sev.items())) if severity else None,
        glossary=tuple(glossary) if glossary else None,
        presplit=True if presplit else None,
        fail_on=parse_severity(fail_on, "--fail-on") if fail_on else None,
    )
