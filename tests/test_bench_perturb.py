"""The perturbation benchmark's bookkeeping: the story before its perturbation, and which findings it made."""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from perturb import StoryCase, data_defects, finding_key, shaded, unperturbed  # noqa: E402

from xlingo.model import Finding, Severity, Span, UnsureWord  # noqa: E402
from xlingo.testing import story_from_rows  # noqa: E402

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


def test_a_dropped_clause_is_shaded_by_a_new_word_of_another_version_marked_missing_in_its_row():
    cut = {**VERSIONS, "it": ["La biblioteca riapre.", "Ha una sala nuova."]}
    case = StoryCase("clause0-it-x", "clause", "it", cut, 0, (20, 20), "La biblioteca riapre lunedì.")

    def story(versions, marks):
        s = story_from_rows([{lg: v[k] for lg, v in versions.items()} for k in range(2)])
        text = s.document("es").text
        for k, word, missing in marks:
            at = text.index(word)
            s.alignment[k].unsure_words = [UnsureWord(Span("es", "es", at, at + len(word), word), 0.7, (), missing)]
        return s

    before = story(VERSIONS, [])
    assert shaded(story(cut, [(0, "lunes", ("it",))]), before, case, (20, 20))
    assert not shaded(story(cut, [(0, "lunes", ("it",))]), story(VERSIONS, [(0, "lunes", ("it",))]), case, (20, 20))
    assert not shaded(story(cut, [(1, "nueva", ("it",))]), before, case, (20, 20))  # another row
    assert not shaded(story(cut, []), before, case, (20, 20))


class _Draws:
    """What a generator draws on, with a fixed coin (0.9: insert a negation, never remove one)."""

    class rng:  # noqa: N801
        @staticmethod
        def random() -> float:
            return 0.9


def test_a_negation_is_inserted_at_an_auxiliary_not_yet_negated():
    from perturb import _p_negation

    line = "“No es China la que se lleva a los líderes, es que está cerca”"
    out, (s, e) = _p_negation(line, "es", {}, _Draws, "x")
    assert out[s:e] == "no" and "No no" not in out and "no es que" in out
    out, (s, e) = _p_negation("Le maire n'a pas parlé, mais le pont a coûté cher.", "fr", {}, _Draws, "x")
    assert out == "Le maire n'a pas parlé, mais le pont n'a pas coûté cher."


def test_no_negation_is_inserted_where_every_auxiliary_is_negated():
    from perturb import _p_negation

    assert _p_negation("Jak na razie nie ma żadnych oznak zmęczenia.", "pl", {}, _Draws, "x") is None
    assert _p_negation("Estas coisas não têm retrocesso.", "pt", {}, _Draws, "x") is None
    assert _p_negation("Op dit moment zijn er geen wachtrijen.", "nl", {}, _Draws, "x") is None  # geen in the clause
    assert _p_negation("委员会将表决是否延长期限。", "zh", {}, _Draws, "x") is None  # 是 of 是否 (whether) is no verb


def test_a_chinese_negator_goes_before_a_verb_standing_as_a_word_in_a_clause_not_negated():
    from perturb import _p_negation

    out, (s, e) = _p_negation("他没有车，但是他有时间。", "zh", {}, _Draws, "x")
    assert out == "他没有车，但是他没有时间。" and out[s:e] == "没有"


def test_the_suite_draws_on_the_languages_of_the_folder(tmp_path):
    from perturb import suite_languages, type_languages

    (tmp_path / "docs.tsv").write_text("d1\n", encoding="utf-8")
    for lang in ("ko", "de", "en", "ja"):
        (tmp_path / f"ntrex.{lang}").write_text("x\n", encoding="utf-8")
    langs = suite_languages(tmp_path)
    assert langs == ("en", "de", "ja", "ko")  # the known ones in the suite's order, then the others
    assert type_languages("number", langs) == langs
    assert type_languages("verb", langs) == ("de", "en", "ja")  # a verb inflection is known for these only
    assert type_languages("negation", langs) == ("en", "de", "ja")
    assert type_languages("entity", langs) == ("de", "en")  # names need capitals
    (tmp_path / "ntrex.en").unlink()
    with pytest.raises(SystemExit, match="ntrex.en"):
        suite_languages(tmp_path)


def test_a_folder_that_lacks_a_language_asked_for_is_one_line_not_a_traceback(tmp_path):
    from ntrex import load_documents

    (tmp_path / "docs.tsv").write_text("d1\n", encoding="utf-8")
    (tmp_path / "ntrex.en").write_text("A line.\n", encoding="utf-8")
    assert load_documents(tmp_path, ["en"]) == [("d1", {"en": ["A line."]})]
    with pytest.raises(SystemExit, match="no ntrex.de"):
        load_documents(tmp_path, ["en", "de"])
    with pytest.raises(SystemExit, match="not an NTREX folder"):
        load_documents(tmp_path / "elsewhere", ["en"])


def test_a_finding_the_review_marks_a_defect_of_the_data_counts_as_right_unless_a_hit():
    hit = SimpleNamespace(rule="XL701", lang="fr", text="la ville")
    slip = SimpleNamespace(rule="XL503", lang="pt", text='"')
    other = SimpleNamespace(rule="XL201", lang="de", text="Jonh Street")
    review = {("doc.1", "XL503", "pt", '"'): "defect", ("doc.1", "XL201", "de", "Jonh Street"): "false",
              ("doc.1", "XL701", "fr", "la ville"): "defect"}
    assert data_defects([hit, slip, other], [hit], review, "doc.1") == 1
    assert data_defects([hit, slip, other], [hit], review, "doc.2") == 0


def test_a_saved_suite_reads_back_as_the_same_cases_with_the_same_digest(tmp_path):
    from perturb import read_suite, suite_digest, write_suite

    cases = [StoryCase("number0-es-doc", "number", "es", VERSIONS, 1, (5, 9), "Tiene una sala nueva."),
             StoryCase("sentence1-es-doc", "sentence", "es", {"es": VERSIONS["es"][:1], "it": VERSIONS["it"]}, 1,
                       (0, 0), "Tiene una sala nueva.")]
    draw = {"seed": 7, "per_type": 1, "story_lines": 8, "versions": 2}
    write_suite(tmp_path / "suite.json", cases, draw)
    back, settings = read_suite(tmp_path / "suite.json")
    assert back == cases and settings == draw and suite_digest(back) == suite_digest(cases)
    moved = [StoryCase(**{**vars(cases[0]), "gold": (5, 10)}), cases[1]]
    assert suite_digest(moved) != suite_digest(cases)
