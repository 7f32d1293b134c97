"""What a description holds, asked of a real store: own triples, parts and blank-node closure,
labels of linked resources, a page of incoming links (read whole, or a page at a time for hubs),
document metadata, the cache of labels, and values that never reach SPARQL as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode

from kg.rdf.vocab import FOAF, HYDRA, RDF, RDFS, VOID
from kg.stores.embedded import EmbeddedStore
from kg.stores.sources import Sources
from kg.web.describe import Description, DescriptionCache, Lru, describe, labels_and_types, vocabulary_labels

BASE = "http://localhost:8000/"
KG = "https://w3id.org/written-questions/kg#"
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
def store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    folder: Path = tmp_path_factory.mktemp("describe")
    (folder / "graph.ttl").write_text(GRAPH, encoding="utf-8")
    (folder / "ontology.ttl").write_text(ONTOLOGY, encoding="utf-8")
    return EmbeddedStore.in_memory(Sources(folder / "graph.ttl", folder / "ontology.ttl"), BASE + "ns/kg")


def strings(triples: list) -> set[tuple[str, str, str]]:
    return {(t.subject.value, t.predicate.value, str(t.object)) for t in triples}


def test_own_triples_and_closure(store: EmbeddedStore) -> None:
    d = describe(store, Q, DOC, page_size=3)
    assert {t.subject for t in d.own} == {NamedNode(Q)}
    assert {t.predicate for t in d.own} >= {RDF.type, RDFS.label, NamedNode(KG + "author"), NamedNode(KG + "note")}
    part_labels = {t.object.value for t in d.parts if t.predicate == RDFS.label}
    assert part_labels == {"outer", "inner", "text"}  # blank nodes two deep, a part of a part
    assert any(t.subject == NamedNode(Q + "/answer") for t in d.parts)  # a part pointing at its whole
    assert not any(isinstance(t.subject, BlankNode) and "not part" in str(t.object) for t in d.parts)


def test_a_longer_number_is_not_a_part(store: EmbeddedStore) -> None:
    d = describe(store, Q, DOC)
    assert not any(t.subject.value == Q + "0" for t in d.parts + d.incoming)


def test_labels_of_linked_resources_come_from_data_and_ontology(store: EmbeddedStore) -> None:
    d = describe(store, Q, DOC)
    context = strings(d.context)
    assert (BASE + "id/person/a", FOAF.name.value, '"A"') in context
    assert (KG + "Question", RDFS.label.value, '"Vraag"@nl') in context


def test_incoming_links_are_paged(store: EmbeddedStore) -> None:
    pages = [describe(store, Q, DOC, page=n, page_size=3) for n in (1, 2, 3)]
    assert [p.paging.total for p in pages] == [7, 7, 7]
    assert [len(p.incoming) for p in pages] == [3, 3, 1]
    subjects = [t.subject.value for p in pages for t in p.incoming]
    assert len(set(subjects)) == 7
    assert pages[0].paging.last == 3


def test_metadata_and_hydra_view(store: EmbeddedStore) -> None:
    d = describe(store, Q, DOC, page=2, page_size=3, dataset=BASE + ".well-known/void#dataset")
    meta = strings(d.meta)
    assert (DOC, FOAF.primaryTopic.value, f"<{Q}>") in meta
    assert (DOC, VOID.inDataset.value, f"<{BASE}.well-known/void#dataset>") in meta
    view = DOC + "?page=2"
    assert (DOC, HYDRA.view.value, f"<{view}>") in meta
    assert (view, HYDRA.next.value, f"<{DOC}?page=3>") in meta
    assert (view, HYDRA.previous.value, f"<{DOC}?page=1>") in meta
    assert (view, HYDRA.last.value, f"<{DOC}?page=3>") in meta


def test_no_view_when_one_page_is_enough(store: EmbeddedStore) -> None:
    d = describe(store, Q, DOC)
    assert not any(t.predicate == HYDRA.view for t in d.meta)


def test_unknown_resource_is_not_found(store: EmbeddedStore) -> None:
    d = describe(store, BASE + "id/question/9-9", BASE + "doc/question/9-9")
    assert not d.found and not d.triples()


# Legal in an IRI, and SPARQL punctuation: quote, parentheses, semicolon, comma, star, query marks.
ODD = BASE + "id/it's(x);DROP,ALL*?s=$o"


def test_sparql_text_is_refused_as_an_iri(store: EmbeddedStore) -> None:
    # Read as query text, it would close the pattern and match every triple of the store.
    with pytest.raises(ValueError):
        describe(store, BASE + "id/x> } UNION { ?s ?p ?o } #", BASE + "doc/x")


def test_iri_with_sparql_punctuation_is_looked_up_as_a_term(store: EmbeddedStore, tmp_path: Path) -> None:
    assert not describe(store, ODD, BASE + "doc/x").found  # the store does not hold it
    (tmp_path / "graph.ttl").write_text(f'<{ODD}> <{KG}note> "odd" .\n<{Q}> <{KG}sees> <{ODD}> .\n', encoding="utf-8")
    (tmp_path / "ontology.ttl").write_text("", encoding="utf-8")
    holding = EmbeddedStore.in_memory(Sources(tmp_path / "graph.ttl", tmp_path / "ontology.ttl"), BASE + "ns/kg")
    d = describe(holding, ODD, BASE + "doc/x")
    assert d.found
    assert strings(d.own) == {(ODD, KG + "note", '"odd"')}
    assert strings(d.incoming) == {(Q, KG + "sees", f"<{ODD}>")}


def test_triples_are_deduplicated_grouped_and_stable(store: EmbeddedStore) -> None:
    triples = describe(store, Q, DOC).triples()
    assert len(triples) == len(set(triples))
    subjects = [t.subject for t in triples]
    runs = [s for i, s in enumerate(subjects) if i == 0 or subjects[i - 1] != s]
    assert len(runs) == len(set(runs))  # each subject's triples together, as Turtle writes them
    assert triples == describe(store, Q, DOC).triples()


def test_vocabulary_labels(store: EmbeddedStore) -> None:
    labels = vocabulary_labels(store)
    assert Literal("sibling", language="en") in labels[KG + "sibling"]


def test_labels_and_types_in_batches(store: EmbeddedStore) -> None:
    nodes = [NamedNode(f"{BASE}id/question/5-{n}") for n in range(100, 107)] + [NamedNode(BASE + "id/person/a")]
    found = labels_and_types(store, nodes)
    assert strings(found) == {(BASE + "id/person/a", FOAF.name.value, '"A"')}


# -- hubs: resources named too often to read all their incoming links at once ----------------------


def test_hub_pages_cover_every_link_once_in_property_order(store: EmbeddedStore) -> None:
    # With a threshold of 3, the question's 8 incoming triples (7 siblings and its answer) make it
    # a hub: pages are read from the store by property, with LIMIT and OFFSET.
    pages = [describe(store, Q, DOC, page=n, page_size=3, small_incoming=3) for n in (1, 2, 3)]
    assert [p.paging.total for p in pages] == [8, 8, 8]
    assert [len(p.incoming) for p in pages] == [3, 3, 2]
    links = [t for p in pages for t in p.incoming]
    assert len(set(links)) == 8
    assert all(t.object == NamedNode(Q) for t in links)
    predicates = [t.predicate.value for t in links]
    assert predicates == sorted(predicates)  # kg:answers before kg:sibling, across pages
    assert pages[0].paging.last == 3
    assert describe(store, Q, DOC, page=4, page_size=3, small_incoming=3).incoming == []


def test_hub_keeps_its_own_triples_and_the_parts_it_points_to(store: EmbeddedStore) -> None:
    d = describe(store, Q, DOC, small_incoming=3)
    assert {t.object.value for t in d.parts if t.predicate == RDFS.label} == {"outer", "inner"}
    # a part only pointing at a hub is not looked for (that would read every linking IRI); it
    # is listed with the hub's incoming links instead
    assert any(t.subject == NamedNode(Q + "/answer") for t in d.incoming)


def test_small_and_hub_paths_agree_on_the_links(store: EmbeddedStore) -> None:
    small = describe(store, Q, DOC, page_size=100)
    hub = describe(store, Q, DOC, page_size=100, small_incoming=3)
    answer = NamedNode(Q + "/answer")
    assert set(small.incoming) == {t for t in hub.incoming if t.subject != answer}
    assert set(small.own) == set(hub.own)


# -- what is cached, and when it is read again ----------------------------------------------------


def test_labels_of_linked_resources_are_cached_until_the_cache_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "graph.ttl").write_text(GRAPH, encoding="utf-8")
    (tmp_path / "ontology.ttl").write_text(ONTOLOGY, encoding="utf-8")
    own_store = EmbeddedStore.open(tmp_path, base=BASE)
    cache = DescriptionCache()
    person = BASE + "id/person/a"

    def names(d: Description) -> set[str]:
        return {t.object.value for t in d.context if t.subject.value == person and t.predicate == FOAF.name}

    assert names(describe(own_store, Q, DOC, cache=cache)) == {"A"}
    own_store.update(f'INSERT DATA {{ <{person}> <{FOAF.name.value}> "B" }}')
    # the server replaces its cache whenever the store changes (KgContext.changed)
    assert names(describe(own_store, Q, DOC, cache=cache)) == {"A"}
    assert names(describe(own_store, Q, DOC, cache=DescriptionCache())) == {"A", "B"}


def test_lru_keeps_the_most_recently_used() -> None:
    lru: Lru[str, int] = Lru(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # "a" is now the most recent
    lru.put("c", 3)
    assert (lru.get("a"), lru.get("b"), lru.get("c")) == (1, None, 3)
    assert len(lru) == 2


def test_lru_bounded_by_weight() -> None:
    lru: Lru[str, bytes] = Lru(10, weigh=len)
    lru.put("a", b"12345")
    lru.put("b", b"1234")
    lru.put("c", b"123")  # 12 bytes: "a", the least recently used, goes
    assert (lru.get("a"), lru.get("b"), lru.get("c")) == (None, b"1234", b"123")
    lru.put("huge", b"x" * 11)  # heavier than the whole cache: not kept, nothing dropped
    assert lru.get("huge") is None and len(lru) == 2
