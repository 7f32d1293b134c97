"""The French descriptors paired across documents (`kg.rdf.concepts.corpus_pairs`), kept as
counts between builds: an incremental build counts again only the question numbers its changed
documents hold.

A French label's Dutch partner is the one the corpus's versions give most often; those counts
are sums over question numbers, each number's part coming from the versions of every document
that holds it. So the counts stay in the build's tally (`kg.build.tally`), and the numbers a
changed, removed or added document holds, before or after, take away their part as the
documents were and add it as they are. The pairs are then read from the counts when asked.

The descriptors the documents left to the build (`kg.rdf.concepts.deferred_descriptor_lines`)
are kept the same way, as how many documents give each (question number, label); a label's lines
all name its concept, so only the concepts of the labels whose pair or questions changed are
written again, before and after, from every label that names them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kg.rdf.concepts import best_partner, concept_own_lines, number_pairs, resolve
from kg.rdf.terms import DCT, ELI, iri
from kg.reference.descriptors import Descriptors, fold
from kg.uris import UriMinter

DEFERRED, VERSIONS = 4, 5  # where a document's decoded facts hold them (`kg.build.pipeline._Fact`)

Entry = tuple[str, tuple[str, ...]]  # (language, descriptors) of one version


class Pairs(Mapping[str, str]):
    """`corpus_pairs` read from the counts, a label when it is asked for."""

    def __init__(self, candidates: dict[str, dict[str, int]], was: dict[str, str | None] | None = None):
        self.candidates = candidates
        self.was = was or {}  # folded label -> its pair before a recount (None: none)

    def __getitem__(self, label: str) -> str:
        if label in self.was:
            found = self.was[label]
            if found is None:
                raise KeyError(label)
            return found
        return best_partner(self.candidates[label])

    def __iter__(self) -> Iterator[str]:
        return iter(self.candidates)

    def __len__(self) -> int:
        return len(self.candidates)


def _by_number(facts: Iterable[list[Any]]) -> dict[str, list[Entry]]:
    found: dict[str, list[Entry]] = {}
    for said in facts:
        for number, language, labels in said[VERSIONS]:
            found.setdefault(number, []).append((language, tuple(labels)))
    return found


def recount_pairs(
    candidates: dict[str, dict[str, int]],
    was: dict[str, list[Any]],
    now: dict[str, list[Any]],
    unchanged: Iterable[list[Any]],
) -> dict[str, str | None]:
    """`candidates` (the last build's) brought to the documents as they are: `was` and `now`
    are the changed documents' decoded facts as they were and are (a removed or added one is
    missing from one of them), `unchanged` the facts of all the others. Returns the pair each
    folded label it counted again had before (None: none)."""
    before, after = _by_number(was.values()), _by_number(now.values())
    numbers = before.keys() | after.keys()
    paired: dict[str, str | None] = {}
    if not numbers:
        return paired
    same: dict[str, list[Entry]] = {number: [] for number in numbers}
    for said in unchanged:
        for number, language, labels in said[VERSIONS]:
            if number in same:
                same[number].append((language, tuple(labels)))
    for number in sorted(numbers):
        for sign, changed in ((-1, before), (1, after)):
            for label, partner in number_pairs(same[number] + changed.get(number, [])):
                if label not in paired:
                    paired[label] = best_partner(candidates[label]) if label in candidates else None
                partners = candidates.setdefault(label, {})
                count = partners.get(partner, 0) + sign
                if count:
                    partners[partner] = count
                else:
                    del partners[partner]
                if not partners:
                    del candidates[label]
    return paired


def deferred_counts(facts: Iterable[list[Any]]) -> dict[tuple[str, str], int]:
    """(question number, French label) -> how many documents leave it to the build."""
    counts: dict[tuple[str, str], int] = {}
    for said in facts:
        for number, label in said[DEFERRED]:
            key = (number, label)
            counts[key] = counts.get(key, 0) + 1
    return counts


def recount_deferred(
    deferred: dict[tuple[str, str], int],
    was: dict[str, list[Any]],
    now: dict[str, list[Any]],
    candidates: dict[str, dict[str, int]],
    paired: dict[str, str | None],
    minter: UriMinter,
    scheme: str,
    descriptors: Descriptors,
) -> tuple[set[str], set[str], Counter[str]]:
    """`deferred` (the last build's counts) brought to the changed documents' facts as they were
    (`was`) and are (`now`). Returns the lines removed and added (`deferred_descriptor_lines`
    of every entry, before and after, compared on the concepts whose labels changed pair or
    questions) and the labels still unpaired with their questions. `candidates` are the pairs'
    counts as they are, `paired` what `recount_pairs` returned: the pairs it changed, as they were."""
    flipped: set[tuple[str, str]] = set()
    for sign, documents in ((-1, was), (1, now)):
        for said in documents.values():
            for number, label in said[DEFERRED]:
                key = (number, label)
                count = deferred.get(key, 0)
                if (count == 0) != (count + sign == 0):
                    flipped ^= {key}
                if count + sign:
                    deferred[key] = count + sign
                else:
                    del deferred[key]
    numbers: dict[str, list[str]] = {}  # label -> its questions' numbers, as they are
    for number, label in deferred:
        numbers.setdefault(label, []).append(number)
    pairs, pairs_was = Pairs(candidates), Pairs(candidates, paired)
    labels = numbers.keys() | {label for _, label in flipped}
    now_found = {label: resolve(label, "fr", pairs, descriptors) for label in labels}
    was_found = {
        label: resolve(label, "fr", pairs_was, descriptors) if fold(label) in paired else found
        for label, found in now_found.items()
    }
    concept = {label: iri(minter.concept(found.key)) for label, found in now_found.items()}
    concept_was = {label: iri(minter.concept(found.key)) for label, found in was_found.items()}
    moved = {label for _, label in flipped} | {label for label in labels if fold(label) in paired}
    touched = {concept[label] for label in moved} | {concept_was[label] for label in moved}
    numbers_was = {
        label: set(found)
        for label, found in numbers.items()
        if concept[label] in touched or concept_was[label] in touched
    }
    for number, label in flipped:
        held = numbers_was.setdefault(label, set())
        held.symmetric_difference_update({number})
    lines_was: set[str] = set()
    lines_now: set[str] = set()
    for label in labels:
        if concept_was[label] in touched and numbers_was.get(label):
            lines_was.update(
                _label_lines(label, concept_was[label], was_found[label], numbers_was[label], minter, scheme)
            )
        if concept[label] in touched and numbers.get(label):
            lines_now.update(_label_lines(label, concept[label], now_found[label], numbers[label], minter, scheme))
    unpaired: Counter[str] = Counter(
        {label: len(found) for label, found in numbers.items() if not now_found[label].paired}
    )
    return lines_was - lines_now, lines_now - lines_was, unpaired


def _label_lines(
    label: str, concept: str, found: Any, numbers: Iterable[str], minter: UriMinter, scheme: str
) -> list[str]:
    lines = list(concept_own_lines(concept, label, "fr", found, scheme))
    for number in numbers:
        question = iri(minter.question(number))
        lines.append(f"{question} {DCT.subject} {concept} .")
        lines.append(f"{question} {ELI.is_about} {concept} .")
    return lines
