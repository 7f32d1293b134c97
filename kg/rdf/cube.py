"""Answer-time figures per group, as W3C RDF Data Cube data sets (`qb:`).

For each grouping (minister, office, government, legislature, party of the asker, asker, year,
month asked) there are three data sets, one `qb:Observation` per group in each:

- `questions`: questions loaded, answered, the answered share and those open past their deadline,
  for every group;
- `days`: the median and 90th percentile of days to answer (calendar and working days), for the
  groups with at least one answer;
- `on-time`: the share answered on time among the answers with a known deadline, for the groups
  with at least one.

A figure that cannot be computed (no answer yet, no known deadline) is absent, never zero: the
Data Cube wants every measure of a data set in each of its observations (IC-14), so the figures
that need answers are data sets of their own. Siblings that were not loaded are counted apart, per
legislature (`not-loaded`). Percentile: nearest rank (the smallest value with at least 90% of the
values at or below it). Every number is written with a fixed number of decimals, so the lines are
the same from build to build.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kg.rdf.answer_times import (
    ANSWERED,
    Outcome,
    Timing,
    merge_timings,
    not_loaded_lines,
    outcomes,
    question_lines,
    reference_date,
)
from kg.rdf.terms import QB, RDF, RDFS, XSD, day, integer, iri, kg_vocab, lang, typed
from kg.reference.deadlines import load_deadline_rules
from kg.reference.governments import Governments
from kg.uris import UriMinter


@dataclass(frozen=True)
class Grouping:
    name: str  # in URIs: "minister"
    dimension: str  # the kg dimension property's local name
    label_en: str
    label_nl: str
    literal: str | None  # the XSD datatype of literal values; None: values are URIs


GROUPINGS = (
    Grouping("minister", "statMinister", "minister addressed", "ondervraagde minister", None),
    Grouping("office", "statOffice", "office addressed", "ondervraagd ambt", None),
    Grouping("government", "statGovernment", "government", "regering", None),
    Grouping("legislature", "statLegislature", "legislature", "zittingsperiode", None),
    Grouping("party", "statParty", "party of the asker", "partij van de vraagsteller", None),
    Grouping("asker", "statAsker", "asker", "vraagsteller", None),
    Grouping("year", "statYear", "year asked", "jaar van de vraag", "gYear"),
    Grouping("month", "statMonth", "month asked", "maand van de vraag", "gYearMonth"),
)

TABLES = {
    "questions": (
        ("questionCount", "answeredCount", "answeredShare", "openPastDeadlineCount"),
        "Questions, answers and overdue questions",
        "Vragen, antwoorden en achterstallige vragen",
    ),
    "days": (
        (
            "answeredCount",
            "p25DaysToAnswer",
            "medianDaysToAnswer",
            "p75DaysToAnswer",
            "p90DaysToAnswer",
            "medianWorkingDaysToAnswer",
            "p90WorkingDaysToAnswer",
        ),
        "Days to answer",
        "Dagen tot het antwoord",
    ),
    "on-time": (("answeredWithDeadlineCount", "onTimeShare"), "Answers on time", "Tijdige antwoorden"),
}
NOT_LOADED = (("notLoadedCount",), "Questions known only by their number", "Vragen die enkel bij nummer bekend zijn")


def percentile(values: Sequence[int], share: float) -> int:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


def _decimal(value: float, places: int) -> str:
    return typed(f"{value:.{places}f}", XSD.decimal)


def groups_of(grouping: Grouping, found: Outcome, minter: UriMinter) -> tuple[str, ...]:
    """The groups of `grouping` a question counts in (a question to two ministers counts for both).
    Asked for every question and grouping: tests in a row, no table of functions made per call."""
    timing = found.timing
    name = grouping.name
    if name == "minister":
        return timing.ministers
    if name == "office":
        return timing.offices
    if name == "government":
        return timing.governments
    if name == "legislature":
        return (minter.legislature(timing.legislature),)
    if name == "party":
        return (timing.party,) if timing.party else ()
    if name == "asker":
        return (timing.author,) if timing.author else ()
    if name == "year":
        return (f"{timing.asked.year:04d}",)
    if name == "month":
        return (f"{timing.asked.year:04d}-{timing.asked.month:02d}",)
    raise KeyError(name)


def measures(cell: Sequence[Outcome]) -> dict[str, dict[str, str]]:
    """Per table, the measures of one group's questions (a table is left out when it has no figure)."""
    answered = [o for o in cell if o.status in ANSWERED and o.days is not None]
    days = [o.days for o in answered if o.days is not None]
    working = [o.working_days for o in answered if o.working_days is not None]
    dated = [o for o in answered if o.deadline is not None]
    tables: dict[str, dict[str, str]] = {
        "questions": {
            "questionCount": integer(len(cell)),
            "answeredCount": integer(len(answered)),
            "answeredShare": _decimal(len(answered) / len(cell), 4),
            "openPastDeadlineCount": integer(sum(o.status == "open-past-deadline" for o in cell)),
        }
    }
    if days:
        tables["days"] = {
            "answeredCount": integer(len(answered)),
            "p25DaysToAnswer": _decimal(percentile(days, 0.25), 1),
            "medianDaysToAnswer": _decimal(statistics.median(days), 1),
            "p75DaysToAnswer": _decimal(percentile(days, 0.75), 1),
            "p90DaysToAnswer": _decimal(percentile(days, 0.9), 1),
            "medianWorkingDaysToAnswer": _decimal(statistics.median(working), 1),
            "p90WorkingDaysToAnswer": _decimal(percentile(working, 0.9), 1),
        }
    if dated:
        tables["on-time"] = {
            "answeredWithDeadlineCount": integer(len(dated)),
            "onTimeShare": _decimal(sum(o.status == "answered-on-time" for o in dated) / len(dated), 4),
        }
    return tables


