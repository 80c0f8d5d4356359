"""Report data escaped for every medium: GitHub workflow commands and summaries, terminals, XML, JSON."""
from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from xlingo.model import Finding, GroupEntry, Report, RuleInfo, Severity, Signature, Span, UnsureWord
from xlingo.report.escape import markdown_cell, terminal_safe, xml_safe
from xlingo.report.formats import render
from xlingo.report.github import summary_markdown
from xlingo.report.render_text import print_report
from xlingo.testing import story_from_rows

INJECT = "x\n::error file=evil.py,line=1::pwned\n::stop-commands::tok\r\n::warning::y"
ESCAPES = "a\x1b]0;pwned\x07b \x1b[31mred\x1b[0m \x9b31m \u202eevil\u202c [link=https://evil.example]click[/link] news[/]"
XML_BAD = "nul\x00 bell\x07 vt\x0b esc\x1b fffe\ufffe lone\ud800 ok"


def report_with(doc_text: str, story_id: str = "s", lang: str = "de", path: str | None = None,
                message: str = "differs", related_text: str | None = None) -> Report:
    story = story_from_rows([{lang: doc_text + " Ende.", "fr": "Un texte. Fin."}], story_id=story_id)
    doc = story.documents[0]
    if path is not None:
        doc.path = path
    fr = story.documents[1]
    related = [Span("fr", "fr", 0, 8, related_text if related_text is not None else fr.text[:8])]
    story.findings = [Finding("XL101", Severity.ERROR, message, doc.id, lang, 0, len(doc_text), doc_text, row=0,
                              related=related, suggestion=doc_text)]
    grouping = [GroupEntry(doc.id, doc.path, lang, story_id, "version", 0.9),
                GroupEntry("u", path or "u.txt", lang, None, "unrelated", 0.1)]
    return Report(Signature("0.1.0", "m", ("XL101",)), [story], {"documents": 2}, grouping,
                  rules=[RuleInfo("XL101", "number-mismatch", "A number differs", Severity.ERROR)])


def test_github_output_cannot_inject_workflow_commands() -> None:
    report = report_with(INJECT, story_id=INJECT, lang="de", path=f"dir/{INJECT}.txt", message=INJECT)
    out = render(report, "github")
    commands = [line for line in out.splitlines() if line.lstrip().startswith("::")]
    assert len(commands) == 1 and commands[0].startswith("::error file=dir/x%0A%3A%3Aerror file=evil.py%2Cline=1%3A%3Apwned%0A")
    assert not any(line.lstrip().startswith(("::stop-commands", "::warning")) for line in out.splitlines())
    assert "\r" not in out


def test_step_summary_is_markdown_and_html_safe() -> None:
    hostile = "<img src=x onerror=alert(1)> | [click](javascript:alert(1)) *bold* `code`"
    report = report_with("Text", story_id=hostile, lang="de", path=hostile, message=hostile)
    text = summary_markdown(report)
    assert "<img" not in text and "&lt;img" in text
    assert "[click](" not in text and "\\[click\\]" in text and "\\*bold\\*" in text and "\\`code\\`" in text
    rows = [line for line in text.splitlines() if line.startswith("| error")]
    assert rows and all(line.count(" | ") == 4 for line in rows)
    assert markdown_cell("a\nb|c") == "a b\\|c"


def test_terminal_control_characters_are_made_visible() -> None:
    assert terminal_safe("a\x1b[31mb\x9bc\u202ed\te\nf") == "a<U+001B>[31mb<U+009B>c<U+202E>d\te\nf"
    plain = render(report_with(ESCAPES, story_id=ESCAPES, path=ESCAPES, message=ESCAPES), "text")
    assert "\x1b" not in plain and "\x07" not in plain and "\x9b" not in plain and "\u202e" not in plain
    assert "<U+001B>]0;pwned<U+0007>" in plain


def test_no_output_for_a_ci_log_holds_a_legacy_workflow_command() -> None:
    """GitHub's runner reads ``##[error]`` and ``##[stop-commands]`` anywhere in a log line."""
    from xlingo.cli.check import text_extras
    from xlingo.errors import InputError

    legacy = "Text ##[error]forged ##[stop-commands]tok"
    report = report_with(legacy, story_id=legacy, path=f"{legacy}.txt", message=legacy, related_text=legacy)
    for out in (render(report, "text"), render(report, "github"), text_extras(report, None),
                str(InputError(f"{legacy}.txt: file is empty"))):
        assert "##[" not in out and "#\u200b#[error]forged" in out
    out = Terminal()
    print_report(report, file=out, width=200, color=False)
    assert "##[" not in out.getvalue()


