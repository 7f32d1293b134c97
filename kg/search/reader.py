"""Searching the index: ranked hits with highlighted snippets, facet counts and hits per year.

`SearchIndex.open(data_dir)` opens the index `kg build` wrote there, read-only, and follows the
build's swaps (it looks at `CURRENT` at most once a second). Every value a user gave reaches the
engine as a term of a field, analysed like the text it is compared with: the query tree of
`kg.search.query` is turned into engine queries by `kg.search.compile`, never into query text;
hits are shown by `kg.search.snippets`.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tantivy

from kg.search.compile import compile_query, facet_filter
from kg.search.query import QueryError, parse, terms
from kg.search.schema import (
    FACETS,
    SCHEMA_VERSION,
    SET_SEPARATOR,
    count_field,
    current_folder,
    index_format,
    register,
)
from kg.search.snippets import Hit, Snippets

__all__ = [
    "FACETS",
    "MAX_PAGE_SIZE",
    "FacetValue",
    "Hit",
    "IndexMissing",
    "SearchIndex",
    "SearchRequest",
    "SearchResult",
    "compile_query",
]

log = logging.getLogger(__name__)

SORTS = ("relevance", "date", "date-asc")
MAX_PAGE_SIZE = 100
MAX_OFFSET = 10_000  # hits beyond this are not paged to: narrow the query instead
FACET_SIZE = 15  # values shown per facet
CHECK_EVERY = 1.0  # seconds between looks at CURRENT
FACET_CACHE = 256  # queries whose facet counts are kept
COMPLEMENT_SHARE = 0.5  # a query matching more of the questions has its facets counted over the rest
ALL_VALUES = 10_000  # values of one facet counted whole at most (more: counted over the hits)
SET_SIZE = 1000  # sets of values a "set" facet may have (its values come from a short closed list)


class IndexMissing(RuntimeError):
    """The data folder has no search index (built before search existed, or not built)."""


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (facet, values): all facets, any value
    sort: str = "relevance"
    page: int = 1
    size: int = 20
    language: str = "nl"  # the reader's: which facet labels and which snippet first
    facets: bool = True  # count facet values and years (False: the hits alone, faster)


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    years: list[tuple[int, int]]  # (year, hits), every year with a hit, in order
    seconds: float = 0.0
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        reachable = min(self.total, MAX_OFFSET + self.request.size)
        self.pages = max(1, -(-reachable // self.request.size))


class SearchIndex:
    """The data folder's current index, reopened when a build swaps in another."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self._lock = threading.Lock()
        self._folder: Path | None = None
        self._index: tantivy.Index | None = None
        self._checked = 0.0
        self._facet_cache: OrderedDict[tuple[Any, ...], tuple[dict[str, list[FacetValue]], list[tuple[int, int]]]] = (
            OrderedDict()
        )  # its lists are never changed once made: they are handed out as copies of the lists alone
        self._everything_cache: dict[tuple[Path | None, str], dict[str, dict[str, int]] | None] = {}

    @classmethod
    def open(cls, data_dir: Path) -> SearchIndex:
        index = cls(data_dir)
        index.current()
        return index

    def current(self) -> tantivy.Index:
        return self._current()[0]

    def _current(self) -> tuple[tantivy.Index, Path | None]:
        """The open index and its folder, the one CURRENT names (looked at once a second)."""
        now = time.monotonic()
        with self._lock:
            if self._index is None or now - self._checked >= CHECK_EVERY:
                self._checked = now
                folder = current_folder(self.data_dir)
                written = index_format(folder) if folder is not None and folder != self._folder else SCHEMA_VERSION
                if folder is None:
                    if self._index is None:
                        raise IndexMissing(f"{self.data_dir}: no search index; run kg build to write one")
                elif written != SCHEMA_VERSION:  # fields this version does not count from: not opened
                    if self._index is None:
                        raise IndexMissing(
                            f"{self.data_dir}: the search index was written by another version of kg "
                            f"(format {written or 'unknown'}, this one reads {SCHEMA_VERSION}); run kg build "
                            "to write it again"
                        )
                elif folder != self._folder:
                    index = _open(folder)
                    register(index)
                    self._index, self._folder = index, folder
            assert self._index is not None
            return self._index, self._folder

    def search(self, request: SearchRequest) -> SearchResult:
        """Hits, facets and years for `request`. Raises QueryError for a query or filter that
        cannot be read."""
        started = time.monotonic()
        if request.sort not in SORTS:
            raise QueryError(f"unknown sort '{request.sort}': use one of {', '.join(SORTS)}")
        if not 1 <= request.size <= MAX_PAGE_SIZE:
            raise QueryError(f"the page size must be between 1 and {MAX_PAGE_SIZE}")
        offset = (request.page - 1) * request.size
        if request.page < 1 or offset > MAX_OFFSET:
            raise QueryError(
                f"the page must be between 1 and {MAX_OFFSET // request.size + 1}: narrow the query "
                "to see hits further down"
            )
        tree = parse(request.q)
        matched = compile_query(tree)
        if tree is not None and matched is None:
            raise QueryError("the query has no words that can be searched for")
        filters = [facet_filter(facet, values) for facet, values in request.filters if values]
        clauses = [(tantivy.Occur.Must, q) for q in [matched, *filters] if q is not None]
        query = tantivy.Query.boolean_query(clauses) if clauses else tantivy.Query.all_query()
        index, folder = self._current()
        searcher = index.searcher()
        by_date = request.sort != "relevance" or matched is None
        if by_date:
            order = tantivy.Order.Asc if request.sort == "date-asc" else tantivy.Order.Desc
            found = searcher.search(query, request.size, count=True, order_by_field="day", offset=offset, order=order)
        else:
            found = searcher.search(query, request.size, count=True, offset=offset)
        language = "fr" if request.language == "fr" else "nl"
        sought = len({word for term in terms(tree) for word in term.text.lower().split()})
        snippets = Snippets(searcher, matched, language, sought)
        hits = [snippets.hit(searcher.doc(address), None if by_date else float(score)) for score, address in found.hits]
        total = getattr(found, "count", None) or 0
        facets, years = self._facets(searcher, query, request, language, folder, total) if request.facets else ({}, [])
        return SearchResult(request, total, hits, facets, years, time.monotonic() - started)

    def _facets(
        self,
        searcher: tantivy.Searcher,
        query: tantivy.Query,
        request: SearchRequest,
        language: str,
        folder: Path | None,
        total: int,
    ) -> tuple[dict[str, list[FacetValue]], list[tuple[int, int]]]:
        """Facet counts, kept for the last FACET_CACHE queries of this index: the next page or
        another order of the same query counts nothing again. A query matching most questions
        is counted over the questions it does not match, taken from the counts of all."""
        key = (folder, request.q, request.filters, language)
        with self._lock:
            held = self._facet_cache.get(key)
            if held is not None:
                self._facet_cache.move_to_end(key)
        if held is None:
            counts = None
            if total > COMPLEMENT_SHARE * searcher.num_docs:
                everything = self._everything(searcher, language, folder)
                if everything is not None and total == searcher.num_docs:
                    counts = everything  # every question: nothing to take away
                elif everything is not None:
                    counts = _subtract(everything, _counts(searcher, _complement(query), language, ALL_VALUES))
            if counts is None:
                counts = _counts(searcher, query, language, FACET_SIZE)
            held = _listed(counts, dict(request.filters))
            with self._lock:
                self._facet_cache[key] = held
                while len(self._facet_cache) > FACET_CACHE:
                    self._facet_cache.popitem(last=False)
        facets, years = held
        return {name: list(values) for name, values in facets.items()}, list(years)

    def _everything(
        self, searcher: tantivy.Searcher, language: str, folder: Path | None
    ) -> dict[str, dict[str, int]] | None:
        """Every facet value's count over the whole index (None: a facet has too many values to
        be counted whole), counted once per index and language."""
        key = (folder, language)
        with self._lock:
            if key in self._everything_cache:
                return self._everything_cache[key]
        counts: dict[str, dict[str, int]] | None = _counts(searcher, tantivy.Query.all_query(), language, ALL_VALUES)
        if counts is not None and any(len(values) >= ALL_VALUES for values in counts.values()):
            counts = None
        with self._lock:
            self._everything_cache = {k: v for k, v in self._everything_cache.items() if k[0] == folder}
            self._everything_cache[key] = counts
        return counts


