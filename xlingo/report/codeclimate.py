"""Code Climate JSON, the format of GitLab's code quality reports.

A JSON array of issues: ``type``, ``check_name`` (the rule code), ``description``,
``categories``, ``severity`` (info -> ``info``, warning -> ``major``, error -> ``critical``;
``blocker`` is not used), a ``fingerprint`` and ``location`` (``path`` and
``positions.begin/end`` with line, and column where known). GitLab matches issues between a merge
request and its target by fingerprint, which must be unique: it is the content fingerprint, the
document path and the occurrence number, hashed, so it survives edits elsewhere in the text. The
format has no place for the grouping; use another format alongside for that.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from xlingo.model import Report, Severity
from xlingo.report.escape import json_text

SEVERITY = {Severity.INFO: "info", Severity.WARNING: "major", Severity.ERROR: "critical"}


def to_codeclimate(report: Report) -> list[dict[str, Any]]:
    """The report's findings as Code Climate issues."""
    seen: Counter[tuple[str, str]] = Counter()
    issues = []
    for story, f in report.findings:
        loc = story.where(f)
        seen[(f.fingerprint, loc.path)] += 1
        key = f"{f.fingerprint}\x1f{loc.path}\x1f{seen[(f.fingerprint, loc.path)]}"
        begin: dict[str, int] = {"line": loc.line}
        end: dict[str, int] = {"line": loc.end_line or loc.line}
        if loc.column is not None and loc.end_column is not None:
            begin["column"], end["column"] = loc.column, loc.end_column
        description = f"{f.rule} {report.rule(f.rule).name}: {f.message} [{f.lang}]"
        issues.append({
            "type": "issue",
            "check_name": f.rule,
            "description": description,
            "categories": ["Bug Risk"],
            "severity": SEVERITY[f.severity],
            "fingerprint": hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32],
            "location": {"path": loc.path, "positions": {"begin": begin, "end": end}},
        })
    return issues


def render(report: Report, **_: object) -> str:
    """Deterministic Code Climate JSON."""
    return json_text(to_codeclimate(report))
