"""The perturbation benchmark's bookkeeping: the story before its perturbation, and which findings it made."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from perturb import StoryCase, finding_key, unperturbed  # noqa: E402

from xlingo.model import Finding, Severity  # noqa: E402

VERSIONS = {"es": ["La biblioteca reabre el lunes.", "Tiene una sala nueva."],
            "it": ["La biblioteca riapre lunedì.", "Ha una sala nuova."]}


def test_the_story_before_a_changed_line_has_the_line_back():
    case = StoryCase("clause0-it-x", "clause", "it", {**VERSIONS, "it": ["La biblioteca riapre.", "Ha una sala nuova."]},
                     0, (21, 21), "La biblioteca riapre lunedì.")
    assert unperturbed(case) == VERSIONS
    assert case.versions["it"][0] == "La biblioteca riapre."  # the case itself is left as it is


def test_the_story_before_a_dropped_sentence_has_it_back_in_its_place():
    case = StoryCase("sentence0-es-x", "sentence", "es", {**VERSIONS, "es": ["Tiene una sala nueva."]}, 0, (0, 0),
                     "La biblioteca reabre el lunes.")
    assert unperturbed(case) == VERSIONS


def test_a_finding_is_the_same_before_and_after_by_rule_version_and_text_not_by_place():
    def finding(rule, doc, text, start):
        return Finding(rule, Severity.WARNING, "m", doc, doc, start, start + len(text), text)

    assert finding_key(finding("XL503", "es", "«", 3)) == finding_key(finding("XL503", "es", "«", 40))
    assert finding_key(finding("XL503", "es", "«", 3)) != finding_key(finding("XL503", "it", "«", 3))
    assert finding_key(finding("XL201", "es", "Kenny  Miler", 3)) == finding_key(finding("XL201", "es", "Kenny Miler", 9))
