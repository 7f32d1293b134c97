"""The ontology and shapes: they load under any base, describe every term in English and Dutch,
and declare every kg term the built graph uses."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg.ontology import declared_terms, load_ontology, load_shapes, ontology_files
from kg.paths import ONTOLOGY_DIR
from kg.rdf.vocab import KG_NS, KG_ONTOLOGY, REUSED
from kg.uris import UriMinter

DEFAULT = UriMinter()
OTHER = UriMinter("https://data.example.org/senate/")


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return load_ontology(DEFAULT)


def test_the_namespace_is_the_same_whatever_the_base_uri() -> None:
    graphs = [load_ontology(minter) for minter in (DEFAULT, OTHER)]
    for graph in graphs:
        assert (rdflib.URIRef(KG_NS + "Question"), RDF.type, OWL.Class) in graph
        assert (rdflib.URIRef(KG_ONTOLOGY), RDF.type, OWL.Ontology) in graph
        assert not any(str(s).startswith((DEFAULT.base, OTHER.base)) for s in graph.subjects())
    assert set(graphs[0]) == set(graphs[1])


def test_ontology_files_exclude_shapes() -> None:
    names = [p.name for p in ontology_files()]
    assert "kg.ttl" in names and not any(n.startswith("shapes") for n in names)


def test_kg_terms_have_english_and_dutch_labels_and_comments() -> None:
    ontology = rdflib.Graph().parse(ONTOLOGY_DIR / "kg.ttl", format="turtle", publicID=DEFAULT.base)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    kg_terms = {s for kind in kinds for s in ontology.subjects(RDF.type, kind) if str(s).startswith(DEFAULT.ns_iri)}
    assert len(kg_terms) > 40
    for term in kg_terms:
        for predicate in (RDFS.label, RDFS.comment):
            languages = {o.language for o in ontology.objects(term, predicate)}
            assert {"en", "nl"} <= languages, (term, predicate)


def test_classes_reuse_the_standard_vocabularies(ontology: rdflib.Graph) -> None:
    ns = rdflib.Namespace(DEFAULT.ns_iri)
    eli = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    org = rdflib.Namespace("http://www.w3.org/ns/org#")
    assert (ns.Question, RDFS.subClassOf, eli.Work) in ontology
    assert (ns.Office, RDFS.subClassOf, org.Post) in ontology
    assert (ns.sibling, RDF.type, OWL.SymmetricProperty) in ontology
    assert (ns.resubmittedAs, OWL.inverseOf, ns.resubmissionOf) in ontology


def test_shapes_load_and_target_kg_classes() -> None:
    shapes = load_shapes(DEFAULT)
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(node_shapes) >= 10
    targets = set(shapes.objects(None, SH.targetClass))
    assert rdflib.URIRef(DEFAULT.ns_iri + "Question") in targets


def test_every_term_of_the_built_graph_is_declared_or_in_a_reused_namespace(
    seeds_out: Path, ontology: rdflib.Graph
) -> None:
    """Each property, class and kg: value of the graph is declared by the ontology, or its IRI
    is in the namespace of a reused vocabulary (whether that vocabulary defines it is not checked
    here)."""
    declared = declared_terms(ontology)
    reused = tuple(vocab.iri for vocab in REUSED.values())
    store = ox.Store()
    store.load(path=str(seeds_out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    used = {row[0].value for row in store.query("SELECT DISTINCT ?p { ?s ?p ?o }")}
    used |= {row[0].value for row in store.query("SELECT DISTINCT ?c { ?s a ?c }")}
    used |= {
        row[0].value
        for row in store.query(
            f"SELECT DISTINCT ?o {{ ?s ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?o), '{DEFAULT.ns_iri}')) }}"
        )
    }
    undeclared = sorted(t for t in used if t not in declared and not t.startswith(reused))
    assert not undeclared
    assert any(t.startswith(DEFAULT.ns_iri) for t in used)
