"""A question's descriptors -> one SKOS concept per descriptor, whatever the page's language.

A concept is named after its Dutch label (`{base}id/concept/{slug}`), so the Dutch page, the
French page and the bilingual print version of a question meet in one concept with a label per
language. A French descriptor finds its Dutch label in the same document (the bilingual version
lists both languages in the same order) or in `reference/descriptors.toml`; one found in neither
stays a concept of its own, named after its French label, and is reported as unpaired. Each
document is converted on its own, so the result does not depend on which other documents a build
holds: a full and an incremental build agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from kg.parse.records import QuestionRecord
from kg.rdf.terms import DCT, ELI, RDF, RDFS, SKOS, checked_iri, iri, lang
from kg.reference.descriptors import DescriptorPair, Descriptors, fold
from kg.uris import UriMinter

EUROVOC = "http://eurovoc.europa.eu/"

Pairs = Mapping[str, str]  # a French label, folded -> the Dutch label it translates


def document_pairs(records: Iterable[QuestionRecord]) -> dict[str, str]:
    """The French-Dutch pairs one document gives: its Dutch and French records of one question,
    when they carry as many descriptors (in the same order)."""
    versions: dict[object, dict[str, QuestionRecord]] = {}
    for record in records:
        versions.setdefault(record.number, {})[record.language] = record
    pairs: dict[str, str] = {}
    for by_language in versions.values():
        nl, fr = by_language.get("nl"), by_language.get("fr")
        if nl is not None and fr is not None and len(nl.descriptors) == len(fr.descriptors):
            for french, dutch in zip(fr.descriptors, nl.descriptors, strict=True):
                pairs[fold(french)] = dutch
    return pairs


@dataclass(frozen=True)
class Resolved:
    key: str  # the label the concept is named after
    pair: DescriptorPair | None  # what the reference data says of it
    paired: bool  # its Dutch label is known (or it is Dutch)


def resolve(label: str, language: str, pairs: Pairs, descriptors: Descriptors) -> Resolved:
    if language == "fr":
        dutch = pairs.get(fold(label))
        known = descriptors.find(label, "fr")
        if dutch is None and known is not None:
            dutch = known.nl
        if dutch is None:
            return Resolved(label, None, False)
        return Resolved(dutch, descriptors.find(dutch, "nl") or known, True)
    known = descriptors.find(label, language) if language == "nl" else None
    return Resolved(known.nl if known is not None else label, known, language == "nl")


def descriptor_lines(
    question: str, record: QuestionRecord, minter: UriMinter, scheme: str, pairs: Pairs, descriptors: Descriptors
) -> Iterator[str]:
    """The question's subjects and their concepts, as N-Triples lines."""
    language = record.language
    for label in record.descriptors:
        found = resolve(label, language, pairs, descriptors)
        concept = iri(minter.concept(found.key))
        yield f"{question} {DCT.subject} {concept} ."
        yield f"{question} {ELI.is_about} {concept} ."
        yield f"{concept} {RDF.type} {SKOS.Concept} ."
        yield f"{concept} {SKOS.inScheme} {scheme} ."
        pair = found.pair
        if pair is None:
            yield f"{concept} {SKOS.prefLabel} {lang(label, language)} ."
            yield f"{concept} {RDFS.label} {lang(label, language)} ."
            continue
        for pair_language, pair_label in (("nl", pair.nl), ("fr", pair.fr)):
            yield f"{concept} {SKOS.prefLabel} {lang(pair_label, pair_language)} ."
            yield f"{concept} {RDFS.label} {lang(pair_label, pair_language)} ."
        if label not in (pair.nl, pair.fr):  # the page's own spelling, where it differs
            yield f"{concept} {SKOS.altLabel} {lang(label, language)} ."
        if pair.eurovoc is not None:
            yield f"{concept} {SKOS.exactMatch} {checked_iri(EUROVOC + pair.eurovoc)} ."


def unpaired(record: QuestionRecord, pairs: Pairs, descriptors: Descriptors) -> list[str]:
    """The record's French descriptors whose Dutch label neither its document nor the reference
    data gives: each is a concept with one label until its pair is added."""
    if record.language != "fr":
        return []
    return [label for label in record.descriptors if not resolve(label, "fr", pairs, descriptors).paired]
