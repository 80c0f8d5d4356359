"""The MQM benchmark's reading and scoring helpers, on a made-up file."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import pytest  # noqa: E402
from mqm import accuracy_spans, char_mask, label, language_pair, length_matched_auc, read_mqm, recall_at  # noqa: E402

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
    assert (segs[0]["src"], segs[0]["tgt"]) == ("en", "de")  # no pair in the name: read from the text


ZH_EN = [
    "sysA\tdoc.1\t1\t1\tr1\t北京今天下雨了。\tIt <v>snowed</v> in Beijing today.\tAccuracy/Mistranslation\tmajor\t\n",
    "sysA\tdoc.1\t1\t2\tr1\t会议明天开始。\tThe meeting starts tomorrow.\tno-error\tno-error\t\n",
]


def test_language_pair_from_the_file_name_as_wmt_names_it(tmp_path):
    path = tmp_path / "mqm_newstest2021_zhen.tsv"
    path.write_text(HEADER + "".join(ZH_EN), encoding="utf-8")
    segs = read_mqm([str(path)])[("doc.1", "sysA")]
    assert {(s["src"], s["tgt"]) for s in segs} == {("zh", "en")}
    assert label(segs[0]) == 1 and label(segs[1]) == 0  # severities and "no-error" in lower case too


def test_language_pair_given_wins_and_a_bad_one_is_refused():
    assert language_pair("mqm_ted_ende.tsv", [], [], "en-ru") == ("en", "ru")
    # a name whose last letters only look like a pair (Danish-Tamil): the text decides
    assert language_pair("mqm_data.tsv", ["The ferry leaves at noon every day."],
                         ["Die Fähre fährt jeden Tag um zwölf Uhr ab."]) == ("en", "de")
    assert language_pair("whatever.tsv", ["Der Hund schläft im Garten."], ["Le chien dort dans le jardin."]) == ("de", "fr")
    with pytest.raises(SystemExit):
        language_pair("x.tsv", [], [], "en-en")


def test_character_mask_leaves_out_whitespace():
    m = char_mask("ab cd", [(0, 5)])
    assert m.tolist() == [True, True, False, True, True]


def test_length_matched_auc_ignores_a_score_that_only_tracks_length():
    rng = np.random.default_rng(0)
    lengths = rng.integers(3, 40, 400)
    labels = (rng.random(400) < lengths / 50).astype(int)  # long segments hold more errors
    assert length_matched_auc(lengths.astype(float), labels, lengths, bins=10) < 0.62
    assert recall_at(labels.astype(float), labels) == 1.0
