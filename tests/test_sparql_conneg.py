"""Content negotiation, CORS and compression of /sparql, as real clients send them."""

from __future__ import annotations

import httpx
import pytest

from kg.uris import DEFAULT_BASE

QUESTION = DEFAULT_BASE + "id/question/5-8913"
SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 3"
ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = f"CONSTRUCT WHERE {{ <{QUESTION}> ?p ?o }}"

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
HTML = "text/html"
TURTLE = "text/turtle"
NT = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

# (query, Accept header, expected media type or None for 406)
TABLE = [
    (SELECT, JSON, JSON),
    (SELECT, "application/json", JSON),
    (SELECT, XML, XML),
    (SELECT, "application/xml", XML),
    (SELECT, CSV, CSV),
    (SELECT, TSV, TSV),
    (SELECT, "text/csv; charset=utf-8", CSV),
    (SELECT, f"{CSV};q=0.5, {XML};q=0.9", XML),
    (SELECT, f"{CSV};q=0.9, {XML};q=0.5", CSV),
    (SELECT, f"{TSV}, {CSV}", CSV),  # equal q: the server's order decides
    (SELECT, "*/*", JSON),
    (SELECT, "", JSON),
    (SELECT, "text/*", CSV),
    (SELECT, "application/*", JSON),
    (SELECT, "text/*;q=0.2, */*;q=0.1", CSV),
    (SELECT, BROWSER, HTML),
    (SELECT, "garbage, ;;;, /", JSON),
    (SELECT, "text/csv;q=banana", CSV),
    (SELECT, "image/png", None),
    (SELECT, f"{JSON};q=0", None),
    (SELECT, f"*/*, {JSON};q=0", XML),
    (SELECT, TURTLE, None),
    (ASK, CSV, CSV),
    (ASK, "*/*", JSON),
    (ASK, TURTLE, None),
    (CONSTRUCT, TURTLE, TURTLE),
    (CONSTRUCT, "application/x-turtle", TURTLE),
    (CONSTRUCT, "text/n3", TURTLE),
    (CONSTRUCT, NT, NT),
    (CONSTRUCT, JSONLD, JSONLD),
    (CONSTRUCT, "application/json", JSONLD),
    (CONSTRUCT, RDFXML, RDFXML),
    (CONSTRUCT, "application/xml", RDFXML),
    (CONSTRUCT, "*/*", TURTLE),
    (CONSTRUCT, "", TURTLE),
    (CONSTRUCT, f"{TURTLE};q=0.1, {JSONLD};q=0.8", JSONLD),
    (CONSTRUCT, BROWSER, HTML),
    (CONSTRUCT, JSON, None),
    (CONSTRUCT, CSV, None),
]


@pytest.mark.parametrize("query,accept,expected", TABLE)
def test_accept_header(live_server, query, accept, expected) -> None:
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(live_server.url + "sparql", params={"query": query}, headers=headers)
    if expected is None:
        assert response.status_code == 406, response.text
        assert "available" in response.text
        assert "format=" in response.text  # says how to ask for each
    else:
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == expected
        assert "accept" in response.headers["vary"].lower()


# (query, format parameter(s), expected media type or None)
FORMAT_TABLE = [
    (SELECT, ["json"], JSON),
    (SELECT, ["xml"], XML),
    (SELECT, ["csv"], CSV),
    (SELECT, ["tsv"], TSV),
    (SELECT, ["html"], HTML),
    (SELECT, ["tsv", TSV], TSV),  # what SPARQLWrapper sends
    (SELECT, [CSV], CSV),
    (SELECT, ["turtle"], None),
    (SELECT, ["nonsense"], None),
    (CONSTRUCT, ["turtle"], TURTLE),
    (CONSTRUCT, ["ttl"], TURTLE),
    (CONSTRUCT, ["ntriples"], NT),
    (CONSTRUCT, ["nt"], NT),
    (CONSTRUCT, ["jsonld"], JSONLD),
    (CONSTRUCT, ["json-ld", JSONLD], JSONLD),
    (CONSTRUCT, ["rdfxml"], RDFXML),
    (CONSTRUCT, ["xml"], RDFXML),
    (CONSTRUCT, ["csv"], None),
]


@pytest.mark.parametrize("query,formats,expected", FORMAT_TABLE)
def test_format_parameter_wins_over_accept(live_server, query, formats, expected) -> None:
    params = [("query", query)] + [("format", f) for f in formats]
    response = httpx.get(live_server.url + "sparql", params=params, headers={"Accept": "image/png"})
    if expected is None:
        assert response.status_code == 406
    else:
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == expected


@pytest.mark.parametrize("format_name", ["json", "xml", "csv", "tsv", "html"])
def test_gzip_for_solution_formats(live_server, format_name) -> None:
    check_gzip(live_server, "SELECT * WHERE { ?s ?p ?o } LIMIT 200", format_name)


@pytest.mark.parametrize("format_name", ["turtle", "ntriples", "jsonld", "rdfxml", "html"])
def test_gzip_for_graph_formats(live_server, format_name) -> None:
    check_gzip(live_server, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 200", format_name)


def check_gzip(server, query: str, format_name: str) -> None:
    url = server.url + "sparql"
    params = {"query": query, "format": format_name}
    with httpx.Client() as client:
        raw = client.get(url, params=params, headers={"Accept-Encoding": "gzip"})
        plain = client.get(url, params=params, headers={"Accept-Encoding": "identity"})
    assert raw.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert raw.content == plain.content  # httpx decoded the gzip body: same answer
    compressed = httpx.get(url, params=params, headers={"Accept-Encoding": "gzip"})
    assert compressed.num_bytes_downloaded < len(plain.content)


def test_cors_preflight(live_server) -> None:
    response = httpx.options(
        live_server.url + "sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, accept",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_cors_on_answers(live_server, method) -> None:
    url = live_server.url + "sparql"
    headers = {"Origin": "https://example.org"}
    if method == "GET":
        response = httpx.get(url, params={"query": ASK}, headers=headers)
    else:
        response = httpx.post(url, data={"query": ASK}, headers=headers)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "x-kg-result-limit" in response.headers["access-control-expose-headers"].lower()


def test_errors_are_cors_readable_too(live_server) -> None:
    response = httpx.get(
        live_server.url + "sparql", params={"query": "SELECT"}, headers={"Origin": "https://example.org"}
    )
    assert response.status_code == 400
    assert response.headers["access-control-allow-origin"] == "*"


def test_plain_options_lists_the_methods(live_server) -> None:
    response = httpx.options(live_server.url + "sparql")
    assert response.status_code == 204
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST", "OPTIONS"}
