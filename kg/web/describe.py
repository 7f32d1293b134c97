"""What the document about a resource says, read from the store by index lookups.

A description holds the resource's own triples; its parts (blank nodes, and the resources minted
under its URI, `{uri}/...`, such as a question's answer and texts, which only exist as part of it);
the labels and types of everything it links to; one page of the links other resources make to it;
and the document's own metadata (its topic, its dataset, its paging). The HTML page and every RDF
format are rendered from the same `Description`, so they state the same facts.

The own and part triples are read from the build's sorted graph file when the server has it
prepared for the graph the store holds (`kg.web.prepared`: one or two decompressions instead of
two lookups per part), and the RDF formats are then written from those lines. Everything else is
read with `Store.match` (pattern lookups, no SPARQL to parse or plan) except the count of
incoming links, which is one `COUNT ... GROUP BY` the store answers from its index without
reading a single IRI, and the pages of incoming links of a "hub" (a platform or an agency named by
tens of thousands of questions), which are read a page at a time instead of all at once.
"""

from __future__ import annotations

import threading
import weakref
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeGuard, TypeVar

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, Variable, parse

from kg.rdf.vocab import DCT, FOAF, HYDRA, RDF, RDFS, SCHEMA, SKOS, VOID, XSD
from kg.stores import Store
from kg.stores.prepared import PreparedGraph
from kg.web.prepared import prepared_lines
from kg.web.rdf_formats import iris_of, sort_triples

PAGE_SIZE = 50
MAX_PART_NODES = 2000  # a resource with more parts than this is cut short, not served for minutes
# Up to this many incoming triples are read whole, filtered and sorted; a resource named more often
# is a hub, whose incoming links are read one page at a time (see `_hub_incoming`).
SMALL_INCOMING = 2000

LABEL_PREDICATES: tuple[NamedNode, ...] = (RDFS.label, SKOS.prefLabel, FOAF.name, DCT.title, SCHEMA.name)
_CONTEXT_ORDER = (RDF.type, *LABEL_PREDICATES)
_CONTEXT_PREDICATES = frozenset(_CONTEXT_ORDER)
_VOCAB_LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel)

_S, _P, _O = Variable("s"), Variable("p"), Variable("o")

# Incoming triples per property. No FILTER: a filter makes the store read every subject's IRI,
# which costs ten times the count itself on a hub.
_INCOMING_COUNTS = "SELECT ?o ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?o ?p"
# One slice of a hub's links by one property, in the store's order (stable while it is unchanged).
_INCOMING_SLICE = "SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {limit} OFFSET {offset}"

K = TypeVar("K")
V = TypeVar("V")


class Lru(Generic[K, V]):
    """A small thread-safe least-recently-used map, bounded by the number of entries or, with
    `weigh`, by their total weight (bytes)."""

    def __init__(self, size: int, weigh: Callable[[V], int] | None = None):
        self.size = size
        self._weigh = weigh or (lambda _: 1)
        self._weight = 0
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: K, value: V) -> None:
        weight = self._weigh(value)
        if weight > self.size:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._weight -= old[1]
            self._items[key] = (value, weight)
            self._weight += weight
            while self._weight > self.size:
                _, (_, dropped) = self._items.popitem(last=False)
                self._weight -= dropped

    def __len__(self) -> int:
        return len(self._items)


class DescriptionCache:
    """What descriptions share and what stays true while the store is unchanged: the labels and
    types of linked resources (the same offices, agencies, concepts and people are linked from
    thousands of questions), the ontology's labels of classes and properties, and the incoming
    link counts of hubs. The server keeps one per store version (`KgContext.derived`), so an
    operator update starts a fresh one."""

    def __init__(self, labels: int = 50_000, counts: int = 1_000):
        self.labels: Lru[NamedNode, list[Triple]] = Lru(labels)
        # The same as N-Triples lines with their IRIs, for documents written from lines.
        self.label_lines: Lru[NamedNode, tuple[list[bytes], frozenset[str]]] = Lru(labels)
        self.counts: Lru[NamedNode, list[tuple[NamedNode, int]]] = Lru(counts)
        self._ontology: dict[NamedNode, list[Triple]] | None = None
        self._vocabulary: dict[str, list[Literal]] | None = None
        self._lock = threading.Lock()

    def ontology_context(self, store: Store) -> dict[NamedNode, list[Triple]]:
        """Types and labels stated in the ontology graph, by subject (read once)."""
        with self._lock:
            if self._ontology is None:
                found: dict[NamedNode, list[Triple]] = {}
                if store.ontology_graph:
                    for triple in store.match(graph=store.ontology_graph):
                        if triple.predicate in _CONTEXT_PREDICATES and isinstance(triple.subject, NamedNode):
                            found.setdefault(triple.subject, []).append(triple)
                self._ontology = found
            return self._ontology

    def vocabulary(self, store: Store) -> dict[str, list[Literal]]:
        """IRI -> labels (rdfs:label, skos:prefLabel) declared in the ontology graph."""
        if self._vocabulary is None:
            labels: dict[str, list[Literal]] = {}
            for subject, triples in self.ontology_context(store).items():
                for triple in triples:
                    if triple.predicate in _VOCAB_LABEL_PREDICATES and isinstance(triple.object, Literal):
                        labels.setdefault(subject.value, []).append(triple.object)
            self._vocabulary = labels
        return self._vocabulary


