"""Markdown versions are compared by their prose; findings point at the file's lines and columns.

Made-up documents (German, French, Russian, Japanese, English); no seed text.
"""
from __future__ import annotations

import pytest

from xlingo.errors import InputError
from xlingo.markup import markdown_prose
from xlingo.model import Document
from xlingo.read import read_document
from xlingo.segment import segment
from xlingo.suppress import document_pragmas

DE = """---
title: Neue Brücke
date: 2024-05-01T10:00:00
---
# Die neue Brücke

Die Stadt eröffnet am Montag die [neue Brücke](https://example.org/de/bruecke-2024 "Plan") über den Fluss.
Sie ist **420 Meter** lang.

```bash
curl -s https://example.org/api/v2/bridges?id=77
```

    indented code 2024

<div class="ad">Anzeige 50 % Rabatt</div>

- Baukosten: 48 Millionen Euro
- Bauzeit: drei Jahre

> Ein Zitat mit `Code` und ![Bild](bild-12.png) Ende.

| Spur | Breite |
|------|--------|
| Rad  | 3 m    |
"""


def test_the_prose_is_kept_code_markup_and_targets_are_not():
    text, offsets = markdown_prose(DE)
    assert "Die Stadt eröffnet am Montag die neue Brücke über den Fluss." in text
    assert "Sie ist 420 Meter lang." in text and "Baukosten: 48 Millionen Euro" in text
    assert "Ein Zitat mit Code und" in text and "Rad" in text and "3 m" in text
    for gone in ("curl", "api", "indented", "Anzeige", "example.org", "bild-12", "Plan", "**", "#", "title", "2024"):
        assert gone not in text, gone
    assert len(offsets) == len(text)
    assert all(DE[at] == ch for ch, at in zip(text, offsets) if not ch.isspace())  # every character from its place


def test_each_block_is_its_own_paragraph():
    text, _ = markdown_prose("# Титул\n\nПервый абзац без точки\n- пункт один\n- пункт два\n")
    doc = segment(Document("ru", "x.ru.md", text, "ru"))
    assert [s.text for s in doc.sentences] == ["Титул", "Первый абзац без точки", "пункт один", "пункт два"]


def test_escapes_and_entities_are_read_as_markdown_means_them():
    text, offsets = markdown_prose("Prix \\*réduit\\* &amp; livraison 5 &euro;.\n")
    assert text == "Prix *réduit* & livraison 5 €."
    assert offsets == sorted(offsets)  # in file order, each near its source


@pytest.mark.parametrize("front", ["---\ntitle: Stau\ndate: 2024-05-01\nweight: 3\n---\n",
                                   "+++\ntitle = 'Stau'\ndate = 2024-05-01\n+++\n"])
def test_front_matter_is_metadata_not_story_text(tmp_path, front):
    """Hugo/Jekyll front matter (a publication date, a weight) was story text: a translation published
    a day later got number-mismatch warnings on its metadata."""
    path = tmp_path / "stau.de.md"
    path.write_text(front + "Der Stau war 12 km lang.\n", encoding="utf-8")
    doc = segment(read_document(path))
    assert [s.text for s in doc.sentences] == ["Der Stau war 12 km lang."]
    assert doc.origin.position(doc.sentences[0].start)[0] == front.count("\n") + 1  # the file's own line


def test_a_pragma_in_the_front_matter_or_a_comment_still_counts(tmp_path):
    path = tmp_path / "a.fr.md"
    path.write_text("---\nxlingo: ignore[XL202]\n---\nLe pont ouvre lundi.\n\n<!-- xlingo: ignore[XL101] -->\n"
                    "Il mesure 420 mètres.\n", encoding="utf-8")
    doc = read_document(path)
    assert set(document_pragmas(doc).codes) == {"XL202", "XL101"}


def test_a_plain_text_file_keeps_everything(tmp_path):
    path = tmp_path / "a.de.txt"
    path.write_text("# Titel\n\n```\ncode 12\n```\n", encoding="utf-8")
    assert read_document(path).text == path.read_text(encoding="utf-8")


def test_a_markdown_file_of_code_only_is_one_clear_error(tmp_path):
    path = tmp_path / "a.ja.md"
    path.write_text("```python\nprint('こんにちは')\n```\n", encoding="utf-8")
    with pytest.raises(InputError, match="no prose"):
        read_document(path)


def test_shared_code_blocks_are_no_untranslated_sentences_and_findings_point_into_the_file(tmp_path):
    from xlingo.config import Settings
    from xlingo.pipeline import Engine, diff

    code = "```sh\nexample-client init --config /etc/example.toml\n```\n\n"
    files = {
        "en": "# Setup\n\nRun the command below.\n\n" + code + "The setup takes [5 minutes](https://e.org/a?x=9).\n",
        "de": "# Einrichtung\n\nFühren Sie den Befehl aus.\n\n" + code + "Die Einrichtung dauert [8 Minuten](https://e.org/b?x=1).\n",
        "ja": "# セットアップ\n\n次のコマンドを実行します。\n\n" + code + "セットアップには[5分](https://e.org/c?x=7)かかります。\n",
    }
    paths = []
    for lang, text in files.items():
        paths.append(tmp_path / f"guide.{lang}.md")
        paths[-1].write_text(text, encoding="utf-8")
    report = diff(paths, engine=Engine(Settings(model="hashed-test")))
    (story,) = report.stories
    assert not [f for f in story.findings if f.rule == "XL402"]  # the shared command is not a sentence
    numbers = [f for f in story.findings if f.rule == "XL101"]
    assert [(f.doc, f.text) for f in numbers] == [("de", "8")]  # the link targets' digits are not numbers
    where = story.where(numbers[0])
    assert (where.line, where.column) == (9, 25)  # `8` in `[8 Minuten](...)` of the German file


