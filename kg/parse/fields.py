"""Reading the head fields shared by every rendering: number, author, addressee, title,
descriptors, chronology, links and the question and answer headers. Each reader takes the
cursor where the field should start and raises DocumentError naming that line otherwise."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kg.parse.chronology import BadEvent, parse_event
from kg.parse.cursor import Lines
from kg.parse.dates import written_date
from kg.parse.links import parse_link
from kg.parse.offices import parse_offices
from kg.parse.phrases import ORIGINAL_LANGUAGE, PATTERNS, PHRASES, RULE_RE
from kg.parse.records import ChronologyEvent, Language, Office, QuestionLink, QuestionNumber, Text
from kg.parse.repair import repair
from kg.parse.stops import cut_header
from kg.parse.text import Paragraphs

CHRONOLOGY_HEADINGS = frozenset({"chronologie", "chronologie chronologie"})


@dataclass
class Repairs:
    """Whether any text of the document needed its encoding repaired."""

    done: bool = False
    possible: bool = True  # False when the whole document holds no damaged-looking character

    def __call__(self, text: str) -> str:
        if not self.possible:
            return text
        fixed = repair(text)
        if fixed is not text:
            self.done = True
            fixed = fixed.strip()
        return fixed


@dataclass
class Author:
    name: str
    party: str | None
    date: date


@dataclass
class Addressee:
    text: str
    offices: tuple[Office, ...]


@dataclass
class Head:
    """What one language version's head says, collected field by field."""

    language: Language
    author: Author | None = None
    addressee: Addressee | None = None
    title: str = ""
    descriptors: list[str] = field(default_factory=list)
    chronology: list[ChronologyEvent] = field(default_factory=list)
    links: list[QuestionLink] = field(default_factory=list)
    last_item: tuple[list[Any], int] | None = None  # the list last added to, and the item's line

    def drop_cut_item(self, last_line: int) -> None:
        """Leave out the list item read from the line where the document stops: it may be cut."""
        if self.last_item is not None and self.last_item[1] == last_line and self.last_item[0]:
            self.last_item[0].pop()
            self.last_item = None


def number_of(match: re.Match[str], first: int = 1) -> QuestionNumber:
    return QuestionNumber(int(match.group(first)), int(match.group(first + 1)))


def date_of(match: re.Match[str], first: int, cursor: Lines, what: str) -> date:
    """The written date in three groups of a match on the line just read."""
    value = written_date(match.group(first), match.group(first + 1), match.group(first + 2))
    if value is None:
        raise cursor.error(f"a real date in {what}", cursor.index)
    return value


def read_author(cursor: Lines, language: Language, repairs: Repairs, rules: bool, dated: date | None = None) -> Author:
    """The author line. In the print renderings it starts with "de" or "van" in either language
    and carries no date when the date stands alone under the session (`dated`)."""
    if not rules:
        example = PHRASES[language].author.format(author="AUTHOR", party="PARTY", date="DATE")
        match = cursor.expect(PATTERNS[language].author, f"the author line {example!r}", rules)
        when = date_of(match, 3, cursor, "the author line")
    else:
        example = PHRASES[language].print_author.format(author="AUTHOR", party="PARTY")
        match = cursor.expect(PATTERNS[language].print_author, f"the author line {example!r}", rules)
        found = date_of(match, 3, cursor, "the author line") if match.group(3) else dated
        if found is None:
            raise cursor.error("the question's date: alone under the session, or on the author line", cursor.index)
        when = found
    party = match.group(2)
    return Author(repairs(match.group(1).strip()), repairs(party.strip()) if party else None, when)


def read_addressee(cursor: Lines, language: Language, repairs: Repairs, rules: bool) -> Addressee:
    word = "aan" if language == "nl" else "à"
    match = cursor.expect(PATTERNS[language].addressee, f"the addressee line '{word} ...'", rules)
    text = repairs(match.group(2))
    return Addressee(text, parse_offices(text, language))


def is_structure(line: str, language: Language) -> bool:
    """Does this line start the chronology, the links or the question (so descriptors end)?"""
    stripped = line.strip()
    return (
        stripped.lower() in CHRONOLOGY_HEADINGS
        or event_at(line) is not None
        or parse_link(stripped) is not None
        or PATTERNS[language].question.match(stripped) is not None
    )


def event_at(line: str) -> ChronologyEvent | None:
    try:
        return parse_event(line.strip())
    except BadEvent:
        return None


def read_title(cursor: Lines, head: Head, repairs: Repairs, rules: bool) -> None:
    cursor.skip_blank(rules)
    line = cursor.current()
    if line is None or is_structure(line, head.language):
        raise cursor.error("the title")
    head.title = repairs(line.strip())
    cursor.advance()


def read_descriptor_group(cursor: Lines, language: Language, repairs: Repairs) -> list[str]:
    """Consecutive descriptor lines, up to a blank line, a rule or a structural line."""
    found: list[str] = []
    while True:
        line = cursor.current()
        if line is None or not line.strip() or cursor.is_rule() or is_structure(line, language):
            return found
        found.append(repairs(line.strip()))
        cursor.advance()


def read_event(cursor: Lines) -> ChronologyEvent | None:
    """The event on the current line, or None; a line with an impossible date is an error."""
    line = cursor.current()
    if line is None:
        return None
    try:
        return parse_event(line.strip())
    except BadEvent as error:
        raise cursor.error(str(error)) from None


def has_chronology_heading(cursor: Lines) -> bool:
    line = cursor.current()
    return line is not None and line.strip().lower() in CHRONOLOGY_HEADINGS


def question_header(
    cursor: Lines, language: Language, number: QuestionNumber, rules: bool
) -> tuple[date, Language | None]:
    """Read "Vraag nr. 5-8913 d.d. 30 april 2013 : (Vraag gesteld in het Nederlands)" (web) or
    "SENAAT Schriftelijke vraag nr. 5-8902 d.d. 30 april 2013 : (...)" (print)."""
    phrases = PHRASES[language]
    example = (phrases.print_question if rules else phrases.question).format(number=number, date="DATE")
    match = cursor.expect(PATTERNS[language].question, f"the question header {example!r}", rules)
    if number_of(match) != number:
        raise cursor.error(f"the question header of {number}", cursor.index)
    when = date_of(match, 3, cursor, "the question header")
    word = match.group(6)
    original = ORIGINAL_LANGUAGE.get(word.lower()) if word else None
    return when, original


def answer_header(cursor: Lines, language: Language, rules: bool) -> date:
    example = PHRASES[language].answer.format(date="DATE")
    match = cursor.expect(PATTERNS[language].answer, f"the answer header {example!r}", rules)
    return date_of(match, 1, cursor, "the answer header")


def read_body(cursor: Lines, stop: re.Pattern[str] | None, rules: bool, what: str, repairs: Repairs) -> Text:
    """Paragraphs up to a line matching `stop`, a rule (print renderings) or the end."""
    collector = Paragraphs(repairs.possible)
    lines, index = cursor.lines, cursor.index
    last = cursor.last - 1
    while index < len(lines):
        line = lines[index]
        if line and (
            (rules and line[0] == "_" and (RULE_RE.match(line) or index == last and not line.strip("_ \t")))
            or (stop is not None and (stop.match(line) or index == last and cut_header(line)))
        ):
            break  # a rule or the stop line, or where the document stops, either of them cut short
        collector.add_line(line)
        index += 1
    cursor.index = index
    text = collector.finish()
    if not text.paragraphs:
        raise cursor.error(what)
    if collector.repaired:
        repairs.done = True
    return text
