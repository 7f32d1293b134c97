"""What a description holds, asked of a real store: own triples, parts and blank-node closure,
labels of linked resources, a page of incoming links, document metadata, and values that never
reach SPARQL as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode

from kg.rdf.vocab import FOAF, HYDRA, RDF, RDFS, VOID
from kg.store import Sources, Store
from kg.web.describe import describe, labels_and_types, vocabulary_labels

BASE = "http://localhost:8000/"
KG = BASE + "ns/kg#"
Q = BASE + "id/question/5-1"
DOC = BASE + "doc/question/5-1"

GRAPH = f"""
@prefix kg: <{KG}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<{Q}> a kg:Question ; rdfs:label "Vraag 5-1"@nl ; kg:author <{BASE}id/person/a> ;
    kg:note [ rdfs:label "outer" ; kg:inner [ rdfs:label "inner" ] ] .
<{Q}/answer> kg:answers <{Q}> ; kg:text <{Q}/answer/text> .
<{Q}/answer/text> rdfs:label "text" .
<{Q}0> kg:author <{BASE}id/person/a> .
<{BASE}id/person/a> foaf:name "A" ; kg:friend [ rdfs:label "not part of the question" ] .
""" + "".join(f"<{BASE}id/question/5-{n}> kg:sibling <{Q}> .\n" for n in range(100, 107))

ONTOLOGY = f"""
@prefix kg: <{KG}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:Question rdfs:label "Question"@en , "Vraag"@nl .
kg:sibling rdfs:label "sibling"@en .
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder: Path = tmp_path_factory.mktemp("describe")
    (folder / "graph.ttl").write_text(GRAPH, encoding="utf-8")
    (folder / "ontology.ttl").write_text(ONTOLOGY, encoding="utf-8")
    return Store.in_memory(Sources(folder / "graph.ttl", folder / "ontology.ttl"), BASE + "ns/kg")


def strings(triples: list) -> set[tuple[str, str, str]]:
    return {(t.subject.value, t.predicate.value, str(t.object)) for t in triples}


def test_own_triples_and_closure(store: Store) -> None:
    d = describe(store, Q, DOC, page_size=3)
    assert {t.subject for t in d.own} == {NamedNode(Q)}
    assert {t.predicate for t in d.own} >= {RDF.type, RDFS.label, NamedNode(KG + "author"), NamedNode(KG + "note")}
    part_labels = {t.object.value for t in d.parts if t.predicate == RDFS.label}
    assert part_labels == {"outer", "inner", "text"}  # blank nodes two deep, a part of a part
    assert any(t.subject == NamedNode(Q + "/answer") for t in d.parts)  # a part pointing at its whole
    assert not any(isinstance(t.subject, BlankNode) and "not part" in str(t.object) for t in d.parts)


def test_a_longer_number_is_not_a_part(store: Store) -> None:
    d = describe(store, Q, DOC)
    assert not any(t.subject.value == Q + "0" for t in d.parts + d.incoming)


def test_labels_of_linked_resources_come_from_data_and_ontology(store: Store) -> None:
    d = describe(store, Q, DOC)
    context = strings(d.context)
    assert (BASE + "id/person/a", FOAF.name.value, '"A"') in context
    assert (KG + "Question", RDFS.label.value, '"Vraag"@nl') in context


def test_incoming_links_are_paged(store: Store) -> None:
    pages = [describe(store, Q, DOC, page=n, page_size=3) for n in (1, 2, 3)]
    assert [p.paging.total for p in pages] == [7, 7, 7]
    assert [len(p.incoming) for p in pages] == [3, 3, 1]
    subjects = [t.subject.value for p in pages for t in p.incoming]
    assert len(set(subjects)) == 7
    assert pages[0].paging.last == 3


def test_metadata_and_hydra_view(store: Store) -> None:
    d = describe(store, Q, DOC, page=2, page_size=3, dataset=BASE + ".well-known/void#dataset")
    meta = strings(d.meta)
    assert (DOC, FOAF.primaryTopic.value, f"<{Q}>") in meta
    assert (DOC, VOID.inDataset.value, f"<{BASE}.well-known/void#dataset>") in meta
    view = DOC + "?page=2"
    assert (DOC, HYDRA.view.value, f"<{view}>") in meta
    assert (view, HYDRA.next.value, f"<{DOC}?page=3>") in meta
    assert (view, HYDRA.previous.value, f"<{DOC}?page=1>") in meta
    assert (view, HYDRA.last.value, f"<{DOC}?page=3>") in meta


def test_no_view_when_one_page_is_enough(store: Store) -> None:
    d = describe(store, Q, DOC)
    assert not any(t.predicate == HYDRA.view for t in d.meta)


def test_unknown_resource_is_not_found(store: Store) -> None:
    d = describe(store, BASE + "id/question/9-9", BASE + "doc/question/9-9")
    assert not d.found and not d.triples()


def test_hostile_iri_is_a_value_not_query_text(store: Store) -> None:
    # a valid IRI full of SPARQL syntax: bound as a term, it simply matches nothing
    uri = BASE + "id/x%3E%20%7D%20UNION%20%7B%20?s%20?p%20?o%20"
    d = describe(store, uri, BASE + "doc/x")
    assert not d.found


def test_triples_are_deduplicated_and_ordered(store: Store) -> None:
    d = describe(store, Q, DOC)
    triples = d.triples()
    assert triples == sorted(set(triples), key=str)


def test_vocabulary_labels(store: Store) -> None:
    labels = vocabulary_labels(store)
    assert Literal("sibling", language="en") in labels[KG + "sibling"]


def test_labels_and_types_in_batches(store: Store) -> None:
    nodes = [NamedNode(f"{BASE}id/question/5-{n}") for n in range(100, 107)] + [NamedNode(BASE + "id/person/a")]
    found = labels_and_types(store, nodes)
    assert strings(found) == {(BASE + "id/person/a", FOAF.name.value, '"A"')}
