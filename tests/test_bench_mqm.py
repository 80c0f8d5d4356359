"""The MQM benchmark's reading and scoring helpers, on a made-up file."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from mqm import accuracy_spans, char_mask, label, length_matched_auc, read_mqm, recall_at  # noqa: E402

HEADER = "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\tcomment\n"
ROWS = [
    "sysA\ttalk.9\t9\t1\tr1\tThe cat sleeps.\tDie <v>Hund</v> schläft.\tAccuracy/Mistranslation\tMajor\t\n",
    "sysA\ttalk.9\t9\t1\tr1\tThe cat sleeps.\tDie Hund <v>schläft</v>.\tFluency/Grammar\tMinor\t\n",
    "sysA\ttalk.9\t9\t2\tr1\tIt rains.\tEs regnet.\tNo-error\tNo-error\t\n",
    "sysB\ttalk.9\t9\t1\tr2\tThe cat sleeps.\tDie Katze schläft.\tStyle/Awkward\tMinor\t\n",
]


def test_reading_strips_marks_and_keeps_offsets(tmp_path):
    path = tmp_path / "m.tsv"
    path.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    stories = read_mqm([str(path)])
    segs = stories[("talk.9", "sysA")]
    assert [s["target"] for s in segs] == ["Die Hund schläft.", "Es regnet."]
    s, e = accuracy_spans(segs[0])[0]
    assert segs[0]["target"][s:e] == "Hund"
    assert label(segs[0]) == 1 and label(segs[1]) == 0
    assert label(stories[("talk.9", "sysB")][0]) is None  # a minor non-accuracy error: neither side


def test_character_mask_leaves_out_whitespace():
    m = char_mask("ab cd", [(0, 5)])
    assert m.tolist() == [True, True, False, True, True]


def test_length_matched_auc_ignores_a_score_that_only_tracks_length():
    rng = np.random.default_rng(0)
    lengths = rng.integers(3, 40, 400)
    labels = (rng.random(400) < lengths / 50).astype(int)  # long segments hold more errors
    assert length_matched_auc(lengths.astype(float), labels, lengths, bins=10) < 0.62
    assert recall_at(labels.astype(float), labels) == 1.0
