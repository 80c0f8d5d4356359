"""``xlingo render``: render a saved JSON report in any format, without the model or the inputs."""
from __future__ import annotations

import json
from importlib.resources import files
from typing import Annotated, Any

import typer

from xlingo.cli import options as opt
from xlingo.cli.app import app, emit, parse_outputs, refuse_empty_paths, user_errors
from xlingo.errors import InputError
from xlingo.model import Report
from xlingo.output import mark_input
from xlingo.read import read_bounded_text

MAX_REPORT_BYTES = 256 * 1024 * 1024


def load_report(path: str) -> Report:
    """A report from a JSON file written by ``--format json``, validated against the schema."""
    import jsonschema

    try:
        data = json.loads(read_bounded_text(path, MAX_REPORT_BYTES), parse_constant=_not_json)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise InputError(f"{path}: not a JSON report: {exc}") from None
    except RecursionError:
        raise InputError(f"{path}: not a JSON report: nested too deeply") from None
    mark_input(path)  # no output of this run may replace it
    schema = json.loads(files("xlingo.report").joinpath("schema.json").read_text(encoding="utf-8"))
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "top level"
        raise InputError(f"{path}: not a valid xlingo report ({where}: {exc.message})") from None
    problem = _dangling_reference(data)
    if problem:
        raise InputError(f"{path}: not a valid xlingo report ({problem})")
    return Report.from_dict(data)


def _not_json(constant: str) -> None:
    """``NaN`` and ``Infinity``, which Python's reader takes but JSON (and every output) does not."""
    raise ValueError(f"{constant} is not a JSON number")


def _dangling_reference(data: dict[str, Any]) -> str | None:
    """Where a story's alignment or findings name a document, sentence or row it does not have
    (the schema cannot say so): the renderers index by them."""
    for s, story in enumerate(data["stories"]):
        sentences = {d["id"]: len(d.get("sentences", ())) for d in (*story["documents"], *story.get("context", ()))}
        versions = {d["id"] for d in story["documents"]}
        for r, row in enumerate(story.get("alignment", ())):
            for doc, ids in row["cells"].items():
                if doc not in versions:
                    return f"stories/{s}/alignment/{r}/cells: {doc!r} is not a version of the story"
                if any(i >= sentences[doc] for i in ids):
                    return f"stories/{s}/alignment/{r}/cells/{doc}: a sentence the document does not have"
        for k, f in enumerate(story.get("findings", ())):
            docs = [f["doc"], *(rel["doc"] for rel in f.get("related", ()))]
            if any(doc not in sentences for doc in docs):
                return f"stories/{s}/findings/{k}: a document the story does not have"
            if f.get("row") is not None and f["row"] >= len(story.get("alignment", ())):
                return f"stories/{s}/findings/{k}/row: a row the alignment does not have"
    return None


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
    from xlingo.cli.check import text_extras

    refuse_empty_paths({"REPORT_FILE": report_file, "--output-file": output_files})
    outputs = parse_outputs(formats or ["text"], output_files)
    report = load_report(report_file)
    emit(report, outputs, text_extra=text_extras(report, None) if report.grouping else "",
         color=False if no_color else None, show_rows=not only_findings, statistics=statistics)
