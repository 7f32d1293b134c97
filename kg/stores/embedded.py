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
import json
import os
import shutil
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from kg.stores.errors import StoreError
from kg.stores.prepared import LoadedGraph
from kg.stores.sources import LAYOUT_VERSION, Sources, _sha256, recorded_base

STORE_DIR = "store"
DB_DIR = "db"
FINGERPRINT_FILE = "fingerprint.json"
# The default graph's size, counted once when the store is loaded: counting it again takes 0.25 s
# per million triples, which every start of the server would otherwise pay.
COUNT_FILE = "triples.json"
# A link to the graph file the store holds (same inode, no copy), kept so that the next build's
# graph can be compared with it and the store patched by the difference (`kg.stores.patch`).
LOADED_GRAPH = "loaded.nt.gz"
# When an operator last wrote to the store (nanoseconds since the epoch): with the fingerprint it
# names the data the store holds, for the validators (ETag, Last-Modified) of documents and pages.
WRITTEN_FILE = "written.json"


def _up_to_date(recorded: dict[str, Any] | None, sources: Sources, ontology_graph: str) -> dict[str, Any] | None:
    """None when the store in place was loaded from `sources`, else the fingerprint to load with.
    Unchanged file metadata settles it without reading the files; otherwise their hashes do."""
    if (
        recorded is not None
        and recorded.get("layout") == LAYOUT_VERSION
        and recorded.get("ontology_graph") == ontology_graph
        and recorded.get("stat") == sources.stat()
    ):
        return None
    fingerprint = sources.fingerprint(ontology_graph)
    if recorded is not None and {k: v for k, v in recorded.items() if k != "stat"} == {
        k: v for k, v in fingerprint.items() if k != "stat"
    }:
        return None
    return fingerprint


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


