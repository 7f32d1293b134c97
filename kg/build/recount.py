"""An incremental build's statistics: the questions its changed documents hold counted again on
the last build's tally (`kg.build.tally`), and the lines that changed with them.

A question's figures come from its timing merged over every document that holds it (the Dutch
and the French one), so each question a changed, removed or added document holds, before or
after, is merged again from all its documents as they were and as they are, in the order a full
build merges them. Its part is taken off the tally as it was and added as it is; the lines of
the questions, cells, memberships and months that moved are compared before and after. The
answer statuses of open questions depend on the reference date, and so does every data set: when
it moves, this gives up (None) and the build counts everything.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kg.build.coverage import LegislatureCoverage
from kg.build.tally import Tally, Touched, _step, count_all, latest_day, spans
from kg.rdf.answer_times import (
    Timing,
    merge_timings,
    not_loaded_lines,
    outcome,
    outcomes,
    question_lines,
    reference_date,
)
from kg.rdf.cube import BY_NAME, NOT_LOADED, observation_lines, outcome_line_set
from kg.rdf.memberships import membership_lines
from kg.rdf.terms import integer
from kg.reference.deadlines import load_deadline_rules
from kg.reference.governments import Governments
from kg.uris import UriMinter

TIMINGS = 3  # where a document's facts hold its questions' timings (`kg.build.pipeline._Fact`)


@dataclass
class Recounted:
    removed: set[str]
    added: set[str]
    reference_date: date
    coverage: list[LegislatureCoverage]


def old_timings(facts: bytes) -> list[Timing]:
    """The timings in a document's facts as the document index keeps them (undecoded)."""
    if not facts:
        return []
    return [Timing.from_json(value) for value in json.loads(facts)[TIMINGS]]


def _merged(parts: list[tuple[str, Timing]]) -> Timing | None:
    """One question's timing from its documents' (shown, timing) pairs, each document's in its
    order, merged as `kg.rdf.answer_times.merge_timings` merges them: by document, in order (the
    sort is stable)."""
    merged = None
    for _, timing in sorted(parts, key=lambda part: part[0]):
        merged = timing if merged is None else merged.merge(timing)
    return merged


def _by_question(documents: dict[str, list[Timing]]) -> dict[str, list[tuple[str, Timing]]]:
    found: dict[str, list[tuple[str, Timing]]] = {}
    for shown, timings in documents.items():
        for timing in timings:
            found.setdefault(timing.question, []).append((shown, timing))
    return found


