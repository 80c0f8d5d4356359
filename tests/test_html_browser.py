"""The HTML viewer in Debian's chromium: layout, highlights, filters, keyboard, hostile text, no network."""
from __future__ import annotations

from pathlib import Path

import pytest
from browser import Opened, chromium, open_page, screenshot  # noqa: F401  (chromium is a fixture)
from test_html import HOSTILE, SIGNATURE, feed, find, hostile, report_of, three_versions

from xlingo.model import Report, Severity, Signature
from xlingo.report.html import render
from xlingo.testing import story_from_rows

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parents[1] / "reports" / "viewer.png"
ACTIVE = "mark[data-finding]:not(.off)"


def write(tmp_path: Path, report: Report, name: str = "report.html") -> Path:
    path = tmp_path / name
    path.write_text(render(report), encoding="utf-8")
    return path


def close(opened: Opened) -> None:
    """Check the page stayed quiet (no script errors, dialogs or requests but its own file), then close it."""
    assert opened.errors == [] and opened.dialogs == []
    assert opened.requests == [opened.url]
    opened.page.context.close()


@pytest.fixture
def story(chromium, tmp_path):  # noqa: F811
    opened = open_page(chromium, write(tmp_path, three_versions()))
    yield opened
    close(opened)


def active_ids(page) -> list[str]:
    return page.eval_on_selector_all(ACTIVE, "ms => ms.map(m => m.dataset.finding)")


def test_no_unsure_words_no_shading_switch(story):
    assert story.page.locator("label.toggle", has_text="Unsure words").is_hidden()


def test_three_versions_side_by_side(story):
    page = story.page
    assert page.locator(".ghead .colhead").count() == 3
    assert page.locator(".ghead .colhead .lang").all_inner_texts() == ["DE", "FR", "PT"]
    assert page.locator(".row").count() == 4
    assert all(page.locator(".row").nth(k).locator(".cell").count() == 3 for k in range(4))
    xs = [page.locator(".ghead .colhead").nth(k).bounding_box()["x"] for k in range(3)]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert "2 sentences" in page.locator(".row").nth(1).inner_text()
    assert page.locator(".cell.empty.omission").count() == 1
    assert page.locator(".row.lvl-weak .weak").inner_text() == "weak"


def test_one_highlight_per_finding(story):
    page = story.page
    ids = page.eval_on_selector_all("[data-finding]", "ms => ms.map(m => m.dataset.finding)")
    assert sorted(ids) == [f"f{k}" for k in range(6)]
    assert page.locator("mark[data-part]").count() >= 1  # the crossing span continues after the inner one
    assert page.eval_on_selector_all("mark[data-finding]", "ms => ms.every(m => m.tabIndex === 0)")


def test_hover_and_focus_show_details(story):
    page = story.page
    page.hover("mark[data-finding='f0']")
    pop = page.locator("#xl-pop")
    assert pop.is_visible()
    text = pop.text_content()
    for part in ("Error", "XL101", "`21` here, `12` in de, fr", "Suggestion 12", "Other versions have", "de 12", "fr 12"):
        assert part in text
    page.focus("mark[data-finding='f5']")
    assert "maire" in pop.text_content() and "Bürgermeister" in pop.text_content()
    page.keyboard.press("Escape")
    assert not pop.is_visible()


def test_filters_by_severity_rule_language_and_search(story):
    page = story.page
    assert len(active_ids(page)) == 6
    page.get_by_role("button", name="Error").click()
    assert page.locator(ACTIVE).count() == 1
    assert page.locator("mark.off").count() >= 5
    page.get_by_role("button", name="Warning").click()
    assert page.locator(ACTIVE).count() == 4
    page.get_by_role("button", name="Reset").click()
    page.locator(".chip", has_text="XL201").click()
    assert [page.get_attribute(f"[data-finding='{f}']", "data-finding") for f in active_ids(page)] == ["f5"]
    page.get_by_role("button", name="Reset").click()
    page.locator("[aria-label=Languages] .chip", has_text="pt").click()
    assert page.locator(ACTIVE).count() == 3
    page.get_by_role("button", name="Reset").click()
    page.fill("input.search", "crossing")
    assert page.locator(ACTIVE).count() == 2
    assert page.locator(".row:not([hidden])").count() == 1
    page.fill("input.search", "Bürgermeister")  # text of a row, not of a finding
    assert page.locator(".row:not([hidden])").count() == 1
    page.get_by_role("button", name="Reset").click()
    page.check(".toggle input")
    page.get_by_role("button", name="Info").click()
    assert page.locator(".row:not([hidden])").count() == 2
    assert "2 of 6 findings" in page.inner_text(".status")


