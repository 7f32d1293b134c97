"""A SPARQL 1.1 server as kg's store: queries over the SPARQL 1.1 Protocol, loading over the
Graph Store Protocol (or SPARQL Update where a server has no graph store).

Layout in the server, for base `B`:
- each build loads the dataset into a graph of its own, `B ns/kg/dataset/{time}`;
- the pointer graph `B ns/kg/dataset` says which one is current (`<B ns/kg/dataset>
  store:current <graph>`) and records every loaded graph, so a later build can drop stale ones;
- the ontology is in `B ns/kg`, as in the embedded store.

Readers look the pointer up (cached for a second) and query with `default-graph-uri` set to the
current graph and `named-graph-uri` to the ontology: the dataset they see is the embedded store's.
A rebuild loads a new graph while readers keep using the old one, then changes the pointer in one
single-operation update, so readers see the old dataset or the new one and never half of one,
on any server. The previous graph is dropped by the build after next, so a reader that looked the
pointer up just before a switch still finds its graph.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from kg import sparql_reader
from kg.sparql_reader import Reading
from kg.stores.config import PASSWORD_ENV, RemoteConfig
from kg.stores.errors import StoreError, StoreRejected, StoreTimeout, StoreUnavailable
from kg.stores.prepared import LoadedGraph
from kg.stores.sources import Sources

log = logging.getLogger(__name__)

POINTER_TTL = 1.0  # seconds a looked-up current graph is reused before asking again
CHUNK_BYTES = 4 << 20  # N-Triples sent per load request
STORE_NS = "ns/kg/store#"  # (under the base) the pointer graph's own terms

SOLUTION_TYPES = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPH_TYPES = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


# -- configuration ---------------------------------------------------------------------------


class _ChallengeAuth(httpx.Auth):
    """Answer the server's challenge with the scheme it asks for: Virtuoso wants digest, most
    servers behind a proxy basic. Nothing is sent before the server asks."""

    def __init__(self, user: str, password: str):
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        response = yield request
        challenge = response.headers.get("www-authenticate", "").lower()
        if response.status_code != 401:
            return
        if challenge.startswith("digest"):
            self._scheme = "digest"
            yield from self._digest.auth_flow(request)
        elif challenge.startswith("basic"):
            self._scheme = "basic"
            yield from self._basic.auth_flow(request)


# -- SPARQL text -----------------------------------------------------------------------------


def declare_prefixes(query: str | Reading, table: Mapping[str, str]) -> str:
    """The query's text with PREFIX declarations for the names in `table` it uses without
    declaring: what pyoxigraph's `prefixes` option does, for a server that has no such option."""
    reading = query if isinstance(query, Reading) else sparql_reader.read(query)
    missing = reading.used_prefixes - reading.declared_prefixes
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in sorted(table.items()) if name in missing]
    return "\n".join([*lines, reading.text]) if lines else reading.text


def _term_text(term: Any) -> str:
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term)  # N-Triples syntax, escaped by pyoxigraph: valid SPARQL
    raise ValueError(f"a remote store cannot bind {type(term).__name__} values")


def bind_values(query: str, substitutions: Mapping[ox.Variable, Any]) -> str:
    """`query` with its variables bound to the given terms by a VALUES block at the start of the
    WHERE pattern: how pre-bound variables reach a server, without pasting them into the query
    text as code (each term is written in its escaped N-Triples form)."""
    if not substitutions:
        return query
    names = " ".join(f"?{variable.value}" for variable in substitutions)
    values = " ".join(_term_text(term) for term in substitutions.values())
    reading = sparql_reader.read(query)
    at = reading.where_brace()
    return f"{reading.text[:at]} VALUES ({names}) {{ ({values}) }} {reading.text[at:]}"


# -- HTTP ------------------------------------------------------------------------------------


