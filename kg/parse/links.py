"""Links to other questions: "Ook gesteld aan : schriftelijke vraag 5-8900", "Réintroduite
comme : question écrite 6-12". The label is kept as printed; its kind comes from
`phrases.LINK_KINDS`. Both languages' wordings are accepted in any document."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.parse.phrases import LINK_KINDS, NUMBER
from kg.parse.records import QuestionLink, QuestionNumber

_LINK = re.compile(
    r"(" + "|".join(re.escape(label) for label in LINK_KINDS) + r")\s*:\s*"
    r"(?:schriftelijke vraag|question écrite|question ecrite)\s+" + NUMBER + r"\s*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def parse_link(line: str) -> QuestionLink | None:
    """The link a line prints, or None if it is not a link line. Cached: siblings print the
    same link lines (each lists the others), and links are immutable."""
    match = _LINK.match(line)
    if match is None:
        return None
    label = match.group(1)
    target = QuestionNumber(int(match.group(2)), int(match.group(3)))
    return QuestionLink(LINK_KINDS[label.lower()], target, label)
