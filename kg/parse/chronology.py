"""Chronology lines: "30/4/2013Verzending vraag", "30/4/2013 Envoi question (Fin du délai de
réponse: 30/5/2013)". The date and the label sometimes touch; the label is kept as printed, the
deadline is taken out of it, and the kind comes from the label (`phrases.EVENT_KINDS`)."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.parse.dates import NUMERIC_DATE, make_date
from kg.parse.phrases import EVENT_KINDS
from kg.parse.records import ChronologyEvent

_EVENT = re.compile(NUMERIC_DATE + r"[ \t\xa0]*(.*?)\s*$")
_DEADLINE = re.compile(
    r"(.*?)\s*\(\s*(?:Einde van de antwoordtermijn|Fin du délai de réponse|"
    r"Fin du delai de reponse)\s*:\s*" + NUMERIC_DATE + r"\s*\)$",
    re.IGNORECASE,
)


class BadEvent(ValueError):
    """A line that looks like a chronology event but names no real date."""


@lru_cache(maxsize=16384)
def parse_event(line: str) -> ChronologyEvent | None:
    """The event a chronology line prints; None if the line is not one. Raises BadEvent for an
    impossible date so the caller can report it with its line (not cached, raised each time).
    Cached: siblings share their chronology lines, and every head line is tried as an event."""
    match = _EVENT.match(line)
    if match is None or not match.group(4):
        return None
    when = make_date(match.group(3), match.group(2), match.group(1))
    if when is None:
        raise BadEvent("a real date d/m/yyyy")
    label = match.group(4)
    deadline = None
    found = _DEADLINE.match(label)
    if found is not None:
        deadline = make_date(found.group(4), found.group(3), found.group(2))
        if deadline is None:
            raise BadEvent("a real deadline date d/m/yyyy")
        label = found.group(1)
    if not label:
        return None
    return ChronologyEvent(when, EVENT_KINDS.get(label.lower(), "other"), label, deadline)
