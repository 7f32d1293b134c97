"""Working days in Belgium: Monday to Friday, less the ten legal public holidays.

The holidays are those of the law of 4 January 1974 on public holidays (Wet betreffende de
feestdagen / Loi relative aux jours fériés): New Year's Day, Easter Monday, 1 May, Ascension Day,
Whit Monday, 21 July, 15 August, 1 November, 11 November and Christmas Day. They are computed
(Easter by the Gregorian computus), not listed, so any year is covered. A holiday that falls on a
weekend is not moved: the law gives a replacement day off to employees, not a second holiday.
Source: FPS Employment, "Regulation public holidays",
https://employment.belgium.be/en/regulation-public-holidays (the Act of 4 January 1974 and the
Royal Decree of 18 April 1974 implementing it).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter(year: int) -> date:
    """Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=256)
def public_holidays(year: int) -> frozenset[date]:
    """The ten Belgian legal public holidays of `year`."""
    sunday = easter(year)
    return frozenset(
        {
            date(year, 1, 1),
            sunday + timedelta(days=1),
            date(year, 5, 1),
            sunday + timedelta(days=39),
            sunday + timedelta(days=50),
            date(year, 7, 21),
            date(year, 8, 15),
            date(year, 11, 1),
            date(year, 11, 11),
            date(year, 12, 25),
        }
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`):
    a question sent on a Friday and answered on the Monday took one working day. Counted by
    arithmetic on weeks, less the holidays on weekdays in between: a build counts this for every
    answered question."""
    if end <= start:
        return 0
    holidays = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in public_holidays(year)
        if start < day <= end and day.weekday() < 5
    )
    return _weekdays_to(end.toordinal()) - _weekdays_to(start.toordinal()) - holidays


def _weekdays_to(ordinal: int) -> int:
    """Monday-to-Friday days from 1 January of year 1 (a Monday, ordinal 1) to `ordinal`."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)