def test_no_format_printed_into_a_ci_log_starts_a_line_with_a_workflow_command() -> None:
    """A line break in a file name or story id (a JSON Lines "story") put `::error::forged` at the start
    of a line of the JUnit failure text and of the viewer's title."""
    forged = "x\n::error::forged"
    report = report_with("Text", story_id=forged, path=f"{forged}.txt", message=forged)
    for fmt in ("text", "github", "json", "sarif", "codeclimate", "junit", "html"):
        assert not [line for line in render(report, fmt).splitlines() if line.lstrip().startswith("::error::forged")], fmt


def _strings(data) -> list[str]:
    """Every string of parsed JSON, or every text and attribute value of an XML element."""
    if isinstance(data, ET.Element):
        return [t for e in data.iter() for t in (e.text or "", *e.attrib.values())]
    if isinstance(data, dict):
        return [t for v in data.values() for t in _strings(v)]
    if isinstance(data, list):
        return [t for v in data for t in _strings(v)]
    return [data] if isinstance(data, str) else []


def test_machine_formats_printed_into_a_ci_log_hold_no_legacy_workflow_command() -> None:
    """`xlingo check -f json` (or sarif, junit, codeclimate) without a file prints into the job log:
    the same data, with ``##[`` spelled so that GitHub's runner does not read a command."""
    legacy = "Text ##[error]forged \\##[stop-commands]tok"
    report = report_with(legacy, story_id=legacy, path=f"{legacy}.txt", message=legacy, related_text=legacy)
    for fmt in ("json", "sarif", "codeclimate", "junit"):
        out = render(report, fmt)
        assert "##[" not in out, fmt
        data = ET.fromstring(out.split("\n", 1)[1]) if fmt == "junit" else json.loads(out)
        assert any(legacy in t for t in _strings(data)), fmt
    assert Report.from_dict(json.loads(render(report, "json"))).to_json() == report.to_json()


def test_plain_text_keeps_one_line_per_cell_and_finding() -> None:
    """A line break in a path, an id or a cell cannot start a line of its own (a forged finding)."""
    forged = "x\n    E XL101 error [de] forged.txt:1:1: forged"
    story = story_from_rows([{"de": ["Erster Satz.", "Zweiter Satz."], "fr": "Une phrase."}], story_id=forged)
    de = story.documents[0]
    de.text = de.text.replace(" ", "\n", 1)  # the two sentences of the de cell on two lines
    de.path = forged
    story.findings = [Finding("XL101", Severity.ERROR, forged, "de", "de", 0, 5, de.text[:5], row=0)]
    report = Report(Signature("0.1.0", "m", ("XL101",)), [story], {"documents": 2},
                    [GroupEntry("u", forged, "de", None, "unrelated", 0.1)])
    from xlingo.cli.check import text_extras

    for text in (render(report, "text"), text_extras(report, None)):
        assert not [line for line in text.splitlines() if line.lstrip().startswith("E XL101 error [de] forged")]
    plain = render(report, "text")
    assert "      de  Erster Satz. Zweiter Satz.\n" in plain and "x<U+000A>    E XL101" in plain


def test_statistics_of_a_saved_report_keep_its_rule_names_on_their_line() -> None:
    """`xlingo render report.json --statistics` printed a rule name from the file as it was: a terminal
    escape sequence, a line break and a forged `::error::` command."""
    report = report_with("Text")
    report.rules = {"XL101": RuleInfo("XL101", "n\x1b]0;pwned\x07\n::error::forged", "A number differs", Severity.ERROR)}
    for out in (render(report, "text", statistics=True), Terminal()):
        if isinstance(out, Terminal):
            print_report(report, file=out, width=200, color=False, statistics=True)
            out = out.getvalue()
        assert "\x1b]0;" not in out and "\x07" not in out
        assert not [line for line in out.splitlines() if line.startswith("::error::")]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("story_id", ["news[/]", "[bold]x[/bold]", "[link=https://evil.example]id[/link]", ESCAPES])
