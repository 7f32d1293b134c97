"""Answers to SPARQL queries, kept while the store is unchanged.

Whole-graph aggregations (the example queries' counts and listings) cost time in proportion to
the data, in any engine; people and dashboards send the same ones again and again (the query
page offers them one click away). An answer depends only on the query, how it asked for its
results and the store's content, so it is kept per store version (`KgContext.derived`): an
operator update or a rebuild starts an empty cache, and nothing stale is ever served.

Queries whose answer changes from one run to the next (`NOW()`, `RAND()`, `UUID()`,
`STRUUID()`, `BNODE()`) are never kept; `kg.sparql_reader` finds them.
"""

from __future__ import annotations

from kg.sparql_reader import Reading
from kg.web.context import KgContext
from kg.web.describe import Lru
from kg.web.sparql.worker import QueryJob, QueryOutcome

CACHE_BYTES = 64 * 1024 * 1024
ENTRY_BYTES = 8 * 1024 * 1024  # a bigger answer is cheaper to compute again than to crowd out others
CELL_BYTES = 96  # what one cell of a table kept for the HTML page costs, roughly

CacheKey = tuple[str, str | None, tuple[str, ...], tuple[str, ...] | None, tuple[str, ...] | None, int]


def cache_key(job: QueryJob, reading: Reading) -> CacheKey | None:
    """What the answer depends on besides the store; None when it must be computed every time."""
    if reading.volatile_functions:
        return None
    return (job.query, job.accept, tuple(job.formats), job.default_graph, job.named_graphs, job.limit)


def weight(outcome: QueryOutcome) -> int:
    cells = 0
    if outcome.table is not None:
        cells = len(outcome.table.rows) * max(1, len(outcome.table.variables))
    size = len(outcome.body) + cells * CELL_BYTES + 512
    return size if size <= ENTRY_BYTES else CACHE_BYTES + 1  # never kept


def answers(ctx: KgContext) -> Lru[CacheKey, QueryOutcome]:
    """The cache of the store's current version."""
    return ctx.derived("sparql-answers", lambda _: Lru(CACHE_BYTES, weigh=weight))
