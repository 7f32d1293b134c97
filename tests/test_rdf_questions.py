"""Records -> triples, on records built here: the mapping is tested apart from the parser."""

from __future__ import annotations

import dataclasses
from datetime import date

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.parse.records import (
    Answer,
    ChronologyEvent,
    NumberedPart,
    Office,
    Paragraph,
    QuestionLink,
    QuestionNumber,
    QuestionRecord,
    SourceDocument,
    Text,
)
from kg.rdf.questions import question_stub_triples, question_triples, senate_url
from kg.reference.governments import load_governments
from kg.uris import UriMinter

MINTER = UriMinter()
KG = MINTER.ns_iri
BASE = MINTER.base
PREFIXES = f"""
PREFIX kg: <{KG}>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX eli-dl: <http://data.europa.eu/eli/eli-draft-legislation-ontology#>
PREFIX epvoc: <https://data.europarl.europa.eu/def/epvoc#>
PREFIX lang: <http://publications.europa.eu/resource/authority/language/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
Q = f"<{BASE}id/question/5-8916>"

JUSTICE_NL = Office("minister van Justitie", "minister", ("Justitie",))
ASYLUM_NL = Office(
    "staatssecretaris voor Asiel en Migratie, Maatschappelijke Integratie en "
    "Armoedebestrijding, toegevoegd aan de minister van Justitie",
    "state-secretary",
    ("Asiel en Migratie", "Maatschappelijke Integratie", "Armoedebestrijding"),
    JUSTICE_NL,
)
ASYLUM_FR = Office(
    "secrétaire d'État à l'Asile et la Migration, à l'Intégration sociale et à la Lutte "
    "contre la pauvreté, adjointe à la ministre de la Justice",
    "state-secretary",
    ("Asile et Migration",),
    Office("ministre de la Justice", "minister", language="fr"),
    language="fr",
)
PARTS = (Paragraph("1) Maken de FOD's gebruik van sociale media?"), Paragraph("2) Hoe evalueert u het gebruik?"))
QUESTION = Text(
    (
        Paragraph(
            "Bedrijven en overheden ... (potentiële) klanten",
            source_text="Bedrijven en overheden ... (potentiŽle) klanten",
        ),
    )
    + PARTS,
    (NumberedPart("1)", 1, PARTS[:1]), NumberedPart("2)", 2, PARTS[1:])),
)


def record(**changes) -> QuestionRecord:
    base = QuestionRecord(
        number=QuestionNumber(5, 8916),
        language="nl",
        original_language="nl",
        author="Martine Taelman",
        party="Open Vld",
        date=date(2013, 4, 30),
        addressee="de " + ASYLUM_NL.text,
        offices=(ASYLUM_NL,),
        title="Federale overheidsdiensten - Sociale media",
        title_parts=("Federale overheidsdiensten", "Sociale media"),
        descriptors=("ministerie", "sociale media"),
        chronology=(
            ChronologyEvent(date(2013, 4, 30), "sent", "Verzending vraag", deadline=date(2013, 5, 30)),
            ChronologyEvent(date(2013, 6, 4), "answer", "Antwoord"),
        ),
        links=(
            QuestionLink("sibling", QuestionNumber(5, 8913), "Ook gesteld aan"),
            QuestionLink("resubmitted-as", QuestionNumber(6, 12), "Heringediend als"),
        ),
        question=QUESTION,
        answer=Answer(date(2013, 6, 4), Text((Paragraph("Het geachte lid vindt hieronder het antwoord."),))),
        source=SourceDocument("seeds/5-8916-nl.txt", "ab" * 32, "web", encoding_repaired=True),
    )
    return dataclasses.replace(base, **changes)


def french() -> QuestionRecord:
    return record(
        language="fr",
        title="Services publics fédéraux - Médias sociaux",
        title_parts=("Services publics fédéraux", "Médias sociaux"),
        addressee="la " + ASYLUM_FR.text,
        offices=(ASYLUM_FR,),
        descriptors=("médias sociaux",),
        chronology=(ChronologyEvent(date(2013, 4, 30), "sent", "Envoi question"),),
        question=Text((Paragraph("Les entreprises ..."),)),
        answer=Answer(date(2013, 6, 4), Text((Paragraph("L'honorable membre ..."),))),
        source=SourceDocument("fr/5-8916-fr.txt", "cd" * 32, "print"),
    )


def store_of(*records: QuestionRecord) -> ox.Store:
    store = ox.Store()
    governments = load_governments()
    for item in records:
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in question_triples(item, MINTER, governments))
    return store


def values(store: ox.Store, query: str) -> list[str]:
    return sorted(str(row[0].value) for row in store.query(PREFIXES + query))


def ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(PREFIXES + "ASK " + query))


def test_dutch_and_french_versions_are_one_question() -> None:
    store = store_of(record(), french())
    assert values(store, "SELECT ?q { ?q a kg:Question ; dct:title ?t }") == [Q[1:-1]] * 2
    assert values(store, f"SELECT (LANG(?t) AS ?l) {{ {Q} dct:title ?t }}") == ["fr", "nl"]
    # Both chronologies describe the same sending event, labelled in both languages.
    assert values(store, f"SELECT ?e {{ {Q} kg:event ?e ; }}") == [
        f"{BASE}id/question/5-8916/event/2013-04-30-sent",
        f"{BASE}id/question/5-8916/event/2013-06-04-answer",
    ]
    assert values(
        store, f"SELECT (LANG(?l) AS ?x) {{ {Q} kg:event ?e . ?e rdfs:label ?l ; kg:eventKind kg:Sent }}"
    ) == ["fr", "nl"]
    # One answer, with a text per language.
    assert values(store, f"SELECT ?t {{ {Q} kg:hasAnswer/kg:answerText ?t }}") == [
        f"{BASE}id/question/5-8916/answer/text/fr",
        f"{BASE}id/question/5-8916/answer/text/nl",
    ]
    # Each version has its source document.
    assert len(values(store, f"SELECT ?s {{ {Q} prov:wasDerivedFrom ?s }}")) == 2


def test_both_languages_resolve_to_the_same_office_and_person() -> None:
    store = store_of(record(), french())
    assert values(store, f"SELECT ?o {{ {Q} kg:addressedTo ?o }}") == [
        f"{BASE}id/office/di-rupo-state-secretary-asylum-migration"
    ]
    assert values(store, f"SELECT ?p {{ {Q} kg:addressee ?p }}") == [f"{BASE}id/person/maggie-de-block"]


def test_dates_are_xsd_dates() -> None:
    store = store_of(record())
    assert ask(
        store, f'{{ {Q} dct:dateSubmitted "2013-04-30"^^xsd:date ; kg:hasAnswer/dct:date "2013-06-04"^^xsd:date }}'
    )
    assert ask(store, f'{{ {Q} eli:date_document "2013-04-30"^^xsd:date ; kg:hasAnswer/eli:date_document ?a }}')
    assert not ask(store, f"{{ {Q} dct:date ?d }}")  # it would only repeat dct:dateSubmitted
    assert ask(store, f'{{ {Q} kg:event ?e . ?e kg:deadline "2013-05-30"^^xsd:date }}')
    non_dates = values(store, "SELECT ?d { ?s dct:date ?d FILTER(DATATYPE(?d) != xsd:date) }")
    assert non_dates == []


def test_paragraphs_are_ordered_and_parts_point_at_them() -> None:
    store = store_of(record())
    text = f"<{BASE}id/question/5-8916/text/nl>"
    rows = store.query(
        PREFIXES + f"SELECT ?pos ?v {{ {text} kg:paragraph ?p . ?p kg:position ?pos ; rdf:value ?v }} ORDER BY ?pos"
    )
    assert [row[1].value for row in rows] == [p.text for p in QUESTION.paragraphs]
    part_two = values(store, f"SELECT ?v {{ {text} kg:part ?part . ?part kg:number 2 ; kg:paragraph/rdf:value ?v }}")
    assert part_two == ["2) Hoe evalueert u het gebruik?"]
    assert values(store, f"SELECT ?l {{ {text} kg:part/kg:partLabel ?l }}") == ["1)", "2)"]
    # The repaired paragraph keeps what the document printed.
    assert values(store, "SELECT ?s { ?p kg:sourceText ?s }") == ["Bedrijven en overheden ... (potentiŽle) klanten"]


def test_links_make_question_resources_with_number_and_legislature() -> None:
    store = store_of(record())
    sibling = f"<{BASE}id/question/5-8913>"
    later = f"<{BASE}id/question/6-12>"
    assert ask(store, f"{{ {Q} kg:sibling {sibling} . {sibling} kg:sibling {Q} }}")
    assert ask(store, f"{{ {sibling} a kg:Question ; kg:number 8913 ; kg:legislature <{BASE}id/legislature/5> }}")
    assert ask(
        store,
        f"{{ {Q} kg:resubmittedAs {later} . {later} kg:resubmissionOf {Q} ; kg:legislature <{BASE}id/legislature/6> }}",
    )


def test_author_party_descriptors_and_provenance() -> None:
    store = store_of(record())
    assert ask(
        store,
        f"""{{ {Q} dct:creator ?p . ?p org:memberOf ?party .
                           ?m a org:Membership ; org:member ?p ; org:organization ?party .
                           ?party <http://xmlns.com/foaf/0.1/name> "Open Vld" }}""",
    )

    def labels(language: str) -> list[str]:
        query = f"SELECT ?l {{ {Q} dct:subject ?c . ?c a skos:Concept ; skos:prefLabel ?l FILTER(LANG(?l) = '{language}') }}"
        return values(store, query)

    assert labels("nl") == ["ministerie", "sociale media"]
    # reference/descriptors.toml pairs both with their French labels: one concept per descriptor
    assert labels("fr") == ["ministère", "médias sociaux"]
    source = f"<{BASE}id/source/{'ab' * 8}>"
    assert ask(
        store,
        f"""{{ {Q} prov:wasDerivedFrom {source} ; prov:wasGeneratedBy ?a .
                           {source} kg:sha256 "{"ab" * 32}" ; kg:rendering kg:WebRendering ;
                           kg:encodingRepaired true ;
                           dct:source <{senate_url(QuestionNumber(5, 8916), "web", "nl")}> }}""",
    )


def test_office_unknown_to_the_reference_is_described_from_the_print() -> None:
    space = Office("minister van Ruimtevaart", "minister", ("Ruimtevaart",))
    store = store_of(record(offices=(space,), addressee="de minister van Ruimtevaart"))
    [office] = values(store, f"SELECT ?o {{ {Q} kg:addressedTo ?o }}")
    assert office == f"{BASE}id/office/minister-ruimtevaart"
    assert ask(store, f'{{ <{office}> a kg:Minister ; kg:portfolio "Ruimtevaart"@nl ; skos:prefLabel ?l }}')
    assert values(store, f"SELECT ?p {{ {Q} kg:addressee ?p }}") == []  # no holder known, none guessed


def test_one_office_printed_with_and_without_the_deputy_prefix_has_one_name() -> None:
    plain = Office("minister van Ruimtevaart", "minister", ("Ruimtevaart",))
    deputy = Office("vice-eersteminister en minister van Ruimtevaart", "minister", ("Ruimtevaart",))
    store = store_of(
        record(offices=(plain,), addressee="de minister van Ruimtevaart"),
        record(
            number=QuestionNumber(5, 9000),
            offices=(deputy,),
            addressee="de vice-eersteminister en minister van Ruimtevaart",
        ),
    )
    office = f"<{BASE}id/office/minister-ruimtevaart>"
    assert values(store, f"SELECT ?l {{ {office} skos:prefLabel ?l }}") == ["minister van Ruimtevaart"]
    assert values(store, f"SELECT ?l {{ {office} skos:altLabel ?l }}") == [
        "vice-eersteminister en minister van Ruimtevaart"
    ]


def test_no_blank_nodes_and_same_triples_every_time() -> None:
    governments = load_governments()
    first = list(question_triples(record(), MINTER, governments))
    second = list(question_triples(record(), MINTER, governments))
    assert first == second
    for triple in first:
        assert not isinstance(triple.subject, ox.BlankNode) and not isinstance(triple.object, ox.BlankNode)


def test_question_without_answer_has_no_answer_resource() -> None:
    store = store_of(record(answer=None))
    assert not ask(store, "{ ?a a kg:Answer }")
    assert not ask(store, "{ ?a eli-dl:answers_to ?q }")


def test_stub_of_a_number_alone_matches_the_expected_graph() -> None:
    expected = rdflib.Graph().parse(
        data=f"""
        @prefix kg: <{KG}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix dct: <http://purl.org/dc/terms/> . @prefix eli: <http://data.europa.eu/eli/ontology#> .
        @prefix eli-dl: <http://data.europa.eu/eli/eli-draft-legislation-ontology#> .
        <{BASE}id/question/5-8900> a kg:Question , eli:Work ; kg:number 8900 ;
            eli:work_type <http://publications.europa.eu/resource/authority/resource-type/QUEST_WRITTEN> ;
            kg:legislature <{BASE}id/legislature/5> ; eli-dl:parliamentary_term <{BASE}id/legislature/5> ;
            dct:identifier "5-8900" ;
            rdfs:label "Schriftelijke vraag 5-8900"@nl , "Question écrite 5-8900"@fr .
        <{BASE}id/legislature/5> a kg:Legislature , eli-dl:ParliamentaryTerm ; kg:legislatureNumber 5 ;
            rdfs:label "Zittingsperiode 5"@nl , "Législature 5"@fr .
        """,
        format="turtle",
    )
    data = ox.serialize(question_stub_triples(QuestionNumber(5, 8900), MINTER), format=ox.RdfFormat.N_TRIPLES)
    actual = rdflib.Graph().parse(data=data.decode(), format="nt")
    assert isomorphic(actual, expected)


@pytest.mark.parametrize("base", ["http://localhost:8000/", "https://data.example.org/senate/"])
def test_uris_follow_the_base(base: str) -> None:
    minter = UriMinter(base)
    triples = list(question_triples(record(), minter, load_governments()))
    subjects = {t.subject.value for t in triples}
    assert all(s.startswith(base) for s in subjects)


def test_question_and_answer_are_eli_works_with_an_expression_per_language() -> None:
    store = store_of(record(), french())
    q, a = Q[1:-1], Q[1:-1] + "/answer"
    assert values(store, f"SELECT ?e {{ {Q} eli:is_realized_by ?e . ?e a eli:Expression }}") == [
        q + "/expression/fr",
        q + "/expression/nl",
    ]
    assert values(store, f"SELECT ?l {{ <{q}/expression/nl> eli:language ?l }}") == [
        "http://publications.europa.eu/resource/authority/language/NLD"
    ]
    assert values(store, f"SELECT ?t {{ <{q}/expression/fr> eli:title ?t }}") == [
        "Services publics fédéraux - Médias sociaux"
    ]
    assert ask(
        store,
        f"{{ <{a}> eli:work_type kg:AnswerToWrittenQuestion ; eli-dl:answers_to {Q} ; eli:is_realized_by <{a}/expression/fr> }}",
    )
    # the answer is on its question's pages
    assert values(store, f"SELECT ?m {{ <{a}/expression/fr> eli:is_embodied_by ?m }}") == [
        q + "/expression/fr/print",
        q + "/expression/fr/web",
    ]
    assert ask(store, f"{{ {Q} eli:is_about ?c ; eli-dl:parliamentary_term <{BASE}id/legislature/5> }}")
    assert ask(store, f"{{ {Q} epvoc:originalLanguage lang:NLD }}")


def test_manifestations_are_the_senate_pages_the_versions_were_read_from() -> None:
    store = store_of(record(), french())
    q = Q[1:-1]
    rows = store.query(
        PREFIXES + f"SELECT ?m ?url ?f {{ {Q} eli:is_realized_by/eli:is_embodied_by ?m . "
        "?m eli:is_exemplified_by ?url ; eli:format ?f ; "
        "eli:media_type <https://www.iana.org/assignments/media-types/text/html> }"
    )
    found = sorted((row[0].value, row[1].value, row[2].value) for row in rows)
    assert found == [
        (q + "/expression/fr/print", senate_url(QuestionNumber(5, 8916), "print", "fr"), KG + "PrintRendering"),
        (q + "/expression/fr/web", senate_url(QuestionNumber(5, 8916), "web", "fr"), KG + "WebRendering"),
        (q + "/expression/nl/web", senate_url(QuestionNumber(5, 8916), "web", "nl"), KG + "WebRendering"),
    ]


def test_author_and_addressee_are_participations_with_the_ep_roles() -> None:
    store = store_of(record(), french())
    rows = store.query(
        PREFIXES + f"SELECT ?p ?role ?person {{ {Q} epvoc:workHadParticipation ?p . ?p a eli-dl:Participation ; "
        "eli-dl:participation_role ?role ; eli-dl:had_participant_person ?person }"
    )
    found = sorted((row[0].value, row[1].value, row[2].value) for row in rows)
    roles = "https://data.europarl.europa.eu/def/ep-roles/"
    assert found == [
        (Q[1:-1] + "/participation/addressee-maggie-de-block", roles + "ADDRESSEE", f"{BASE}id/person/maggie-de-block"),
        (Q[1:-1] + "/participation/author", roles + "AUTHOR", f"{BASE}id/person/martine-taelman"),
    ]


def test_languages_are_eu_authority_iris_never_strings() -> None:
    store = store_of(record(), french())
    languages = values(store, "SELECT DISTINCT ?l { ?s dct:language|eli:language ?l }")
    assert languages == [
        "http://publications.europa.eu/resource/authority/language/FRA",
        "http://publications.europa.eu/resource/authority/language/NLD",
    ]
    assert not ask(store, "{ ?s dct:language|eli:language ?l FILTER(isLiteral(?l)) }")


def test_a_language_without_a_known_eu_code_is_an_error_not_a_guessed_iri() -> None:
    from kg.rdf.terms import language_iri

    assert language_iri("de") == "<http://publications.europa.eu/resource/authority/language/DEU>"
    with pytest.raises(ValueError, match="'xx'"):
        language_iri("xx")
