"""Terminal output: the versions side by side, one aligned row per line group.

On a terminal the rows are a rich table with findings under each row (words wrapped, never cut);
when stdout is not a TTY (or with ``--no-color``) the same content is plain text, one line per
cell, so that logs and pipes stay readable and greppable. Findings point at ``file:line:col``.
Text from the inputs is data, never markup: rich markup is not parsed, and escape sequences,
control and bidi characters are shown as ``<U+001B>``. Under each row, ``~ unsure [version]:`` lists
the words the meaning model is least sure the other versions carry (``Row.unsure_words``), with
that chance and the words of the other versions aligned with them: evidence to look at below the
findings' floors, never a finding.
"""
from __future__ import annotations

import io
import re
import sys
from typing import TextIO

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from xlingo.model import Finding, Report, Row, Severity, Story
from xlingo.report.escape import terminal_line, terminal_safe

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_BREAK_RUN = re.compile(r"[ \t]*[\n\u2028\u2029]\s*")
_MARK = {Severity.ERROR: "E", Severity.WARNING: "W", Severity.INFO: "I"}


def finding_line(f: Finding) -> str:
    """One finding: mark, rule, severity, language, ``file:line:col``, message, span, suggestion."""
    where = str(f.location) if f.location else f"{f.doc}:{f.start}"
    line = f"{_MARK[f.severity]} {f.rule} {f.severity.value} [{f.lang}] {where}: {f.message}"
    if f.text and f.text not in f.message:
        line += f"  «{f.text}»"
    if f.suggestion:
        line += f"  → {f.suggestion}"
    return terminal_line(line)


def _one_line(text: str) -> str:
    """A cell's text on one line: a line break between its sentences shown as a space."""
    return terminal_line(_BREAK_RUN.sub(" ", text))


def _cell_text(story: Story, doc_id: str, ids: tuple[int, ...]) -> str:
    if not ids:
        return ""
    d = story.document(doc_id)
    start, end = d.sentences_span(ids)
    return _one_line(d.text[start:end])


def _highlighted(story: Story, doc_id: str, ids: tuple[int, ...], findings: list[Finding]) -> Text:
    """A cell's text with the spans of its findings styled (control characters made visible)."""
    if not ids:
        return Text("∅ no counterpart", style="dim italic")
    d = story.document(doc_id)
    start, end = d.sentences_span(ids)
    text = Text(overflow="fold")
    cuts = sorted({start, end, *(min(max(p, start), end) for f in findings if f.doc == doc_id
                                 for p in (f.start, f.end))})
    for a, b in zip(cuts, cuts[1:]):
        styles = [_STYLE[f.severity] for f in findings if f.doc == doc_id and f.start <= a and b <= f.end
                  and f.end > f.start]
        text.append(terminal_safe(d.text[a:b]), style=f"underline {styles[0]}" if styles else "")
    return text


def unsure_notes(row: Row) -> dict[str, str]:
    """Per version of ``row``: its unsure words with their chance and the words the alignment
    links them to, e.g. ``Gedächtnis 0.16 (pt memória, fr mémoire)``; a word only one version
    lacks names it and its words about the place: ``Export 0.65 missing in fr around `des GPU` (pt
    exportar)``."""
    notes: dict[str, list[str]] = {}
    for u in row.unsure_words:
        linked = ", ".join(f"{c.lang} {c.text}" for c in u.counterparts) or "aligned with nothing"
        others = {d for d, ids in row.cells.items() if ids and d != u.word.doc}
        lacking = f" missing in {', '.join(u.missing_from)}" if u.missing_from and set(u.missing_from) < others else ""
        if lacking and u.around is not None:
            lacking += f" around `{u.around.text}`"
        notes.setdefault(u.word.doc, []).append(f"{u.word.text} {u.chance:.2f}{lacking} ({linked})")
    return {d: terminal_line("; ".join(words)) for d, words in notes.items()}


def summary_lines(report: Report, statistics: bool = False) -> list[str]:
    """Counts, findings per rule (all rules with ``statistics``), and the short signature."""
    counts = report.counts()
    by_rule = report.rule_counts()
    lines = [f"{sum(counts.values())} findings: {counts['error']} errors, {counts['warning']} warnings, "
             f"{counts['info']} info"]
    if statistics:  # a saved report's rule names are data too
        lines += [terminal_line(f"{n:>5}  {code}  {report.rule(code).name}") for code, n in by_rule.items()]
    elif by_rule:
        lines.append(terminal_line("by rule: " + ", ".join(f"{r} {n}" for r, n in by_rule.items())))
    if any(row.unsure_words for story in report.stories for row in story.alignment):
        lines.append("~ unsure: words the meaning model finds least likely to be carried by the other versions "
                     "(or by the one named: missing in it), with that chance and the words aligned with them "
                     "(not findings)")
    lines.append(f"signature: {terminal_line(str(report.signature))}")
    return lines


