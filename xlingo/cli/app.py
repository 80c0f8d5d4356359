"""The typer application and what every command shares: error handling, outputs."""
from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
import typer

from xlingo.errors import XlingoError
from xlingo.output import write_atomic
from xlingo.report.formats import FORMATS, render
from xlingo.report.model import Report

app = typer.Typer(
    name="xlingo",
    help="Cross-language translation consistency checker: align the language versions of a story and flag what diverges.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> None:
    """Print a one-line error and exit 2."""
    typer.echo(f"xlingo: error: {message}", err=True)
    raise typer.Exit(EXIT_ERROR)


def user_errors(func: F) -> F:
    """Turn :class:`XlingoError` (and a few OS errors) into one line on stderr and exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except XlingoError as exc:
            fail(str(exc))
        except (typer.Exit, click.exceptions.ClickException):
            raise
        except OSError as exc:
            fail(f"{exc.filename or 'I/O'}: {exc.strerror or exc}")
        except KeyboardInterrupt:
            typer.echo("xlingo: interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def setup_logging(verbose: int, quiet: bool) -> None:
    """Warnings by default, info with -v, debug with -vv, errors only with -q."""
    level = logging.ERROR if quiet else [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(level=level, format="xlingo: %(levelname)s: %(message)s", stream=sys.stderr, force=True)


def parse_outputs(formats: list[str], output_files: list[str]) -> list[tuple[str, str | None]]:
    """Pair ``--format`` values with ``-o`` files; ``FORMAT:PATH`` also works; ``-`` is standard output."""
    pairs: list[tuple[str, str | None]] = []
    for k, spec in enumerate(formats):
        name, _, path = spec.partition(":")
        if name not in FORMATS:
            fail(f"unknown format {name!r} (known: {', '.join(FORMATS)})")
        path = path or (output_files[k] if k < len(output_files) else None)
        pairs.append((name, None if path == "-" else path))
    if len(output_files) > len(formats):
        fail("more --output-file values than --format values")
    if sum(1 for _, p in pairs if p is None) > 1:
        fail("several formats on standard output: give each an --output-file (or FORMAT:PATH)")
    return pairs


def emit(report: Report, outputs: list[tuple[str, str | None]], **options: Any) -> None:
    """Render the report in every requested format; files are written atomically."""
    for name, path in outputs:
        if path is None:
            if name == "text":
                from xlingo.report.render_text import print_report

                print_report(report, **options)
            else:
                sys.stdout.write(render(report, name))
        else:
            write_atomic(path, render(report, name))
