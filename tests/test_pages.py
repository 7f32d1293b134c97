"""HTML browsing over HTTP against the real server: home, class lists (paged, sorted), the
reader's language, readable dates, the vocabulary document, the stylesheet; plus the language
rules themselves."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest
import rdflib
from conftest import LiveServer, start_server, stop_server
from pyoxigraph import Literal

from kg.paths import QUERIES_DIR
from kg.web.i18n import best_label, format_date, negotiate_language
from kg.web.pages import _PATH_SAFE, _quote_path

BASE = "http://localhost:8000/"
KG = "https://w3id.org/written-questions/kg#"
QUESTIONS = 60


def question(n: int) -> str:
    day = date(2013, 1, 1).toordinal() + n * 3
    return (
        f'<{BASE}id/question/5-{n}> a kg:Question ; dct:title "Vraag {n:03d}"@nl , "Question {n:03d}"@fr ; '
        f'dct:date "{date.fromordinal(day).isoformat()}"^^xsd:date ; dct:creator <{BASE}id/person/p{n % 3}> .\n'
    )


GRAPH = f"""
@prefix kg: <{KG}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix person: <http://www.w3.org/ns/person#> .
<{BASE}id/person/p0> a person:Person ; foaf:name "Persoon Nul"@nl , "Person Zero"@en .
<{BASE}id/person/p1> a person:Person ; foaf:name "Personne Un"@fr .
<{BASE}id/person/p2> a person:Person .
""" + "".join(question(n) for n in range(1, QUESTIONS + 1))

ONTOLOGY = f"""
@prefix kg: <{KG}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dct: <http://purl.org/dc/terms/> .
<{BASE}ns/kg> a owl:Ontology ; dct:title "Test vocabulary"@en , "Testvocabularium"@nl .
kg:Question a owl:Class ; rdfs:label "Written question"@en , "Schriftelijke vraag"@nl , "Question écrite"@fr ;
    rdfs:comment "A question."@en , "Een vraag."@nl .
kg:answers a owl:ObjectProperty ; rdfs:label "answers"@en , "beantwoordt"@nl ; rdfs:domain kg:Question .
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder: Path = tmp_path_factory.mktemp("pages")
    (folder / "graph.ttl").write_text(GRAPH, encoding="utf-8")
    (folder / "ontology.ttl").write_text(ONTOLOGY, encoding="utf-8")
    live = start_server(folder)
    yield live
    stop_server(live)


def get(server: LiveServer, path: str, **headers: str) -> httpx.Response:
    return httpx.get(server.url + path.lstrip("/"), headers=headers, timeout=30)


class Links(HTMLParser):
    """Collects (href, text) of links, and the text of elements with a given class."""

    def __init__(self, css_class: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.css_class = css_class
        self.texts: list[str] = []
        self._href: str | None = None
        self._text = ""
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "a":
            self._href, self._text = attributes.get("href"), ""
        if self._depth or (self.css_class and self.css_class in (attributes.get("class") or "").split()):
            if not self._depth:
                self.texts.append("")
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, self._text.strip()))
            self._href = None
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data
        if self._depth:
            self.texts[-1] += data


def links(html: str) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(html)
    return parser.links


def item_links(html: str) -> list[str]:
    parser = Links("items")
    parser.feed(html)
    return [href for href, _ in parser.links if href.startswith("/doc/")]


# -- language rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, expected",
    [
        (None, "en"),
        ("", "en"),
        ("nl", "nl"),
        ("fr-BE", "fr"),
        ("nl-BE;q=0.8, fr;q=0.9", "fr"),
        ("de, fr;q=0.5", "fr"),
        ("de", "en"),
        ("*", "en"),
        ("fr;q=0, nl;q=0.1", "nl"),
        ("en;q=junk, nl;q=0.5", "en"),
        ("nl;q=0.5, fr;q=0.5", "nl"),
        (";;,,q=", "en"),
    ],
)
def test_negotiate_language(header: str | None, expected: str) -> None:
    assert negotiate_language(header) == expected


@pytest.mark.parametrize(
    "path",
    [
        "doc/question/5-8913",
        "doc/a b",
        "doc/é€😀",
        "doc/50%",
        "doc/x#y",
        "doc/[x]{y}",
        'doc/"<>',
        "doc/\n",
        "",
        "~!$&'()*+,;=:@?",
    ],
)
def test_local_paths_are_quoted_as_urllib_quotes_them(path: str) -> None:
    assert _quote_path(path) == quote(path, safe=_PATH_SAFE)


