"""The drop probe's benchmark bookkeeping: recall and cost at given floors, and the choice within a budget."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from omission_probe import choose, cross_validate, score  # noqa: E402

CASES = [{"document": "a", "at_gold": [(9.0, 0.3)], "caught_without": False},
         {"document": "b", "at_gold": [(3.0, 0.5), (8.0, 0.05)], "caught_without": False},
         {"document": "c", "at_gold": [], "caught_without": True},
         {"document": "d", "at_gold": [], "caught_without": False}]
CLEAN = [{"document": "a", "vote": 8.0, "gain": 0.1}, {"document": "b", "vote": 2.5, "gain": 0.4}]


def test_a_case_is_found_by_one_gap_passing_both_floors_or_by_another_rule():
    assert score(CASES, CLEAN, 100, 5.0, 0.2) == (0.5, 0.0)  # a by the probe, c without it
    assert score(CASES, CLEAN, 100, 2.0, 0.2) == (0.75, 1.0)  # b's first gap too, and one clean warning
    assert score(CASES, CLEAN, 200, 2.0, 0.05) == (0.75, 1.0)  # two clean warnings in 200 sentences


def test_the_floors_chosen_keep_the_clean_cost_within_the_budget():
    vote, gain = choose(CASES, CLEAN, 100, budget=0.5)
    assert score(CASES, CLEAN, 100, vote, gain) == (0.75, 0.0)  # b's first gap passes, neither clean one
    assert (vote, gain) == (3.0, 0.3)  # of the floors that do, the highest


def test_cross_validation_scores_each_document_with_floors_chosen_on_the_others():
    out = cross_validate(CASES, CLEAN, {"a": 50, "b": 50, "c": 50, "d": 50}, budget=10.0)
    assert len(out["floors"]) == 5 and 0.0 <= out["recall"] <= 1.0
    assert out["warnings_per_100"] >= 0.0
