"""The unsure words' floor benchmark: a floor is the chance a given share of clean words reach, and
its settings cover every number of versions the code has a floor for."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from unsure_words import SETTINGS, floor_for  # noqa: E402

from xlingo.annotate.words import GAP_FLOORS, UNSURE_FLOORS  # noqa: E402


def test_a_floor_is_reached_by_the_share_asked_for():
    values = np.linspace(0.0, 1.0, 1001)
    floor = floor_for(values, 0.02)
    assert abs((values >= floor).mean() - 0.02) < 0.002
    assert floor_for(np.zeros(0), 0.02) == 1.0  # nothing seen: nothing shaded


@pytest.mark.parametrize("shipped", [UNSURE_FLOORS, GAP_FLOORS], ids=["unsure", "one version lacks"])
def test_every_shipped_floor_is_measured_and_ordered_by_the_versions_that_vote(shipped):
    measured = {min(len(s), max(shipped)) for s in SETTINGS if len(s) >= min(shipped)}
    assert measured == set(shipped)
    floors = [shipped[n] for n in sorted(shipped)]
    assert floors == sorted(floors, reverse=True)  # the fewer versions vote, the higher the chances run