def _open(folder: Path) -> tantivy.Index:
    """The index in `folder`. The engine takes a lock file in the folder even to read; where it
    cannot (a read-only file system, a folder of another user), the index is read from a copy in
    the temporary folder, removed when the process ends."""
    try:
        return tantivy.Index.open(str(folder))
    except (ValueError, OSError) as error:
        copy = Path(tempfile.mkdtemp(prefix="kg-search-"))
        atexit.register(shutil.rmtree, copy, ignore_errors=True)
        log.warning("%s: cannot be opened in place (%s); reading a copy in %s", folder, error, copy)
        for path in folder.iterdir():
            if path.is_file() and not path.name.startswith(".tantivy-"):
                shutil.copyfile(path, copy / path.name)
        return tantivy.Index.open(str(copy))


# -- facets --------------------------------------------------------------------------------------


def _counts(searcher: tantivy.Searcher, query: tantivy.Query, language: str, size: int) -> dict[str, dict[str, int]]:
    """The `size` most frequent values of each facet among the questions `query` matches (every
    year), with their counts."""
    request: dict[str, Any] = {
        facet: {"terms": {"field": count_field(facet, language), "size": _asked(facet, size)}} for facet in FACETS
    }
    answer = searcher.aggregate(query, request)
    counts = {}
    for facet in FACETS:
        buckets = answer[facet]["buckets"]
        if FACETS[facet][1] != "set":
            counts[facet] = {_key(bucket["key"]): int(bucket["doc_count"]) for bucket in buckets}
            continue
        # Each bucket is one set of values: a value counts the questions of every set holding it.
        if answer[facet].get("sum_other_doc_count"):
            raise RuntimeError(f"the {facet} facet has more than {SET_SIZE} sets of values")
        values: dict[str, int] = {}
        for bucket in buckets:
            for value in str(bucket["key"]).split(SET_SEPARATOR):
                if value:
                    values[value] = values.get(value, 0) + int(bucket["doc_count"])
        counts[facet] = values
    return counts


