"""No public request reaches the network: federated queries (SERVICE) in every disguise are refused
with a 400 and nothing connects to a real listener standing in for an internal host, over the
embedded store and over a remote Oxigraph server; the query workers cannot open a connection even
when a query reaches them unchecked; one SPARQL reader decides updates, federation and volatile
functions; error messages never echo another server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import LiveServer, copy_build, start_server, stop_server
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import sparql_reader
from kg.sparql_reader import SparqlSyntaxError
from kg.stores.remote import bind_values
from kg.uris import DEFAULT_BASE


class Listener:
    """A real listening socket on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.socket.settimeout(0.1)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


def _escape(word: str, every: int = 1) -> str:
    return "".join(f"\\u{ord(c):04X}" if i % every == 0 else c for i, c in enumerate(word))


# Each template gets the listener's URL as {url}; each must be refused.
SERVICE_QUERIES = [
    # case
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
    "SeLeCt * WhErE {{ sErViCe <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ Service Silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    # whitespace and no whitespace
    "SELECT * WHERE {{ ?x ?y ?z . SERVICE<{url}>{{ ?s ?p ?o }} }}",
    "SELECT*{{SERVICE<{url}>{{?s ?p ?o}}}}",
    "SELECT * WHERE {{\tSERVICE\n<{url}>\r\n{{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p 1SERVICE<{url}>{{ ?a ?b ?c }} }}",
    # codepoint escapes
    "SELECT * WHERE {{ " + _escape("SERVICE") + " <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ " + _escape("service", 2) + " <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\U00000053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVIC\\u0045 <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE \\u003C{url}\\u003E {{ ?s ?p ?o }} }}",
    # strings with escaped quotes and backslashes before the call (the regular expressions' blind spots)
    "SELECT * {{ BIND('''a\\\\''' AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} BIND('''b''' AS ?y) }}",
    'SELECT * {{ BIND("""a\\\\""" AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} BIND("""b""" AS ?y) }}',
    "SELECT * {{ BIND('a\\\\' AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} BIND('b' AS ?y) }}",
    'SELECT * {{ BIND("a\\\\" AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} BIND("b" AS ?y) }}',
    "SELECT * {{ BIND('a\\'' AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}",
    'SELECT * {{ BIND("a\\"" AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}',
    "SELECT * {{ BIND('''it''s''' AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}",
    'SELECT * {{ BIND("""say ""x""" AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}',
    "SELECT * {{ BIND('''a\\\\\\\\''' AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}",
    'SELECT * {{ BIND("" AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} BIND("" AS ?y) }}',
    "SELECT * {{ BIND('''''' AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ BIND('x\\u005C\\u0027' AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}",
    'SELECT * {{ BIND("x"@en AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}',
    'SELECT * {{ BIND("1"^^<http://www.w3.org/2001/XMLSchema#integer> AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }}',
    # comments and # inside strings and IRIs
    "SELECT * WHERE {{ # a comment }}\n SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND('#' AS ?h) SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<http://x/#> AS ?h) SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ #\rSERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ # ' \n SERVICE <{url}> {{ ?s ?p ?o }} # ' \n }}",
    "SELECT * WHERE {{ BIND('\" #' AS ?h) SERVICE <{url}> {{ ?s ?p ?o }} }}",
    # prefixed names
    "PREFIX remote: <{url}> SELECT * WHERE {{ SERVICE remote: {{ ?s ?p ?o }} }}",
    "PREFIX r: <{url}#> SELECT * WHERE {{ SERVICE r:x {{ ?s ?p ?o }} }}",
    "PREFIX : <{url}#> SELECT * WHERE {{ SERVICE :x {{ ?s ?p ?o }} }}",
    "PREFIX : <{url}#> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
    "PREFIX ex: <{url}#> SELECT * WHERE {{ SERVICEex:s {{ ?s ?p ?o }} }}",
    "PREFIX service: <{url}#> SELECT * WHERE {{ ?s service:p ?o }}",
    # the service IRI bound by VALUES or BIND
    "SELECT * WHERE {{ VALUES ?u {{ <{url}> }} SERVICE ?u {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(IRI('{url}') AS ?u) SERVICE $u {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE ?u {{ ?s ?p ?o }} }} VALUES ?u {{ <{url}> }}",
    # in every group form
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?a ?b ?c MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ FILTER NOT EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ SERVICE <{url}> {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT (COUNT(*) AS ?n) WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} GROUP BY ?s",
    # every query form
    "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "ASK WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "DESCRIBE * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    # prologue
    "BASE <{url}> SELECT * WHERE {{ SERVICE <> {{ ?s ?p ?o }} }}",
    "BASE <http://127.0.0.1:{port}/> PREFIX x: <a#> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
    "PREFIX ex: <http://example.org/#SERVICE> SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
]


