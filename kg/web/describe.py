"""What the document about a resource says, asked of the store with bound values.

A description holds the resource's own triples; its parts (blank nodes, and the resources minted
under its URI, `{uri}/...`, such as a question's answer and texts, which only exist as part of it);
the labels and types of everything it links to; one page of the links other resources make to it;
and the document's own metadata (its topic, its dataset, its paging). The HTML page and every RDF
format are rendered from the same `Description`, so they state the same facts.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    QuerySolutions,
    Triple,
    Variable,
)

from kg.rdf.vocab import DCT, FOAF, HYDRA, RDF, RDFS, SCHEMA, SKOS, VOID, XSD
from kg.store import Store

PAGE_SIZE = 50
MAX_PART_NODES = 2000  # a resource with more parts than this is cut short, not served for minutes

LABEL_PREDICATES: tuple[NamedNode, ...] = (RDFS.label, SKOS.prefLabel, FOAF.name, DCT.title, SCHEMA.name)

_S, _P, _O = Variable("s"), Variable("p"), Variable("o")

# The triples of one subject (?s bound).
_OUTGOING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"

# Triples whose subject is a part of ?o ({?o}/...): parts that point at their whole (an answer at
# its question) but that the whole does not point at.
_PARTS_POINTING_IN = """
SELECT ?s ?p ?o WHERE {
  ?s ?p ?o .
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), CONCAT(STR(?o), "/")))
}"""

# Links from other resources to ?o: not from its parts (those are in the description already), not
# from blank nodes (they belong to some other resource's description), not from itself.
_INCOMING_FILTER = 'isIRI(?s) && ?s != ?o && !STRSTARTS(STR(?s), CONCAT(STR(?o), "/"))'
_INCOMING_COUNT = f"""
SELECT ?o (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o . FILTER({_INCOMING_FILTER}) }} GROUP BY ?o"""
_INCOMING_PAGE = f"""
SELECT ?s ?p ?o WHERE {{ ?s ?p ?o . FILTER({_INCOMING_FILTER}) }}
ORDER BY ?p ?s"""

# Labels and types of linked resources. The VALUES rows are IRIs taken from the store and written
# in N-Triples syntax (which escapes them); nothing from a request reaches this text.
# One VALUES block and a FILTER on ?p: Oxigraph joins a second VALUES block by scanning the whole
# graph, while this form looks each subject up in its index.
_LABELS = """
SELECT ?s ?p ?o WHERE {{
  VALUES ?s {{ {subjects} }}
  ?s ?p ?o .
  FILTER(?p IN ({predicates}))
}}"""
_LABELS_BATCH = 200


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

    @property
    def found(self) -> bool:
        return bool(self.own or self.parts or self.paging.total)

    def triples(self) -> list[Triple]:
        """Every triple, each once, in a stable order."""
        return sorted(set(self.own + self.parts + self.incoming + self.context + self.meta), key=str)

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
) -> Description:
    """Describe `uri` (a valid IRI) as `document` says it; `found` is False when the store knows
    nothing about it. Pages past the last one hold no incoming links."""
    if page < 1:
        raise ValueError("pages are numbered from 1")
    node = NamedNode(uri)
    total = _count_incoming(store, node)
    description = Description(uri, document, Paging(page, page_size, total))
    description.own = list(_outgoing(store, node))
    description.parts = _parts(store, node, description.own)
    description.incoming = _incoming(store, node, page, page_size) if total else []
    if not description.found:
        return description
    described: set[NamedNode | BlankNode] = {node}
    described.update(t.subject for t in description.parts)
    linked = {t.object for t in description.own + description.parts if isinstance(t.object, NamedNode)}
    linked.update(t.subject for t in description.incoming)
    description.context = labels_and_types(store, sorted(linked - described, key=str))
    description.meta = list(_metadata(description, dataset, modified))
    return description


def _triples(solutions: QuerySolutions) -> Iterator[Triple]:
    for row in solutions:
        yield Triple(row[_S], row[_P], row[_O])


def _outgoing(store: Store, subject: NamedNode | BlankNode) -> Iterator[Triple]:
    return _triples(store.query(_OUTGOING, substitutions={_S: subject}))


def _parts(store: Store, root: NamedNode, own: list[Triple]) -> list[Triple]:
    """Blank nodes and `{root}/...` resources reachable from `root` (either direction for the
    latter), with all their triples."""
    prefix = root.value + "/"

    def is_part(term: object) -> bool:
        return isinstance(term, BlankNode) or (isinstance(term, NamedNode) and term.value.startswith(prefix))

    seen: set[NamedNode | BlankNode] = {root}
    found: list[Triple] = []
    queue: list[NamedNode | BlankNode] = []

    def visit(triples: Iterable[Triple]) -> None:
        for triple in triples:
            for term in (triple.subject, triple.object):
                if is_part(term) and term not in seen:
                    seen.add(term)
                    queue.append(term)

    visit(own)
    visit(_triples(store.query(_PARTS_POINTING_IN, substitutions={_O: root})))
    while queue and len(seen) <= MAX_PART_NODES:
        part = queue.pop(0)
        triples = list(_outgoing(store, part))
        found.extend(triples)
        visit(triples)
        if isinstance(part, NamedNode):
            pointing_in = [t for t in _triples(store.query(_PARTS_POINTING_IN, substitutions={_O: part}))]
            visit(pointing_in)
    return found


def _count_incoming(store: Store, node: NamedNode) -> int:
    for row in store.query(_INCOMING_COUNT, substitutions={_O: node}):
        return int(row["n"].value)
    return 0


def _incoming(store: Store, node: NamedNode, page: int, size: int) -> list[Triple]:
    query = f"{_INCOMING_PAGE} LIMIT {int(size)} OFFSET {int((page - 1) * size)}"
    return list(_triples(store.query(query, substitutions={_O: node})))


def labels_and_types(store: Store, nodes: list[NamedNode]) -> list[Triple]:
    """rdf:type and the label properties of `nodes`, from the dataset and the ontology (which
    labels the classes and the vocabulary's own terms)."""
    predicates = ", ".join(str(p) for p in (RDF.type, *LABEL_PREDICATES))
    graphs: list[str | NamedNode | DefaultGraph] = [DefaultGraph()]
    if store.ontology_graph:
        graphs.append(NamedNode(store.ontology_graph))
    found: list[Triple] = []
    for start in range(0, len(nodes), _LABELS_BATCH):
        subjects = " ".join(str(n) for n in nodes[start:start + _LABELS_BATCH])
        query = _LABELS.format(subjects=subjects, predicates=predicates)
        found.extend(_triples(store.query(query, default_graph=graphs)))
    return found


def _metadata(description: Description, dataset: str | None, modified: datetime | None) -> Iterator[Triple]:
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

_VOCAB_LABELS = """
SELECT ?s ?p ?o WHERE {
  VALUES ?p { <http://www.w3.org/2000/01/rdf-schema#label> <http://www.w3.org/2004/02/skos/core#prefLabel> }
  ?s ?p ?o . FILTER(isIRI(?s) && isLiteral(?o))
}"""

_label_cache: weakref.WeakKeyDictionary[Store, dict[str, list[Literal]]] = weakref.WeakKeyDictionary()


def vocabulary_labels(store: Store) -> dict[str, list[Literal]]:
    """IRI -> labels declared in the ontology graph: what pages call properties and classes.
    Read once per store (the ontology does not change while serving)."""
    labels = _label_cache.get(store)
    if labels is None:
        labels = {}
        if store.ontology_graph:
            for row in store.query(_VOCAB_LABELS, default_graph=[store.ontology_graph]):
                labels.setdefault(row[_S].value, []).append(row[_O])
        _label_cache[store] = labels
    return labels


