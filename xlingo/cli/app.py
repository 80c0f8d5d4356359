"""The typer application and what every command shares: the crash policy, outputs, exit codes.

Crash policy (every command): an :class:`XlingoError` (bad input, config, model) is one line on
stderr and exit 2; any other exception is a bug in xlingo: one line naming it, exit 2, and the
traceback only with ``--debug`` or ``XLINGO_DEBUG=1``. Exit 1 means findings at or above fail-on.
"""
from __future__ import annotations

import functools
import logging
import os
import sys
import traceback
from collections.abc import Callable
from typing import Annotated, Any, Optional, TypeVar

import typer

from xlingo import __version__
from xlingo.errors import XlingoError
from xlingo.model import Report
from xlingo.output import distinct_outputs, forget_inputs, write_atomic
from xlingo.report.escape import terminal_safe
from xlingo.report.formats import FORMATS, render

CONTEXT = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    name="xlingo",
    help="Cross-language translation consistency checker: align the language versions of a story and flag what diverges.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings=CONTEXT,
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13  # as a shell reports a writer killed by SIGPIPE
F = TypeVar("F", bound=Callable[..., Any])
_debug = False


def debugging() -> bool:
    """Show tracebacks of internal errors (``--debug`` or ``XLINGO_DEBUG=1``)?"""
    return _debug or os.environ.get("XLINGO_DEBUG", "") not in ("", "0")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"xlingo {__version__}")
        raise typer.Exit(EXIT_CLEAN)


@app.callback()
def main(
    version: Annotated[Optional[bool], typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit.")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Print the traceback of an internal error (also XLINGO_DEBUG=1).")] = False,
) -> None:
    """Cross-language translation consistency checker: align the language versions of a story and flag what diverges."""
    global _debug
    _debug = debug


def fail(message: str) -> None:
    """Print a one-line error (control characters made visible) and exit 2."""
    typer.echo(f"xlingo: error: {terminal_safe(' '.join(message.split()))}", err=True)
    raise typer.Exit(EXIT_ERROR)


def user_errors(func: F) -> F:
    """The crash policy: one line on stderr and exit 2 for every error, a traceback only when debugging."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        forget_inputs()  # each command is one job: the inputs of an earlier one in this process do not count
        try:
            return func(*args, **kwargs)
        except XlingoError as exc:
            fail(str(exc))
        except (typer.Exit, typer.Abort, typer.TyperException):  # typer's own exits and usage errors
            raise
        except BrokenPipeError:  # the reader stopped early (`| head`, a pager quit): not an error to report
            stop_writing_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except OSError as exc:
            fail(f"{exc.filename or 'I/O'}: {exc.strerror or exc}")
        except KeyboardInterrupt:
            typer.echo("xlingo: interrupted", err=True)
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001 - the contract: a crash exits 2 with one line, never 1
            if debugging():
                traceback.print_exc()
            fail(f"internal error, a bug in xlingo {__version__}: {type(exc).__name__}: {exc} "
                 f"(run with --debug or XLINGO_DEBUG=1 for the traceback)")

    return wrapper  # type: ignore[return-value]


def stop_writing_stdout() -> None:
    """Point standard output at the null device, so that flushing it at exit cannot fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (a test's captured stdout)
        pass


def refuse_empty_paths(options: dict[str, str | list[str] | None]) -> None:
    """An empty path (``--baseline "$FILE"`` with FILE unset) is an error: never the current folder
    read as the input, nor the option silently left out."""
    for option, value in options.items():
        values = value if isinstance(value, list) else [value]
        if any(v is not None and not v.strip() for v in values):
            fail(f"{option}: an empty path (an unset variable?)")


def setup_logging(verbose: int, quiet: bool) -> None:
    """Warnings by default, info with -v, debug with -vv, errors only with -q."""
    level = logging.ERROR if quiet else [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(level=level, format="xlingo: %(levelname)s: %(message)s", stream=sys.stderr, force=True)


def parse_outputs(formats: list[str], output_files: list[str]) -> list[tuple[str, str | None]]:
    """Pair ``--format`` values with ``-o`` files; ``FORMAT:PATH`` also works; ``-`` is standard output."""
    pairs: list[tuple[str, str | None]] = []
    for k, spec in enumerate(formats):
        name, colon, path = spec.partition(":")
        if name not in FORMATS:
            fail(f"unknown format {name!r} (known: {', '.join(FORMATS)})")
        if colon and not path.strip():  # -f "sarif:$OUT" with OUT unset: not standard output
            fail(f"--format {spec}: an empty path (an unset variable?)")
        if path and k < len(output_files):
            fail(f"--format {spec} names its file, and --output-file {output_files[k]} would be left unwritten")
        path = path or (output_files[k] if k < len(output_files) else None)
        pairs.append((name, None if path == "-" else path))
    if len(output_files) > len(formats):
        fail("more --output-file values than --format values")
    if sum(1 for _, p in pairs if p is None) > 1:
        fail("several formats on standard output: give each an --output-file (or FORMAT:PATH)")
    distinct_outputs(p for _, p in pairs if p is not None)
    return pairs


def emit(report: Report, outputs: list[tuple[str, str | None]], text_extra: str = "", **options: Any) -> None:
    """Render the report in every requested format; files are written atomically.

    ``options`` go to the terminal text output (``color``, ``show_rows``, ``timings``, ``statistics``);
    ``text_extra`` follows the text output (a feed's grouping, stale baseline entries); with
    ``github``, the step summary is appended to ``$GITHUB_STEP_SUMMARY`` when that is set. Files and
    the summary come before standard output: a reader that stops early (``| head``) loses none of them.
    """
    if any(name == "github" for name, _ in outputs):  # once, however many github outputs
        from xlingo.report.github import write_step_summary

        write_step_summary(report)
    for name, path in sorted(outputs, key=lambda output: output[1] is None):  # files first (a stable sort)
        if path is None and name == "text":
            from xlingo.report.render_text import print_report

            print_report(report, **options)
            sys.stdout.write(text_extra)
        else:
            extra = {k: v for k, v in options.items() if k in ("show_rows", "timings", "statistics")}
            text = render(report, name, **(extra if name == "text" else {}))
            if name == "text":
                text += text_extra
            if path is None:
                sys.stdout.write(text)
            else:
                write_atomic(path, text)
    sys.stdout.flush()


def exit_code(report: Report, exit_zero: bool = False) -> int:
    """1 when a finding reaches the report's fail-on (unless ``exit_zero``), else 0."""
    failing = any(report.failing(f) for _, f in report.findings)
    return EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN
