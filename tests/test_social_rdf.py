"""Extraction records -> triples (`kg.rdf.social`), the social ontology and its shapes."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from conftest import SEED_AGENCIES
from rdflib.namespace import OWL, RDF, RDFS

from kg.extract.patterns import load_patterns
from kg.parse import parse_document
from kg.parse.records import Answer, Paragraph, QuestionNumber, QuestionRecord, SourceDocument, Text
from kg.paths import ONTOLOGY_DIR, SEEDS_DIR
from kg.rdf.social import policy_class, social_triples
from kg.rdf.vocab import REUSED
from kg.uris import UriMinter

DEFAULT = UriMinter()
OTHER = UriMinter("https://data.example.org/senate/")
OA = "http://www.w3.org/ns/oa#"


def seed(name: str) -> QuestionRecord:
    (record,) = parse_document(SEEDS_DIR / name).questions
    return record


def store_of(*records: QuestionRecord, minter: UriMinter = DEFAULT) -> ox.Store:
    store = ox.Store()
    for record in records:
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in social_triples(record, minter))
    return store


@pytest.fixture(scope="module")
def seeds_store() -> ox.Store:
    return store_of(seed("5-8913-nl.txt"), seed("5-8916-nl.txt"))


def select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    prefixes = f"PREFIX kg: <{DEFAULT.ns_iri}> PREFIX oa: <{OA}> " + " ".join(
        f"PREFIX {name}: <{vocab.iri}>" for name, vocab in REUSED.items()
    )
    return sorted(
        tuple(term.value if term is not None else None for term in row) for row in store.query(prefixes + query)
    )


def rdflib_graph(store: ox.Store) -> rdflib.Graph:
    data = ox.serialize(store, format=ox.RdfFormat.N_QUADS)
    graph = rdflib.Graph()
    graph.parse(data=data.decode(), format="nt")
    return graph


def social_ontology(minter: UriMinter = DEFAULT) -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_DIR / "social.ttl", format="turtle", publicID=minter.base)


def social_shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_DIR / "shapes-social.ttl", format="turtle", publicID=DEFAULT.base)


# --- the mapping -----------------------------------------------------------------------------


def test_output_is_deterministic() -> None:
    record = seed("5-8913-nl.txt")
    assert list(social_triples(record, DEFAULT)) == list(social_triples(record, DEFAULT))


SOCIAL_LINES = """import sys
from kg.parse import parse_document
from kg.rdf.social import social_lines
from kg.uris import UriMinter
for record in parse_document(sys.argv[1]).questions:
    for line in social_lines(record, UriMinter()):
        print(line)
"""


def test_output_is_the_same_in_processes_with_other_hash_seeds() -> None:
    """The social lines of the seeds, in order, from fresh processes whose string hashes (and so
    set and dict-of-set orders) differ: no order may come from hashing."""
    outputs = {}
    for hash_seed in ("1", "2"):
        lines = []
        for name in ("5-8913-nl.txt", "5-8916-nl.txt"):
            result = subprocess.run(
                [sys.executable, "-c", SOCIAL_LINES, str(SEEDS_DIR / name)],
                env={**os.environ, "PYTHONHASHSEED": hash_seed},
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert result.returncode == 0, result.stderr
            lines.append(result.stdout)
        outputs[hash_seed] = lines
    assert all(text.count("\n") > 100 for text in outputs["1"])  # both seeds have social triples
    assert outputs["1"] == outputs["2"]


def test_fact_uris_count_in_document_order_per_text_and_language(seeds_store: ox.Store) -> None:
    rows = select(seeds_store, "SELECT ?f { ?f a kg:SocialMediaFact }")
    answer = DEFAULT.question("5-8916") + "/answer/fact/nl/"
    numbers = sorted(int(f[len(answer) :]) for (f,) in rows if f.startswith(answer))
    assert numbers == list(range(1, 14))
    question = DEFAULT.question("5-8916") + "/fact/nl/"
    assert sorted(f for (f,) in rows if f.startswith(question)) == [question + "1", question + "2"]
    assert select(
        seeds_store, f"SELECT ?q {{ <{answer}7> kg:plannedYear ?y ; kg:evidence/oa:hasSelector/oa:exact ?q }}"
    ) == [("Later dit jaar zal Fedasil ook gebruik maken van Twitter.",)]


def test_evidence_selects_the_sentence_in_its_paragraph(seeds_out: Path) -> None:
    """Each span is a Web Annotation specific resource of the paragraph the sentence is in: the
    position selector's offsets cut the quote out of the paragraph's text, and the quote
    selector's prefix and suffix are the text right around it."""
    store = ox.Store()
    store.load(path=str(seeds_out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    rows = select(
        store,
        f"""SELECT ?text ?exact ?prefix ?suffix ?start ?end {{ ?f kg:evidence ?span .
        ?span a oa:SpecificResource ; kg:inText <{DEFAULT.question("5-8913")}/answer> ;
              oa:hasSource ?paragraph ; oa:hasSelector ?quote , ?position .
        ?paragraph a kg:Paragraph ; rdf:value ?text .
        ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
        OPTIONAL {{ ?quote oa:prefix ?prefix }} OPTIONAL {{ ?quote oa:suffix ?suffix }}
        ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }}""",
    )
    assert len(rows) == 32
    for text, exact, prefix, suffix, start, end in rows:
        assert text[int(start) : int(end)] == exact
        assert text[: int(start)].endswith(prefix or "") and len(prefix or "") == min(32, int(start))
        assert text[int(end) :].startswith(suffix or "") and len(suffix or "") == min(32, len(text) - int(end))
    assert not select(store, "SELECT ?s { ?s kg:startOffset|kg:endOffset|kg:paragraphIndex ?o }")


def test_one_agency_resource_per_agency_with_its_names(seeds_store: ox.Store) -> None:
    agency = DEFAULT.agency("fod-mobiliteit")
    labels = select(seeds_store, f"SELECT ?l (LANG(?l) AS ?lang) {{ <{agency}> skos:prefLabel|skos:altLabel ?l }}")
    assert ("Federale Overheidsdienst Mobiliteit en Vervoer", "nl") in labels
    assert ("SPF Mobilité et Transports", "fr") in labels
    assert ("FPS Mobility and Transport", "en") in labels
    assert ("FOD Mobiliteit", "nl") in labels
    agencies = select(seeds_store, "SELECT ?a { ?a a kg:Agency }")
    assert agencies == sorted((DEFAULT.agency(key),) for key in SEED_AGENCIES)
    assert select(seeds_store, f"SELECT ?p {{ <{DEFAULT.agency('statbel')}> org:subOrganizationOf ?p }}") == [
        (DEFAULT.agency("fod-economie"),)
    ]
    assert select(seeds_store, f"SELECT ?x {{ <{DEFAULT.agency('fod-financien')}> owl:sameAs ?x }}") == [
        ("https://org.belgif.be/id/CbeRegisteredEntity/0308357159",)
    ]


def test_accounts_with_handle_language_owner_and_topic(seeds_store: ox.Store) -> None:
    account = DEFAULT.account("twitter", "statbel_nl")
    assert select(
        seeds_store,
        f"""SELECT ?name ?lang ?owner ?topic ?platform {{ <{account}>
        foaf:accountName ?name ; dct:language ?lang ; sioc:account_of ?owner ; kg:topic ?topic ;
        kg:platform ?platform . ?owner foaf:account <{account}> }}""",
    ) == [
        (
            "statbel_nl",
            "http://publications.europa.eu/resource/authority/language/NLD",
            DEFAULT.agency("statbel"),
            "statistieken en cijfers",
            DEFAULT.mint_uri("platform", "twitter"),
        )
    ]
    page = DEFAULT.account("facebook", "pasoplichting")
    assert select(seeds_store, f"SELECT ?url {{ <{page}> foaf:page ?url }}") == [
        ("https://www.facebook.com/Pasoplichting",)
    ]


def test_platform_use_is_summed_up_on_the_agency(seeds_store: ox.Store) -> None:
    """kg:usesPlatform and kg:usesAccount say on the agency what its kg:PlatformUse facts say:
    every pair a fact states, and no other."""
    stated_platforms = select(
        seeds_store,
        """SELECT DISTINCT ?agency ?platform {
        ?fact a kg:PlatformUse ; kg:agency ?agency ; kg:platform ?platform }""",
    )
    stated_accounts = select(
        seeds_store,
        """SELECT DISTINCT ?agency ?account {
        ?fact a kg:PlatformUse ; kg:agency ?agency ; kg:account ?account }""",
    )
    assert stated_platforms and stated_accounts
    assert select(seeds_store, "SELECT ?agency ?platform { ?agency kg:usesPlatform ?platform }") == stated_platforms
    assert select(seeds_store, "SELECT ?agency ?account { ?agency kg:usesAccount ?account }") == stated_accounts


def test_audience_counters(seeds_store: ox.Store) -> None:
    account = DEFAULT.account("twitter", "of-fod-mobiliteit")
    assert select(
        seeds_store,
        f"""SELECT ?n ?lang ?day ?type {{ <{account}> schema:interactionStatistic ?c .
        ?c a schema:InteractionCounter ; schema:userInteractionCount ?n ; kg:audienceLanguage ?lang ;
           dct:date ?day ; schema:interactionType ?type }}""",
    ) == [
        ("136", "fr", "2013-05-02", "http://schema.org/FollowAction"),
        ("474", "nl", "2013-05-02", "http://schema.org/FollowAction"),
    ]


def test_dutch_and_french_versions_do_not_merge_their_facts() -> None:
    def version(language: str, text: str) -> QuestionRecord:
        return QuestionRecord(
            number=QuestionNumber(5, 1),
            language=language,
            original_language="nl",  # type: ignore[arg-type]
            author="A",
            party=None,
            date=date(2013, 1, 1),
            addressee="x",
            offices=(),
            title="t",
            title_parts=(),
            descriptors=(),
            chronology=(),
            links=(),
            question=Text(()),
            answer=Answer(date(2013, 2, 1), Text((Paragraph(text),))),
            source=SourceDocument("x", "0" * 64, "print-bilingual"),
        )

    store = store_of(version("nl", "Fedasil maakt gebruik van Facebook."), version("fr", "Fedasil utilise Facebook."))
    rows = select(store, "SELECT ?f ?q { ?f kg:evidence/oa:hasSelector/oa:exact ?q }")
    assert [f.rsplit("/fact/", 1)[1] for f, _ in rows] == ["fr/1", "nl/1"]
    assert select(store, "SELECT (LANG(?q) AS ?l) { ?f kg:evidence/oa:hasSelector/oa:exact ?q }") == [
        ("fr",),
        ("nl",),
    ]


def test_uris_follow_the_base() -> None:
    store = store_of(seed("5-8916-nl.txt"), minter=OTHER)
    iris = {
        term.value
        for quad in store
        for term in (quad.subject, quad.predicate, quad.object)
        if isinstance(term, ox.NamedNode)
    }
    assert not any(iri.startswith(DEFAULT.base) for iri in iris)
    assert any(iri.startswith(OTHER.base + "id/agency/") for iri in iris)


# --- ontology and shapes ---------------------------------------------------------------------


def test_every_term_the_mapping_uses_is_declared_or_in_a_reused_namespace(seeds_store: ox.Store) -> None:
    """Each property, class and kg: value of the social triples is declared by the social
    ontology, or its IRI is in the namespace of a reused vocabulary (whether that vocabulary
    defines it is not checked here)."""
    declared = {str(s) for s in social_ontology().subjects(RDF.type, None)}
    reused = tuple(vocab.iri for vocab in REUSED.values())
    used = {row[0] for row in select(seeds_store, "SELECT DISTINCT ?p { ?s ?p ?o }")}
    used |= {row[0] for row in select(seeds_store, "SELECT DISTINCT ?c { ?s a ?c }")}
    used |= {
        row[0]
        for row in select(
            seeds_store,
            f"""SELECT DISTINCT ?o {{ ?s ?p ?o
        FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{DEFAULT.ns_iri}")) }}""",
        )
    }
    assert sorted(t for t in used if t not in declared and not t.startswith(reused)) == []


def test_social_terms_are_described_in_english_and_dutch() -> None:
    ontology = social_ontology()
    terms = {
        s for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) for s in ontology.subjects(RDF.type, kind)
    }
    assert len(terms) >= 30
    for term in terms:
        for predicate in (RDFS.label, RDFS.comment):
            assert {"en", "nl"} <= {o.language for o in ontology.objects(term, predicate)}, (term, predicate)


def test_the_vocabulary_follows_the_base() -> None:
    ontology = social_ontology(OTHER)
    assert (rdflib.URIRef(OTHER.ns_iri + "Agency"), RDF.type, OWL.Class) in ontology
    assert not any(str(s).startswith(DEFAULT.base) for s in ontology.subjects())


def test_every_policy_kind_of_the_patterns_is_declared() -> None:
    ontology = social_ontology()
    for kind in load_patterns().policies:
        node = rdflib.URIRef(DEFAULT.ns_iri + policy_class(kind))
        assert (node, RDF.type, rdflib.URIRef(DEFAULT.ns_iri + "PolicyKind")) in ontology, kind


def conforms(graph: rdflib.Graph) -> tuple[bool, str]:
    mixed = graph + social_ontology()
    ok, _, text = pyshacl.validate(mixed, shacl_graph=social_shapes(), inference="none")
    return bool(ok), text


def test_the_seeds_conform_to_the_shapes(seeds_store: ox.Store) -> None:
    ok, report = conforms(rdflib_graph(seeds_store))
    assert ok, report


def test_the_shapes_catch_a_fact_without_evidence_and_a_backwards_span(seeds_store: ox.Store) -> None:
    graph = rdflib_graph(seeds_store)
    kg = rdflib.Namespace(DEFAULT.ns_iri)
    fact = rdflib.URIRef(DEFAULT.question("5-8916") + "/answer/fact/nl/1")
    span = graph.value(fact, kg.evidence)
    graph.remove((fact, kg.evidence, None))
    oa = rdflib.Namespace(OA)
    position = next(s for s in graph.objects(span, oa.hasSelector) if (s, RDF.type, oa.TextPositionSelector) in graph)
    graph.set((position, oa.start, rdflib.Literal(500, datatype=rdflib.XSD.nonNegativeInteger)))
    ok, report = conforms(graph)
    assert not ok
    assert "a fact rests on exactly one sentence" in report
    assert "a span starts at an offset before its end" in report
