"""GitHub Actions output: workflow-command annotations, and a Markdown step summary.

Each finding becomes ``::error|warning|notice file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message``
(info findings are notices). Escaping follows the Actions toolkit: in the message ``%``, ``\\r``,
``\\n`` become ``%25``, ``%0D``, ``%0A``; in properties also ``:`` and ``,`` become ``%3A``, ``%2C``.
Columns are given only when a span starts and ends on one line (GitHub ignores them otherwise).

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step and 50 per job
(actions/toolkit, ``docs/problem-matchers.md``, "Limitations"); more are dropped silently. So at
most 10 errors, 10 warnings and 9 notices are annotated, errors first; when findings are left
over, one more notice says how many, and every finding is also printed as a plain log line. The
full report goes to the step summary (``$GITHUB_STEP_SUMMARY``, appended, capped at GitHub's
1 MiB) when :func:`write_step_summary` is called.
"""
from __future__ import annotations

import os
from collections import Counter

from xlingo.feed import Location, location
from xlingo.report.model import Finding, Report, Severity, Story
from xlingo.report.sarif import rule_meta

KIND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
PER_STEP = {"error": 10, "warning": 10, "notice": 9}  # one notice is kept for the overflow note
SUMMARY_LIMIT = 1024 * 1024  # bytes GitHub accepts in one step's summary


def escape_data(text: str) -> str:
    """Escape a workflow-command message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow-command property value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _where(story: Story, f: Finding) -> Location:
    return location(story.document(f.doc), f.start, f.end)


def _message(f: Finding) -> str:
    text = f"{f.message} [{f.lang}]"
    if f.text and f.text not in f.message:
        text += f" «{f.text}»"
    if f.suggestion:
        text += f" → {f.suggestion}"
    return text


def annotation(story: Story, f: Finding) -> str:
    """One workflow command for a finding."""
    loc = _where(story, f)
    props = [("file", loc.path), ("line", str(loc.line))]
    if loc.column is not None and loc.end_line == loc.line:
        props += [("col", str(loc.column)), ("endColumn", str(loc.end_column))]
    elif loc.end_line is not None:
        props.append(("endLine", str(loc.end_line)))
    props.append(("title", f"{f.rule} {rule_meta(f.rule)['name']}"))
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{KIND[f.severity]} {head}::{escape_data(_message(f))}"


def plain_line(story: Story, f: Finding) -> str:
    """A finding as a log line that GitHub does not turn into an annotation."""
    loc = _where(story, f)
    col = f":{loc.column}" if loc.column is not None else ""
    return f"  {loc.path}:{loc.line}{col}: {f.rule} {f.severity.value}: {' '.join(_message(f).split())}"


def render(report: Report, **_: object) -> str:
    """Annotations (capped as GitHub shows them), then every finding and the grouping as log lines."""
    ordered = sorted(report.findings, key=lambda sf: -sf[1].severity.rank)
    used: Counter[str] = Counter()
    lines, left = [], 0
    for story, f in ordered:
        kind = KIND[f.severity]
        if used[kind] < PER_STEP[kind]:
            used[kind] += 1
            lines.append(annotation(story, f))
        else:
            left += 1
    if left:
        lines.append(f"::notice title=xlingo::{left} more findings are not annotated (GitHub shows 10 errors, "
                     "10 warnings and 10 notices per step); all are listed in the log below and in the step summary")
    counts = report.counts()
    lines.append(f"xlingo: {sum(counts.values())} findings ({counts['error']} errors, {counts['warning']} warnings, "
                 f"{counts['info']} info) in {len(report.stories)} stories")
    lines += [plain_line(s, f) for s, f in report.findings]
    lines += [f"xlingo: {line}" for line in grouping_lines(report)]
    lines.append(f"xlingo: signature {report.signature}")
    return "\n".join(lines) + "\n"


def grouping_lines(report: Report) -> list[str]:
    """One line per story (its versions and context) and per document outside every story."""
    out = []
    for story in report.stories:
        versions = ", ".join(f"{d.lang} {d.path}" for d in story.documents)
        line = f"story {story.id}: {versions}"
        if story.context:
            line += "; context: " + ", ".join(f"{d.lang} {d.path}" for d in story.context)
        out.append(line)
    out += [f"{g.relation}: {g.lang} {g.path}" for g in report.grouping
            if g.relation == "unrelated" or (g.relation == "related" and g.related_to is None)]
    return out


def _cell(text: str) -> str:
    text = " ".join(text.split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def summary_markdown(report: Report, fail_on: Severity | str = Severity.ERROR) -> str:
    """The step summary: counts, every finding, the grouping and the signature, within GitHub's cap."""
    fail_on = Severity(fail_on)
    counts = report.counts()
    failing = sum(1 for _, f in report.findings if f.severity.rank >= fail_on.rank)
    head = ["## xlingo check", "",
            f"**{sum(counts.values())} findings**: {counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} info; {failing} at or above `{fail_on.value}` (fails the check).", ""]
    stale = report.stats.get("baseline_stale")
    if stale:
        head += [f"{stale} baseline entries are no longer found (rewrite the baseline with `--write-baseline`).", ""]
    rows = []
    if report.findings:
        rows += ["| severity | rule | file | lang | message |", "| --- | --- | --- | --- | --- |"]
        for story, f in report.findings:
            loc = _where(story, f)
            rows.append(f"| {f.severity.value} | {f.rule} {_cell(rule_meta(f.rule)['name'])} | "
                        f"{_cell(loc.path)}:{loc.line} | {f.lang} | {_cell(_message(f))} |")
        rows.append("")
    tail = ["### Grouping", "", "| document | lang | relation | story | score |", "| --- | --- | --- | --- | --- |"]
    for g in report.grouping:
        score = "" if g.score is None else f"{g.score:.2f}"
        tail.append(f"| {_cell(g.path)} | {g.lang} | {g.relation} | {_cell(g.story or g.related_to or '')} | {score} |")
    tail += ["", f"<sub>signature: <code>{_cell(str(report.signature))}</code></sub>", ""]
    fixed = len("\n".join(head + tail).encode("utf-8")) + 200
    kept, size = [], fixed
    for k, row in enumerate(rows):
        size += len(row.encode("utf-8")) + 1
        if size > SUMMARY_LIMIT:
            kept += ["", f"*{len(rows) - k} more rows left out (GitHub's summary limit); see the job log.*", ""]
            break
        kept.append(row)
    return "\n".join(head + kept + tail)


def write_step_summary(report: Report, fail_on: Severity | str = Severity.ERROR) -> bool:
    """Append the summary to ``$GITHUB_STEP_SUMMARY`` if set; whether it was written."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(summary_markdown(report, fail_on) + "\n")
    return True
