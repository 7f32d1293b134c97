"""Searching the index: ranked hits with highlighted snippets, facet counts and hits per year.

`SearchIndex.open(data_dir)` opens the index `kg build` wrote there, read-only, and follows the
build's swaps (it looks at `CURRENT` at most once a second). Every value a user gave reaches the
engine as a term of a field, analysed like the text it is compared with: the query tree of
`kg.search.query` is turned into engine queries here, never into query text.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import Any

import tantivy

from kg.search.query import And, Node, Not, Phrase, QueryError, Term, parse, terms
from kg.search.schema import (BOOSTS, FACETS, LANGUAGES, QUERY_FIELDS, TEXT_FIELDS, analyzer, current_folder,
                              facet_field, register, schema, text_field)

log = logging.getLogger(__name__)

SORTS = ("relevance", "date", "date-asc")
MAX_PAGE_SIZE = 100
MAX_OFFSET = 10_000  # hits beyond this are not paged to: narrow the query instead
FACET_SIZE = 15  # values shown per facet
SNIPPET_CHARS = 240
TITLE_CHARS = 1000  # titles are shown whole
CHECK_EVERY = 1.0  # seconds between looks at CURRENT
FACET_CACHE = 256  # queries whose facet counts are kept


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


@dataclass
class Hit:
    number: str
    score: float | None  # None when sorted by date or nothing was asked
    language: str  # of the title and snippet shown
    title_html: str  # escaped, matches in <mark>
    snippet_html: str
    asked: str
    answered: str | None
    status: tuple[str, ...]
    asker: str
    party: str | None
    offices: tuple[str, ...]
    ministers: tuple[str, ...]
    languages: tuple[str, ...]  # the versions kg holds


@dataclass
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
        self._facet_cache: OrderedDict[tuple[Any, ...], tuple[dict[str, list[FacetValue]], list[tuple[int, int]]]] = \
            OrderedDict()

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
                if folder is None:
                    if self._index is None:
                        raise IndexMissing(f"{self.data_dir}: no search index; run kg build to write one")
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
            raise QueryError(f"the page must be between 1 and {MAX_OFFSET // request.size + 1}: narrow the query "
                             "to see hits further down")
        tree = parse(request.q)
        matched = compile_query(tree)
        if tree is not None and matched is None:
            raise QueryError("the query has no words that can be searched for")
        filters = [_filter(facet, values) for facet, values in request.filters if values]
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
        snippets = _Snippets(searcher, matched, language, sought)
        hits = [snippets.hit(searcher.doc(address), None if by_date else float(score))
                for score, address in found.hits]
        facets, years = self._facets(searcher, query, request, language, folder) if request.facets else ({}, [])
        return SearchResult(request, getattr(found, "count", None) or 0, hits, facets, years, time.monotonic() - started)

    def _facets(self, searcher: tantivy.Searcher, query: tantivy.Query, request: SearchRequest,
                language: str, folder: Path | None) -> tuple[dict[str, list[FacetValue]], list[tuple[int, int]]]:
        """Facet counts, kept for the last FACET_CACHE queries of this index: the next page or
        another order of the same query counts nothing again."""
        key = (folder, request.q, request.filters, language)
        with self._lock:
            held = self._facet_cache.get(key)
            if held is not None:
                self._facet_cache.move_to_end(key)
        if held is None:
            held = _facets(searcher, query, language, dict(request.filters))
            with self._lock:
                self._facet_cache[key] = held
                while len(self._facet_cache) > FACET_CACHE:
                    self._facet_cache.popitem(last=False)
        facets, years = held
        return {name: [replace(value) for value in values] for name, values in facets.items()}, list(years)


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


# -- the query tree as engine queries ----------------------------------------------------------------

def compile_query(node: Node | None) -> tantivy.Query | None:
    """The engine query of a tree; None when nothing in it can be searched for."""
    if node is None:
        return None
    if isinstance(node, (Term, Phrase)):
        return _words(node)
    if isinstance(node, Not):
        return _conjunction((node,))
    if isinstance(node, And):
        return _conjunction(node.nodes)
    subqueries = [q for q in (compile_query(child) for child in node.nodes) if q is not None]
    return _any(subqueries)


def _conjunction(nodes: tuple[Node, ...]) -> tantivy.Query | None:
    musts = [q for q in (compile_query(n) for n in nodes if not isinstance(n, Not)) if q is not None]
    nots = [q for q in (compile_query(n.node) for n in nodes if isinstance(n, Not)) if q is not None]
    if not musts and not nots:
        return None
    if not musts:
        musts = [tantivy.Query.all_query()]  # "-facebook": every question without it
    if len(musts) == 1 and not nots:
        return musts[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in musts]
                                       + [(tantivy.Occur.MustNot, q) for q in nots])


def _any(queries: list[tantivy.Query]) -> tantivy.Query | None:
    if not queries:
        return None
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


def _words(node: Term | Phrase) -> tantivy.Query | None:
    """A word or phrase in its field, or in every field: each field's analysis applied to it."""
    names = (node.field,) if node.field else QUERY_FIELDS
    queries = []
    for name in names:
        languages: tuple[str | None, ...] = LANGUAGES if name in TEXT_FIELDS else (None,)
        for language in languages:
            query = _field_query(text_field(name, language), language, node)
            if query is not None:
                boost = BOOSTS.get(name)
                queries.append(tantivy.Query.boost_query(query, boost) if boost else query)
    return _any(queries)