def recount(
    tally: Tally,
    before: dict[str, bytes],
    after: dict[str, bytes],
    timings: dict[str, list[Timing]],
    minter: UriMinter,
    governments: Governments,
    as_of: date | None,
) -> Recounted | None:
    """`tally` (the last build's) brought to the documents as they are: `before` and `after`
    give each document's facts as the last build and this one have them (the same bytes when
    unchanged), `timings` this build's decoded timings per document. None: the reference date
    moved, or there were or are no questions; the tally is then left half counted."""
    changed = {shown for shown in before.keys() | after.keys() if before.get(shown, b"") != after.get(shown, b"")}
    was = {shown: old_timings(before.get(shown, b"")) for shown in changed}
    now = {shown: timings.get(shown, []) for shown in changed}
    questions = {t.question for found in (was, now) for ts in found.values() for t in ts}
    if not questions:
        if (as_of or tally.reference_date()) != tally.as_of:
            return None
        return Recounted(set(), set(), tally.as_of, tally.coverage(spans(governments)))
    # Each affected question's documents: those unchanged (the same before and after) and the
    # changed ones, as they were and as they are; and what every question is, for the siblings.
    same: dict[str, list[tuple[str, Timing]]] = {q: [] for q in questions}
    loaded: set[str] = set()
    referred: dict[str, int] = {}
    for shown, found in timings.items():
        unchanged = shown not in changed
        for timing in found:
            question = timing.question
            loaded.add(question)
            for sibling in timing.siblings:
                referred[sibling] = referred.get(sibling, 0) + 1
            if unchanged and question in questions:
                same[question].append((shown, timing))
    referred_before = dict(referred)
    for sign, documents in ((-1, now), (1, was)):
        for found in documents.values():
            for timing in found:
                for sibling in timing.siblings:
                    _step(referred_before, sibling, sign)
    was_by, now_by = _by_question(was), _by_question(now)
    merged_before, merged_after = {}, {}
    for question in sorted(questions):
        old = _merged(same[question] + was_by.get(question, []))
        new = _merged(same[question] + now_by.get(question, []))
        if old is not None:
            merged_before[question] = old
            _step(tally.latest, latest_day(old), -1)
        if new is not None:
            merged_after[question] = new
            _step(tally.latest, latest_day(new), 1)
    reference = as_of or tally.reference_date()
    questions_before = tally.questions()
    if reference != tally.as_of or not questions_before:
        return None
    loaded_before = (loaded - merged_after.keys()) | merged_before.keys()
    rules = load_deadline_rules()
    ends = {leg.number: leg.end for leg in governments.legislatures if leg.end is not None}
    touched = Touched()
    backlog_before = tally.backlog_lines(minter)
    pairs: list[tuple[set[str], set[str]]] = []
    for question in sorted(questions):
        lines_before: set[str] = set()
        lines_after: set[str] = set()
        if question in merged_before:
            was_found = outcome(merged_before[question], reference, rules, ends)
            tally.count(was_found, -1, minter, touched)
            lines_before.update(question_lines(was_found, minter))
        if question in merged_after:
            is_found = outcome(merged_after[question], reference, rules, ends)
            tally.count(is_found, 1, minter, touched)
            lines_after.update(question_lines(is_found, minter))
        pairs.append((lines_before, lines_after))
    if not tally.questions():
        return None
    tally.drop_empty()
    for key, cell in touched.cells.items():
        pairs.append((tally.cell_lines(key, cell, minter), tally.cell_lines(key, tally.cells.get(key), minter)))
    for membership, days in touched.seen.items():
        pairs.append(
            (
                tally.seen_lines(membership, days, minter),
                tally.seen_lines(membership, tally.seen.get(membership), minter),
            )
        )
    pairs.append((backlog_before, tally.backlog_lines(minter)))
    pairs.append(
        (
            _not_loaded(referred_before, loaded_before, minter),
            _not_loaded(referred, loaded, minter),
        )
    )
    removed: set[str] = set()
    added: set[str] = set()
    for lines_before, lines_after in pairs:
        removed.update(lines_before - lines_after)
        added.update(lines_after - lines_before)
    return Recounted(removed, added, reference, tally.coverage(spans(governments)))


def _not_loaded(referred: dict[str, int], loaded: Iterable[str], minter: UriMinter) -> set[str]:
    """The lines of the siblings no document loads: each one's status, and the count per
    legislature (`kg.rdf.cube.cube_lines`)."""
    held = set(loaded)
    missing = sorted(question for question, n in referred.items() if n > 0 and question not in held)
    lines: set[str] = set()
    counts: dict[str, int] = {}
    for question in missing:
        lines.update(not_loaded_lines(question, minter))
        number = question.rsplit("/", 1)[1].split("-")[0]
        group = minter.legislature(int(number))
        counts[group] = counts.get(group, 0) + 1
    names = NOT_LOADED[0]
    grouping = (BY_NAME["legislature"],)
    for group, n in counts.items():
        lines.update(
            observation_lines(
                "legislature", grouping, "not-loaded", names, (group,), {"notLoadedCount": integer(n)}, minter
            )
        )
    return lines


def count_everything(
    timings: dict[str, list[Timing]], minter: UriMinter, governments: Governments, as_of: date | None
) -> tuple[set[str], Tally | None]:
    """A full build's statistics (`kg.rdf.cube.statistics_line_set` and the memberships' lines)
    from every document's timings, and their tally (None: no question, no reference date)."""
    merged = merge_timings(timing for shown in sorted(timings) for timing in timings[shown])
    reference = as_of or reference_date(merged.values())
    if reference is None:
        return set(), None
    loaded, missing = outcomes(merged, reference, load_deadline_rules(), governments)
    lines = outcome_line_set(loaded, missing, reference, minter)
    lines.update(membership_lines(merged.values(), minter))
    tally = Tally(reference)
    count_all(tally, loaded, minter)
    return lines, tally
