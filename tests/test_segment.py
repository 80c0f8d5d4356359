"""Segmentation keeps character offsets into the original text."""
from __future__ import annotations

from xlingo.model import Document
from xlingo.segment import segment


def test_offsets_point_into_text():
    text = "Der Rat tagte am Montag. Er beschloss nichts!\nNeuer Absatz ohne Punkt\n\nDr. Meier kam spät."
    doc = segment(Document("de", "de.txt", text, "de"))
    assert [s.text for s in doc.sentences] == [
        "Der Rat tagte am Montag.", "Er beschloss nichts!", "Neuer Absatz ohne Punkt", "Dr. Meier kam spät."]
    for s in doc.sentences:
        assert text[s.start:s.end] == s.text


def test_presplit_ids_are_line_numbers():
    text = "Première phrase. Encore.\n\nTroisième ligne.\n"
    doc = segment(Document("fr", "fr.txt", text, "fr"), presplit=True)
    assert [(s.i, s.text) for s in doc.sentences] == [(0, "Première phrase. Encore."), (2, "Troisième ligne.")]
    assert doc.sentences_span((2,)) == (26, 42)
