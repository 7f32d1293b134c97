"""The SPARQL 1.1 Protocol over HTTP, driven by a real client (SPARQLWrapper) against the real
server: every query form, every result format, parsed; GET, form POST and direct POST; dataset
parameters; errors as the protocol says."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.uris import DEFAULT_BASE

QUESTION = DEFAULT_BASE + "id/question/5-8913"
KG = "https://w3id.org/written-questions/kg#"
SELECT = f"""PREFIX kg: <{KG}>
SELECT ?q ?p ?o WHERE {{ ?q a kg:Question ; ?p ?o }} ORDER BY ?q ?p ?o LIMIT 25"""
ASK_TRUE = f"ASK {{ <{QUESTION}> ?p ?o }}"
ASK_FALSE = f"ASK {{ <{QUESTION}-nothing> ?p ?o }}"
CONSTRUCT = f"CONSTRUCT {{ <{QUESTION}> ?p ?o }} WHERE {{ <{QUESTION}> ?p ?o }}"
DESCRIBE = f"DESCRIBE <{QUESTION}>"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def endpoint(server, method: str = "GET", request_method: str | None = None) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url + "sparql")
    client.setMethod(POST if method == "POST" else "GET")
    if request_method:
        client.setRequestMethod(request_method)
    return client


def run(server, query: str, fmt: str, method: str = "GET", request_method: str | None = None):
    client = endpoint(server, method, request_method)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client.query()


def expected_rows(server) -> list[tuple[str, str, str]]:
    """The SELECT's answer, fetched independently as JSON with httpx."""
    response = httpx.get(
        server.url + "sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"}
    )
    rows = response.json()["results"]["bindings"]
    return [(r["q"]["value"], r["p"]["value"], r["o"]["value"]) for r in rows]


METHODS = [("GET", None), ("POST", None), ("POST", POSTDIRECTLY)]


@pytest.mark.parametrize("method,request_method", METHODS)
def test_select_json(live_server, method, request_method) -> None:
    result = run(live_server, SELECT, JSON, method, request_method).convert()
    assert result["head"]["vars"] == ["q", "p", "o"]
    rows = [(b["q"]["value"], b["p"]["value"], b["o"]["value"]) for b in result["results"]["bindings"]]
    assert len(rows) == 25
    assert rows == expected_rows(live_server)
    assert all(b["q"]["type"] == "uri" for b in result["results"]["bindings"])


@pytest.mark.parametrize("method,request_method", METHODS)
def test_select_xml(live_server, method, request_method) -> None:
    document = run(live_server, SELECT, XML, method, request_method).convert()  # a minidom Document
    results = document.getElementsByTagName("result")
    assert [v.getAttribute("name") for v in document.getElementsByTagName("variable")] == ["q", "p", "o"]
    assert len(results) == 25
    first = {
        b.getAttribute("name"): b.firstChild.firstChild.nodeValue for b in results[0].getElementsByTagName("binding")
    }
    assert (first["q"], first["p"], first["o"]) == expected_rows(live_server)[0]


def test_select_csv(live_server) -> None:
    text = run(live_server, SELECT, CSV).convert().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["q", "p", "o"]
    assert [tuple(r) for r in rows[1:]] == expected_rows(live_server)


def test_select_tsv(live_server) -> None:
    text = run(live_server, SELECT, TSV).convert().decode("utf-8")
    lines = text.rstrip("\n").split("\n")
    assert lines[0].split("\t") == ["?q", "?p", "?o"]
    assert len(lines) == 26
    q, p, _ = lines[1].split("\t")
    expected = expected_rows(live_server)[0]
    assert (q, p) == (f"<{expected[0]}>", f"<{expected[1]}>")


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_ask(live_server, fmt) -> None:
    for query, expected in ((ASK_TRUE, True), (ASK_FALSE, False)):
        result = run(live_server, query, fmt)
        if fmt == JSON:
            assert result.convert()["boolean"] is expected
        elif fmt == XML:
            assert result.convert().getElementsByTagName("boolean")[0].firstChild.nodeValue == str(expected).lower()
        else:
            assert result.convert().decode().split()[-1] == str(expected).lower()


def reference_graph(server) -> rdflib.Graph:
    """What the question's CONSTRUCT should give, read independently as N-Triples."""
    response = httpx.get(
        server.url + "sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/n-triples"}
    )
    assert response.headers["content-type"].startswith("application/n-triples")
    return rdflib.Graph().parse(data=response.text, format="nt")