def _field_query(name: str, language: str | None, node: Term | Phrase) -> tantivy.Query | None:
    tokens = [token for token in analyzer(language).analyze(node.text) if token]
    if not tokens:
        return None
    if isinstance(node, Term) and node.prefix:
        if len(tokens) > 1:
            raise QueryError(f"the prefix '{node.text}*' must be one word")
        # Stems are what the index holds: "sociale*" must reach "social", "soci*" reaches all.
        word = analyzer(None).analyze(node.text)[0]
        start = tokens[0] if word.startswith(tokens[0]) else word
        if not start.isalnum():
            raise QueryError(f"the prefix '{node.text}*' must be letters or digits")
        return tantivy.Query.regex_query(schema(), name, start + ".*")
    if len(tokens) == 1:
        return tantivy.Query.term_query(schema(), name, tokens[0])
    words: list[str | tuple[int, str]] = list(tokens)
    return tantivy.Query.phrase_query(schema(), name, words)


def _filter(facet: str, values: tuple[str, ...]) -> tantivy.Query:
    """Questions with any of `values` for `facet` (a value in either language's field)."""
    if facet not in FACETS:
        raise QueryError(f"unknown facet '{facet}': use one of {', '.join(FACETS)}")
    name, kind = FACETS[facet]
    queries = []
    for value in values:
        if kind == "int":
            try:
                number = int(value)
            except ValueError:
                raise QueryError(f"{facet} must be a number, not '{value[:40]}'") from None
            queries.append(tantivy.Query.term_query(schema(), name, number))
        elif kind == "lang":
            queries += [tantivy.Query.term_query(schema(), f"{name}_{language}", value) for language in LANGUAGES]
        else:
            queries.append(tantivy.Query.term_query(schema(), name, value))
    combined = _any(queries)
    assert combined is not None
    return combined


# -- facets --------------------------------------------------------------------------------------

def _facets(searcher: tantivy.Searcher, query: tantivy.Query, language: str,
            selected: dict[str, tuple[str, ...]]) -> tuple[dict[str, list[FacetValue]], list[tuple[int, int]]]:
    request: dict[str, Any] = {facet: {"terms": {"field": facet_field(facet, language), "size": FACET_SIZE}}
                               for facet in FACETS}
    request["year"]["terms"]["size"] = 1000  # the histogram needs every year
    answer = searcher.aggregate(query, request)
    facets: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        chosen = set(selected.get(facet, ()))
        values = [FacetValue(_key(bucket["key"]), int(bucket["doc_count"])) for bucket in answer[facet]["buckets"]]
        if facet == "year":
            values.sort(key=lambda v: v.value, reverse=True)
            values = values[:FACET_SIZE]
        elif facet == "legislature":
            values.sort(key=lambda v: int(v.value), reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.value))
        shown = {v.value for v in values}
        values += [FacetValue(value, 0) for value in sorted(chosen - shown)]  # a choice stays visible
        for value in values:
            value.selected = value.value in chosen
        facets[facet] = values
    years = sorted((int(_key(b["key"])), int(b["doc_count"])) for b in answer["year"]["buckets"])
    return facets, years


def _key(key: object) -> str:
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)


# -- hits and snippets ---------------------------------------------------------------------------