def dataset_uri(minter: UriMinter, grouping: str, table: str) -> str:
    return minter.mint_uri("dataset", f"answer-times/{grouping}/{table}")


def _key(value: str, minter: UriMinter) -> str:
    """A group's segment in its observations' URIs: the URI's path after `/id/`, or the literal."""
    prefix = minter.base + "id/"
    return value[len(prefix) :].replace("/", "-") if value.startswith(prefix) else value


def cube_lines(loaded: Sequence[Outcome], not_loaded: Sequence[str], as_of: date, minter: UriMinter) -> Iterator[str]:
    """Every data set, its structure and its observations."""
    for grouping in GROUPINGS:
        cells: dict[str, list[Outcome]] = {}
        for found in loaded:
            for group in groups_of(grouping, found, minter):
                cells.setdefault(group, []).append(found)
        figures = {group: measures(cells[group]) for group in sorted(cells)}
        rows: dict[tuple[str, ...], dict[str, str]]
        for table, (names, label_en, label_nl) in TABLES.items():
            rows = {(group,): tables[table] for group, tables in figures.items() if table in tables}
            yield from _dataset(grouping.name, (grouping,), table, names, label_en, label_nl, rows, as_of, minter)
        if grouping.name == "legislature":
            counts: dict[str, int] = {}
            for question in not_loaded:
                number = question.rsplit("/", 1)[1].split("-")[0]
                group = minter.legislature(int(number))
                counts[group] = counts.get(group, 0) + 1
            rows = {(group,): {"notLoadedCount": integer(n)} for group, n in sorted(counts.items())}
            yield from _dataset(grouping.name, (grouping,), "not-loaded", *NOT_LOADED, rows, as_of, minter)
    yield from _government_years(loaded, as_of, minter)
    yield from _backlog(loaded, as_of, minter)


BY_NAME = {grouping.name: grouping for grouping in GROUPINGS}
PERIOD = Grouping("period", "statPeriod", "month (its last day)", "maand (haar laatste dag)", "gYearMonth")
BACKLOG = (
    ("openAtEndCount", "openPastDeadlineAtEndCount"),
    "Open questions over time",
    "Openstaande vragen door de tijd",
)


