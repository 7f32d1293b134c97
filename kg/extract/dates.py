"""Dates written in Dutch and French answers: "3 december 2012", "1er mars 2013", "2/5/2013"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from kg.text import MONTH_NAMES, without_accents

# Month names as folded text has them (lower case, no accents), Dutch then French.
MONTHS = {
    without_accents(name): number
    for language in ("nl", "fr")
    for number, name in enumerate(MONTH_NAMES[language], start=1)
}
_WORDS = re.compile(r"\b(\d{1,2})(?:er|e|ste|de)?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b")
_NUMERIC = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?![\d/])")
# What each form must hold, as patterns that start with a digit: the engine then skips ahead to
# the digits instead of trying the full pattern (which starts with a look-around) everywhere.
_WORDS_HINT = re.compile(r"\d(?:er|e|ste|de)?\s+(?:" + "|".join(MONTHS) + r")\s+\d{4}")
_NUMERIC_HINT = re.compile(r"\d[/.]\d{1,2}[/.]\d{4}")


def find_dates(folded: str) -> Iterator[tuple[int, int, date]]:
    """(start, end, date) of each valid date in folded, lower-cased text (`fold_lower`), in order."""
    found: list[tuple[int, int, date]] = []
    # A date starts at most one character before the first place its hint is found: the full
    # pattern is tried from there (its look-arounds still see the text before).
    hint = _WORDS_HINT.search(folded)
    if hint is not None:
        for match in _WORDS.finditer(folded, max(0, hint.start() - 1)):
            day, month, year = int(match[1]), MONTHS[match[2]], int(match[3])
            _add(found, match, year, month, day)
    hint = _NUMERIC_HINT.search(folded)
    if hint is not None:
        for match in _NUMERIC.finditer(folded, max(0, hint.start() - 1)):
            _add(found, match, int(match[3]), int(match[2]), int(match[1]))
    yield from sorted(found, key=lambda item: item[0])


def _add(found: list[tuple[int, int, date]], match: re.Match[str], year: int, month: int, day: int) -> None:
    try:
        found.append((match.start(), match.end(), date(year, month, day)))
    except ValueError:
        pass  # "31 februari": not a date, so no fact rests on it
