"""How long each question waited for its answer: deadline, days to answer, reminders, status.

Two steps, because the status of an open question depends on the whole build: each question
record gives a `Timing` (in the worker that converts its document, kept with the document in
the build's cache), and the build then merges the timings of all documents, picks the reference
date (given, or the latest date in the data: never the clock, so two builds of the same
documents write the same bytes) and writes each question's lines with `question_lines`.

A question that other questions name as a sibling but whose own document was not built is
"not loaded": it gets that status and nothing else, and is never counted as unanswered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from kg.parse.records import Office, QuestionRecord
from kg.rdf.governments import identity_uri, office_uri
from kg.rdf.terms import checked_iri, day, integer, iri, kg_vocab, question_uri
from kg.rdf.vocab import ANSWER_STATUSES
from kg.rdf.workdays import is_working_day, working_days_between
from kg.reference.deadlines import DeadlineRule, rule_for
from kg.reference.governments import Governments
from kg.reference.parties import load_parties
from kg.uris import UriMinter

# status -> its local name in the kg vocabulary
# the outcome codes the build computes, each with its kg status (kg.rdf.vocab.ANSWER_STATUSES)
STATUSES = dict(
    zip(
        (
            "answered-on-time",
            "answered-late",
            "answered-deadline-unknown",
            "open-within-deadline",
            "open-past-deadline",
            "open-deadline-unknown",
            "closed-without-answer",
            "lapsed",
            "not-loaded",
        ),
        ANSWER_STATUSES,
        strict=True,
    )
)
ANSWERED = ("answered-on-time", "answered-late", "answered-deadline-unknown")


@dataclass(frozen=True)
class Timing:
    """What one question's documents say about its timing, with the URIs it is grouped by."""

    question: str
    legislature: int
    asked: date
    printed_deadline: date | None = None
    answered: date | None = None
    reminders: tuple[date, ...] = ()
    closed: date | None = None
    lapsed: date | None = None  # the chronology's "end of the legislature" event
    ministers: tuple[str, ...] = ()  # person URIs of the offices' holders on the day asked
    offices: tuple[str, ...] = ()  # office URIs (reference offices only)
    governments: tuple[str, ...] = ()
    author: str = ""
    party: str | None = None
    siblings: tuple[str, ...] = ()  # question URIs named as the same question to others
    # for the build's coverage report: offices printed, how many resolved to a holder, and
    # whether the reference data of people knows the author
    addressed: int = 0
    addressed_with_holder: int = 0
    author_reconciled: bool = False

    def to_json(self) -> list[Any]:
        d = _iso
        return [
            self.question,
            self.legislature,
            d(self.asked),
            d(self.printed_deadline),
            d(self.answered),
            [d(x) for x in self.reminders],
            d(self.closed),
            d(self.lapsed),
            list(self.ministers),
            list(self.offices),
            list(self.governments),
            self.author,
            self.party,
            list(self.siblings),
            self.addressed,
            self.addressed_with_holder,
            self.author_reconciled,
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> Timing:
        p = _day
        return _timing(
            str(data[0]),
            int(data[1]),
            date.fromisoformat(data[2]),
            p(data[3]),
            p(data[4]),
            tuple(map(date.fromisoformat, data[5])),
            p(data[6]),
            p(data[7]),
            tuple(data[8]),
            tuple(data[9]),
            tuple(data[10]),
            str(data[11]),
            data[12],
            tuple(data[13]),
            int(data[14]),
            int(data[15]),
            bool(data[16]),
        )

    def merge(self, other: Timing) -> Timing:
        """The Dutch and French documents of one question: their facts together."""
        return _replaced(
            self,
            asked=min(self.asked, other.asked),
            printed_deadline=_first(self.printed_deadline, other.printed_deadline),
            answered=_first(self.answered, other.answered),
            reminders=tuple(sorted(set(self.reminders) | set(other.reminders))),
            closed=_first(self.closed, other.closed),
            lapsed=_first(self.lapsed, other.lapsed),
            ministers=_union(self.ministers, other.ministers),
            offices=_union(self.offices, other.offices),
            governments=_union(self.governments, other.governments),
            party=self.party or other.party,
            siblings=_union(self.siblings, other.siblings),
            addressed=max(self.addressed, other.addressed),
            addressed_with_holder=max(self.addressed_with_holder, other.addressed_with_holder),
            author_reconciled=self.author_reconciled or other.author_reconciled,
        )

    def dates(self) -> Iterator[date]:
        """The dates things happened on (not the deadline, which is a date things are due by)."""
        yield self.asked
        yield from self.reminders
        for value in (self.answered, self.closed, self.lapsed):
            if value is not None:
                yield value


_TIMING_FIELDS = tuple(item.name for item in fields(Timing))


def _timing(*values: Any) -> Timing:
    """`Timing(*values)` without the frozen class's __init__, which sets each of its 17 fields
    through object.__setattr__: the build makes one per question whenever it counts them."""
    timing = object.__new__(Timing)
    timing.__dict__.update(zip(_TIMING_FIELDS, values, strict=True))
    return timing


def _replaced(timing: Timing, **changes: Any) -> Timing:
    """`dataclasses.replace(timing, **changes)` without reading the fields' definitions at each
    call (one or two per question whenever the build counts them)."""
    if not changes.keys() <= timing.__dict__.keys():
        raise TypeError(f"not fields of a Timing: {sorted(changes.keys() - timing.__dict__.keys())}")
    copy = object.__new__(Timing)
    copy.__dict__.update(timing.__dict__, **changes)
    return copy


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _first(a: date | None, b: date | None) -> date | None:
    return min(x for x in (a, b) if x is not None) if a is not None or b is not None else None


def _by(value: date | None, as_of: date) -> date | None:
    """`value` if it is on or before `as_of`: a later one has not happened as of that day."""
    return value if value is not None and value <= as_of else None


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(a) | set(b)))


