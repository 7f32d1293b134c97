"""Typed records of what a written-question document says.

The parser produces these and knows nothing of RDF; the RDF layer consumes them and knows nothing
of the text formats. Everything a document carries has a field here, so no fact is lost between
the two layers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Language = Literal["nl", "fr"]
Rendering = Literal["web", "print", "print-bilingual"]
EventKind = Literal["sent", "reminder", "answer", "closed", "end-of-legislature", "other"]
LinkKind = Literal["sibling", "resubmitted-as", "resubmission-of"]
OfficeKind = Literal["prime-minister", "deputy-prime-minister", "minister", "state-secretary", "other"]


@dataclass(frozen=True)
class QuestionNumber:
    """`5-8913`: legislature 5, number 8913 within it."""

    legislature: int
    number: int

    def __str__(self) -> str:
        return f"{self.legislature}-{self.number}"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of question or answer text.

    `text` is repaired (encoding damage undone); `source_text` keeps what the document printed when
    the repair changed anything, and is None otherwise.
    """

    text: str
    source_text: str | None = None


@dataclass(frozen=True)
class NumberedPart:
    """A numbered sub-question or answer part: `1)`, `2.`, `3/` ... with its paragraphs."""

    label: str  # as printed: "1)", "2.", "3/"
    number: int
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Text:
    """A question or answer body: every paragraph in order, and the numbered parts found in it.

    `paragraphs` is the whole text; `parts` regroups the paragraphs that belong to numbered items,
    so no text is only in `parts`.
    """

    paragraphs: tuple[Paragraph, ...]
    parts: tuple[NumberedPart, ...] = ()


@dataclass(frozen=True)
class Office:
    """One office named in an addressee line, e.g. "staatssecretaris voor Staatshervorming,
    toegevoegd aan de eerste minister".

    `portfolio` lists the competences ("Leefmilieu", "Energie", "Mobiliteit"); `attached_to` is the
    office a state secretary is attached to ("de eerste minister"), itself an Office.
    """

    text: str  # as printed, without the leading article
    kind: OfficeKind
    portfolio: tuple[str, ...] = ()
    attached_to: Office | None = None
    language: Language = "nl"


_Date = date  # the type, for classes with a field named `date`


@dataclass(frozen=True)
class ChronologyEvent:
    date: _Date
    kind: EventKind
    label: str  # as printed, e.g. "Verzending vraag"
    deadline: _Date | None = None  # "(Einde van de antwoordtermijn: ...)"
    # The label's language when it is not the record's: the bilingual print version prints the
    # Dutch labels in its French chronology too. None: the record's language.
    label_language: Language | None = None


@dataclass(frozen=True)
class QuestionLink:
    kind: LinkKind
    target: QuestionNumber
    label: str  # as printed, e.g. "Ook gesteld aan"


@dataclass(frozen=True)
class Answer:
    date: date  # "Antwoord ontvangen op 6 september 2013"
    text: Text


@dataclass(frozen=True)
class SourceDocument:
    """Where a record came from: the file, and which of the Senate's renderings it is."""

    path: str  # as given on the command line, relative where possible
    sha256: str
    rendering: Rendering
    encoding_repaired: bool = False
    encoding: str = "utf-8"  # how the bytes were decoded: "utf-8", "utf-16" or "cp1252"
    printed: date | None = None  # the print date a print rendering carries on top


@dataclass(frozen=True)
class QuestionRecord:
    """One language version of one written question, as one document prints it.

    A bilingual print document yields two records (nl and fr) of the same number; a Dutch and a
    French web page of the same question yield one record each. The RDF layer merges them by number.
    """

    number: QuestionNumber
    language: Language  # the language of this version
    original_language: Language | None  # "(Vraag gesteld in het Nederlands)"
    author: str  # "Martine Taelman"
    party: str | None  # "Open Vld"
    date: date  # d.d. 30 april 2013
    addressee: str  # as printed after "aan" / "à" / "au": "de eerste minister", "Premier ministre"
    offices: tuple[Office, ...]
    title: str
    title_parts: tuple[str, ...]
    descriptors: tuple[str, ...]
    chronology: tuple[ChronologyEvent, ...]
    links: tuple[QuestionLink, ...]
    question: Text
    answer: Answer | None
    source: SourceDocument
    session: str | None = None  # "2012-2013", printed on print renderings
    # Its document stops early (cut off after its header, `kg.parse.stops`): the record holds what
    # the document printed before it stopped, so its lists, texts or answer may lack what the
    # Senate published.
    incomplete: bool = False


@dataclass(frozen=True)
class DocumentWarning:
    """Something a converted document lacks, at the line where it shows."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class ParsedDocument:
    source: SourceDocument
    questions: tuple[QuestionRecord, ...] = field(default_factory=tuple)
    warnings: tuple[DocumentWarning, ...] = ()


class DocumentError(Exception):
    """A document that cannot be read as a written question: says which file, which line, and
    what was expected there."""

    def __init__(
        self, path: str, line: int | None, expected: str, found: str | None = None, stops_in_header: bool = False
    ):
        self.path = path
        self.line = line
        self.expected = expected
        self.found = found
        self.stops_in_header = stops_in_header  # the document stops (is cut off) inside its header
        where = f"{path}:{line}" if line is not None else path
        message = f"{where}: expected {expected}"
        if found is not None:
            message += f", found {found!r}"
        if stops_in_header:
            message += STOPS_IN_HEADER
        super().__init__(message)


STOPS_IN_HEADER = " (the document stops inside its header)"
