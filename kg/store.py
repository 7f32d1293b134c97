"""The triple store the web layer and the CLI query: one interface over pyoxigraph.

`Store.open(data_dir)` serves what `kg build` wrote there. The graph files are loaded once into
an on-disk Oxigraph database in `data_dir/store/db/`; `data_dir/store/fingerprint.json` records
the SHA-256 of the files it was loaded from, so the next open reuses the database without reading
Turtle again, and reloads when a rebuild changed them. Loading goes to a fresh directory that is
renamed into place, so a crash or a second server starting at the same time never sees half a
store.

Layout of the dataset in the store:
- the default graph is the knowledge graph (graph.nt.gz, or graph.ttl when there is no dump);
- the named graph `{base}ns/kg` holds ontology.ttl (the kg vocabulary and its SHACL shapes), so
  counts over the default graph are the dataset's own and `GRAPH <{base}ns/kg>` reaches the schema.

The store is opened read-only while serving so that query worker processes can open the same
database at the same time. `update` briefly takes it read-write; operator updates persist in the
store until the graph files change (a rebuild replaces them). Several servers may share a data
directory for reading, but only a directory served by one server should be updated: the others'
read-only handles would not see the change.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

if TYPE_CHECKING:
    from kg.stores.config import RemoteConfig
    from kg.stores.remote import RemoteStore

STORE_DIR = "store"
DB_DIR = "db"
FINGERPRINT_FILE = "fingerprint.json"
# The default graph's size, counted once when the store is loaded: counting it again takes 0.25 s
# per million triples, which every start of the server would otherwise pay.
COUNT_FILE = "triples.json"
# A link to the graph file the store holds (same inode, no copy), kept so that the next build's
# graph can be compared with it and the store patched by the difference (`kg.stores.patch`).
LOADED_GRAPH = "loaded.nt.gz"
LAYOUT_VERSION = 1  # bump when the store layout changes, so old stores are reloaded


class StoreError(Exception):
    """The data directory holds nothing servable, or the store cannot be opened."""


class StoreRejected(StoreError, SyntaxError):
    """A SPARQL server refused a request as malformed: a bad public query (a SyntaxError, 400)
    or a request of kg's own (a store error)."""


class StoreUnavailable(StoreError):
    """A remote store does not answer (down, overloaded, unreachable): worth retrying later."""


class StoreTimeout(StoreUnavailable):
    """A remote store did not answer within the time limit."""


@dataclass(frozen=True)
class Sources:
    """The files a store is loaded from."""

    graph: Path
    ontology: Path | None

    @classmethod
    def find(cls, data_dir: Path) -> Sources:
        for name in ("graph.nt.gz", "graph.ttl"):
            if (data_dir / name).is_file():
                ontology = data_dir / "ontology.ttl"
                return cls(data_dir / name, ontology if ontology.is_file() else None)
        raise StoreError(f"{data_dir}: no graph.nt.gz or graph.ttl (run `kg build` first)")

    def fingerprint(self, ontology_graph: str) -> dict[str, Any]:
        files = {p.name: _sha256(p) for p in (self.graph, self.ontology) if p is not None}
        return {"layout": LAYOUT_VERSION, "files": files, "ontology_graph": ontology_graph,
                "stat": self.stat()}

    def stat(self) -> dict[str, list[int]]:
        """Size, mtime and inode of each file: when they match the recorded ones the files are
        the ones loaded, and opening skips hashing (hundreds of MB at scale)."""
        stats = {}
        for path in (self.graph, self.ontology):
            if path is not None:
                st = path.stat()
                stats[path.name] = [st.st_size, st.st_mtime_ns, st.st_ino]
        return stats


