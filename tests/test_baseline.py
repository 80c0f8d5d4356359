"""Baselines: record findings, hide known ones (count-aware), report stale entries."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from xlingo.baseline import SCHEMA, apply_baseline, baseline_entries, load_baseline, write_baseline
from xlingo.errors import InputError
from xlingo.model import Finding, Report, Severity, Signature, Span, Story
from xlingo.testing import story_from_rows

SIGNATURE = Signature(version="0.1.0", model="fake", rules=("XL101",))


def story_with(sentences: list[str], flagged: list[str], story_id: str = "s") -> Story:
    """A two-version story whose French sentences are given; each ``flagged`` word is a finding."""
    story = story_from_rows([{"de": f"Satz {k}.", "fr": s} for k, s in enumerate(sentences)], story_id=story_id)
    fr = story.document("fr")
    for word in flagged:
        for sent in fr.sentences:
            if word in sent.text:
                start = sent.start + sent.text.index(word)
                story.findings.append(Finding(rule="XL101", severity=Severity.ERROR, message=f"{word} differs",
                                              doc="fr", lang="fr", start=start, end=start + len(word), text=word,
                                              row=sent.i))
    return story


def report_of(*stories: Story) -> Report:
    return Report(signature=SIGNATURE, stories=list(stories))


def test_write_and_load_round_trip(tmp_path: Path) -> None:
    story = story_with(["Il coûte 640 euros.", "Il coûte 640 euros.", "Autre 99 chose."], ["640", "99"])
    path = tmp_path / "baseline.json"
    assert write_baseline(path, report_of(story)) == 3
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA and data["signature"] == str(SIGNATURE)
    entries = load_baseline(path)
    assert entries == baseline_entries(report_of(story))
    by_text = {e.excerpt: e for e in entries}
    assert by_text["640"].count == 2 and by_text["99"].count == 1
    assert (by_text["640"].rule, by_text["640"].lang, by_text["640"].story, by_text["640"].path) == \
           ("XL101", "fr", "s", "fr.txt")


def test_a_baseline_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    story = story_with(["Il coûte 640 euros."], ["640"])
    path = tmp_path / "baseline.json"
    write_baseline(path, report_of(story))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_baseline(path) == baseline_entries(report_of(story))


def test_a_path_that_is_not_utf8_round_trips(tmp_path: Path) -> None:
    """A file name with a byte that is not UTF-8 (a lone surrogate in Python; was: UnicodeEncodeError)."""
    story = story_with(["Il coûte 640 euros."], ["640"])
    story.document("fr").path = "feeds/a\udcff.fr.txt"
    path = tmp_path / "baseline.json"
    assert write_baseline(path, report_of(story)) == 1
    assert "\\udcff" in path.read_text(encoding="utf-8")
    assert [e.path for e in load_baseline(path)] == ["feeds/a\udcff.fr.txt"]
    assert apply_baseline([story], load_baseline(path)).suppressed == 1


def test_only_new_findings_remain_and_edits_elsewhere_keep_fingerprints() -> None:
    old = story_with(["Il coûte 640 euros.", "Une phrase."], ["640"])
    entries = baseline_entries(report_of(old))
    edited = story_with(["Un nouveau début.", "Il coûte  640 euros.", "Une phrase changée 77."], ["640", "77"])
    result = apply_baseline([edited], entries)
    assert [f.text for f in edited.findings] == ["77"]
    assert (result.suppressed, result.stale, result.stale_count) == (1, [], 0)


def test_baselines_count_occurrences() -> None:
    entries = baseline_entries(report_of(story_with(["Il coûte 640 euros."], ["640"])))
    twice = story_with(["Il coûte 640 euros.", "Il coûte 640 euros."], ["640"])
    result = apply_baseline([twice], entries)
    assert len(twice.findings) == 1 and result.suppressed == 1


def test_fixed_findings_are_stale() -> None:
    entries = baseline_entries(report_of(story_with(["Il coûte 640 euros.", "Il coûte 640 euros.", "De 5 ans."],
                                                    ["640", "5"])))
    fixed = story_with(["Il coûte 640 euros.", "Il coûte 620 euros.", "De cinq ans."], ["640"])
    result = apply_baseline([fixed], entries)
    assert fixed.findings == [] and result.suppressed == 1
    assert sorted((e.excerpt, e.count) for e in result.stale) == [("5", 1), ("640", 1)]
    assert result.stale_count == 2


@pytest.mark.parametrize("content, message", [
    (None, "no such baseline file"),
    ("{not json", "invalid JSON"),
    ('{"schema": "other/1", "findings": []}', "schema 'other/1'"),
    ('[1, 2]', "schema 'list'"),
    (json.dumps({"schema": SCHEMA, "findings": {}}), '"findings" must be a list'),
    (json.dumps({"schema": SCHEMA, "findings": [{"fingerprint": "x"}]}), "entry 1 lacks a field"),
    (json.dumps({"schema": SCHEMA, "findings": [{"fingerprint": "x", "rule": "XL101", "lang": "fr", "story": "s",
                                                 "path": "p", "excerpt": "e", "count": 0}]}), "positive integer"),
])
def test_bad_baseline_files_are_one_line_errors(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_baseline(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


# ------------------------------------------------------------------ fingerprints of span and counterparts

def scenario(de: str) -> Story:
    """Three versions; findings placed on words (with counterparts), as the rules place them."""
    rows = [{"de": de,
             "fr": "Selon Kestrel Analytics, la société Granite Cloud a acheté 640 puces pour 13,7 millions d'euros.",
             "pt": "Segundo a Kestrel Analytics, a empresa Granite Cloud comprou 640 chips por 13,7 milhões de euros."},
            {"de": "Die Firma meldete 25 neue Stellen in Porto.", "fr": "La société a annoncé 25 emplois à Porto.",
             "pt": "A empresa anunciou 25 novos empregos no Porto."}]
    story = story_from_rows(rows)

    def span(doc: str, word: str, row: int = 0) -> tuple[int, int, str]:
        d = story.document(doc)
        sent = d.sentence(row)
        start = sent.start + sent.text.index(word)
        return start, start + len(word), word

    def whole(doc: str, row: int = 0) -> Span:
        s = story.document(doc).sentence(row)
        return Span(doc, doc, s.start, s.end, s.text)

    def add(rule: str, doc: str, word: str, related: list[Span], row: int = 0) -> None:
        start, end, text = span(doc, word, row)
        story.findings.append(Finding(rule=rule, severity=Severity.ERROR, message=f"{rule} {text}", doc=doc, lang=doc,
                                      start=start, end=end, text=text, row=row, related=related))

    def word(doc: str, w: str, row: int = 0) -> Span:
        return Span(doc, doc, *span(doc, w, row))

    if "-Chips" in de:
        add("XL501", "de", "Grafik -Chips", [whole("fr"), whole("pt")])            # spacing, in the edited sentence
    for name in ("Granit Wolke", "Granite Cloud"):
        if name in de and name != "Granite Cloud":
            add("XL201", "de", name, [word("fr", "Granite Cloud"), word("pt", "Granite Cloud")])
    for n in ("640", "460"):
        if n in de and n != "640":
            add("XL101", "de", n, [word("fr", "640"), word("pt", "640")])
    add("XL701", "pt", "empresa", [word("de", "Firma"), word("fr", "société")])     # counterpart in the edited sentence
    add("XL704", "fr", "puces", [whole("de"), whole("pt")])                         # whole edited sentence as context
    add("XL702", "fr", "emplois", [word("de", "neue Stellen", 1)], row=1)           # another sentence
    return story


def test_a_baseline_survives_edits_elsewhere_in_the_sentence() -> None:
    """The issue's scenario: accept a story, then fix one name and change one number in one version."""
    before = "Laut Kestrel Analytics kaufte die Firma Granit Wolke 640 Grafik -Chips für 13,7 Millionen Euro."
    after = "Laut Kestrel Analytics kaufte die Firma Granite Cloud 460 Grafik -Chips für 13,7 Millionen Euro."
    entries = baseline_entries(report_of(scenario(before)))
    assert sum(e.count for e in entries) == 5
    edited = scenario(after)
    result = apply_baseline([edited], entries)
    assert [(f.rule, f.text) for f in edited.findings] == [("XL101", "460")]          # only the new number
    assert [(e.rule, e.excerpt, e.count) for e in result.stale] == [("XL201", "Granit Wolke", 1)]  # only the fix
    assert result.suppressed == 4


