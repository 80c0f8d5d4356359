"""Where findings point: text files, JSON Lines records (line and column inside the line), feed items."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from xlingo.feed import Problems, read_feed


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text", [
    "Der Zug fährt um 8 Uhr ab.",
    "Erste Zeile\nZweite   Zeile mit \"Zitat\" und 8 Uhr.",
    "Emoji 🚆 vor\t\tdem Ziel: 8 Uhr, \u00e9t\u00e9 \\ Schrägstrich.",
    "  führende Leerzeichen\r\n\r\n und 8 Uhr am Ende  ",
])
@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_a_jsonl_span_points_at_its_column_in_the_record_line(tmp_path: Path, text: str, ensure_ascii: bool) -> None:
    record = json.dumps({"lang": "de", "text": text, "title": "8 Uhr"}, ensure_ascii=ensure_ascii)
    f = write(tmp_path / "feed.jsonl", '{"text": "Ein anderer Satz."}\n' + record + "\n")
    doc = read_feed([str(f)], Problems())[1].document
    start = doc.text.index("8 Uhr")
    loc = doc.locate(start, start + len("8 Uhr"))
    line = f.read_text(encoding="utf-8").splitlines()[1]
    assert (loc.path, loc.line) == (str(f), 2)
    quoted = json.dumps("8 Uhr", ensure_ascii=ensure_ascii)[1:-1]
    value_at = line.index('"text"')
    assert loc.column == line.index(quoted, value_at) + 1
    assert loc.end_column == loc.column + len(quoted)


def test_a_record_with_an_escape_inside_the_span_keeps_its_start_column(tmp_path: Path) -> None:
    f = write(tmp_path / "feed.jsonl", json.dumps({"text": "Sagte \"Ja\" heute."}) + "\n")
    doc = read_feed([str(f)], Problems())[0].document
    loc = doc.locate(doc.text.index('"Ja"'), doc.text.index('"Ja"') + 4)
    line = f.read_text(encoding="utf-8")
    assert loc.column == line.index('\\"Ja') + 1 and loc.end_column == line.index('\\" heute') + 3


def test_a_feed_item_points_at_the_line_of_its_text(tmp_path: Path) -> None:
    rss = ('<?xml version="1.0"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
           "<channel><title>T</title>\n<item>\n<title>A</title>\n"
           "<description>Ein Satz.</description>\n</item>\n<item>\n<title>B</title>\n<description>Kurz.</description>"
           "\n<content:encoded><![CDATA[<p>Der ganze Text.</p>]]></content:encoded>\n</item>\n</channel></rss>\n")
    first, second = (fd.document for fd in read_feed([str(write(tmp_path / "news.de.xml", rss))], Problems()))
    assert first.path.endswith("#L3") and second.path.endswith("#L7")
    assert (first.locate(0, 3).path, first.locate(0, 3).line, first.locate(0, 3).column) == (
        str(tmp_path / "news.de.xml"), 5, None)
    assert second.text == "Der ganze Text." and second.locate(0, 3).line == 10


def test_a_text_file_counts_lines_and_code_points(tmp_path: Path) -> None:
    f = write(tmp_path / "a.de.txt", "Erste Zeile.\nÜber 🚆 die Brücke.")
    doc = read_feed([str(f)], Problems())[0].document
    start = doc.text.index("die")
    assert str(doc.locate(start, start + 3)) == f"{f}:2:8"
