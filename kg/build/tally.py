"""The answer-time statistics' sums, kept between builds: an incremental build counts again only
the questions its changed documents hold, not every question.

What the statistics add to the graph (`kg.rdf.cube`, `kg.rdf.memberships`) are sums over every
question: per data cube cell (a minister, a month asked, ...) how many questions, answers and
overdue ones and how many days each answer took, per party membership the days it was seen,
per legislature the coverage counts, per month the backlog's steps. A question adds the same to
each whatever the others, given the reference date. So a full build keeps those sums here (a
`Tally`, the days to answer as counts per value, from which medians and percentiles come out
exact), and the next build with the same reference date takes away what its changed questions
added as they were and adds what they add now: only the cells, memberships and months they fall
in are written again, and they are what the build diffs against the graph.

The file is written whole (a temporary file renamed), says which build it belongs to, which code
and reference date made it, and how long it is with its checksum: a file that does not match is
not read, and the build counts everything again.
"""

from __future__ import annotations

import hashlib
import json
import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kg import __version__
from kg.build.coverage import LegislatureCoverage
from kg.rdf.answer_times import ANSWERED, Outcome, Timing
from kg.rdf.cube import BACKLOG, BY_NAME, GROUPINGS, PERIOD, TABLES, _decimal, groups_of, observation_lines
from kg.rdf.memberships import seen_lines
from kg.rdf.terms import integer
from kg.reference.governments import Governments
from kg.uris import UriMinter

TALLY_FORMAT = 1
CellKey = tuple[str, ...]  # (grouping, group) or ("government-year", government, year)
GOVERNMENT_YEAR = "government-year"