class EmbeddedStore:
    """A pyoxigraph store over one data directory (or in memory, for tests and small tools): the
    `kg.stores.Store` interface in this process."""

    answers_stable = True  # only kg writes it: an answer holds until the next write
    round_trips = False  # a lookup is an index read, not a request
    generation = ""  # what a remote store's rebuilds change; an embedded store is reopened instead

    def __init__(
        self,
        inner: ox.Store,
        *,
        db_path: Path | None = None,
        ontology_graph: str | None = None,
        sources: Sources | None = None,
    ):
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
        # What was loaded (the fingerprint of the files, or this object when there are none) and
        # when kg last wrote to it: together they name the data held (`version`).
        self._loaded = f"memory:{id(self):x}" if sources is None else _stat_text(sources)
        self._written = 0
        self._created = time.time()

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path, *, base: str | None = None) -> EmbeddedStore:
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
        store._loaded = _read_text(store_dir / FINGERPRINT_FILE) or store._loaded
        store._written = _read_written(store_dir)
        return store

    @classmethod
    def in_memory(cls, sources: Sources, ontology_graph: str) -> EmbeddedStore:
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
                assert isinstance(result, ox.QuerySolutions)  # a SELECT answers with solutions
                self._count = int(next(iter(result))["n"].value)
        return self._count

    @property
    def version(self) -> str:
        return f"{self._loaded}|{self._written}"

    def loaded_graph(self) -> LoadedGraph | None:
        """The gzipped graph file this store holds exactly: loaded from it (its SHA-256 is the
        one recorded at loading) and not written since. None for a store in memory, one loaded
        from Turtle, and after an update through kg."""
        if self._written or self.db_path is None or self.sources is None:
            return None
        if not self.sources.graph.name.endswith(".gz"):
            return None
        try:
            recorded = json.loads(self._loaded)
            sha = recorded["files"][self.sources.graph.name]
        except (ValueError, KeyError, TypeError):
            return None
        return LoadedGraph(self.sources.graph, sha) if isinstance(sha, str) else None

    @property
    def modified(self) -> float:
        times = [self._written / 1e9] if self._written else []
        files = (self.sources.graph, self.sources.ontology) if self.sources is not None else ()
        for path in (p for p in files if p is not None):
            try:
                times.append(path.stat().st_mtime)
            except OSError:
                pass  # removed while serving: the store still holds what it loaded
        return max(times, default=self._created)

    def close(self) -> None:
        """Nothing to release: the database closes with the last handle."""

    # -- writing -------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        """Apply a SPARQL update (operators only: the web layer guards it).

        Raises SyntaxError for a malformed update. An on-disk store is reopened read-write for
        the update and read-only again after it, waiting for running in-process queries first.
        """
        if self.db_path is None and self.sources is not None:
            raise StoreError(
                "the store is served from memory (the data directory is read-only), "
                "so updates could not reach the query workers"
            )
        with self._lock.writing():
            # A new version first (a crash mid-update must not leave the old one naming new data),
            # a whole second later than the last so that Last-Modified tells the two apart.
            written = max(time.time_ns(), self._written + 1_000_000_000)
            if self.db_path is not None:
                _write_atomically(self.db_path.parent / WRITTEN_FILE, json.dumps({"written_ns": written}))
            self._written = written
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


def prepare(data_dir: Path, *, base: str | None = None, change_file: Path | None = None) -> str | None:
    """Load the graph files of `data_dir` into its on-disk store unless it is up to date, so that
    serving it opens the store at once. `kg build` calls this; returns what was done ("loaded",
    or "updated (...)" when the store was patched by the difference), None when nothing was."""
    from kg.uris import DEFAULT_BASE, normalize_base

    data_dir = Path(data_dir)
    ontology_graph = normalize_base(base or recorded_base(data_dir) or DEFAULT_BASE) + "ns/kg"
    remove_stale_copies(data_dir)
    sources = Sources.find(data_dir)
    store_dir = data_dir / STORE_DIR
    fingerprint = _up_to_date(_read_fingerprint(store_dir), sources, ontology_graph)
    if fingerprint is None:
        return None
    return _rebuild(store_dir, sources, fingerprint, ontology_graph, change_file)


def remove_stale_copies(data_dir: Path) -> list[Path]:
    """Remove the store copies that processes killed mid-load left in `data_dir` (a half-loaded
    `.store.PID.N.new`, or a stale store moved aside as `.store.PID.old`: up to a gigabyte each at
    scale). Copies of a live process are its work in progress and stay. Returns what was removed."""
    removed = []
    for path in sorted(Path(data_dir).glob(f".{STORE_DIR}.*")):
        parts = path.name.split(".")  # "", "store", PID, [N,] "new" | "old"
        if len(parts) not in (4, 5) or parts[-1] not in ("new", "old") or not parts[2].isdigit():
            continue
        if process_alive(int(parts[2])):
            continue
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def process_alive(pid: int) -> bool:
    """Whether process `pid` runs (someone else's process counts: it cannot be signalled, but runs)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _stat_text(sources: Sources) -> str:
    return json.dumps(sources.stat(), sort_keys=True)


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _read_written(store_dir: Path) -> int:
    try:
        written = json.loads((store_dir / WRITTEN_FILE).read_text(encoding="utf-8"))["written_ns"]
    except (OSError, ValueError, KeyError, TypeError):
        return 0
    return written if isinstance(written, int) and written > 0 else 0


def _write_atomically(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


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
        inner.bulk_load(
            path=str(sources.ontology),
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(ontology_graph),
            base_iri=ontology_graph,
        )


def _load_gzip(inner: ox.Store, graph: Path) -> None:
    """Load gzipped N-Triples; a file that does not decompress fails the load, whole."""
    try:
        with gzip.open(graph, "rb") as handle:
            # A GzipFile reads as a binary file; typeshed just does not declare BufferedIOBase an IO[bytes].
            inner.bulk_load(cast(IO[bytes], handle), format=ox.RdfFormat.N_TRIPLES)
    except (EOFError, OSError, zlib.error) as error:
        raise StoreError(f"{graph}: cannot be read: {error}") from error


def _rebuild(
    store_dir: Path, sources: Sources, fingerprint: dict[str, Any], ontology_graph: str, change_file: Path | None = None
) -> str:
    """Make the store for `sources` in a fresh directory and swap it in as `store_dir`: the
    store in place patched by the difference of the graph files when it can be, loaded in full
    otherwise. Says which."""
    parent = store_dir.parent
    remove_stale_copies(parent)
    fresh = parent / f".{STORE_DIR}.{os.getpid()}.{threading.get_ident()}.new"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    try:
        patch = _patch(store_dir, sources, fingerprint, fresh, change_file)
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


def _patch(
    store_dir: Path, sources: Sources, fingerprint: dict[str, Any], fresh: Path, change_file: Path | None
) -> tuple[int, str] | None:
    """(size, what was done) when the store in place could be brought to `sources` by the
    difference of the graph files, into `fresh`; None when it must be loaded in full: no store,
    an operator update since, another ontology or layout, or a graph that is not gzipped
    N-Triples."""
    from kg.stores.patch import Difference, patched_copy, read_change

    recorded = _read_fingerprint(store_dir)
    old_graph = store_dir / LOADED_GRAPH
    count = _read_count(store_dir)
    if recorded is None or count is None or not old_graph.is_file() or not sources.graph.name.endswith(".gz"):
        return None
    same = ("layout", "ontology_graph")
    if any(recorded.get(key) != fingerprint.get(key) for key in same):
        return None
    old_files, new_files = recorded.get("files", {}), fingerprint.get("files", {})
    if set(old_files) != set(new_files) or any(
        old_files[n] != new_files[n] for n in new_files if n != sources.graph.name
    ):
        return None  # the ontology (or which files there are) changed
    if _sha256(old_graph) != old_files.get(sources.graph.name):
        return None
    # What the build handed over as its change, if it went from the graph loaded to this one.
    recorded_change = (
        read_change(change_file, old_files[sources.graph.name], new_files[sources.graph.name])
        if change_file is not None
        else None
    )
    try:
        patch = patched_copy(
            store_dir / DB_DIR,
            old_graph,
            sources.graph,
            fresh / DB_DIR,
            fresh,
            count,
            Difference(*recorded_change) if recorded_change else None,
        )
    except (OSError, RuntimeError, SyntaxError, ValueError):
        patch = None
    if patch is None:
        return None
    return count - patch.removed + patch.added, f"updated ({patch.removed} triples removed, {patch.added} added)"


def _default_graph_size(inner: ox.Store) -> int:
    """Triples outside the named graphs. The query's results hold the database open: they must
    be gone (as they are when this returns) before the database can be closed and moved."""
    named = inner.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(named, ox.QuerySolutions)  # a SELECT answers with solutions
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