@pytest.mark.parametrize("fmt", [TURTLE, N3, JSONLD, RDFXML, XML])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_graph_results_in_every_format(live_server, fmt, query) -> None:
    result = run(live_server, query, fmt)
    graph = result.convert()
    if isinstance(graph, bytes):  # SPARQLWrapper hands Turtle/N3 over as bytes
        graph = rdflib.Graph().parse(data=graph, format="turtle")
    assert len(graph) > 10
    if query == CONSTRUCT:
        assert isomorphic(graph, reference_graph(live_server))
    assert (rdflib.URIRef(QUESTION), rdflib.RDF.type, rdflib.URIRef(KG + "Question")) in graph


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_malformed_query_is_400_with_message_and_position(live_server, method) -> None:
    client = endpoint(live_server, method)
    client.setQuery("SELECT * WHERE { ?s ?p }")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed) as caught:
        client.query()
    assert "1:" in str(caught.value)
    response = httpx.get(live_server.url + "sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert "syntax error" in response.text and "1:" in response.text


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "SELECT",
        "PREFIX x: <http://a/> SELECT ?s WHERE { ?s x:y ?o ",
        "SELECT * WHERE { ?s ?p ?o } LIMIT -1",
        "SELECT * WHERE { <not an iri> ?p ?o }",
        "\x00\x01",
        "SELECT * { ?s ?p ?o FILTER(unknown:f(?o)) }",
    ],
)
def test_bad_queries_never_answer_500(live_server, query) -> None:
    response = httpx.get(live_server.url + "sparql", params={"query": query})
    assert response.status_code == 400, response.text
    assert response.text.strip()


def test_direct_post_and_form_post_agree(live_server) -> None:
    url = live_server.url + "sparql"
    accept = {"Accept": "application/sparql-results+json"}
    direct = httpx.post(url, content=SELECT.encode(), headers={**accept, "Content-Type": "application/sparql-query"})
    form = httpx.post(url, data={"query": SELECT}, headers=accept)
    get = httpx.get(url, params={"query": SELECT}, headers=accept)
    assert direct.status_code == form.status_code == get.status_code == 200
    assert direct.json() == form.json() == get.json()


def test_protocol_errors(live_server) -> None:
    url = live_server.url + "sparql"
    twice = httpx.get(url, params=[("query", SELECT), ("query", SELECT)])
    assert twice.status_code == 400 and "query" in twice.text
    no_query = httpx.post(url, data={"default-graph-uri": DEFAULT_BASE})
    assert no_query.status_code == 400
    wrong_type = httpx.post(url, content=b"SELECT * {}", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    not_utf8 = httpx.post(
        url, content="SELECT ?é {}".encode("latin-1"), headers={"Content-Type": "application/sparql-query"}
    )
    assert not_utf8.status_code == 400


def test_default_and_named_graph_parameters(live_server) -> None:
    ontology = DEFAULT_BASE + "ns/kg"
    count_query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def count(**graphs: list[str]) -> int:
        client = endpoint(live_server)
        client.setQuery(count_query)
        client.setReturnFormat(JSON)
        for uri in graphs.get("default", []):
            client.addDefaultGraph(uri)
        for uri in graphs.get("named", []):
            client.addNamedGraph(uri)
        return int(client.query().convert()["results"]["bindings"][0]["n"]["value"])

    dataset = count()
    in_ontology = count(default=[ontology])
    assert dataset > 0 and in_ontology > 0 and dataset != in_ontology
    assert count(default=[ontology, "http://example.org/no-such-graph"]) == in_ontology

    graphs_query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    client = endpoint(live_server)
    client.setQuery(graphs_query)
    client.setReturnFormat(JSON)
    client.addNamedGraph(ontology)
    assert [b["g"]["value"] for b in client.query().convert()["results"]["bindings"]] == [ontology]
    client = endpoint(live_server)
    client.setQuery(graphs_query)
    client.setReturnFormat(JSON)
    client.addNamedGraph("http://example.org/no-such-graph")
    assert client.query().convert()["results"]["bindings"] == []


def test_invalid_graph_iri_is_400(live_server) -> None:
    response = httpx.get(live_server.url + "sparql", params={"query": SELECT, "default-graph-uri": "not an iri"})
    assert response.status_code == 400


def test_head_and_result_limit_header(live_server) -> None:
    url = live_server.url + "sparql"
    head = httpx.head(url, params={"query": SELECT})
    assert head.status_code == 200 and head.content == b""
    response = httpx.get(url, params={"query": SELECT})
    assert response.headers["x-kg-result-limit"] == "10000"
    assert "x-kg-truncated" not in response.headers


def test_xml_results_are_well_formed_even_with_control_characters(live_server) -> None:
    query = 'SELECT ?x WHERE { BIND("a\\u0001b<&>" AS ?x) }'
    response = httpx.get(live_server.url + "sparql", params={"query": query, "format": "xml"})
    assert response.status_code == 200
    literal = ElementTree.fromstring(response.content).find(f".//{SRX}literal")
    assert literal is not None and literal.text == "a\ufffdb<&>"


def test_json_results_carry_language_and_datatype(live_server) -> None:
    query = 'SELECT ?a ?b ?c WHERE { BIND("x"@nl AS ?a) BIND(3 AS ?b) BIND("y" AS ?c) }'
    response = httpx.get(live_server.url + "sparql", params={"query": query, "format": "json"})
    binding = json.loads(response.content)["results"]["bindings"][0]
    assert binding["a"] == {"type": "literal", "value": "x", "xml:lang": "nl"}
    assert binding["b"] == {"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert binding["c"] == {"type": "literal", "value": "y"}