def timing_of(record: QuestionRecord, minter: UriMinter, governments: Governments) -> Timing:
    """A record's timing; the groups it counts in are those of the day it was asked."""
    events = record.chronology
    deadlines = [e.deadline for e in events if e.deadline is not None]
    answers = [e.date for e in events if e.kind == "answer"]
    if record.answer is not None:
        answers.append(record.answer.date)
    period = governments.period(record.date)
    ministers, offices, cabinets, with_holder = _addressed(record.offices, period, minter, governments)
    identity = governments.people.identify(record.author, record.date)
    author = identity_uri(minter, identity)
    return Timing(
        question_uri(minter, record.number),
        record.number.legislature,
        record.date,
        min(deadlines) if deadlines else None,
        min(answers) if answers else None,
        tuple(sorted({e.date for e in events if e.kind == "reminder"})),
        min((e.date for e in events if e.kind == "closed"), default=None),
        min((e.date for e in events if e.kind == "end-of-legislature"), default=None),
        ministers,
        offices,
        cabinets,
        author,
        minter.party(load_parties().key(record.party)) if record.party else None,
        tuple(sorted(question_uri(minter, link.target) for link in record.links if link.kind == "sibling")),
        len(record.offices),
        with_holder,
        identity.reconciled,
    )


@lru_cache(maxsize=4096)
def _addressed(
    printed: tuple[Office, ...], period: date, minter: UriMinter, governments: Governments
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], int]:
    """The people, offices and governments an addressee line means, and how many of its offices
    resolve to a holder: kept per period of the reference data, as the mapping keeps them
    (`kg.rdf.questions._addressees`)."""
    ministers, offices, cabinets = set(), set(), set()
    with_holder = 0
    for resolved in governments.resolve(printed, period):
        if resolved.reference is None:
            continue  # an office the reference data does not know: in no office's figures
        offices.add(office_uri(minter, resolved.reference))
        cabinets.add(minter.government(resolved.reference.government))
        if resolved.holder is not None:
            with_holder += 1
            ministers.add(identity_uri(minter, governments.holder(resolved.holder)))
    return tuple(sorted(ministers)), tuple(sorted(offices)), tuple(sorted(cabinets)), with_holder


def merge_timings(timings: Iterable[Timing]) -> dict[str, Timing]:
    """One timing per question, by URI, whatever order the documents came in."""
    merged: dict[str, Timing] = {}
    for timing in timings:
        seen = merged.get(timing.question)
        merged[timing.question] = timing if seen is None else seen.merge(timing)
    return dict(sorted(merged.items()))