def test_keyboard_navigation(story):
    page = story.page
    order = page.eval_on_selector_all("mark[data-finding]", "ms => ms.map(m => m.dataset.finding)")
    focused = "() => document.activeElement.dataset.finding"
    page.keyboard.press("j")
    assert page.evaluate(focused) == order[0]
    page.keyboard.press("j")
    assert page.evaluate(focused) == order[1]
    assert page.locator(f"mark[data-finding='{order[1]}']").evaluate("m => m.classList.contains('current')")
    assert page.locator(f"mark[data-finding='{order[1]}']").evaluate("m => getComputedStyle(m).outlineStyle") == "solid"
    assert page.locator("#xl-pop").is_visible()
    page.keyboard.press("k")
    assert page.evaluate(focused) == order[0]
    page.keyboard.press("k")
    assert page.evaluate(focused) == order[-1]  # wraps around
    page.get_by_role("button", name="Warning").click()
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")
    warnings = [f for f in order if f in active_ids(page)]
    assert len(warnings) == 3 and page.evaluate(focused) == warnings[0]
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('search')")
    page.keyboard.type("j")  # typing in the search box does not navigate
    assert page.input_value("input.search") == "j"
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    assert page.locator("#xl-help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#xl-help").is_visible()


def test_empty_cell_links_to_the_omission(story):
    page = story.page
    page.locator(".cell.omission .goto", has_text="XL002").click()
    assert page.evaluate("document.activeElement.textContent") == "Die Kosten liegen bei 40 Millionen Euro."
    assert "no counterpart in fr" in page.inner_text("#xl-pop")


def test_hostile_text_is_shown_not_run(chromium, tmp_path):  # noqa: F811
    opened = open_page(chromium, write(tmp_path, hostile()))
    page = opened.page
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.scripts.length") == 2
    for sel in ("img", "svg", "iframe", "a[href^='javascript']", "[onerror]", "[onload]", "main style"):
        assert page.locator(sel).count() == 0, sel
    assert page.evaluate("getComputedStyle(document.body).display") == "block"
    english = page.locator(".row .cell:nth-child(2) .txt").all_text_contents()
    assert english[:6] == HOSTILE[:6]
    body = page.inner_text("body")
    assert "\u202e" not in body and "\u2067" not in body
    assert page.locator(".txt .ctl").count() >= 4 and "RLO" in body
    page.hover("mark[data-finding='f4']")
    assert HOSTILE[4] in page.inner_text("#xl-pop")
    assert page.locator("[aria-label=Languages] .chip").count() == 1
    assert page.locator(".grouping tbody tr").count() == 3
    page.keyboard.press("j")
    assert page.evaluate("window.__pwned") is None
    close(opened)


def test_csp_blocks_injected_inline_script(chromium, tmp_path):  # noqa: F811
    opened = open_page(chromium, write(tmp_path, three_versions()))
    ran = opened.page.evaluate("""() => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = 1';
        document.body.append(s);
        return window.__injected;
    }""")
    assert ran is None
    assert any("Content Security Policy" in e for e in opened.errors)
    opened.page.context.close()


def test_feed_index_stories_and_grouping(chromium, tmp_path):  # noqa: F811
    opened = open_page(chromium, write(tmp_path, feed()))
    page = opened.page
    links = page.locator(".index tbody a")
    assert links.count() == 2
    assert [links.nth(k).get_attribute("href") for k in range(2)] == ["#s0", "#s1"]
    assert page.locator(".index tbody tr").nth(1).inner_text().endswith("clean")
    links.nth(1).click()
    assert page.evaluate("location.hash") == "#s1"
    assert page.locator("section.story").count() == 2
    relations = page.locator(".grouping tbody .relation").all_inner_texts()
    assert relations == ["version"] * 5 + ["related", "unrelated"]
    assert str(SIGNATURE) in page.inner_text("footer") and "xlingo:0.1.0|model:test|rules:1|cfg:" in str(SIGNATURE)
    page.click("footer details summary")
    assert "align.x" in page.inner_text("footer details")
    close(opened)