def _government_years(loaded: Sequence[Outcome], as_of: date, minter: UriMinter) -> Iterator[str]:
    """The on-time share per government and year asked: how a government's punctuality moved."""
    pair = (BY_NAME["government"], BY_NAME["year"])
    cells: dict[tuple[str, str], list[Outcome]] = {}
    for found in loaded:
        for government in groups_of(pair[0], found, minter):
            cells.setdefault((government, f"{found.timing.asked.year:04d}"), []).append(found)
    names, label_en, label_nl = TABLES["on-time"]
    rows: dict[tuple[str, ...], dict[str, str]] = {}
    for key in sorted(cells):
        tables = measures(cells[key])
        if "on-time" in tables:
            rows[key] = tables["on-time"]
    yield from _dataset("government-year", pair, "on-time", names, label_en, label_nl, rows, as_of, minter)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _backlog(loaded: Sequence[Outcome], as_of: date, minter: UriMinter) -> Iterator[str]:
    """Questions open, and open past their deadline, at the end of each month (the current month:
    on the reference date), from the first month a question was asked. A question is open at a
    day when it was asked by then and had not ended; counted with a +1 and a -1 per question on a
    line of months, so the cost is the questions plus the months."""
    if not loaded:
        return
    first, last = min(_month_index(o.timing.asked) for o in loaded), _month_index(as_of)
    opened, overdue = [0] * (last - first + 2), [0] * (last - first + 2)
    for found in loaded:
        start = _month_index(found.timing.asked) - first
        # open at the ends of the months from the one asked up to the one before it ended (the
        # month it ended in ends after it; the current month's "end", the reference date, too)
        stop = _month_index(found.ended) - first if found.ended is not None else last - first + 1
        if stop <= start:
            continue
        opened[start] += 1
        opened[stop] -= 1
        if found.deadline is None:
            continue
        late = _month_index(found.deadline + timedelta(days=1)) - first  # first month end past it
        if late == last - first and found.deadline >= as_of:
            continue  # not yet past it on the reference date
        late = max(late, start)
        if late < stop:
            overdue[late] += 1
            overdue[stop] -= 1
    rows: dict[tuple[str, ...], dict[str, str]] = {}
    open_now = late_now = 0
    for offset in range(last - first + 1):
        open_now += opened[offset]
        late_now += overdue[offset]
        year, month = divmod(first + offset, 12)
        rows[(f"{year:04d}-{month + 1:02d}",)] = {
            "openAtEndCount": integer(open_now),
            "openPastDeadlineAtEndCount": integer(late_now),
        }
    yield from _dataset("period", (PERIOD,), "backlog", *BACKLOG, rows, as_of, minter)


