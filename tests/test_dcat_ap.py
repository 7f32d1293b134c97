"""/.well-known/void as a DCAT-AP 3 dataset description: validated with pyshacl against the
official DCAT-AP 3.0.1 shapes shipped in ontology/vendor/dcat-ap-3.0.1/, with the publisher a
deployment names in its publisher file; and its VoID linksets counted as the store counts them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyshacl
import pytest
import rdflib

from kg.paths import ONTOLOGY_DIR, SEEDS_DIR
from tests.conftest import ROOT, LiveServer, start_server, stop_server

SHAPES = ONTOLOGY_DIR / "vendor" / "dcat-ap-3.0.1"
SAMPLES = (
    ROOT / "tests" / "documents" / "sample-print-nl-5-8902.txt",
    ROOT / "tests" / "documents" / "sample-bilingual-5-8916.txt",
)
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
PUBLISHER = """\
name = "Open Data Team, Example University"
homepage = "https://example.org/"
email = "opendata@example.org"
contact = "Open data helpdesk"
issued = 2026-01-15
"""


def documents(tmp: Path) -> Path:
    """The seeds with the Senate's two real print versions (tests/documents/SOURCES.md)."""
    folder = tmp / "documents"
    folder.mkdir()
    for path in [*SEEDS_DIR.glob("*.txt"), *SAMPLES]:
        shutil.copy2(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from kg.build.pipeline import build

    tmp = tmp_path_factory.mktemp("dcat-ap")
    out = tmp / "out"
    report = build([documents(tmp)], out)
    assert not report.failed, report.failed
    (tmp / "publisher.toml").write_text(PUBLISHER, encoding="utf-8")
    server = start_server(out, "--publisher", str(tmp / "publisher.toml"))
    yield server
    stop_server(server)


def void_graph(server: LiveServer) -> rdflib.Graph:
    response = httpx.get(server.url + ".well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    return rdflib.Graph().parse(data=response.text, format="turtle")


def shape_sets() -> list[rdflib.Graph]:
    """The two official sets: the shapes generated from the model (`dcat-ap-SHACL.ttl` with its
    class ranges, `ranges.ttl`) and the hand-written ones of the specification's pages
    (`shapes.ttl`, `range.ttl`). The generated set refers by `sh:property` to five property
    shapes the release never defines; pyshacl refuses to run on such a reference, and a shape
    that does not exist constrains nothing, so those references alone are dropped (in memory: the
    shipped files are the official bytes)."""
    sets = []
    for names in (("shacl/dcat-ap-SHACL.ttl", "shacl/ranges.ttl"), ("html/shacl/shapes.ttl", "html/shacl/range.ttl")):
        graph = rdflib.Graph()
        for name in names:
            graph.parse(SHAPES / name, format="turtle")
        for shape, reference in list(graph.subject_objects(SH.property)):
            if (reference, SH.path, None) not in graph:
                graph.remove((shape, SH.property, reference))
        sets.append(graph)
    return sets


def test_only_five_undefined_shape_references_are_dropped() -> None:
    graph = rdflib.Graph()
    for name in ("shacl/dcat-ap-SHACL.ttl", "shacl/ranges.ttl"):
        graph.parse(SHAPES / name, format="turtle")
    undefined = {ref for ref in graph.objects(None, SH.property) if (ref, SH.path, None) not in graph}
    assert len(undefined) == 5


def violations(data: rdflib.Graph) -> list[str]:
    found = []
    for shapes in shape_sets():
        _, report, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True)
        if (None, SH.resultSeverity, SH.Violation) in report:
            found.append(text)
    return found


def test_void_has_no_dcat_ap_violation(published) -> None:
    graph = void_graph(published)
    assert (None, rdflib.RDF.type, DCAT.Dataset) in graph
    assert violations(graph) == []


def test_dcat_ap_shapes_catch_a_broken_description(published) -> None:
    """The validation can fail: a distribution without its access URL, a publisher that is
    not an agent, are violations of the same shapes."""
    graph = void_graph(published)
    distribution = next(graph.subjects(rdflib.RDF.type, DCAT.Distribution))
    graph.remove((distribution, DCAT.accessURL, None))
    publisher = next(graph.objects(None, DCT.publisher))
    graph.remove((publisher, rdflib.RDF.type, FOAF.Agent))
    assert violations(graph) != []


def test_publisher_contact_issued_languages_from_the_publisher_file(published) -> None:
    graph = void_graph(published)
    dataset = rdflib.URIRef("http://localhost:8000/.well-known/void#dataset")
    publisher = graph.value(dataset, DCT.publisher)
    assert str(graph.value(publisher, FOAF.name)) == "Open Data Team, Example University"
    assert graph.value(publisher, FOAF.homepage) == rdflib.URIRef("https://example.org/")
    contact = graph.value(dataset, DCAT.contactPoint)
    assert (contact, rdflib.RDF.type, VCARD.Kind) in graph
    assert str(graph.value(contact, VCARD.fn)) == "Open data helpdesk"
    assert graph.value(contact, VCARD.hasEmail) == rdflib.URIRef("mailto:opendata@example.org")
    issued = graph.value(dataset, DCT.issued)
    assert issued is not None and str(issued) == "2026-01-15" and issued.datatype == rdflib.XSD.date
    assert set(graph.objects(dataset, DCT.language)) == {
        rdflib.URIRef(EU_LANGUAGE + "NLD"),
        rdflib.URIRef(EU_LANGUAGE + "FRA"),
    }
    assert graph.value(dataset, DCAT.theme) is not None
    assert graph.value(dataset, DCT.modified) is not None


def test_distributions_have_media_types_checksums_and_sizes(published) -> None:
    graph = void_graph(published)
    spdx = rdflib.Namespace("http://spdx.org/rdf/terms#")
    dumps = [d for d in graph.subjects(rdflib.RDF.type, DCAT.Distribution) if graph.value(d, DCAT.downloadURL)]
    assert dumps
    for dump in dumps:
        media = graph.value(dump, DCAT.mediaType)
        assert str(media).startswith("http://www.iana.org/assignments/media-types/")
        url = graph.value(dump, DCAT.downloadURL)
        body = httpx.get(str(url).replace("http://localhost:8000/", published.url)).content
        assert int(graph.value(dump, DCAT.byteSize)) == len(body)
        import hashlib

        checksum = graph.value(dump, spdx.checksum)
        assert str(graph.value(checksum, spdx.checksumValue)) == hashlib.sha256(body).hexdigest()


def links_in_store(server: LiveServer, predicate: str, space: str) -> int:
    query = f'SELECT (COUNT(*) AS ?n) {{ ?s <{predicate}> ?o FILTER(STRSTARTS(STR(?o), "{space}")) }}'
    response = httpx.get(
        server.url + "sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_linksets_count_the_links_in_the_store(published) -> None:
    graph = void_graph(published)
    found = {}
    for linkset in graph.subjects(rdflib.RDF.type, VOID.Linkset):
        targets = set(graph.objects(linkset, VOID.target))
        (other,) = targets - {rdflib.URIRef("http://localhost:8000/.well-known/void#dataset")}
        space = str(graph.value(other, VOID.uriSpace))
        predicate = str(graph.value(linkset, VOID.linkPredicate))
        found[space] = int(graph.value(linkset, VOID.triples))
        assert found[space] == links_in_store(published, predicate, space)
    owl_same_as = "http://www.w3.org/2002/07/owl#sameAs"
    assert found["http://www.wikidata.org/entity/"] == links_in_store(
        published, owl_same_as, "http://www.wikidata.org/entity/"
    )
    assert found["http://www.wikidata.org/entity/"] > 0
    assert found["http://eurovoc.europa.eu/"] == 5  # the seeds' five descriptors
    kbo = "https://org.belgif.be/id/CbeRegisteredEntity/"
    assert found.get(kbo, 0) == links_in_store(published, owl_same_as, kbo)


def test_a_bad_publisher_file_stops_serve_with_a_message(tmp_path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "publisher.toml"
    bad.write_text('name = "Someone"\nemail = "not an address"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "serve", "--data", str(tmp_path), "--publisher", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert f"{bad}: `email` must be an e-mail address" in result.stderr
    assert "Traceback" not in result.stderr


def test_publisher_toml_in_the_data_folder_is_read_without_the_option(seeds_out, tmp_path) -> None:
    from tests.conftest import copy_build

    data = copy_build(seeds_out, tmp_path / "data")
    (data / "publisher.toml").write_text('name = "Senate Data Desk"\nemail = "data@example.org"\n', encoding="utf-8")
    server = start_server(data)
    try:
        graph = void_graph(server)
    finally:
        stop_server(server)
    publisher = graph.value(rdflib.URIRef("http://localhost:8000/.well-known/void#dataset"), DCT.publisher)
    assert str(graph.value(publisher, FOAF.name)) == "Senate Data Desk"
    contact = graph.value(rdflib.URIRef("http://localhost:8000/.well-known/void#dataset"), DCAT.contactPoint)
    assert str(graph.value(contact, VCARD.fn)) == "Senate Data Desk"  # the publisher's name by default
    assert graph.value(rdflib.URIRef("http://localhost:8000/.well-known/void#dataset"), DCT.issued) is None
    assert violations(graph) == []


def test_without_a_publisher_the_description_names_none(live_server) -> None:
    graph = void_graph(live_server)
    dataset = rdflib.URIRef("http://localhost:8000/.well-known/void#dataset")
    assert graph.value(dataset, DCT.publisher) is None and graph.value(dataset, DCAT.contactPoint) is None
    assert violations(graph) == []
