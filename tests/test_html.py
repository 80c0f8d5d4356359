"""The HTML viewer without a browser: page shell, CSP, data island, highlight trees.

The sample reports built here are shared with ``test_html_browser.py``.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import replace
from importlib.resources import files

import pytest

from xlingo.model import Finding, GroupEntry, Report, Severity, Signature, Span, Story, UnsureWord
from xlingo.report.formats import render as render_format
from xlingo.report.html import json_island, render, view_model
from xlingo.testing import story_from_rows

SIGNATURE = Signature(version="0.1.0", model="test", rules=("XL001",), settings=(("align.x", 1.0),))


def find(story: Story, rule: str, severity: Severity, lang: str, needle: str, message: str, *,
         row: int | None = None, related: tuple[tuple[str, str], ...] = (), suggestion: str | None = None,
         nth: int = 0) -> Finding:
    """A finding on the ``nth`` occurrence of ``needle`` in the ``lang`` version."""
    doc = story.document(lang)
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(needle, start + 1)
    spans = []
    for other, text in related:
        o = story.document(other)
        s = o.text.index(text)
        spans.append(Span(o.id, o.lang, s, s + len(text), text))
    return Finding(rule=rule, severity=severity, message=message, doc=doc.id, lang=doc.lang, start=start,
                   end=start + len(needle), text=needle, row=row, related=spans, suggestion=suggestion)


def report_of(*stories: Story, grouping: list[GroupEntry] | None = None) -> Report:
    return Report(signature=SIGNATURE, stories=list(stories), grouping=grouping or [],
                  stats={"documents": sum(len(s.documents) for s in stories), "stories": len(stories)})


def three_versions() -> Report:
    """A small de/fr/pt story: a merged row, an omission, nested and crossing findings."""
    story = story_from_rows([
        {"de": "Die Stadt baut 12 neue Brücken.", "fr": "La ville construit 12 nouveaux ponts.",
         "pt": "A cidade constrói 21 novas pontes."},
        {"de": ["Der Bau beginnt im Mai.", "Er dauert zwei Jahre."],
         "fr": "Les travaux commencent en mai et durent deux ans.",
         "pt": "As obras começam em maio e duram dois anos."},
        {"de": "Die Kosten liegen bei 40 Millionen Euro.", "fr": None,
         "pt": "O custo é de 40 milhões de euros."},
        {"de": "Der Bürgermeister ist zufrieden.", "fr": "Le maire est satisfait.", "pt": "O prefeito está satisfeito."},
    ])
    for row, sim in zip(story.alignment, (0.91, 0.79, 0.52, 0.88)):
        row.similarity = sim
    story.alignment[2].divergence = 0.61
    story.findings = [
        find(story, "XL101", Severity.ERROR, "pt", "21", "`21` here, `12` in de, fr", row=0,
             related=(("de", "12"), ("fr", "12")), suggestion="12"),
        find(story, "XL002", Severity.WARNING, "de", "Die Kosten liegen bei 40 Millionen Euro.",
             "sentence has no counterpart in fr", row=2, related=(("pt", "O custo é de 40 milhões de euros."),)),
        find(story, "XL103", Severity.INFO, "de", "40 Millionen", "amount written out", row=2),
        find(story, "XL501", Severity.INFO, "pt", "começam em maio", "crossing span A", row=1),
        find(story, "XL502", Severity.WARNING, "pt", "maio e duram", "crossing span B", row=1),
        find(story, "XL201", Severity.WARNING, "fr", "maire", "`maire` here, `Bürgermeister` in de", row=3,
             related=(("de", "Bürgermeister"),)),
    ]
    return report_of(story)


HOSTILE = [
    "<script>window.__pwned = 1; alert(1)</script>",
    '<img src=x onerror="window.__pwned = 1">',
    '<a href="javascript:window.__pwned=1">click</a>',
    "</style><style>body{display:none}</style>",
    "</script><script>window.__pwned = 1</script>",
    "<!-- --><svg onload=window.__pwned=1>",
    "\u202eevil\u202c and \u2067isolate\u2069",
    "& &amp; \u2028 \u2029 ]]>",
]


def hostile() -> Report:
    """Markup, script, URL and bidi tricks in texts, messages, suggestions, paths, ids and the story id."""
    rows = [{"en": h, "de": f"Der Text {k}: {h}"} for k, h in enumerate(HOSTILE)]
    story = story_from_rows(rows, story_id="</script><script>window.__pwned=1</script>")
    for d, h in zip(story.documents, HOSTILE):
        d.path = h
        d.title = h
    story.findings = [
        find(story, "XL101", Severity.ERROR, "en", h, h, row=k, related=(("de", h),), suggestion=h)
        for k, h in enumerate(HOSTILE)
    ]
    grouping = [GroupEntry(doc=h, path=h, lang="en", story=story.id, relation="version", score=0.9, related_to=h)
                for h in HOSTILE[:3]]
    return report_of(story, grouping=grouping)


def feed() -> Report:
    """Two stories and a grouping table (versions, a related and an unrelated document)."""
    a = three_versions().stories[0]
    b = story_from_rows([{"es": "Hoy llueve en Sevilla.", "it": "Oggi piove a Siviglia."},
                         {"es": "Mañana sale el sol.", "it": "Domani torna il sole."}], story_id="weather")
    b.alignment[0].similarity = 0.93
    grouping = [GroupEntry(doc=d.id, path=d.path, lang=d.lang, story=s.id, relation="version", score=0.9)
                for s in (a, b) for d in s.documents]
    grouping += [GroupEntry(doc="en-ctx", path="feed/en.txt", lang="en", story=None, relation="related",
                            score=0.71, related_to="story"),
                 GroupEntry(doc="ads", path="feed/ads.txt", lang="en", story=None, relation="unrelated")]
    return report_of(a, b, grouping=grouping)


def island(html: str) -> dict:
    """The JSON data island of a page."""
    m = re.search(r'<script type="application/json" id="xl-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


def leaves(nodes: list) -> str:
    return "".join(n if isinstance(n, str) else n["t"] if "t" in n else leaves(n["k"]) for n in nodes)


def marks(nodes: list) -> list[dict]:
    return [m for n in nodes if not isinstance(n, str) and "t" not in n for m in (n, *marks(n["k"]))]


def unsure_leaves(nodes: list) -> list[tuple[str, float, list]]:
    """The unsure words of a cell's tree, inside marks or not: (text, chance, counterparts)."""
    out = []
    for n in nodes:
        if isinstance(n, dict) and "t" in n:
            out.append((n["t"], n["u"], n["c"]))
        elif isinstance(n, dict):
            out += unsure_leaves(n["k"])
    return out


