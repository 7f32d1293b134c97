"""/.well-known/void: the dataset's VoID/DCAT description parses in every format and its counts
are the store's own, checked through the SPARQL endpoint."""

from __future__ import annotations

import hashlib

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.uris import DEFAULT_BASE

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
DATASET = rdflib.URIRef(DEFAULT_BASE + ".well-known/void#dataset")
KG = rdflib.Namespace("https://w3id.org/written-questions/kg#")


@pytest.fixture(scope="module")
def void(live_server) -> rdflib.Graph:
    response = httpx.get(live_server.url + ".well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=response.text, format="turtle")


def select(server, query: str) -> list[dict]:
    response = httpx.get(
        server.url + "sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def number(graph: rdflib.Graph, subject, predicate) -> int:
    value = graph.value(subject, predicate)
    assert value is not None, (subject, predicate)
    return int(value)


def test_dataset_is_void_and_dcat(void) -> None:
    assert (DATASET, rdflib.RDF.type, VOID.Dataset) in void
    assert (DATASET, rdflib.RDF.type, DCAT.Dataset) in void
    assert void.value(DATASET, DCT.title) is not None
    assert void.value(DATASET, DCT.description) is not None
    assert void.value(DATASET, DCT.license) == rdflib.URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
    assert str(void.value(DATASET, VOID.uriSpace)) == DEFAULT_BASE + "id/"
    assert void.value(DATASET, VOID.sparqlEndpoint) == rdflib.URIRef(DEFAULT_BASE + "sparql")


def test_counts_equal_the_store(void, live_server) -> None:
    triples = int(select(live_server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[0]["n"]["value"])
    assert number(void, DATASET, VOID.triples) == triples
    entities = select(
        live_server, f'SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{DEFAULT_BASE}id/")) }}'
    )
    assert number(void, DATASET, VOID.entities) == int(entities[0]["n"]["value"])
    subjects = select(live_server, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }")
    assert number(void, DATASET, VOID.distinctSubjects) == int(subjects[0]["n"]["value"])


def test_class_partitions_equal_the_store(void, live_server) -> None:
    expected = {
        r["c"]["value"]: int(r["n"]["value"])
        for r in select(live_server, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c } GROUP BY ?c")
    }
    found = {}
    for partition in void.objects(DATASET, VOID.classPartition):
        found[str(void.value(partition, VOID["class"]))] = number(void, partition, VOID.entities)
    assert found == expected
    assert found[str(KG.Question)] > 0
    assert number(void, DATASET, VOID.classes) == len(expected)


def test_property_partitions_add_up(void, live_server) -> None:
    expected = {
        r["p"]["value"]: int(r["n"]["value"])
        for r in select(live_server, "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p")
    }
    found = {
        str(void.value(p, VOID.property)): number(void, p, VOID.triples)
        for p in void.objects(DATASET, VOID.propertyPartition)
    }
    assert found == expected
    assert sum(found.values()) == number(void, DATASET, VOID.triples)


def test_example_resources_exist(void, live_server) -> None:
    examples = list(void.objects(DATASET, VOID.exampleResource))
    assert examples
    questions = [
        e
        for e in examples
        if (e, rdflib.RDF.type, KG.Question)
        in rdflib.Graph().parse(
            data=httpx.get(
                live_server.url + "sparql",
                params={"query": f"CONSTRUCT WHERE {{ <{e}> a ?t }}"},
                headers={"Accept": "text/turtle"},
            ).text,
            format="turtle",
        )
    ]
    assert questions, "a question is among the examples"
    agencies = select(
        live_server, f'SELECT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{DEFAULT_BASE}id/agency/")) }} LIMIT 1'
    )
    assert bool(agencies) == any(str(e).startswith(DEFAULT_BASE + "id/agency/") for e in examples)


def test_dumps_and_distributions(void, live_server) -> None:
    dumps = {
        rdflib.URIRef(d["url"]): d
        for d in httpx.get(live_server.url + "dumps/", headers={"Accept": "application/json"}).json()["dumps"]
    }
    assert set(void.objects(DATASET, VOID.dataDump)) == set(dumps)
    distributions = list(void.objects(DATASET, DCAT.distribution))
    downloads = {}
    for dist in distributions:
        url = void.value(dist, DCAT.downloadURL)
        if url is None:
            assert void.value(dist, DCAT.accessURL) == rdflib.URIRef(DEFAULT_BASE + "sparql")
            continue
        checksum = void.value(dist, SPDX.checksum)
        downloads[url] = (number(void, dist, DCAT.byteSize), str(void.value(checksum, SPDX.checksumValue)))
    assert set(downloads) == set(dumps)
    for url, (size, sha) in downloads.items():
        name = str(url).rsplit("/", 1)[1]
        content = (live_server.data_dir / name).read_bytes()
        assert (size, sha) == (len(content), hashlib.sha256(content).hexdigest())


@pytest.mark.parametrize(
    "accept,fmt",
    [
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_every_format_says_the_same(void, live_server, accept, fmt) -> None:
    response = httpx.get(live_server.url + ".well-known/void", headers={"Accept": accept})
    assert response.headers["content-type"].split(";")[0] == accept
    assert isomorphic(rdflib.Graph().parse(data=response.content, format=fmt), void)


def test_html_and_406(live_server) -> None:
    page = httpx.get(live_server.url + ".well-known/void", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "kg:Question" in page.text
    assert httpx.get(live_server.url + ".well-known/void", headers={"Accept": "image/png"}).status_code == 406
    assert httpx.get(live_server.url + ".well-known/void", params={"format": "bogus"}).status_code == 406


def test_default_accept_is_turtle(live_server) -> None:
    response = httpx.get(live_server.url + ".well-known/void", headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("text/turtle")