@pytest.mark.parametrize("source", ["Prix &#8364; " * 2000, "voir [ici](https://e.org/ü%20x) et " * 2000,
                                    "[" * 5000 + "x", ">" * 3000 + " tief\n", "*a " * 5000])
def test_hostile_markdown_reads_with_offsets_in_file_order(source):
    text, offsets = markdown_prose(source)
    assert len(offsets) == len(text) and offsets == sorted(offsets)
    assert all(0 <= at < len(source) for at in offsets)


PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><title>{title}</title><style>p {{ margin: 0 }}</style>
<script>var articleId = {id};</script></head>
<body><nav><a href="/">Start</a> | <a href="/welt">{nav}</a></nav>
<article>
<h1>{title}</h1>
<p>{first} <a href="/2024/{month}/{slug}">{link}</a>{after}</p>
<p><img src="b.jpg" width="{w}" height="{h}" alt="{alt}">
   {second}</p>
<!-- xlingo: ignore[XL202] -->
</article></body></html>
"""
VERSIONS = {
    "en": dict(lang="en", title="New bridge opens", id=640, nav="World", first="The mayor opened the",
               month="05", slug="bridge-771", link="new bridge", after=" on Monday.", w=640, h=480,
               alt="The bridge", second="It is 420 metres long &amp; 32&nbsp;metres wide."),
    "de": dict(lang="de", title="Neue Brücke eröffnet", id=800, nav="Welt",
               first="Der Bürgermeister eröffnete am Montag die", month="06", slug="bruecke-772",
               link="neue Br&uuml;cke", after=".", w=800, h=600, alt="Die Brücke",
               second="Sie ist 420 Meter lang und 32 Meter breit."),
    "ja": dict(lang="ja", title="新しい橋が開通", id=900, nav="世界", first="市長は月曜日に", month="07",
               slug="hashi-773", link="新しい橋", after="を開通させた。", w=1024, h=768, alt="橋",
               second="長さは420メートル、幅は32メートル。"),
}


def test_an_html_page_is_read_for_its_article_text():
    from xlingo.markup import html_prose

    source = PAGE.format(**VERSIONS["de"])
    text, offsets = html_prose(source)
    assert text == ("Neue Brücke eröffnet\n\nDer Bürgermeister eröffnete am Montag die neue Brücke.\n\n"
                    "Sie ist 420 Meter lang und 32 Meter breit.\n\n<!-- xlingo: ignore[XL202] -->")
    assert all(source[at] == ch for ch, at in zip(text, offsets) if not ch.isspace() and ch != "ü")
    assert source[offsets[text.index("ü", 40)]] == "&"  # an entity: located at its start


def test_html_versions_compare_their_prose_and_findings_point_into_the_page(tmp_path):
    from xlingo.config import Settings
    from xlingo.pipeline import Engine, diff

    paths = []
    for lang, fields in VERSIONS.items():
        if lang == "ja":
            fields = {**fields, "second": "長さは480メートル、幅は32メートル。"}  # one figure changed
        paths.append(tmp_path / f"story.{lang}.html")
        paths[-1].write_text(PAGE.format(**fields), encoding="utf-8")
    report = diff(paths, engine=Engine(Settings(model="hashed-test")))
    (story,) = report.stories
    assert [d.lang for d in story.documents] == ["en", "de", "ja"]
    numbers = [f for f in story.findings if f.rule == "XL101"]
    assert [(f.doc, f.text) for f in numbers] == [("ja", "480")]  # not the widths, ids or dates of the markup
    where = story.where(numbers[0])
    page = paths[2].read_text(encoding="utf-8").splitlines()
    assert (where.line, where.column) == (9, page[8].index("480") + 1)


def test_a_folder_of_html_pages_is_a_feed_and_xlingos_own_report_is_not_read(tmp_path):
    from xlingo.feed import Problems, read_feed

    for lang, fields in VERSIONS.items():
        (tmp_path / f"story.{lang}.html").write_text(PAGE.format(**fields), encoding="utf-8")
    (tmp_path / "report.html").write_text("<html><body>xlingo:0.2.0|model:e5|rules:26|cfg:0</body></html>",
                                          encoding="utf-8")
    docs = read_feed([str(tmp_path)], Problems())
    assert sorted(d.document.lang for d in docs) == ["de", "en", "ja"]
    assert all("<" not in d.document.text.replace("<!--", "") for d in docs)


@pytest.mark.parametrize("source", ["<p>" * 5000 + "x", "Prix&nbsp;&#8364; " * 2000, "<div>" * 3000 + "tief",
                                    "<p>3 < 4 and 5 > 2</p>" * 500, "<script>" + "var x = '<p>no</p>';" * 500])
def test_hostile_html_reads_with_offsets_in_file_order(source):
    from xlingo.markup import html_prose

    text, offsets = html_prose(source)
    assert len(offsets) == len(text) and offsets == sorted(offsets)
    assert all(0 <= at < len(source) for at in offsets)
    assert "no" not in text.split()  # a script's content is never text


def test_a_page_whose_head_is_not_closed_still_has_its_body_read():
    from xlingo.markup import html_prose

    page = "<html><head><title>Titre</title><meta charset=utf-8>\n<body><p>Le pont ouvre lundi.<p>Il mesure 420 m."
    assert html_prose(page)[0] == "Le pont ouvre lundi.\n\nIl mesure 420 m."
