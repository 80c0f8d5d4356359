"""The alignment benchmarks' scoring helpers, on made-up beads."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from align_textberg import out_of_reach, print_errors, score  # noqa: E402

from xlingo.align import AlignParams  # noqa: E402

GOLD = [((0,), (0,)), ((1, 2), (1,)), ((3,), (2, 4)), ((), (3,)), ((4,), (6,)), ((5,), (5,)),
        ((6,), (7, 8, 9, 10, 11))]


def test_out_of_reach_names_why_a_monotone_aligner_cannot_propose_a_bead():
    params = AlignParams(max_window=4, max_bead=5)
    assert out_of_reach(((1, 2), (1,)), GOLD, params) is None
    assert out_of_reach(((3,), (2, 4)), GOLD, params) == "not contiguous"
    assert out_of_reach(((6,), (7, 8, 9, 10, 11)), GOLD, params) == "beyond the bead shapes"
    assert out_of_reach(((4,), (6,)), GOLD, params) == "crossing another gold bead"
    assert out_of_reach(((5,), (5,)), GOLD, params) == "crossing another gold bead"
    assert out_of_reach(((6,), (7, 8, 9, 10, 11)), GOLD, AlignParams(max_window=5, max_bead=6)) is None


def test_errors_print_the_recall_ceiling(capsys):
    proposed = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,)), ((), (3,)), ((), (4,)),
                ((4, 5), (5, 6)), ((6,), (7, 8, 9, 10, 11))]
    src = [f"s{i}" for i in range(7)]
    tgt = [f"t{j}" for j in range(12)]
    print_errors(proposed, GOLD, src, tgt, AlignParams())
    out = capsys.readouterr().out
    assert "missed 2-1 [1, 2]:[1]" in out and "out of reach" not in out.split("\n")[0]
    assert "(out of reach: not contiguous)" in out
    assert "within reach: 2 of 6 (strict recall ceiling 0.333)" in out


def test_strict_score_counts_exact_beads_only():
    s = score([((0,), (0,)), ((1,), (1,)), ((2,), ())], [((0,), (0,)), ((1, 2), (1,))])
    assert s["strict"]["precision"] == 1 / 3 and s["strict"]["recall"] == 1 / 2
    assert s["lax"]["recall"] == 1.0
