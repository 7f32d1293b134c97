"""SPARQL servers as the store: configuration, the SPARQL text kg sends them, and, against a real
Oxigraph server and a real Virtuoso started here on free ports of 127.0.0.1, loading the seeds,
serving them through `kg serve --store`, atomic rebuilds, and a server going away and back."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import LiveServer, copy_build, free_port, start_server, stop_server

from kg.paths import QUERIES_DIR
from kg.rdf.vocab import prefixes
from kg.stores import open_store, publish
from kg.stores.config import parse_store
from kg.stores.embedded import EmbeddedStore
from kg.stores.errors import StoreError, StoreUnavailable
from kg.stores.remote import RemoteStore, bind_values, declare_prefixes, query_kind
from kg.stores.sources import Sources
from kg.uris import DEFAULT_BASE

QUESTION = DEFAULT_BASE + "id/question/5-8913"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
VIRTUOSO_PASSWORD = "dba"  # the password of a fresh Virtuoso database


# -- configuration and SPARQL text (no server needed) ----------------------------------------


def test_presets_name_each_servers_endpoints() -> None:
    assert parse_store(None) is None and parse_store("embedded") is None
    oxigraph = parse_store("oxigraph+http://127.0.0.1:7878/")
    assert oxigraph is not None
    assert (oxigraph.query_url, oxigraph.update_url, oxigraph.graph_store_url) == (
        "http://127.0.0.1:7878/query",
        "http://127.0.0.1:7878/update",
        "http://127.0.0.1:7878/store",
    )
    virtuoso = parse_store("virtuoso+http://db:8890", user="dba", password="secret")
    assert virtuoso is not None
    assert (virtuoso.query_url, virtuoso.update_url, virtuoso.graph_store_url) == (
        "http://db:8890/sparql",
        "http://db:8890/sparql-auth",
        "http://db:8890/sparql-graph-crud-auth",
    )
    assert "secret" not in repr(virtuoso)
    fuseki = parse_store("fuseki+http://h:3030/kg")
    assert fuseki is not None and fuseki.graph_store_url == "http://h:3030/kg/data"
    generic = parse_store("sparql+https://h/sparql", update_url="https://h/update")
    assert generic is not None
    assert (generic.query_url, generic.update_url, generic.graph_store_url) == (
        "https://h/sparql",
        "https://h/update",
        None,
    )


@pytest.mark.parametrize(
    "spec, message",
    [
        ("http://h/sparql", "KIND\\+URL"),
        ("mysql+http://h/", "KIND\\+URL"),
        ("sparql+ftp://h/", "not an http"),
        ("sparql+http://dba:dba@h/sparql", "not in the URL"),
    ],
)
def test_unusable_store_settings_are_clear_errors(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_store(spec)


def test_store_options_reach_the_configuration(tmp_path: Path) -> None:
    import argparse

    from kg.stores.config import add_store_arguments, config_from_args

    parser = argparse.ArgumentParser()
    add_store_arguments(parser)
    secret = tmp_path / "password"
    secret.write_text("from-file\n")
    args = parser.parse_args(
        ["--store", "virtuoso+http://h:8890", "--store-user", "dba", "--store-password-file", str(secret)]
    )
    config = config_from_args(args, environ={"KG_STORE_PASSWORD": "from-env"})
    assert config is not None and (config.user, config.password) == ("dba", "from-file")
    from_env = config_from_args(
        parser.parse_args([]),
        environ={"KG_STORE": "oxigraph+http://h:7878", "KG_STORE_USER": "u", "KG_STORE_PASSWORD": "p"},
    )
    assert from_env is not None and (from_env.query_url, from_env.user, from_env.password) == (
        "http://h:7878/query",
        "u",
        "p",
    )
    assert config_from_args(parser.parse_args([]), environ={}) is None


def test_prefixes_are_declared_only_where_used_and_not_declared() -> None:
    table = {"kg": "http://x/ns/kg#", "dct": "http://purl.org/dc/terms/"}
    text = declare_prefixes("PREFIX kg: <http://other/>\nSELECT * { ?s dct:title ?t ; kg:p ?o }", table)
    assert text.startswith("PREFIX dct: <http://purl.org/dc/terms/>\nPREFIX kg: <http://other/>")
    assert text.count("PREFIX") == 2
    assert declare_prefixes("SELECT * { ?s ?p ?o }", table) == "SELECT * { ?s ?p ?o }"


@pytest.fixture(scope="module")
def embedded(seeds_out: Path, tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return EmbeddedStore.open(copy_build(seeds_out, tmp_path_factory.mktemp("embedded")))


BOUND_QUERIES = [  # pyoxigraph binds only variables a SELECT projects
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
    "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "SELECT ?s ?p (COUNT(?o) AS ?n) WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } } GROUP BY ?s ?p ORDER BY ?p",
    'SELECT ?s ?o # a comment with { and WHERE\nWHERE { ?s ?p ?o FILTER(?o != "}{") }',
]


@pytest.mark.parametrize("query", BOUND_QUERIES)
def test_values_block_binds_like_substitution(embedded: EmbeddedStore, query: str) -> None:
    """What the remote store sends for pre-bound variables gives what pyoxigraph's own
    substitution gives, on the same data."""
    answers = []
    for iri in (QUESTION, QUESTION + "-missing"):
        bound = {ox.Variable("s"): ox.NamedNode(iri)}
        expected = _canon(embedded.query(query, substitutions=bound))
        assert _canon(embedded.query(bind_values(query, bound))) == expected
        answers.append(expected)
    assert answers[0] != answers[1]  # the bound value decides the answer


def test_values_of_every_kind_stay_data() -> None:
    hostile = ox.Literal('x" } ; DROP ALL ; SELECT * { "', language="en")
    text = bind_values("SELECT * WHERE { ?s ?p ?o }", {ox.Variable("o"): hostile})
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), hostile))
    assert [row["s"].value for row in store.query(text)] == ["http://a/s"]
    with pytest.raises(ValueError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {ox.Variable("s"): ox.BlankNode()})
    with pytest.raises(ValueError, match="CONSTRUCT WHERE"):
        bind_values("CONSTRUCT WHERE { ?s ?p ?o }", {ox.Variable("s"): ox.NamedNode(QUESTION)})


def test_query_kind_rejects_malformed_queries_like_the_embedded_store() -> None:
    assert [query_kind(q) for q in ("SELECT * {}", "ASK {}", "CONSTRUCT WHERE { ?s ?p ?o }")] == [
        "solutions",
        "boolean",
        "graph",
    ]
    with pytest.raises(SyntaxError):
        query_kind("SELECT * WHERE { ?s ?p }")


def _canon(results: object) -> list[tuple[str, ...]]:
    if isinstance(results, ox.QueryBoolean):
        return [(str(bool(results)),)]
    if isinstance(results, ox.QuerySolutions):
        variables = results.variables
        return sorted(tuple(str(row[v]) if row[v] is not None else "" for v in variables) for row in results)
    return sorted((str(t.subject), str(t.predicate), str(t.object)) for t in results)  # type: ignore[attr-defined]


def test_a_server_that_is_not_there_is_unavailable(seeds_out: Path) -> None:
    config = parse_store(f"oxigraph+http://127.0.0.1:{free_port()}")
    store = open_store(seeds_out, remote=config, timeout=2)
    with pytest.raises(StoreUnavailable):
        store.triple_count()


# -- real servers ----------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    spec: str
    url: str
    password: str | None
    process: subprocess.Popen[bytes]
    start: list[str]
    location: Path

    @property
    def config(self):  # type: ignore[no-untyped-def]
        return parse_store(self.spec, user="dba" if self.password else None, password=self.password)

    def env(self) -> dict[str, str]:
        return {"KG_STORE_USER": "dba", "KG_STORE_PASSWORD": self.password} if self.password else {}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def restart(self) -> None:
        self.process = _launch(self.start, self.location / "out.log")
        _wait_for(self.url, self.process)


def _launch(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as handle:
        return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def _wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{url}: no answer within {seconds:g} s")


def _oxigraph_binary() -> str | None:
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.is_file() else shutil.which("oxigraph")


def start_oxigraph(location: Path) -> Server:
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("Oxigraph server is not installed (pip install oxigraph, the `test` extra)")
    port = free_port()
    command = [binary, "serve", "--location", str(location / "db"), "--bind", f"127.0.0.1:{port}"]
    process = _launch(command, location / "out.log")
    url = f"http://127.0.0.1:{port}"
    _wait_for(url + "/query", process)
    return Server("oxigraph", f"oxigraph+{url}", url + "/query", None, process, command, location)


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
CheckpointInterval = 60
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxClientConnections = 10
EnabledGzipContent = 0
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


def start_virtuoso(location: Path) -> Server:
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.skip(
            "OpenLink Virtuoso is not installed (Debian package virtuoso-opensource; "
            "`python3 dev.py test` installs it as root)"
        )
    http_port = free_port()
    ini = location / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=location, sql_port=free_port(), http_port=http_port))
    command = [binary, "-c", str(ini), "+foreground"]
    process = _launch(command, location / "out.log")
    url = f"http://127.0.0.1:{http_port}"
    _wait_for(url + "/sparql", process)
    return Server("virtuoso", f"virtuoso+{url}", url + "/sparql", VIRTUOSO_PASSWORD, process, command, location)


STARTERS = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}


@dataclass
class Loaded:
    server: Server
    data: Path  # the build that was loaded
    kg: LiveServer  # `kg serve --store` over it


@pytest.fixture(scope="module", params=sorted(STARTERS))
def loaded(
    request: pytest.FixtureRequest, seeds_out: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loaded]:
    """A real SPARQL server with the seeds loaded by `kg build --store`, and `kg serve` over it."""
    server = STARTERS[request.param](tmp_path_factory.mktemp(request.param))
    try:
        data = copy_build(seeds_out, tmp_path_factory.mktemp(f"{request.param}-data"))
        command = [sys.executable, "-m", "kg.cli", "build", "--quiet", "--out", str(data), "--store", server.spec]
        built = subprocess.run(command, env={**os.environ, **server.env()}, capture_output=True, text=True, timeout=300)
        assert built.returncode == 0, built.stderr
        assert "loaded into" in built.stdout
        serve_dir = tmp_path_factory.mktemp(f"{request.param}-serve")
        shutil.copy2(data / "build.json", serve_dir / "build.json")  # the base URI, nothing to serve from
        kg = start_server(serve_dir, "--store", server.spec, "--query-timeout", "5", env=server.env())
        try:
            yield Loaded(server, data, kg)
        finally:
            stop_server(kg)
    finally:
        server.stop()


def _expected_triples(data: Path) -> int:
    return json.loads((data / "build.json").read_text())["triples"]


def test_build_loads_the_dataset_and_the_ontology(loaded: Loaded, embedded: EmbeddedStore) -> None:
    store = open_store(loaded.data, remote=loaded.server.config)
    assert store.triple_count() == _expected_triples(loaded.data) == embedded.triple_count()
    ontology = [embedded.ontology_graph]
    assert int(next(iter(store.query(COUNT, default_graph=ontology)))[0].value) == int(
        next(iter(embedded.query(COUNT, default_graph=ontology)))[0].value
    )
    owl_classes = "ASK { ?c a <http://www.w3.org/2002/07/owl#Class> }"
    assert not bool(store.query(owl_classes))  # the default graph is the dataset only
    assert bool(store.query(owl_classes, default_graph=ontology))
    question = ox.NamedNode(QUESTION)
    assert set(store.match(question)) == set(embedded.match(question))
    assert set(store.match(None, None, question)) == set(embedded.match(None, None, question))
    assert store.match(question)  # not two empty answers
    bound = {ox.Variable("s"): question}
    assert _canon(store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", substitutions=bound)) == _canon(
        embedded.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", substitutions=bound)
    )
    with pytest.raises(SyntaxError):
        store.query("SELECT * WHERE { ?s ?p }")


XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
# Where Virtuoso's answers differ from the standard's, and so from the embedded store's: it keeps
# booleans as 1 and 0, and GROUP_CONCAT drops the common language tag (and orders at will).
_CONCAT = re.compile(r"\(\s*GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*\)\s+AS\s+\?(\w+)\s*\)", re.I)
KNOWN_DIFFERENCES = {
    ("virtuoso", "answer-delay.rq"): "Virtuoso cannot subtract xsd:date values (the delay comes out as 0)",
    ("virtuoso", "question-addressees.rq"): "Virtuoso does not let a FILTER inside OPTIONAL see the "
    "variables bound outside it (SPARQL 1.1's LeftJoin does), so the holder comes out unbound",
}


def _value(term: dict[str, str] | None, concat: bool) -> str:
    """A result term by value: booleans in canonical form; a GROUP_CONCAT as its sorted parts."""
    if term is None or (concat and term.get("value") == ""):
        return "unbound"
    term = dict(term)
    if term.get("datatype") == XSD_BOOLEAN:
        term["value"] = {"1": "true", "0": "false"}.get(term["value"], term["value"])
    if concat:
        term.pop("xml:lang", None)
        term["value"] = ", ".join(sorted(term["value"].split(", ")))
    return json.dumps(term, sort_keys=True)


def _rows(response: httpx.Response, query: str) -> list[tuple[str, ...]]:
    assert response.status_code == 200, response.text
    body = response.json()
    variables = body["head"]["vars"]
    concatenated = set(_CONCAT.findall(query))
    rows = sorted(
        tuple(_value(row.get(v), v in concatenated) for v in variables) for row in body["results"]["bindings"]
    )
    return rows


XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGER_TYPES = {XSD + name for name in ("nonNegativeInteger", "positiveInteger", "long", "int", "short")}


def _canonical_triples(body: bytes) -> set[ox.Triple]:
    triples = set()
    for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
        obj = quad.object
        if isinstance(obj, ox.Literal) and obj.datatype.value == XSD_BOOLEAN:
            obj = ox.Literal({"1": "true", "0": "false"}.get(obj.value, obj.value), datatype=obj.datatype)
        elif isinstance(obj, ox.Literal) and obj.datatype.value in INTEGER_TYPES:
            # Virtuoso keeps the integer types derived from xsd:integer (oa:start's
            # xsd:nonNegativeInteger) as plain xsd:integer: the same value
            obj = ox.Literal(obj.value, datatype=ox.NamedNode(XSD + "integer"))
        triples.add(ox.Triple(quad.subject, quad.predicate, obj))
    return triples


@pytest.mark.parametrize("name", sorted(p.name for p in QUERIES_DIR.glob("*.rq")))
def test_example_queries_answer_as_on_the_embedded_store(loaded: Loaded, live_server: LiveServer, name: str) -> None:
    if (loaded.server.name, name) in KNOWN_DIFFERENCES:
        pytest.skip(KNOWN_DIFFERENCES[loaded.server.name, name])
    query = (QUERIES_DIR / name).read_text(encoding="utf-8")
    graph = query_kind(query, prefixes("https://w3id.org/written-questions/kg#")) == "graph"
    headers = {"Accept": "application/n-triples" if graph else "application/sparql-results+json"}
    remote = httpx.post(loaded.kg.url + "sparql", data={"query": query}, headers=headers, timeout=30)
    local = httpx.post(live_server.url + "sparql", data={"query": query}, headers=headers, timeout=30)
    if graph:
        assert remote.status_code == local.status_code == 200, remote.text
        assert _canonical_triples(remote.content) == _canonical_triples(local.content)
        assert remote.content.strip()
    else:
        assert _rows(remote, query) == _rows(local, query)


def test_resource_document_and_page(loaded: Loaded, live_server: LiveServer) -> None:
    path = "id/question/5-8913"
    remote = httpx.get(loaded.kg.url + path, headers={"Accept": "application/n-triples"}, follow_redirects=True)
    local = httpx.get(live_server.url + path, headers={"Accept": "application/n-triples"}, follow_redirects=True)
    assert remote.status_code == local.status_code == 200

    def about_things(body: bytes) -> set[ox.Quad]:  # the document's own metadata comes from the files
        return {t for t in _canonical_triples(body) if not t.subject.value.startswith(DEFAULT_BASE + "doc/")}

    triples = about_things(remote.content)
    assert triples == about_things(local.content) and len(triples) > 20
    page = httpx.get(loaded.kg.url + path, headers={"Accept": "text/html"}, follow_redirects=True)
    assert page.status_code == 200 and "5-8913" in page.text
    missing = httpx.get(loaded.kg.url + "id/question/0-0", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404


def test_sparql_errors_and_limits_through_the_server(loaded: Loaded) -> None:
    bad = httpx.get(
        loaded.kg.url + "sparql",
        params={"query": "SELECT * WHERE { ?s ?p }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert bad.status_code == 400
    ask = httpx.get(
        loaded.kg.url + "sparql",
        params={"query": f"ASK {{ <{QUESTION}> ?p ?o }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert ask.json()["boolean"] is True
    graph = httpx.get(
        loaded.kg.url + "sparql",
        params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/turtle"},
    )
    assert graph.status_code == 200
    assert len(list(ox.parse(graph.content, format=ox.RdfFormat.TURTLE))) == _expected_triples(loaded.data)


def _grown_copy(data: Path, target: Path, extra: int) -> Path:
    """A copy of the build with `extra` more triples: a second version of the dataset."""
    copy_build(data, target)
    with gzip.open(data / "graph.nt.gz", "rb") as handle:
        lines = [line for line in handle.read().splitlines() if line.strip()]
    lines += [
        f'<{DEFAULT_BASE}id/test/{i}> <http://purl.org/dc/terms/title> "extra {i}" .'.encode() for i in range(extra)
    ]
    with gzip.open(target / "graph.nt.gz", "wb") as handle:
        handle.write(b"\n".join(sorted(lines)) + b"\n")
    (target / "graph.ttl").unlink(missing_ok=True)
    return target


def test_rebuild_switches_readers_atomically(loaded: Loaded, tmp_path: Path) -> None:
    """A reader polling while a new version loads (in many small requests) sees the old count
    until the switch and the new one after it: never a part of a dataset."""
    old = _expected_triples(loaded.data)
    grown = _grown_copy(loaded.data, tmp_path / "grown", 20_000)
    new = old + 20_000
    seen: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()
    reader = open_store(loaded.data, remote=loaded.server.config)
    reader.pointer_ttl = 0  # look the pointer up on every query

    def poll() -> None:
        while not done.is_set():
            try:
                seen.append(int(next(iter(reader.query(COUNT)))[0].value))
            except BaseException as error:  # reported below
                errors.append(error)
                return

    writer = open_store(loaded.data, remote=loaded.server.config)
    thread = threading.Thread(target=poll)
    thread.start()
    try:
        writer.publish(Sources.find(grown), chunk_bytes=64 * 1024)  # ~30 load requests
        time.sleep(0.2)
    finally:
        done.set()
        thread.join()
    assert not errors
    assert set(seen) == {old, new}, sorted(set(seen))
    assert seen.count(old) >= 5  # the reader really was reading while the new version loaded
    assert seen.index(new) > 0 and all(count == new for count in seen[seen.index(new) :])
    # back to the seeds for the other tests, through the CLI's path, which also drops stale graphs
    publish(loaded.data, remote=loaded.server.config)
    assert writer.triple_count() == old
    kept = writer.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH <{writer.pointer_graph}> {{ ?g ?p ?o }} }}")
    assert len(list(kept)) <= 3  # the pointer itself, the current graph and the one before


def test_a_server_going_away_answers_503_and_recovers(loaded: Loaded) -> None:
    if loaded.server.name != "oxigraph":
        pytest.skip("restarting is exercised on the faster-starting server")
    url = loaded.kg.url + "sparql"
    params = {"query": COUNT}
    headers = {"Accept": "application/sparql-results+json"}
    assert httpx.get(url, params=params, headers=headers).status_code == 200
    loaded.server.stop()
    try:
        down = httpx.get(url, params=params, headers=headers, timeout=30)
        assert down.status_code == 503
        page = httpx.get(loaded.kg.url + "id/question/5-8913", headers={"Accept": "text/turtle"}, timeout=30)
        assert page.status_code == 503
        for accept in ("text/turtle", "text/html"):  # documents and pages, whose validators need the store
            document = httpx.get(loaded.kg.url + "doc/question/5-8914?page=1", headers={"Accept": accept}, timeout=30)
            assert document.status_code == 503 and "etag" not in document.headers
    finally:
        loaded.server.restart()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        back = httpx.get(url, params=params, headers=headers, timeout=30)
        if back.status_code == 200:
            break
        time.sleep(0.2)
    assert back.status_code == 200
    assert int(back.json()["results"]["bindings"][0]["n"]["value"]) == _expected_triples(loaded.data)


def test_build_refuses_a_fixed_graph_and_reports_a_missing_dataset(loaded: Loaded, tmp_path: Path) -> None:
    fixed = parse_store(
        loaded.server.spec,
        graph="http://example.org/g",
        user="dba" if loaded.server.password else None,
        password=loaded.server.password,
    )
    with pytest.raises(StoreError, match="--store-graph"):
        publish(loaded.data, remote=fixed)
    other_base = RemoteStore(loaded.server.config, base="http://example.org/other/")
    with pytest.raises(StoreError, match="no kg dataset"):
        other_base.triple_count()
