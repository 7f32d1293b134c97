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


def deferred_counts(facts: Iterable[list[Any]]) -> dict[str, dict[str, int]]:
    """Question number -> French label -> how many documents leave it to the build."""
    counts: dict[str, dict[str, int]] = {}
    for said in facts:
        for number, label in said[DEFERRED]:
            labels = counts.setdefault(number, {})
            labels[label] = labels.get(label, 0) + 1
    return counts


def recount_deferred(
    deferred: dict[str, dict[str, int]],
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
    of every entry, before and after, compared where an entry came or went or a label's pair
    changed) and the labels still unpaired with their questions. `candidates` are the pairs'
    counts as they are, `paired` what `recount_pairs` returned: the pairs it changed, as they were.

    A question's two lines name the concept of its label (`q dct:subject C`): they are there when
    any of the question's labels has that concept. A concept's own lines come from each label
    that has it and at least one question."""
    flipped: set[tuple[str, str]] = set()  # entries there before and not now, or the other way
    for sign, documents in ((-1, was), (1, now)):
        for said in documents.values():
            for number, label in said[DEFERRED]:
                held = deferred.setdefault(number, {})
                count = held.get(label, 0)
                if (count == 0) != (count + sign == 0):
                    flipped ^= {(number, label)}
                if count + sign:
                    held[label] = count + sign
                else:
                    del held[label]
                if not held:
                    del deferred[number]
    questions: Counter[str] = Counter(label for held in deferred.values() for label in held)  # as they are
    questions_was = Counter(questions)
    for number, label in flipped:
        questions_was[label] += -1 if label in deferred.get(number, {}) else 1
    labels = {label for label, n in (questions | questions_was).items() if n > 0}
    found = {label: resolve(label, "fr", Pairs(candidates), descriptors) for label in labels}
    before = Pairs(candidates, paired)
    found_was = {
        label: resolve(label, "fr", before, descriptors) if fold(label) in paired else now
        for label, now in found.items()
    }
    concept = {label: iri(minter.concept(now.key)) for label, now in found.items()}
    concept_was = {label: iri(minter.concept(then.key)) for label, then in found_was.items()}
    moved = {label for label in labels if found_was[label] != found[label]}
    # the questions' lines, for every (number, concept) an entry or a moved label touches
    numbers_of_moved: dict[str, set[str]] = {label: set() for label in moved}
    if moved:
        for number, held in deferred.items():
            for label in held.keys() & moved:
                numbers_of_moved[label].add(number)
    for number, label in flipped:
        if label in moved:
            numbers_of_moved[label].add(number)
    touched = {(number, c) for number, label in flipped for c in (concept[label], concept_was[label])}
    touched |= {
        (number, c)
        for label, found_numbers in numbers_of_moved.items()
        for number in found_numbers
        for c in (concept[label], concept_was[label])
    }
    flipped_at: dict[str, set[str]] = {}
    for number, label in flipped:
        flipped_at.setdefault(number, set()).add(label)
    lines_was: set[str] = set()
    lines_now: set[str] = set()
    for number, named in touched:
        held_now = deferred.get(number, {}).keys()
        held_was = set(held_now) ^ flipped_at.get(number, set())
        question = iri(minter.question(number))
        pair = (f"{question} {DCT.subject} {named} .", f"{question} {ELI.is_about} {named} .")
        if any(concept_was[label] == named for label in held_was):
            lines_was.update(pair)
        if any(concept[label] == named for label in held_now):
            lines_now.update(pair)
    # the concepts' own lines, for every concept a label that came, went or moved has
    came_or_went = {label for label in labels if (questions[label] > 0) != (questions_was[label] > 0)}
    concepts = {concept[label] for label in came_or_went | moved} | {
        concept_was[label] for label in came_or_went | moved
    }
    for label in labels:
        if questions_was[label] > 0 and concept_was[label] in concepts:
            lines_was.update(concept_own_lines(concept_was[label], label, "fr", found_was[label], scheme))
        if questions[label] > 0 and concept[label] in concepts:
            lines_now.update(concept_own_lines(concept[label], label, "fr", found[label], scheme))
    unpaired = Counter({label: n for label, n in questions.items() if n > 0 and not found[label].paired})
    return lines_was - lines_now, lines_now - lines_was, unpaired
