"""When the documents show a party membership: the first and last day a question prints the
party beside its author's name, on the membership (`kg:firstSeen`, `kg:lastSeen`).

These are evidence, not the membership's start and end: a senator who changed party has two
memberships, each seen over its own days, and nothing is said of the days no question covers.
Computed over every question of the build (one timing per question), like the answer-time
figures, so a full and an incremental build give the same lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from kg.rdf.answer_times import Timing
from kg.rdf.terms import day, iri, kg_vocab
from kg.uris import UriMinter


def membership_lines(timings: Iterable[Timing], minter: UriMinter) -> Iterator[str]:
    """`timings`: one per question (merged). The membership URIs are those
    `kg.rdf.governments.membership_triples` mints: `{person}/membership/{party id}`."""
    seen: dict[tuple[str, str], tuple[date, date]] = {}
    for timing in timings:
        if not timing.author or not timing.party:
            continue
        key = (timing.author, timing.party)
        first, last = seen.get(key, (timing.asked, timing.asked))
        seen[key] = (min(first, timing.asked), max(last, timing.asked))
    for (author, party), (first, last) in sorted(seen.items()):
        yield from seen_lines(author, party, first, last, minter)


def seen_lines(author: str, party: str, first: date, last: date, minter: UriMinter) -> Iterator[str]:
    """One membership's first and last day seen (an incremental build writes those of the
    memberships its changed questions show, alone)."""
    ns = kg_vocab(minter.ns_iri)
    membership = iri(minter.sub(author, "membership", party.rsplit("/", 1)[1]))
    yield f"{membership} {ns.firstSeen} {day(first)} ."
    yield f"{membership} {ns.lastSeen} {day(last)} ."