def reference_date(timings: Iterable[Timing]) -> date | None:
    """The latest day anything happened in the data: what "now" means for open questions."""
    return max((d for timing in timings for d in timing.dates()), default=None)


def add_working_days(start: date, days: int) -> date:
    current = start
    while days:
        current += timedelta(days=1)
        days -= is_working_day(current)
    return current


@dataclass(frozen=True)
class Outcome:
    """What the build says of one loaded question."""

    timing: Timing
    status: str
    deadline: date | None
    deadline_rule: DeadlineRule | None  # None: printed, or no deadline
    days: int | None  # calendar days from asked to answered
    working_days: int | None
    ended: date | None = None  # the day it stopped being open (answer, closure, lapse); None: open


def outcome(timing: Timing, as_of: date, rules: tuple[DeadlineRule, ...], legislature_ends: dict[int, date]) -> Outcome:
    """The deadline, days to answer and status of a loaded question, as of `as_of`: what the
    documents date after it has not happened yet, so an earlier reference date gives the figures
    of that day."""
    timing = _replaced(
        timing,
        reminders=tuple(d for d in timing.reminders if d <= as_of),
        answered=_by(timing.answered, as_of),
        closed=_by(timing.closed, as_of),
        lapsed=_by(timing.lapsed, as_of),
    )
    rule = None
    deadline = timing.printed_deadline
    if deadline is None:
        rule = rule_for(rules, timing.legislature)
        if rule is not None:
            deadline = (
                add_working_days(timing.asked, rule.days)
                if rule.unit == "working"
                else timing.asked + timedelta(days=rule.days)
            )
    days = working = None
    ended: date | None = None
    if timing.answered is not None:
        ended = timing.answered
        days = (timing.answered - timing.asked).days
        working = working_days_between(timing.asked, timing.answered)
        status = (
            "answered-deadline-unknown"
            if deadline is None
            else "answered-on-time"
            if timing.answered <= deadline
            else "answered-late"
        )
    elif timing.closed is not None:
        status = "closed-without-answer"
        ended = timing.closed
    elif timing.lapsed is not None or legislature_ends.get(timing.legislature, date.max) < as_of:
        status = "lapsed"
        ended = timing.lapsed or legislature_ends[timing.legislature]
    elif deadline is None:
        status = "open-deadline-unknown"
    else:
        status = "open-past-deadline" if as_of > deadline else "open-within-deadline"
    return Outcome(timing, status, deadline, rule, days, working, ended)


def outcomes(
    timings: dict[str, Timing], as_of: date, rules: tuple[DeadlineRule, ...], governments: Governments
) -> tuple[list[Outcome], list[str]]:
    """Each loaded question's outcome, and the URIs of siblings whose documents were not built."""
    ends = {leg.number: leg.end for leg in governments.legislatures if leg.end is not None}
    loaded = [outcome(timing, as_of, rules, ends) for timing in timings.values()]
    missing = sorted({s for timing in timings.values() for s in timing.siblings if s not in timings})
    return loaded, missing


def question_lines(found: Outcome, minter: UriMinter) -> Iterator[str]:
    ns = kg_vocab(minter.ns_iri)
    q = iri(found.timing.question)
    yield f"{q} {ns.answerStatus} {ns[STATUSES[found.status]]} ."
    yield f"{q} {ns.remindersSent} {integer(len(found.timing.reminders))} ."
    if found.deadline is not None:
        yield f"{q} {ns.answerDeadline} {day(found.deadline)} ."
        source = ns.PrintedDeadline if found.deadline_rule is None else checked_iri(found.deadline_rule.source)
        yield f"{q} {ns.deadlineSource} {source} ."
    if found.days is not None and found.working_days is not None:
        yield f"{q} {ns.daysToAnswer} {integer(found.days)} ."
        yield f"{q} {ns.workingDaysToAnswer} {integer(found.working_days)} ."


def not_loaded_lines(question: str, minter: UriMinter) -> Iterator[str]:
    ns = kg_vocab(minter.ns_iri)
    yield f"{iri(question)} {ns.answerStatus} {ns.NotLoaded} ."
