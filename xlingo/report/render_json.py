"""JSON output: the report model itself, validated by ``schema.json``."""
from __future__ import annotations

from xlingo.model import Report
from xlingo.report.escape import json_text


def render(report: Report, **_: object) -> str:
    """Deterministic JSON of the report (:meth:`Report.to_json`, a ``##[`` in a string escaped as
    ``#\\u0023[``: the same data, safe to print into a CI log)."""
    return json_text(report.to_dict())
