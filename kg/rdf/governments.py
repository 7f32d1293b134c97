"""Governments, offices, incumbencies and parties of the reference data, as N-Triples lines.

Emitted once per build (not per question), so every office a question links to is described
even when no question names its other holders.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from kg.rdf.terms import (
    DCT,
    ELI_DL,
    FOAF,
    ORG,
    OWL,
    PERSON,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    boolean,
    checked_iri,
    day,
    integer,
    iri,
    kg_vocab,
    lang,
    plain,
)
from kg.reference.governments import Governments, Holding, Legislature, ReferenceOffice
from kg.reference.parties import Parties, load_parties
from kg.reference.people import Identity
from kg.text import slugify
from kg.uris import UriMinter

LEGISLATURE_LABEL = {"nl": "Zittingsperiode {}", "fr": "Législature {}"}
OFFICE_CLASS = {
    "prime-minister": "PrimeMinister",
    "deputy-prime-minister": "Minister",
    "minister": "Minister",
    "state-secretary": "StateSecretary",
    "other": "OtherOffice",
}


def office_uri(minter: UriMinter, office: ReferenceOffice) -> str:
    return minter.office(office.key)


WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"


def identity_uri(minter: UriMinter, identity: Identity) -> str:
    """The person's URI: from the id the people file gives (stable across spellings), else from
    the printed name."""
    return minter.person(identity.id)


def person_triples(
    minter: UriMinter, identity: Identity, party: str | None, printed: str | None = None
) -> tuple[str, ...]:
    """A person, whether the reference data knows who it is, their other spellings and public
    identifiers, and their party membership when one is known. Names are proper names, the same
    in every language, so they are plain literals. Cached: authors and ministers recur."""
    return _person(minter, identity, party, printed if printed != identity.name else None)


@lru_cache(maxsize=1 << 14)
def _person(minter: UriMinter, identity: Identity, party: str | None, printed: str | None) -> tuple[str, ...]:
    return tuple(_person_triples(minter, identity, party, printed))


def _person_triples(minter: UriMinter, identity: Identity, party: str | None, printed: str | None) -> Iterator[str]:
    person = iri(identity_uri(minter, identity))
    ns = kg_vocab(minter.ns_iri)
    yield f"{person} {RDF.type} {PERSON.Person} ."
    yield f"{person} {FOAF.name} {plain(identity.name)} ."
    yield f"{person} {RDFS.label} {plain(identity.name)} ."
    yield f"{person} {ns.reconciled} {boolean(identity.reconciled)} ."
    if identity.person is not None:
        for variant in identity.person.variants:
            yield f"{person} {SKOS.altLabel} {plain(variant)} ."
        if identity.person.wikidata:
            yield f"{person} {OWL.sameAs} {checked_iri(WIKIDATA_ENTITY + identity.person.wikidata)} ."
        if identity.person.born is not None:
            yield f"{person} {SCHEMA.birthDate} {day(identity.person.born)} ."
        for source in identity.person.sources:
            yield f"{person} {DCT.source} {checked_iri(source)} ."
    if printed is not None:  # the spelling a document used, where it is not the person's name
        yield f"{person} {SKOS.altLabel} {plain(printed)} ."
    if party:
        yield from membership_triples(minter, person, party)


def membership_triples(minter: UriMinter, person: str, party: str) -> Iterator[str]:
    """A membership of `party` as printed: a renamed party is one party whatever name is printed
    (its names and their dates are `party_lines`); another is named as printed."""
    parties = load_parties()
    key = parties.key(party)
    party_node = iri(minter.party(key))
    membership = iri(minter.sub(person[1:-1], "membership", key))
    yield f"{party_node} {RDF.type} {kg_vocab(minter.ns_iri).PoliticalParty} ."
    if parties.find(party) is None:
        yield f"{party_node} {FOAF.name} {plain(party)} ."
        yield f"{party_node} {RDFS.label} {plain(party)} ."
    yield f"{membership} {RDF.type} {ORG.Membership} ."
    yield f"{membership} {ORG.member} {person} ."
    yield f"{membership} {ORG.organization} {party_node} ."
    yield f"{person} {ORG.memberOf} {party_node} ."


def party_lines(parties: Parties, minter: UriMinter) -> Iterator[str]:
    """The parties of the reference data with the names they bore and when: the latest name is the
    label, the others alternative labels, and each name a resource with its dates and source."""
    ns = kg_vocab(minter.ns_iri)
    for party in parties.parties:
        node = minter.party(party.id)
        yield f"{iri(node)} {RDF.type} {ns.PoliticalParty} ."
        yield f"{iri(node)} {RDFS.label} {plain(party.names[-1].name)} ."
        for name in party.names:
            yield f"{iri(node)} {FOAF.name} {plain(name.name)} ."
            if name is not party.names[-1]:
                yield f"{iri(node)} {SKOS.altLabel} {plain(name.name)} ."
            named = iri(minter.sub(node, "name", slugify(name.name)))
            yield f"{iri(node)} {ns.partyName} {named} ."
            yield f"{named} {RDF.type} {ns.PartyName} ."
            yield f"{named} {RDFS.label} {plain(name.name)} ."
            if name.since is not None:
                yield f"{named} {SCHEMA.startDate} {day(name.since)} ."
            if name.until is not None:
                yield f"{named} {SCHEMA.endDate} {day(name.until)} ."
            if name.source:
                yield f"{named} {DCT.source} {checked_iri(name.source)} ."


def government_triples(governments: Governments, minter: UriMinter) -> Iterator[str]:
    ns = kg_vocab(minter.ns_iri)
    for government in governments.governments:
        node = iri(minter.government(government.key))
        yield f"{node} {RDF.type} {ns.Government} ."
        yield f"{node} {RDF.type} {ORG.FormalOrganization} ."
        yield f"{node} {RDFS.label} {lang(f'Regering-{government.name}', 'nl')} ."
        yield f"{node} {RDFS.label} {lang(f'Gouvernement {government.name}', 'fr')} ."
        yield f"{node} {RDFS.label} {lang(f'{government.name} Government', 'en')} ."
        yield f"{node} {SCHEMA.startDate} {day(government.start)} ."
        if government.end is not None:
            yield f"{node} {SCHEMA.endDate} {day(government.end)} ."
        for source in government.sources:
            yield f"{node} {DCT.source} {checked_iri(source)} ."
        for office in government.offices:
            yield from _office_triples(minter, office, node, governments)
    for legislature in governments.legislatures:
        yield from legislature_triples(minter, legislature)


def legislature_triples(minter: UriMinter, legislature: Legislature) -> Iterator[str]:
    """A legislature with its dates; a question names its legislature with the same triples
    but the dates, so the two meet in one resource."""
    ns = kg_vocab(minter.ns_iri)
    node = iri(minter.legislature(legislature.number))
    yield f"{node} {RDF.type} {ns.Legislature} ."
    yield f"{node} {RDF.type} {ELI_DL.ParliamentaryTerm} ."
    yield f"{node} {ns.legislatureNumber} {integer(legislature.number)} ."
    for language, label in LEGISLATURE_LABEL.items():
        yield f"{node} {RDFS.label} {lang(label.format(legislature.number), language)} ."
    yield f"{node} {SCHEMA.startDate} {day(legislature.start)} ."
    if legislature.end is not None:
        yield f"{node} {SCHEMA.endDate} {day(legislature.end)} ."
    for source in legislature.sources:
        yield f"{node} {DCT.source} {checked_iri(source)} ."


def _office_triples(
    minter: UriMinter, office: ReferenceOffice, government: str, governments: Governments
) -> Iterator[str]:
    ns = kg_vocab(minter.ns_iri)
    node = iri(office_uri(minter, office))
    yield f"{node} {RDF.type} {ns[OFFICE_CLASS[office.kind]]} ."
    yield f"{node} {RDF.type} {ORG.Post} ."
    yield f"{node} {ORG.postIn} {government} ."
    for language, titles in (("nl", office.titles_nl), ("fr", office.titles_fr)):
        for position, title in enumerate(titles):
            # The latest wording names the office; earlier wordings stay findable.
            predicate = SKOS.prefLabel if position == len(titles) - 1 else SKOS.altLabel
            yield f"{node} {predicate} {lang(title, language)} ."
            if position == len(titles) - 1:
                yield f"{node} {RDFS.label} {lang(title, language)} ."
    for language, items in (("nl", office.portfolio_nl), ("fr", office.portfolio_fr)):
        for item in items:
            yield f"{node} {ns.portfolio} {lang(item, language)} ."
    if office.attached_to is not None:
        yield f"{node} {ns.attachedTo} {iri(minter.office(office.attached_to))} ."
    for source in office.sources:
        yield f"{node} {DCT.source} {checked_iri(source)} ."
    for holding in office.holders:
        yield from _incumbency_triples(minter, office, node, holding, governments.holder(holding))


def incumbency_uri(minter: UriMinter, office: ReferenceOffice, holding: Holding, identity: Identity) -> str:
    """Made from the person's id (not the spelling) and the first day."""
    return minter.sub(office_uri(minter, office), "incumbency", f"{identity.id}-{holding.start.isoformat()}")


