"""The bilingual print version (layout 3 in `kg.parse.layout`): each head field in French, then in
Dutch; the lists one language after the other (`kg.parse.languages` splits them); then both
question texts and both answer texts. Each pair must agree on what both languages print alike
(number, session, dates, chronology, link targets)."""

from __future__ import annotations

import re

from kg.parse.cursor import Lines
from kg.parse.fields import (
    Head,
    Repairs,
    answer_header,
    date_of,
    has_chronology_heading,
    is_structure,
    number_of,
    question_header,
    read_addressee,
    read_author,
    read_body,
    read_descriptor_group,
    read_event,
)
from kg.parse.languages import split_descriptors, split_repeated, split_title
from kg.parse.links import parse_link
from kg.parse.phrases import (
    BILINGUAL_DATED,
    BILINGUAL_HEAD,
    BILINGUAL_NUMBER,
    BILINGUAL_PRINTED,
    BILINGUAL_SESSION,
    EVENT_LABEL_LANGUAGE,
)
from kg.parse.records import Answer, ChronologyEvent, DocumentError, Language, QuestionLink, Text
from kg.parse.single import AFTER_TITLE, Version
from kg.parse.stops import Stop, cut_text, header, require_more, stop_at, unprinted_answer

_HEAD = re.compile(re.escape(BILINGUAL_HEAD) + r"\s*$", re.IGNORECASE)


def parse_bilingual(cursor: Lines, repairs: Repairs) -> tuple[Version, Version]:
    """The French and the Dutch version of a bilingual print document."""
    fr, nl = Head("fr"), Head("nl")
    with header(cursor):
        cursor.expect(_HEAD, repr(BILINGUAL_HEAD))
        sessions = cursor.expect(BILINGUAL_SESSION, "'Session 2012-2013 Zitting 2012-2013'", rules=True)
        print_fr = print_nl = dated = None
        if (printed := cursor.optional(BILINGUAL_PRINTED, rules=True)) is not None:
            print_fr = date_of(printed, 1, cursor, "the print date line")
            print_nl = date_of(printed, 4, cursor, "the print date line")
        elif (dates := cursor.optional(BILINGUAL_DATED, rules=True)) is not None:
            dated = date_of(dates, 1, cursor, "the date line")
            print_fr = print_nl = date_of(dates, 4, cursor, "the date line")  # compared below
        numbers = cursor.expect(
            BILINGUAL_NUMBER, "'Question écrite n° LEG-NR Schriftelijke vraag nr. LEG-NR'", rules=True
        )
        number = number_of(numbers)
        if (
            number_of(numbers, 3) != number
            or sessions.group(1) != sessions.group(2)
            or print_fr != print_nl
            or (dated is not None and dated != print_nl)
        ):
            raise cursor.error("the same number, session and date in French and Dutch", cursor.index)
        if dated is not None:
            print_fr = print_nl = None  # the question's date, not a print date
        fr.author = read_author(cursor, "fr", repairs, True, dated)
        nl.author = read_author(cursor, "nl", repairs, True, dated)
        fr.addressee = read_addressee(cursor, "fr", repairs, True)
        nl.addressee = read_addressee(cursor, "nl", repairs, True)
        _titles(cursor, fr, nl, repairs)
        require_more(cursor, AFTER_TITLE)
    session = sessions.group(1)
    versions = (
        Version(number, fr, None, None, Text(()), None, session, print_fr),
        Version(number, nl, None, None, Text(()), None, session, print_nl),
    )
    stop: Stop | None = None
    try:
        _read_rest(cursor, versions, repairs)
    except DocumentError as error:
        stop = stop_at(cursor, error)
        if stop is None:
            raise
    stop = stop or versions[0].stop or versions[1].stop
    if stop is None:
        stop = unprinted_answer(cursor, fr.chronology, versions[0].answer is not None) or unprinted_answer(
            cursor, nl.chronology, versions[1].answer is not None
        )
    for version in versions:
        version.stop = stop
    return versions


def _titles(cursor: Lines, fr: Head, nl: Head, repairs: Repairs) -> None:
    """Both titles on one line; or (the older layout) the French line, then the Dutch line."""
    cursor.skip_blank(True)
    line = cursor.current()
    if line is None or is_structure(line, "fr"):
        raise cursor.error("the French and the Dutch title")
    cursor.advance()
    following = cursor.current()
    if following is not None and following.strip("_ \t") and not cursor.is_rule() and not is_structure(following, "nl"):
        fr.title, nl.title = repairs(line.strip()), repairs(following.strip())
        cursor.advance()
        return
    split = split_title(repairs(line.strip()))
    if split is None:
        raise cursor.error("the French and the Dutch title on one line", cursor.index)
    fr.title, nl.title = split


