"""A person's page as a reader wants it: for a senator, the parties and the questions asked (a
paged, sortable table and a count per year); for a minister, the offices held over time, the
governments, the questions received per office with their answer times, the oldest still open.

Read with bounded queries (the person's IRI bound, never pasted into the text) and index lookups.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Variable

from kg.rdf.vocab import DCT, KG_NS, ORG, SCHEMA
from kg.stores import Store
from kg.web.question_view import Facts, parties_of

_PERSON = Variable("person")

_ASKED = f"""
SELECT ?person ?q ?date ?id ?status ?days WHERE {{
  ?q <{DCT.creator.value}> ?person .
  OPTIONAL {{ ?q <{DCT.dateSubmitted.value}> ?date }}
  OPTIONAL {{ ?q <{DCT.identifier.value}> ?id }}
  OPTIONAL {{ ?q <{KG_NS}answerStatus> ?status }}
  OPTIONAL {{ ?q <{KG_NS}daysToAnswer> ?days }}
}}"""

_RECEIVED = f"""
SELECT ?person ?q ?office ?date ?id ?status ?days WHERE {{
  ?q <{KG_NS}addressee> ?person .
  OPTIONAL {{ ?q <{KG_NS}addressedTo> ?office }}
  OPTIONAL {{ ?q <{DCT.dateSubmitted.value}> ?date }}
  OPTIONAL {{ ?q <{DCT.identifier.value}> ?id }}
  OPTIONAL {{ ?q <{KG_NS}answerStatus> ?status }}
  OPTIONAL {{ ?q <{KG_NS}daysToAnswer> ?days }}
}}"""

_HELD = f"""
SELECT ?person ?incumbency ?office ?start ?end ?government WHERE {{
  ?incumbency <{KG_NS}incumbent> ?person ; <{KG_NS}post> ?office .
  OPTIONAL {{ ?incumbency <{SCHEMA.startDate.value}> ?start }}
  OPTIONAL {{ ?incumbency <{SCHEMA.endDate.value}> ?end }}
  OPTIONAL {{ ?office <{ORG.postIn.value}> ?government }}
}}"""

OPEN = ("OpenWithinDeadline", "OpenPastDeadline", "OpenDeadlineUnknown")
SORTS = ("date", "number", "title", "addressee", "status", "days")
PAGE_SIZE = 25


@dataclass
class QuestionRow:
    """One question in a person's table."""

    uri: NamedNode
    identifier: str
    date: Literal | None
    status: str | None  # local name of the kg:answerStatus value
    days: int | None
    office: NamedNode | None = None
    title: list[Literal] = field(default_factory=list)
    offices: list[NamedNode] = field(default_factory=list)
    addressee: NamedNode | None = None

    @property
    def year(self) -> str | None:
        return self.date.value[:4] if self.date is not None else None


def _local(term: object, namespace: str) -> str | None:
    if isinstance(term, NamedNode) and term.value.startswith(namespace):
        return term.value[len(namespace) :]
    return None


def _int(term: object) -> int | None:
    if isinstance(term, Literal) and term.value.lstrip("-").isdigit():
        return int(term.value)
    return None


def number_key(identifier: str) -> tuple[int, int, str]:
    legislature, _, number = identifier.partition("-")
    if legislature.isdigit() and number.isdigit():
        return (int(legislature), int(number), "")
    return (0, 0, identifier)


def _rows(store: Store, query: str, person: NamedNode, *, with_office: bool = False) -> list[QuestionRow]:
    rows: dict[str, QuestionRow] = {}
    for solution in store.query(query, substitutions={_PERSON: person}):
        question = solution["q"]
        if not isinstance(question, NamedNode):
            continue
        date = solution["date"]
        identifier = solution["id"]
        row = rows.get(question.value)
        if row is None:
            row = rows[question.value] = QuestionRow(
                question,
                identifier.value if isinstance(identifier, Literal) else question.value.rsplit("/", 1)[-1],
                date if isinstance(date, Literal) else None,
                _local(solution["status"], KG_NS),
                _int(solution["days"]),
            )
        office = solution["office"] if with_office else None
        if isinstance(office, NamedNode) and office not in row.offices:
            row.offices.append(office)
    return sorted(rows.values(), key=lambda r: (r.date.value if r.date else "", number_key(r.identifier)))


