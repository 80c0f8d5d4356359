"""JSON output: the report model itself, validated by ``schema.json``."""
from __future__ import annotations

from xlingo.model import Report


def render(report: Report, **_: object) -> str:
    """Deterministic JSON of the report."""
    return report.to_json()