def _up_to_date(recorded: dict[str, Any] | None, sources: Sources, ontology_graph: str) -> dict[str, Any] | None:
    """None when the store in place was loaded from `sources`, else the fingerprint to load with.
    Unchanged file metadata settles it without reading the files; otherwise their hashes do."""
    if (recorded is not None and recorded.get("layout") == LAYOUT_VERSION
            and recorded.get("ontology_graph") == ontology_graph and recorded.get("stat") == sources.stat()):
        return None
    fingerprint = sources.fingerprint(ontology_graph)
    if recorded is not None and {k: v for k, v in recorded.items() if k != "stat"} == {
            k: v for k, v in fingerprint.items() if k != "stat"}:
        return None
    return fingerprint


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class _ReadWriteLock:
    """Many readers or one writer: queries share the store, an update waits for them to finish."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._writing:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._readers:
                self._cond.wait()
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


def _term(value: str | ox.NamedNode | ox.DefaultGraph) -> ox.NamedNode | ox.DefaultGraph:
    return ox.NamedNode(value) if isinstance(value, str) else value


class Store:
    """A pyoxigraph store over one data directory (or in memory, for tests and small tools).

    `kg.stores.remote.RemoteStore` offers the same reading and writing methods over a SPARQL
    server; `open_store` picks one by configuration."""

    is_remote = False
    generation = ""  # what a remote store's rebuilds change; an embedded store is reopened instead

    def __init__(self, inner: ox.Store, *, db_path: Path | None = None, ontology_graph: str | None = None,
                 sources: Sources | None = None):
        self._inner = inner
        self.db_path = db_path  # the on-disk database, which query workers open read-only
        self.sources = sources  # the files it was loaded from
        # Queries may use kg's prefixes without declaring them, as on the query page.
        self.prefixes: dict[str, str] = {}
        if ontology_graph:
            from kg.rdf.vocab import prefixes

            self.prefixes = prefixes(ontology_graph + "#")
        self.ontology_graph = ontology_graph
        self._lock = _ReadWriteLock()
        self._count: int | None = None

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path, *, base: str | None = None) -> Store:
        """Open the store of `data_dir`, loading the graph files first when the on-disk store is
        missing or older than they are. `base` names the ontology graph (`{base}ns/kg`)."""
        from kg.uris import DEFAULT_BASE, normalize_base

        data_dir = Path(data_dir)
        base = normalize_base(base or recorded_base(data_dir) or DEFAULT_BASE)
        ontology_graph = base + "ns/kg"
        sources = Sources.find(data_dir)
        store_dir = data_dir / STORE_DIR
        fingerprint = _up_to_date(_read_fingerprint(store_dir), sources, ontology_graph)
        if fingerprint is not None:
            try:
                _rebuild(store_dir, sources, fingerprint, ontology_graph)
            except PermissionError:
                # A read-only data directory can still be served, from memory.
                return cls.in_memory(sources, ontology_graph)
        db = store_dir / DB_DIR
        try:
            inner = ox.Store.read_only(str(db))
        except (OSError, RuntimeError) as error:  # pyoxigraph reports a damaged store as RuntimeError
            raise StoreError(f"{db}: cannot open the store: {error}") from error
        store = cls(inner, db_path=db, ontology_graph=ontology_graph, sources=sources)
        store._count = _read_count(store_dir)
        return store

    @classmethod
    def in_memory(cls, sources: Sources, ontology_graph: str) -> Store:
        inner = ox.Store()
        _load(inner, sources, ontology_graph)
        return cls(inner, ontology_graph=ontology_graph, sources=sources)

    # -- reading -------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[ox.Variable, Any] | None = None,
        default_graph: list[str | ox.NamedNode | ox.DefaultGraph] | None = None,
        named_graphs: list[str | ox.NamedNode] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL query in this process. Graph names may be given as str IRIs.

        Raises SyntaxError (with the position) for a malformed query. Meant for the bounded
        queries the pages run; public queries go through the worker pool, which can stop them.
        """
        options: dict[str, Any] = {"prefixes": self.prefixes} if self.prefixes else {}
        if substitutions:
            options["substitutions"] = substitutions
        if default_graph is not None:
            options["default_graph"] = [_term(g) for g in default_graph]
        if named_graphs is not None:
            options["named_graphs"] = [_term(g) for g in named_graphs]
        with self._lock.reading():
            return self._inner.query(sparql, **options)

    def match(
        self,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        object: ox.NamedNode | ox.BlankNode | ox.Literal | None = None,
        *,
        graph: str | ox.NamedNode | ox.DefaultGraph | None = None,
    ) -> list[ox.Triple]:
        """Triples matching a pattern (None matches anything), from the default graph unless
        `graph` names another. Index lookups without a SPARQL round trip: the fast path for
        resource descriptions, which look up a few subjects and objects per request."""
        graph_term = ox.DefaultGraph() if graph is None else _term(graph)
        with self._lock.reading():
            return [q.triple for q in self._inner.quads_for_pattern(subject, predicate, object, graph_term)]

    def triple_count(self) -> int:
        """Triples in the default graph (the dataset, without the ontology)."""
        if self._count is None:
            with self._lock.reading():
                result = self._inner.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
                self._count = int(next(iter(result))["n"].value)
        return self._count

    def close(self) -> None:
        """Nothing to release: the database closes with the last handle."""

    # -- writing -------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        """Apply a SPARQL update (operators only: the web layer guards it).

        Raises SyntaxError for a malformed update. An on-disk store is reopened read-write for
        the update and read-only again after it, waiting for running in-process queries first.
        """
        if self.db_path is None and self.sources is not None:
            raise StoreError("the store is served from memory (the data directory is read-only), "
                             "so updates could not reach the query workers")
        with self._lock.writing():
            if self.db_path is None:
                self._inner.update(sparql)
            else:
                # The store is about to hold something the files do not say: its recorded size
                # goes, and so does the graph it was loaded from, so the next build loads it in
                # full rather than patching it (done first: a crash mid-update must not leave them).
                (self.db_path.parent / COUNT_FILE).unlink(missing_ok=True)
                (self.db_path.parent / LOADED_GRAPH).unlink(missing_ok=True)
                self._inner = None  # type: ignore[assignment]  # close the read-only handle
                try:
                    writer = ox.Store(str(self.db_path))
                    try:
                        writer.update(sparql)
                        writer.flush()
                    finally:
                        del writer
                finally:
                    self._inner = ox.Store.read_only(str(self.db_path))
            self._count = None


def prepare(data_dir: Path, *, base: str | None = None) -> str | None:
    """Load the graph files of `data_dir` into its on-disk store unless it is up to date, so that
    serving it opens the store at once. `kg build` calls this; returns what was done ("loaded",
    or "updated (...)" when the store was patched by the difference), None when nothing was."""
    from kg.uris import DEFAULT_BASE, normalize_base

    data_dir = Path(data_dir)
    ontology_graph = normalize_base(base or recorded_base(data_dir) or DEFAULT_BASE) + "ns/kg"
    sources = Sources.find(data_dir)
    store_dir = data_dir / STORE_DIR
    fingerprint = _up_to_date(_read_fingerprint(store_dir), sources, ontology_graph)
    if fingerprint is None:
        return None
    return _rebuild(store_dir, sources, fingerprint, ontology_graph)


def open_store(data_dir: Path, *, base: str | None = None, remote: RemoteConfig | None = None,
               timeout: float | None = None) -> Store | RemoteStore:
    """The store to serve: the embedded one of `data_dir`, or the SPARQL server `remote` names
    (`data_dir` then only supplies the recorded base URI). `timeout`: seconds per remote request."""
    if remote is None:
        return Store.open(data_dir, base=base)
    from kg.stores.remote import RemoteStore
    from kg.uris import DEFAULT_BASE, normalize_base

    resolved = normalize_base(base or recorded_base(Path(data_dir)) or DEFAULT_BASE)
    return RemoteStore(remote, base=resolved, **({"timeout": timeout} if timeout else {}))


def publish(data_dir: Path, *, base: str | None = None, remote: RemoteConfig | None = None,
            progress: Callable[[str], None] | None = None) -> str:
    """Make what `kg build` wrote to `data_dir` servable: bulk-load the embedded store, or load
    it into the SPARQL server and switch readers over to it. Returns a line saying what was done."""
    if remote is None:
        done = prepare(data_dir, base=base)
        where = Path(data_dir) / STORE_DIR
        return f"store {where} {done or 'already up to date'}"
    store = open_store(data_dir, base=base, remote=remote, timeout=remote.load_timeout)
    try:
        graph = store.publish(Sources.find(Path(data_dir)), progress=progress)
    finally:
        store.close()
    return f"loaded into {remote.query_url} as graph {graph}"


def recorded_base(data_dir: Path) -> str | None:
    """The base URI `kg build` recorded in `data_dir/build.json`, if any."""
    try:
        info = json.loads((Path(data_dir) / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict):
        return None
    for key in ("base", "base_uri", "base_iri"):
        value = info.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _read_fingerprint(store_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((store_dir / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _load(inner: ox.Store, sources: Sources, ontology_graph: str) -> None:
    graph = sources.graph
    if graph.name.endswith(".gz"):
        _load_gzip(inner, graph)
    else:
        inner.bulk_load(path=str(graph), format=ox.RdfFormat.TURTLE)
    if sources.ontology is not None:
        inner.bulk_load(path=str(sources.ontology), format=ox.RdfFormat.TURTLE,
                        to_graph=ox.NamedNode(ontology_graph), base_iri=ontology_graph)


def _load_gzip(inner: ox.Store, graph: Path) -> None:
    """Load gzipped N-Triples; a file that does not decompress fails the load, whole."""
    try:
        with gzip.open(graph, "rb") as handle:
            inner.bulk_load(handle, format=ox.RdfFormat.N_TRIPLES)
    except (EOFError, OSError, zlib.error) as error:
        raise StoreError(f"{graph}: cannot be read: {error}") from error


def _rebuild(store_dir: Path, sources: Sources, fingerprint: dict[str, Any], ontology_graph: str) -> str:
    """Make the store for `sources` in a fresh directory and swap it in as `store_dir`: the
    store in place patched by the difference of the graph files when it can be, loaded in full
    otherwise. Says which."""
    parent = store_dir.parent
    fresh = parent / f".{STORE_DIR}.{os.getpid()}.{threading.get_ident()}.new"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    try:
        patch = _patch(store_dir, sources, fingerprint, fresh)
        if patch is not None:
            count, done = patch
        else:
            shutil.rmtree(fresh / DB_DIR, ignore_errors=True)
            count, done = _load_fresh(fresh, sources, ontology_graph), "loaded"
        if sources.graph.name.endswith(".gz"):
            try:
                os.link(sources.graph, fresh / LOADED_GRAPH)
            except OSError:
                pass  # another file system: the next change loads in full
        (fresh / COUNT_FILE).write_text(json.dumps({"triples": count}), encoding="utf-8")
        (fresh / FINGERPRINT_FILE).write_text(json.dumps(fingerprint, sort_keys=True), encoding="utf-8")
        _swap_in(fresh, store_dir, fingerprint)
        return done
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _load_fresh(fresh: Path, sources: Sources, ontology_graph: str) -> int:
    inner = ox.Store(str(fresh / DB_DIR))
    try:
        _load(inner, sources, ontology_graph)
        inner.flush()
        inner.optimize()
        return _default_graph_size(inner)
    except SyntaxError as error:
        raise StoreError(f"{sources.graph}: cannot be loaded: {error}") from error
    finally:
        del inner


def _patch(store_dir: Path, sources: Sources, fingerprint: dict[str, Any], fresh: Path) -> tuple[int, str] | None:
    """(size, what was done) when the store in place could be brought to `sources` by the
    difference of the graph files, into `fresh`; None when it must be loaded in full: no store,
    an operator update since, another ontology or layout, or a graph that is not gzipped
    N-Triples."""
    from kg.pieces import CACHE, CHANGE, read_change
    from kg.stores.patch import Difference, patched_copy

    recorded = _read_fingerprint(store_dir)
    old_graph = store_dir / LOADED_GRAPH
    count = _read_count(store_dir)
    if recorded is None or count is None or not old_graph.is_file() or not sources.graph.name.endswith(".gz"):
        return None
    same = ("layout", "ontology_graph")
    if any(recorded.get(key) != fingerprint.get(key) for key in same):
        return None
    old_files, new_files = recorded.get("files", {}), fingerprint.get("files", {})
    if set(old_files) != set(new_files) or any(old_files[n] != new_files[n] for n in new_files if n != sources.graph.name):
        return None  # the ontology (or which files there are) changed
    if _sha256(old_graph) != old_files.get(sources.graph.name):
        return None
    # What the build recorded it changed, if it went from the graph loaded to this one.
    recorded_change = read_change(sources.graph.parent / CACHE / CHANGE, old_files[sources.graph.name],
                                  new_files[sources.graph.name])
    try:
        patch = patched_copy(store_dir / DB_DIR, old_graph, sources.graph, fresh / DB_DIR, fresh, count,
                             Difference(*recorded_change) if recorded_change else None)
    except (OSError, RuntimeError, SyntaxError, ValueError):
        patch = None
    if patch is None:
        return None
    return count - patch.removed + patch.added, f"updated ({patch.removed} triples removed, {patch.added} added)"


def _default_graph_size(inner: ox.Store) -> int:
    """Triples outside the named graphs. The query's results hold the database open: they must
    be gone (as they are when this returns) before the database can be closed and moved."""
    named = inner.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return len(inner) - int(next(iter(named))["n"].value)


def _read_count(store_dir: Path) -> int | None:
    """The default graph's size recorded at loading, if the store has not been written since."""
    try:
        count = json.loads((store_dir / COUNT_FILE).read_text(encoding="utf-8"))["triples"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return count if isinstance(count, int) and count >= 0 else None


def _swap_in(fresh: Path, store_dir: Path, fingerprint: dict[str, Any]) -> None:
    """Rename `fresh` to `store_dir`. If another process put an up-to-date store there first,
    keep theirs; a stale one is moved aside and removed."""
    try:
        os.rename(fresh, store_dir)
        return
    except OSError:
        if _read_fingerprint(store_dir) == fingerprint:
            return
    old = store_dir.parent / f".{STORE_DIR}.{os.getpid()}.old"
    shutil.rmtree(old, ignore_errors=True)
    try:
        os.rename(store_dir, old)
    except FileNotFoundError:
        pass
    try:
        os.rename(fresh, store_dir)
    except OSError:
        if _read_fingerprint(store_dir) != fingerprint:
            raise
    shutil.rmtree(old, ignore_errors=True)
