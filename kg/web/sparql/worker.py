"""Running one public SPARQL query, start to finish, in a worker process.

A worker opens the store read-only and answers jobs from its pipe. It does everything that can take
long (evaluation, negotiation once the query form is known, serialization) so that killing it
really stops the work. Nothing here imports the web framework.
"""

from __future__ import annotations

import gzip
import itertools
import os
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from kg.web.sparql.results import (
    HTML,
    Kind,
    available,
    choose_format,
    term_json,
    write_boolean,
    write_graph,
    write_solutions,
)
from kg.web.sparql.sandbox import close_network
from kg.web.workers import die_with_parent, ignore_stop_signals, serve_jobs


@dataclass(frozen=True)
class QueryJob:
    query: str
    accept: str | None = None
    formats: tuple[str, ...] = ()  # values of the `format` parameter
    default_graph: tuple[str, ...] | None = None  # default-graph-uri
    named_graphs: tuple[str, ...] | None = None  # named-graph-uri
    limit: int = 10_000
    prefixes: dict[str, str] = field(default_factory=dict)  # declared for the query, used in output


@dataclass
class Table:
    """Results as the HTML page shows them: term dicts as in SPARQL JSON, None when unbound."""

    variables: list[str]
    rows: list[list[dict[str, Any] | None]]
    boolean: bool | None = None


@dataclass
class QueryOutcome:
    status: int  # 200, or 400 (bad query) / 406 (no acceptable format)
    kind: Kind | None = None
    format_key: str | None = None
    media_type: str = "text/plain; charset=utf-8"
    body: bytes = b""
    count: int = 0  # rows or triples returned
    truncated: bool = False  # the result limit cut the answer
    table: Table | None = None  # for the HTML rendering
    message: str | None = None
    available: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StoreLocation:
    """How a worker gets at the data: the on-disk database, or the files to load into memory."""

    db_path: str | None = None
    graph_file: str | None = None
    ontology_file: str | None = None
    ontology_graph: str | None = None

    def open(self) -> ox.Store:
        if self.db_path is not None:
            return ox.Store.read_only(self.db_path)
        store = ox.Store()
        if self.graph_file:
            if self.graph_file.endswith(".gz"):
                with gzip.open(self.graph_file, "rb") as handle:
                    # A GzipFile reads as a binary file; typeshed just does not declare BufferedIOBase an IO[bytes].
                    store.bulk_load(cast(IO[bytes], handle), format=ox.RdfFormat.N_TRIPLES)
            else:
                store.bulk_load(path=self.graph_file, format=ox.RdfFormat.TURTLE)
        if self.ontology_file and self.ontology_graph:
            store.bulk_load(
                path=self.ontology_file,
                format=ox.RdfFormat.TURTLE,
                to_graph=ox.NamedNode(self.ontology_graph),
                base_iri=self.ontology_graph,
            )
        return store


