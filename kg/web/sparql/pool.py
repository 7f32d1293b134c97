"""A pool of worker processes that run public SPARQL queries under a time limit.

pyoxigraph cannot interrupt a query running in a thread, so each query runs in a process of its
own, which is killed (and replaced) when it overruns: the CPU it was burning is really freed. A
slow query holds one worker; the others keep answering, and requests wait for a free worker.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from kg.stores import Store
from kg.web.settings import Settings
from kg.web.sparql.worker import MEMORY_EXIT, QueryJob, QueryOutcome, StoreLocation, execute_remote, location_of
from kg.web.workers import WorkerProcess, start_worker

log = logging.getLogger(__name__)

STARTUP_TIMEOUT = 120.0  # seconds a new worker may take to open the store
REMOTE_FACTOR = 4  # queries in flight per configured worker when a SPARQL server evaluates them


class QueryTimeout(Exception):
    """The query ran past the time limit and its worker was stopped."""


class PoolBusy(Exception):
    """No worker became free in time."""


class WorkerFailed(Exception):
    """A worker died during a query or could not start."""


_Worker = WorkerProcess


def _start_worker(location: StoreLocation, generation: int, memory_mib: int = 0) -> _Worker:
    """A worker process talking over one end of a socket pair."""
    return start_worker("kg.web.sparql.worker", [json.dumps(dataclasses.asdict(location)), str(memory_mib)], generation)


class QueryPool:
    def __init__(self, store: Store, settings: Settings):
        self.size = settings.workers
        self.timeout = settings.query_timeout
        self.memory = settings.query_memory
        self.wait_limit = settings.wait_limit
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._starting = 0
        self._generation = 0
        self._paused = False
        self._closed = False
        self._start_error: str | None = None
        # A remote store evaluates queries on its server: no worker processes, the HTTP request
        # carries the time limit, and `size` x REMOTE_FACTOR queries are in flight at most.
        self._remote = store if store.db_path is None and store.sources is None else None
        if self._remote is not None:
            self.size = settings.workers * REMOTE_FACTOR
            self._running = 0
            return
        self._location = _location(store)
        # Workers are started from one long-lived thread: Linux ties a worker's parent-death
        # signal to the thread that started it, so it must not be a thread that ends.
        self._launcher = ThreadPoolExecutor(1, thread_name_prefix="kg-sparql-launcher")
        self._fill()

    # -- running queries -----------------------------------------------------------------------

    def run(self, job: QueryJob) -> QueryOutcome:
        """Run `job` on a free worker. Raises QueryTimeout, PoolBusy or WorkerFailed."""
        if self._remote is not None:
            return self._run_remote(job)
        worker = self._acquire()
        held = True  # False once the worker is replaced: nothing to release
        try:
            try:
                worker.conn.send(job)
            except OSError:
                # It died while idle (killed from outside): replace it and use another.
                self._replace(worker)
                held = False
                return self.run(job)
            if not worker.conn.poll(self.timeout):
                self._replace(worker)
                held = False
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped")
            try:
                outcome = worker.conn.recv()
            except (EOFError, OSError) as error:
                cause = self._death_of(worker)
                self._replace(worker)
                held = False
                raise WorkerFailed(cause) from error
            return outcome
        finally:
            if held:
                self._release(worker)

    def _run_remote(self, job: QueryJob) -> QueryOutcome:
        from kg.stores.errors import StoreError, StoreTimeout, StoreUnavailable

        deadline = time.monotonic() + self.wait_limit
        with self._cond:
            while self._running >= self.size:
                if self._closed:
                    raise WorkerFailed("the server is shutting down")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise PoolBusy(f"{self.size} queries stayed in progress for {self.wait_limit:g} s")
                self._cond.wait(remaining)
            self._running += 1
        try:
            return execute_remote(self._remote, job, self.timeout)
        except StoreTimeout as error:
            raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped") from error
        except StoreUnavailable as error:
            log.warning("SPARQL store unavailable: %s", error)
            raise WorkerFailed("the SPARQL store is unavailable") from error
        except StoreError as error:
            log.error("SPARQL store failed a query: %s", error)
            raise WorkerFailed("the SPARQL store could not answer this query") from error
        finally:
            with self._cond:
                self._running -= 1
                self._cond.notify_all()

    def _acquire(self) -> _Worker:
        deadline = time.monotonic() + self.wait_limit
        with self._cond:
            while True:
                if self._closed:
                    raise WorkerFailed("the server is shutting down")
                if self._idle and not self._paused:
                    worker = self._idle.pop()
                    self._busy.add(worker)
                    return worker
                if self._start_error and not self._idle and not self._busy and not self._starting:
                    raise WorkerFailed("no query worker could start (the server's log says why)")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise PoolBusy(f"all {self.size} query workers stayed busy for {self.wait_limit:g} s")
                self._cond.wait(remaining)

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            self._busy.discard(worker)
            current = worker.generation == self._generation and not self._closed
            if current:
                self._idle.append(worker)
            self._cond.notify_all()
        if not current:
            worker.stop()  # from before a store change: its view of the store is stale
            self._fill()

    def _death_of(self, worker: _Worker) -> str:
        """Why a worker died during a query, as far as its exit says."""
        try:
            code = worker.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        if self.memory and code in (MEMORY_EXIT, -signal.SIGABRT):
            return (
                f"the query needed more memory than a query may use ({self.memory} MiB) and was "
                f"stopped. Narrow the query (a LIMIT, fewer unbound patterns) and try again"
            )
        return "the query worker stopped while running the query"

    def _replace(self, worker: _Worker) -> None:
        """Kill an overrunning or broken worker and start another in the background."""
        with self._cond:
            self._busy.discard(worker)
            self._cond.notify_all()
        worker.stop(kill=True)
        self._fill()

    # -- worker life ---------------------------------------------------------------------------

    def wait_started(self, timeout: float) -> bool:
        """Wait until the workers being started are up (or failed): a server preparing before it
        listens keeps their start off the first requests' cores. False when `timeout` ran out."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._remote is None and self._starting and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def _fill(self) -> None:
        """Start workers until the pool is at its size again (not while the store is written)."""
        with self._cond:
            if self._closed or self._paused or self._remote is not None:
                return
            missing = self.size - len(self._idle) - len(self._busy) - self._starting
            self._starting += max(0, missing)
            generation = self._generation
        for _ in range(missing):
            threading.Thread(target=self._spawn, args=(generation,), daemon=True, name="kg-sparql-worker-start").start()

    def _spawn(self, generation: int) -> None:
        worker: _Worker | None = None
        error: str | None = None
        try:
            worker = self._launcher.submit(_start_worker, self._location, generation, self.memory).result()
            if not worker.conn.poll(STARTUP_TIMEOUT):
                error = "timed out opening the store"
            else:
                status, detail = worker.conn.recv()
                if status != "ready":
                    error = str(detail)
        except Exception as failure:  # any failure must be counted, or the pool waits forever
            error = f"{type(failure).__name__}: {failure}"
        with self._cond:
            self._starting -= 1
            usable = error is None and not self._closed and generation == self._generation
            if usable:
                assert worker is not None
                self._idle.append(worker)
                self._start_error = None
            elif error is not None:
                self._start_error = error
                log.error("SPARQL worker could not start: %s", error)
            self._cond.notify_all()
        if not usable:
            if worker is not None:
                worker.stop(kill=True)
            if error is None:
                self._fill()  # started for an older store: start a current one

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Stop every worker so the store can be written, and start fresh ones afterwards, which
        see the change. Running queries get the time limit to finish, then are stopped."""
        if self._remote is not None:  # the server orders its own reads and writes
            yield
            return
        deadline = time.monotonic() + self.timeout
        with self._cond:
            self._paused = True
            self._generation += 1
            while (self._busy or self._starting) and time.monotonic() < deadline:
                self._cond.wait(max(0.0, deadline - time.monotonic()))
            idle, self._idle = self._idle, []
            overrunning = list(self._busy)
        for worker in idle:
            worker.stop()
        for worker in overrunning:
            worker.process.kill()  # its query answers "worker stopped"
            worker.process.wait()
        try:
            yield
        finally:
            with self._cond:
                self._paused = False
                self._cond.notify_all()
            self._fill()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for worker in idle:
            worker.stop()
        if self._remote is None:
            self._launcher.shutdown(wait=False)

    def stats(self) -> dict[str, int]:
        with self._cond:
            if self._remote is not None:
                return {"idle": self.size - self._running, "busy": self._running, "starting": 0}
            return {"idle": len(self._idle), "busy": len(self._busy), "starting": self._starting}


def _location(store: Store) -> StoreLocation:
    if store.db_path is not None:
        return location_of(store.db_path)
    if store.sources is None:
        raise WorkerFailed("an in-memory store without source files cannot be shared with workers")
    return location_of(None, store.sources.graph, store.sources.ontology, store.ontology_graph)
