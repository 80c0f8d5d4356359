"""SARIF 2.1.0 output, for GitHub code scanning and SARIF viewers.

One run: the rule catalogue of the run in ``tool.driver.rules`` (id, name, descriptions, help,
default level), one result per finding with its span as a region (1-based lines and columns,
``columnKind: unicodeCodePoints``, end column exclusive), the counterparts in the other versions
as ``relatedLocations``, and ``partialFingerprints`` from the content fingerprint. The run's
``properties`` hold the signature, the stats and the grouping. A finding in a JSON Lines or feed
record points at the record's line (no columns: the text sits JSON- or XML-escaped in the file).
"""
from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from xlingo import __version__
from xlingo.check.base import RULES, all_rules
from xlingo.document import Document
from xlingo.feed import location
from xlingo.report.model import Report, Severity

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
RULES_DOC = "docs/rules.md"  # where each rule's page lives (anchor: the code in lower case)
FINGERPRINT_KEY = "xlingoContentHash/v2"  # v2: span and counterparts, not the sentence
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def rule_meta(code: str) -> dict[str, str]:
    """Name, summary, documentation and default severity of a rule code (placeholders if unknown)."""
    if code not in RULES:
        all_rules()
    cls = RULES.get(code)
    if cls is None:
        return {"name": code, "summary": code, "doc": "", "severity": Severity.WARNING.value}
    return {"name": cls.name, "summary": cls.summary, "doc": cls.doc(), "severity": cls.severity.value}


def artifact_uri(path: str) -> str:
    """A URI reference for a document path: relative paths stay relative (forward slashes)."""
    p = Path(path)
    if p.is_absolute():
        return p.as_uri()
    return quote(str(PurePosixPath(*p.parts)), safe="/")


def region(doc: Document, start: int, end: int) -> tuple[str, dict[str, Any]]:
    """Artifact URI and SARIF region of a span of ``doc``."""
    loc = location(doc, start, end)
    reg: dict[str, Any] = {"startLine": loc.line}
    if loc.column is not None:
        reg["startColumn"] = loc.column
    if loc.end_line is not None:
        reg["endLine"] = loc.end_line
    if loc.end_column is not None:
        reg["endColumn"] = loc.end_column
    if loc.column is not None:
        reg["snippet"] = {"text": doc.text[start:end]}
    return artifact_uri(loc.path), reg


def _physical(doc: Document, start: int, end: int) -> dict[str, Any]:
    uri, reg = region(doc, start, end)
    return {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": reg}}


def _rule_descriptor(code: str) -> dict[str, Any]:
    meta = rule_meta(code)
    descriptor: dict[str, Any] = {
        "id": code,
        "name": meta["name"],
        "shortDescription": {"text": meta["summary"]},
        "fullDescription": {"text": meta["doc"] or meta["summary"]},
        "helpUri": f"{RULES_DOC}#{code.lower()}",
        "defaultConfiguration": {"level": LEVEL[Severity(meta["severity"])]},
    }
    if meta["doc"]:
        descriptor["help"] = {"text": meta["doc"], "markdown": meta["doc"]}
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
            "message": {"text": f.message},
            "locations": [_physical(story.document(f.doc), f.start, f.end)],
            "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
            "properties": {"story": story.id, "lang": f.lang, "doc": f.doc, "text": f.text, "row": f.row},
        }
        if f.suggestion is not None:
            result["properties"]["suggestion"] = f.suggestion
        if f.related:
            result["relatedLocations"] = [
                {"id": k, **_physical(story.document(s.doc), s.start, s.end),
                 "message": {"text": f"{s.lang}: {s.text}"}}
                for k, s in enumerate(f.related)]
        results.append(result)
    run = {
        "tool": {"driver": {"name": "xlingo", "version": __version__, "semanticVersion": __version__,
                            "rules": [_rule_descriptor(c) for c in codes]}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"signature": str(report.signature), "xlingo": report.signature.to_dict(),
                       "stats": dict(sorted(report.stats.items())),
                       "grouping": [g.to_dict() for g in report.grouping]},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, **_: object) -> str:
    """Deterministic SARIF JSON."""
    return json.dumps(to_sarif(report), ensure_ascii=False, indent=2) + "\n"
