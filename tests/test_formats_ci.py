"""CI output formats over one report: SARIF, JUnit, GitHub annotations, Code Climate."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from xlingo.model import (
    RULES_URL,
    Document,
    Finding,
    GroupEntry,
    Origin,
    Report,
    Row,
    RuleInfo,
    Sentence,
    Severity,
    Signature,
    Span,
    Story,
)
from xlingo.report.codeclimate import to_codeclimate
from xlingo.report.escape import github_data, github_property
from xlingo.report.formats import render
from xlingo.report.github import summary_markdown, write_step_summary
from xlingo.report.sarif import to_sarif

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0-subset.schema.json").read_text(encoding="utf-8"))
SIGNATURE = Signature(version="0.1.0", model="fake", rules=("XL101", "XL201"), settings=(("align.skip", -1.0),))
RULES = [RuleInfo("XL101", "number-mismatch", "A number differs", Severity.ERROR, "## What it does\nCompares numbers."),
         RuleInfo("XL201", "name-mismatch", "A name differs", Severity.WARNING)]


def document(doc_id: str, lang: str, path: str, lines: list[str], origin: Origin | None = None) -> Document:
    text = "\n".join(lines)
    sentences, pos = [], 0
    for k, line in enumerate(lines):
        sentences.append(Sentence(k, pos, pos + len(line), line))
        pos += len(line) + 1
    return Document(id=doc_id, path=path, text=text, lang=lang, sentences=sentences, origin=origin)


def finding(doc: Document, needle: str, rule: str = "XL101", severity: Severity = Severity.ERROR,
            message: str = "`640` here, `620` in de", related: list[Span] | None = None, row: int = 1) -> Finding:
    start = doc.text.index(needle)
    end = start + len(needle)
    return Finding(rule=rule, severity=severity, message=message, doc=doc.id, lang=doc.lang, start=start, end=end,
                   text=needle, row=row, related=related or [])


def build_report(de_path: str = "feeds/de/train.de.txt", fr_path: str = "feeds/fr/train.fr.txt",
                 message: str = "`640` here, `620` in de", fr_origin: Origin | None = None,
                 fail_on: Severity = Severity.ERROR) -> Report:
    de = document("de", "de", de_path, ["Neue Züge für die Küste.", "Der Auftrag kostet 620 Millionen Euro."])
    fr = document("fr", "fr", fr_path, ["De nouveaux trains pour la côte.", "La commande coûte 640 millions d'euros."],
                  fr_origin)
    related = [Span("de", "de", de.text.index("620"), de.text.index("620") + 3, "620")]
    findings = [finding(fr, "640", message=message, related=related),
                finding(de, "Küste", rule="XL201", severity=Severity.WARNING, message="name differs", row=0)]
    story = Story(id="train", documents=[de, fr], findings=findings,
                  alignment=[Row(cells={"de": (0,), "fr": (0,)}, similarity=0.9),
                             Row(cells={"de": (1,), "fr": (1,)}, similarity=0.8)])
    grouping = [GroupEntry("de", de_path, "de", "train", "version", 1.0),
                GroupEntry("fr", fr_path, "fr", "train", "version", 1.0),
                GroupEntry("other", "feeds/en/other.txt", "en", None, "unrelated", 0.1)]
    return Report(signature=SIGNATURE, stories=[story], stats={"stories": 1, "findings": 2}, grouping=grouping,
                  rules=RULES, fail_on=fail_on)


def test_sarif_validates_and_points_at_the_span() -> None:
    report = build_report()
    log = to_sarif(report)
    jsonschema.Draft7Validator(SCHEMA).validate(log)
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["XL101", "XL201"]
    assert rules[0]["name"] == "number-mismatch" and rules[0]["helpUri"] == RULES_URL + "#xl101"
    assert rules[0]["helpUri"].startswith("https://")
    assert rules[0]["defaultConfiguration"]["level"] == "error" and rules[0]["fullDescription"]["text"]
    first = next(r for r in run["results"] if r["ruleId"] == "XL101")
    assert rules[first["ruleIndex"]]["id"] == "XL101" and first["level"] == "error"
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "feeds/fr/train.fr.txt"
    line2 = "La commande coûte 640 millions d'euros."
    col = line2.index("640") + 1
    assert loc["region"] == {"startLine": 2, "startColumn": col, "endLine": 2, "endColumn": col + 3,
                             "snippet": {"text": "640"}}
    fr_finding = next(f for _, f in report.findings if f.rule == "XL101")
    assert first["partialFingerprints"] == {"xlingoContentHash/v2": fr_finding.fingerprint}
    related = first["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "feeds/de/train.de.txt"
    assert related["message"]["text"] == "de: 620"
    props = run["properties"]
    assert props["signature"] == str(SIGNATURE) and [g["relation"] for g in props["grouping"]][-1] == "unrelated"


def test_sarif_levels_records_and_uris() -> None:
    report = build_report(de_path="feeds/de 100%.txt", fr_path="/abs/feed.jsonl#L3",
                          fr_origin=Origin("/abs/feed.jsonl", 3))
    findings = report.stories[0].findings
    findings[1] = replace(findings[1], severity=Severity.INFO)
    log = json.loads(render(report, "sarif"))
    jsonschema.Draft7Validator(SCHEMA).validate(log)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert results["XL201"]["level"] == "note"
    assert results["XL201"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "feeds/de%20100%25.txt"
    record = results["XL101"]["locations"][0]["physicalLocation"]
    assert record["artifactLocation"]["uri"] == "file:///abs/feed.jsonl"
    assert record["region"] == {"startLine": 3, "endLine": 3}


def test_sarif_with_no_findings_still_lists_the_rules() -> None:
    report = build_report()
    report.stories[0].findings = []
    log = to_sarif(report)
    jsonschema.Draft7Validator(SCHEMA).validate(log)
    assert log["runs"][0]["results"] == [] and len(log["runs"][0]["tool"]["driver"]["rules"]) == 2


def _junit(report: Report, **options) -> ET.Element:
    root = ET.fromstring(render(report, "junit", **options).encode("utf-8"))
    assert root.tag == "testsuites"
    for suite in root.iter("testsuite"):
        assert {"name", "tests", "failures", "errors", "skipped"} <= set(suite.attrib)
        assert "file" not in {a for case in suite.iter("testcase") for a in case.attrib}
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(suite.get("skipped")) == sum(1 for c in cases if c.find("skipped") is not None)
        for case in cases:
            assert case.get("name") and case.get("classname")
    return root


def test_junit_one_suite_per_story_one_case_per_version_failures_at_fail_on() -> None:
    root = _junit(build_report())
    story, grouping = root.findall("testsuite")
    assert story.get("name") == "story train" and grouping.get("name") == "grouping"
    cases = {c.get("name"): c for c in story.findall("testcase")}
    assert set(cases) == {"de: feeds/de/train.de.txt", "fr: feeds/fr/train.fr.txt"}
    failure = cases["fr: feeds/fr/train.fr.txt"].find("failure")
    assert failure.get("type") == "XL101" and "1 findings at or above error" in failure.get("message")
    assert "feeds/fr/train.fr.txt:2:19: XL101 number-mismatch [error]" in failure.text
    de = cases["de: feeds/de/train.de.txt"]
    assert de.find("failure") is None and "XL201" in de.find("system-out").text
    assert grouping.find("testcase/skipped").get("message").startswith("unrelated")
    assert (root.get("tests"), root.get("failures")) == ("3", "1") and "skipped" not in root.attrib


def test_junit_fail_on_warning_fails_both_versions() -> None:
    root = _junit(build_report(fail_on=Severity.WARNING))
    assert root.get("failures") == "2"


def test_github_escaping_of_messages_and_properties() -> None:
    assert github_data("100% sure\nnext") == "100%25 sure%0Anext"
    assert github_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_annotations_are_escaped_and_carry_positions() -> None:
    report = build_report(fr_path="feeds/fr,1:a%.txt", message="50% off: was `620`,\nnow `640`")
    out = render(report, "github").splitlines()
    error = next(line for line in out if line.startswith("::error "))
    props, message = error[len("::error "):].split("::", 1)
    assert props.startswith("file=feeds/fr%2C1%3Aa%25.txt,line=2,col=19,endColumn=22,title=XL101 number-mismatch")
    assert message == "50%25 off: was `620`,%0Anow `640` [fr]"
    assert "\n" not in error and "\r" not in error
    assert any(line.startswith("::warning file=feeds/de/train.de.txt,line=1,") for line in out)
    assert "xlingo: unrelated: en feeds/en/other.txt" in out


def test_github_caps_annotations_and_says_how_many_are_left() -> None:
    report = build_report()
    story = report.stories[0]
    fr = story.documents[1]
    story.findings = [finding(fr, "640", message=f"error {k}") for k in range(14)] + \
                     [finding(fr, "côte", rule="XL201", severity=Severity.WARNING, message=f"w {k}") for k in range(12)] + \
                     [finding(fr, "trains", rule="XL201", severity=Severity.INFO, message=f"i {k}") for k in range(11)]
    out = render(report, "github").splitlines()
    kinds = [line.split(" ", 1)[0] for line in out if line.startswith("::")]
    assert kinds.count("::error") == 10 and kinds.count("::warning") == 10 and kinds.count("::notice") == 10
    assert "::notice title=xlingo::8 more findings are not annotated" in "\n".join(out)
    assert sum(1 for line in out if line.startswith("  feeds/fr/train.fr.txt:")) == 37


def test_github_columns_only_for_single_line_spans() -> None:
    report = build_report()
    fr = report.stories[0].documents[1]
    findings = report.stories[0].findings
    findings[0] = replace(findings[0], start=3, end=fr.text.index("640"), location=None)
    line = next(x for x in render(report, "github").splitlines() if x.startswith("::error"))
    assert "line=1,endLine=2,title=" in line and "col=" not in line


def test_step_summary_is_appended_when_github_sets_it(tmp_path: Path, monkeypatch) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    report = build_report(message="a | b <script>", fail_on=Severity.WARNING)
    assert write_step_summary(report)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## xlingo check")
    assert "2 at or above `warning`" in text and "a \\| b &lt;script&gt;" in text
    assert "| feeds/en/other.txt | en | unrelated |" in text
    monkeypatch.delenv("GITHUB_STEP_SUMMARY")
    assert not write_step_summary(report)


def test_step_summary_stays_under_githubs_limit() -> None:
    report = build_report()
    fr = report.stories[0].documents[1]
    report.stories[0].findings = [finding(fr, "640", message="x" * 2000) for _ in range(800)]
    text = summary_markdown(report)
    assert len(text.encode("utf-8")) <= 1024 * 1024 and "more rows left out" in text
    grouping = report.grouping[0]  # a feed of very many documents: the grouping is capped too
    report.stories[0].findings = [finding(fr, "640")]
    report.grouping = [replace(grouping, path=f"feeds/de/{'long-name-' * 8}{k}.txt") for k in range(20_000)]
    text = summary_markdown(report)
    assert len(text.encode("utf-8")) <= 1024 * 1024 and "more rows left out" in text
    assert "| error | XL101" in text and text.rstrip().endswith("</sub>")


def test_codeclimate_issues_for_gitlab() -> None:
    report = build_report()
    fr = report.stories[0].documents[1]
    report.stories[0].findings.append(finding(fr, "640"))
    issues = json.loads(render(report, "codeclimate"))
    assert issues == to_codeclimate(report)
    for issue in issues:
        assert {"type", "check_name", "description", "severity", "fingerprint", "location"} <= set(issue)
        assert issue["location"]["path"] and issue["location"]["positions"]["begin"]["line"] >= 1
    assert [i["severity"] for i in issues] == ["major", "critical", "critical"]
    assert len({i["fingerprint"] for i in issues}) == 3
    assert issues[1]["location"]["positions"] == {"begin": {"line": 2, "column": 19}, "end": {"line": 2, "column": 22}}


@pytest.mark.parametrize("name", ["sarif", "junit", "github", "codeclimate"])
def test_renderers_are_deterministic(name: str) -> None:
    assert render(build_report(), name) == render(build_report(), name)
