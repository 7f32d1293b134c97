"""One search worker process: opens the data folder's index read-only and answers searches from
its pipe, so searches use every core (the engine's Python side holds the interpreter's lock, and
one process runs one search's Python at a time).

A job is a `SearchRequest`; the answer is `("ok", SearchResult)`, `("query", message)` for a
query that cannot be read, or `("missing", message)` when the folder has no index. The index
follows the build's swaps itself, as in the server (`SearchIndex`). Nothing here imports the web
framework.
"""

from __future__ import annotations

import os
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path

from kg.search.query import QueryError
from kg.search.reader import IndexMissing, SearchIndex, SearchRequest
from kg.web.workers import die_with_parent, ignore_stop_signals, serve_jobs


def answer(index: SearchIndex, request: SearchRequest) -> tuple[str, object]:
    try:
        return "ok", index.search(request)
    except QueryError as error:
        return "query", str(error)
    except IndexMissing as error:
        return "missing", str(error)


def main(conn: Connection, data_dir: Path) -> None:
    """A worker's life: say ready, answer searches until the pipe closes or a None job comes."""
    ignore_stop_signals()
    die_with_parent()
    index = SearchIndex(data_dir)  # opened at the first search: a folder without one answers "missing"
    conn.send(("ready", os.getpid()))
    serve_jobs(conn, partial(answer, index))


def _cli(argv: list[str]) -> int:
    """`python -m kg.web.search_worker FD DATA-DIR`: how the search pool starts a worker."""
    import importlib

    # Run the imported module, not `__main__`, so what is pickled names its real classes.
    module = importlib.import_module("kg.web.search_worker")
    conn = Connection(int(argv[0]))
    try:
        module.main(conn, Path(argv[1]))
    finally:
        conn.close()
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(_cli(sys.argv[1:]))