def test_fingerprints_ignore_offsets_and_the_rest_of_the_sentence_but_not_counterparts() -> None:
    base = dict(rule="XL101", severity=Severity.ERROR, message="m", doc="de", lang="de", text="460")
    a = Finding(start=10, end=13, related=[Span("fr", "fr", 0, 3, "640")], **base)
    b = Finding(start=40, end=43, related=[Span("fr", "fr", 5, 8, "640")], **base)
    c = Finding(start=10, end=13, related=[Span("fr", "fr", 0, 3, "600")], **base)
    assert a.fingerprint == b.fingerprint != c.fingerprint


def test_a_gap_is_known_by_its_counterparts_whatever_their_length() -> None:
    long_a = Span("fr", "fr", 0, 60, "Le conseil a voté le budget de la ville hier soir après un long débat.")
    long_b = Span("fr", "fr", 0, 60, "Le conseil a voté le budget de la région hier soir après un long débat.")
    gap = dict(rule="XL001", severity=Severity.ERROR, message="m", doc="de", lang="de", start=5, end=5, text="")
    assert Finding(related=[long_a], **gap).fingerprint != Finding(related=[long_b], **gap).fingerprint


def test_a_baseline_of_the_old_format_asks_to_be_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"schema": "xlingo.baseline/1", "findings": []}), encoding="utf-8")
    with pytest.raises(InputError, match="older xlingo.*--write-baseline"):
        load_baseline(path)