def test_label_fallback_order() -> None:
    labels = [
        Literal("fr", language="fr"),
        Literal("nl", language="nl"),
        Literal("plain"),
        Literal("de", language="de"),
    ]
    assert best_label(labels, "en") == "nl"  # requested -> en -> nl -> fr -> untagged
    assert best_label(labels, "fr") == "fr"
    assert best_label([Literal("plain"), Literal("de", language="de")], "en") == "plain"
    assert best_label([Literal("de", language="de")], "nl") == "de"
    assert best_label([], "nl", "http://x/id/person/jan-peeters") == "jan-peeters"


@pytest.mark.parametrize(
    "language, expected", [("nl", "30 april 2013"), ("fr", "30 avril 2013"), ("en", "30 April 2013")]
)
def test_readable_dates(language: str, expected: str) -> None:
    assert format_date(date(2013, 4, 30), language) == expected
    assert format_date(date(2013, 8, 1), "fr") == "1er août 2013"


# -- pages ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept_language, language, type_label, date_text",
    [
        ("nl-BE,nl;q=0.9", "nl", "Schriftelijke vraag", "4 januari 2013"),
        ("fr;q=0.9, nl;q=0.3", "fr", "Question écrite", "4 janvier 2013"),
        ("en-GB", "en", "Written question", "4 January 2013"),
    ],
)
def test_resource_page_in_the_readers_language(
    server: LiveServer, accept_language: str, language: str, type_label: str, date_text: str
) -> None:
    response = get(server, "/doc/question/5-1", accept="text/html", **{"accept-language": accept_language})
    assert response.headers["content-language"] == language
    assert f'<html lang="{language}">' in response.text
    assert type_label in response.text
    assert f'<time datetime="2013-01-04">{date_text}</time>' in response.text
    title = "Question 001" if language == "fr" else "Vraag 001"  # no English title: en -> nl
    assert re.search(f'<h1( lang="(nl|fr)")?>{title}</h1>', response.text)
    assert "Accept-Language" in response.headers["vary"]


def test_lang_parameter_overrides_the_header(server: LiveServer) -> None:
    response = get(server, "/doc/question/5-1?lang=fr", accept="text/html", **{"accept-language": "nl"})
    assert response.headers["content-language"] == "fr"
    assert any(href.endswith("lang=nl") for href, _ in links(response.text))


def test_labels_fall_back_to_other_languages_and_the_uri(server: LiveServer) -> None:
    def label_of(person: str, language: str) -> str:
        html = get(server, f"/doc/{person}", accept="text/html", **{"accept-language": language}).text
        return html.split("<h1>")[1].split("</h1>")[0]

    assert label_of("person/p0", "fr") == "Person Zero"  # fr -> en
    assert label_of("person/p0", "nl") == "Persoon Nul"
    assert label_of("person/p1", "en") == "Personne Un"  # en -> nl -> fr
    assert label_of("person/p2", "en") == "p2"  # no label: the URI's last segment


def test_links_walk_the_graph_locally(server: LiveServer) -> None:
    html = get(server, "/doc/question/5-1", accept="text/html").text
    hrefs = {href for href, _ in links(html)}
    assert "/doc/person/p1" in hrefs
    assert "/ns/kg#Question" in hrefs
    assert not any(href.startswith(BASE) for href in hrefs)
    assert get(server, "/doc/person/p1").status_code == 200


def test_home_page(server: LiveServer) -> None:
    html = get(server, "/", **{"accept-language": "en"}).text
    found = links(html)
    assert ("/list/questions", f"{QUESTIONS} Questions") in found
    assert ("/list/people", "3 People") in found
    latest = item_links(html)
    assert latest == [f"/doc/question/5-{n}" for n in range(QUESTIONS, QUESTIONS - 10, -1)]
    hrefs = {href for href, _ in found}
    assert {"/sparql", "/dumps/", "/.well-known/void"} <= hrefs


