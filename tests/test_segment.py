"""Segmentation keeps character offsets into the original text."""
from __future__ import annotations

import pytest

from xlingo.model import Document
from xlingo.segment import segment


def test_offsets_point_into_text():
    text = "Der Rat tagte am Montag. Er beschloss nichts!\nNeuer Absatz ohne Punkt\n\nDr. Meier kam spät."
    doc = segment(Document("de", "de.txt", text, "de"))
    assert [s.text for s in doc.sentences] == [
        "Der Rat tagte am Montag.", "Er beschloss nichts!", "Neuer Absatz ohne Punkt", "Dr. Meier kam spät."]
    for s in doc.sentences:
        assert text[s.start:s.end] == s.text


def test_presplit_is_one_sentence_per_non_blank_line_with_positional_ids():
    text = "Première phrase. Encore.\n\nTroisième ligne.\n"
    doc = segment(Document("fr", "fr.txt", text, "fr"), presplit=True)
    assert [(s.i, s.text) for s in doc.sentences] == [(0, "Première phrase. Encore."), (1, "Troisième ligne.")]
    assert doc.sentences_span((1,)) == (26, 42)


def test_presplit_paragraphs_run_through_every_stage():
    """Blank lines between presplit sentences (was: IndexError in the word annotators, which index
    sentence vectors by id); findings still point at the file's line."""
    from xlingo.config import Settings
    from xlingo.pipeline import Engine, diff_documents

    de = Document("de", "de.txt", "Erster Satz ohne Zahl.\n\n\nZweiter Satz mit 5 Euro.\n", "de")
    fr = Document("fr", "fr.txt", "Première phrase sans chiffre.\nDeuxième phrase avec 6 euros.\n", "fr")
    report = diff_documents([de, fr], engine=Engine(Settings(model="hashed-test", presplit=True)))
    (story,) = report.stories
    lines = {story.where(f).line for f in story.findings if f.rule == "XL101" and f.doc == "de"}
    assert lines == {4}


@pytest.mark.parametrize("lang, text, expected", [
    ("pl", "Gol padł w 28. minucie meczu. Potem nic.", ["Gol padł w 28. minucie meczu.", "Potem nic."]),
    ("cs", "Tým skončil na 3. místě v lize. Trenér odstoupil.",
     ["Tým skončil na 3. místě v lize.", "Trenér odstoupil."]),
    ("da", "Holdet endte på en 3. plads i ligaen. Det var godt.",
     ["Holdet endte på en 3. plads i ligaen.", "Det var godt."]),
    # German capitalises the noun an ordinal counts: after an article the dot ends no sentence
    ("de", "Das Tor fiel in der 28. Minute. Danach nichts.", ["Das Tor fiel in der 28. Minute.", "Danach nichts."]),
    ("de", "Gut. Im 19. Jahrhundert war das so.", ["Gut.", "Im 19. Jahrhundert war das so."]),
    # a figure that ends a sentence before a capital stays its end
    ("en", "Sales rose by 3. Then they fell.", ["Sales rose by 3.", "Then they fell."]),
    ("de", "Sie wurde 3. Das reichte ihr.", ["Sie wurde 3.", "Das reichte ihr."]),
])
def test_an_ordinal_ends_no_sentence(lang, text, expected):
    doc = segment(Document(lang, f"{lang}.txt", text, lang))
    assert [s.text for s in doc.sentences] == expected
    assert all(text[s.start:s.end] == s.text for s in doc.sentences)
