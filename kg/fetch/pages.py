"""What a fetched page is: the written question asked for, a missing number, or something else;
and the facts the fetcher plans with (when the question was sent, whether it can still change).

How the Senate marks a missing question: kg takes a number as missing when the server answers
404 or 410, or answers a page in the question layout with no question in it (the heading alone,
with no number or with the number and nothing after it: the template filled with nothing), or a
page holding one of the phrases the operator names (`--missing-text`). A page with no
written-question heading at all (an error page, a login wall) or with another question's
heading is not a question: it is reported and never written as a document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kg.fetch.addresses import Target

_HEADING = re.compile(
    r"(?:Schriftelijke\s+vraag\s+nr\.?|Question\s+[ée]crite\s+n[°º]?)[ \t\xa0]*(?:(\d+)\s*-\s*(\d+))?", re.IGNORECASE
)
_LETTER = re.compile(r"[^\W\d_]")


class Kind(StrEnum):
    QUESTION = "question"
    MISSING = "missing"
    NOT_QUESTION = "not-a-question"
    FAILED = "failed"


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    reason: str = ""


def classify(status: int, text: str, target: Target, missing_phrases: tuple[str, ...] = ()) -> Verdict:
    """Is this answer the question `target` names, a missing number, or neither?"""
    if status in (404, 410):
        return Verdict(Kind.MISSING, f"HTTP {status}")
    if not 200 <= status < 300:
        return Verdict(Kind.FAILED, f"HTTP {status}")
    for phrase in missing_phrases:
        if phrase and phrase in text:
            return Verdict(Kind.MISSING, f"the page says {phrase!r}")
    headings = list(_HEADING.finditer(text))
    if not headings:
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        return Verdict(Kind.NOT_QUESTION, f"no written-question heading (first line: {first[:60]!r})")
    wanted = (target.legislature, target.number)
    mine = [m for m in headings if m.group(1) and (int(m.group(1)), int(m.group(2))) == wanted]
    if mine:
        rest = text[mine[-1].end() :]
        if any(_LETTER.search(line) for line in rest.splitlines()):
            return Verdict(Kind.QUESTION)
        return Verdict(Kind.MISSING, f"the page names {target.reference} and holds nothing else")
    if any(m.group(1) is None for m in headings):
        return Verdict(Kind.MISSING, "the question template holds no number")
    other = headings[0]
    return Verdict(Kind.NOT_QUESTION, f"the page is question {other.group(1)}-{other.group(2)}, not {target.reference}")


# --------------------------------------------------------------------------------------------
# What the fetcher plans with: when the question was sent, and whether it can still change.


@dataclass(frozen=True)
class QuestionFacts:
    sent: date | None  # the question's date, None when the page could not be read
    final: bool  # answered, closed or lapsed: its page is not expected to change
    error: str = ""  # why the page could not be read, if it could not


def question_facts(text: str, name: str) -> QuestionFacts:
    """Read the page with kg's parser; a page it cannot read is never final (it is fetched
    again on every run, and `kg build` reports it)."""
    from kg.parse import parse_text
    from kg.parse.records import DocumentError

    try:
        parsed = parse_text(text.encode("utf-8"), name)
    except DocumentError as error:
        return QuestionFacts(None, False, str(error))
    records = parsed.questions
    final = any(
        record.answer is not None
        or any(event.kind in ("answer", "closed", "end-of-legislature") for event in record.chronology)
        for record in records
    )
    return QuestionFacts(records[0].date if records else None, final)
