"""The report model: JSON schema, determinism, renderers over the same data."""
from __future__ import annotations

import json
from importlib.resources import files

import jsonschema
import pytest

from xlingo.report.model import Finding, Report, Severity, Signature, Span
from xlingo.report.render_text import render_plain
from xlingo.testing import story_from_rows

SCHEMA = json.loads(files("xlingo.report").joinpath("schema.json").read_text(encoding="utf-8"))


def make_report() -> Report:
    story = story_from_rows([
        {"nl": "De brug gaat dicht voor 3,5 miljoen euro.", "en": "The bridge closes for 3.5 million euros."},
        {"nl": None, "en": "Work starts in May."},
    ])
    story.alignment[0].similarity = 0.91234567
    nl = story.document("nl")
    story.findings = [Finding("XL101", Severity.ERROR, "`3,5 miljoen` here, `3.5 million` in en", "nl", "nl",
                              24, 35, nl.text[24:35], row=0,
                              related=[Span("en", "en", 27, 38, "3.5 million")], sentence=nl.text)]
    sig = Signature("0.1.0", "test-model", (("align.max_window", 2.0),), ("XL101",))
    return Report(signature=sig, stories=[story], stats={"documents": 2, "sentences": 3, "strings_embedded": 3},
                  timings={"embed": 1.23})


def test_json_validates_against_schema():
    data = json.loads(make_report().to_json())
    jsonschema.validate(data, SCHEMA)
    assert data["schema"] == "xlingo.report/1"
    assert data["stories"][0]["alignment"][0]["similarity"] == 0.9123
    assert data["stories"][0]["alignment"][1]["cells"] == {"nl": [], "en": [1]}


def test_json_is_deterministic_and_has_no_timings():
    a, b = make_report().to_json(), make_report().to_json()
    assert a == b
    assert "1.23" not in a and "timings" not in a


def test_schema_rejects_a_broken_report():
    data = json.loads(make_report().to_json())
    data["stories"][0]["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_fingerprint_ignores_offsets_and_cosmetics():
    f = make_report().stories[0].findings[0]
    g = Finding(f.rule, f.severity, f.message, f.doc, f.lang, f.start + 100, f.end + 100, " " + f.text.upper(),
                related=list(f.related), sentence="another sentence around it")
    assert f.fingerprint == g.fingerprint


def test_plain_text_shows_rows_side_by_side_with_findings():
    out = render_plain(make_report())
    assert "row 1  sim 0.91  1-1" in out
    assert "E XL101 error [nl] 24-35" in out
    assert "row 2" in out and "∅" in out
    assert "signature: xlingo:0.1.0|model:test-model|align.max_window:2|rules:XL101" in out


def test_severity_orders_by_rank():
    assert Severity.ERROR >= Severity.WARNING > Severity.INFO
    assert not Severity.INFO >= Severity.WARNING
    assert max([Severity.WARNING, Severity.ERROR, Severity.INFO]) is Severity.ERROR
