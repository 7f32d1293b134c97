"""Search worker processes: every search runs in one of them, so searches use every core.

The engine does its own work without Python's lock, but a search's Python side (the query,
snippets, facet lists) holds it, and threads of one process taking turns with it wait for each
other; a few processes, each with the index open read-only, do not. A worker that dies during a
search is replaced, and the search answers an error (503), never hangs: it waits at most the
query time limit. Each worker follows the build's index swaps itself.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kg.search.query import QueryError
from kg.search.reader import IndexMissing, SearchRequest, SearchResult
from kg.web.workers import WorkerProcess, start_worker

log = logging.getLogger(__name__)

STARTUP_TIMEOUT = 60.0  # seconds a new worker may take to start


class SearchFailed(Exception):
    """No answer: the worker died or overran, no worker became free, or none could start."""


class SearchPool:
    def __init__(self, data_dir: Path, size: int, timeout: float, wait_limit: float):
        self.data_dir, self.size, self.timeout, self.wait_limit = Path(data_dir), size, timeout, wait_limit
        self._cond = threading.Condition()
        self._idle: list[WorkerProcess] = []
        self._busy: set[WorkerProcess] = set()
        self._starting = 0
        self._closed = False
        self._start_error: str | None = None
        # Started from one long-lived thread: Linux ties a worker's parent-death signal to the
        # thread that started it, so it must not be a thread that ends.
        self._launcher = ThreadPoolExecutor(1, thread_name_prefix="kg-search-launcher")
        self._fill()

    def run(self, request: SearchRequest) -> SearchResult:
        """`request` answered by a worker. Raises QueryError and IndexMissing as the index does,
        SearchFailed when no worker answers."""
        for _ in range(self.size + 1):  # a worker found dead while idle is replaced; try another
            worker = self._acquire()
            try:
                worker.conn.send(request)
            except OSError:
                self._replace(worker)
                continue
            return self._answer(worker)
        raise SearchFailed("the search workers keep stopping (the server's log says why)")

    def _answer(self, worker: WorkerProcess) -> SearchResult:
        try:
            if not worker.conn.poll(self.timeout):
                self._replace(worker)
                raise SearchFailed(f"the search ran longer than {self.timeout:g} s and was stopped")
            status, value = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise SearchFailed("the search worker stopped while searching; try again") from None
        self._release(worker)
        if status == "ok":
            assert isinstance(value, SearchResult)
            return value
        if status == "query":
            raise QueryError(str(value))
        raise IndexMissing(str(value))

    def _acquire(self) -> WorkerProcess:
        deadline = time.monotonic() + self.wait_limit
        with self._cond:
            while True:
                if self._closed:
                    raise SearchFailed("the server is shutting down")
                if self._idle:
                    worker = self._idle.pop()
                    self._busy.add(worker)
                    return worker
                if self._start_error and not self._busy and not self._starting:
                    error, self._start_error = self._start_error, None
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise SearchFailed(f"all {self.size} search workers stayed busy for {self.wait_limit:g} s")
                self._cond.wait(remaining)
        self._fill()  # the next search finds them starting again
        raise SearchFailed(f"no search worker could start: {error}")

    def _release(self, worker: WorkerProcess) -> None:
        with self._cond:
            self._busy.discard(worker)
            if self._closed:
                closed = True
            else:
                closed = False
                self._idle.append(worker)
            self._cond.notify_all()
        if closed:
            worker.stop()

    def _replace(self, worker: WorkerProcess) -> None:
        with self._cond:
            self._busy.discard(worker)
            self._cond.notify_all()
        worker.stop(kill=True)
        self._fill()

    def _fill(self) -> None:
        """Start workers until the pool is at its size again."""
        with self._cond:
            if self._closed:
                return
            missing = max(0, self.size - len(self._idle) - len(self._busy) - self._starting)
            self._starting += missing
        for _ in range(missing):
            threading.Thread(target=self._spawn, daemon=True, name="kg-search-worker-start").start()

    def _spawn(self) -> None:
        worker: WorkerProcess | None = None
        error: str | None = None
        try:
            worker = self._launcher.submit(start_worker, "kg.web.search_worker", [str(self.data_dir)], 0).result()
            if not worker.conn.poll(STARTUP_TIMEOUT):
                error = "timed out starting"
            else:
                status, detail = worker.conn.recv()
                if status != "ready":
                    error = str(detail)
        except Exception as failure:  # any failure must be counted, or searches wait forever
            error = f"{type(failure).__name__}: {failure}"
        with self._cond:
            self._starting -= 1
            usable = error is None and not self._closed
            if usable:
                assert worker is not None
                self._idle.append(worker)
            elif error is not None:
                self._start_error = error
                log.error("search worker could not start: %s", error)
            self._cond.notify_all()
        if not usable and worker is not None:
            worker.stop(kill=True)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for worker in idle:
            worker.stop()
        self._launcher.shutdown(wait=False)

    def stats(self) -> dict[str, int]:
        with self._cond:
            return {"idle": len(self._idle), "busy": len(self._busy), "starting": self._starting}
