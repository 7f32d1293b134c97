"""The query page for browsers and the service description for RDF clients, both at GET /sparql."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import rdflib

from kg.paths import QUERIES_DIR
from kg.rdf.vocab import prefixes
from kg.uris import DEFAULT_BASE
from kg.web.sparql.page import load_examples

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


class Page(HTMLParser):
    """What a test needs from a page: the textarea, links, table cells (with their links)."""

    def __init__(self, text: str):
        super().__init__()
        self.textarea = ""
        self.links: list[str] = []
        self.headers: list[str] = []
        self.rows: list[list[tuple[str, str | None]]] = []
        self.forms: list[dict[str, str]] = []
        self._in_textarea = self._in_th = self._in_td = False
        self._href: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "textarea":
            self._in_textarea = True
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if self._in_td:
                self._href = attrs["href"]
        elif tag == "form":
            self.forms.append(attrs)
        elif tag == "tr":
            self.rows.append([])
        elif tag == "th":
            self._in_th = True
            self.headers.append("")
        elif tag == "td":
            self._in_td, self._href = True, None
            self.rows[-1].append(("", None))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._in_textarea = False
        elif tag == "th":
            self._in_th = False
        elif tag == "td":
            text, _ = self.rows[-1][-1]
            self.rows[-1][-1] = (text.strip(), self._href)
            self._in_td = False

    def handle_data(self, data):
        if self._in_textarea:
            self.textarea += data
        elif self._in_th:
            self.headers[-1] += data
        elif self._in_td:
            text, href = self.rows[-1][-1]
            self.rows[-1][-1] = (text + data, href)

    @property
    def body_rows(self) -> list[list[tuple[str, str | None]]]:
        return [row for row in self.rows if row]


def test_browser_gets_an_editor_prefilled_with_prefixes(live_server) -> None:
    response = httpx.get(live_server.url + "sparql", headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    for name, iri in prefixes("https://w3id.org/written-questions/kg#").items():
        assert f"PREFIX {name}: <{iri}>" in page.textarea
    form = next(form for form in page.forms if form["action"] == "/sparql")  # the header's search box comes first
    assert form["method"] == "get"  # works without JavaScript
    # Scripts only enhance the form: kg's own files, deferred, never inline.
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.S):
        assert re.search(r'src="/static/[^"]+"', attributes) and "defer" in attributes and not body.strip()


def test_page_shows_results_as_a_table_with_local_links(live_server) -> None:
    query = (
        "SELECT ?q ?title WHERE { ?q a <https://w3id.org/written-questions/kg#Question> ; ?p ?title FILTER(isLiteral(?title)) } "
        "ORDER BY ?q LIMIT 5"
    )
    response = httpx.get(live_server.url + "sparql", params={"query": query}, headers=BROWSER)
    assert response.status_code == 200
    page = Page(response.text)
    assert page.textarea == query
    assert page.headers[:2] == ["q", "title"]
    rows = page.body_rows
    assert len(rows) == 5
    for (text, href), (literal, literal_href) in rows:
        assert href is not None and href.startswith("/doc/question/")
        assert literal and literal_href is None
    assert "5 rows" in response.text


def test_page_escapes_everything(live_server) -> None:
    evil = "</textarea><script>alert(1)</script>"
    query = f'SELECT ?x WHERE {{ BIND("{evil}" AS ?x) }} # {evil}'
    response = httpx.get(live_server.url + "sparql", params={"query": query}, headers=BROWSER)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    page = Page(response.text)
    assert page.textarea == query
    assert page.body_rows[0][0][0] == evil


def test_page_shows_syntax_errors_with_the_query_kept(live_server) -> None:
    response = httpx.get(live_server.url + "sparql", params={"query": "SELECT * WHERE { ?s"}, headers=BROWSER)
    assert response.status_code == 400
    page = Page(response.text)
    assert page.textarea == "SELECT * WHERE { ?s"
    assert "syntax error" in response.text


def test_page_renders_ask_and_construct(live_server) -> None:
    ask = httpx.get(live_server.url + "sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=BROWSER)
    assert ask.status_code == 200 and ">true<" in ask.text
    construct = httpx.get(
        live_server.url + "sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3"}, headers=BROWSER
    )
    page = Page(construct.text)
    assert page.headers[:3] == ["subject", "predicate", "object"]
    assert len(page.body_rows) == 3


def test_page_form_format_choice_returns_raw_results(live_server) -> None:
    response = httpx.get(live_server.url + "sparql", params={"query": "ASK {}", "format": "csv"}, headers=BROWSER)
    assert response.headers["content-type"].startswith("text/csv")


def test_examples_are_read_from_rq_files(tmp_path: Path) -> None:
    (tmp_path / "b-count.rq").write_text("# Count the questions\n# per legislature.\nSELECT * {}\n")
    (tmp_path / "a-plain.rq").write_text("SELECT * {}\n")
    (tmp_path / "notes.txt").write_text("not a query")
    examples = load_examples(tmp_path)
    assert [e.name for e in examples] == ["a-plain", "b-count"]
    assert examples[1].description == "Count the questions per legislature."
    assert examples[0].description == "a plain"
    assert parse_qs(urlparse(examples[1].href).query)["query"] == [examples[1].query]


EXAMPLE_FILES = sorted(QUERIES_DIR.glob("*.rq"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_every_example_is_one_click_away_and_runs(live_server, path: Path) -> None:
    page = Page(httpx.get(live_server.url + "sparql", headers=BROWSER).text)
    text = path.read_text(encoding="utf-8")
    links = [
        link
        for link in page.links
        if link.startswith("/sparql?") and parse_qs(urlparse(link).query).get("query") == [text]
    ]
    assert links, f"no link runs {path.name}"
    response = httpx.get(live_server.url + links[0].lstrip("/"), headers=BROWSER, timeout=30)
    assert response.status_code == 200, response.text
    assert Page(response.text).textarea == text


@pytest.mark.parametrize(
    "accept,fmt",
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-triples", "nt"),
        ("*/*", "turtle"),
        ("", "turtle"),
    ],
)
def test_service_description(live_server, accept, fmt) -> None:
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(live_server.url + "sparql", headers=headers)
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.content, format=fmt)
    service = graph.value(None, rdflib.RDF.type, SD.Service)
    assert service is not None
    assert graph.value(service, SD.endpoint) == rdflib.URIRef(DEFAULT_BASE + "sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = set(graph.objects(service, SD.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert len(formats) == 8
    dataset = graph.value(service, SD.defaultDataset)
    default_graph = graph.value(dataset, SD.defaultGraph)
    triples = int(graph.value(default_graph, VOID.triples))
    count = httpx.get(live_server.url + "sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    assert triples == int(count.json()["results"]["bindings"][0]["n"]["value"])
    named = graph.value(dataset, SD.namedGraph)
    assert graph.value(named, SD.name) == rdflib.URIRef(DEFAULT_BASE + "ns/kg")


def test_service_description_406(live_server) -> None:
    response = httpx.get(live_server.url + "sparql", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text
