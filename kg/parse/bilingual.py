"""The bilingual print version (layout 3 in `kg.parse.layout`): French line, then Dutch line,
for every head field; then both question texts and both answer texts. Each pair must agree on
what both languages print alike (number, dates, link targets)."""

from __future__ import annotations

import re

from kg.parse.cursor import Lines
from kg.parse.fields import (Head, Repairs, answer_header, has_chronology_heading, number_of,
                             question_header, read_addressee, read_author, read_body,
                             read_descriptor_group, read_event, read_title, date_of)
from kg.parse.links import parse_link
from kg.parse.phrases import (BILINGUAL_HEAD, BILINGUAL_NUMBER, BILINGUAL_PRINTED,
                              BILINGUAL_SESSION)
from kg.parse.single import Version
from kg.records import Answer

_HEAD = re.compile(re.escape(BILINGUAL_HEAD) + r"\s*$", re.IGNORECASE)


def parse_bilingual(cursor: Lines, repairs: Repairs) -> tuple[Version, Version]:
    """The French and the Dutch version of a bilingual print document."""
    cursor.expect(_HEAD, repr(BILINGUAL_HEAD))
    sessions = cursor.expect(BILINGUAL_SESSION, "'Session 2012-2013 Zitting 2012-2013'")
    printed = cursor.expect(BILINGUAL_PRINTED, "the print date line 'Imprimé le DATE Afgedrukt op DATE'")
    print_fr = date_of(printed, 1, cursor, "the print date line")
    print_nl = date_of(printed, 4, cursor, "the print date line")
    numbers = cursor.expect(BILINGUAL_NUMBER, "'Question écrite n° LEG-NR Schriftelijke vraag nr. LEG-NR'",
                            rules=True)
    number = number_of(numbers)
    if number_of(numbers, 3) != number or sessions.group(1) != sessions.group(2) or print_fr != print_nl:
        raise cursor.error("the same number, session and print date in French and Dutch", cursor.index)
    fr, nl = Head("fr"), Head("nl")
    fr.author = read_author(cursor, "fr", repairs, True)
    nl.author = read_author(cursor, "nl", repairs, True)
    fr.addressee = read_addressee(cursor, "fr", repairs, True)
    nl.addressee = read_addressee(cursor, "nl", repairs, True)
    read_title(cursor, fr, repairs, True)
    read_title(cursor, nl, repairs, True)
    _descriptors(cursor, fr, nl, repairs)
    _chronology(cursor, fr, nl)
    _links(cursor, fr, nl)
    fr_date, fr_original = question_header(cursor, "fr", number, True)
    fr_question = read_body(cursor, None, True, "the French question text", repairs)
    nl_date, nl_original = question_header(cursor, "nl", number, True)
    nl_question = read_body(cursor, None, True, "the Dutch question text", repairs)
    fr_answer = nl_answer = None
    cursor.skip_blank(True)
    if not cursor.at_end():
        fr_answer_date = answer_header(cursor, "fr", True)
        fr_answer = Answer(fr_answer_date, read_body(cursor, None, True, "the French answer text", repairs))
        nl_answer_date = answer_header(cursor, "nl", True)
        nl_answer = Answer(nl_answer_date, read_body(cursor, None, True, "the Dutch answer text", repairs))
        cursor.skip_blank(True)
        if not cursor.at_end():
            raise cursor.error("the end of the document after the Dutch answer")
    session = sessions.group(1)
    return (Version(number, fr, fr_date, fr_original, fr_question, fr_answer, session, print_fr),
            Version(number, nl, nl_date, nl_original, nl_question, nl_answer, session, print_nl))


def _descriptors(cursor: Lines, fr: Head, nl: Head, repairs: Repairs) -> None:
    cursor.skip_blank(True)
    fr.descriptors = read_descriptor_group(cursor, "fr", repairs)
    if not fr.descriptors:
        return
    cursor.skip_blank(False)
    nl.descriptors = read_descriptor_group(cursor, "nl", repairs)
    if not nl.descriptors:
        raise cursor.error("the Dutch descriptors, after the French ones and a blank line")


def _chronology(cursor: Lines, fr: Head, nl: Head) -> None:
    cursor.skip_blank(True)
    if has_chronology_heading(cursor):
        cursor.advance()
    while True:
        cursor.skip_blank(True)
        event = read_event(cursor)
        if event is None:
            return
        cursor.advance()
        cursor.skip_blank(False)
        dutch = read_event(cursor)
        if dutch is None or dutch.date != event.date:
            raise cursor.error(f"the Dutch line of the chronology event of {event.date:%d/%m/%Y}")
        cursor.advance()
        fr.chronology.append(event)
        nl.chronology.append(dutch)


def _links(cursor: Lines, fr: Head, nl: Head) -> None:
    while True:
        cursor.skip_blank(True)
        line = cursor.current()
        link = parse_link(line.strip()) if line is not None else None
        if link is None:
            return
        cursor.advance()
        cursor.skip_blank(False)
        line = cursor.current()
        dutch = parse_link(line.strip()) if line is not None else None
        if dutch is None or dutch.target != link.target or dutch.kind != link.kind:
            raise cursor.error(f"the Dutch line of the link to {link.target}")
        cursor.advance()
        fr.links.append(link)
        nl.links.append(dutch)
