"""The query editor and the API explorer in a real headless Chromium, over the live server on
the seeds: an example query run from its tab shows its table, downloads as CSV and draws a
chart; completion proposes the dataset's own terms; without JavaScript the plain form still
runs queries; the language switch works; no console error and no policy violation on the way.
Screenshots are left in the test's temporary folder for a look."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from conftest import LiveServer
from playwright_chromium import chromium, open_page, skip_without_front_end  # noqa: F401 (the fixture)

from kg.rdf.vocab import KG_NS
from kg.web.api_page import OPENAPI_URL

pytestmark = pytest.mark.browser

QUERY_TIMEOUT_MS = 30_000


class ExampleLinks(HTMLParser):
    """(href, name) of the example links on the query page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("class") == "example-query":
            self.links.append((found.get("href") or "", found.get("data-name") or ""))


@pytest.fixture(scope="module")
def examples(live_server: LiveServer) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, query, SPARQL JSON results) of every example the query page lists, run over HTTP."""
    skip_without_front_end()
    page = httpx.get(live_server.url + "sparql", headers={"Accept": "text/html"}, timeout=30).text
    found = []
    for href, name in ExampleLinks(page).links:
        query = parse_qs(urlparse(href).query)["query"][0]
        answer = httpx.post(
            live_server.url + "sparql",
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        if answer.status_code == 200 and "results" in answer.json():
            found.append((name, query, answer.json()))
    assert found, "the query page lists no example that runs"
    return found


def _with_rows(examples: list[tuple[str, str, dict[str, Any]]], numeric: bool = False) -> tuple[str, dict[str, Any]]:
    """The first example whose results have rows (and, if asked, a numeric column besides another)."""
    for name, _, results in examples:
        rows = results["results"]["bindings"]
        if not rows:
            continue
        variables = results["head"]["vars"]
        if numeric and not (
            len(variables) >= 2
            and any(all(_is_number(row.get(v)) for row in rows) and any(row.get(v) for row in rows) for v in variables)
        ):
            continue
        return name, results
    pytest.fail("no example query returns " + ("a numeric column" if numeric else "rows") + " on the seeds")


def _is_number(term: dict[str, str] | None) -> bool:
    if term is None:
        return True
    try:
        float(term["value"])
    except ValueError:
        return False
    return term["type"] == "literal"


@pytest.fixture
def editor(chromium: Any, live_server: LiveServer) -> Iterator[tuple[Any, Any]]:  # noqa: F811
    """The query page with its editor started: (page, console)."""
    skip_without_front_end()
    context, page, console = open_page(chromium)
    page.goto(live_server.url + "sparql")
    page.wait_for_selector("#kg-editor .yasgui .CodeMirror", timeout=QUERY_TIMEOUT_MS)
    yield page, console
    context.close()


def _run_tab(page: Any, name: str) -> None:
    page.locator("#kg-editor .tabsList .tab a span", has_text=re.compile(f"^{re.escape(name)}$")).click()
    page.locator("#kg-editor .tabPanel.active .yasqe_queryButton").click()
    page.wait_for_selector("#kg-editor .tabPanel.active .yasr table.dataTable tbody tr", timeout=QUERY_TIMEOUT_MS)


def test_every_example_query_is_a_tab_and_the_plain_form_is_hidden(
    editor: tuple[Any, Any], examples: list[tuple[str, str, dict[str, Any]]]
) -> None:
    page, console = editor
    tabs = page.locator("#kg-editor .tabsList .tab a span").all_inner_texts()
    listed = page.locator("a.example-query").all_inner_texts()
    assert tabs[1:] == listed and len(listed) >= len(examples)
    assert not page.locator("form.sparql").is_visible()
    assert not console.errors, console.errors


def test_an_example_query_runs_shows_its_table_and_downloads_as_csv(
    editor: tuple[Any, Any], examples: list[tuple[str, str, dict[str, Any]]], tmp_path: Path
) -> None:
    page, console = editor
    name, results = _with_rows(examples)
    variables, bindings = results["head"]["vars"], results["results"]["bindings"]
    _run_tab(page, name)
    table = page.locator("#kg-editor .tabPanel.active .yasr table.dataTable")
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    assert headers[1:] == variables  # the first column numbers the rows
    shown = table.locator("tbody tr").count()
    assert shown == min(len(bindings), int(page.locator("#kg-editor .tabPanel.active select.tableSizer").input_value()))
    page.screenshot(path=str(tmp_path / "editor-table.png"))
    with page.expect_download() as download:
        page.locator("#kg-editor .tabPanel.active .yasr_downloadIcon").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".csv"
    with saved.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == variables
    assert len(rows) - 1 == len(bindings)
    for row, binding in zip(rows[1:], bindings):
        assert row == [binding[v]["value"] if v in binding else "" for v in variables]
    assert not console.errors, console.errors


def test_the_chart_view_draws_a_bar_per_row(
    editor: tuple[Any, Any], examples: list[tuple[str, str, dict[str, Any]]], tmp_path: Path
) -> None:
    page, console = editor
    name, results = _with_rows(examples, numeric=True)
    _run_tab(page, name)
    page.locator("#kg-editor .tabPanel.active .select_chart").click()
    chart = page.locator("#kg-editor .tabPanel.active svg.kg-chart")
    chart.wait_for(timeout=QUERY_TIMEOUT_MS)
    assert chart.locator("rect").count() == min(len(results["results"]["bindings"]), 60)
    page.screenshot(path=str(tmp_path / "editor-chart.png"))
    assert not console.errors, console.errors


def test_completion_proposes_the_datasets_classes(editor: tuple[Any, Any], live_server: LiveServer) -> None:
    page, console = editor
    terms = httpx.get(live_server.url + "sparql/terms.json", timeout=30).json()
    assert KG_NS + "Question" in terms["classes"]
    page.evaluate(
        "text => { const yasqe = window.kgEditor.getTab().getYasqe(); yasqe.setValue(text);"
        " yasqe.focus(); yasqe.setCursor(yasqe.lastLine(), yasqe.getLine(yasqe.lastLine()).length); }",
        f"PREFIX kg: <{KG_NS}>\nSELECT * WHERE {{ ?q a kg:Que",
    )
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints li")
    hints.first.wait_for(timeout=QUERY_TIMEOUT_MS)
    proposed = hints.all_inner_texts()
    assert "kg:Question" in proposed
    kg_classes = {"kg:" + iri.removeprefix(KG_NS) for iri in terms["classes"] if iri.startswith(KG_NS)}
    assert set(proposed) <= {c for c in kg_classes if c.startswith("kg:Que")}
    assert not console.errors, console.errors


def test_typing_a_prefixed_name_declares_its_prefix_and_completes_properties(
    editor: tuple[Any, Any], live_server: LiveServer
) -> None:
    page, console = editor
    terms = httpx.get(live_server.url + "sparql/terms.json", timeout=30).json()
    dct = terms["prefixes"]["dct"]
    page.evaluate(
        "() => { const yasqe = window.kgEditor.getTab().getYasqe(); yasqe.setValue('SELECT * WHERE {\\n  ');"
        " yasqe.focus(); yasqe.setCursor(1, 2); }"
    )
    page.keyboard.type("?q dct:", delay=20)
    page.wait_for_function(
        "iri => window.kgEditor.getTab().getYasqe().getValue().includes('PREFIX dct: <' + iri + '>')", arg=dct
    )
    page.keyboard.type("ti", delay=20)
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints li")
    hints.first.wait_for(timeout=QUERY_TIMEOUT_MS)
    expected = {"dct:" + iri.removeprefix(dct) for iri in terms["properties"] if iri.startswith(dct + "ti")}
    assert set(hints.all_inner_texts()) == expected and "dct:title" in expected
    assert not console.errors, console.errors


def test_the_share_link_opens_its_query_and_runs_it(editor: tuple[Any, Any], live_server: LiveServer) -> None:
    page, console = editor
    query = f"PREFIX kg: <{KG_NS}>\nSELECT ?q WHERE {{ ?q a kg:Question }} ORDER BY ?q LIMIT 2"
    link = page.evaluate(
        "text => { const tab = window.kgEditor.getTab(); tab.getYasqe().setValue(text); return tab.getShareableLink(); }",
        query,
    )
    assert link.startswith(live_server.url + "sparql")
    page.goto("about:blank")
    page.goto(link)
    rows = page.locator("#kg-editor .tabPanel.active .yasr table.dataTable tbody tr")
    rows.first.wait_for(timeout=QUERY_TIMEOUT_MS)
    assert page.evaluate("() => window.kgEditor.getTab().getYasqe().getValue()") == query
    assert rows.count() == 2
    assert not console.errors, console.errors


def test_the_query_page_runs_queries_without_javascript(
    chromium: Any,  # noqa: F811
    live_server: LiveServer,
    tmp_path: Path,
) -> None:
    context, page, console = open_page(chromium, java_script_enabled=False)
    try:
        page.goto(live_server.url + "sparql")
        assert page.locator("form.sparql").is_visible() and not page.locator("#kg-editor").is_visible()
        query = f"PREFIX kg: <{KG_NS}>\nSELECT ?q WHERE {{ ?q a kg:Question }} ORDER BY ?q LIMIT 3"
        page.fill("textarea#query", query)
        page.locator("form.sparql button[type=submit]").click()
        page.wait_for_selector(".server-results table")
        expected = httpx.get(
            live_server.url + "sparql",
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        ).json()["results"]["bindings"]
        assert page.locator(".server-results table tbody tr").count() == len(expected) > 0
        page.screenshot(path=str(tmp_path / "sparql-without-javascript.png"))
        assert not console.errors, console.errors
    finally:
        context.close()


def test_the_language_switch_on_the_query_page_and_the_dumps(chromium: Any, live_server: LiveServer) -> None:  # noqa: F811
    skip_without_front_end()
    context, page, console = open_page(chromium)
    try:
        page.goto(live_server.url + "sparql")
        page.locator("header.site .languages a", has_text="FR").click()
        page.wait_for_selector("#kg-editor .yasgui .CodeMirror", timeout=QUERY_TIMEOUT_MS)
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("main h1").inner_text() == "Requête SPARQL"
        # YASGUI's own words follow; the data does not
        page.evaluate("text => window.kgEditor.getTab().getYasqe().setValue(text)", "SELECT ?Table WHERE { } LIMIT 1")
        page.locator("#kg-editor .tabPanel.active .yasqe_queryButton").click()
        page.wait_for_selector("#kg-editor .tabPanel.active .yasr table.dataTable", timeout=QUERY_TIMEOUT_MS)
        assert page.locator("#kg-editor .tabPanel.active .select_table").inner_text().strip() == "Tableau"
        assert re.match(r"^\d+ résultats? en [\d.]+ secondes?$", page.locator(".yasr_response_chip").inner_text())
        assert (
            page.locator("#kg-editor .tabPanel.active table.dataTable thead th").all_inner_texts()[1].strip() == "Table"
        )
        page.goto(live_server.url + "dumps/")
        page.locator("header.site .languages a", has_text="NL").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "nl"
        assert page.locator("main h1").inner_text() == "Downloads"
        assert page.locator("table.dumps th").first.inner_text() == "Bestand"
        assert not console.errors, console.errors
    finally:
        context.close()


def test_the_api_explorer_lists_every_operation_and_runs_one(
    chromium: Any,  # noqa: F811
    live_server: LiveServer,
    tmp_path: Path,
) -> None:
    skip_without_front_end()
    description = httpx.get(live_server.url + OPENAPI_URL.lstrip("/"), timeout=30).json()
    operations = sum(
        1 for item in description["paths"].values() for method in item if method in ("get", "post", "put", "delete")
    )
    context, page, console = open_page(chromium)
    try:
        page.goto(live_server.url + "api/")
        page.wait_for_selector("#api-explorer .opblock", timeout=QUERY_TIMEOUT_MS)
        assert page.locator("#api-explorer .opblock").count() == operations
        # Try an operation from the page: the request goes to kg, the answer shows
        operation = page.locator(
            "#api-explorer .opblock-get", has=page.locator('.opblock-summary-path[data-path="/dumps/"]')
        )
        operation.locator(".opblock-summary-control").click()
        operation.locator("button.try-out__btn").click()
        operation.locator("button.execute").click()
        status = operation.locator(".live-responses-table tbody .response-col_status")
        status.first.wait_for(timeout=QUERY_TIMEOUT_MS)
        assert status.first.inner_text().strip() == "200"
        assert "graph.ttl" in operation.locator(".live-responses-table tbody .response-col_description").inner_text()
        page.screenshot(path=str(tmp_path / "api-explorer.png"))
        assert not console.errors, console.errors
    finally:
        context.close()
