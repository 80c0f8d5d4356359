"""XL803's threshold benchmark: its recorder stands in for every search the rule makes (with the
same parameters, so a rule change cannot break it silently), and the cross-validation of the
second encoder's floor counts a candidate as a translation only above the floor and every other
name of the story."""
from __future__ import annotations

import inspect
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from cv_name_threshold import COS_GRID, Recorder, balanced_accuracy, below_floor, below_z  # noqa: E402

from xlingo.check.rules.name_swaps import NameSubstituted  # noqa: E402


@pytest.mark.parametrize(("method", "stand_in"), [("_found", Recorder.found), ("placement", Recorder.placing),
                                                   ("_second_opinion", Recorder.asking)])
def test_the_recorder_takes_every_parameter_of_the_search_it_replaces(method, stand_in):
    wanted = [p for p in inspect.signature(getattr(NameSubstituted, method)).parameters if p != "self"]
    taken = [p for p in inspect.signature(stand_in).parameters if p not in ("self", "rule")]
    assert taken == wanted


def test_the_recorder_puts_the_rule_back():
    saved = (NameSubstituted._found, NameSubstituted.placement, NameSubstituted._second_opinion)
    with Recorder():
        assert NameSubstituted._second_opinion is not saved[2]
    assert (NameSubstituted._found, NameSubstituted.placement, NameSubstituted._second_opinion) == saved


def test_a_candidate_is_a_translation_from_the_floor_and_only_when_no_other_name_is_closer():
    cos_other = np.array([[0.60, 0.30], [0.60, 0.70], [0.40, 0.10], [0.50, 0.50]])
    assert below_floor(cos_other, 0.45).tolist() == [False, True, True, False]  # a tie with another name passes


def test_the_balanced_accuracy_of_a_floor_counts_swaps_flagged_and_clean_names_passed():
    cos_other = np.array([[0.25, 0.2], [0.30, 0.1], [0.55, 0.2], [0.70, 0.3], [0.35, 0.2]])
    real = np.array([True, True, False, False, False])
    assert balanced_accuracy(cos_other, real, 0.45, below_floor) == pytest.approx((1.0 + 2 / 3) / 2)
    best = max(COS_GRID, key=lambda t: balanced_accuracy(cos_other, real, t, below_floor))
    assert 0.30 < best <= 0.35  # between the highest swap and the lowest clean candidate
    assert balanced_accuracy(np.array([0.5, 2.0]), np.array([True, False]), 1.0, below_z) == 1.0
