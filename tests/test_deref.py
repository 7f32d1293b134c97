"""Dereferencing over HTTP against the real server: 303s, content negotiation, formats that hold
the same triples, headers, 404s in every format, paging of incoming links, weird paths, and an
HTML page that states exactly the facts of the RDF."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
import rdflib
from conftest import LiveServer, start_server, stop_server
from rdfa_reader import rdfa_graph, same_triples
from rdflib.compare import isomorphic

BASE = "http://localhost:8000/"
KG = "https://w3id.org/written-questions/kg#"
INCOMING = 120  # links to the agency: more than two pages of 50

GRAPH = f"""
@prefix kg: <{KG}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix id: <{BASE}id/> .

id:question\\/5-1 a kg:Question ;
    dct:title "Titel <script>alert(1)</script>"@nl , "Titre"@fr ;
    dct:date "2013-04-30"^^xsd:date ;
    dct:creator id:person\\/a ;
    kg:count 3 ;
    kg:note [ rdfs:label "blank" ; kg:inner [ rdfs:label "deep" ] ] ;
    kg:see <javascript:alert(1)> .
id:question\\/5-1\\/answer kg:answers id:question\\/5-1 ; kg:text id:question\\/5-1\\/answer\\/text .
id:question\\/5-1\\/answer\\/text rdfs:label "answer text"@en .
id:person\\/a foaf:name "Alice Example" .
id:question\\/5-2 kg:sibling id:question\\/5-1 .
id:agency\\/x a kg:Agency ; foaf:name "Agency X"@en , "Dienst X"@nl .
""" + "".join(
    f'id:question\\/5-{n} a kg:Question ; dct:title "Vraag {n}"@nl ; kg:names id:agency\\/x .\n'
    for n in range(100, 100 + INCOMING)
)

ONTOLOGY = f"""
@prefix kg: <{KG}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<{BASE}ns/kg> a owl:Ontology ; rdfs:label "kg test vocabulary"@en .
kg:Question a owl:Class ; rdfs:label "Written question"@en , "Schriftelijke vraag"@nl .
kg:Agency a owl:Class ; rdfs:label "Agency"@en , "Dienst"@nl .
kg:names a owl:ObjectProperty ; rdfs:label "names"@en , "noemt"@nl .
"""

QUESTION = BASE + "id/question/5-1"
TOKEN = "deref-operator-token"
FORMATS = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
    "nt": ("application/n-triples", "nt"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data = write_data(tmp_path_factory.mktemp("deref"))
    live = start_server(data, env={"KG_UPDATE_TOKEN": TOKEN})
    yield live
    stop_server(live)


def write_data(folder: Path) -> Path:
    (folder / "graph.ttl").write_text(GRAPH, encoding="utf-8")
    (folder / "ontology.ttl").write_text(ONTOLOGY, encoding="utf-8")
    return folder


def get(server: LiveServer, path: str, **headers: str) -> httpx.Response:
    return httpx.get(server.url + path.lstrip("/"), headers=headers, follow_redirects=False, timeout=30)


def parse(response: httpx.Response, rdflib_format: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=response.content, format=rdflib_format)


# -- 303 -------------------------------------------------------------------------------------------


def test_thing_uri_answers_303_to_its_document(server: LiveServer) -> None:
    response = get(server, "/id/question/5-1", accept="text/turtle")
    assert response.status_code == 303
    assert response.headers["location"] == "/doc/question/5-1"
    assert "Accept" in response.headers["vary"]
    document = httpx.get(server.url + "doc/question/5-1", headers={"accept": "text/turtle"})
    assert document.headers["content-type"].startswith("text/turtle")


def test_303_keeps_the_query_string(server: LiveServer) -> None:
    response = get(server, "/id/agency/x?page=2&format=nt")
    assert response.status_code == 303
    assert response.headers["location"] == "/doc/agency/x?page=2&format=nt"


def test_unknown_thing_is_404_not_a_redirect(server: LiveServer) -> None:
    assert get(server, "/id/question/9-9999").status_code == 404


# -- content negotiation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("text/html", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/n-triples", "application/n-triples"),
        ("*/*", "text/html"),
        ("", "text/html"),
        ("text/turtle;q=0.5, application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json;q=0.9, text/turtle;q=0.95", "text/turtle"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("text/*", "text/html"),
        ("application/*, text/html;q=0.1", "application/ld+json"),
        ("garbage, text/turtle", "text/turtle"),
    ],
)
def test_conneg(server: LiveServer, accept: str, expected: str) -> None:
    response = get(server, "/doc/question/5-1", accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected


@pytest.mark.parametrize("accept", ["image/png", "text/html;q=0, application/json"])
def test_nothing_acceptable_is_406(server: LiveServer, accept: str) -> None:
    response = get(server, "/doc/question/5-1", accept=accept)
    assert response.status_code == 406
    assert "text/turtle" in response.text


@pytest.mark.parametrize("extension, media_type", [(e, m) for e, (m, _) in FORMATS.items()] + [("html", "text/html")])
def test_a_url_per_format(server: LiveServer, extension: str, media_type: str) -> None:
    by_suffix = get(server, f"/doc/question/5-1.{extension}", accept="text/html")
    by_param = get(server, f"/doc/question/5-1?format={extension}", accept="text/html")
    for response in (by_suffix, by_param):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type
    if media_type != "text/html":  # pages differ only in their own links
        assert by_suffix.content == by_param.content


def test_unknown_format_parameter_is_400(server: LiveServer) -> None:
    response = get(server, "/doc/question/5-1?format=pdf")
    assert response.status_code == 400
    assert "ttl" in response.text


def test_all_formats_hold_the_same_triples(server: LiveServer) -> None:
    graphs = {ext: parse(get(server, f"/doc/question/5-1.{ext}"), fmt) for ext, (_, fmt) in FORMATS.items()}
    reference = graphs["nt"]
    assert len(reference) > 10
    for extension, graph in graphs.items():
        assert isomorphic(graph, reference), extension


def test_headers_vary_link_content_location(server: LiveServer) -> None:
    response = get(server, "/doc/question/5-1", accept="text/turtle")
    assert "Accept" in response.headers["vary"]
    assert response.headers["content-location"] == "/doc/question/5-1.ttl"
    link = response.headers["link"]
    for extension, (media_type, _) in FORMATS.items():
        if extension != "ttl":
            assert f'</doc/question/5-1.{extension}>; rel="alternate"; type="{media_type}"' in link
    assert 'type="text/html"' in link and 'type="text/turtle"' not in link


def test_same_document_twice_is_byte_identical(server: LiveServer) -> None:
    assert get(server, "/doc/question/5-1.ttl").content == get(server, "/doc/question/5-1.ttl").content


# -- what a description holds -----------------------------------------------------------------------


def triples_of(server: LiveServer, path: str) -> set[tuple[str, str, str]]:
    graph = parse(get(server, path), "nt")
    return {(str(s), str(p), str(o)) for s, p, o in graph}


def test_description_uses_canonical_uris_whatever_the_host(server: LiveServer) -> None:
    assert "127.0.0.1" not in get(server, "/doc/question/5-1.nt").text
    graph = parse(get(server, "/doc/question/5-1.nt"), "nt")
    topic = rdflib.URIRef(QUESTION)
    assert (topic, rdflib.RDF.type, rdflib.URIRef(KG + "Question")) in graph
    doc = rdflib.URIRef(BASE + "doc/question/5-1")
    assert (doc, rdflib.FOAF.primaryTopic, topic) in graph
    assert (doc, rdflib.URIRef("http://rdfs.org/ns/void#inDataset"), None) in graph


def test_description_has_parts_blank_closure_labels_and_incoming(server: LiveServer) -> None:
    graph = parse(get(server, "/doc/question/5-1.ttl"), "turtle")
    labels = {str(o) for o in graph.objects(None, rdflib.RDFS.label)}
    assert {"blank", "deep", "answer text"} <= labels  # blank nodes two deep, and a part's part
    assert (
        rdflib.URIRef(BASE + "id/question/5-1/answer"),
        rdflib.URIRef(KG + "answers"),
        rdflib.URIRef(QUESTION),
    ) in graph
    assert (rdflib.URIRef(BASE + "id/person/a"), rdflib.FOAF.name, rdflib.Literal("Alice Example")) in graph
    assert (rdflib.URIRef(BASE + "id/question/5-2"), rdflib.URIRef(KG + "sibling"), rdflib.URIRef(QUESTION)) in graph
    assert (
        rdflib.URIRef(KG + "Question"),
        rdflib.RDFS.label,
        rdflib.Literal("Schriftelijke vraag", lang="nl"),
    ) in graph


# -- 404 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("extension, media_type, rdflib_format", [(e, m, f) for e, (m, f) in FORMATS.items()])
def test_404_in_each_rdf_format(server: LiveServer, extension: str, media_type: str, rdflib_format: str) -> None:
    for response in (
        get(server, f"/doc/nothing/here.{extension}"),
        get(server, "/doc/nothing/here", accept=media_type),
        get(server, "/id/nothing/here", accept=media_type),
    ):
        assert response.status_code == 404
        assert response.headers["content-type"].split(";")[0] == media_type
        graph = parse(response, rdflib_format)
        assert any("nothing/here" in str(o) for o in graph.objects())


def test_404_page_for_browsers(server: LiveServer) -> None:
    response = get(server, "/doc/nothing/here", accept="text/html")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert f"{BASE}id/nothing/here" in response.text


# -- paging --------------------------------------------------------------------------------------------

HYDRA = "http://www.w3.org/ns/hydra/core#"


def incoming_links(graph: rdflib.Graph) -> set[str]:
    return {str(s) for s in graph.subjects(rdflib.URIRef(KG + "names"), rdflib.URIRef(BASE + "id/agency/x"))}


def test_incoming_links_are_paged_with_hydra_controls(server: LiveServer) -> None:
    doc = BASE + "doc/agency/x"
    seen: set[str] = set()
    for page, size in ((1, 50), (2, 50), (3, INCOMING - 100)):
        graph = parse(get(server, f"/doc/agency/x.ttl?page={page}"), "turtle")
        links = incoming_links(graph)
        assert len(links) == size
        assert not links & seen
        seen |= links
        view = rdflib.URIRef(f"{doc}?page={page}")
        assert (rdflib.URIRef(doc), rdflib.URIRef(HYDRA + "view"), view) in graph
        assert (view, rdflib.URIRef(HYDRA + "first"), rdflib.URIRef(f"{doc}?page=1")) in graph
        assert (view, rdflib.URIRef(HYDRA + "last"), rdflib.URIRef(f"{doc}?page=3")) in graph
        has_next = (view, rdflib.URIRef(HYDRA + "next"), rdflib.URIRef(f"{doc}?page={page + 1}")) in graph
        has_previous = (view, rdflib.URIRef(HYDRA + "previous"), rdflib.URIRef(f"{doc}?page={page - 1}")) in graph
        assert has_next == (page < 3)
        assert has_previous == (page > 1)
        # the resource's own statements are on every page
        assert (rdflib.URIRef(BASE + "id/agency/x"), rdflib.FOAF.name, rdflib.Literal("Dienst X", lang="nl")) in graph
    assert len(seen) == INCOMING


def test_paging_in_html(server: LiveServer) -> None:
    page = get(server, "/doc/agency/x?page=2", accept="text/html").text
    assert 'rel="next" href="?page=3' in page
    assert 'rel="prev" href="?' in page
    assert page.count('property="kg:names"') == 50


@pytest.mark.parametrize("query, status", [("page=4", 404), ("page=0", 400), ("page=abc", 400), ("page=-1", 400)])
def test_bad_pages(server: LiveServer, query: str, status: int) -> None:
    assert get(server, f"/doc/agency/x?{query}").status_code == status


def test_small_description_has_no_paging(server: LiveServer) -> None:
    graph = parse(get(server, "/doc/person/a.ttl"), "turtle")
    assert not list(graph.objects(None, rdflib.URIRef(HYDRA + "view")))


# -- weird paths -----------------------------------------------------------------------------------------

WEIRD = [
    "/id/question/5-1'",
    '/id/question/"5-1"',
    "/id/%3Cscript%3E",
    "/id/a%20b",
    "/id/a b",
    "/id/%22%3E%3C%2Fa%3E",
    "/id/question/%E2%82%AC",
    "/id/questi%C3%B6n/5-1",
    "/id/%00",
    "/id/%2F%2F",
    "/id/..%2F..%2Fetc%2Fpasswd",
    "/id/x}y{z",
    "/id/a%5Cb",
    "/id/" + "x" * 5000,
    "/id/?",
    "/id/#frag",
    "/doc/question/5-1%22%20.ttl",
    "/doc/%3E%20%3Chttp://evil%3E",
    "/doc/x.ttl.ttl",
    "/doc/.ttl",
    "/doc/",
    "/id/",
    "/id/question/5-1/../5-1",
    "/doc/question/5-1?page=1e3",
    "/doc/question/5-1?format=%00",
]


@pytest.mark.parametrize("path", WEIRD)
@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
def test_weird_paths_never_fail(server: LiveServer, path: str, accept: str) -> None:
    response = httpx.get(server.url.rstrip("/") + path, headers={"accept": accept}, timeout=30)
    assert response.status_code in (200, 303, 400, 404), response.text[:300]


def test_unicode_path_maps_to_an_iri(server: LiveServer) -> None:
    response = get(server, "/doc/questi%C3%B6n/5-1.ttl")
    assert response.status_code == 404
    assert f"{BASE}id/questiön/5-1" in parse(response, "turtle").serialize(format="nt")


# -- the page states the RDF's facts -----------------------------------------------------------------------

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class FactParser(HTMLParser):
    """Reads the facts a page carries: the nearest `about` is the subject, `property` the
    predicate, `resource` (an IRI or `_:id`) or `content` (with lang and datatype) the object."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.facts: set[tuple[str, str, tuple[str, ...]]] = set()
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self.scripts += 1
        about = attributes.get("about")
        subject = about if about is not None else next((a for _, a in reversed(self.stack) if a), None)
        prop = attributes.get("property")
        if prop and subject:
            if "resource" in attributes:
                obj: tuple[str, ...] = ("iri", attributes["resource"] or "")
            else:
                obj = (
                    "literal",
                    attributes.get("content") or "",
                    attributes.get("lang") or "",
                    attributes.get("datatype") or "",
                )
            self.facts.add((subject, prop, obj))
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, about))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return


