"""Dates as the Senate prints them: "30 april 2013" (Dutch), "1er mai 2013" (French) and the
numeric "30/4/2013" of chronology lines.

Month names are matched case-insensitively, and French names also without their accents
("fevrier", "aout") because damaged or retyped documents lose them.
"""

from __future__ import annotations

import re
from datetime import date

from kg.parse.records import Language
from kg.text import MONTH_NAMES, without_accents

MONTHS: dict[Language, tuple[str, ...]] = {"nl": MONTH_NAMES["nl"], "fr": MONTH_NAMES["fr"]}

_MONTH_NUMBER: dict[str, int] = {}
for _names in MONTHS.values():
    for _index, _name in enumerate(_names, start=1):
        _MONTH_NUMBER[_name] = _index
for _names in MONTHS.values():  # the French names without their accents: "fevrier", "aout", "decembre"
    for _index, _name in enumerate(_names, start=1):
        _MONTH_NUMBER.setdefault(without_accents(_name), _index)

# A regex fragment for a written date; groups: day, month name, year.
WRITTEN_DATE = r"(\d{1,2})(?:er|e)?\s+(" + "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True)) + r")\s+(\d{4})"
_WRITTEN = re.compile(WRITTEN_DATE + r"$", re.IGNORECASE)
# A regex fragment for a numeric date d/m/yyyy; groups: day, month, year.
NUMERIC_DATE = r"(\d{1,2})/(\d{1,2})/(\d{4})"


def make_date(year: str | int, month: str | int, day: str | int) -> date | None:
    """A date from its parts, or None when they name no day (31/2/2013)."""
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def written_date(day: str, month_name: str, year: str) -> date | None:
    """The date of a WRITTEN_DATE match's three groups, or None when it is no real day."""
    month = _MONTH_NUMBER.get(month_name.lower())
    return None if month is None else make_date(year, month, day)


def parse_written_date(text: str) -> date | None:
    """ "30 april 2013" / "1er mai 2013" -> date; None when the text is not exactly a date."""
    match = _WRITTEN.match(text.strip())
    return written_date(*match.groups()) if match else None


def format_date(value: date, language: Language) -> str:
    """The Senate's written form: "1 mei 2013", "1er mai 2013"."""
    day = "1er" if language == "fr" and value.day == 1 else str(value.day)
    return f"{day} {MONTHS[language][value.month - 1]} {value.year}"


def format_numeric(value: date) -> str:
    """The chronology form, without leading zeros: "6/9/2013"."""
    return f"{value.day}/{value.month}/{value.year}"
