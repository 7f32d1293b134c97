"""Where the graph is kept and queried: one interface (`Store`), two kinds of backend.

- `embedded.EmbeddedStore`: an on-disk Oxigraph database in the data folder (the default);
- `remote.RemoteStore`: any SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki, GraphDB).

`open_store` picks one by configuration; `publish` makes what `kg build` wrote servable in it. The
errors every backend raises are in `errors`; the files a store loads from in `sources`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pyoxigraph as ox

from kg.stores.sources import Sources, recorded_base

if TYPE_CHECKING:
    from kg.stores.config import RemoteConfig
    from kg.stores.prepared import LoadedGraph


class Store(Protocol):
    """What the web layer and the CLI read and write through, whichever backend holds the data.
    Its attributes are read-only here (properties), so a backend may hold a narrower type: a
    server's `db_path` is always None, its `ontology_graph` always a string."""

    @property
    def ontology_graph(self) -> str | None:
        """The named graph holding the ontology and shapes."""
        ...

    @property
    def prefixes(self) -> dict[str, str]:
        """kg's prefixes, usable in queries without declaring them."""
        ...

    @property
    def db_path(self) -> Path | None:
        """The on-disk database query worker processes open; None for a server, which evaluates
        queries itself, and for a store held in memory."""
        ...

    @property
    def sources(self) -> Sources | None:
        """The files query worker processes load when there is no database to open; None for
        a server."""
        ...

    @property
    def answers_stable(self) -> bool:
        """Only kg writes it: an answer may be kept until kg writes again."""
        ...

    @property
    def round_trips(self) -> bool:
        """Each lookup is a request to a server: batch them."""
        ...

    @property
    def generation(self) -> str:
        """Changes when a rebuild switched readers to new data behind this process's back."""
        ...

    @property
    def version(self) -> str:
        """Names the data it holds: changes with every load and every write through kg, and
        stays the same across restarts when the data did (validators of the documents)."""
        ...

    def loaded_graph(self) -> LoadedGraph | None:
        """The graph file it holds exactly (loaded from it, nothing written since), whose
        prepared lines (`kg.stores.prepared`) may stand for its triples; None otherwise."""
        ...

    @property
    def modified(self) -> float:
        """When its data last changed as far as kg can tell (seconds since the epoch)."""
        ...

    def query(
        self,
        sparql: str,
        *,
        substitutions: dict[ox.Variable, Any] | None = None,
        default_graph: list[Any] | None = None,
        named_graphs: list[Any] | None = None,
    ) -> Any:
        """kg's own bounded queries (pages, VoID), run here; public queries go through the pool."""
        ...

    def match(
        self,
        subject: Any = None,
        predicate: Any = None,
        object: Any = None,
        *,
        graph: str | ox.NamedNode | ox.DefaultGraph | None = None,
    ) -> list[ox.Triple]: ...

    def triple_count(self) -> int: ...

    def update(self, sparql: str) -> None: ...

    def close(self) -> None: ...


def open_store(
    data_dir: Path, *, base: str | None = None, remote: RemoteConfig | None = None, timeout: float | None = None
) -> Store:
    """The store to serve: the embedded one of `data_dir`, or the SPARQL server `remote` names
    (`data_dir` then only supplies the recorded base URI). `timeout`: seconds per remote request."""
    from kg.uris import DEFAULT_BASE, normalize_base

    if remote is None:
        from kg.stores.embedded import EmbeddedStore

        return EmbeddedStore.open(data_dir, base=base)
    from kg.stores.remote import RemoteStore

    resolved = normalize_base(base or recorded_base(Path(data_dir)) or DEFAULT_BASE)
    return RemoteStore(remote, base=resolved, **({"timeout": timeout} if timeout else {}))


def publish(
    data_dir: Path,
    *,
    base: str | None = None,
    remote: RemoteConfig | None = None,
    progress: Callable[[str], None] | None = None,
    change_file: Path | None = None,
) -> str:
    """Make what `kg build` wrote to `data_dir` servable: bulk-load the embedded store (or patch
    it with the build's `change_file`), or load it into the SPARQL server and switch readers over
    to it. Returns a line saying what was done."""
    if remote is None:
        from kg.stores.embedded import STORE_DIR, prepare

        done = prepare(data_dir, base=base, change_file=change_file)
        return f"store {Path(data_dir) / STORE_DIR} {done or 'already up to date'}"
    from kg.stores.remote import RemoteStore

    store = open_store(data_dir, base=base, remote=remote, timeout=remote.load_timeout)
    assert isinstance(store, RemoteStore)
    try:
        graph = store.publish(Sources.find(Path(data_dir)), progress=progress)
    finally:
        store.close()
    return f"loaded into {remote.query_url} as graph {graph}"