class _ResponseReader(io.RawIOBase):
    """A streamed HTTP body as a file, for pyoxigraph's streaming parsers; stops at `deadline`."""

    def __init__(self, response: httpx.Response, deadline: float | None):
        self._chunks = response.iter_bytes()
        self._pending = b""
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            if self._deadline is not None and time.monotonic() > self._deadline:
                raise StoreTimeout("the SPARQL server took too long to send the results")
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
            except httpx.TimeoutException as error:
                raise StoreTimeout(f"the SPARQL server stopped sending results ({error})") from error
            except httpx.TransportError as error:
                raise StoreUnavailable(f"the SPARQL server connection broke ({error})") from error
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _media(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class RemoteResults:
    """A query's answer as pyoxigraph terms: `results` is a QuerySolutions, a QueryBoolean or an
    iterator of Triples; `close()` ends the HTTP response once done with it."""

    kind: str  # "solutions", "boolean" or "graph"
    results: Any
    response: httpx.Response | None = None

    def close(self) -> None:
        if self.response is not None:
            self.response.close()


def query_kind(query: str | Reading, prefixes: Mapping[str, str] | None = None) -> str:
    """ "solutions", "boolean" or "graph", from the query's form as `kg.sparql_reader` reads it.
    A malformed query raises the SyntaxError the embedded store would: pyoxigraph parses it
    (evaluation is lazy and never started here; an ASK, which it would evaluate, is left for
    the server to judge), so no query text is ever evaluated in this process."""
    reading = query if isinstance(query, Reading) else sparql_reader.read(query)
    form = reading.form
    if form is None or form not in sparql_reader.QUERY_FORMS:
        raise SyntaxError("expected a query (SELECT, CONSTRUCT, DESCRIBE or ASK)")
    if form == "ASK":
        return "boolean"
    if reading.uses_service:
        raise SyntaxError("federated queries (SERVICE) are not sent to the SPARQL server")
    ox.Store().query(reading.text, prefixes=dict(prefixes) if prefixes else None)
    return "graph" if form in ("CONSTRUCT", "DESCRIBE") else "solutions"


def _graph_iri(value: str | ox.NamedNode | ox.DefaultGraph) -> str | None:
    if isinstance(value, ox.DefaultGraph):
        return None
    return value.value if isinstance(value, ox.NamedNode) else str(ox.NamedNode(value))[1:-1]


class RemoteStore:
    """The Store interface over a SPARQL 1.1 server. Thread-safe: one HTTP client, pooled."""

    db_path: None = None  # nothing on disk for query workers to open: the server evaluates queries
    sources: None = None
    answers_stable: bool = False  # others may write to the server
    round_trips: bool = True

    def __init__(self, config: RemoteConfig, *, base: str, timeout: float = 30.0, pointer_ttl: float = POINTER_TTL):
        from kg.rdf.vocab import prefixes

        self.config = config
        self.base = base
        self.ontology_graph = base + "ns/kg"
        self.prefixes: dict[str, str] = prefixes(self.ontology_graph + "#")
        self.pointer_graph = base + "ns/kg/dataset"
        self._current = ox.NamedNode(base + STORE_NS + "current")
        self._started = ox.NamedNode(base + STORE_NS + "started")
        self.timeout = timeout
        self.pointer_ttl = pointer_ttl
        auth = _ChallengeAuth(config.user, config.password or "") if config.user else None
        self._client = httpx.Client(
            auth=auth,
            follow_redirects=False,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
            headers={"User-Agent": "kg"},
        )
        self._lock = threading.Lock()
        self._pointer: tuple[float, str | None] | None = None
        self._counts: dict[str | None, int] = {}
        # Writes through this process. Others may write to the server unseen, and a write made
        # before this process started is not known: the start counts as a change.
        self._started_at = time.time()
        self._written = 0
        self._written_at = 0.0

    def close(self) -> None:
        self._client.close()

    # -- the dataset readers see ---------------------------------------------------------------

    def data_graph(self) -> str | None:
        """The graph holding the dataset now (None: the server's default graph)."""
        if self.config.graph is not None:
            return None if self.config.graph == "default" else self.config.graph
        now = time.monotonic()
        with self._lock:
            if self._pointer is not None and now - self._pointer[0] < self.pointer_ttl:
                return self._pointer[1]
        sparql = (
            f"SELECT ?g WHERE {{ GRAPH <{self.pointer_graph}> {{ <{self.pointer_graph}> {self._current} ?g }} }} "
            "ORDER BY DESC(STR(?g)) LIMIT 1"
        )  # graph names grow with time: the latest wins
        rows = list(self._fetch(sparql, "solutions", dataset=False).results)
        if not rows:
            raise StoreError(
                f"{self.config.query_url} holds no kg dataset for base {self.base} yet: "
                f"load one with `kg build --store {self.config.kind}+...`"
            )
        graph = rows[0][0].value
        with self._lock:
            self._pointer = (now, graph)
        return graph

    @property
    def generation(self) -> str:
        """Changes when a rebuild switches readers to a new graph."""
        return self.data_graph() or ""

    @property
    def version(self) -> str:
        """The graph readers see, the writes through this process, and when it started."""
        return f"{self.generation}|{self._written}|{self._started_at!r}"

    def loaded_graph(self) -> LoadedGraph | None:
        """Never a local file: the server's current graph may have been loaded by another build
        than the one whose files are in the data folder, so descriptions are asked of it."""
        return None

    @property
    def modified(self) -> float:
        """The latest of this process's start, its last write, and the load of the graph readers
        see (its name holds the time `publish` started it)."""
        times = [self._started_at, self._written_at]
        stamp = self.generation.rpartition("/")[2]
        try:
            times.append(datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC).timestamp())
        except ValueError:
            pass  # a graph kg did not load (--store-graph, the default graph)
        return max(times)

    def _dataset(self, default_graph: list[Any] | None, named_graphs: list[Any] | None) -> list[tuple[str, str]]:
        """The protocol's dataset parameters making the server's dataset look like the embedded
        store's: the current graph as default graph and the ontology as the only named graph."""
        if self.config.graph == "default" and default_graph is None and named_graphs is None:
            return []
        current = self.data_graph()
        defaults = [current] if default_graph is None else [_graph_iri(g) or current for g in default_graph]
        named = [self.ontology_graph] if named_graphs is None else [_graph_iri(g) for g in named_graphs]
        params = [("default-graph-uri", g) for g in defaults if g is not None]
        params += [("named-graph-uri", g) for g in named if g is not None]
        return params

    # -- HTTP round trips ----------------------------------------------------------------------

    def _send(
        self,
        url: str,
        *,
        data: Any = None,
        content: bytes | None = None,
        params: Any = None,
        headers: dict[str, str] | None = None,
        method: str = "POST",
        stream: bool = False,
        timeout: float | None = None,
    ) -> httpx.Response:
        """One request; connection failures and overload become StoreUnavailable, refusals
        StoreError, and a 400 a SyntaxError carrying the server's message."""
        if data is not None:  # form-encoded by hand: parameters may repeat (several graph IRIs)
            pairs = list(data.items()) if isinstance(data, dict) else list(data)
            content = urlencode(pairs).encode("ascii")
            headers = {**(headers or {}), "Content-Type": "application/x-www-form-urlencoded"}
        request = self._client.build_request(
            method,
            url,
            content=content,
            params=params,
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)) if timeout else httpx.USE_CLIENT_DEFAULT,
        )
        try:
            response = self._client.send(request, stream=True)
        except httpx.TimeoutException as error:
            raise StoreTimeout(f"the SPARQL server at {url} did not answer in time ({type(error).__name__})") from error
        except httpx.TransportError as error:
            raise StoreUnavailable(f"the SPARQL server at {url} does not answer ({error})") from error
        if response.status_code < 300:
            if not stream:
                self._read(response)
            return response
        try:
            detail = self._read(response).decode("utf-8", "replace").strip()[:1000]
        finally:
            response.close()
        status = response.status_code
        # What the server said goes to the operator's log, never into a message a client sees.
        log.warning("the SPARQL server at %s answered %d: %s", url, status, detail)
        if status in (400, 422):
            raise StoreRejected(f"the SPARQL server rejected the request as malformed (HTTP {status})")
        if status in (401, 403):
            raise StoreError(f"the SPARQL server refused access ({status}): check --store-user and {PASSWORD_ENV}")
        if status in (408, 429, 502, 503, 504):
            raise StoreUnavailable(f"the SPARQL server is unavailable (HTTP {status})")
        raise StoreError(f"the SPARQL server answered HTTP {status}")

    @staticmethod
    def _read(response: httpx.Response) -> bytes:
        try:
            return response.read()
        except httpx.TimeoutException as error:
            raise StoreTimeout(f"the SPARQL server took too long to answer ({error})") from error
        except httpx.TransportError as error:
            raise StoreUnavailable(f"the SPARQL server connection broke ({error})") from error

    def _fetch(
        self,
        sparql: str,
        kind: str,
        *,
        dataset: bool = True,
        default_graph: list[Any] | None = None,
        named_graphs: list[Any] | None = None,
        stream: bool = False,
        timeout: float | None = None,
    ) -> RemoteResults:
        data = [("query", sparql)]
        if dataset:
            data += self._dataset(default_graph, named_graphs)
        accept = GRAPH_TYPES if kind == "graph" else SOLUTION_TYPES
        deadline = time.monotonic() + timeout if timeout else None
        response = self._send(
            self.config.query_url, data=data, headers={"Accept": accept}, stream=stream, timeout=timeout
        )
        try:
            body: Any = _ResponseReader(response, deadline) if stream else response.content
            media = _media(response)
            if kind == "graph":
                if media not in _GRAPH_FORMATS:
                    raise StoreError(f"the SPARQL server sent {media or 'no media type'} for a graph")
                quads = ox.parse(body, format=_GRAPH_FORMATS[media])
                results: Any = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
            else:
                if media not in _RESULT_FORMATS:
                    raise StoreError(f"the SPARQL server sent {media or 'no media type'} for query results")
                results = ox.parse_query_results(body, format=_RESULT_FORMATS[media])
                if kind == "boolean" and not isinstance(results, ox.QueryBoolean):
                    raise StoreError("the SPARQL server answered an ASK query with solutions")
                if kind == "solutions" and isinstance(results, ox.QueryBoolean):
                    raise StoreError("the SPARQL server answered a SELECT query with a boolean")
        except BaseException:
            response.close()
            raise
        return RemoteResults(kind, results, response if stream else None)

    # -- the Store interface -------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[ox.Variable, Any] | None = None,
        default_graph: list[Any] | None = None,
        named_graphs: list[Any] | None = None,
    ) -> Any:
        """As `Store.query`: QuerySolutions, a QueryBoolean, or (for CONSTRUCT and DESCRIBE) a
        list of Triples. Raises SyntaxError for a malformed query, StoreUnavailable when the
        server does not answer."""
        reading = sparql_reader.read(sparql)
        kind = query_kind(reading, self.prefixes)
        text = bind_values(declare_prefixes(reading, self.prefixes), substitutions or {})
        results = self._fetch(text, kind, default_graph=default_graph, named_graphs=named_graphs).results
        return list(results) if kind == "graph" else results

    def open_query(
        self,
        sparql: str,
        *,
        prefixes: Mapping[str, str] | None = None,
        default_graph: list[Any] | None = None,
        named_graphs: list[Any] | None = None,
        timeout: float | None = None,
    ) -> RemoteResults:
        """A public query, streamed: the caller reads what it needs and closes. `timeout` bounds
        the whole exchange."""
        table = {**self.prefixes, **(prefixes or {})}
        reading = sparql_reader.read(sparql)
        if reading.uses_service:  # the server may well execute it: it never receives one
            raise SyntaxError("federated queries (SERVICE) are not sent to the SPARQL server")
        kind = query_kind(reading, table)
        return self._fetch(
            declare_prefixes(reading, table),
            kind,
            default_graph=default_graph,
            named_graphs=named_graphs,
            stream=True,
            timeout=timeout,
        )

    def match(
        self,
        subject: Any = None,
        predicate: Any = None,
        object: Any = None,
        *,
        graph: str | ox.NamedNode | ox.DefaultGraph | None = None,
    ) -> list[ox.Triple]:
        """As `Store.match`, with one CONSTRUCT."""
        s, p, o = ox.Variable("s"), ox.Variable("p"), ox.Variable("o")
        bound = {v: t for v, t in ((s, subject), (p, predicate), (o, object)) if t is not None}
        sparql = bind_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", bound)
        graphs = None if graph is None else [graph]
        return list(self._fetch(sparql, "graph", default_graph=graphs).results)

    def triple_count(self) -> int:
        """Triples in the current dataset graph, counted once per graph."""
        graph = self.data_graph()
        if graph not in self._counts:
            rows = self._fetch("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "solutions").results
            self._counts[graph] = int(next(iter(rows))[0].value)
        return self._counts[graph]

    def update(self, sparql: str) -> None:
        """Send a SPARQL update to the server as written: it addresses the server's own graphs
        (the dataset is in the graph `data_graph()` names). Raises SyntaxError when rejected."""
        with self._lock:
            self._written += 1
            self._written_at = max(time.time(), self._written_at + 1)
        self._send(self.config.update_url, data={"update": sparql}, timeout=self.config.load_timeout)
        self._counts.clear()

    # -- loading -------------------------------------------------------------------------------

    def publish(
        self, sources: Sources, *, progress: Callable[[str], None] | None = None, chunk_bytes: int = CHUNK_BYTES
    ) -> str:
        """Load `sources` into a new graph, check it holds every triple, switch readers to it,
        and drop graphs no reader can still be using. Returns the new graph's IRI."""
        if self.config.graph is not None:
            raise StoreError(
                "--store-graph serves a graph loaded by other means; `kg build` loads "
                "into graphs of its own: leave --store-graph out"
            )
        say = progress or (lambda message: None)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        graph = f"{self.pointer_graph}/{stamp}"
        staged_ontology = graph + "/ontology"
        pointer = f"<{self.pointer_graph}>"
        self._update_text(f'INSERT DATA {{ GRAPH {pointer} {{ <{graph}> {self._started} "{stamp}" }} }}')
        sent = 0
        for number, chunk in enumerate(_chunks(_data_lines(sources), chunk_bytes), 1):
            self._load_chunk(graph, chunk.data, replace=False)
            sent += chunk.triples
            say(f"loaded part {number} ({sent} triples)")
        loaded = self._count_in(graph)
        if loaded != sent:
            raise StoreError(
                f"the server holds {loaded} of the {sent} triples sent to {graph}; "
                "readers still see the previous dataset"
            )
        if sources.ontology is not None:
            triples = ox.parse(path=str(sources.ontology), format=ox.RdfFormat.TURTLE, base_iri=self.ontology_graph)
            ontology_lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            assert ontology_lines is not None  # without an output to write to, serialize returns the bytes
            self._load_chunk(staged_ontology, ontology_lines, replace=True)
        previous = self._current_graph_now()
        ontology = f"<{self.ontology_graph}>"
        switch = [f"DROP SILENT GRAPH {ontology}"]
        if sources.ontology is not None:
            switch += [f"ADD SILENT <{staged_ontology}> TO {ontology}", f"DROP SILENT GRAPH <{staged_ontology}>"]
        # The new pointer goes in before the old one goes out, and readers take the latest graph
        # named: the switch is atomic for them even where a request is not one transaction.
        switch.append(f"INSERT DATA {{ GRAPH {pointer} {{ {pointer} {self._current} <{graph}> }} }}")
        switch.append(
            f"DELETE {{ GRAPH {pointer} {{ {pointer} {self._current} ?old }} }} "
            f"WHERE {{ GRAPH {pointer} {{ {pointer} {self._current} ?old }} FILTER(?old != <{graph}>) }}"
        )
        self._update_text(" ;\n".join(switch))
        with self._lock:
            self._pointer = None
        say(f"switched readers to {graph}")
        self._drop_stale(keep={graph, previous})
        return graph

    def _update_text(self, sparql: str) -> None:
        try:
            self._send(self.config.update_url, data={"update": sparql}, timeout=self.config.load_timeout)
        except SyntaxError as error:  # our own updates: a rejection means the server is not compatible
            raise StoreError(f"{self.config.update_url}: {error}") from error

    def _load_chunk(self, graph: str, data: bytes, *, replace: bool) -> None:
        if self.config.graph_store_url:
            try:
                self._send(
                    self.config.graph_store_url,
                    method="PUT" if replace else "POST",
                    content=data,
                    params={"graph": graph},
                    headers={"Content-Type": "application/n-triples"},
                    timeout=self.config.load_timeout,
                )
            except SyntaxError as error:
                raise StoreError(f"{self.config.graph_store_url}: {error}") from error
            return
        if replace:
            self._update_text(f"DROP SILENT GRAPH <{graph}>")
        text = data.decode("utf-8")
        self._update_text(f"INSERT DATA {{ GRAPH <{graph}> {{\n{text}\n}} }}")

    def _count_in(self, graph: str) -> int:
        rows = self._fetch(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
            "solutions",
            dataset=False,
            timeout=self.config.load_timeout,
        ).results
        return int(next(iter(rows))[0].value)

    def _current_graph_now(self) -> str | None:
        with self._lock:
            self._pointer = None
        try:
            return self.data_graph()
        except StoreUnavailable:
            raise
        except StoreError:
            return None

    def _drop_stale(self, keep: set[str | None]) -> None:
        sparql = f"SELECT ?g WHERE {{ GRAPH <{self.pointer_graph}> {{ ?g {self._started} ?t }} }}"
        rows = self._fetch(sparql, "solutions", dataset=False).results
        for graph in sorted({row[0].value for row in rows} - {g for g in keep if g}):
            self._update_text(
                f"DROP SILENT GRAPH <{graph}> ;\nDELETE WHERE {{ GRAPH <{self.pointer_graph}> {{ <{graph}> ?p ?o }} }}"
            )


@dataclass
class _Chunk:
    data: bytes
    triples: int


def _data_lines(sources: Sources) -> Iterator[bytes]:
    """The dataset as N-Triples lines, without repeats (the server keeps a set of triples)."""
    import gzip

    path = sources.graph
    previous = None
    if path.name.endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            lines: Iterable[bytes] = (line.strip() for line in handle)
            for line in lines:
                if line and not line.startswith(b"#") and line != previous:
                    yield line
                    previous = line
        return
    seen: set[bytes] = set()
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        written = ox.serialize([triple], format=ox.RdfFormat.N_TRIPLES)
        assert written is not None  # without an output to write to, serialize returns the bytes
        line = written.strip()
        if line not in seen:
            seen.add(line)
            yield line


def _chunks(lines: Iterable[bytes], size: int) -> Iterator[_Chunk]:
    batch: list[bytes] = []
    length = 0
    for line in lines:
        batch.append(line)
        length += len(line) + 1
        if length >= size:
            yield _Chunk(b"\n".join(batch) + b"\n", len(batch))
            batch, length = [], 0
    if batch:
        yield _Chunk(b"\n".join(batch) + b"\n", len(batch))
