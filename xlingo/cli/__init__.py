"""Command line: ``xlingo diff``, ``xlingo check``, ``xlingo rules``, ``xlingo model``."""
from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from xlingo.cli import check, diff, model, render, rules  # noqa: F401  (register the commands)
from xlingo.cli.app import EXIT_ERROR, app
from xlingo.report.escape import terminal_safe


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``xlingo`` script (arguments from ``argv``, else the command line): a usage
    error (unknown option, bad option value, missing argument) is one line on stderr and exit 2, like
    every other error; a bare group prints its help."""
    try:
        code = app(args=None if argv is None else list(argv), prog_name="xlingo", standalone_mode=False)
    except typer.Abort:
        typer.echo("xlingo: aborted", err=True)
        sys.exit(1)
    except typer.TyperException as exc:  # typer's (vendored Click's) usage errors
        message = " ".join(exc.format_message().split())
        if message:  # else a group called bare: its help is shown already
            ctx = getattr(exc, "ctx", None)
            hint = f" (`{ctx.command_path} -h` lists the options)" if ctx is not None else ""
            typer.echo(f"xlingo: error: {terminal_safe(message)}{hint}", err=True)
        sys.exit(getattr(exc, "exit_code", EXIT_ERROR))
    sys.exit(code if isinstance(code, int) else 0)