def questions_asked(store: Store, person: NamedNode) -> list[QuestionRow]:
    """The questions `person` asked, oldest first."""
    return _rows(store, _ASKED, person)


def questions_received(store: Store, person: NamedNode, held: set[str] | None = None) -> list[QuestionRow]:
    """The questions addressed to `person` (as the holder of an office), oldest first, each with
    the offices of theirs (`held`, office IRIs) it was addressed to."""
    rows = _rows(store, _RECEIVED, person, with_office=True)
    if held is not None:
        for row in rows:
            row.offices = [office for office in row.offices if office.value in held]
    return rows


def fill(store: Store, rows: list[QuestionRow]) -> None:
    """Titles, offices and addressee of the rows a page shows (read for those rows only)."""
    for row in rows:
        facts = Facts.of(store.match(row.uri))
        row.title = [o for o in facts.all(DCT.title.value) if isinstance(o, Literal)]
        if not row.offices:
            row.offices = facts.iris(KG_NS + "addressedTo")
        row.addressee = facts.first(KG_NS + "addressee")


def per_year(rows: list[QuestionRow]) -> list[tuple[str, int]]:
    """(year, questions) for every year from the first to the last, zeros included."""
    counts: dict[str, int] = {}
    for row in rows:
        if row.year:
            counts[row.year] = counts.get(row.year, 0) + 1
    if not counts:
        return []
    first, last = int(min(counts)), int(max(counts))
    return [(str(year), counts.get(str(year), 0)) for year in range(first, last + 1)]


@dataclass
class Term:
    """A held office: which, when, in which government."""

    office: NamedNode
    start: str | None
    end: str | None
    government: NamedNode | None


def offices_held(store: Store, person: NamedNode) -> list[Term]:
    """The person's incumbencies, earliest first."""
    terms: dict[str, Term] = {}
    for solution in store.query(_HELD, substitutions={_PERSON: person}):
        incumbency, office = solution["incumbency"], solution["office"]
        if not isinstance(office, NamedNode) or not isinstance(incumbency, NamedNode):
            continue
        start, end, government = solution["start"], solution["end"], solution["government"]
        terms[incumbency.value] = Term(
            office,
            start.value if isinstance(start, Literal) else None,
            end.value if isinstance(end, Literal) else None,
            government if isinstance(government, NamedNode) else None,
        )
    return sorted(terms.values(), key=lambda t: (t.start or "", t.office.value))


@dataclass
class OfficeFigures:
    office: NamedNode | None  # None: questions whose office kg could not tie to this person
    questions: int
    answered: int
    median_days: float | None
    open: int


def per_office(rows: list[QuestionRow]) -> list[OfficeFigures]:
    """Questions received per office, answered, median days to answer, still open."""
    groups: dict[str, list[QuestionRow]] = {}
    offices: dict[str, NamedNode | None] = {}
    for row in rows:
        choices: list[NamedNode | None] = list(row.offices) or [None]
        for office in choices:
            key = office.value if office is not None else ""
            groups.setdefault(key, []).append(row)
            offices[key] = office
    figures = []
    for key in sorted(groups, key=lambda k: (k == "", k)):
        group = groups[key]
        days = [r.days for r in group if r.days is not None]
        figures.append(
            OfficeFigures(
                offices[key],
                len(group),
                sum(1 for r in group if r.status and r.status.startswith("Answered")),
                statistics.median(days) if days else None,
                sum(1 for r in group if r.status in OPEN),
            )
        )
    return figures


def oldest_open(rows: list[QuestionRow], count: int = 5) -> list[QuestionRow]:
    """The questions still open, oldest first."""
    return [r for r in rows if r.status in OPEN][:count]


def person_parties(store: Store, person: NamedNode) -> list[NamedNode]:
    return parties_of(store, person, None)
