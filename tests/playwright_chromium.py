"""Headless Chromium driven by Playwright for the tests that click, type and download: the
system's Chromium (tests/test_browser.py's), never a browser Playwright would download. Pages
are checked for console errors and policy violations as they run."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_browser import CHROMIUM

from kg.web.vendor import VENDOR_DIR, VENDOR_FILES

# Chromium reports each policy violation to the page; the tests read them back from the console.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("Content Security Policy violation:", event.violatedDirective, event.sourceFile, event.lineNumber);
});
"""


def skip_without_front_end() -> None:
    missing = [name for name in VENDOR_FILES if not (VENDOR_DIR / name).is_file()]
    if missing:
        pytest.skip(f"front-end libraries missing from {VENDOR_DIR} ({', '.join(missing)}): run `python3 dev.py setup`")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A Playwright Chromium browser, or the test is skipped (saying what is missing)."""
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("Python package `playwright` not installed (it is in the `test` extra)")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: install the Debian package `chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        try:
            yield browser
        finally:
            browser.close()


class Console:
    """The console errors and uncaught exceptions of a page, except the browser's own request
    for /favicon.ico (kg has none)."""

    def __init__(self, page: Any):
        self.errors: list[str] = []
        page.on("console", self._message)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _message(self, message: Any) -> None:
        if message.type != "error":
            return
        if "favicon.ico" in (message.location or {}).get("url", ""):
            return
        self.errors.append(message.text)


def open_page(browser: Any, **options: Any) -> tuple[Any, Any, Console]:
    """A fresh context and page (downloads accepted, violations reported) and its console."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 1000}, **options)
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    return context, page, Console(page)