_default_caches: weakref.WeakKeyDictionary[Store, DescriptionCache] = weakref.WeakKeyDictionary()


def default_cache(store: Store) -> DescriptionCache:
    """A cache for callers without a server context (tools, tests): kept as long as the store."""
    cache = _default_caches.get(store)
    if cache is None:
        cache = _default_caches[store] = DescriptionCache()
    return cache


@dataclass(frozen=True)
class Paging:
    """Which page of incoming links a description shows."""

    page: int
    size: int
    total: int  # incoming links in all

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def paged(self) -> bool:
        return self.total > self.size


@dataclass
class Description:
    uri: str  # the thing described
    document: str  # the document describing it, `{base}doc/...`
    paging: Paging
    own: list[Triple] = field(default_factory=list)  # subject: the thing
    parts: list[Triple] = field(default_factory=list)  # subject: one of its parts
    incoming: list[Triple] = field(default_factory=list)  # object: the thing (this page)
    context: list[Triple] = field(default_factory=list)  # labels and types of linked resources
    meta: list[Triple] = field(default_factory=list)  # subject: the document (or its page)
    # Own and part triples as the sorted N-Triples lines the build prepared (None: read from the
    # store); `own` and `parts` then hold them as triples only when asked for (`parse`).
    lines: list[bytes] | None = None
    line_iris: frozenset[str] = frozenset()  # the IRIs of the lines' terms and datatypes
    context_lines: list[bytes] = field(default_factory=list)  # `context` as lines, with `lines`
    context_iris: frozenset[str] = frozenset()

    @property
    def found(self) -> bool:
        return bool(self.own or self.parts or self.lines or self.paging.total)

    def ntriples(self) -> bytes | None:
        """Every triple as sorted N-Triples lines (the order of `triples`), merged as text with
        the prepared lines; None when there are none (the description was read from the store)."""
        if self.lines is None:
            return None
        prefix = self.uri + "/"
        extra = {
            (str(t) + " .").encode("utf-8")
            for t in self.incoming + self.meta
            # a hub's incoming links may come from its parts, whose lines are there already
            if not (
                isinstance(t.subject, NamedNode) and (t.subject.value == self.uri or t.subject.value.startswith(prefix))
            )
        }
        return b"\n".join(sorted(extra.union(self.lines, self.context_lines))) + b"\n"

    def iris(self) -> set[str]:
        """The IRIs of every term and datatype of `ntriples` (which prefixes it uses)."""
        return iris_of(self.incoming + self.meta).union(self.line_iris, self.context_iris)

    def triples(self) -> list[Triple]:
        """Every triple, each once, in a stable order."""
        return sort_triples(self.own + self.parts + self.incoming + self.context + self.meta)

    def page_uri(self, page: int) -> str:
        return f"{self.document}?page={page}"