class _Snippets:
    """Highlighted titles and snippets for one query. A hit is shown in the reader's language
    when its text there has every word sought, else in the language with most different words
    marked (title and text), the reader's on a tie."""

    def __init__(self, searcher: tantivy.Searcher, query: tantivy.Query | None, language: str, sought: int):
        self.searcher, self.query, self.language = searcher, query, language
        self.sought = max(sought, 1)  # different words the query looks for
        self.generators: dict[str, tantivy.SnippetGenerator] = {}
        self.preferred = (language, *(other for other in LANGUAGES if other != language))

    def generator(self, name: str, chars: int) -> tantivy.SnippetGenerator:
        generator = self.generators.get(name)
        if generator is None:
            assert self.query is not None
            generator = tantivy.SnippetGenerator.create(self.searcher, self.query, schema(), name)
            generator.set_max_num_chars(chars)
            self.generators[name] = generator
        return generator

    def _marked(self, doc: tantivy.Document, stored: dict[str, list[Any]], field: str,
                chars: int) -> tuple[int, str | None]:
        """How many different words the field's snippet marks, and the snippet as HTML (None
        when it marks nothing)."""
        if not stored.get(field):
            return 0, None
        snippet = self.generator(field, chars).snippet_from_doc(doc)
        words = _distinct(snippet)
        if not words:
            return 0, None
        if chars == TITLE_CHARS and snippet.fragment() != _first(stored, field):
            return words, None  # a title is shown whole, or unmarked
        marked = _html(snippet)
        where = snippet.fragment_range()
        if where.start > 0:
            marked = "… " + marked  # the text goes on before and after the fragment
        if where.end < len(_first(stored, field).strip().encode("utf-8")):
            marked += " …"
        return words, marked

    def hit(self, doc: tantivy.Document, score: float | None) -> Hit:
        stored = doc.to_dict()
        held = tuple(language for language in LANGUAGES if stored.get(text_field("title", language))
                     or stored.get(text_field("question", language)))
        # Per language: the words marked in its title and in its best body snippet. The hit is
        # shown in the language with most, the reader's on a tie.
        best: tuple[int, int, str, str | None, str | None] | None = None
        if self.query is not None:
            # A snippet costs a pass over its text: stop once one marks every word sought.
            for rank, language in enumerate(self.preferred):
                heading = self._marked(doc, stored, text_field("title", language), TITLE_CHARS)
                body = self._marked(doc, stored, text_field("answer", language), SNIPPET_CHARS)
                if body[0] < self.sought:
                    body = max(body, self._marked(doc, stored, text_field("question", language), SNIPPET_CHARS),
                               key=lambda marked: marked[0])
                words = heading[0] + body[0]
                if words and (best is None or (words, -rank) > best[:2]):
                    best = (words, -rank, language, heading[1], body[1])
                if body[0] >= self.sought:
                    break
        language = best[2] if best else next((lang for lang in self.preferred if lang in held), self.language)
        snippet_html = best[4] if best and best[4] else escape(_lead(_first(stored, text_field("question", language))))
        title = _first(stored, text_field("title", language)) or next(
            (_first(stored, text_field("title", other)) for other in self.preferred), "")
        title_html = best[3] if best and best[3] else escape(title)
        offices = tuple(stored.get(facet_field("office", self.language), ())
                        or stored.get(facet_field("office", language), ()))
        return Hit(
            number=_first(stored, "number"),
            score=score,
            language=language,
            title_html=title_html,
            snippet_html=snippet_html,
            asked=_first(stored, "asked"),
            answered=_first(stored, "answered") or None,
            status=tuple(stored.get("status", ())),
            asker=_first(stored, "asker_facet"),
            party=_first(stored, "party_facet") or None,
            offices=offices,
            ministers=tuple(stored.get("minister_facet", ())),
            languages=held,
        )


def _first(stored: dict[str, list[Any]], name: str) -> str:
    values = stored.get(name)
    return str(values[0]) if values else ""


def _lead(text: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def _distinct(snippet: tantivy.Snippet) -> int:
    """How many different words a snippet marks: "communication de crise" marks "de" a dozen
    times in a Dutch text, but three words in the French one, which is the hit's language."""
    data = snippet.fragment().encode("utf-8")
    return len({data[r.start:r.end].lower() for r in snippet.highlighted()})


def _html(snippet: tantivy.Snippet) -> str:
    """The fragment escaped, each match in <mark>. The engine gives byte offsets."""
    data = snippet.fragment().encode("utf-8")
    parts, at = [], 0
    for match in sorted(snippet.highlighted(), key=lambda r: r.start):
        if match.start < at:
            continue
        parts.append(escape(data[at:match.start].decode("utf-8", "replace")))
        parts.append("<mark>" + escape(data[match.start:match.end].decode("utf-8", "replace")) + "</mark>")
        at = match.end
    parts.append(escape(data[at:].decode("utf-8", "replace")))
    return "".join(parts)
