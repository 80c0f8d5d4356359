"""HTML output: one self-contained divergence viewer (no network, strict Content-Security-Policy).

The page is a static shell (``viewer.html``, ``viewer.css``, ``viewer.js``, package data) plus
the report's view model as a JSON data island; ``viewer.js`` builds the DOM with
``createElement``/``textContent`` only, and the CSP allows nothing but that one script and
that one style sheet, by hash.

Highlights are computed here: a cell's text becomes a tree of text leaves and marks.
Overlapping findings are split into pieces so that marks nest; every finding has exactly
one *head* piece (``data-finding`` in the page) and maybe continuation pieces
(``data-part``). Findings that fall outside every aligned cell are listed under the story.

Rows: the strip shows the engine's similarity (and divergence when set) and the row's level
(*weak*, *fair*, *good*), and cells their tags (*omission*, *absent* = no counterpart,
*addition*), all as the report computed them (``Report.levels``, thresholds in the JSON). A
finding stays where the engine put it (in a version that has the text); empty cells link to the
findings of their row. A row's unsure words (``Row.unsure_words``) are text leaves of their own,
``{"t": text, "u": chance, "c": [[language, counterpart], ...], "m": [version, ...], "a": words}``
(the versions the word may be missing in and, where one alone lacks it, its words about the place),
which the page shades.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Sequence
from importlib.resources import files
from typing import Any

from xlingo.model import SCHEMA_VERSION, Finding, Report, Row, Severity, Story, UnsureWord, round_score

#: how much of a row's other cells a finding without related spans quotes
QUOTE_CHARS = 200

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_UNSAFE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")  # JSON-escaped in the data island
_SLOT = re.compile(r"@@(CSP|TITLE|CSS|JS|DATA)@@")


def render(report: Report, **_: object) -> str:
    """The viewer page for ``report``: one HTML file, deterministic for a given report."""
    css, js = _asset("viewer.css"), _asset("viewer.js")
    slots = {
        "CSP": csp(css, js),
        "TITLE": _escape(_title(report)),
        "CSS": css,
        "JS": js,
        "DATA": json_island(view_model(report)),
    }
    return _SLOT.sub(lambda m: slots[m.group(1)], _asset("viewer.html"))


def csp(css: str, js: str) -> str:
    """The page's Content-Security-Policy: only the inline sheet and script, by hash."""
    return ("default-src 'none'; "
            f"script-src '{_sha256(js)}'; style-src '{_sha256(css)}'; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def json_island(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&``, U+2028/9, lone surrogates."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def view_model(report: Report) -> dict[str, Any]:
    """Everything the page shows, as plain JSON data (marks precomputed)."""
    report.resolve()
    findings: list[dict[str, Any]] = []
    stories = [_story(k, s, findings) for k, s in enumerate(report.stories)]
    anchors = {s["id"]: s["anchor"] for s in stories}
    return {
        "schema": SCHEMA_VERSION,
        "signature": report.signature.to_dict(),
        "stats": dict(sorted(report.stats.items())),
        "rules": {c: {"name": report.rule(c).name, "summary": report.rule(c).summary}
                  for c in sorted({f["rule"] for f in findings}) if c in report.rules},
        "findings": findings,
        "stories": stories,
        "grouping": [{**g.to_dict(), "anchor": anchors.get(g.story or "")} for g in report.grouping],
    }


def _story(index: int, story: Story, out: list[dict[str, Any]]) -> dict[str, Any]:
    """A story's view: columns, rows with marked-up cells, findings appended to ``out``."""
    docs = {d.id: d for d in story.documents}
    base = len(out)
    ordered = sorted(story.findings, key=Finding.sort_key)
    for f in ordered:
        out.append(_finding(f"f{len(out)}", f, story))
    by_doc: dict[str, list[tuple[int, int, int]]] = {}
    for k, f in enumerate(ordered, start=base):
        if f.doc in docs:
            n = len(docs[f.doc].text)
            start, end = min(max(f.start, 0), n), min(max(f.end, 0), n)
            by_doc.setdefault(f.doc, []).append((start, max(start, end), k))
    started: set[int] = set()
    rows = []
    for r, row in enumerate(story.alignment):
        cells, placed = [], {k for k in range(base, len(out)) if ordered[k - base].row == r}
        filled = [d.id for d in story.documents if row.cells.get(d.id)]
        for d in story.documents:
            ids = row.cells.get(d.id, ())
            if not ids:
                cells.append({"n": 0, "tag": row.tags.get(d.id, "absent"), "has": [docs[x].lang for x in filled]})
                continue
            a, b = d.sentences_span(ids)
            spans = _clip(by_doc.get(d.id, []), a, b, started)
            placed.update(k for _, _, k in spans)
            unsure = [u for u in row.unsure_words if u.word.doc == d.id and a <= u.word.start < u.word.end <= b]
            cell: dict[str, Any] = {"n": len(ids), "tree": _tree(d.text, a, b, spans, started, unsure)}
            if d.id in row.tags:
                cell["tag"] = row.tags[d.id]
            cells.append(cell)
        rows.append({**_strip(row), "kind": "-".join(str(len(row.cells.get(d, ()))) for d in docs),
                     "cells": cells, "fs": [f"f{k}" for k in sorted(placed)]})
    unplaced = [k for k in range(base, len(out)) if k not in started]
    counts = {s.value: sum(f.severity is s for f in ordered) for s in Severity}
    status = next((s for s in ("error", "warning", "info") if counts[s]), "clean")
    return {
        "id": story.id, "anchor": f"s{index}", "counts": counts, "status": status,
        "docs": [{"id": d.id, "lang": d.lang, "path": d.path, "title": d.title,
                  "n": sum(f.doc == d.id for f in ordered)} for d in story.documents],
        "context": [{"id": d.id, "lang": d.lang, "path": d.path} for d in story.context],
        "rows": rows,
        "unplaced": [{"f": k, "h": 1, "k": [out[k]["text"]] if out[k]["text"] else []} for k in unplaced],
    }


def _finding(fid: str, f: Finding, s: Story) -> dict[str, Any]:
    """One finding as the popover shows it; quotes the row's other cells if it has no related spans."""
    d: dict[str, Any] = {
        "id": fid, "rule": f.rule, "sev": f.severity.value, "msg": f.message,
        "doc": f.doc, "lang": f.lang, "text": f.text, "row": f.row, "fp": f.fingerprint,
        "story": s.id, "path": s.document(f.doc).path,  # for the baseline and CSV the page exports
        "rel": [{"doc": r.doc, "lang": r.lang, "text": r.text} for r in f.related],
    }
    if f.suggestion is not None:
        d["sug"] = f.suggestion
    if not f.related and f.row is not None and 0 <= f.row < len(s.alignment):
        row = s.alignment[f.row]
        d["alt"] = [{"doc": o.id, "lang": o.lang, "text": _quote(o.text[slice(*o.sentences_span(row.cells[o.id]))])}
                    for o in s.documents if o.id != f.doc and row.cells.get(o.id)]
    return d


def _clip(spans: list[tuple[int, int, int]], a: int, b: int, started: set[int]) -> list[tuple[int, int, int]]:
    """The findings' spans that touch ``[a, b)``, clipped; an empty span goes to its first cell only."""
    out = []
    for start, end, k in spans:
        if start == end:
            if a <= start <= b and k not in started:
                out.append((start, end, k))
        elif start < b and end > a:
            out.append((max(start, a), min(end, b), k))
    return out


def _tree(text: str, a: int, b: int, spans: list[tuple[int, int, int]], started: set[int],
          unsure: Sequence[UnsureWord] = ()) -> list[Any]:
    """``text[a:b]`` as leaves (str, or ``{"t", "u", "c", "m", "a"?}`` for an unsure word) and nested marks
    ``{"f", "h"?, "d", "k"}``.

    Marks open longest first; a mark that must close while inner marks are still open closes
    them and reopens them as continuation pieces. The first piece of a finding is its head.
    """
    root: list[Any] = []
    stack: list[tuple[int, dict[str, Any]]] = []  # (end, mark)
    opening = sorted(spans, key=lambda s: (s[0], -s[1], s[2]))
    points = sorted({a, b, *(s[0] for s in spans), *(s[1] for s in spans),
                     *(x for u in unsure for x in (u.word.start, u.word.end))})

    def leaf(start: int, end: int) -> Any:
        u = next((u for u in unsure if u.word.start <= start and end <= u.word.end), None)
        if u is None:
            return text[start:end]
        out = {"t": text[start:end], "u": round_score(u.chance), "c": [[c.lang, c.text] for c in u.counterparts],
               "m": list(u.missing_from)}
        if u.around is not None:
            out["a"] = u.around.text
        return out

    def open_mark(k: int, end: int) -> dict[str, Any]:
        mark: dict[str, Any] = {"f": k, "k": []}
        if k not in started:
            mark["h"] = 1
            started.add(k)
        (stack[-1][1]["k"] if stack else root).append(mark)
        stack.append((end, mark))
        return mark

    i = 0
    for n, p in enumerate(points):
        reopen = []
        while any(end == p for end, _ in stack):
            end, mark = stack.pop()
            if end != p:
                reopen.append((mark["f"], end))
        for k, end in reversed(reopen):
            open_mark(k, end)
        while i < len(opening) and opening[i][0] == p:
            start, end, k = opening[i]
            i += 1
            open_mark(k, end)
            if start == end:
                stack.pop()
        if n + 1 < len(points) and points[n + 1] > p:
            (stack[-1][1]["k"] if stack else root).append(leaf(p, points[n + 1]))
    for node in root:
        _depth(node)
    return root


def _depth(node: Any) -> int:
    """Set each mark's nesting height ``d`` (1 = no marks inside); text leaves count 0."""
    if isinstance(node, str) or "t" in node:
        return 0
    node["d"] = 1 + max((_depth(c) for c in node["k"]), default=0)
    return node["d"]


def _strip(row: Row) -> dict[str, Any]:
    """Similarity, divergence and level of a row, as the report computed them."""
    return {"sim": round_score(row.similarity), "div": round_score(row.divergence), "level": row.level}


def _title(report: Report) -> str:
    if len(report.stories) == 1 and not report.grouping:  # one line: the page may be printed into a CI log
        return f"xlingo · {' '.join(_BIDI.sub('', report.stories[0].id).split())}"
    n = len(report.stories)
    return f"xlingo · feed report · {n} {'story' if n == 1 else 'stories'}"


def _quote(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS - 1].rstrip() + "…"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _asset(name: str) -> str:
    """A viewer asset; none may close its own element early."""
    text = (files("xlingo.report") / name).read_text(encoding="utf-8")
    if name != "viewer.html" and re.search(r"</(script|style)", text, re.I):
        raise ValueError(f"{name} must not contain a closing script/style tag")
    return text
