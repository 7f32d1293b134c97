"""Governments, offices, incumbencies and parties of the reference data, as triples.

Emitted once per build (not per question), so every office a question links to is described
even when no question names its other holders.
"""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import NamedNode, Triple

from kg.government import Governments, Holding, ReferenceOffice
from kg.rdf.terms import (DCT, FOAF, ORG, PERSON, RDF, RDFS, SCHEMA, SKOS, day, iri, kg_vocab, lang,
                          person_uri, plain)
from kg.uris import UriMinter, slugify

OFFICE_CLASS = {
    "prime-minister": "PrimeMinister",
    "deputy-prime-minister": "Minister",
    "minister": "Minister",
    "state-secretary": "StateSecretary",
    "other": "OtherOffice",
}


def office_uri(minter: UriMinter, office: ReferenceOffice) -> str:
    return minter.office(office.key)


def person_triples(minter: UriMinter, name: str, party: str | None) -> Iterator[Triple]:
    """A person, and their party membership when one is known. Names are proper names, the same
    in every language, so they are plain literals."""
    person = iri(person_uri(minter, name))
    yield Triple(person, RDF.type, PERSON.Person)
    yield Triple(person, FOAF.name, plain(name))
    yield Triple(person, RDFS.label, plain(name))
    if party:
        yield from membership_triples(minter, person, party)


def membership_triples(minter: UriMinter, person: NamedNode, party: str) -> Iterator[Triple]:
    party_node = iri(minter.party(party))
    membership = iri(minter.sub(person.value, "membership", slugify(party)))
    yield Triple(party_node, RDF.type, kg_vocab(minter.ns_iri).PoliticalParty)
    yield Triple(party_node, FOAF.name, plain(party))
    yield Triple(party_node, RDFS.label, plain(party))
    yield Triple(membership, RDF.type, ORG.Membership)
    yield Triple(membership, ORG.member, person)
    yield Triple(membership, ORG.organization, party_node)
    yield Triple(person, ORG.memberOf, party_node)


def government_triples(governments: Governments, minter: UriMinter) -> Iterator[Triple]:
    ns = kg_vocab(minter.ns_iri)
    for government in governments.governments:
        node = iri(minter.government(government.key))
        yield Triple(node, RDF.type, ns.Government)
        yield Triple(node, RDF.type, ORG.FormalOrganization)
        yield Triple(node, RDFS.label, lang(f"Regering-{government.name}", "nl"))
        yield Triple(node, RDFS.label, lang(f"Gouvernement {government.name}", "fr"))
        yield Triple(node, RDFS.label, lang(f"{government.name} Government", "en"))
        yield Triple(node, SCHEMA.startDate, day(government.start))
        if government.end is not None:
            yield Triple(node, SCHEMA.endDate, day(government.end))
        for source in government.sources:
            yield Triple(node, DCT.source, iri(source))
        for office in government.offices:
            yield from _office_triples(minter, office, node)


def _office_triples(minter: UriMinter, office: ReferenceOffice, government: NamedNode) -> Iterator[Triple]:
    ns = kg_vocab(minter.ns_iri)
    node = iri(office_uri(minter, office))
    yield Triple(node, RDF.type, ns[OFFICE_CLASS[office.kind]])
    yield Triple(node, RDF.type, ORG.Post)
    yield Triple(node, ORG.postIn, government)
    for language, titles in (("nl", office.titles_nl), ("fr", office.titles_fr)):
        for position, title in enumerate(titles):
            # The latest wording names the office; earlier wordings stay findable.
            predicate = SKOS.prefLabel if position == len(titles) - 1 else SKOS.altLabel
            yield Triple(node, predicate, lang(title, language))
            if position == len(titles) - 1:
                yield Triple(node, RDFS.label, lang(title, language))
    for language, items in (("nl", office.portfolio_nl), ("fr", office.portfolio_fr)):
        for item in items:
            yield Triple(node, ns.portfolio, lang(item, language))
    if office.attached_to is not None:
        yield Triple(node, ns.attachedTo, iri(minter.office(office.attached_to)))
    for source in office.sources:
        yield Triple(node, DCT.source, iri(source))
    for holding in office.holders:
        yield from _incumbency_triples(minter, office, node, holding)


def incumbency_uri(minter: UriMinter, office: ReferenceOffice, holding: Holding) -> str:
    return minter.sub(office_uri(minter, office), "incumbency",
                      f"{slugify(holding.person)}-{holding.start.isoformat()}")


def _incumbency_triples(minter: UriMinter, office: ReferenceOffice, post: NamedNode,
                        holding: Holding) -> Iterator[Triple]:
    ns = kg_vocab(minter.ns_iri)
    node = iri(incumbency_uri(minter, office, holding))
    person = iri(person_uri(minter, holding.person))
    yield from person_triples(minter, holding.person, holding.party)
    yield Triple(post, ORG.heldBy, person)
    yield Triple(post, ns.incumbency, node)
    yield Triple(node, RDF.type, ns.Incumbency)
    yield Triple(node, ns.post, post)
    yield Triple(node, ns.incumbent, person)
    yield Triple(node, SCHEMA.startDate, day(holding.start))
    if holding.end is not None:
        yield Triple(node, SCHEMA.endDate, day(holding.end))
    period = f"{holding.start.isoformat()} – {holding.end.isoformat() if holding.end else ''}"
    title_nl = office.titles_nl[-1] if office.titles_nl else office.key
    yield Triple(node, RDFS.label, lang(f"{holding.person}, {title_nl} ({period})", "nl"))
    if office.titles_fr:
        yield Triple(node, RDFS.label, lang(f"{holding.person}, {office.titles_fr[-1]} ({period})", "fr"))