def _dataset(
    name: str,
    dimensions: Sequence[Grouping],
    table: str,
    names: Sequence[str],
    label_en: str,
    label_nl: str,
    rows: dict[tuple[str, ...], dict[str, str]],
    as_of: date,
    minter: UriMinter,
) -> Iterator[str]:
    """One data set: `rows` maps a value per dimension (in order) to the measures' lexical forms."""
    ns = kg_vocab(minter.ns_iri)
    ds_uri = dataset_uri(minter, name, table)
    ds, dsd = iri(ds_uri), iri(minter.sub(ds_uri, "structure"))
    per_en = " and ".join(d.label_en for d in dimensions)
    per_nl = " en ".join(d.label_nl for d in dimensions)
    yield f"{ds} {RDF.type} {QB.DataSet} ."
    yield f"{ds} {QB.structure} {dsd} ."
    yield f"{ds} {RDFS.label} {lang(f'{label_en}, per {per_en}', 'en')} ."
    yield f"{ds} {RDFS.label} {lang(f'{label_nl}, per {per_nl}', 'nl')} ."
    yield f"{ds} {ns.referenceDate} {day(as_of)} ."
    yield f"{ds} {ns.statGrouping} {plain_name(name)} ."
    yield f"{dsd} {RDF.type} {QB.DataStructureDefinition} ."
    for order, dimension in enumerate(dimensions, 1):
        segment = "dimension" if len(dimensions) == 1 else f"dimension-{dimension.name}"
        component = iri(minter.sub(ds_uri, "structure", segment))
        yield f"{dsd} {QB.component} {component} ."
        yield f"{component} {RDF.type} {QB.ComponentSpecification} ."
        yield f"{component} {QB.dimension} {ns[dimension.dimension]} ."
        yield f"{component} {QB.order} {integer(order)} ."
    for measure in names:
        component = iri(minter.sub(ds_uri, "structure", _slug(measure)))
        yield f"{dsd} {QB.component} {component} ."
        yield f"{component} {RDF.type} {QB.ComponentSpecification} ."
        yield f"{component} {QB.measure} {ns[measure]} ."
    for key, values in rows.items():
        yield from observation_lines(name, dimensions, table, names, key, values, minter)


def observation_lines(
    name: str,
    dimensions: Sequence[Grouping],
    table: str,
    names: Sequence[str],
    key: tuple[str, ...],
    values: dict[str, str],
    minter: UriMinter,
) -> Iterator[str]:
    """One observation of a data set (`_dataset`): what an incremental build writes again for a
    group whose questions changed, alone."""
    ns = kg_vocab(minter.ns_iri)
    ds_uri = dataset_uri(minter, name, table)
    obs = iri(minter.sub(ds_uri, "observation", "-".join(_key(group, minter) for group in key)))
    yield f"{obs} {RDF.type} {QB.Observation} ."
    yield f"{obs} {QB.dataSet} {iri(ds_uri)} ."
    for dimension, group in zip(dimensions, key, strict=True):
        value = typed(group, XSD[dimension.literal]) if dimension.literal else iri(group)
        yield f"{obs} {ns[dimension.dimension]} {value} ."
    for measure in names:
        yield f"{obs} {ns[measure]} {values[measure]} ."


def plain_name(name: str) -> str:
    return f'"{name}"'


def _slug(name: str) -> str:
    """`medianDaysToAnswer` -> `median-days-to-answer`."""
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in name)


def statistics_lines(
    timings: Iterable[Timing], minter: UriMinter, governments: Governments, as_of: date | None = None
) -> tuple[list[str], date | None]:
    """What the build adds to the graph for answer times: each question's status, deadline and
    days, and the data sets; sorted and unique. `as_of`: the reference date (default: the latest
    date in the data). Returns the lines and the reference date used (None: no question)."""
    lines, as_of = statistics_line_set(merge_timings(timings), minter, governments, as_of)
    return sorted(lines), as_of


def statistics_line_set(
    merged: dict[str, Timing], minter: UriMinter, governments: Governments, as_of: date | None = None
) -> tuple[set[str], date | None]:
    """`statistics_lines` of the timings `kg.rdf.answer_times.merge_timings` gave, as a set: for
    a build that needs them merged for more than these lines (merged once), adds lines of its
    own and sorts them all once."""
    as_of = as_of or reference_date(merged.values())
    if as_of is None:
        return set(), None
    loaded, missing = outcomes(merged, as_of, load_deadline_rules(), governments)
    return outcome_line_set(loaded, missing, as_of, minter), as_of


def outcome_line_set(loaded: Sequence[Outcome], not_loaded: Sequence[str], as_of: date, minter: UriMinter) -> set[str]:
    """The lines of these outcomes: each question's, each sibling not loaded, and the cube's."""
    lines: set[str] = set()
    for found in loaded:
        lines.update(question_lines(found, minter))
    for question in not_loaded:
        lines.update(not_loaded_lines(question, minter))
    lines.update(cube_lines(loaded, not_loaded, as_of, minter))
    return lines