def _read_rest(cursor: Lines, versions: tuple[Version, Version], repairs: Repairs) -> None:
    fr, nl = versions[0].head, versions[1].head
    _descriptors(cursor, fr, nl, repairs)
    _chronology(cursor, fr, nl)
    _links(cursor, fr, nl)
    number = versions[0].number
    for version in versions:
        language = version.head.language
        what = "the French question text" if language == "fr" else "the Dutch question text"
        version.question_date, version.original_language = question_header(cursor, language, number, True)
        version.question = read_body(cursor, None, True, what, repairs)
        closed = cursor.is_rule()
        cursor.skip_blank(True)
        if cursor.at_end() and language == "nl":
            versions[1].stop = cut_text(cursor, version.question, closed, what)
            return
    for version in versions:
        language = version.head.language
        what = "the French answer text" if language == "fr" else "the Dutch answer text"
        answer_date = answer_header(cursor, language, True)
        version.answer = Answer(answer_date, Text(()))
        text = read_body(cursor, None, True, what, repairs)
        version.answer = Answer(answer_date, text)
        closed = cursor.is_rule()
        cursor.skip_blank(True)
        if language == "nl":
            if not cursor.at_end():
                raise cursor.error("the end of the document after the Dutch answer")
            version.stop = cut_text(cursor, text, closed, what)


def _cut(cursor: Lines) -> bool:
    """Did a list end where the document stops (so its second block may be incomplete)?"""
    return cursor.index >= cursor.last - 1


def _descriptors(cursor: Lines, fr: Head, nl: Head, repairs: Repairs) -> None:
    found: list[str] = []
    last_line = 0
    while True:
        cursor.skip_blank(True)
        start = cursor.index
        group = read_descriptor_group(cursor, "fr", repairs)
        if not group:
            break
        found.extend(group)
        last_line = start + len(group)
    cut = _cut(cursor)
    if cut and last_line == cursor.last and found:
        found.pop()  # read from the line where the document stops: it may be cut
    split = split_descriptors(found, cut)
    if split is None:
        raise cursor.error("the French descriptors, then the Dutch ones")
    fr.descriptors, nl.descriptors = split


def _event_key(event: ChronologyEvent) -> object:
    return event.date, event.kind


def _labelled(event: ChronologyEvent, language: Language) -> ChronologyEvent:
    """The event with its label's language noted when it is the other language's label."""
    printed_in = EVENT_LABEL_LANGUAGE.get(event.label.lower())
    if printed_in is None or printed_in == language:
        return event
    return ChronologyEvent(event.date, event.kind, event.label, event.deadline, printed_in)


def _chronology(cursor: Lines, fr: Head, nl: Head) -> None:
    cursor.skip_blank(True)
    if has_chronology_heading(cursor):
        cursor.advance()
    events: list[ChronologyEvent] = []
    lines: list[int] = []
    while True:
        cursor.skip_blank(True)
        event = read_event(cursor)
        if event is None:
            break
        events.append(event)
        cursor.advance()
        lines.append(cursor.index)
    cut = _cut(cursor)
    if cut and lines and lines[-1] == cursor.last:
        events.pop()
    split = split_repeated(events, _event_key, cut)
    if isinstance(split, int):
        raise cursor.error("the chronology once in French and once in Dutch, with the same events", lines[split])
    fr.chronology = [_labelled(event, "fr") for event in split[0]]
    nl.chronology = [_labelled(event, "nl") for event in split[1]]


def _link_key(link: QuestionLink) -> object:
    return link.kind, link.target


def _links(cursor: Lines, fr: Head, nl: Head) -> None:
    links: list[QuestionLink] = []
    lines: list[int] = []
    while True:
        cursor.skip_blank(True)
        line = cursor.current()
        link = parse_link(line.strip()) if line is not None else None
        if link is None:
            break
        links.append(link)
        cursor.advance()
        lines.append(cursor.index)
    cut = _cut(cursor)
    if cut and lines and lines[-1] == cursor.last:
        links.pop()
    split = split_repeated(links, _link_key, cut)
    if isinstance(split, int):
        raise cursor.error("the links once in French and once in Dutch, to the same questions", lines[split])
    fr.links, nl.links = split
