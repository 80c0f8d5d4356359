"""The report model: JSON schema, determinism, round trip, locations, renderers over the same data."""
from __future__ import annotations

import json
from importlib.resources import files

import jsonschema
import pytest

from xlingo.model import (
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
    UnsureWord,
)
from xlingo.report.formats import FORMATS, render
from xlingo.report.render_text import render_plain
from xlingo.testing import story_from_rows

SCHEMA = json.loads(files("xlingo.report").joinpath("schema.json").read_text(encoding="utf-8"))
RULES = [RuleInfo("XL101", "number-mismatch", "A number differs between versions", Severity.ERROR, "## What it does")]


def make_report() -> Report:
    story = story_from_rows([
        {"nl": "De brug gaat dicht voor 3,5 miljoen euro.", "en": "The bridge closes for 3.5 million euros."},
        {"nl": None, "en": "Work starts in May."},
    ])
    story.alignment[0].similarity = 0.91234567
    nl = story.document("nl")
    story.findings = [Finding("XL101", Severity.ERROR, "`3,5 miljoen` here, `3.5 million` in en", "nl", "nl",
                              24, 35, nl.text[24:35], row=0,
                              related=[Span("en", "en", 22, 33, "3.5 million")])]
    sig = Signature("0.1.0", "test-model", ("XL101",), settings=(("align.max_window", 2.0),))
    return Report(signature=sig, stories=[story], stats={"documents": 2, "sentences": 3, "strings_embedded": 3},
                  rules=RULES, timings={"embed": 1.23})


def feed_report() -> Report:
    """Two stories from records of a JSON Lines file and an RSS feed, a grouping, fail-on warning."""
    text_a = "Der Zug fährt um 8 Uhr.\nEr hält in Bern."
    text_b = "Le train part à 9 heures.\nIl s'arrête à Berne."
    de = Document("de", "feed.jsonl#L2", text_a, "de", "Zug",
                  [Sentence(0, 0, 23, text_a[:23]), Sentence(1, 24, len(text_a), text_a[24:])],
                  origin=Origin("feed.jsonl", 2, ((0, 2, 30), (23, 2, 55), (24, 2, 57))))
    fr = Document("fr", "news.fr.xml#L7", text_b, "fr", None,
                  [Sentence(0, 0, 25, text_b[:25]), Sentence(1, 26, len(text_b), text_b[26:])],
                  origin=Origin("news.fr.xml", 7))
    story = Story("zug", [de, fr], [Row({"de": (0,), "fr": (0,)}, 0.8, 0.3), Row({"de": (1,), "fr": (1,)}, 0.9)])
    story.findings = [
        Finding("XL101", Severity.WARNING, "`8` here, `9` in fr", "de", "de", 17, 18, "8", row=0,
                related=[Span("fr", "fr", 16, 17, "9")]),
        Finding("XL201", Severity.INFO, "name differs", "fr", "fr", 40, 45, "Berne", row=1,
                suggestion="Bern"),
    ]
    grouping = [GroupEntry("de", de.path, "de", "zug", "version", 0.9), GroupEntry("fr", fr.path, "fr", "zug", "version", 0.9),
                GroupEntry("x", "other.txt", "en", None, "unrelated", 0.1)]
    return Report(Signature("0.2.0", "m", ("XL101", "XL201"), (("presplit", True),), ("presplit",)), [story],
                  {"stories": 1, "documents": 2, "sentences": 4, "strings_embedded": 4}, grouping, rules=RULES,
                  fail_on=Severity.WARNING)


def test_json_validates_against_schema():
    for report in (make_report(), feed_report()):
        data = json.loads(report.to_json())
        jsonschema.validate(data, SCHEMA)
    data = json.loads(make_report().to_json())
    assert data["schema"] == "xlingo.report/2"
    assert data["stories"][0]["alignment"][0]["similarity"] == 0.9123
    assert data["stories"][0]["alignment"][1]["cells"] == {"nl": [], "en": [1]}
    assert data["stories"][0]["alignment"][1]["tags"] == {"nl": "absent", "en": "addition"}
    assert data["rules"][0]["url"].startswith("https://") and data["fail_on"] == "error"
    assert data["levels"]["weak_divergence"] == 0.5


def test_unsure_words_validate_and_are_listed_under_their_row_in_the_text_report():
    report = make_report()
    brug = UnsureWord(Span("nl", "nl", 3, 7, "brug"), 0.2345, (Span("en", "en", 4, 10, "bridge"),), ("en",))
    gaat = UnsureWord(Span("nl", "nl", 8, 12, "gaat"), 0.15, (), ("en",))
    report.stories[0].alignment[0].unsure_words = [brug, gaat]
    data = json.loads(report.to_json())
    jsonschema.validate(data, SCHEMA)
    assert data["stories"][0]["alignment"][0]["unsure_words"][0] == {
        "doc": "nl", "lang": "nl", "start": 3, "end": 7, "text": "brug", "chance": 0.2345,
        "counterparts": [{"doc": "en", "lang": "en", "start": 4, "end": 10, "text": "bridge"}], "missing_from": ["en"]}
    for key, value in (("chance", 1.5), ("counterparts", None), ("missing_from", "en")):  # a chance above 1, a
        # word without its list of counterparts, versions that are no list
        broken = json.loads(report.to_json())
        broken["stories"][0]["alignment"][0]["unsure_words"][0][key] = value
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, SCHEMA)
    text = render_plain(report)
    assert "    ~ unsure [nl]: brug 0.23 (en bridge); gaat 0.15 (aligned with nothing)\n" in text
    assert text.count("~ unsure: words the meaning model finds least likely") == 1  # the legend, once
    assert "~ unsure" not in render_plain(make_report())  # nothing unsure: no line, no legend
    del data["stories"][0]["alignment"][0]["unsure_words"][0]["missing_from"]  # a report written before it
    jsonschema.validate(data, SCHEMA)
    assert Report.from_dict(data).stories[0].alignment[0].unsure_words[0].missing_from == ()