def render_plain(report: Report, *, show_rows: bool = True, timings: bool = False, statistics: bool = False) -> str:
    """Plain-text report (no colours, no box drawing)."""
    report.resolve()
    out = io.StringIO()
    for story in report.stories:
        docs = ", ".join(f"{d.id} ({d.lang}, {d.path})" for d in story.documents)
        out.write(terminal_line(f"story {story.id}: {docs}") + "\n")
        for c in story.context:
            out.write(terminal_line(f"  context: {c.id} ({c.lang}, {c.path})") + "\n")
        by_row: dict[int | None, list[Finding]] = {}
        for f in story.findings:
            by_row.setdefault(f.row, []).append(f)
        for k, row in enumerate(story.alignment):
            if not show_rows and k not in by_row:
                continue
            sim = "  -  " if row.similarity is None else f"{row.similarity:.2f}"
            out.write(f"\nrow {k + 1}  sim {sim}  {row.kind()}\n")
            for doc_id, ids in row.cells.items():
                out.write(f"  {terminal_line(doc_id):>6}  {_cell_text(story, doc_id, ids) or '∅'}\n")
            for doc_id, note in unsure_notes(row).items():
                out.write(f"    ~ unsure [{terminal_line(doc_id)}]: {note}\n")
            for f in by_row.get(k, []):
                out.write(f"    {finding_line(f)}\n")
        for f in by_row.get(None, []):
            out.write(f"  {finding_line(f)}\n")
        out.write("\n")
    for line in summary_lines(report, statistics):
        out.write(line + "\n")
    if timings and report.timings:
        out.write("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items()) + "\n")
    return out.getvalue()


def render(report: Report, **options: object) -> str:
    """Plain-text rendering (what ``--format text -o FILE`` writes)."""
    return render_plain(report, **options)  # type: ignore[arg-type]


def print_report(report: Report, *, file: TextIO | None = None, color: bool | None = None,
                 show_rows: bool = True, timings: bool = False, statistics: bool = False,
                 width: int | None = None) -> None:
    """Print the report: a side-by-side rich table on a TTY, plain text otherwise."""
    file = file or sys.stdout
    report.resolve()
    is_tty = hasattr(file, "isatty") and file.isatty()
    if not is_tty:
        file.write(render_plain(report, show_rows=show_rows, timings=timings, statistics=statistics))
        return
    console = Console(file=file, no_color=color is False, width=width, highlight=False, markup=False,
                      emoji=False)
    for story in report.stories:
        console.rule(Text(terminal_line(f"story {story.id}")))
        table = Table(show_lines=True, expand=True)
        table.add_column("row", justify="right", no_wrap=True)
        table.add_column("sim", justify="right", no_wrap=True)
        for d in story.documents:
            table.add_column(Text(terminal_line(f"{d.id} ({d.lang})")), ratio=1, overflow="fold")
        by_row: dict[int | None, list[Finding]] = {}
        for f in story.findings:
            by_row.setdefault(f.row, []).append(f)
        for k, row in enumerate(story.alignment):
            if not show_rows and k not in by_row:
                continue
            found = by_row.get(k, [])
            unsure = unsure_notes(row)
            cells = []
            for d in story.documents:
                notes = [Text(finding_line(f), style=_STYLE[f.severity], overflow="fold")
                         for f in found if f.doc == d.id]
                if d.id in unsure:
                    notes.append(Text(f"~ unsure: {unsure[d.id]}", style="dim", overflow="fold"))
                cells.append(Group(_highlighted(story, d.id, row.cells.get(d.id, ()), found), *notes))
            sim = "-" if row.similarity is None else f"{row.similarity:.2f}"
            table.add_row(str(k + 1), sim, *cells)
        console.print(table)
        for f in by_row.get(None, []):
            console.print(Text(finding_line(f), style=_STYLE[f.severity], overflow="fold"))
    for line in summary_lines(report, statistics):
        console.print(Text(line, overflow="fold"))
    if timings and report.timings:
        console.print("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items()))
