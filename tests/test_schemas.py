"""SARIF and JUnit outputs against the official schemas shipped in tests/data (licences in
tests/data/SCHEMAS-LICENSES.md): OASIS SARIF 2.1.0 with format checking, the Jenkins xunit
plugin's strict junit-10.xsd."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from test_formats_ci import build_report

from xlingo.model import Severity
from xlingo.report.formats import render
from xlingo.report.sarif import to_sarif

DATA = Path(__file__).parent / "data"
SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SARIF = jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def sarif_errors(log: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in SARIF.iter_errors(log)]


def test_the_shipped_sarif_schema_is_the_official_one_and_checks_uri_formats():
    assert SARIF_SCHEMA["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert "uri" in jsonschema.Draft4Validator.FORMAT_CHECKER.checkers  # needs rfc3986-validator (test extra)
    log = to_sarif(build_report())
    bad = copy.deepcopy(log)
    bad["runs"][0]["tool"]["driver"]["informationUri"] = "docs/index.md"  # relative: not a `uri`
    assert any("informationUri" in e and "is not a 'uri'" in e for e in sarif_errors(bad))


def test_sarif_validates_against_the_official_schema_with_format_checking():
    assert sarif_errors(to_sarif(build_report())) == []


def junit_schema():
    etree = pytest.importorskip("lxml.etree")  # lxml: test extra
    return etree, etree.XMLSchema(etree.parse(str(DATA / "junit-10.xsd")))


def test_the_junit_xsd_is_strict():
    etree, schema = junit_schema()
    ok = b'<testsuites name="x" tests="1" failures="0" errors="0"><testsuite name="s" tests="1" failures="0" errors="0">' \
         b'<testcase name="c" classname="k" time="0"/></testsuite></testsuites>'
    assert schema.validate(etree.fromstring(ok))
    assert not schema.validate(etree.fromstring(ok.replace(b'time="0"/>', b'time="0" file="a.txt"/>')))
    assert not schema.validate(etree.fromstring(ok.replace(b'<testsuites name="x"', b'<testsuites skipped="0"')))


@pytest.mark.parametrize("fail_on", ["error", "warning"])
def test_junit_validates_against_the_strict_xsd(fail_on):
    etree, schema = junit_schema()
    doc = etree.fromstring(render(build_report(fail_on=Severity(fail_on)), "junit").encode("utf-8"))
    assert schema.validate(doc), schema.error_log.filter_from_errors()
