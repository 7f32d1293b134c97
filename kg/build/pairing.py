"""The French descriptors paired across documents (`kg.rdf.concepts.corpus_pairs`), kept as
counts between builds: an incremental build counts again only the question numbers its changed
documents hold.

A French label's Dutch partner is the one the corpus's versions give most often; those counts
are sums over question numbers, each number's part coming from the versions of every document
that holds it. So the counts stay in the build's tally (`kg.build.tally`), and the numbers a
changed, removed or added document holds, before or after, take away their part as the
documents were and add it as they are. The pairs are then read from the counts when asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kg.rdf.concepts import best_partner, number_pairs

VERSIONS = 5  # where a document's decoded facts hold its versions (`kg.build.pipeline._Fact`)

Entry = tuple[str, tuple[str, ...]]  # (language, descriptors) of one version


class Pairs(Mapping[str, str]):
    """`corpus_pairs` read from the counts, a label when it is asked for."""

    def __init__(self, candidates: dict[str, dict[str, int]]):
        self.candidates = candidates

    def __getitem__(self, label: str) -> str:
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
) -> None:
    """`candidates` (the last build's) brought to the documents as they are: `was` and `now`
    are the changed documents' decoded facts as they were and are (a removed or added one is
    missing from one of them), `unchanged` the facts of all the others."""
    before, after = _by_number(was.values()), _by_number(now.values())
    numbers = before.keys() | after.keys()
    if not numbers:
        return
    same: dict[str, list[Entry]] = {number: [] for number in numbers}
    for said in unchanged:
        for number, language, labels in said[VERSIONS]:
            if number in same:
                same[number].append((language, tuple(labels)))
    for number in sorted(numbers):
        for sign, changed in ((-1, before), (1, after)):
            for label, partner in number_pairs(same[number] + changed.get(number, [])):
                partners = candidates.setdefault(label, {})
                count = partners.get(partner, 0) + sign
                if count:
                    partners[partner] = count
                else:
                    del partners[partner]
                if not partners:
                    del candidates[label]
