"""The clean-text benchmark's review file: verdicts read, unknown findings unreviewed, bad verdicts refused."""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from ntrex_clean import read_review, verdict_of  # noqa: E402

HEADER = "document\trule\tlang\ttext\tverdict\tnote\n"


def test_review_verdicts_by_document_rule_language_and_text(tmp_path):
    path = tmp_path / "review.tsv"
    path.write_text(HEADER + 'doc.1\tXL201\tfr\tJonh Street\tdefect\tmisspelled\n'
                    'doc.1\tXL503\tpt\t"\tfalse\ta quote closed later\n'
                    'doc.2\tXL101\tde\t4\tother\tthe other version changed the score\n', encoding="utf-8")
    review = read_review(path)
    finding = SimpleNamespace(rule="XL201", lang="fr", text="Jonh Street")
    assert verdict_of(review, "doc.1", finding) == "defect"
    assert verdict_of(review, "doc.1", SimpleNamespace(rule="XL503", lang="pt", text='"')) == "false"
    assert verdict_of(review, "doc.2", finding) == "unreviewed"  # another document
    assert verdict_of(review, "doc.1", SimpleNamespace(rule="XL201", lang="de", text="Jonh Street")) == "unreviewed"


def test_review_refuses_an_unknown_verdict(tmp_path):
    path = tmp_path / "review.tsv"
    path.write_text(HEADER + "doc.1\tXL201\tfr\tJonh Street\tmaybe\t\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="maybe"):
        read_review(path)


def test_the_shipped_review_reads():
    review = read_review(Path(__file__).resolve().parents[1] / "benchmarks" / "reviews" / "ntrex-dev.tsv")
    assert review and set(review.values()) <= {"defect", "other", "false"}
