"""``xlingo diff``: align the versions of one story and show where they diverge."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from xlingo.cli import options as opt
from xlingo.cli.app import app, emit, parse_outputs, setup_logging, user_errors
from xlingo.pipeline import diff as run_diff


@app.command("diff")
@user_errors
def diff_command(
    paths: Annotated[list[str], typer.Argument(help="The versions of one story: files, or one folder holding them.")],
    lang: Annotated[Optional[str], typer.Option("--lang", "-l", help="Force languages, comma-separated, in the order of the paths (e.g. de,pt,fr).")] = None,
    context: Annotated[list[str], typer.Option("--context", "-c", help="Documents that are not versions but may name things correctly (repeatable).")] = [],  # noqa: B006
    model: opt.Model = None,
    formats: opt.Formats = [],  # noqa: B006
    output_files: opt.OutputFiles = [],  # noqa: B006
    select: opt.Select = None,
    ignore: opt.Ignore = None,
    severity: opt.Severities = [],  # noqa: B006
    glossary: opt.Glossary = [],  # noqa: B006
    config: opt.Config = None,
    presplit: opt.Presplit = False,
    only_findings: Annotated[bool, typer.Option("--only-findings", help="Show only rows that hold findings.")] = False,
    no_color: opt.NoColor = False,
    timings: opt.Timings = False,
    verbose: opt.Verbose = 0,
    quiet: opt.Quiet = False,
) -> None:
    """Align the language versions of one story and report where they diverge."""
    setup_logging(verbose, quiet)
    outputs = parse_outputs(formats or ["text"], output_files)
    settings = opt.build_settings(config=config, model=model, select=select, ignore=ignore, severity=severity,
                                  glossary=glossary, presplit=presplit)
    langs = [x.strip() for x in lang.split(",")] if lang else None
    report = run_diff(paths, langs=langs, context=context, settings=settings)
    emit(report, outputs, color=False if no_color else None, show_rows=not only_findings, timings=timings)