def span(story: Story, lang: str, needle: str) -> Span:
    start = story.document(lang).text.index(needle)
    return Span(lang, lang, start, start + len(needle), needle)


def unsure(story: Story, lang: str, needle: str, chance: float, *linked: tuple[str, str],
           missing: tuple[str, ...] = ()) -> UnsureWord:
    missing = missing or tuple(d.id for d in story.documents if d.lang != lang)
    return UnsureWord(span(story, lang, needle), chance, tuple(span(story, o, t) for o, t in linked), missing)


def all_marks(data: dict) -> list[dict]:
    return [m for s in data["stories"] for r in s["rows"] for c in r["cells"] for m in marks(c.get("tree", []))] + \
           [m for s in data["stories"] for m in marks(s["unplaced"])]


def test_page_is_self_contained_with_hashed_csp():
    html = render(three_versions())
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"https?://|//cdn|@import|url\(|<link|\ssrc=", html)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    for body, directive in ((style, "style-src"), (script, "script-src")):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in csp


def test_format_registry_and_determinism():
    report = three_versions()
    assert render_format(report, "html") == render(report) == render(three_versions())


def test_script_builds_dom_without_html_parsing():
    js = (files("xlingo.report") / "viewer.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "setAttribute(\"style", "srcdoc"):
        assert sink not in js


def test_hostile_text_stays_data():
    report = hostile()
    html = render(report)
    head, _, rest = html.partition('<script type="application/json"')
    data_part = rest.split("</script>", 1)[0]
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in data_part.split(">", 1)[1]
    assert html.count("</script") == 2 and html.count("<script") == 2
    assert html.count("</style") == 1
    assert "__pwned" not in head  # the title shows the story id escaped, never raw
    alone = render(report_of(report.stories[0]))
    assert re.search(r"<title>(.*?)</title>", alone).group(1) == (
        "xlingo · &lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;")
    data = island(html)
    assert [f["msg"] for f in data["findings"]] == HOSTILE
    assert [f["sug"] for f in data["findings"]] == HOSTILE
    assert data["stories"][0]["id"] == report.stories[0].id


def test_json_island_escapes():
    value = {"a": "</script>&\u2028\u2029<!--\udc80"}
    text = json_island(value)
    assert json.loads(text) == value
    assert not set("<>&\u2028\u2029\udc80") & set(text)
    text.encode("utf-8")


def test_empty_report():
    html = render(report_of())
    assert island(html)["stories"] == [] and "0 stories" in html


def test_every_finding_has_exactly_one_head_and_text_is_kept():
    report = three_versions()
    data = view_model(report)
    ms = all_marks(data)
    heads = sorted(m["f"] for m in ms if m.get("h"))
    assert heads == list(range(len(report.stories[0].findings)))
    story = report.stories[0]
    for row, vrow in zip(story.alignment, data["stories"][0]["rows"]):
        for doc, cell in zip(story.documents, vrow["cells"]):
            ids = row.cells[doc.id]
            if ids:
                a, b = doc.sentences_span(ids)
                assert leaves(cell["tree"]) == doc.text[a:b]


def test_nested_and_crossing_marks():
    data = view_model(three_versions())
    rows = data["stories"][0]["rows"]
    de_costs = rows[2]["cells"][0]["tree"]
    assert len(de_costs) == 1 and de_costs[0]["d"] == 2  # the omission holds the amount
    assert [leaves([m]) for m in marks(de_costs)] == ["Die Kosten liegen bei 40 Millionen Euro.", "40 Millionen"]
    pt = rows[1]["cells"][2]["tree"]
    pieces = [(m["f"], leaves([m]), bool(m.get("h"))) for m in marks(pt)]
    a, b = (f["id"] for f in data["findings"] if f["msg"].startswith("crossing"))
    a, b = int(a[1:]), int(b[1:])
    assert (a, "começam em maio", True) in pieces
    assert (b, "maio", True) in pieces and (b, " e duram", False) in pieces


def test_cells_rows_and_strip():
    data = view_model(three_versions())
    s = data["stories"][0]
    assert [d["lang"] for d in s["docs"]] == ["de", "fr", "pt"]
    assert s["rows"][1]["kind"] == "2-1-1" and s["rows"][1]["cells"][0]["n"] == 2
    assert s["rows"][2]["cells"][1] == {"n": 0, "tag": "omission", "has": ["de", "pt"]}
    assert (s["rows"][2]["level"], s["rows"][1]["level"], s["rows"][0]["level"]) == ("weak", "fair", "good")
    assert s["status"] == "error" and s["counts"] == {"info": 2, "warning": 3, "error": 1}


def test_rows_without_divergence_are_judged_against_their_story():
    story = story_from_rows([{"de": f"Satz {k}.", "fr": f"Phrase {k}."} for k in range(7)])
    for row, sim in zip(story.alignment, (0.95, 0.94, 0.93, 0.92, 0.87, 0.80, None)):
        row.similarity = sim
    rows = view_model(report_of(story))["stories"][0]["rows"]
    assert [r["level"] for r in rows] == ["good", "good", "good", "good", "fair", "weak", None]


def test_addition_and_absent_cells():
    story = story_from_rows([{"de": "Eins.", "fr": "Un.", "pt": "Um."}, {"de": None, "fr": None, "pt": "Extra."}])
    row = view_model(report_of(story))["stories"][0]["rows"][1]
    assert [c.get("tag") for c in row["cells"]] == ["absent", "absent", "addition"]


@pytest.mark.parametrize("start,end", [(0, 0), (3, 3), (500, 600), (-5, 2)])
def test_odd_offsets_still_get_one_head(start, end):
    story = story_from_rows([{"de": "Hallo Welt.", "fr": "Bonjour."}])
    story.findings = [Finding("XL001", Severity.INFO, "m", "de", "de", start, end, "x", row=0)]
    data = view_model(report_of(story))
    assert [m["f"] for m in all_marks(data) if m.get("h")] == [0]


def test_findings_outside_cells_are_listed():
    story = story_from_rows([{"de": "Hallo Welt.", "fr": "Bonjour."}], context={"en-ctx": "Hello."})
    story.findings = [Finding("XL001", Severity.INFO, "m", "en-ctx", "en", 0, 5, "Hello", row=None)]
    s = view_model(report_of(story))["stories"][0]
    assert s["unplaced"] == [{"f": 0, "h": 1, "k": ["Hello"]}]
    assert s["context"] == [{"id": "en-ctx", "lang": "en", "path": "en-ctx.txt"}]


def test_feed_index_and_grouping():
    data = view_model(feed())
    assert [s["anchor"] for s in data["stories"]] == ["s0", "s1"]
    assert [s["status"] for s in data["stories"]] == ["error", "clean"]
    rel = {g["doc"]: (g["relation"], g["anchor"]) for g in data["grouping"]}
    assert rel["es"] == ("version", "s1") and rel["en-ctx"] == ("related", None)
    assert data["signature"]["string"] == str(SIGNATURE)


def test_unsure_words_are_leaves_of_their_own_inside_and_outside_findings():
    report = three_versions()
    story = report.stories[0]
    story.alignment[3].unsure_words = [unsure(story, "fr", "maire", 0.41, ("de", "Bürgermeister")),
                                       unsure(story, "pt", "satisfeito", 0.123456)]
    story.alignment[0].unsure_words = [unsure(story, "de", "Brücken", 0.2, ("fr", "ponts"), ("pt", "pontes"))]
    data = view_model(report)
    rows = data["stories"][0]["rows"]
    assert unsure_leaves(rows[3]["cells"][1]["tree"]) == [("maire", 0.41, [["de", "Bürgermeister"]])]  # in XL201's mark
    assert unsure_leaves(rows[3]["cells"][2]["tree"]) == [("satisfeito", 0.1235, [])]  # rounded as reports round
    assert unsure_leaves(rows[0]["cells"][0]["tree"]) == [("Brücken", 0.2, [["fr", "ponts"], ["pt", "pontes"]])]
    assert unsure_leaves(rows[3]["cells"][0]["tree"]) == []  # a version without unsure words
    maire = next(m for m in marks(rows[3]["cells"][1]["tree"]) if m.get("h"))
    assert maire["d"] == 1 and leaves([maire]) == "maire"  # a word leaf adds no nesting level
    for row, vrow in zip(story.alignment, rows):  # the text is kept, word leaves included
        for doc, cell in zip(story.documents, vrow["cells"]):
            if row.cells[doc.id]:
                a, b = doc.sentences_span(row.cells[doc.id])
                assert leaves(cell["tree"]) == doc.text[a:b]


def test_unsure_words_round_trip_through_the_json_report():
    report = three_versions()
    story = report.stories[0]
    word = unsure(story, "fr", "maire", 0.41, ("de", "Bürgermeister"))
    story.alignment[3].unsure_words = [word]
    data = json.loads(render_format(report, "json"))
    rows = data["stories"][0]["alignment"]
    assert rows[3]["unsure_words"] == [{**word.word.to_dict(), "chance": 0.41,
                                        "counterparts": [word.counterparts[0].to_dict()], "missing_from": ["de", "pt"]}]
    assert "unsure_words" not in rows[0]  # none: the key is left out
    assert Report.from_dict(data).stories[0].alignment[3].unsure_words == [word]


def test_an_unsure_word_leaf_names_the_versions_it_may_be_missing_in():
    report = three_versions()
    story = report.stories[0]
    word = unsure(story, "de", "Brücken", 0.7, ("fr", "ponts"), missing=("pt",))
    story.alignment[0].unsure_words = [replace(word, around=span(story, "pt", "pontes"))]

    def words(nodes: list) -> list[dict]:
        return [w for n in nodes if isinstance(n, dict) for w in ([n] if "t" in n else words(n["k"]))]

    assert [(w["t"], w["m"], w["a"]) for w in words(view_model(report)["stories"][0]["rows"][0]["cells"][0]["tree"])] \
        == [("Brücken", ["pt"], "pontes")]  # pt alone may lack it, about there: the page says so