def _incumbency_triples(
    minter: UriMinter, office: ReferenceOffice, post: str, holding: Holding, identity: Identity
) -> Iterator[str]:
    ns = kg_vocab(minter.ns_iri)
    node = iri(incumbency_uri(minter, office, holding, identity))
    person = iri(identity_uri(minter, identity))
    yield from person_triples(minter, identity, holding.party, holding.person)
    yield f"{post} {ORG.heldBy} {person} ."
    yield f"{post} {ns.incumbency} {node} ."
    yield f"{node} {RDF.type} {ns.Incumbency} ."
    yield f"{node} {ns.post} {post} ."
    yield f"{node} {ns.incumbent} {person} ."
    yield f"{node} {SCHEMA.startDate} {day(holding.start)} ."
    if holding.end is not None:
        yield f"{node} {SCHEMA.endDate} {day(holding.end)} ."
    period = f"{holding.start.isoformat()} – {holding.end.isoformat() if holding.end else ''}"
    title_nl = office.titles_nl[-1] if office.titles_nl else office.key
    yield f"{node} {RDFS.label} {lang(f'{holding.person}, {title_nl} ({period})', 'nl')} ."
    if office.titles_fr:
        yield f"{node} {RDFS.label} {lang(f'{holding.person}, {office.titles_fr[-1]} ({period})', 'fr')} ."
