"""Playwright helpers for the viewer's browser tests: Debian's chromium, a request log, screenshots.

Playwright's own browser download is not used; tests skip when ``/usr/bin/chromium`` is missing
(``apt-get install -y chromium``).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-gpu"]
SKIP_REASON = "Debian's chromium is missing (/usr/bin/chromium); install it with: apt-get install -y chromium"


def launch(playwright: Any) -> Any:
    """Headless Debian chromium, no background traffic."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One chromium for the test session (skips when it is not installed)."""
    if not CHROMIUM.exists():
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@dataclass
class Opened:
    """A viewer page and everything it did: requests, console errors, dialogs."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_page(browser: Any, html: Path, width: int = 1400, height: int = 900) -> Opened:
    """Open a viewer file in a fresh context and wait until the script has drawn it."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    opened = Opened(page=page, url=html.resolve().as_uri())
    page.on("request", lambda r: opened.requests.append(r.url))
    page.on("console", lambda m: opened.errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))

    def on_dialog(d: Any) -> None:
        opened.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(opened.url)
    try:
        page.wait_for_selector("html.ready", state="attached", timeout=10_000)
    except Exception as e:
        raise AssertionError(f"the viewer did not draw: {opened.errors}") from e
    return opened


def screenshot(html: Path, png: Path, browser: Any = None, width: int = 1440, height: int = 900,
               hover: str | None = "mark[data-finding]") -> Path:
    """Write a PNG of a viewer page, the details of the first element matching ``hover`` open."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            b = launch(p)
            try:
                return screenshot(html, png, b, width, height, hover)
            finally:
                b.close()
    opened = open_page(browser, html, width, height)
    if hover:
        opened.page.hover(hover)
    png.parent.mkdir(parents=True, exist_ok=True)
    opened.page.screenshot(path=str(png))
    opened.page.context.close()
    return png
