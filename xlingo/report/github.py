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

import logging
import os
from collections import Counter

from xlingo.model import Finding, Location, Report, Severity, Story
from xlingo.report.escape import github_data, github_line, github_property, markdown_cell

KIND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
PER_STEP = {"error": 10, "warning": 10, "notice": 9}  # one notice is kept for the overflow note
SUMMARY_LIMIT = 1024 * 1024  # bytes GitHub accepts in one step's summary


log = logging.getLogger("xlingo.report")


def _where(story: Story, f: Finding) -> Location:
    return story.where(f)


def _message(f: Finding) -> str:
    text = f"{f.message} [{f.lang}]"
    if f.text and f.text not in f.message:
        text += f" «{f.text}»"
    if f.suggestion:
        text += f" → {f.suggestion}"
    return text


def annotation(report: Report, story: Story, f: Finding) -> str:
    """One workflow command for a finding (every property and the message escaped)."""
    loc = _where(story, f)
    props = [("file", loc.path), ("line", str(loc.line))]
    if loc.column is not None and loc.end_line == loc.line:
        props += [("col", str(loc.column)), ("endColumn", str(loc.end_column))]
    elif loc.end_line is not None:
        props.append(("endLine", str(loc.end_line)))
    props.append(("title", f"{f.rule} {report.rule(f.rule).name}"))
    head = ",".join(f"{k}={github_property(v)}" for k, v in props)
    return f"::{KIND[f.severity]} {head}::{github_data(_message(f))}"


def plain_line(story: Story, f: Finding) -> str:
    """A finding as a log line that GitHub does not turn into an annotation."""
    return "  " + github_line(f"{_where(story, f)}: {f.rule} {f.severity.value}: {_message(f)}")


def render(report: Report, **_: object) -> str:
    """Annotations (capped as GitHub shows them), then every finding and the grouping as log lines."""
    ordered = sorted(report.findings, key=lambda sf: -sf[1].severity.rank)
    used: Counter[str] = Counter()
    lines, left = [], 0
    for story, f in ordered:
        kind = KIND[f.severity]
        if used[kind] < PER_STEP[kind]:
            used[kind] += 1
            lines.append(annotation(report, story, f))
        else:
            left += 1
    if left:
        lines.append(f"::notice title=xlingo::{left} more findings are not annotated (GitHub shows 10 errors, "
                     "10 warnings and 10 notices per step); all are listed in the log below and in the step summary")
    counts = report.counts()
    lines.append(f"xlingo: {sum(counts.values())} findings ({counts['error']} errors, {counts['warning']} warnings, "
                 f"{counts['info']} info) in {len(report.stories)} stories")
    lines += [plain_line(s, f) for s, f in report.findings]
    lines += [github_line(f"xlingo: {line}") for line in grouping_lines(report)]
    lines.append(github_line(f"xlingo: signature {report.signature}"))
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


_cell = markdown_cell


def summary_markdown(report: Report) -> str:
    """The step summary: counts, every finding, the grouping and the signature, within GitHub's cap.

    Every piece of data (paths, ids, languages, messages) is escaped as literal Markdown text.
    """
    fail_on = report.fail_on
    counts = report.counts()
    failing = sum(1 for _, f in report.findings if report.failing(f))
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
            rows.append(f"| {f.severity.value} | {f.rule} {_cell(report.rule(f.rule).name)} | "
                        f"{_cell(str(loc))} | {_cell(f.lang)} | {_cell(_message(f))} |")
        rows.append("")
    grouping = []
    for g in report.grouping:
        score = "" if g.score is None else f"{g.score:.2f}"
        grouping.append(f"| {_cell(g.path)} | {_cell(g.lang)} | {g.relation} | "
                        f"{_cell(g.story or g.related_to or '')} | {score} |")
    middle = ["### Grouping", "", "| document | lang | relation | story | score |", "| --- | --- | --- | --- | --- |"]
    tail = ["", f"<sub>signature: {_cell(str(report.signature))}</sub>", ""]
    budget = SUMMARY_LIMIT - len("\n".join(head + middle + tail).encode("utf-8")) - 400  # 400: two notes
    kept = _fit(rows, budget)  # the findings first, then as much of the grouping as still fits
    return "\n".join(head + kept + middle + _fit(grouping, budget - len("\n".join(kept).encode("utf-8"))) + tail)


def _fit(rows: list[str], budget: int) -> list[str]:
    """The leading ``rows`` that fit in ``budget`` bytes, and a note saying how many were left out."""
    size = 0
    for k, row in enumerate(rows):
        size += len(row.encode("utf-8")) + 1
        if size > budget:
            return rows[:k] + ["", f"*{len(rows) - k} more rows left out (GitHub's summary limit); see the job log.*", ""]
    return rows


def write_step_summary(report: Report) -> bool:
    """Append the summary to ``$GITHUB_STEP_SUMMARY`` if set; whether it was written.

    A summary file that cannot be written is a warning, never an error: the other outputs matter more.
    """
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    try:
        with open(path, "a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(summary_markdown(report) + "\n")
    except OSError as exc:
        log.warning("cannot write the GitHub step summary %s: %s", path, exc.strerror or exc)
        return False
    return True
