"""The one-language renderings: the web page and the one-language print version (layouts 1 and
2 in `kg.parse.layout`). Both print the same fields in the same order; the print version adds
its head, session and date on top and separates its blocks with rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kg.parse.cursor import Lines
from kg.parse.fields import (
    Head,
    Repairs,
    answer_header,
    date_of,
    has_chronology_heading,
    number_of,
    question_header,
    read_addressee,
    read_author,
    read_body,
    read_descriptor_group,
    read_event,
    read_title,
)
from kg.parse.links import parse_link
from kg.parse.phrases import PATTERNS, PHRASES
from kg.parse.records import Answer, DocumentError, Language, QuestionNumber, Text
from kg.parse.stops import Stop, cut_text, header, require_more, stop_at, unprinted_answer

AFTER_TITLE = "the descriptors, the chronology or the question after the title"


@dataclass
class Version:
    """One language version as read, before it becomes a QuestionRecord."""

    number: QuestionNumber
    head: Head
    question_date: date | None
    original_language: Language | None
    question: Text
    answer: Answer | None
    session: str | None = None
    printed: date | None = None
    stop: Stop | None = None  # where the document stops early, if it does


def parse_single(cursor: Lines, language: Language, printed: bool, repairs: Repairs) -> Version:
    """Read a web page (printed=False) or a one-language print version (printed=True)."""
    patterns, phrases = PATTERNS[language], PHRASES[language]
    session = print_date = dated = None
    head = Head(language)
    with header(cursor):
        if printed:
            cursor.optional(patterns.head)
            session = cursor.expect(
                patterns.session, repr(phrases.session.format(session="2012-2013")), rules=True
            ).group(1)
            match = cursor.optional(patterns.printed, rules=True)
            if match is not None:
                print_date = date_of(match, 1, cursor, "the print date line")
            elif (match := cursor.optional(patterns.dated, rules=True)) is not None:
                dated = date_of(match, 1, cursor, "the date line")
            number_line = phrases.senate + " " + phrases.number.format(number="LEG-NR")
            number = number_of(cursor.expect(patterns.print_number, repr(number_line), rules=True))
        else:
            cursor.skip_blank()
            line = cursor.current()
            if line is not None and patterns.toolbar.match(line.strip()):
                cursor.advance()
            number_line = phrases.number.format(number="LEG-NR")
            number = number_of(cursor.expect(patterns.number, repr(number_line)))
        head.author = read_author(cursor, language, repairs, printed, dated)
        head.addressee = read_addressee(cursor, language, repairs, printed)
        read_title(cursor, head, repairs, printed)
        require_more(cursor, AFTER_TITLE)
    version = Version(number, head, None, None, Text(()), None, session, print_date)
    try:
        _read_rest(cursor, version, printed, repairs)
    except DocumentError as error:
        version.stop = stop_at(cursor, error)
        if version.stop is None:
            raise
        head.drop_cut_item(cursor.last)
    if version.stop is None:
        version.stop = unprinted_answer(cursor, head.chronology, version.answer is not None)
    return version


def _read_rest(cursor: Lines, version: Version, printed: bool, repairs: Repairs) -> None:
    """Everything after the header, into `version` as it is read (so a stop keeps what came)."""
    head, language = version.head, version.head.language
    patterns = PATTERNS[language]
    read_lists(cursor, head, repairs, printed)
    version.question_date, version.original_language = question_header(cursor, language, version.number, printed)
    version.question = read_body(cursor, patterns.answer, printed, "the question text", repairs)
    closed = cursor.is_rule()
    cursor.skip_blank(printed)
    if cursor.at_end():
        version.stop = cut_text(cursor, version.question, closed, "the question text")
        return
    answer_date = answer_header(cursor, language, printed)
    version.answer = Answer(answer_date, Text(()))
    text = read_body(cursor, None, printed, "the answer text", repairs)
    version.answer = Answer(answer_date, text)
    closed = cursor.is_rule()
    cursor.skip_blank(printed)
    if not cursor.at_end():
        raise cursor.error("the end of the document after the answer")
    version.stop = cut_text(cursor, text, closed, "the answer text")


def read_lists(cursor: Lines, head: Head, repairs: Repairs, rules: bool) -> None:
    """Descriptors, chronology and links, in this order, each possibly empty."""
    language = head.language
    while True:
        cursor.skip_blank(rules)
        start = cursor.index
        group = read_descriptor_group(cursor, language, repairs)
        if not group:
            break
        head.descriptors.extend(group)
        head.last_item = (head.descriptors, start + len(group))
    if has_chronology_heading(cursor):
        cursor.advance()
    while True:
        cursor.skip_blank(rules)
        event = read_event(cursor)
        if event is None:
            break
        head.chronology.append(event)
        cursor.advance()
        head.last_item = (head.chronology, cursor.index)
    while True:
        cursor.skip_blank(rules)
        line = cursor.current()
        link = parse_link(line.strip()) if line is not None else None
        if link is None:
            break
        head.links.append(link)
        cursor.advance()
        head.last_item = (head.links, cursor.index)
