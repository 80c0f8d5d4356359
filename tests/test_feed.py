"""Feed inputs: folders, JSON Lines, RSS/Atom, and what happens to bad ones."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_read import pipe_of

from xlingo.errors import InputError
from xlingo.feed import Problems, html_to_text, read_feed
from xlingo.model import Document

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Nachrichten</title>
    <language>de-DE</language>
    <item>
      <title>Neue Brücke &amp; Radweg</title>
      <link>https://example.org/a</link>
      <description>&lt;p&gt;Die Stadt baut eine neue Brücke.&lt;/p&gt;&lt;p&gt;Sie kostet 12 Millionen Euro.&lt;/p&gt;</description>
    </item>
    <item>
      <title>Leer</title>
      <description></description>
    </item>
  </channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title>Actualités</title>
  <entry>
    <title>Un nouveau pont</title>
    <link href="https://example.org/fr/a"/>
    <content type="html">&lt;p&gt;La ville construit un nouveau pont.&lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;</content>
  </entry>
</feed>
"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><item><description>&lol3;</description></item></channel></rss>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><description>&xxe;</description></item></channel></rss>
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_folder_of_text_files_with_and_without_language_tags(tmp_path: Path) -> None:
    write(tmp_path / "a.de.txt", "Die Stadt baut eine neue Brücke über den Fluss.\n")
    write(tmp_path / "sub" / "b.md", "The town is building a new bridge across the river, and it will open next year.\n")
    write(tmp_path / "README.md", "not a document")
    write(tmp_path / "notes.csv", "ignored")
    docs = read_feed([str(tmp_path)], Problems())
    assert [(fd.document.id, fd.document.lang) for fd in docs] == [("a.de", "de"), ("b", "en")]
    assert docs[1].document.path == str(tmp_path / "sub" / "b.md")


def test_jsonl_records_keep_fields_and_point_at_their_line(tmp_path: Path) -> None:
    lines = [json.dumps({"story": "s1", "lang": "de_DE", "title": "T", "text": "Ein Satz.\r\nNoch einer.", "url": "u"}),
             "", json.dumps({"text": "Une phrase en français, assez longue pour être reconnue."})]
    f = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    docs = read_feed([str(f)], Problems())
    first, second = docs
    assert (first.story, first.url, first.document.lang, first.document.title) == ("s1", "u", "de-de", "T")
    assert first.document.text == "Ein Satz.\nNoch einer."
    assert first.document.path == f"{f}#L1" and second.document.path == f"{f}#L3"
    assert second.story is None and second.document.lang == "fr"
    loc = second.document.locate(4, 10)
    assert (loc.path, loc.line, loc.column) == (str(f), 3, len("{\"text\": \"") + 4 + 1)


def test_jsonl_records_in_html_or_markdown_are_read_for_their_text(tmp_path: Path) -> None:
    html = ('<p>Мэр открыл <a href="https://e.org/2024/05/most-771">новый мост</a>.</p>'
            '<p><img src="m.jpg" width="640"> Его длина 420 метров.</p>')
    md = "# 新しい橋\n\n市長が[新しい橋](https://e.org/ja/2024/06/b-772)を開通させた。長さは**420メートル**。\n\n```\nid=800\n```"
    lines = [json.dumps({"lang": "ru", "format": "html", "text": html}, ensure_ascii=False),
             json.dumps({"lang": "ja", "format": "markdown", "text": md}, ensure_ascii=False),
             json.dumps({"lang": "de", "format": "rtf", "text": "Ein Satz."})]
    f = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    problems = Problems()
    ru, ja = (d.document for d in read_feed([str(f)], problems))
    assert ru.text == "Мэр открыл новый мост.\nЕго длина 420 метров."  # no tag, attribute or target left
    assert ja.text == "新しい橋\n市長が新しい橋を開通させた。長さは420メートル。"
    at = ja.text.index("420")
    loc = ja.locate(at, at + 3)
    assert (loc.line, loc.column) == (2, lines[1].index("420") + 1)  # Markdown: the record's own column
    at = ru.text.index("420")
    loc = ru.locate(at, at + 3)
    assert (loc.line, loc.column) == (1, lines[0].index("420") + 1)  # HTML too
    assert [m.split(": ", 1)[1] for m in problems.skipped] == ['"format" must be one of text, html, markdown, '
                                                                "not 'rtf'; line skipped"]


def test_html_in_a_plain_jsonl_text_is_pointed_out_once(tmp_path: Path, caplog) -> None:
    lines = [json.dumps({"lang": "fr", "text": f"<p>Le pont mesure {n} mètres.</p>"}) for n in (420, 421)]
    f = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    read_feed([str(f)], Problems())
    hints = [r.getMessage() for r in caplog.records if '"format": "html"' in r.getMessage()]
    assert hints == [f'{f}:1: the text holds HTML markup; with "format": "html" its tags and attributes are not '
                     "compared as words and numbers"]
    caplog.clear()
    f = write(tmp_path / "plain.jsonl", json.dumps({"lang": "fr", "text": "Si 3 < 4 et 5 > 2, le pont tient."}) + "\n")
    read_feed([str(f)], Problems())
    assert not [r for r in caplog.records if "HTML" in r.getMessage()]


def test_broken_jsonl_lines_are_skipped_with_a_warning_naming_file_and_line(tmp_path: Path) -> None:
    f = write(tmp_path / "feed.jsonl", '{"text": "Gut.", "lang": "de"}\n{"text": broken\n[1, 2]\n{"lang": "de"}\n{"text": 5}\n')
    problems = Problems()
    docs = read_feed([str(f)], problems)
    assert len(docs) == 1
    assert [m.split(": ")[0] for m in problems.skipped] == [f"{f}:2:10", f"{f}:3", f"{f}:4", f"{f}:5"]
    assert "invalid JSON" in problems.skipped[0]


def test_a_document_that_tells_no_language_is_skipped_with_a_warning(tmp_path: Path) -> None:
    f = write(tmp_path / "feed.jsonl", '{"text": "12 345 / 67,8"}\n{"text": "12 345", "lang": "de"}\n'
                                       '{"text": "Die Stadt baut eine neue Brücke über den Fluss."}\n')
    problems = Problems()
    docs = read_feed([str(f)], problems)
    assert [d.document.lang for d in docs] == ["de", "de"]
    assert problems.skipped == [f"{f}#L1: cannot tell the language of its text (name the file like NAME.de.txt, "
                                'or give a "lang"); skipped']


def test_strict_turns_a_skip_into_an_error(tmp_path: Path) -> None:
    f = write(tmp_path / "feed.jsonl", '{"text": "Gut."}\n{oops\n')
    with pytest.raises(InputError, match=r"feed.jsonl:2:2: invalid JSON.*--strict"):
        read_feed([str(f)], Problems(strict=True))


def test_rss_items_become_documents_with_text_title_language_and_line(tmp_path: Path) -> None:
    f = write(tmp_path / "news.xml", RSS)
    problems = Problems()
    docs = read_feed([str(f)], problems)
    (item,) = docs
    assert item.document.text == "Die Stadt baut eine neue Brücke.\nSie kostet 12 Millionen Euro."
    assert item.document.title == "Neue Brücke & Radweg"
    assert item.document.lang == "de-de" and item.url == "https://example.org/a"
    assert item.document.path == f"{f}#L6"
    assert problems.skipped == [f"{f}:11: feed item 'Leer' has no text; skipped"]


def test_atom_content_is_stripped_of_markup_and_scripts(tmp_path: Path) -> None:
    f = write(tmp_path / "news.atom", ATOM)
    (entry,) = read_feed([str(f)], Problems())
    assert entry.document.text == "La ville construit un nouveau pont."
    assert entry.document.lang == "fr"


def test_xml_without_items_is_skipped_like_an_empty_file(tmp_path: Path) -> None:
    write(tmp_path / "sitemap.xml", '<?xml version="1.0"?><urlset><url><loc>https://example.org/</loc></url></urlset>')
    write(tmp_path / "a.de.txt", "Die Stadt baut eine neue Brücke über den Fluss.")
    problems = Problems()
    docs = read_feed([str(tmp_path)], problems)
    assert [d.document.lang for d in docs] == ["de"]
    assert problems.skipped == [f"{tmp_path / 'sitemap.xml'}: no RSS items or Atom entries; skipped"]
    with pytest.raises(InputError, match="no RSS items or Atom entries; skipped .an error with --strict"):
        read_feed([str(tmp_path)], Problems(strict=True))


def test_malformed_xml_is_an_error_with_line_and_column(tmp_path: Path) -> None:
    f = write(tmp_path / "news.xml", "<rss><channel>\n<item><title>x</item></channel></rss>")
    with pytest.raises(InputError, match=r"news\.xml:2:\d+: malformed XML: mismatched tag"):
        read_feed([str(f)], Problems())


@pytest.mark.parametrize("xml", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
def test_entities_are_refused_not_expanded(tmp_path: Path, xml: str) -> None:
    f = write(tmp_path / "news.rss", xml)
    with pytest.raises(InputError, match="refused: the XML declares or references entities"):
        read_feed([str(f)], Problems())


def test_empty_folder_and_missing_path_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="folder holds no"):
        read_feed([str(tmp_path / "empty")], Problems())
    with pytest.raises(InputError, match="no such file"):
        read_feed([str(tmp_path / "nope")], Problems())


def test_large_empty_and_binary_files_are_skipped_and_nothing_left_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "big.txt", b"a" * 2048)
    write(tmp_path / "empty.txt", "   \n")
    write(tmp_path / "binary.txt", b"\x00\x01\x02binary")
    problems = Problems()
    with pytest.raises(InputError, match="nothing to check"):
        read_feed([str(tmp_path)], problems, max_bytes=1024)
    assert len(problems.skipped) == 3
    assert sum("file is too large" in m for m in problems.skipped) == 1
    piped = Problems()  # a pipe (or a device) says size 0: it is read up to the limit, never whole
    with pytest.raises(InputError, match="nothing to check"):
        read_feed([str(pipe_of(tmp_path, b"a" * 2048))], piped, max_bytes=1024)
    assert len(piped.skipped) == 1 and "pipe.txt: skipped: file is too large" in piped.skipped[0]


def test_a_file_skipped_as_too_large_is_never_replaced_by_an_output(tmp_path: Path) -> None:
    """Every skipped file was marked an input except one over the size limit (`-o feed/wire.jsonl`)."""
    from xlingo.output import forget_inputs, output_target

    write(tmp_path / "wire.jsonl", b"a" * 2048)
    write(tmp_path / "ok.de.txt", "Ein Satz, der lang genug ist, um Deutsch zu sein.")
    forget_inputs()
    read_feed([str(tmp_path)], Problems(), max_bytes=1024)
    with pytest.raises(InputError, match="over an input"):
        output_target(tmp_path / "wire.jsonl")
    forget_inputs()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_json_lines_in_utf16_or_utf32_with_a_bom_are_read(tmp_path: Path, encoding: str) -> None:
    """PowerShell's `>` writes UTF-16 with a BOM: every record was "invalid JSON" and the file was lost,
    while a UTF-16 text file was read."""
    records = ['{"story": "s", "lang": "de", "text": "Der Stau war 12 km lang."}',
               '{"story": "s", "lang": "fr", "text": "Le bouchon faisait 12 km."}']
    data = "\r\n".join(records).encode(encoding)
    bom = {"utf-16-be": "\ufeff".encode("utf-16-be")}.get(encoding, b"")
    problems = Problems()
    docs = read_feed([str(write(tmp_path / "wire.jsonl", bom + data))], problems)
    assert [(d.document.lang, d.document.text) for d in docs] == [("de", "Der Stau war 12 km lang."),
                                                                  ("fr", "Le bouchon faisait 12 km.")]
    assert not problems.skipped and docs[1].document.locate(3, 10).column == 42


def test_decomposed_accents_in_a_record_are_composed_and_located_in_its_line(tmp_path: Path) -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "Jürgen Müller à São Paulo: 12 €.")
    line = json.dumps({"lang": "de", "text": text}, ensure_ascii=False)
    (doc,) = read_feed([str(write(tmp_path / "wire.jsonl", line + "\n"))], Problems())
    assert doc.document.text == unicodedata.normalize("NFC", text)
    at = doc.document.text.index("12")
    loc = doc.document.locate(at, at + 2)
    assert line[loc.column - 1:loc.end_column - 1] == "12"


def test_a_record_exported_twice_is_skipped_with_a_warning(tmp_path: Path) -> None:
    """Yesterday's and today's export both hold the German record: it was a second German version
    that outvoted the French one (a number mismatch became an error on the French version)."""
    de = {"story": "s", "lang": "de", "text": "Der Stau war 12 km lang."}
    fr = {"story": "s", "lang": "fr", "text": "Le bouchon faisait 15 km."}
    write(tmp_path / "monday.jsonl", "\n".join(json.dumps(r) for r in (de, fr)) + "\n")
    write(tmp_path / "tuesday.jsonl", json.dumps(de) + "\n" + json.dumps({**de, "story": "t"}) + "\n")
    problems = Problems()
    docs = read_feed([str(tmp_path)], problems)
    assert [(d.story, d.document.path) for d in docs] == [("s", f"{tmp_path / 'monday.jsonl'}#L1"),
                                                          ("s", f"{tmp_path / 'monday.jsonl'}#L2"),
                                                          ("t", f"{tmp_path / 'tuesday.jsonl'}#L2")]
    assert problems.skipped == [f"{tmp_path / 'tuesday.jsonl'}#L1: the same text as {tmp_path / 'monday.jsonl'}#L1; "
                                "skipped"] and not problems.errors


def test_sniffs_the_kind_of_a_file_without_a_known_suffix(tmp_path: Path) -> None:
    f = write(tmp_path / "export", '{"text": "Ein Satz, der lang genug ist, um Deutsch zu sein.", "lang": "de"}\n')
    (doc,) = read_feed([str(f)], Problems())
    assert doc.document.path == f"{f}#L1"


def test_ids_are_unique_across_folders(tmp_path: Path) -> None:
    write(tmp_path / "a" / "x.de.txt", "Ein Satz.")
    write(tmp_path / "b" / "x.de.txt", "Noch ein Satz.")
    assert [fd.document.id for fd in read_feed([str(tmp_path)], Problems())] == ["x.de", "x.de-2"]


def test_a_renamed_duplicate_never_takes_another_documents_id(tmp_path: Path) -> None:
    """de/story.txt, de/story-2.txt, fr/story.txt, fr/story-2.txt: fr/story.txt was renamed story-2, the id
    of de/story-2.txt, and the grouping then lost one of the two documents without a word."""
    for lang in ("de", "fr"):
        write(tmp_path / lang / "story.txt", f"Ein Satz ({lang}).")
        write(tmp_path / lang / "story-2.txt", f"Noch ein Satz ({lang}).")
    ids = [fd.document.id for fd in read_feed([str(tmp_path)], Problems())]
    assert len(set(ids)) == 4 and ids[:2] == ["story-2", "story"], ids


def test_html_to_text_keeps_paragraphs_and_decodes_entities() -> None:
    html = "<div><h1>Titel</h1><p>Erster&nbsp;Absatz &amp; mehr.<br>Zeile</p><style>p{}</style><ul><li>a</li></ul></div>"
    assert html_to_text(html) == "Titel\nErster Absatz & mehr.\nZeile\na"


def test_location_of_a_span_in_a_text_file_counts_code_points_from_one() -> None:
    doc = Document(id="de", path="a.txt", text="Erste Zeile.\nÜber die Brücke.")
    loc = doc.locate(13 + 5, 13 + 8)
    assert (loc.path, loc.line, loc.column, loc.end_line, loc.end_column) == ("a.txt", 2, 6, 2, 9)


def test_a_file_given_twice_is_read_once(tmp_path: Path) -> None:
    f = write(tmp_path / "a.de.txt", "Ein Satz.")
    assert len(read_feed([str(tmp_path), str(f)], Problems())) == 1


def test_feed_language_from_the_file_name(tmp_path: Path) -> None:
    f = write(tmp_path / "news.fr.rss", RSS.replace("<language>de-DE</language>", ""))
    (item,) = read_feed([str(f)], Problems())
    assert item.document.lang == "fr"


def test_tools_folders_hidden_files_and_readmes_are_no_stories(tmp_path: Path) -> None:
    # a feed checked from a repository's root: what tools keep there holds no story
    for rel in ("de/wahl.txt", "fr/wahl.txt", "node_modules/pkg/de.txt", "venv/lib/site-packages/x/en.txt",
                ".git/en.txt", "de/.wahl.txt", "README.md", "fr/__pycache__/x.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        text = "L'élection aura lieu en mai.\n" if rel.startswith("fr") else "Die Wahl findet im Mai statt.\n"
        (tmp_path / rel).write_text(text, encoding="utf-8")
    docs = read_feed([tmp_path], Problems())
    assert sorted(Path(d.document.path).relative_to(tmp_path).as_posix() for d in docs) == ["de/wahl.txt", "fr/wahl.txt"]
