"""Baselines: record findings, hide known ones (count-aware), report stale entries."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from xlingo.baseline import SCHEMA, apply_baseline, baseline_entries, load_baseline, write_baseline
from xlingo.errors import InputError
from xlingo.model import Finding, Report, Severity, Signature, Story
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
                                              row=sent.i, sentence=sent.text))
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