def test_a_word_one_version_alone_lacks_names_that_version_in_the_text_report():
    story = story_from_rows([{"es": "Los niños entran gratis.", "it": "I bambini entrano gratis.",
                              "pt": "As crianças entram."}])
    es, it = story.document("es").text, story.document("it").text
    gratis = UnsureWord(Span("es", "es", es.index("gratis"), es.index("gratis") + 6, "gratis"), 0.91,
                        (Span("it", "it", it.index("gratis"), it.index("gratis") + 6, "gratis"),), ("pt",))
    entran = UnsureWord(Span("es", "es", es.index("entran"), es.index("entran") + 6, "entran"), 0.3, (), ("it", "pt"))
    pt = story.document("pt").text
    around = Span("pt", "pt", pt.index("entram"), pt.index("entram") + 6, "entram")
    bambini = UnsureWord(Span("it", "it", it.index("bambini"), it.index("bambini") + 7, "bambini"), 0.6, (), ("pt",),
                         around)
    story.alignment[0].unsure_words = [gratis, entran, bambini]
    report = Report(Signature("0.1.0", "m", ()), [story], {"documents": 3, "sentences": 3})
    text = render_plain(report)
    # only one version lacks it: named, with its words about the place where known; every other
    # version doubted: as before
    assert "    ~ unsure [es]: gratis 0.91 missing in pt (it gratis); entran 0.30 (aligned with nothing)\n" in text
    assert "    ~ unsure [it]: bambini 0.60 missing in pt around `entram` (aligned with nothing)\n" in text
    data = json.loads(report.to_json())
    jsonschema.validate(data, SCHEMA)
    assert data["stories"][0]["alignment"][0]["unsure_words"][2]["around"] == around.to_dict()
    assert Report.from_dict(data).stories[0].alignment[0].unsure_words == [gratis, entran, bambini]


def test_an_unsure_word_is_shown_as_data_in_the_terminal():
    story = story_from_rows([{"de": "Der Chef\u202e sprach.", "en": "The boss spoke."}])
    start = story.document("de").text.index("Chef")
    word = Span("de", "de", start, start + 5, story.document("de").text[start:start + 5])
    story.alignment[0].unsure_words = [UnsureWord(word, 0.3)]
    report = Report(Signature("0.1.0", "m", ()), [story], {})
    line = next(x for x in render_plain(report).splitlines() if x.startswith("    ~ unsure"))
    assert "\u202e" not in line and "Chef" in line


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
                related=list(f.related))
    assert f.fingerprint == g.fingerprint


def test_findings_are_immutable():
    f = make_report().stories[0].findings[0]
    with pytest.raises(AttributeError):
        f.severity = Severity.INFO  # type: ignore[misc]
    assert isinstance(f.related, tuple)


def test_locations_are_resolved_when_the_report_is_built():
    f = make_report().stories[0].findings[0]
    assert (f.location.path, f.location.line, f.location.column, f.location.end_column) == ("nl.txt", 1, 25, 36)
    assert f.related[0].location.column == 23
    de, fr = feed_report().stories[0].findings
    assert str(de.location) == "feed.jsonl:2:47" and de.location.end_column == 48
    assert (fr.location.path, fr.location.line, fr.location.column) == ("news.fr.xml", 7, None)
    assert de.related[0].location.path == "news.fr.xml"


def test_origin_maps_offsets_through_anchors():
    origin = Origin("f.jsonl", 4, ((0, 4, 10), (5, 4, 17)))
    assert origin.position(0) == (4, 10) and origin.position(4) == (4, 14) and origin.position(6) == (4, 18)
    assert Origin("f.xml", 9).position(50) == (9, None)


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("build", [make_report, feed_report])
def test_every_format_renders_the_same_from_the_json(name, build):
    original = build()
    again = Report.from_json(original.to_json())
    assert again.to_json() == original.to_json()
    assert render(again, name) == render(original, name)


def test_round_trip_keeps_fingerprints_locations_and_levels():
    original = feed_report()
    again = Report.from_json(original.to_json())
    assert [f.fingerprint for _, f in again.findings] == [f.fingerprint for _, f in original.findings]
    assert [f.location for _, f in again.findings] == [f.location for _, f in original.findings]
    assert [r.level for r in again.stories[0].alignment] == ["fair", "good"]
    assert again.fail_on is Severity.WARNING and again.rule("XL101").name == "number-mismatch"


def test_from_json_refuses_another_schema():
    data = json.loads(make_report().to_json())
    data["schema"] = "xlingo.report/1"
    with pytest.raises(ValueError, match="report/2"):
        Report.from_dict(data)


def test_plain_text_shows_rows_side_by_side_with_findings():
    out = render_plain(make_report())
    assert "row 1  sim 0.91  1-1" in out
    assert "E XL101 error [nl] nl.txt:1:25: " in out and " 24-35" not in out
    assert "row 2" in out and "∅" in out
    assert "signature: xlingo:0.1.0|model:test-model|rules:1|cfg:" in out


def test_statistics_count_findings_per_rule():
    out = render_plain(feed_report(), statistics=True)
    assert "    1  XL101  number-mismatch" in out and "    1  XL201  XL201" in out


def test_severity_orders_by_rank():
    assert Severity.ERROR >= Severity.WARNING > Severity.INFO
    assert not Severity.INFO >= Severity.WARNING
    assert max([Severity.WARNING, Severity.ERROR, Severity.INFO]) is Severity.ERROR
