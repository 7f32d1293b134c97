"""Stored queries beyond kg's own engine: each `.rq` file, as written, on a real Oxigraph server
with no prefixes given; and the query API of `kg serve --store` over that server answering as the
embedded store does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from conftest import LiveServer, copy_build, start_server, stop_server
from test_store_remote import Server, start_oxigraph

from kg.paths import QUERIES_DIR
from kg.queries import load_catalog

QUERY_FILES = sorted(QUERIES_DIR.glob("*.rq"))
CATALOG = load_catalog()


@dataclass
class Remote:
    plain: Server  # the seeds loaded into its default graph, nothing else
    kg: LiveServer  # `kg serve --store` over a server `kg build --store` loaded


@pytest.fixture(scope="module")
def remote(seeds_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Remote]:
    plain_dir = tmp_path_factory.mktemp("oxigraph-plain")
    # Loaded with Oxigraph's own loader: what a user of the dump does, kg not involved.
    binary = Path(sys.executable).parent / "oxigraph"
    command = [str(binary) if binary.is_file() else shutil.which("oxigraph") or "oxigraph", "load"]
    loaded = subprocess.run(
        [*command, "--location", str(plain_dir / "db"), "--file", str(seeds_out / "graph.nt.gz")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if loaded.returncode != 0 and "No such file" in loaded.stderr:
        pytest.skip("Oxigraph server is not installed (pip install oxigraph, the `test` extra)")
    assert loaded.returncode == 0, loaded.stderr
    plain = start_oxigraph(plain_dir)
    served = start_oxigraph(tmp_path_factory.mktemp("oxigraph-kg"))
    try:
        data = copy_build(seeds_out, tmp_path_factory.mktemp("remote-data"))
        build = [sys.executable, "-m", "kg.cli", "build", "--quiet", "--out", str(data), "--store", served.spec]
        built = subprocess.run(build, env=dict(os.environ), capture_output=True, text=True, timeout=300)
        assert built.returncode == 0, built.stderr
        serve_dir = tmp_path_factory.mktemp("remote-serve")
        shutil.copy2(data / "build.json", serve_dir / "build.json")
        kg = start_server(serve_dir, "--store", served.spec, "--query-timeout", "5")
        try:
            yield Remote(plain, kg)
        finally:
            stop_server(kg)
    finally:
        served.stop()
        plain.stop()


def _canonical(results: dict[str, Any]) -> list[str]:
    rows = []
    for binding in results["results"]["bindings"]:
        row = {}
        for name, term in binding.items():
            value = term["value"]
            if term.get("datatype") in (
                "http://www.w3.org/2001/XMLSchema#decimal",
                "http://www.w3.org/2001/XMLSchema#double",
            ):
                value = float(value)
            elif isinstance(value, str) and ", " in value:  # GROUP_CONCAT has no defined order
                value = ", ".join(sorted(value.split(", ")))
            row[name] = (term["type"], value, term.get("xml:lang"))
        rows.append(json.dumps(row, sort_keys=True))
    return sorted(rows)


def _embedded(seeds_out: Path, text: str) -> Any:
    store = ox.Store()
    store.bulk_load(path=str(seeds_out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    return store.query(text)  # no prefixes given: the file declares its own


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_each_query_file_runs_as_written_on_an_oxigraph_server(remote: Remote, seeds_out: Path, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    construct = CATALOG[path.stem].kind == "graph"
    accept = "application/n-triples" if construct else "application/sparql-results+json"
    response = httpx.post(
        remote.plain.url,
        content=text.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": accept},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    expected = _embedded(seeds_out, text)
    if construct:
        got = {q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)}
        assert got == set(expected) and got
        return
    body = json.loads(expected.serialize(format=ox.QueryResultsFormat.JSON))
    assert _canonical(response.json()) == _canonical(body)


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_the_api_over_a_remote_store_answers_as_over_the_embedded_one(
    remote: Remote, live_server: LiveServer, name: str
) -> None:
    query = CATALOG[name]
    params = [(p.name, v) for p in query.header.params for v in p.example]
    if query.header.pages:
        params.append(("limit", "10000"))
    suffix = ".nt" if query.kind == "graph" else ".json"
    over_remote = httpx.get(remote.kg.url + f"api/{name}{suffix}", params=params, timeout=60)
    embedded = httpx.get(live_server.url + f"api/{name}{suffix}", params=params, timeout=60)
    assert over_remote.status_code == embedded.status_code == 200, over_remote.text
    if query.kind == "graph":
        parse = ox.RdfFormat.N_TRIPLES
        assert {q.triple for q in ox.parse(over_remote.content, format=parse)} == {
            q.triple for q in ox.parse(embedded.content, format=parse)
        }
    else:
        assert _rows(over_remote.json()) == _rows(embedded.json())


def _rows(rows: list[dict[str, Any]]) -> list[str]:
    """Rows compared whatever order GROUP_CONCAT joined their values in."""

    def cell(value: Any) -> Any:
        return ", ".join(sorted(value.split(", "))) if isinstance(value, str) else value

    return sorted(json.dumps({k: cell(v) for k, v in row.items()}, sort_keys=True) for row in rows)
