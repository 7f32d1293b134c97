"""Links out of the reference data, as N-Triples lines: parties and governments to their
Wikidata items (`owl:sameAs`), each with the source the item was read in (`dct:source`).

People link to Wikidata in `kg.rdf.governments` (their items are in the people file), agencies to
the enterprise register in `kg.rdf.social`, descriptors to EuroVoc in `kg.rdf.concepts`. Emitted
once per build, as the governments are.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.rdf.governments import WIKIDATA_ENTITY
from kg.rdf.terms import DCT, FOAF, OWL, RDF, RDFS, checked_iri, iri, kg_vocab, plain
from kg.reference.governments import Governments
from kg.reference.links import Links, check_governments
from kg.reference.parties import load_parties
from kg.uris import UriMinter


def link_lines(links: Links, governments: Governments, minter: UriMinter) -> Iterator[str]:
    ns = kg_vocab(minter.ns_iri)
    parties = load_parties()
    for name, link in sorted(links.parties.items()):
        party = iri(minter.party(parties.key(name)))
        yield f"{party} {RDF.type} {ns.PoliticalParty} ."
        if parties.find(name) is None:  # a renamed party's names are kg.rdf.governments.party_lines
            yield f"{party} {FOAF.name} {plain(name)} ."
            yield f"{party} {RDFS.label} {plain(name)} ."
        yield f"{party} {OWL.sameAs} {checked_iri(WIKIDATA_ENTITY + link.wikidata)} ."
        yield f"{party} {DCT.source} {checked_iri(link.source)} ."
    check_governments(links, {government.key for government in governments.governments})
    for key, link in sorted(links.governments.items()):
        government = iri(minter.government(key))
        yield f"{government} {OWL.sameAs} {checked_iri(WIKIDATA_ENTITY + link.wikidata)} ."
        yield f"{government} {DCT.source} {checked_iri(link.source)} ."