@dataclass
class Cell:
    """One group's questions, summed: what `kg.rdf.cube.measures` computes from its outcomes."""

    questions: int = 0
    answered: int = 0
    open_past: int = 0
    dated: int = 0  # answered with a known deadline
    on_time: int = 0
    days: dict[int, int] = field(default_factory=dict)  # days to answer -> answers
    working: dict[int, int] = field(default_factory=dict)

    def add(self, found: Outcome, sign: int) -> None:
        self.questions += sign
        self.open_past += sign * (found.status == "open-past-deadline")
        if found.status not in ANSWERED or found.days is None:
            return
        self.answered += sign
        _step(self.days, found.days, sign)
        if found.working_days is not None:
            _step(self.working, found.working_days, sign)
        if found.deadline is not None:
            self.dated += sign
            self.on_time += sign * (found.status == "answered-on-time")

    def copy(self) -> Cell:
        return Cell(
            self.questions, self.answered, self.open_past, self.dated, self.on_time, dict(self.days), dict(self.working)
        )

    def measures(self) -> dict[str, dict[str, str]]:
        """`kg.rdf.cube.measures` of the same questions, to the digit."""
        tables = {
            "questions": {
                "questionCount": integer(self.questions),
                "answeredCount": integer(self.answered),
                "answeredShare": _decimal(self.answered / self.questions, 4),
                "openPastDeadlineCount": integer(self.open_past),
            }
        }
        if self.days:
            days, working = sorted(self.days.items()), sorted(self.working.items())
            tables["days"] = {
                "answeredCount": integer(self.answered),
                "p25DaysToAnswer": _decimal(_percentile(days, 0.25), 1),
                "medianDaysToAnswer": _decimal(_median(days), 1),
                "p75DaysToAnswer": _decimal(_percentile(days, 0.75), 1),
                "p90DaysToAnswer": _decimal(_percentile(days, 0.9), 1),
                "medianWorkingDaysToAnswer": _decimal(_median(working), 1),
                "p90WorkingDaysToAnswer": _decimal(_percentile(working, 0.9), 1),
            }
        if self.dated:
            tables["on-time"] = {
                "answeredWithDeadlineCount": integer(self.dated),
                "onTimeShare": _decimal(self.on_time / self.dated, 4),
            }
        return tables

    def to_json(self) -> list[Any]:
        return [
            self.questions,
            self.answered,
            self.open_past,
            self.dated,
            self.on_time,
            sorted(self.days.items()),
            sorted(self.working.items()),
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> Cell:
        questions, answered, open_past, dated, on_time = (int(x) for x in data[:5])
        days = {int(k): int(v) for k, v in data[5]}
        return cls(questions, answered, open_past, dated, on_time, days, {int(k): int(v) for k, v in data[6]})


def _step(counts: dict[Any, int], key: Any, sign: int) -> None:
    value = counts.get(key, 0) + sign
    if value:
        counts[key] = value
    else:
        counts.pop(key, None)


def _nth(counts: list[tuple[int, int]], rank: int) -> int:
    """The value at 0-based `rank` of the values the (value, count) pairs stand for, in order."""
    for value, count in counts:
        if rank < count:
            return value
        rank -= count
    raise IndexError(rank)


def _percentile(counts: list[tuple[int, int]], share: float) -> int:
    """`kg.rdf.cube.percentile` (nearest rank) of the counted values."""
    return _nth(counts, max(math.ceil(share * sum(c for _, c in counts)), 1) - 1)


def _median(counts: list[tuple[int, int]]) -> float:
    """`statistics.median` of the counted values: the middle one, or the mean of the two."""
    n = sum(c for _, c in counts)
    if n % 2:
        return _nth(counts, n // 2)
    return (_nth(counts, n // 2 - 1) + _nth(counts, n // 2)) / 2


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


@dataclass
class Touched:
    """What counting some questions again changed: each cell and membership as it was before."""

    cells: dict[CellKey, Cell | None] = field(default_factory=dict)
    seen: dict[tuple[str, str], dict[date, int] | None] = field(default_factory=dict)


@dataclass
class Tally:
    """The sums the statistics are made of (see the module's docstring), as of `as_of`."""

    as_of: date
    cells: dict[CellKey, Cell] = field(default_factory=dict)
    seen: dict[tuple[str, str], dict[date, int]] = field(default_factory=dict)  # membership -> day asked -> questions
    legislatures: dict[int, list[int]] = field(default_factory=dict)  # questions, answered, offices, with holder
    askers: dict[tuple[int, str], list[int]] = field(
        default_factory=dict
    )  # (legislature, author) -> questions, reconciled
    latest: dict[date, int] = field(default_factory=dict)  # a question's latest date -> questions
    opened: dict[int, int] = field(default_factory=dict)  # month -> backlog step of the questions open
    overdue: dict[int, int] = field(default_factory=dict)  # and of those open past their deadline
    candidates: dict[str, dict[str, int]] = field(default_factory=dict)  # `kg.build.pairing`
    deferred: dict[str, dict[str, int]] = field(default_factory=dict)  # number -> French label -> documents

    def count(self, found: Outcome, sign: int, minter: UriMinter, touched: Touched | None = None) -> None:
        """Add (sign 1) or take away (-1) one question's part, given its outcome as of `as_of`."""
        timing = found.timing
        for grouping in GROUPINGS:
            for group in groups_of(grouping, found, minter):
                self._cell((grouping.name, group), touched).add(found, sign)
        year = f"{timing.asked.year:04d}"
        for government in timing.governments:
            self._cell((GOVERNMENT_YEAR, government, year), touched).add(found, sign)
        if timing.author and timing.party:
            key = (timing.author, timing.party)
            days = self.seen.get(key)
            if touched is not None and key not in touched.seen:
                touched.seen[key] = None if days is None else dict(days)
            days = self.seen.setdefault(key, {})
            _step(days, timing.asked, sign)
            if not days:
                del self.seen[key]
        sums = self.legislatures.setdefault(timing.legislature, [0, 0, 0, 0])
        for index, value in enumerate((1, timing.answered is not None, timing.addressed, timing.addressed_with_holder)):
            sums[index] += sign * value
        if not sums[0]:
            del self.legislatures[timing.legislature]
        asker = self.askers.setdefault((timing.legislature, timing.author), [0, 0])
        asker[0] += sign
        asker[1] += sign * timing.author_reconciled
        if not asker[0]:
            del self.askers[(timing.legislature, timing.author)]
        self._backlog(found, sign)

    def _cell(self, key: CellKey, touched: Touched | None) -> Cell:
        cell = self.cells.get(key)
        if touched is not None and key not in touched.cells:
            touched.cells[key] = None if cell is None else cell.copy()
        if cell is None:
            cell = self.cells[key] = Cell()
        return cell

    def _backlog(self, found: Outcome, sign: int) -> None:
        """`kg.rdf.cube._backlog`'s steps of one question, on absolute months."""
        last = _month(self.as_of)
        start = _month(found.timing.asked)
        stop = _month(found.ended) if found.ended is not None else last + 1
        if stop <= start:
            return
        _step(self.opened, start, sign)
        _step(self.opened, stop, -sign)
        if found.deadline is None:
            return
        late = _month(found.deadline + timedelta(days=1))
        if late == last and found.deadline >= self.as_of:
            return
        late = max(late, start)
        if late < stop:
            _step(self.overdue, late, sign)
            _step(self.overdue, stop, -sign)

    def drop_empty(self) -> None:
        """Cells no question falls in any more go (a full build never makes them)."""
        for key in [key for key, cell in self.cells.items() if not cell.questions]:
            del self.cells[key]

    def questions(self) -> int:
        return sum(sums[0] for sums in self.legislatures.values())

    def reference_date(self) -> date | None:
        return max(self.latest, default=None)

    def coverage(self, spans: dict[int, tuple[date, date | None]]) -> list[LegislatureCoverage]:
        """`kg.build.coverage.coverage` from the sums."""
        askers: dict[int, list[int]] = {}
        for (number, _), (_, reconciled) in self.askers.items():
            counted = askers.setdefault(number, [0, 0])
            counted[0] += 1
            counted[1] += reconciled > 0
        return [
            LegislatureCoverage(
                number,
                spans[number][0] if number in spans else None,
                spans[number][1] if number in spans else None,
                *self.legislatures[number],
                *askers[number],
            )
            for number in sorted(self.legislatures)
        ]

    def cell_lines(self, key: CellKey, cell: Cell | None, minter: UriMinter) -> set[str]:
        """The observations of one cell in every data set it has a figure in (none: no cell)."""
        if cell is None or not cell.questions:
            return set()
        tables = cell.measures()
        if key[0] == GOVERNMENT_YEAR:
            if "on-time" not in tables:
                return set()
            pair = (BY_NAME["government"], BY_NAME["year"])
            return set(
                observation_lines(key[0], pair, "on-time", TABLES["on-time"][0], key[1:], tables["on-time"], minter)
            )
        lines: set[str] = set()
        grouping = (BY_NAME[key[0]],)
        for table, values in tables.items():
            lines.update(observation_lines(key[0], grouping, table, TABLES[table][0], key[1:], values, minter))
        return lines

    def backlog_lines(self, minter: UriMinter) -> set[str]:
        """The backlog data set's observations (`kg.rdf.cube._backlog`): a line of months, cheap
        to write whole."""
        months = [key[1] for key in self.cells if key[0] == "month"]
        if not months:
            return set()
        year, month = min(months).split("-")
        first, last = int(year) * 12 + int(month) - 1, _month(self.as_of)
        lines: set[str] = set()
        open_now = late_now = 0
        for index in range(first, last + 1):
            open_now += self.opened.get(index, 0)
            late_now += self.overdue.get(index, 0)
            year_number, month_number = divmod(index, 12)
            values = {"openAtEndCount": integer(open_now), "openPastDeadlineAtEndCount": integer(late_now)}
            key = (f"{year_number:04d}-{month_number + 1:02d}",)
            lines.update(observation_lines("period", (PERIOD,), "backlog", BACKLOG[0], key, values, minter))
        return lines

    def seen_lines(self, key: tuple[str, str], days: dict[date, int] | None, minter: UriMinter) -> set[str]:
        if not days:
            return set()
        return set(seen_lines(key[0], key[1], min(days), max(days), minter))

    def to_bytes(self) -> bytes:
        """The sums as JSON, keys in order: the same sums give the same bytes."""
        data = {
            "cells": [["\t".join(key), cell.to_json()] for key, cell in sorted(self.cells.items())],
            "seen": [
                [author, party, sorted((d.isoformat(), n) for d, n in days.items())]
                for (author, party), days in sorted(self.seen.items())
            ],
            "legislatures": sorted(self.legislatures.items()),
            "askers": [[number, author, sums] for (number, author), sums in sorted(self.askers.items())],
            "latest": sorted((d.isoformat(), n) for d, n in self.latest.items()),
            "opened": sorted(self.opened.items()),
            "overdue": sorted(self.overdue.items()),
            "candidates": [[label, sorted(partners.items())] for label, partners in sorted(self.candidates.items())],
            "deferred": [[number, sorted(labels.items())] for number, labels in sorted(self.deferred.items())],
        }
        return json.dumps(data, separators=(",", ":"), ensure_ascii=True).encode("ascii")

    @classmethod
    def from_bytes(cls, as_of: date, body: bytes) -> Tally:
        data = json.loads(body)
        day = date.fromisoformat
        return cls(
            as_of,
            {tuple(key.split("\t")): Cell.from_json(cell) for key, cell in data["cells"]},
            {(author, party): {day(d): int(n) for d, n in days} for author, party, days in data["seen"]},
            {int(number): [int(x) for x in sums] for number, sums in data["legislatures"]},
            {(int(number), str(author)): [int(x) for x in sums] for number, author, sums in data["askers"]},
            {day(d): int(n) for d, n in data["latest"]},
            {int(m): int(n) for m, n in data["opened"]},
            {int(m): int(n) for m, n in data["overdue"]},
            {str(label): {str(p): int(n) for p, n in partners} for label, partners in data["candidates"]},
            {str(number): {str(label): int(n) for label, n in labels} for number, labels in data["deferred"]},
        )


def code_digest() -> str:
    """What the sums mean depends on this code and the statistics' own: a tally made by other
    code is not read."""
    from kg.build import coverage, pairing, recount, tally
    from kg.rdf import answer_times, concepts, cube, memberships

    digest = hashlib.sha256(f"{__version__}\n{TALLY_FORMAT}\n".encode())
    for module in (tally, recount, pairing, coverage, answer_times, concepts, cube, memberships):
        assert module.__file__ is not None
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:20]


def tally_bytes(tally: Tally, build: str, base: str) -> bytes:
    """A head line (which build, code, base and reference date; the body's length and CRC-32),
    then the body (`Tally.to_bytes`)."""
    body = tally.to_bytes()
    head = {
        "format": TALLY_FORMAT,
        "code": code_digest(),
        "build": build,
        "base": base,
        "as_of": tally.as_of.isoformat(),
        "bytes": len(body),
        "crc32": zlib.crc32(body),
    }
    return json.dumps(head, sort_keys=True, separators=(",", ":")).encode("ascii") + b"\n" + body


def load_tally(path: Path, build: str, base: str) -> Tally | None:
    """The tally the build `build` left, or None: none, another build's or code's, or damaged."""
    try:
        data = path.read_bytes()
        cut = data.index(b"\n") + 1
        head = json.loads(data[:cut])
        body = data[cut:]
        if (
            head["format"] != TALLY_FORMAT
            or head["code"] != code_digest()
            or head["build"] != build
            or head["base"] != base
            or head["bytes"] != len(body)
            or head["crc32"] != zlib.crc32(body)
        ):
            return None
        return Tally.from_bytes(date.fromisoformat(head["as_of"]), body)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None


def spans(governments: Governments) -> dict[int, tuple[date, date | None]]:
    """Each legislature's first and last days, for the coverage report."""
    return {leg.number: (leg.start, leg.end) for leg in governments.legislatures}


def latest_day(timing: Timing) -> date:
    """The question's latest date (what `kg.rdf.answer_times.reference_date` takes the max of)."""
    return max(timing.dates())


def count_all(tally: Tally, found: Iterable[Outcome], minter: UriMinter) -> None:
    """A full build's tally: every loaded question counted once."""
    for outcome in found:
        _step(tally.latest, latest_day(outcome.timing), 1)
        tally.count(outcome, 1, minter)
