"""SARIF 2.1.0 output, for GitHub code scanning and SARIF viewers.

One run: the rule catalogue of the run in ``tool.driver.rules`` (id, name, descriptions, help,
default level), one result per finding with its span as a region (1-based lines and columns,
``columnKind: unicodeCodePoints``, end column exclusive), the counterparts in the other versions
as ``relatedLocations``, and ``partialFingerprints`` from the content fingerprint. The run's
``properties`` hold the signature, the stats and the grouping. A finding in a JSON Lines or feed
record points at the record's line (and the column where the reader knew it). Rule metadata, locations
and ``fail_on`` come from the report: this module reads nothing but the model.
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from xlingo.model import PROJECT_URL, Finding, Location, Report, Severity, Span, Story
from xlingo.report.escape import json_text, xml_safe

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "xlingoContentHash/v2"  # v2: span and counterparts, not the sentence
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    """A URI reference for a document path: relative paths stay relative (forward slashes)."""
    p = PurePosixPath(Path(path).as_posix())
    uri = quote(str(p), safe="/", errors="replace")
    return f"file://{uri}" if p.is_absolute() else uri


def region(loc: Location, snippet: str) -> dict[str, Any]:
    """The SARIF region of a location (a snippet only where columns are known)."""
    reg: dict[str, Any] = {"startLine": loc.line}
    if loc.column is not None:
        reg["startColumn"] = loc.column
    if loc.end_line is not None:
        reg["endLine"] = loc.end_line
    if loc.end_column is not None:
        reg["endColumn"] = loc.end_column
    if loc.column is not None:
        reg["snippet"] = {"text": xml_safe(snippet)}
    return reg


def _physical(story: Story, span: Finding | Span) -> dict[str, Any]:
    loc = story.where(span)
    return {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(loc.path)},
                                 "region": region(loc, span.text)}}


def _rule_descriptor(report: Report, code: str) -> dict[str, Any]:
    meta = report.rule(code)
    descriptor: dict[str, Any] = {
        "id": code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.doc or meta.summary},
        "helpUri": meta.url,
        "defaultConfiguration": {"level": LEVEL[meta.severity]},
    }
    if meta.doc:
        descriptor["help"] = {"text": meta.doc, "markdown": meta.doc}
    return descriptor


def to_sarif(report: Report) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log (a dict)."""
    codes = sorted(set(report.signature.rules) | {f.rule for _, f in report.findings})
    index = {code: k for k, code in enumerate(codes)}
    results = []
    for story, f in report.findings:
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": LEVEL[f.severity],
            "message": {"text": xml_safe(f.message)},
            "locations": [_physical(story, f)],
            "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
            "properties": {"story": story.id, "lang": f.lang, "doc": f.doc, "text": f.text, "row": f.row},
        }
        if f.suggestion is not None:
            result["properties"]["suggestion"] = f.suggestion
        if f.related:
            result["relatedLocations"] = [
                {"id": k, **_physical(story, s),
                 "message": {"text": xml_safe(f"{s.lang}: {s.text}")}}
                for k, s in enumerate(f.related)]
        results.append(result)
    run = {
        "tool": {"driver": {"name": "xlingo", "version": report.signature.version,
                            "semanticVersion": report.signature.version, "informationUri": PROJECT_URL,
                            "rules": [_rule_descriptor(report, c) for c in codes]}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"signature": str(report.signature), "xlingo": report.signature.to_dict(),
                       "failOn": report.fail_on.value,
                       "stats": dict(sorted(report.stats.items())),
                       "grouping": [g.to_dict() for g in report.grouping]},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, **_: object) -> str:
    """Deterministic SARIF JSON (snippets with characters XML 1.0 forbids made visible)."""
    return json_text(to_sarif(report))