def test_phone_layout_stacks_rows_with_language_labels(chromium, tmp_path):  # noqa: F811
    opened = open_page(chromium, write(tmp_path, three_versions()), width=390, height=844)
    page = opened.page
    assert page.locator("section.story.stacked").count() == 1
    assert not page.locator(".ghead").is_visible()
    assert page.locator(".row").first.locator(".lang-label").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    boxes = [page.locator(".row").first.locator(".cell").nth(k).bounding_box() for k in range(3)]
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    close(opened)


@pytest.mark.model
def test_seed_story_viewer_and_screenshot(chromium, seed_report, tmp_path):  # noqa: F811
    """The real seed story: three columns, one highlight per finding, quiet page; screenshot for review."""
    html = write(tmp_path, seed_report, "viewer.html")
    opened = open_page(chromium, html)
    page = opened.page
    assert page.locator(".ghead .colhead").count() == 3
    ids = page.eval_on_selector_all("[data-finding]", "ms => ms.map(m => m.dataset.finding)")
    assert len(ids) == len(seed_report.stories[0].findings) > 0
    story = seed_report.stories[0]
    unsure = [u for row in story.alignment for d in story.documents for u in row.unsure_words if u.word.doc == d.id]
    shaded = page.locator(".row .unsure")
    assert shaded.all_text_contents() == [u.word.text for u in unsure]  # every one shaded, row by row, column by column
    titles = shaded.evaluate_all("us => us.map(u => u.title)")
    for u, title in zip(unsure, titles):
        assert title.startswith("unsure: ") and title.endswith("(not a finding)")
        assert all(f"{c.lang} {c.text}" in title for c in u.counterparts) or "aligned with nothing" in title
    shading = "() => getComputedStyle(document.querySelector('.row .unsure')).backgroundColor"
    shaded_bg = page.evaluate(shading)
    page.get_by_label("Unsure words").uncheck()  # the reviewer switches the shading off, and Reset brings it back
    assert page.evaluate(shading) == "rgba(0, 0, 0, 0)" != shaded_bg
    page.get_by_role("button", name="Reset").click()
    assert page.evaluate(shading) == shaded_bg and page.get_by_label("Unsure words").is_checked()
    close(opened)
    png = screenshot(html, SCREENSHOT, chromium, hover="mark.sev-error[data-finding]")
    assert png.stat().st_size > 20_000


# ------------------------------------------------------------------ review workflow

def close_allowing_downloads(opened: Opened) -> None:
    """As :func:`close`, the page's own downloads (blob: URLs) allowed."""
    opened.requests[:] = [u for u in opened.requests if not u.startswith("blob:")]
    close(opened)


def fingerprints(report: Report) -> list[str]:
    from xlingo.report.html import view_model

    return [f["fp"] for f in view_model(report)["findings"]]


def focused(page) -> str | None:
    return page.evaluate("() => document.activeElement.dataset.finding || null")


def test_findings_list_jumps_to_a_finding_and_gives_it_a_deep_link(story):
    page = story.page
    items = page.locator(".flist .fitem")
    assert items.count() == 6
    assert "XL101" in items.nth(0).inner_text() and "21" in items.nth(0).inner_text()
    items.nth(5).locator(".fgo").click()
    assert focused(page) == "f5"
    assert page.locator("#xl-pop").is_visible() and "maire" in page.inner_text("#xl-pop")
    fp = fingerprints(three_versions())[5]
    assert page.evaluate("location.hash") == f"#finding={fp}"
    page.get_by_role("button", name="Warning").click()  # the list follows the filters
    assert page.locator(".flist .fitem:not([hidden])").count() == 3


def test_a_deep_link_opens_its_finding(chromium, tmp_path):  # noqa: F811
    html = write(tmp_path, three_versions())
    fp = fingerprints(three_versions())[3]
    page = chromium.new_context(viewport={"width": 1400, "height": 900}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html.resolve().as_uri() + f"#finding={fp}")
    page.wait_for_selector("html.ready", state="attached")
    assert focused(page) == "f3" and page.locator("#xl-pop").is_visible()
    from xlingo.report.html import view_model

    assert view_model(three_versions())["findings"][3]["msg"] in page.inner_text("#xl-pop")
    page.evaluate(f"location.hash = '#finding={fingerprints(three_versions())[0]}'")
    page.wait_for_function("document.activeElement.dataset.finding === 'f0'")
    assert errors == []
    page.context.close()