def _graph(value: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.NamedNode(value)


def execute(store: ox.Store, job: QueryJob) -> QueryOutcome:
    """Evaluate `job` against `store` and serialize the answer. Bad input gives a 400 outcome,
    never an exception."""
    options: dict[str, Any] = {"prefixes": job.prefixes} if job.prefixes else {}
    try:
        if job.default_graph is not None:
            options["default_graph"] = [_graph(g) for g in job.default_graph]
        if job.named_graphs is not None:
            options["named_graphs"] = [_graph(g) for g in job.named_graphs]
    except (ValueError, SyntaxError) as error:
        return QueryOutcome(400, message=f"invalid graph IRI: {error}")
    try:
        results = store.query(job.query, **options)
    except SyntaxError as error:
        return QueryOutcome(400, message=f"query syntax error: {error}")
    except (OSError, ValueError, TypeError, RuntimeError) as error:
        return QueryOutcome(400, message=f"query could not be evaluated: {error}")
    kind: Kind = (
        "boolean"
        if isinstance(results, ox.QueryBoolean)
        else "graph"
        if isinstance(results, ox.QueryTriples)
        else "solutions"
    )
    fmt = choose_format(kind, job.accept, job.formats)
    if fmt is None:
        return QueryOutcome(
            406,
            kind=kind,
            available=available(kind),
            message="none of the requested formats can carry this query's results",
        )
    try:
        return _serialize(results, kind, fmt.key, fmt, job)
    except (OSError, ValueError, TypeError, RuntimeError, SyntaxError) as error:
        return QueryOutcome(400, kind=kind, message=f"query could not be evaluated: {error}")


def execute_remote(store: Any, job: QueryJob, timeout: float) -> QueryOutcome:
    """Run `job` on a remote store (`kg.stores.remote.RemoteStore`) and serialize the answer here,
    so every backend gives the same formats, limit and truncation. Reads at most the result
    limit from the server, then hangs up. Store errors (unavailable, timed out) are raised."""
    from kg.stores.remote import query_kind

    try:
        kind: Kind = query_kind(job.query, {**store.prefixes, **job.prefixes})  # type: ignore[assignment]
    except SyntaxError as error:
        return QueryOutcome(400, message=f"query syntax error: {error}")
    except (OSError, ValueError, TypeError, RuntimeError) as error:
        return QueryOutcome(400, message=f"query could not be evaluated: {error}")
    fmt = choose_format(kind, job.accept, job.formats)
    if fmt is None:
        return QueryOutcome(
            406,
            kind=kind,
            available=available(kind),
            message="none of the requested formats can carry this query's results",
        )
    try:
        default_graph = [_graph(g) for g in job.default_graph] if job.default_graph is not None else None
        named_graphs = [_graph(g) for g in job.named_graphs] if job.named_graphs is not None else None
    except (ValueError, SyntaxError) as error:
        return QueryOutcome(400, message=f"invalid graph IRI: {error}")
    try:
        opened = store.open_query(
            job.query, prefixes=job.prefixes, default_graph=default_graph, named_graphs=named_graphs, timeout=timeout
        )
    except SyntaxError as error:
        return QueryOutcome(400, message=f"query could not be evaluated: {error}")
    try:
        return _serialize(opened.results, kind, fmt.key, fmt, job)
    except (ValueError, SyntaxError) as error:  # the server's answer did not parse
        from kg.stores.errors import StoreError

        raise StoreError(f"the SPARQL server's answer could not be read: {error}") from error
    finally:
        opened.close()


def _serialize(results: Any, kind: Kind, key: str, fmt: Any, job: QueryJob) -> QueryOutcome:
    outcome = QueryOutcome(200, kind=kind, format_key=key, media_type=fmt.media_type)
    if kind == "boolean":
        value = bool(results)
        outcome.count = 1
        if key == HTML:
            outcome.table = Table([], [], boolean=value)
        else:
            outcome.body = write_boolean(key, value)
        return outcome
    if kind == "solutions":
        variables = [v.value for v in results.variables]
        rows = [[solution[i] for i in range(len(variables))] for solution in itertools.islice(results, job.limit + 1)]
        outcome.truncated = len(rows) > job.limit
        rows = rows[: job.limit]
        outcome.count = len(rows)
        if key == HTML:
            outcome.table = Table(variables, [[term_json(t) if t is not None else None for t in row] for row in rows])
        else:
            outcome.body = write_solutions(key, variables, rows)
        return outcome
    triples = list(itertools.islice(results, job.limit + 1))
    outcome.truncated = len(triples) > job.limit
    triples = triples[: job.limit]
    outcome.count = len(triples)
    if key == HTML:
        outcome.table = Table(
            ["subject", "predicate", "object"],
            [[term_json(t.subject), term_json(t.predicate), term_json(t.object)] for t in triples],
        )
    else:
        outcome.body = write_graph(fmt, triples, job.prefixes)
    return outcome


# Where no seccomp filter can be installed, the operator may serve without it (and says so).
SANDBOX_ENV = "KG_QUERY_SANDBOX"

# How a worker that ran out of its memory ends, so the pool can say why (the store's own
# allocations failing abort the process instead: SIGABRT).
MEMORY_EXIT = 3


def _cap_memory(mib: int) -> None:
    """Bound what this process may allocate beyond what it holds once the store is open (its
    data segment and anonymous mappings: the heap, the store's caches, a query's intermediate
    results), so one query cannot take the machine's memory; the files the store reads are not
    counted, and a store held in memory (a read-only data folder) is the baseline, not the cap."""
    if mib <= 0:
        return
    import resource

    limit = _data_size() + mib * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    except (ValueError, OSError):  # not lowerable here: serve without the cap
        pass


def _data_size() -> int:
    """Bytes this process's data segment and anonymous mappings take now (what RLIMIT_DATA
    counts); 0 where /proc does not say."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def main(conn: Connection, location: StoreLocation, memory_mib: int = 0) -> None:
    """A worker's life: open the store, say ready, answer jobs until the pipe closes."""
    ignore_stop_signals()
    die_with_parent()
    problem = close_network()
    if problem is not None and os.environ.get(SANDBOX_ENV, "").lower() != "off":
        conn.send(
            (
                "failed",
                f"the query worker could not close its network access ({problem}); "
                f"set {SANDBOX_ENV}=off to serve without it (docs/security.md)",
            )
        )
        return
    try:
        store = location.open()
    except Exception as error:  # reported to the pool, which says why no worker could start
        conn.send(("failed", f"{type(error).__name__}: {error}"))
        return
    _cap_memory(memory_mib)
    conn.send(("ready", os.getpid()))

    def run(job: QueryJob) -> object:
        try:
            return execute(store, job)
        except MemoryError:
            os._exit(MEMORY_EXIT)  # nothing more can be allocated safely; the pool replaces us

    serve_jobs(conn, run)


def _cli(argv: list[str]) -> int:
    """`python -m kg.web.sparql.worker FD LOCATION-JSON [MEMORY-MIB]`: how the pool starts a
    worker. A plain subprocess rather than multiprocessing, so no launcher's main module is
    imported again."""
    import importlib
    import json

    # Run the imported module, not `__main__`, so pickled outcomes name their real classes.
    module = importlib.import_module("kg.web.sparql.worker")
    location = module.StoreLocation(**json.loads(argv[1]))
    conn = Connection(int(argv[0]))
    try:
        module.main(conn, location, int(argv[2]) if len(argv) > 2 else 0)
    finally:
        conn.close()
    return 0


def location_of(
    db_path: Path | None,
    graph_file: Path | None = None,
    ontology_file: Path | None = None,
    ontology_graph: str | None = None,
) -> StoreLocation:
    return StoreLocation(
        str(db_path) if db_path else None,
        str(graph_file) if graph_file else None,
        str(ontology_file) if ontology_file else None,
        ontology_graph,
    )


if __name__ == "__main__":
    import sys

    sys.exit(_cli(sys.argv[1:]))
