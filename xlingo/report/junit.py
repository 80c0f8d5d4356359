"""JUnit XML output, for CI systems that show test reports (GitLab, Jenkins, Azure, ...).

One ``<testsuite>`` per story and one ``<testcase>`` per language version. A version fails (one
``<failure>``, its ``type`` the first failing rule) when it has findings at or above the report's
``fail_on`` (the same threshold as the exit code, so a red test report and exit code 1 go
together); every finding of the version is listed in the failure text, and findings below the
threshold alone go to ``<system-out>`` of a passing test case. Documents outside every story
(related context and unrelated documents) are ``<skipped>`` test cases of a last suite,
``grouping``, since xlingo did not check them. Times are 0: the report is deterministic and keeps
no per-story timings. Only attributes the strict Jenkins xunit schema allows are written, and
characters XML 1.0 forbids are made visible, so the file is always well-formed.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from xlingo.model import Document, Finding, Report, Story
from xlingo.report.escape import terminal_line, xml_log_safe, xml_safe


def _line(report: Report, story: Story, f: Finding) -> str:
    """One finding on one line: a line break in a file name cannot start a line of its own (a
    forged ``::error::`` workflow command when the XML is printed into a CI log)."""
    where = str(story.where(f))
    text = f"{where}: {f.rule} {report.rule(f.rule).name} [{f.severity.value}] {f.message}"
    if f.text and f.text not in f.message:
        text += f" «{f.text}»"
    return terminal_line(text)


def _element(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})


def _testcase(parent: ET.Element, report: Report, story: Story, doc: Document, findings: list[Finding]) -> bool:
    case = _element(parent, "testcase", classname=f"xlingo.{story.id}", name=f"{doc.lang}: {doc.path}", time="0")
    failing = [f for f in findings if report.failing(f)]
    if failing:
        rules = sorted({f.rule for f in failing})
        failure = _element(case, "failure", type=failing[0].rule,
                           message=f"{len(failing)} findings at or above {report.fail_on.value}: {', '.join(rules)}")
        failure.text = xml_safe("\n".join(_line(report, story, f) for f in findings))
    elif findings:
        _element(case, "system-out").text = xml_safe("\n".join(_line(report, story, f) for f in findings))
    return bool(failing)


def to_junit(report: Report) -> ET.Element:
    """The report as a ``<testsuites>`` element."""
    report.resolve()
    root = ET.Element("testsuites", name="xlingo")
    total = failures = 0
    for story in report.stories:
        suite = _element(root, "testsuite", name=f"story {story.id}")
        props = _element(suite, "properties")
        _element(props, "property", name="signature", value=str(report.signature))
        for c in story.context:
            _element(props, "property", name="context", value=f"{c.lang} {c.path}")
        docs = list(story.documents) + [c for c in story.context if any(f.doc == c.id for f in story.findings)]
        failed = sum(_testcase(suite, report, story, d, sorted((f for f in story.findings if f.doc == d.id),
                                                               key=Finding.sort_key)) for d in docs)
        suite.attrib.update(tests=str(len(docs)), failures=str(failed), errors="0", skipped="0", time="0")
        total, failures = total + len(docs), failures + failed
    outside = [g for g in report.grouping if g.relation != "version"]
    if outside:
        suite = _element(root, "testsuite", name="grouping", tests=str(len(outside)), failures="0",
                         errors="0", skipped=str(len(outside)), time="0")
        for g in outside:
            case = _element(suite, "testcase", classname="xlingo.grouping", name=f"{g.lang}: {g.path}", time="0")
            why = (f"related to story {g.related_to}: passed to it as context, not checked" if g.related_to
                   else "unrelated: not a version of any story, not checked")
            _element(case, "skipped", message=why)
        total += len(outside)
    root.attrib.update(tests=str(total), failures=str(failures), errors="0", time="0")
    return root


def render(report: Report, **_: object) -> str:
    """JUnit XML text (UTF-8 declaration, indented)."""
    root = to_junit(report)
    ET.indent(root)
    return xml_log_safe('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n")