def test_accept_and_false_positive_marks_are_kept_per_report_signature(chromium, tmp_path):  # noqa: F811
    html = write(tmp_path, three_versions())
    opened = open_page(chromium, html)
    page = opened.page
    items = page.locator(".flist .fitem")
    items.nth(0).get_by_role("button", name="Accept").click()
    items.nth(5).get_by_role("button", name="False positive").click()
    assert "2 of 6 findings reviewed: 1 accepted, 1 false positive" in page.inner_text(".review-status")
    assert page.locator("mark[data-finding='f0']").evaluate("m => m.classList.contains('dec-accepted')")
    assert page.locator("mark[data-finding='f5']").evaluate("m => m.classList.contains('dec-fp')")
    page.hover("mark[data-finding='f2']")  # from the details popover too
    page.locator("#xl-pop").get_by_role("button", name="Accept").click()
    assert items.nth(2).get_attribute("data-decision") == "accepted"
    page.focus("mark[data-finding='f2']")
    page.keyboard.press("a")  # again: undone
    assert items.nth(2).get_attribute("data-decision") == ""
    page.reload()
    page.wait_for_selector("html.ready", state="attached")
    assert [items.nth(k).get_attribute("data-decision") for k in range(6)] == ["accepted", "", "", "", "", "fp"]
    other = three_versions()
    other.signature = Signature(version="0.1.0", model="other", rules=("XL001",))
    page.goto(write(tmp_path, other, "other.html").resolve().as_uri())
    page.wait_for_selector("html.ready", state="attached")
    assert page.locator(".flist .fitem[data-decision='accepted']").count() == 0
    assert set(opened.requests) == {opened.url, page.url}  # the two pages, nothing else
    opened.requests[:] = [opened.url]
    close(opened)


def test_exported_baseline_is_accepted_by_check(chromium, tmp_path, monkeypatch):  # noqa: F811
    """Review a `check` report in the viewer, export the decisions, feed them back to `check --baseline`."""
    import json

    from test_check_cli import HashEncoder, MarkerRule, make_feed, run

    monkeypatch.setattr("xlingo.pipeline.load_encoder", lambda spec=None: HashEncoder())
    monkeypatch.setattr("xlingo.pipeline.selected_rules", lambda settings: [MarkerRule()])
    feed = make_feed(tmp_path / "feed", {1: "BAD", 3: "WARN"})
    html = tmp_path / "feed.html"
    assert run(str(feed), "--no-cache", "-f", f"html:{html}").exit_code == 1
    opened = open_page(chromium, html)
    page = opened.page
    bad = page.locator(".flist .fitem", has_text="XL900").filter(has_text="BAD")
    bad.get_by_role("button", name="Accept").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Export baseline").click()
    baseline = tmp_path / "viewer-baseline.json"
    info.value.save_as(baseline)
    assert info.value.suggested_filename == "xlingo-baseline.json"
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert [(e["rule"], e["excerpt"], e["count"]) for e in entries] == [("XL900", "BAD", 1)]
    again = run(str(feed), "--no-cache", "-f", "json", "--baseline", str(baseline))
    assert again.exit_code == 0, again.output
    data = json.loads(again.stdout)
    assert (data["stats"]["baseline_suppressed"], data["stats"]["baseline_stale"]) == (1, 0)
    assert [f["text"] for s in data["stories"] for f in s["findings"]] == ["WARN"]
    close_allowing_downloads(opened)


def test_csv_export_neutralises_formulas(chromium, tmp_path):  # noqa: F811
    import csv
    import io

    story = story_from_rows([{"de": "=HYPERLINK(\"http://x\") kostet 12 Euro.", "fr": "Il coûte 21 euros."}])
    story.documents[1].path = "fr\nXL *\u2028XL1 *\x1cXL5 *.txt"  # a hostile name quoted in the ignore file
    story.findings = [find(story, "XL101", Severity.ERROR, "de", "=HYPERLINK(\"http://x\")", "+1 differs; \"quoted\"",
                           row=0, related=(("fr", "21"),), suggestion="@SUM(A1)"),
                      find(story, "XL501", Severity.WARNING, "fr", "21", "-2 here", row=0)]
    opened = open_page(chromium, write(tmp_path, report_of(story)))
    page = opened.page
    page.locator(".flist .fitem").nth(1).get_by_role("button", name="False positive").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Export CSV").click()
    path = tmp_path / "f.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2
    assert rows[0]["text"] == "'=HYPERLINK(\"http://x\")" and rows[0]["message"] == "'+1 differs; \"quoted\""
    assert rows[0]["suggestion"] == "'@SUM(A1)" and rows[1]["message"] == "'-2 here"
    assert (rows[1]["decision"], rows[0]["decision"], rows[0]["counterparts"]) == ("fp", "", "fr: 21")
    with page.expect_download() as info:
        page.get_by_role("button", name="Export ignore file").click()
    ignore = tmp_path / ".xlingo-ignore"
    info.value.save_as(ignore)
    from xlingo.suppress import IgnoreFile

    parsed = IgnoreFile.parse(ignore.read_text(encoding="utf-8"))
    assert parsed.fingerprints == {fingerprints(report_of(story))[1]} and parsed.patterns == ()
    assert len(ignore.read_text(encoding="utf-8").splitlines()) == 2  # the header and one fingerprint
    close_allowing_downloads(opened)