def _queries(listener: Listener) -> list[str]:
    return [template.format(url=listener.url, port=listener.port) for template in SERVICE_QUERIES]


def test_there_are_at_least_sixty_disguises() -> None:
    assert len(set(SERVICE_QUERIES)) >= 60


def test_the_reader_sees_every_disguise(listener: Listener) -> None:
    for query in _queries(listener):
        assert sparql_reader.read(query).uses_service, query


def _ask_all(base_url: str, queries: list[str]) -> list[httpx.Response]:
    """Each query sent the three ways of the protocol, in turn."""
    answers = []
    with httpx.Client(timeout=30) as client:
        for i, query in enumerate(queries):
            if i % 3 == 0:
                answers.append(client.get(base_url + "sparql", params={"query": query}))
            elif i % 3 == 1:
                answers.append(client.post(base_url + "sparql", data={"query": query}))
            else:
                answers.append(
                    client.post(
                        base_url + "sparql",
                        content=query.encode(),
                        headers={"Content-Type": "application/sparql-query"},
                    )
                )
    return answers


def test_service_queries_are_refused_by_the_embedded_store(live_server: LiveServer, listener: Listener) -> None:
    queries = _queries(listener)
    for query, answer in zip(queries, _ask_all(live_server.url, queries)):
        assert answer.status_code == 400, (query, answer.status_code, answer.text)
        assert "SERVICE" in answer.text, query
    page = httpx.get(live_server.url + "sparql", params={"query": queries[0]}, headers={"Accept": "text/html"})
    assert page.status_code == 400 and "SERVICE" in page.text
    assert listener.connections == 0