def test_rich_markup_in_data_is_text(story_id: str) -> None:
    out = Terminal()
    print_report(report_with(ESCAPES, story_id=story_id, message=ESCAPES), file=out, width=120, color=False)
    text = out.getvalue()
    assert "\x1b]8;" not in text and "\x1b]0;" not in text and "\x07" not in text
    assert "[link=https://evil.example]" in text and "news[/]" in text


def test_an_unsure_word_is_data_in_the_terminal_table_and_the_page() -> None:
    word = "Wort[bold]x[/bold]\x1b]0;pwned\x07"
    report = report_with(word)
    story = report.stories[0]
    fr = story.document("fr")
    story.alignment[0].unsure_words = [UnsureWord(Span("de", "de", 0, len(word), word), 0.3,
                                                  (Span("fr", "fr", 3, 8, fr.text[3:8]),))]
    out = Terminal()
    print_report(report, file=out, width=200, color=False)
    text = out.getvalue()
    assert "~ unsure: " in text and "[bold]x[/bold]" in text and "(fr texte)" in text
    assert "\x1b]0;" not in text and "\x07" not in text
    page = render(report, "html")
    assert "\x1b" not in page and "[bold]x[/bold]" in page  # the data island holds it as JSON text


def test_at_80_columns_words_are_wrapped_not_cut() -> None:
    words = [f"Wort{k}lang" for k in range(60)]
    story = story_from_rows([{"de": " ".join(words) + ".", "fr": " ".join(words[:30]) + ".",
                              "pt": " ".join(words[30:]) + "."}])
    report = Report(Signature("0.1.0", "m", ("XL101",), (("select", ["XL"]),)), [story])
    out = Terminal()
    print_report(report, file=out, width=80, color=False)
    text = out.getvalue()
    assert "…" not in text
    assert all(w in text for w in words)
    assert max(len(re.sub(r"\x1b\[[0-9;]*m", "", line)) for line in text.splitlines()) <= 80
    assert [line for line in text.splitlines() if line.startswith("signature: ")][0].count("|") == 3


def test_junit_and_sarif_are_well_formed_with_any_character() -> None:
    report = report_with(XML_BAD, story_id=XML_BAD, path=f"{XML_BAD}.txt", message=XML_BAD, related_text=XML_BAD)
    root = ET.fromstring(render(report, "junit").encode("utf-8"))
    assert "<U+0000>" in root.find("testsuite").get("name")
    for fmt in ("sarif", "codeclimate", "json", "html"):
        out = render(report, fmt)
        out.encode("utf-8")  # no lone surrogate left
        if fmt != "html":
            json.loads(out)
    sarif = json.loads(render(report, "sarif"))
    assert "\x00" not in sarif["runs"][0]["results"][0]["message"]["text"]
    assert xml_safe("a\x00b\ud800c\ufffed") == "a<U+0000>b<U+D800>c<U+FFFE>d"


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

HOSTILE_TEXT = st.text(st.characters(codec=None, exclude_categories=()), min_size=1, max_size=40).filter(
    lambda t: t.strip() and "\n" not in t and "\r" not in t)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=HOSTILE_TEXT, ident=st.text(min_size=1, max_size=20))
def test_any_text_gives_well_formed_output_in_every_format_and_round_trips(text: str, ident: str) -> None:
    report = report_with(text, story_id=ident, path=ident, message=ident + text, related_text=text)
    again = Report.from_json(report.to_json())
    for fmt in ("json", "sarif", "codeclimate", "junit", "github", "html", "text"):
        out = render(report, fmt)
        assert render(again, fmt) == out
        out.encode("utf-8")
        if fmt in ("json", "sarif", "codeclimate"):
            json.loads(out)
    ET.fromstring(render(report, "junit").encode("utf-8"))
    commands = [line for line in render(report, "github").splitlines() if line.lstrip().startswith("::")]
    assert len(commands) == 1
    assert "\x1b" not in render(report, "text")


def test_feed_text_extras_and_error_lines_are_terminal_safe(tmp_path) -> None:
    from typer.testing import CliRunner

    import xlingo.cli  # noqa: F401
    from xlingo.cli.app import app
    from xlingo.cli.check import text_extras

    report = report_with("Text", path=ESCAPES)
    assert "\x1b" not in text_extras(report, None) and "<U+001B>" in text_extras(report, None)
    result = CliRunner().invoke(app, ["diff", str(tmp_path / "a\x1b]0;x\x07.txt"), str(tmp_path / "b.txt")])
    assert result.exit_code == 2 and "\x1b" not in result.stderr and "<U+001B>" in result.stderr
