"""``xlingo diff``: align the versions of one story and show where they diverge."""
from __future__ import annotations

from typing import Annotated, Optional

import typer

from xlingo.cli import options as opt
from xlingo.cli.app import app, emit, exit_code, parse_outputs, refuse_empty_paths, setup_logging, user_errors
from xlingo.config import runtime_setting
from xlingo.embed.threads import set_threads
from xlingo.errors import ConfigError
from xlingo.output import output_target


def parse_langs(value: str) -> list[str]:
    """``--lang de,pt,fr``: every value a language tag babel knows (``German`` or ``xx`` is an error)."""
    from babel import Locale, UnknownLocaleError

    langs = [x.strip() for x in value.split(",")]
    for lang in langs:
        try:
            Locale.parse(lang.replace("-", "_"))
        except (ValueError, TypeError, UnknownLocaleError):
            raise ConfigError(f"--lang: {lang!r} is not a known language tag (e.g. de, pt-BR, zh-Hant)") from None
    return langs


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
    extend_select: opt.ExtendSelect = None,
    ignore: opt.Ignore = None,
    severity: opt.Severities = [],  # noqa: B006
    glossary: opt.Glossary = [],  # noqa: B006
    config: opt.Config = None,
    presplit: opt.Presplit = False,
    fail_on: opt.FailOn = None,
    exit_zero: opt.ExitZero = False,
    only_findings: Annotated[bool, typer.Option("--only-findings", help="Show only rows that hold findings.")] = False,
    statistics: opt.Statistics = False,
    show_settings: opt.ShowSettings = False,
    no_color: opt.NoColor = False,
    threads: opt.Threads = None,
    timings: opt.Timings = False,
    verbose: opt.Verbose = 0,
    quiet: opt.Quiet = False,
) -> None:
    """Align the language versions of one story and report where they diverge.

    Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 an error.
    """
    setup_logging(verbose, quiet)
    refuse_empty_paths({"PATHS": paths, "--context": context, "--glossary": glossary, "--config": config,
                        "--output-file": output_files})
    outputs = parse_outputs(formats or ["text"], output_files)
    settings = opt.build_settings(config=config, model=model, select=select, ignore=ignore, severity=severity,
                                  glossary=glossary, presplit=presplit, fail_on=fail_on, extend_select=extend_select)
    if show_settings:
        typer.echo(opt.show_settings(settings), nl=False)
        raise typer.Exit(0)
    for _, target in outputs:  # refuse an input, a folder or a device before the work, not after
        if target:
            output_target(target, inputs=[*paths, *context, *settings.glossary])
    langs = parse_langs(lang) if lang else None
    set_threads(threads if threads is not None else runtime_setting("threads", config))
    from xlingo.pipeline import diff as run_diff

    report = run_diff(paths, langs=langs, context=context, settings=settings)
    emit(report, outputs, color=False if no_color else None, show_rows=not only_findings, timings=timings,
         statistics=statistics)
    raise typer.Exit(exit_code(report, exit_zero))
