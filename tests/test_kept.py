"""What the server counts from the whole store (VoID statistics, class counts, list orders,
question facets) and the dumps' checksums are counted once per build: a server started again on
the same build reads them from the data folder (`kept/`); another build, another version of a
dump, an unreadable file or a store written through the update token has them counted again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx
import rdflib
from conftest import UPDATE_TOKEN, copy_build, start_server, stop_server

from kg.uris import DEFAULT_BASE

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DATASET = rdflib.URIRef(DEFAULT_BASE + ".well-known/void#dataset")
KEPT = "kept/void-statistics.json"
T = TypeVar("T")
STAND_IN = 987654321  # a count no store of the seeds has: seen only if read from the kept file


def _triples_of_dataset(url: str) -> int:
    response = httpx.get(url + ".well-known/void", headers={"Accept": "text/turtle"}, timeout=60)
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    return int(graph.value(DATASET, VOID.triples))


def _count_in_store(url: str) -> int:
    response = httpx.get(
        url + "sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def _asked_once(data: Path, ask: Callable[[str], T]) -> T:
    """What `ask(url)` gets from a server started on `data`, which is then stopped."""
    server = start_server(data)
    try:
        return ask(server.url)
    finally:
        stop_server(server)


def test_a_restart_on_the_same_build_reads_the_kept_statistics(seeds_out: Path, tmp_path: Path) -> None:
    data = copy_build(seeds_out, tmp_path / "data")
    counted = _asked_once(data, _triples_of_dataset)
    kept = json.loads((data / KEPT).read_text())
    assert kept["value"]["triples"] == counted and len(kept["key"]) == 64
    assert not [p.name for p in (data / "kept").iterdir() if p.name.endswith(".tmp")]  # written whole
    kept["value"]["triples"] = STAND_IN
    (data / KEPT).write_text(json.dumps(kept))
    assert _asked_once(data, _triples_of_dataset) == STAND_IN  # read back, not counted


def test_statistics_kept_for_another_build_are_counted_again(seeds_out: Path, tmp_path: Path) -> None:
    data = copy_build(seeds_out, tmp_path / "data")
    counted = _asked_once(data, _triples_of_dataset)
    kept = json.loads((data / KEPT).read_text())
    kept["value"]["triples"], kept["key"] = STAND_IN, "0" * 64  # what another build would have left
    (data / KEPT).write_text(json.dumps(kept))
    assert _asked_once(data, _triples_of_dataset) == counted
    assert json.loads((data / KEPT).read_text())["value"]["triples"] == counted  # and kept again


def test_an_unreadable_kept_file_is_counted_again(seeds_out: Path, tmp_path: Path) -> None:
    data = copy_build(seeds_out, tmp_path / "data")
    counted = _asked_once(data, _triples_of_dataset)
    (data / KEPT).write_text('{"key": ')
    assert _asked_once(data, _triples_of_dataset) == counted


def test_after_an_update_through_the_token_the_statistics_are_the_stores(seeds_out: Path, tmp_path: Path) -> None:
    data = copy_build(seeds_out, tmp_path / "data")
    _asked_once(data, _triples_of_dataset)
    kept = json.loads((data / KEPT).read_text())
    kept["value"]["triples"] = STAND_IN
    (data / KEPT).write_text(json.dumps(kept))
    server = start_server(data, env={"KG_UPDATE_TOKEN": UPDATE_TOKEN})
    try:
        assert _triples_of_dataset(server.url) == STAND_IN
        update = 'INSERT DATA { <http://example.org/x> <http://www.w3.org/2000/01/rdf-schema#comment> "added" }'
        response = httpx.post(
            server.url + "sparql",
            data={"update": update},
            headers={"Authorization": f"Bearer {UPDATE_TOKEN}"},
            timeout=60,
        )
        assert response.status_code in (200, 204), response.text
        assert _triples_of_dataset(server.url) == _count_in_store(server.url)
    finally:
        stop_server(server)


PAGES = (
    "?lang=nl",
    "list/questions?lang=fr",
    "list/questions?sort=label&lang=nl",
    "list/questions?year=2013&lang=en",
    "list/people?lang=nl",
)


def _pages(url: str) -> dict[str, str]:
    found = {}
    for path in PAGES:
        response = httpx.get(url + path, headers={"Accept": "text/html"}, timeout=60)
        assert response.status_code == 200, path
        found[path] = response.text
    assert "5-8913" in found["list/questions?lang=fr"]  # a seed question, listed
    return found


def test_the_home_page_and_lists_read_back_from_kept_data_are_the_same(seeds_out: Path, tmp_path: Path) -> None:
    data = copy_build(seeds_out, tmp_path / "data")
    counted = _asked_once(data, _pages)
    names = {p.name for p in (data / "kept").iterdir()}
    assert {"class-counts.json", "question-facets.json"} <= names
    assert any(name.startswith("class-data-") for name in names)
    assert _asked_once(data, _pages) == counted


def _dump_digests(url: str) -> dict[str, str]:
    response = httpx.get(url + "dumps/", headers={"Accept": "application/json"}, timeout=60)
    assert response.status_code == 200
    return {d["name"]: d["sha256"] for d in response.json()["dumps"]}


def test_dump_checksums_are_kept_per_file_and_read_again_when_the_file_changes(seeds_out: Path, tmp_path: Path) -> None:
    data = copy_build(seeds_out, tmp_path / "data")
    counted = _asked_once(data, _dump_digests)
    assert counted["graph.ttl"] == hashlib.sha256((data / "graph.ttl").read_bytes()).hexdigest()
    kept_file = data / "kept" / "dump-graph.ttl.json"
    kept = json.loads(kept_file.read_text())
    assert kept["value"] == counted["graph.ttl"]
    kept["value"] = "f" * 64  # a stand-in: seen only if the kept checksum is read back
    kept_file.write_text(json.dumps(kept))
    assert _asked_once(data, _dump_digests)["graph.ttl"] == "f" * 64
    (data / "graph.ttl").write_bytes((data / "graph.ttl").read_bytes() + b"\n")  # another version of the file
    again = _asked_once(data, _dump_digests)["graph.ttl"]
    assert again == hashlib.sha256((data / "graph.ttl").read_bytes()).hexdigest()
