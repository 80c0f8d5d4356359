"""The HTML viewer in Debian's chromium: layout, highlights, filters, keyboard, hostile text, no network."""
from __future__ import annotations

from pathlib import Path

import pytest
from browser import Opened, chromium, open_page, screenshot  # noqa: F401  (chromium is a fixture)
from test_html import HOSTILE, feed, find, hostile, report_of, three_versions

from xlingo.report.html import render
from xlingo.model import Report, Severity
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
    assert "xlingo:0.1.0|model:test|align.x:1|rules:XL001" in page.inner_text("footer")
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
    close(opened)
    png = screenshot(html, SCREENSHOT, chromium, hover="mark.sev-error[data-finding]")
    assert png.stat().st_size > 20_000
