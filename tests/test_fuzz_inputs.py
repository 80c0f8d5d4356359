"""Property-based tests (hypothesis) over what xlingo reads: bytes, feeds, glossaries, baselines,
language tags, sentences and words. Every input gives documents or a one-line InputError, never
another exception; every offset points into the text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlingo.baseline import load_baseline
from xlingo.errors import InputError
from xlingo.feed import Problems, read_feed
from xlingo.glossary import load_glossary
from xlingo.language import language_tag
from xlingo.model import Document
from xlingo.output import forget_inputs
from xlingo.read import decode_bytes
from xlingo.segment import MAX_SENTENCE_CHARS, segment, word_units

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
LANGS = ["de", "fr", "pt", "en", "zh", "ja", "ko", "ar", "he", "th", "ru", "el", "und-x", "German", "pt_BR", ""]
# words of several scripts, punctuation and the characters that break naive code
WORDS = st.sampled_from([
    "Haus", "Brücke", "E -Mail", "14,5", "1.000", "NVIDIA", "-H20", "l'État", "(", ")", "«", "»", "„", "“", "…",
    "大桥", "耗资", "。", "橋を", "開通", "다리", "개통했다.", "جسر", "جديد.", "גשר", "חדש.", "สะพาน", "ใหม่",
    "мост", "новый.", "γέφυρα", "νέα.", "\u200f", "\u202e", "\x1b[31m", "\r", "\t", "\u2028", "\ufeff", "::error::",
    "[/]", "<b>", "&amp;", "\U0001f600", "e\u0301", "Dr.", "?", "!", "-", "—", "'", '"', "\\", "%", "€",
])
TEXT = st.lists(st.one_of(WORDS, st.text(max_size=12)), max_size=40).map(" ".join)
LINES = st.lists(TEXT, min_size=1, max_size=6).map("\n".join)


def _unique(tmp_path: Path, name: str) -> Path:
    k = 0
    while (tmp_path / f"{k}-{name}").exists():
        k += 1
    return tmp_path / f"{k}-{name}"


@FAST
@given(data=st.binary(max_size=400) | LINES.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_decoding_any_bytes_is_text_or_one_line_error(data: bytes) -> None:
    try:
        text = decode_bytes(data, "x.txt")
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert text.strip() and "\r" not in text
    text.encode("utf-8")


@FAST
@given(text=LINES, lang=st.sampled_from(["de", "zh", "ja", "th", "ar", "he", "ko", "ru", "el"]),
       presplit=st.booleans())
def test_sentences_point_into_the_text_in_order(text: str, lang: str, presplit: bool) -> None:
    doc = segment(Document(lang, "x.txt", text, lang), presplit=presplit)
    last = 0
    for s in doc.sentences:
        assert last <= s.start < s.end <= len(text) and text[s.start:s.end] == s.text
        assert s.text == s.text.strip() and len(s.text) <= MAX_SENTENCE_CHARS
        last = s.end
    assert len({s.i for s in doc.sentences}) == len(doc.sentences)


@FAST
@given(unit=st.integers(1, 40), n=st.integers(1, 300), sep=st.sampled_from([" ", "", "。", ", "]))
def test_overlong_sentences_are_split_to_the_budget(unit: int, n: int, sep: str) -> None:
    text = sep.join(["ab" * unit] * n)
    doc = segment(Document("de", "x.txt", text, "de"))
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in doc.sentences)
    assert "".join(s.text for s in doc.sentences).replace(" ", "") == text.replace(" ", "")


@FAST
@given(text=TEXT)
def test_word_units_cover_each_word_in_order(text: str) -> None:
    for start, end in ((0, len(text)), (len(text) // 3, len(text))):
        if start == end:
            continue
        units = word_units(text, start, end)
        assert units[0][0] == start and units[-1][1] == end
        assert all(a < b for a, b in units) and all(b == c for (_, b), (c, _) in zip(units, units[1:]))


@FAST
@given(value=st.text(max_size=20) | st.sampled_from(LANGS))
def test_language_tags_are_valid_or_none_and_stable(value: str) -> None:
    tag = language_tag(value)
    assert tag is None or (tag == tag.lower() and language_tag(tag) == tag)


RECORD = st.fixed_dictionaries(
    {"text": st.one_of(TEXT, st.integers(), st.none())},
    optional={"lang": st.one_of(st.sampled_from(LANGS), st.integers(), st.booleans()),
              "story": st.one_of(st.sampled_from(["a", "b"]), st.lists(st.integers(), max_size=2)),
              "title": TEXT, "url": st.text(max_size=10)})
JSON_LINE = st.one_of(
    RECORD.map(lambda r: json.dumps(r, ensure_ascii=False)),
    RECORD.map(json.dumps),
    st.sampled_from(['{"text": "a \\ud800 b"}', "[" * 3000 + "]" * 3000, '{"text": "x", "n": ' + "7" * 5000 + "}",
                     "{oops", "null", "", "\ufeff{}", '{"text": "Ein Satz.", "lang": "German"}']),
    st.text(max_size=30),
)


@FAST
@given(lines=st.lists(JSON_LINE, min_size=1, max_size=8), strict=st.booleans())
def test_jsonl_records_are_documents_or_reported(tmp_path: Path, lines: list[str], strict: bool) -> None:
    path = _unique(tmp_path, "feed.jsonl")
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    problems = Problems(strict=strict)
    try:
        docs = read_feed([str(path)], problems)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    finally:
        forget_inputs()
    for fd in docs:
        fd.document.text.encode("utf-8")
        assert fd.document.text.strip() and language_tag(fd.document.lang) == fd.document.lang
    assert len(docs) + len(problems.skipped) >= 1


XML_TEXT = TEXT.map(lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace("]]>", ""))
ITEM = st.tuples(XML_TEXT, XML_TEXT, st.sampled_from(["", "<x:entry>n</x:entry>", "<![CDATA[<p>hi</p>]]>", "&#x1F600;"]))


def _rss(items, lang: str, dtd: bool) -> str:
    body = "".join(f"<item><title>{t}</title><description>{d}</description>{extra}</item>\n" for t, d, extra in items)
    doctype = '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://x/rss.dtd">\n' if dtd else ""
    return (f'<?xml version="1.0"?>\n{doctype}<rss version="2.0" xmlns:x="urn:x"><channel><title>T</title>'
            f"<language>{lang}</language>\n{body}</channel></rss>\n")


def _atom(items, lang: str, dtd: bool) -> str:
    body = "".join(f"<entry><title>{t}</title><content type=\"html\">{d}</content>{extra}</entry>\n"
                   for t, d, extra in items)
    return f'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}" xmlns:x="urn:x">\n{body}</feed>\n'


@FAST
@given(items=st.lists(ITEM, max_size=5), lang=st.sampled_from(LANGS), dtd=st.booleans(),
       kind=st.sampled_from([_rss, _atom]), cut=st.integers(0, 2000), junk=st.sampled_from(["", "<", "&x;", "\x00"]))
def test_rss_and_atom_feeds_are_documents_or_one_line_errors(tmp_path: Path, items, lang, dtd, kind, cut, junk) -> None:
    xml = kind(items, lang.replace('"', ""), dtd)
    if junk:
        xml = xml[:cut] + junk + xml[cut:]
    path = _unique(tmp_path, "feed.rss")
    path.write_text(xml, encoding="utf-8")
    try:
        docs = read_feed([str(path)], Problems())
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    finally:
        forget_inputs()
    lines = xml.count("\n") + 1
    for fd in docs:
        assert 1 <= int(fd.document.path.rsplit("#L", 1)[1]) <= lines
        assert language_tag(fd.document.lang) == fd.document.lang


@FAST
@given(files=st.lists(st.tuples(st.sampled_from(["a.de.txt", "b.German.txt", "c.md", "d.txt", "e.zh.txt", "f.fr.html"]),
                                st.binary(max_size=200) | LINES.map(str.encode)), min_size=1, max_size=4))
def test_text_folders_are_documents_or_one_line_errors(tmp_path: Path, files) -> None:
    folder = _unique(tmp_path, "feed")
    folder.mkdir()
    for name, data in files:
        (folder / name).write_bytes(data)
    try:
        docs = read_feed([str(folder)], Problems())
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    finally:
        forget_inputs()
    assert all(language_tag(fd.document.lang) == fd.document.lang for fd in docs)


MARKUP = st.lists(st.one_of(WORDS, st.sampled_from([
    "# ", "\n", "\n\n", "```", "    ", "> ", "- ", "1. ", "*", "**", "_", "`", "[", "](", ")", "![", "<", ">", "</p>",
    "<p>", "<br>", "<a href='x.html?id=5'>", "</a>", "<script>", "</script>", "<!--", "-->", "xlingo: ignore[XL1]",
    "---", "+++", "|", "|---|", "&eacute;", "&#8364;", "&", "\\*", "<img width='640' src=a.png>", "<head>", "</head>",
])), max_size=60).map("".join)


@FAST
@given(source=MARKUP)
def test_markdown_and_html_prose_points_into_the_source_in_order(source: str) -> None:
    from xlingo.markup import html_prose, markdown_prose

    for read in (markdown_prose, html_prose):
        text, offsets = read(source)
        assert len(offsets) == len(text)
        assert all(0 <= at < max(len(source), 1) for at in offsets)
        assert offsets == sorted(offsets)
        assert all(source[at] == ch or ch.isspace() or source[at] in "&\\" or not ch.isprintable()
                   for ch, at in zip(text, offsets) if source)


CSV_CELL = st.one_of(st.sampled_from(["de", "fr", "term", "note", "dnt", "German", "", '"', "a,b", "x;y"]), TEXT)


@FAST
@given(rows=st.lists(st.lists(CSV_CELL, min_size=1, max_size=4), min_size=1, max_size=5),
       sep=st.sampled_from([",", ";", "\t"]), tbx=st.booleans())
def test_glossaries_load_or_fail_in_one_line(tmp_path: Path, rows, sep: str, tbx: bool) -> None:
    if tbx:
        terms = "".join(f'<langSet xml:lang="{r[0][:5]}"><tig><term>{sep.join(r[1:])}</term></tig></langSet>' for r in rows)
        text = f'<?xml version="1.0"?><tbx><text><body><termEntry>{terms}</termEntry></body></text></tbx>'
        path = _unique(tmp_path, "g.tbx")
    else:
        text = "\n".join(sep.join(r) for r in rows)
        path = _unique(tmp_path, "g.csv")
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        entries = load_glossary(path)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    finally:
        forget_inputs()
    assert entries


BASELINE_ENTRY = st.fixed_dictionaries({}, optional={
    "fingerprint": st.text(max_size=8), "rule": st.sampled_from(["XL101", 5]), "lang": st.sampled_from(["de", None]),
    "story": st.text(max_size=4), "path": st.text(max_size=4), "excerpt": st.text(max_size=8),
    "count": st.one_of(st.integers(-2, 3), st.booleans(), st.floats(allow_nan=True))})


@FAST
@given(doc=st.one_of(
    st.fixed_dictionaries({"schema": st.sampled_from(["xlingo.baseline/1", "other"]),
                           "findings": st.one_of(st.lists(BASELINE_ENTRY, max_size=3), st.integers())}),
    st.lists(st.integers(), max_size=2), st.text(max_size=5)), raw=st.booleans())
def test_baselines_load_or_fail_in_one_line(tmp_path: Path, doc, raw: bool) -> None:
    path = _unique(tmp_path, "baseline.json")
    path.write_text(json.dumps(doc)[: 20 if raw else None], encoding="utf-8")
    try:
        entries = load_baseline(path)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert all(e.count >= 1 for e in entries)


@pytest.mark.parametrize("data", [b"\xff\xfe" + "x".encode("utf-16-le") + b"\x00\xd8", b"\xef\xbb\xbf", b"\x00" * 10])
def test_edge_bytes(data: bytes) -> None:
    with pytest.raises(InputError):
        decode_bytes(data, "x")