def describe(
    store: Store,
    uri: str,
    document: str,
    *,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    dataset: str | None = None,
    modified: datetime | None = None,
    cache: DescriptionCache | None = None,
    small_incoming: int = SMALL_INCOMING,
    prepared: PreparedGraph | None = None,
    parse: bool = True,
) -> Description:
    """Describe `uri` (a valid IRI) as `document` says it; `found` is False when the store knows
    nothing about it. Pages past the last one hold no incoming links.

    `prepared`: the build's lines of the graph the store holds (`kg.stores.prepared`), read for
    the own and part triples instead of walking the store, when they are surely the same
    (`kg.web.prepared`); the description then has `lines`, and `own` and `parts` unless `parse`
    is False (for RDF formats, written from the lines)."""
    if page < 1:
        raise ValueError("pages are numbered from 1")
    cache = cache or default_cache(store)
    node = NamedNode(uri)
    prefix = uri + "/"
    counts = _incoming_counts(store, node, cache)
    raw_total = sum(n for _, n in counts)
    small = raw_total <= small_incoming
    into_root = store.match(None, None, node) if small and raw_total else []
    found = prepared_lines(prepared, uri, hub=not small, max_parts=MAX_PART_NODES) if prepared is not None else None
    if found is None:
        own = store.match(node)
        parts = _parts(store, node, own, into_root)
        description = Description(uri, document, Paging(page, page_size, 0), own=own, parts=parts)
    else:
        description = Description(uri, document, Paging(page, page_size, 0), lines=found.lines, line_iris=found.iris)
        if parse:
            description.own, description.parts = _parsed(found.lines, uri)
    if small:
        links = sorted((t for t in into_root if _is_link(t, node, prefix)), key=_link_order)
        start = (page - 1) * page_size
        description.paging = Paging(page, page_size, len(links))
        description.incoming = links[start : start + page_size]
    else:
        description.paging = Paging(page, page_size, raw_total)
        description.incoming = _hub_incoming(store, node, counts, page, page_size)
    if not description.found:
        return description
    described: set[NamedNode | BlankNode | Triple] = {node}
    if found is None:
        described.update(t.subject for t in description.parts)
        linked = {t.object for t in description.own if isinstance(t.object, NamedNode)}
        linked.update(t.object for t in description.parts if isinstance(t.object, NamedNode))
    else:  # every subject of the lines is the resource or one of its parts
        linked = {NamedNode(iri) for iri in found.linked}
        described.update(
            t.subject
            for t in description.incoming
            if isinstance(t.subject, NamedNode) and t.subject.value.startswith(prefix)
        )
    linked.update(t.subject for t in description.incoming if isinstance(t.subject, NamedNode))
    nodes = sorted(linked - described, key=lambda n: n.value)
    description.context = labels_and_types(store, nodes, cache)
    if found is not None:
        description.context_lines, description.context_iris = _context_lines(cache, nodes, description.context)
    description.meta = list(_metadata(description, dataset, modified))
    return description


def _context_lines(
    cache: DescriptionCache, nodes: list[NamedNode], context: list[Triple]
) -> tuple[list[bytes], frozenset[str]]:
    """`context` (the labels and types of `nodes`) as N-Triples lines and their IRIs, kept per
    node: the same resources are linked from thousands of descriptions."""
    lines: list[bytes] = []
    iris: set[str] = set()
    missing: list[NamedNode] = []
    for node in nodes:
        entry = cache.label_lines.get(node)
        if entry is None:
            missing.append(node)
        else:
            lines.extend(entry[0])
            iris.update(entry[1])
    if missing:
        grouped: dict[NamedNode, list[Triple]] = {node: [] for node in missing}
        for triple in context:
            group = grouped.get(triple.subject)  # type: ignore[arg-type]  # a NamedNode, as asked
            if group is not None:
                group.append(triple)
        for node, triples in grouped.items():
            entry = ([(str(t) + " .").encode("utf-8") for t in triples], frozenset(iris_of(triples)))
            cache.label_lines.put(node, entry)
            lines.extend(entry[0])
            iris.update(entry[1])
    return lines, frozenset(iris)


def _parsed(lines: list[bytes], uri: str) -> tuple[list[Triple], list[Triple]]:
    """(own, parts) of prepared lines: the parts' lines (`<uri/`) sort before the own (`<uri> `).
    Parsed leniently (IRIs not checked again): they are the build's lines of the graph the store
    holds, checked when the store loaded them; checking again costs a third of the parse."""
    split = bisect_left(lines, b"<" + uri.encode("utf-8") + b">")

    def triples(chunk: list[bytes]) -> list[Triple]:
        if not chunk:
            return []
        return [q.triple for q in parse(b"\n".join(chunk) + b"\n", format=RdfFormat.N_TRIPLES, lenient=True)]

    return triples(lines[split:]), triples(lines[:split])