@pytest.mark.parametrize("path", ["/doc/question/5-1", "/doc/agency/x", "/doc/agency/x?page=3", "/doc/person/a"])
def test_html_page_states_every_fact_of_the_rdf(server: LiveServer, path: str) -> None:
    """A real RDFa reader reads from the page exactly the triples of the Turtle document."""
    stem, _, query = path.partition("?")
    suffix = f"?{query}" if query else ""
    rdf = parse(get(server, f"{stem}.ttl{suffix}"), "turtle")
    page = rdfa_graph(get(server, path, accept="text/html").text, server.url.rstrip("/") + path)
    assert len(rdf), path
    missing, extra = same_triples(page, rdf)
    assert not missing and not extra, (sorted(missing)[:5], sorted(extra)[:5])


def test_literals_are_escaped_and_data_links_are_safe(server: LiveServer) -> None:
    html = get(server, "/doc/question/5-1", accept="text/html").text
    parser = FactParser()
    parser.feed(html)
    assert parser.scripts == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html


# -- what the server keeps between requests is dropped when the store changes ----------------------


def test_an_operator_update_shows_in_the_next_description(server: LiveServer) -> None:
    """Labels of linked resources are kept between requests; an update must not leave them stale."""
    person = rdflib.URIRef(BASE + "id/person/a")
    before = parse(get(server, "/doc/question/5-1.ttl"), "turtle")
    assert set(before.objects(person, rdflib.RDFS.label)) == set()
    update = f'INSERT DATA {{ <{person}> <{rdflib.RDFS.label}> "Alice, renamed"@en }}'
    response = httpx.post(
        server.url + "sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    )
    assert response.status_code in (200, 204), response.text
    after = parse(get(server, "/doc/question/5-1.ttl"), "turtle")
    assert set(after.objects(person, rdflib.RDFS.label)) == {rdflib.Literal("Alice, renamed", lang="en")}
    assert "Alice, renamed" in get(server, "/doc/question/5-1", accept="text/html").text
