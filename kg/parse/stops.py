"""Documents that stop early: cut off by whatever saved them (the Senate's print versions as some
sources keep them stop after about 2,000 characters).

The header is the document up to and including its title (number, session and date, author,
addressee, title), and it is complete only when a line follows the title (the title line itself
may be cut). A document that stops inside its header cannot be converted: it fails with a
DocumentError saying so. After a complete header, the document stops early when
- it ends, or its last line is not what the layout expects there but the start of a line it
  could print there (a line cut in the middle: "Ook gesteld aan : schri", "30/4/20", "Antwoord
  ontvangen op 17 feb", "___"), before its question text or inside a list or a pair of texts;
  any other unexpected last line ("Page 2") is an error, as in the middle;
- its last text runs to the end of the document and its last line does not end a sentence
  ("1) Maken de FOD's di"; a text closed by a rule of the print versions is complete);
- its chronology records an answer that the document does not print.
Such a document converts what it has, its records say `incomplete`, and it carries a warning
naming the line where it stops. A list item read from that line may be cut, so it is left out;
a cut paragraph stays (it is what the document printed, and the record says it is incomplete).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kg.parse.cursor import Lines
from kg.parse.phrases import LINK_KINDS
from kg.parse.records import ChronologyEvent, DocumentError, DocumentWarning, Text

# How the lines after the header start (lower case): a last line that is the start of one of
# these, or one of these and more, is a line cut in the middle.
_STARTS = tuple(
    sorted(
        {f"{label} : {noun} " for label in LINK_KINDS for noun in ("schriftelijke vraag", "question écrite")}
        | {
            "vraag nr.",
            "schriftelijke vraag nr.",
            "senaat schriftelijke vraag nr.",
            "question n°",
            "question écrite n°",
            "sénat question écrite n°",
            "antwoord ontvangen op",
            "réponse reçue le",
            "chronologie",
        }
    )
)
_DATE_START = re.compile(r"\d{1,2}(?:/(?:\d{1,2}(?:/\d{0,4})?)?)?")

SENTENCE_ENDS = (".", "?", "!", "…", ")", "]", "»", '"', "”", "'", "’")


@contextmanager
def header(cursor: Lines) -> Iterator[None]:
    """Errors raised inside the header: one where the document stops says it stops there."""
    try:
        yield
    except DocumentError as error:
        if cursor.stops_here() and not error.stops_in_header:
            raise DocumentError(error.path, error.line, error.expected, error.found, True) from None
        raise


def require_more(cursor: Lines, expected: str) -> None:
    """The title is complete only when a line follows it (a separator line will do)."""
    index = cursor.index
    cursor.skip_blank()
    at_end = cursor.at_end()
    cursor.index = index
    if at_end:
        raise cursor.error(expected)


@dataclass(frozen=True)
class Stop:
    """Where and why a document stops early."""

    line: int  # the file's line
    reason: str

    def warning(self, path: str) -> DocumentWarning:
        return DocumentWarning(path, self.line, f"the document stops early ({self.reason}); converted what it has")


def looks_cut(line: str) -> bool:
    """Is this the start of a line the document could print after its header?"""
    text = " ".join(line.split()).lower()
    return (
        not text.strip("_ ")  # a separator line cut short
        or _DATE_START.fullmatch(text) is not None
        or _DATE_START.match(text) is not None
        and "/" in text[:6]
        or any(start.startswith(text) or text.startswith(start) for start in _STARTS)
    )


def cut_header(line: str) -> bool:
    """Is this an answer header cut short ("Antwoord ontvangen op 17 feb")?"""
    text = " ".join(line.split()).lower()
    return any(text.startswith(start) for start in ("antwoord ontvangen op", "réponse reçue le"))


def stop_at(cursor: Lines, error: DocumentError) -> Stop | None:
    """The stop an error after the header shows, or None when it is a fault in the middle."""
    if cursor.failed_at <= len(cursor.lines):  # not at the end: on the last line, if cut there
        if cursor.failed_at != cursor.last or not looks_cut(cursor.lines[cursor.failed_at - 1]):
            return None
    return Stop(cursor.source_line(max(cursor.last, 1)), f"expected {error.expected}")


def ends_mid_sentence(text: Text) -> bool:
    if not text.paragraphs:
        return True
    return not text.paragraphs[-1].text.rstrip().endswith(SENTENCE_ENDS)


def cut_text(cursor: Lines, text: Text, closed: bool, what: str) -> Stop | None:
    """A stop when `text` ran to the end of the document (`closed`: a rule came after it) and
    its last line ends inside a sentence."""
    if closed or not cursor.at_end() or not ends_mid_sentence(text):
        return None
    return Stop(cursor.source_line(max(cursor.last, 1)), f"{what} ends inside a sentence")


def unprinted_answer(cursor: Lines, chronology: list[ChronologyEvent], answered: bool) -> Stop | None:
    """A stop when the chronology records an answer the document does not print."""
    if answered:
        return None
    for event in chronology:
        if event.kind == "answer":
            return Stop(
                cursor.source_line(max(cursor.last, 1)),
                f"the chronology records an answer of {event.date:%d/%m/%Y} the document does not print",
            )
    return None