def _is_link(triple: Triple, node: NamedNode, prefix: str) -> bool:
    """An incoming link worth listing: from another resource, not from one of the described
    resource's parts (those are in the description already) nor from a blank node (which belongs
    to some other resource's description)."""
    subject = triple.subject
    return isinstance(subject, NamedNode) and subject != node and not subject.value.startswith(prefix)


def _link_order(triple: Triple) -> tuple[str, str]:
    subject = triple.subject
    assert isinstance(subject, NamedNode)  # `_is_link` lets links from named resources only through
    return triple.predicate.value, subject.value


def _incoming_counts(store: Store, node: NamedNode, cache: DescriptionCache) -> list[tuple[NamedNode, int]]:
    """(property, triples) of the triples whose object is `node`, by property IRI. Hubs' counts
    are kept: counting 300,000 links costs a tenth of a second."""
    cached = cache.counts.get(node)
    if cached is not None:
        return cached
    counts = sorted(
        ((row[_P], int(row["n"].value)) for row in store.query(_INCOMING_COUNTS, substitutions={_O: node})),
        key=lambda pair: pair[0].value,
    )
    if sum(n for _, n in counts) > SMALL_INCOMING:
        cache.counts.put(node, counts)
    return counts


def _hub_incoming(
    store: Store, node: NamedNode, counts: list[tuple[NamedNode, int]], page: int, size: int
) -> list[Triple]:
    """One page of a hub's incoming links, by property IRI and then in the store's order, read
    per property with LIMIT and OFFSET, so the page costs the same whether the hub is named ten
    thousand or a million times. Unlike small descriptions, the links are not filtered (a
    filter would read every linking IRI), so a part or a blank node pointing at a hub is listed
    among its links."""
    start, end = (page - 1) * size, page * size
    found: list[Triple] = []
    offset = 0
    for predicate, n in counts:
        low, high = max(start, offset), min(end, offset + n)
        if low < high:
            query = _INCOMING_SLICE.format(limit=int(high - low), offset=int(low - offset))
            rows = store.query(query, substitutions={_P: predicate, _O: node})
            found.extend(Triple(row[_S], row[_P], row[_O]) for row in rows)
        offset += n
        if offset >= end:
            break
    return found


def _parts(store: Store, root: NamedNode, own: list[Triple], into_root: list[Triple]) -> list[Triple]:
    """Blank nodes and `{root}/...` resources reachable from `root` (either direction for the
    latter), with all their triples. `into_root` is what points at the root (empty for a hub,
    whose parts are then only found from its own triples)."""
    prefix = root.value + "/"

    def is_part(term: object) -> TypeGuard[NamedNode | BlankNode]:
        return isinstance(term, BlankNode) or (isinstance(term, NamedNode) and term.value.startswith(prefix))

    seen: set[NamedNode | BlankNode] = {root}
    found: list[Triple] = []
    frontier: list[NamedNode | BlankNode] = []

    def visit(triples: Iterable[Triple]) -> None:
        for triple in triples:
            for term in (triple.subject, triple.object):
                if term not in seen and is_part(term):
                    seen.add(term)
                    frontier.append(term)

    visit(own)
    visit(t for t in into_root if isinstance(t.subject, NamedNode))
    while frontier and len(seen) <= MAX_PART_NODES:
        level, frontier = frontier, []
        outgoing, incoming = _neighbours(store, level)
        found.extend(outgoing)
        visit(outgoing)
        # parts that point at a part (a fact at its evidence's text) but are not pointed at
        visit(t for t in incoming if isinstance(t.subject, NamedNode))
    return found


# A remote store answers one query per level of parts instead of two lookups per part.
_NEIGHBOURS = """
SELECT ?s ?p ?o WHERE {{
  VALUES ?x {{ {nodes} }}
  {{ ?x ?p ?o . BIND(?x AS ?s) }} UNION {{ ?s ?p ?x . BIND(?x AS ?o) }}
}}"""
_BATCH = 200


