"""``xlingo render``: render a saved JSON report in any format, without the model or the inputs."""
from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer

from xlingo.cli import options as opt
from xlingo.cli.app import app, emit, parse_outputs, user_errors
from xlingo.errors import InputError
from xlingo.model import Report


def load_report(path: str) -> Report:
    """A report from a JSON file written by ``--format json``, validated against the schema."""
    import jsonschema

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a JSON report: {exc}") from None
    schema = json.loads(files("xlingo.report").joinpath("schema.json").read_text(encoding="utf-8"))
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "top level"
        raise InputError(f"{path}: not a valid xlingo report ({where}: {exc.message})") from None
    return Report.from_dict(data)


@app.command("render")
@user_errors
def render_command(
    report_file: Annotated[str, typer.Argument(help="A report written by `--format json`.")],
    formats: opt.Formats = [],  # noqa: B006
    output_files: opt.OutputFiles = [],  # noqa: B006
    only_findings: Annotated[bool, typer.Option("--only-findings", help="Show only rows that hold findings.")] = False,
    statistics: opt.Statistics = False,
    no_color: opt.NoColor = False,
) -> None:
    """Render a saved JSON report as html, sarif, junit, github, codeclimate, text or json."""
    outputs = parse_outputs(formats or ["text"], output_files)
    emit(load_report(report_file), outputs, color=False if no_color else None, show_rows=not only_findings,
         statistics=statistics)
