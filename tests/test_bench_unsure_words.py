"""The unsure words' floor benchmark: a floor is the chance a given share of clean words reach, and
its settings cover every number of versions the code has a floor for."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from unsure_words import SETTINGS, floor_for  # noqa: E402

from xlingo.annotate.words import UNSURE_FLOORS  # noqa: E402


def test_a_floor_is_reached_by_the_share_asked_for():
    values = np.linspace(0.0, 1.0, 1001)
    floor = floor_for(values, 0.02)
    assert abs((values >= floor).mean() - 0.02) < 0.002
    assert floor_for(np.zeros(0), 0.02) == 1.0  # nothing seen: nothing shaded


def test_every_shipped_floor_is_measured_and_ordered_by_the_versions_that_vote():
    measured = {min(len(s), max(UNSURE_FLOORS)) for s in SETTINGS}
    assert measured == set(UNSURE_FLOORS)
    floors = [UNSURE_FLOORS[n] for n in sorted(UNSURE_FLOORS)]
    assert floors == sorted(floors, reverse=True)  # the fewer versions vote, the higher the chances run
