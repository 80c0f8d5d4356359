"""The drop probe's benchmark bookkeeping: weights fitted on drops against clean gaps, a floor within
the clean budget, recall and cost, and document-level cross-validation."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from omission_probe import Probe, cross_validate  # noqa: E402

# signals of a probed gap: (log of the vote's evidence, drop gain, length deficit)
CASES = [{"document": "a", "at_gold": [(2.2, 0.3, 2.0)], "caught_without": False},
         {"document": "b", "at_gold": [(1.1, 0.4, 1.5), (2.0, 0.05, 0.0)], "caught_without": False},
         {"document": "c", "at_gold": [], "caught_without": True},
         {"document": "d", "at_gold": [], "caught_without": False}]
CLEAN = [{"document": d, "signals": s} for d, s in (
    ("a", (1.0, -0.05, 0.0)), ("b", (1.2, 0.0, -0.5)), ("c", (0.8, 0.02, 0.3)), ("d", (1.5, 0.1, 0.8)),
    ("a", (0.9, -0.1, -1.0)), ("b", (1.1, 0.05, 0.2)))]


def test_the_weights_favour_what_drops_have_and_clean_gaps_lack():
    probe = Probe(CASES, CLEAN, sentences=600, budget=0.0)
    assert all(w > 0 for w in probe.weights)  # every signal is higher at the drops
    assert probe.warns((2.2, 0.3, 2.0)) and not probe.warns((1.5, 0.1, 0.8))  # no clean gap passes


def test_the_floor_keeps_the_clean_warnings_within_the_budget():
    for budget, allowed in ((0.0, 0), (1.0, 1), (2.0, 2)):  # warnings per 100 sentences
        probe = Probe(CASES, CLEAN, sentences=100, budget=budget)
        assert sum(probe.warns(c["signals"]) for c in CLEAN) == allowed  # the highest floor that stays within


def test_a_case_is_found_by_one_gap_past_the_floor_or_by_another_rule():
    probe = Probe(CASES, CLEAN, sentences=600, budget=0.0)
    recall, cost = probe.score(CASES, CLEAN, 600)
    assert cost == 0.0
    assert recall == 0.75  # a and b by the probe (b by its first gap), c without it, d not at all


def test_cross_validation_scores_each_document_with_a_probe_fitted_on_the_others():
    cases = [dict(c, document=d) for c in CASES for d in ("a", "b", "c", "d", "e")]
    clean = [dict(c, document=d) for c in CLEAN for d in ("a", "b", "c", "d", "e")]
    out = cross_validate(cases, clean, {d: 120 for d in "abcde"}, budget=0.0, signals=("vote", "gain"))
    assert out["signals"] == ["vote", "gain"] and out["recall"] == 0.75  # every fold sees the same cases
    assert out["warnings_per_100"] == 0.0