def test_close_spellings_are_coloured_character_by_character(chromium, tmp_path):  # noqa: F811
    story = story_from_rows([{"de": "Die Cloud-Sparte Vulcano Engine wächst.", "fr": "La division Volcano Engine croît.",
                              "pt": "A divisão Volcano Engine cresce."}])
    story.findings = [find(story, "XL201", Severity.ERROR, "de", "Vulcano Engine", "spelled differently", row=0,
                           related=(("fr", "Volcano Engine"), ("pt", "Volcano Engine"))),
                      find(story, "XL703", Severity.WARNING, "fr", "croît", "other word", row=0,
                           related=(("pt", "cresce"),))]
    opened = open_page(chromium, write(tmp_path, report_of(story)))
    page = opened.page
    page.hover("mark[data-finding='f0']")
    assert page.locator("#xl-pop .dx-here").all_inner_texts() == ["u"]
    assert page.locator("#xl-pop .dx-there").all_inner_texts() == ["o", "o"]
    assert "Vulcano Engine" in page.inner_text("#xl-pop .quote")
    page.hover("mark[data-finding='f1']")  # words that merely share a letter or two: no colouring
    assert "cresce" in page.inner_text("#xl-pop") and page.locator("#xl-pop .diff").count() == 0
    close(opened)


def test_on_a_phone_the_details_do_not_cover_the_highlighted_text(chromium, tmp_path):  # noqa: F811
    opened = open_page(chromium, write(tmp_path, three_versions()), width=390, height=844)
    page = opened.page
    for fid in ("f5", "f0", "f1"):
        page.locator(f"mark[data-finding='{fid}']").click()
        pop = page.locator("#xl-pop")
        assert pop.is_visible()
        p = pop.bounding_box()
        rects = page.locator(f"mark[data-finding='{fid}']").evaluate(
            "m => [m.closest('.txt'), ...m.getClientRects()].map(r => r.getBoundingClientRect ? r.getBoundingClientRect() : r)"
            ".map(r => [r.top, r.bottom])")  # the whole sentence, and each line of the highlight
        assert p["y"] + p["height"] <= 844 + 1 and p["width"] <= 390
        assert all(bottom <= p["y"] + 0.5 and top >= 0 for top, bottom in rects), (fid, rects, p)
    close(opened)


def test_accepting_everything_exports_what_write_baseline_writes(chromium, tmp_path, monkeypatch):  # noqa: F811
    from test_check_cli import HashEncoder, MarkerRule, make_feed, run

    monkeypatch.setattr("xlingo.pipeline.load_encoder", lambda spec=None: HashEncoder())
    monkeypatch.setattr("xlingo.pipeline.selected_rules", lambda settings: [MarkerRule()])
    feed = make_feed(tmp_path / "feed", {0: "WARN", 1: "BAD", 3: "WARN"})
    html, cli = tmp_path / "feed.html", tmp_path / "cli-baseline.json"
    assert run(str(feed), "--no-cache", "-f", f"html:{html}", "--write-baseline", str(cli)).exit_code == 0
    opened = open_page(chromium, html)
    page = opened.page
    for k in range(page.locator(".flist .fitem").count()):
        page.locator(".flist .fitem").nth(k).get_by_role("button", name="Accept").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Export baseline").click()
    exported = tmp_path / "viewer-baseline.json"
    info.value.save_as(exported)
    assert exported.read_bytes() == cli.read_bytes()
    close_allowing_downloads(opened)
