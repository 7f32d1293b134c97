"""What a build holds of the record, per legislature: questions converted, answered, offices
resolved to a holder, askers reconciled with the reference data of people.

Read from the questions' timings (`kg.rdf.answer_times.Timing`, one per question, both language
versions merged), so the report is the graph's own account, not a second parse. Printed at the
end of `kg build` and written to `build.json`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date

from kg.rdf.answer_times import Timing


@dataclass(frozen=True)
class LegislatureCoverage:
    legislature: int
    start: date | None  # from reference/legislatures.toml; None for a legislature it lacks
    end: date | None
    questions: int
    answered: int  # an answer or an answer date printed
    offices_addressed: int  # offices printed in the addressee lines
    offices_with_holder: int  # of which resolved to the person holding them that day
    askers: int  # distinct authors
    askers_reconciled: int  # of which known to reference/people.toml

    def line(self) -> str:
        span = f"{self.start.year}-{self.end.year if self.end else ''}" if self.start else "dates unknown"
        return (
            f"  legislature {self.legislature} ({span}): {self.questions} questions, "
            f"{self.answered} answered ({_share(self.answered, self.questions)}), "
            f"{self.offices_with_holder} of {self.offices_addressed} offices addressed resolved to a holder "
            f"({_share(self.offices_with_holder, self.offices_addressed)}), "
            f"{self.askers_reconciled} of {self.askers} askers reconciled "
            f"({_share(self.askers_reconciled, self.askers)})"
        )

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["start"] = self.start.isoformat() if self.start else None
        data["end"] = self.end.isoformat() if self.end else None
        return data


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "none"


def coverage(timings: Iterable[Timing], spans: dict[int, tuple[date, date | None]]) -> list[LegislatureCoverage]:
    """One line per legislature the questions belong to, in order. `timings` holds one timing per
    question (merged); `spans` the legislatures' first and last days."""
    questions: dict[int, int] = {}
    answered: dict[int, int] = {}
    addressed: dict[int, int] = {}
    with_holder: dict[int, int] = {}
    askers: dict[int, dict[str, bool]] = {}
    for timing in timings:
        number = timing.legislature
        questions[number] = questions.get(number, 0) + 1
        answered[number] = answered.get(number, 0) + (timing.answered is not None)
        addressed[number] = addressed.get(number, 0) + timing.addressed
        with_holder[number] = with_holder.get(number, 0) + timing.addressed_with_holder
        seen = askers.setdefault(number, {})
        seen[timing.author] = seen.get(timing.author, False) or timing.author_reconciled
    return [
        LegislatureCoverage(
            number,
            spans[number][0] if number in spans else None,
            spans[number][1] if number in spans else None,
            questions[number],
            answered[number],
            addressed[number],
            with_holder[number],
            len(askers[number]),
            sum(askers[number].values()),
        )
        for number in sorted(questions)
    ]
