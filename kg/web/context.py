"""What every route needs, made once per app: `request.app.state.kg`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import anyio.to_thread
import jinja2

from kg import BrokenInstall
from kg.stores import Store, open_store
from kg.uris import UriMinter
from kg.web.settings import Settings

if TYPE_CHECKING:
    from kg.web.search_pool import SearchPool
    from kg.web.sparql.pool import QueryPool

T = TypeVar("T")

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# Threads rendering documents and pages at once. Rendering is Python holding the GIL between short
# store calls that release it; with several such threads every release hands the GIL to another
# and the thread waits a whole switch interval to get it back. At 16 clients asking for documents
# not yet cached, 16 threads (the thread pool's default) took 31 ms of CPU per document and
# answered 40 a second; one thread takes 7 ms and answers 147 a second (benchmarks/serve.py).
RENDER_THREADS = 1


# Every template a page renders; all are loaded (and compiled) at start, so a broken install
# stops `kg serve` with the name of what is missing instead of failing a page later.
TEMPLATES = (
    "base.html",
    "_terms.html",
    "home.html",
    "list.html",
    "not_found.html",
    "resource.html",
    "_person.html",
    "_agency.html",
    "sparql.html",
    "vocabulary.html",
    "dumps.html",
    "void.html",
    "error.html",
    "stats.html",
    "overdue.html",
    "search.html",
    "api_query.html",
    "api.html",
)


def make_templates() -> jinja2.Environment:
    """The page templates, autoescaped: every value reaching HTML is escaped unless a template
    says otherwise. Raises BrokenInstall when one is missing or does not compile."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    for name in TEMPLATES:
        try:
            environment.get_template(name)
        except jinja2.TemplateNotFound as error:
            raise BrokenInstall(f"the page template {name} is missing from {TEMPLATES_DIR}: reinstall kg") from error
        except jinja2.TemplateSyntaxError as error:
            raise BrokenInstall(
                f"the page template {name} does not compile (line {error.lineno}: {error.message})"
            ) from error
    return environment


def dataset_uri_for(base: str) -> str:
    """The VoID/DCAT dataset: a fragment of the VoID document, which describes it."""
    return base + ".well-known/void#dataset"


class StopFlag:
    """Set once when the server is asked to stop, read by work that should give up. It takes no
    lock, unlike `threading.Event`: it is set from a signal handler, and a second signal (a
    process manager signals the whole group: the supervisor forwards it too) runs the handler
    again inside the first one, where waiting for the event's lock would hang the server."""

    def __init__(self) -> None:
        self._set = False

    def set(self) -> None:
        self._set = True

    def is_set(self) -> bool:
        return self._set


@dataclass
class KgContext:
    settings: Settings
    store: Store
    minter: UriMinter
    templates: jinja2.Environment
    dataset_uri: str
    version: int = 0  # bumped by every store change, so derived caches (VoID) know to recompute
    _pool: QueryPool | None = field(default=None, repr=False)
    _pool_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _search_pool: SearchPool | None = field(default=None, repr=False)
    _derived: dict[str, tuple[Any, Any]] = field(default_factory=dict, repr=False)
    _derived_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _derived_locks: dict[str, threading.Lock] = field(default_factory=dict, repr=False)
    _render_limiters: dict[str, anyio.CapacityLimiter] = field(default_factory=dict, repr=False)
    # Set when the server is asked to stop (SIGTERM, Ctrl+C): long work, such as writing the
    # documents ahead, gives up rather than hold the stop for minutes.
    stopping: StopFlag = field(default_factory=StopFlag, repr=False)

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    @classmethod
    def create(cls, settings: Settings, store: Store | None = None) -> KgContext:
        """Open the store of `settings.data_dir` (unless given) and set everything up."""
        if store is None:
            store = open_store(settings.data_dir, base=settings.base)
        return cls(
            settings=settings,
            store=store,
            minter=UriMinter(settings.base),
            templates=make_templates(),
            dataset_uri=dataset_uri_for(settings.base),
        )

    @property
    def pool(self) -> QueryPool:
        """The SPARQL worker processes, started on first use."""
        with self._pool_lock:
            if self._pool is None:
                from kg.web.sparql.pool import QueryPool

                self._pool = QueryPool(self.store, self.settings)
            return self._pool

    @property
    def search_pool(self) -> SearchPool:
        """The search worker processes (`settings.search_workers` of them), started on first use."""
        with self._pool_lock:
            if self._search_pool is None:
                from kg.web.search_pool import SearchPool

                self._search_pool = SearchPool(
                    self.data_dir, self.settings.search_workers, self.settings.query_timeout, self.settings.wait_limit
                )
            return self._search_pool

    async def render(
        self, work: Callable[..., T], *args: Any, lane: str = "documents", threads: int = RENDER_THREADS
    ) -> T:
        """`work(*args)` off the event loop, in the render thread of its lane (see
        RENDER_THREADS): Python work that reads the store, so the loop keeps answering cached
        documents meanwhile. Lists and the home page have a lane of their own: their first
        request after a start or an update sorts every instance of a class (seconds on a large
        graph), which must not hold up the documents. `threads` (taken at a lane's first use)
        suits a lane whose threads only wait for worker processes."""
        limiter = self._render_limiters.get(lane)
        if limiter is None:
            limiter = self._render_limiters[lane] = anyio.CapacityLimiter(threads)
        return await anyio.to_thread.run_sync(work, *args, limiter=limiter)

    def derived(self, name: str, compute: Callable[[KgContext], T]) -> T:
        """`compute(self)`, computed once per store version (VoID statistics, dump checksums)."""
        with self._derived_lock:
            lock = self._derived_locks.setdefault(name, threading.Lock())
        with lock:  # one computation per name at a time; other names are not held up
            # A remote store's rebuild switches its generation without this process writing.
            version = (self.version, self.store.generation)
            cached = self._derived.get(name)
            if cached is not None and cached[0] == version:
                return cached[1]
            value = compute(self)
            self._derived[name] = (version, value)
            return value

    def refresh(self, name: str, compute: Callable[[KgContext], T]) -> T:
        """`derived`, computed again now: what it depends on changed without the store
        changing (the documents written ahead, once written while the server runs)."""
        with self._derived_lock:
            lock = self._derived_locks.setdefault(name, threading.Lock())
        with lock:
            self._derived.pop(name, None)
        return self.derived(name, compute)

    def changed(self) -> None:
        """The store was written: drop what was computed from it."""
        self.version += 1

    def close(self) -> None:
        with self._pool_lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
            if self._search_pool is not None:
                self._search_pool.close()
                self._search_pool = None
        self.store.close()