@pytest.fixture(scope="module")
def remote_oxigraph(seeds_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real Oxigraph server holding the seeds, and `kg serve --store` over it."""
    from test_store_remote import start_oxigraph

    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph-security"))
    try:
        data = copy_build(seeds_out, tmp_path_factory.mktemp("oxigraph-security-data"))
        built = subprocess.run(
            [sys.executable, "-m", "kg", "build", "--quiet", "--out", str(data), "--store", server.spec],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert built.returncode == 0, built.stderr
        serve_dir = tmp_path_factory.mktemp("oxigraph-security-serve")
        shutil.copy2(data / "build.json", serve_dir / "build.json")
        kg = start_server(serve_dir, "--store", server.spec)
        try:
            yield kg
        finally:
            stop_server(kg)
    finally:
        server.stop()


def test_service_queries_never_reach_a_remote_oxigraph(remote_oxigraph: LiveServer, listener: Listener) -> None:
    queries = _queries(listener)
    for query, answer in zip(queries, _ask_all(remote_oxigraph.url, queries)):
        assert answer.status_code == 400, (query, answer.status_code, answer.text)
        assert "SERVICE" in answer.text, query
    fine = httpx.get(
        remote_oxigraph.url + "sparql",
        params={"query": "ASK { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert fine.json()["boolean"] is True  # the server is there and answers other queries
    assert listener.connections == 0


# -- hypothesis: disguises made up, and the reader held to what the engine does --------------------

_GAPS = st.sampled_from([" ", "\n", "\t", "\r\n", " # note\n", "#'\n", ' #"""\n', "\n#\\\n"])
_NOISE = st.sampled_from(
    [
        "BIND('''a\\\\''' AS ?n1)",
        'BIND("""b\\\\""" AS ?n2)',
        "BIND('c\\'' AS ?n3)",
        'BIND("d\\"" AS ?n4)',
        "BIND(<http://x/#SERVICE> AS ?n5)",
        "?a <http://x/p> 'SERVICE' .",
        "FILTER(?q < 3 || ?q > 4)",
        'BIND("#" AS ?n6)',
        "OPTIONAL { ?a ?b ?c }",
        "BIND('''''' AS ?n7)",
        "VALUES ?v { 1 2 }",
    ]
)


def _disguised_keyword(draw: st.DrawFn) -> str:
    letters = []
    for letter in "SERVICE":
        letter = draw(st.sampled_from([letter, letter.lower()]))
        form = draw(st.sampled_from(["plain", "u", "U"]))
        letters.append(
            letter if form == "plain" else f"\\u{ord(letter):04x}" if form == "u" else f"\\U{ord(letter):08X}"
        )
    return "".join(letters)


@st.composite
def service_queries(draw: st.DrawFn, url: str) -> str:
    keyword = _disguised_keyword(draw)
    silent = draw(st.sampled_from(["", " SILENT", " silent"]))
    target = draw(st.sampled_from([f"<{url}>", "?u", "r:x"]))
    before = draw(st.lists(_NOISE, max_size=3))
    after = draw(st.lists(_NOISE, max_size=2))
    gap = draw(_GAPS)
    call = f"{keyword}{silent}{gap}{target}{gap}{{ ?s ?p ?o }}"
    for _ in range(draw(st.integers(0, 2))):
        wrapper = draw(
            st.sampled_from(
                [
                    "OPTIONAL {{ {} }}",
                    "{{ {} }} UNION {{ }}",
                    "GRAPH ?g {{ {} }}",
                    "MINUS {{ {} }}",
                    "{{ SELECT * WHERE {{ {} }} }}",
                ]
            )
        )
        call = wrapper.format(call)
    form = draw(st.sampled_from(["SELECT *", "ASK", "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s"]))
    body = gap.join([*before, f"BIND(<{url}> AS ?u)", call, *after])
    return f"PREFIX r: <{url}#>{gap}{form} WHERE {{{gap}{body}{gap}}}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_made_up_disguises_are_all_seen(data: st.DataObject, listener: Listener) -> None:
    query = data.draw(service_queries(listener.url))
    assert sparql_reader.read(query).uses_service, query


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_made_up_disguises_are_refused_by_the_server(
    data: st.DataObject, live_server: LiveServer, listener: Listener
) -> None:
    query = data.draw(service_queries(listener.url))
    answer = httpx.post(live_server.url + "sparql", data={"query": query}, timeout=30)
    assert answer.status_code == 400, (query, answer.text)
    assert listener.connections == 0


_PIECES = st.sampled_from(
    [
        "SERVICE",
        "service",
        "\\u0053ERVICE",
        "SERVICE:x",
        "<http://127.0.0.1:{port}/>",
        "{",
        "}",
        "'",
        '"',
        "'''",
        '"""',
        "\\\\",
        "\\'",
        '\\"',
        "#",
        "\n",
        " ",
        "?s",
        "?p",
        "?o",
        "r:x",
        "<x#SERVICE>",
        "SILENT",
        "1",
        ".",
        "(",
        ")",
        "BIND",
        "AS",
        "?u",
        "OPTIONAL",
        "GRAPH",
        "SELECT",
        "*",
        "WHERE",
        "VALUES",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(_PIECES, min_size=3, max_size=25))
def test_what_the_reader_lets_through_never_connects(pieces: list[str], listener: Listener) -> None:
    """The reader held to the engine: any text it reads as free of SERVICE, Oxigraph evaluates
    (here, in the test's own process, with its network) without opening a connection."""
    query = (
        f"PREFIX r: <http://127.0.0.1:{listener.port}/#> SELECT * WHERE {{ "
        + " ".join(piece.replace("{port}", str(listener.port)) for piece in pieces)
        + " }"
    )
    try:
        reading = sparql_reader.read(query)
    except SparqlSyntaxError:
        return  # refused whole
    if reading.uses_service:
        return
    before = listener.connections
    try:
        list(ox.Store().query(reading.text))
    except (SyntaxError, OSError, ValueError, RuntimeError):
        pass
    assert listener.connections == before, query


# -- the workers have no network, whatever reaches them ---------------------------------------------


def test_a_query_worker_cannot_connect_even_when_a_service_query_reaches_it(
    seeds_out: Path, listener: Listener
) -> None:
    """The check in front is bypassed on purpose: the job goes straight to the pool's worker,
    which evaluates it and fails, with nothing reaching the listener."""
    from kg.stores.embedded import EmbeddedStore
    from kg.web.settings import Settings
    from kg.web.sparql.pool import QueryPool
    from kg.web.sparql.worker import QueryJob

    store = EmbeddedStore.open(seeds_out)
    pool = QueryPool(store, Settings(data_dir=seeds_out, workers=1))
    try:
        outcome = pool.run(
            QueryJob(
                f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
                accept="application/sparql-results+json",
            )
        )
        assert outcome.status == 400
        assert "Permission denied" in (outcome.message or "")
        fine = pool.run(QueryJob("ASK { ?s ?p ?o }", accept="application/sparql-results+json"))
        assert fine.status == 200 and b"true" in fine.body
    finally:
        pool.close()
        store.close()
    assert listener.connections == 0


def test_without_the_filter_the_same_query_would_have_connected(listener: Listener) -> None:
    """The control of the test above: Oxigraph does open the connection when nothing stops it."""
    with pytest.raises(OSError):
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
    assert listener.connections >= 1


# -- one reader for updates, volatile functions and VALUES ------------------------------------------


@pytest.mark.parametrize(
    "update",
    [
        "\\u0049NSERT DATA { <http://x/a> <http://x/b> 'c' }",
        "PREFIX ex:\n# a comment between the name and its IRI\n<http://x/> INSERT DATA { ex:a ex:b 'c' }",
        "PREFIX ex: <http://x/> # INSERT in a comment\nDELETE WHERE { ex:a ?p ?o }",
        "BASE <http://x/>\n\\u0044ROP ALL",
    ],
)
def test_updates_sent_as_queries_are_refused_as_updates(live_server: LiveServer, update: str) -> None:
    """The old prologue pattern took these for (malformed) queries; they are updates."""
    reading = sparql_reader.read(update)
    assert reading.is_update
    answer = httpx.get(live_server.url + "sparql", params={"query": update})
    assert answer.status_code == 403 and "read-only" in answer.text


def test_update_with_service_or_load_is_refused_even_with_the_token(
    limited_server: LiveServer, listener: Listener
) -> None:
    from conftest import UPDATE_TOKEN

    auth = {"Authorization": f"Bearer {UPDATE_TOKEN}", "Content-Type": "application/sparql-update"}
    for update in (
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
        f"LOAD <{listener.url}>",
        f"\\u004COAD SILENT <{listener.url}> INTO GRAPH <http://x/g>",
    ):
        answer = httpx.post(limited_server.url + "sparql", content=update.encode(), headers=auth)
        assert answer.status_code == 400, answer.text
    assert listener.connections == 0


@pytest.mark.parametrize(
    "query, kept",
    [
        ("SELECT (\\u004EOW() AS ?t) WHERE {}", False),  # the old pattern missed the escaped NOW
        ("SELECT (\\u0052AND() AS ?r) WHERE {}", False),
        ("SELECT (BNODE() AS ?b) WHERE {}", False),
        ('SELECT ("NOW()" AS ?t) WHERE {}', True),  # the old pattern refused to keep a string
        ("PREFIX ex: <http://x/> SELECT ?o WHERE { ?s ex:rand ?o } LIMIT 1", True),
        ("SELECT ?x WHERE { BIND('uuid(' AS ?x) } # NOW()", True),
    ],
)
def test_only_volatile_function_calls_keep_answers_out_of_the_cache(
    live_server: LiveServer, query: str, kept: bool
) -> None:
    headers = {"Accept": "application/sparql-results+json"}
    first = httpx.get(live_server.url + "sparql", params={"query": query}, headers=headers)
    second = httpx.get(live_server.url + "sparql", params={"query": query}, headers=headers)
    assert first.status_code == second.status_code == 200, first.text
    assert second.headers["X-KG-Cache"] == ("hit" if kept else "miss")


def test_values_go_into_the_where_pattern_written_with_escapes() -> None:
    """The old scanner never saw an escaped WHERE and put the block in the template."""
    query = "CONSTRUCT { ?s ?p ?o } \\u0057HERE { ?s ?p ?o }"
    bound = bind_values(query, {ox.Variable("s"): ox.NamedNode(DEFAULT_BASE + "id/question/5-8913")})
    assert bound.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s)")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(DEFAULT_BASE + "id/question/5-8913"), ox.NamedNode("http://x/p"), ox.Literal("v")))
    assert len(list(store.query(bound))) == 1


def test_a_codepoint_escape_spelling_another_is_refused() -> None:
    with pytest.raises(SparqlSyntaxError, match="another codepoint escape"):
        sparql_reader.read("SELECT * WHERE { \\u005Cu0053ERVICE <http://x/> { } }")


def test_text_that_is_not_sparql_is_refused_with_its_place() -> None:
    with pytest.raises(SparqlSyntaxError, match="line 2, column 6"):
        sparql_reader.read("SELECT *\n{ ?s \\ ?o }")


# -- what another server said never reaches the client ------------------------------------------------

SECRET = "SECRET-FROM-THE-INTERNAL-SERVER /srv/internal/path"


class _ChattyServer:
    """A SPARQL server stand-in: it names a dataset graph and counts its triples, and answers
    every other query with an error whose body a client must never see."""

    def __init__(self, status: int) -> None:
        import http.server

        status_code = status

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                if "DESC(STR(%3Fg))" in body or "DESC%28STR%28%3Fg%29%29" in body:
                    payload = (
                        b'{"head":{"vars":["g"]},"results":{"bindings":[{"g":{"type":"uri",'
                        b'"value":"http://example.org/graph"}}]}}'
                    )
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                elif "COUNT" in body:  # what `kg serve` asks at start
                    payload = (
                        b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal",'
                        b'"value":"5","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}'
                    )
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                else:
                    payload = SECRET.encode()
                    self.send_response(status_code)
                    self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("status", [400, 500, 503])
def test_errors_never_echo_what_the_store_server_said(seeds_out: Path, tmp_path: Path, status: int) -> None:
    chatty = _ChattyServer(status)
    serve_dir = tmp_path / "serve"
    serve_dir.mkdir()
    shutil.copy2(seeds_out / "build.json", serve_dir / "build.json")
    kg = start_server(serve_dir, "--store", f"sparql+{chatty.url}")
    try:
        for accept in ("application/sparql-results+json", "text/html", "text/plain", "application/json"):
            answer = httpx.get(
                kg.url + "sparql",
                params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                headers={"Accept": accept},
                timeout=30,
            )
            assert 400 <= answer.status_code < 600 and answer.status_code != 500, answer.text
            assert "SECRET" not in answer.text and "/srv/" not in answer.text
            assert "Traceback" not in answer.text
        page = httpx.get(kg.url + "id/question/5-8913", headers={"Accept": "text/html"}, timeout=30)
        assert "SECRET" not in page.text and page.status_code != 500
    finally:
        stop_server(kg)
        chatty.close()


def test_a_store_server_that_is_gone_is_not_named(seeds_out: Path, tmp_path: Path) -> None:
    gone = Listener()
    url = gone.url
    gone.close()  # nothing listens there now
    serve_dir = tmp_path / "serve"
    serve_dir.mkdir()
    shutil.copy2(seeds_out / "build.json", serve_dir / "build.json")
    env = {**os.environ}
    kg = start_server(serve_dir, "--store", f"sparql+{url}", env=env)
    try:
        answer = httpx.get(kg.url + "sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=30)
        assert answer.status_code == 503
        assert "127.0.0.1" not in answer.text and str(gone.port) not in answer.text
    finally:
        stop_server(kg)


@pytest.mark.parametrize(
    "query",
    [
        'DEFINE get:soft "replace" SELECT * FROM <http://127.0.0.1:1/> WHERE { ?s ?p ?o }',
        "SELECT (bif:http_get('http://127.0.0.1:1/') AS ?x) WHERE {}",
        "PREFIX b: <bif:> SELECT (b:http_get('http://127.0.0.1:1/') AS ?x) WHERE {}",
        "SELECT (<sql:anything>() AS ?x) WHERE {}",
        "SELECT * WHERE { ?s ?p ?o } OPTION (QUIETCAST)",
    ],
)
def test_vendor_extensions_that_reach_out_are_refused(live_server: LiveServer, query: str) -> None:
    """Virtuoso fetches URLs for DEFINE get:soft and runs bif:/sql: functions: never forwarded."""
    with pytest.raises(SparqlSyntaxError):
        sparql_reader.read(query)
    answer = httpx.get(live_server.url + "sparql", params={"query": query})
    assert answer.status_code == 400, answer.text


def test_every_example_query_is_read() -> None:
    from kg.paths import QUERIES_DIR

    for path in sorted(QUERIES_DIR.glob("*.rq")):
        reading = sparql_reader.read(path.read_text())
        assert reading.form in sparql_reader.QUERY_FORMS and not reading.uses_service, path.name