def _asked(facet: str, size: int) -> int:
    """How many buckets to ask for: every year, every set of a "set" facet."""
    if facet == "year":
        return max(size, 1000)
    return SET_SIZE if FACETS[facet][1] == "set" else size


def _complement(query: tantivy.Query) -> tantivy.Query:
    """The questions `query` does not match."""
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, tantivy.Query.all_query()), (tantivy.Occur.MustNot, query)]
    )


def _subtract(everything: dict[str, dict[str, int]], others: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    counts = {}
    for facet, values in everything.items():
        taken = others[facet]
        counts[facet] = {value: n - taken.get(value, 0) for value, n in values.items() if n > taken.get(value, 0)}
    return counts


def _listed(
    counts: dict[str, dict[str, int]], selected: dict[str, tuple[str, ...]]
) -> tuple[dict[str, list[FacetValue]], list[tuple[int, int]]]:
    """The facets as shown: the FACET_SIZE most frequent values of each (the most recent years,
    legislatures newest first), a value chosen but not among them kept with 0."""
    facets: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        chosen = set(selected.get(facet, ()))
        values = [FacetValue(value, count) for value, count in counts[facet].items()]
        if facet == "year":
            values.sort(key=lambda v: int(v.value), reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.value))
            values = values[:FACET_SIZE]
            if facet == "legislature":
                values.sort(key=lambda v: int(v.value), reverse=True)
        values = values[:FACET_SIZE]
        shown = {v.value for v in values}
        values += [FacetValue(value, 0) for value in sorted(chosen - shown)]  # a choice stays visible
        facets[facet] = [FacetValue(v.value, v.count, True) if v.value in chosen else v for v in values]
    years = sorted((int(value), count) for value, count in counts["year"].items())
    return facets, years


def _key(key: object) -> str:
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)
