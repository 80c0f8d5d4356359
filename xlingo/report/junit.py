"""JUnit XML output, for CI systems that show test reports (GitLab, Jenkins, Azure, ...).

One ``<testsuite>`` per story and one ``<testcase>`` per language version. A version fails (one
``<failure>``, its ``type`` the first failing rule) when it has findings at or above ``fail_on``
(the same threshold as the exit code, so a red test report and exit code 1 go together); every
finding of the version is listed in the failure text, and findings below the threshold alone go
to ``<system-out>`` of a passing test case. Documents outside every story (related context and
unrelated documents) are ``<skipped>`` test cases of a last suite, ``grouping``, since xlingo
did not check them. Times are 0: the report is deterministic and keeps no per-story timings.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from xlingo.document import Document
from xlingo.feed import location
from xlingo.report.model import Finding, Report, Severity, Story
from xlingo.report.sarif import rule_meta


def _line(story: Story, f: Finding) -> str:
    loc = location(story.document(f.doc), f.start, f.end)
    col = f":{loc.column}" if loc.column is not None else ""
    text = f"{loc.path}:{loc.line}{col}: {f.rule} {rule_meta(f.rule)['name']} [{f.severity.value}] {f.message}"
    if f.text and f.text not in f.message:
        text += f" «{f.text}»"
    return text


def _testcase(parent: ET.Element, story: Story, doc: Document, findings: list[Finding], fail_on: Severity) -> bool:
    case = ET.SubElement(parent, "testcase", classname=f"xlingo.{story.id}", name=f"{doc.lang}: {doc.path}",
                         file=location(doc, 0, 0).path, time="0")
    failing = [f for f in findings if f.severity.rank >= fail_on.rank]
    if failing:
        rules = sorted({f.rule for f in failing})
        failure = ET.SubElement(case, "failure", type=failing[0].rule,
                                message=f"{len(failing)} findings at or above {fail_on.value}: {', '.join(rules)}")
        failure.text = "\n".join(_line(story, f) for f in findings)
    elif findings:
        ET.SubElement(case, "system-out").text = "\n".join(_line(story, f) for f in findings)
    return bool(failing)


def to_junit(report: Report, fail_on: Severity | str = Severity.ERROR) -> ET.Element:
    """The report as a ``<testsuites>`` element."""
    fail_on = Severity(fail_on)
    root = ET.Element("testsuites", name="xlingo")
    total = failures = skipped = 0
    for story in report.stories:
        suite = ET.SubElement(root, "testsuite", name=f"story {story.id}")
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="signature", value=str(report.signature))
        for c in story.context:
            ET.SubElement(props, "property", name="context", value=f"{c.lang} {c.path}")
        docs = list(story.documents) + [c for c in story.context if any(f.doc == c.id for f in story.findings)]
        failed = sum(_testcase(suite, story, d, sorted((f for f in story.findings if f.doc == d.id),
                                                       key=Finding.sort_key), fail_on) for d in docs)
        suite.attrib.update(tests=str(len(docs)), failures=str(failed), errors="0", skipped="0", time="0")
        total, failures = total + len(docs), failures + failed
    outside = [g for g in report.grouping if g.relation != "version"]
    if outside:
        suite = ET.SubElement(root, "testsuite", name="grouping", tests=str(len(outside)), failures="0",
                              errors="0", skipped=str(len(outside)), time="0")
        for g in outside:
            case = ET.SubElement(suite, "testcase", classname="xlingo.grouping", name=f"{g.lang}: {g.path}", time="0")
            why = (f"related to story {g.related_to}: passed to it as context, not checked" if g.related_to
                   else "unrelated: not a version of any story, not checked")
            ET.SubElement(case, "skipped", message=why)
        total, skipped = total + len(outside), len(outside)
    root.attrib.update(tests=str(total), failures=str(failures), errors="0", skipped=str(skipped), time="0")
    return root


def render(report: Report, fail_on: Severity | str = Severity.ERROR, **_: object) -> str:
    """JUnit XML text (UTF-8 declaration, indented)."""
    root = to_junit(report, fail_on)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
