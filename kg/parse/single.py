"""The one-language renderings: the web page and the one-language print version (layouts 1 and
2 in `kg.parse.layout`). Both print the same fields in the same order; the print version adds
session and print date on top and separates its blocks with rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kg.parse.cursor import Lines
from kg.parse.fields import (Head, Repairs, answer_header, has_chronology_heading, number_of,
                             question_header, read_addressee, read_author, read_body,
                             read_descriptor_group, read_event, read_title, date_of)
from kg.parse.links import parse_link
from kg.parse.phrases import PATTERNS, PHRASES
from kg.records import Answer, Language, QuestionNumber, Text


@dataclass
class Version:
    """One language version as read, before it becomes a QuestionRecord."""

    number: QuestionNumber
    head: Head
    question_date: date
    original_language: Language | None
    question: Text
    answer: Answer | None
    session: str | None = None
    printed: date | None = None


def parse_single(cursor: Lines, language: Language, printed: bool, repairs: Repairs) -> Version:
    """Read a web page (printed=False) or a one-language print version (printed=True)."""
    patterns, phrases = PATTERNS[language], PHRASES[language]
    session = print_date = None
    if printed:
        session = cursor.expect(patterns.session, repr(phrases.session.format(session="2012-2013"))).group(1)
        match = cursor.expect(patterns.printed, f"the print date line {phrases.printed.format(date='DATE')!r}")
        print_date = date_of(match, 1, cursor, "the print date line")
        number_line = phrases.senate + " " + phrases.number.format(number="LEG-NR")
        number = number_of(cursor.expect(patterns.print_number, repr(number_line), rules=True))
    else:
        cursor.skip_blank()
        line = cursor.current()
        if line is not None and patterns.toolbar.match(line.strip()):
            cursor.advance()
        number_line = phrases.number.format(number="LEG-NR")
        number = number_of(cursor.expect(patterns.number, repr(number_line)))
    head = Head(language)
    read_head(cursor, head, repairs, printed)
    question_date, original = question_header(cursor, language, number, printed)
    question = read_body(cursor, patterns.answer, printed, "the question text", repairs)
    answer = None
    cursor.skip_blank(printed)
    if not cursor.at_end():
        answer_date = answer_header(cursor, language, printed)
        answer = Answer(answer_date, read_body(cursor, None, printed, "the answer text", repairs))
        cursor.skip_blank(printed)
        if not cursor.at_end():
            raise cursor.error("the end of the document after the answer")
    return Version(number, head, question_date, original, question, answer, session, print_date)


def read_head(cursor: Lines, head: Head, repairs: Repairs, rules: bool) -> None:
    """Author, addressee, title, descriptors, chronology and links, in this order."""
    language = head.language
    head.author = read_author(cursor, language, repairs, rules)
    head.addressee = read_addressee(cursor, language, repairs, rules)
    read_title(cursor, head, repairs, rules)
    while True:
        cursor.skip_blank(rules)
        group = read_descriptor_group(cursor, language, repairs)
        if not group:
            break
        head.descriptors.extend(group)
    if has_chronology_heading(cursor):
        cursor.advance()
    while True:
        cursor.skip_blank(rules)
        event = read_event(cursor)
        if event is None:
            break
        head.chronology.append(event)
        cursor.advance()
    while True:
        cursor.skip_blank(rules)
        line = cursor.current()
        link = parse_link(line.strip()) if line is not None else None
        if link is None:
            break
        head.links.append(link)
        cursor.advance()
