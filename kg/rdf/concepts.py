"""A question's descriptors -> one SKOS concept per descriptor, whatever the page's language.

A concept is named after its Dutch label (`{base}id/concept/{slug}`), so the Dutch page, the
French page and the bilingual print version of a question meet in one concept with a label per
language. A French descriptor finds its Dutch label in the same document (the bilingual version
lists both languages in the same order) or in `reference/descriptors.toml`. One found in neither
is left to the build (`deferred_descriptor_lines`), which pairs it from the Dutch version of the
same question, as another document gives it (the two versions carry the same descriptors in the
same order); one the whole corpus cannot pair stays a concept of its own, named after its French
label, and is reported as unpaired. The build's pairing reads every document's descriptors, so a
full and an incremental build agree.
"""

from __future__ import annotations

from collections import Counter
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
    question: str,
    record: QuestionRecord,
    minter: UriMinter,
    scheme: str,
    pairs: Pairs,
    descriptors: Descriptors,
    *,
    defer_unpaired: bool = False,
) -> Iterator[str]:
    """The question's subjects and their concepts, as N-Triples lines. `defer_unpaired`: leave
    out the French descriptors neither `pairs` nor the reference data pairs (the build adds
    them once it has read every document: `deferred_descriptor_lines`)."""
    language = record.language
    for label in record.descriptors:
        found = resolve(label, language, pairs, descriptors)
        if defer_unpaired and language == "fr" and not found.paired:
            continue
        yield from _concept_lines(question, label, language, found, minter, scheme)


def _concept_lines(
    question: str, label: str, language: str, found: Resolved, minter: UriMinter, scheme: str
) -> Iterator[str]:
    concept = iri(minter.concept(found.key))
    yield f"{question} {DCT.subject} {concept} ."
    yield f"{question} {ELI.is_about} {concept} ."
    yield from concept_own_lines(concept, label, language, found, scheme)


def concept_own_lines(concept: str, label: str, language: str, found: Resolved, scheme: str) -> Iterator[str]:
    """What a page's descriptor says of its concept: its type, scheme, labels and EuroVoc match."""
    yield f"{concept} {RDF.type} {SKOS.Concept} ."
    yield f"{concept} {SKOS.inScheme} {scheme} ."
    pair = found.pair
    if pair is None:
        yield f"{concept} {SKOS.prefLabel} {lang(label, language)} ."
        yield f"{concept} {RDFS.label} {lang(label, language)} ."
        return
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


Version = tuple[str, str, tuple[str, ...]]  # (question number, language, its descriptors in order)


def corpus_pairs(versions: Iterable[Version]) -> dict[str, str]:
    """French label, folded -> Dutch label, from every question the corpus holds in both
    languages with as many descriptors in each (the two versions list them in the same order).
    Where versions disagree, the partner found most often wins, then the first in order: the
    same documents always give the same pairs."""
    return {label: best_partner(found) for label, found in pair_candidates(versions).items()}


def pair_candidates(versions: Iterable[Version]) -> dict[str, dict[str, int]]:
    """French label, folded -> each Dutch partner the versions give it, with how many times
    (`corpus_pairs` before choosing): sums over question numbers, which a build keeps to add
    and take away the numbers whose documents changed."""
    lists: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for number, language, labels in versions:
        lists.setdefault(number, []).append((language, labels))
    candidates: dict[str, dict[str, int]] = {}
    for found in lists.values():
        for label, partner in number_pairs(found):
            partners = candidates.setdefault(label, {})
            partners[partner] = partners.get(partner, 0) + 1
    return candidates


def number_pairs(versions: Iterable[tuple[str, tuple[str, ...]]]) -> Iterator[tuple[str, str]]:
    """What one question number's versions ((language, descriptors) each, from every document
    that holds it) give to the pairs: each French label, folded, with its Dutch partner, once
    per pair of a French and a Dutch list of as many descriptors."""
    french_lists = {labels for language, labels in versions if language == "fr"}
    dutch_lists = {labels for language, labels in versions if language == "nl"}
    for french in sorted(french_lists):
        for dutch in sorted(dutch_lists):
            if len(dutch) == len(french):
                for label, partner in zip(french, dutch, strict=True):
                    yield fold(label), partner


def best_partner(found: Mapping[str, int]) -> str:
    """The partner found most often, then the first in order."""
    return min(found.items(), key=lambda item: (-item[1], item[0]))[0]


def deferred_descriptor_lines(
    deferred: Iterable[tuple[str, str]], pairs: Pairs, minter: UriMinter, scheme: str, descriptors: Descriptors
) -> tuple[list[str], Counter[str]]:
    """The lines of the French descriptors the documents left to the build ((question number,
    label) each), paired by `pairs` (`corpus_pairs`) where it can; and the labels still unpaired,
    with how many questions carry each."""
    lines: list[str] = []
    unpaired_labels: Counter[str] = Counter()
    # A concept's own lines are the same for every question it describes: made once per label.
    per_label: dict[str, tuple[str, bool]] = {}
    for number, label in sorted(set(deferred)):
        made = per_label.get(label)
        if made is None:
            found = resolve(label, "fr", pairs, descriptors)
            concept = iri(minter.concept(found.key))
            made = per_label[label] = (concept, found.paired)
            lines.extend(concept_own_lines(concept, label, "fr", found, scheme))
        concept, paired = made
        if not paired:
            unpaired_labels[label] += 1
        question = iri(minter.question(number))
        lines.append(f"{question} {DCT.subject} {concept} .")
        lines.append(f"{question} {ELI.is_about} {concept} .")
    return lines, unpaired_labels
