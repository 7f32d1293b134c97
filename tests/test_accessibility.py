"""Every kind of page, checked by axe-core (from npm, served by kg under /static/vendor/ and
loaded into the page by the test) in a real headless Chromium: no serious or critical
violation. The query pages are checked with the editor started and its results drawn, the API
page with Swagger UI drawn."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import LiveServer
from playwright_chromium import chromium, open_page, skip_without_front_end  # noqa: F401 (the fixture)
from test_browser_csp import PAGES

pytestmark = pytest.mark.browser

# The page kinds of the policy test, and the ones it does not list: a person, a list of people,
# search results.
ALL_PAGES = [*PAGES, "doc/person/martine-taelman", "list/people", "search?q=sociale+media"]
SERIOUS = ("serious", "critical")
TIMEOUT_MS = 30_000

RUN_AXE = """
() => axe.run(document, { resultTypes: ["violations"] }).then((result) =>
  result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((node) => node.target.join(" ")),
  }))
)
"""


def _ready(page: Any, path: str) -> None:
    """Wait for what scripts draw: the editor (and the results it runs), the API explorer."""
    page.wait_for_load_state("networkidle")
    if path.startswith("sparql"):
        page.wait_for_selector("#kg-editor .yasgui .CodeMirror", timeout=TIMEOUT_MS)
        if "query=" in path:
            # the editor's results, or the server's error for a query the editor does not send
            page.wait_for_selector("#kg-editor .tabPanel.active .yasr_results > *, section.error", timeout=TIMEOUT_MS)
    if path.startswith("api/"):
        page.wait_for_selector("#api-explorer .opblock", timeout=TIMEOUT_MS)


@pytest.mark.parametrize("path", ALL_PAGES)
def test_axe_finds_no_serious_violation(chromium: Any, live_server: LiveServer, path: str) -> None:  # noqa: F811
    skip_without_front_end()
    context, page, console = open_page(chromium)
    try:
        page.goto(live_server.url + path)
        _ready(page, path)
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")  # kg's own file: the page's policy allows it
        violations = page.evaluate(RUN_AXE)
        serious = [v for v in violations if v["impact"] in SERIOUS]
        assert not serious, "\n".join(f"{v['impact']} {v['id']}: {v['help']} at {v['nodes']}" for v in serious)
        policy = [error for error in console.errors if "Content Security Policy" in error]
        assert not policy, policy
    finally:
        context.close()


def test_axe_finds_no_serious_violation_in_the_editor_in_use(chromium: Any, live_server: LiveServer) -> None:  # noqa: F811
    """After switching tabs and running a query: the table, the chart and the raw response."""
    skip_without_front_end()
    context, page, console = open_page(chromium)
    try:
        page.goto(live_server.url + "sparql")
        _ready(page, "sparql")
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
        names = page.locator("#kg-editor .tabsList .tab a span").all_inner_texts()
        page.locator("#kg-editor .tabsList .tab a span", has_text=re.compile(f"^{re.escape(names[-1])}$")).click()
        page.locator("#kg-editor .tabsList .tab a span", has_text=re.compile(f"^{re.escape(names[0])}$")).click()
        page.locator("#kg-editor .tabPanel.active .yasqe_queryButton").click()
        page.wait_for_selector("#kg-editor .tabPanel.active .yasr table.dataTable", timeout=TIMEOUT_MS)
        for view in ("table", "chart", "response"):
            button = page.locator(f"#kg-editor .tabPanel.active .select_{view}")
            if button.get_attribute("aria-disabled") != "true":
                button.click()
            violations = [v for v in page.evaluate(RUN_AXE) if v["impact"] in SERIOUS]
            assert not violations, (view, violations)
        assert not console.errors, console.errors
    finally:
        context.close()