def _neighbours(store: Store, nodes: list[NamedNode | BlankNode]) -> tuple[list[Triple], list[Triple]]:
    """The triples of `nodes` (as subject), and those pointing at the IRIs among them."""
    outgoing: list[Triple] = []
    incoming: list[Triple] = []
    if not store.round_trips:
        for node in nodes:
            outgoing.extend(store.match(node))
            if isinstance(node, NamedNode):
                incoming.extend(store.match(None, None, node))
        return outgoing, incoming
    # A remote store's blank nodes cannot be named in a later query: only IRIs are followed.
    iris = [n for n in nodes if isinstance(n, NamedNode)]
    for start in range(0, len(iris), _BATCH):
        batch = iris[start : start + _BATCH]
        members = set(batch)
        query = _NEIGHBOURS.format(nodes=" ".join(str(n) for n in batch))  # escaped N-Triples IRIs
        for row in store.query(query):
            triple = Triple(row[_S], row[_P], row[_O])
            (outgoing if triple.subject in members else incoming).append(triple)
            if triple.subject in members and triple.object in members:
                incoming.append(triple)
    return outgoing, incoming


def labels_and_types(store: Store, nodes: list[NamedNode], cache: DescriptionCache | None = None) -> list[Triple]:
    """rdf:type and the label properties of `nodes`, from the dataset and the ontology (which
    labels the classes and the vocabulary's own terms). Kept in the cache: the same offices,
    agencies and concepts are linked from thousands of descriptions."""
    cache = cache or default_cache(store)
    ontology = cache.ontology_context(store)
    found: list[Triple] = []
    missing: list[NamedNode] = []
    for node in nodes:
        triples = cache.labels.get(node)
        if triples is None:
            missing.append(node)
        else:
            found.extend(triples)
    for node, triples in _context_of(store, missing).items():
        triples.extend(ontology.get(node, ()))
        cache.labels.put(node, triples)
        found.extend(triples)
    return found


_LABELS = """
SELECT ?s ?p ?o WHERE {{
  VALUES ?s {{ {subjects} }}
  ?s ?p ?o .
  FILTER(?p IN ({predicates}))
}}"""


def _context_of(store: Store, nodes: list[NamedNode]) -> dict[NamedNode, list[Triple]]:
    """Types and labels of `nodes` in the dataset: one lookup per node and property (a person
    or an agency linked from thousands of questions has thousands of triples, of which these
    are a few), or for a remote store one query per batch (the IRIs are written as escaped
    N-Triples terms)."""
    found: dict[NamedNode, list[Triple]] = {node: [] for node in nodes}
    if not store.round_trips:
        for node in nodes:
            for predicate in _CONTEXT_ORDER:
                found[node].extend(store.match(node, predicate))
        return found
    predicates = ", ".join(str(p) for p in sorted(_CONTEXT_PREDICATES, key=lambda p: p.value))
    for start in range(0, len(nodes), _BATCH):
        subjects = " ".join(str(n) for n in nodes[start : start + _BATCH])
        for row in store.query(_LABELS.format(subjects=subjects, predicates=predicates)):
            found[row[_S]].append(Triple(row[_S], row[_P], row[_O]))
    return found


def _metadata(description: Description, dataset: str | None, modified: datetime | None) -> Iterable[Triple]:
    """The document's own statements: what it is about, where its data comes from, its pages."""
    doc = NamedNode(description.document)
    yield Triple(doc, RDF.type, FOAF.Document)
    yield Triple(doc, FOAF.primaryTopic, NamedNode(description.uri))
    if dataset:
        yield Triple(doc, VOID.inDataset, NamedNode(dataset))
    if modified is not None:
        yield Triple(doc, DCT.modified, Literal(modified.isoformat(timespec="seconds"), datatype=XSD.dateTime))
    paging = description.paging
    if not paging.paged:
        return
    view = NamedNode(description.page_uri(paging.page))
    yield Triple(doc, HYDRA.view, view)
    yield Triple(view, RDF.type, HYDRA.PartialCollectionView)
    yield Triple(view, HYDRA.first, NamedNode(description.page_uri(1)))
    yield Triple(view, HYDRA.last, NamedNode(description.page_uri(paging.last)))
    if paging.page > 1:
        yield Triple(view, HYDRA.previous, NamedNode(description.page_uri(min(paging.page - 1, paging.last))))
    if paging.page < paging.last:
        yield Triple(view, HYDRA.next, NamedNode(description.page_uri(paging.page + 1)))


# -- the vocabulary's own labels, for naming properties and classes on pages -----------------------


def vocabulary_labels(store: Store, cache: DescriptionCache | None = None) -> dict[str, list[Literal]]:
    """IRI -> labels declared in the ontology graph: what pages call properties and classes.
    Read once per cache (the ontology does not change while serving)."""
    return (cache or default_cache(store)).vocabulary(store)