class ExampleLinks(HTMLParser):
    """The links of the home page's list of example queries (`<ul class="examples">`), with the
    file name each names in its `<code>`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (href, link text, code text)
        self._depth = 0  # elements open inside the list
        self._in: str | None = None  # "a" or "code" while inside one of them

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if self._depth:
            self._depth += 1
            if tag == "a":
                self.links.append((attributes.get("href") or "", "", ""))
            if tag in ("a", "code"):
                self._in = tag
        elif tag == "ul" and "examples" in (attributes.get("class") or "").split():
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in and self.links:
            href, text, code = self.links[-1]
            self.links[-1] = (href, text + data, code) if self._in == "a" else (href, text, code + data)


def test_home_links_every_example_query(server: LiveServer) -> None:
    files = sorted(QUERIES_DIR.glob("*.rq"))
    assert files, "queries/ holds no example query"
    parser = ExampleLinks()
    parser.feed(get(server, "/", **{"accept-language": "en"}).text)
    assert [code for _, _, code in parser.links] == [f.name for f in files]
    for (href, text, _), path in zip(parser.links, files):
        assert urlsplit(href).path == "/sparql", href
        assert parse_qs(urlsplit(href).query)["query"] == [path.read_text(encoding="utf-8")]
        assert text.strip(), href  # a description to click on
    # And each link opens: the query page answers it.
    for href, _, _ in parser.links:
        assert get(server, href, accept="text/html").status_code == 200, href


def test_class_list_pages(server: LiveServer) -> None:
    first = get(server, "/list/questions", **{"accept-language": "nl"}).text
    second = get(server, "/list/questions?page=2", **{"accept-language": "nl"}).text
    page1, page2 = item_links(first), item_links(second)
    assert len(page1) == 50 and len(page2) == QUESTIONS - 50
    assert set(page1).isdisjoint(page2)
    assert page1[:3] == ["/doc/question/5-1", "/doc/question/5-2", "/doc/question/5-3"]  # "Vraag 001" ...
    assert 'rel="next"' in first and 'rel="next"' not in second


@pytest.mark.parametrize(
    "query, first, last",
    [
        ("sort=label&order=desc", 60, 11),
        ("sort=date&order=asc", 1, 50),
        ("sort=date&order=desc", 60, 11),
    ],
)
def test_class_list_sorting(server: LiveServer, query: str, first: int, last: int) -> None:
    items = item_links(get(server, f"/list/questions?{query}").text)
    assert items[0] == f"/doc/question/5-{first}"
    assert items[-1] == f"/doc/question/5-{last}"


@pytest.mark.parametrize(
    "path, status",
    [
        ("/list/questions?sort=name", 400),
        ("/list/questions?order=up", 400),
        ("/list/questions?page=x", 400),
        ("/list/questions?page=9", 404),
        ("/list/nothing", 404),
        ("/list/people", 200),
        ("/list/agencies", 200),
    ],
)
def test_class_list_bad_requests(server: LiveServer, path: str, status: int) -> None:
    assert get(server, path).status_code == status


def test_vocabulary_document(server: LiveServer) -> None:
    html = get(server, "/ns/kg", accept="text/html", **{"accept-language": "nl"}).text
    assert 'id="Question"' in html and "Schriftelijke vraag" in html and "Een vraag." in html
    assert 'id="answers"' in html and "beantwoordt" in html
    turtle = get(server, "/ns/kg", accept="text/turtle")
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (rdflib.URIRef(KG + "Question"), rdflib.RDF.type, rdflib.OWL.Class) in graph
    assert get(server, "/ns/kg.ttl").text == turtle.text
    term = httpx.get(server.url + "ns/kg/Question", follow_redirects=False)
    assert term.status_code == 303 and term.headers["location"] == "/ns/kg#Question"
    assert get(server, "/ns/other").status_code == 404


def test_stylesheet(server: LiveServer) -> None:
    response = get(server, "/static/kg.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")
    assert "/static/kg.css" in get(server, "/").text


@pytest.mark.parametrize(
    "accept_language, headings",
    [
        ("en", ("<h2>Question</h2>", "<h2>Answer</h2>")),
        ("nl", ("<h2>Vraag</h2>", "<h2>Antwoord</h2>")),
    ],
)
def test_question_and_answer_texts_have_headings(
    live_server: LiveServer, accept_language: str, headings: tuple[str, str]
) -> None:
    response = get(live_server, "/doc/question/5-8913", accept="text/html", **{"accept-language": accept_language})
    question, answer = (response.text.index(h) for h in headings)
    assert question < answer  # the question comes first
