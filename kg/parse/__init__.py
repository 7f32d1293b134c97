"""Written-question documents -> `kg.parse.records`. Knows nothing of RDF.

`parse_document(path)` and `parse_text(data, path)` read any of the Senate's three renderings
(`kg.parse.layout`), in Dutch or French, as text or as the web page saved from a browser as HTML
(`kg.parse.html`), and return a ParsedDocument with one QuestionRecord per language version.
Anything that is not a readable written question raises `DocumentError` naming the file, the
1-based line and what was expected there; no other exception escapes. A document that stops
early after a complete header converts with a warning (`kg.parse.stops`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kg.parse.bilingual import parse_bilingual
from kg.parse.cursor import Lines
from kg.parse.decoding import decode
from kg.parse.fields import Repairs
from kg.parse.html import is_html, read_html
from kg.parse.phrases import BILINGUAL_HEAD, PATTERNS
from kg.parse.records import DocumentError, Language, ParsedDocument, QuestionRecord, Rendering, SourceDocument
from kg.parse.repair import has_candidates
from kg.parse.single import Version, parse_single

__all__ = ["DocumentError", "parse_document", "parse_text"]

_EXPECTED_START = (
    "a written question: 'Schriftelijke vraag nr. LEG-NR', 'Question écrite n° LEG-NR' or the head of a print version"
)


def parse_document(path: Path, display_path: str | None = None) -> ParsedDocument:
    """Parse one document file; `display_path` is how errors and records name it."""
    name = display_path if display_path is not None else str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise DocumentError(name, None, "a readable file", error.strerror or str(error)) from None
    return parse_text(data, name)


def parse_text(data: bytes | str, path: str) -> ParsedDocument:
    """Parse a document's content (bytes as read from disk, or text)."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    sha256 = hashlib.sha256(raw).hexdigest()
    source_lines = None
    if is_html(data, path):
        text, encoding, source_lines = read_html(raw, path)
    else:
        text, encoding = decode(data, path)
    cursor = Lines(text, path, source_lines)
    if source_lines is not None:  # a saved page: its menus and banners come before the document
        start = next((index for index, line in enumerate(cursor.lines) if _starts(line.strip())), 0)
        cursor.index = start
    repairs = Repairs(possible=has_candidates(text))
    try:
        rendering, versions = _parse(cursor, repairs)
    except RecursionError:  # pragma: no cover - no recursion is expected; never let one escape
        raise DocumentError(path, None, "a document of reasonable structure", "too deep") from None
    source = SourceDocument(path, sha256, rendering, repairs.done, encoding, versions[0].printed)
    records = tuple(_record(version, source) for version in versions)
    stops = {version.stop for version in versions if version.stop is not None}
    return ParsedDocument(source, records, tuple(stop.warning(path) for stop in sorted(stops, key=str)))


def _starts(line: str) -> bool:
    """Does a document start with this line?"""
    return line.upper() == BILINGUAL_HEAD or any(
        patterns.toolbar.match(line)
        or patterns.number.match(line)
        or patterns.head.match(line)
        or patterns.session.match(line)
        for patterns in PATTERNS.values()
    )


def _parse(cursor: Lines, repairs: Repairs) -> tuple[Rendering, tuple[Version, ...]]:
    cursor.skip_blank()
    first = (cursor.current() or "").strip()
    if first.upper() == BILINGUAL_HEAD:
        return "print-bilingual", parse_bilingual(cursor, repairs)
    language: Language
    for language in ("nl", "fr"):
        patterns = PATTERNS[language]
        if patterns.toolbar.match(first) or patterns.number.match(first):
            return "web", (parse_single(cursor, language, False, repairs),)
        if patterns.head.match(first) or patterns.session.match(first):
            return "print", (parse_single(cursor, language, True, repairs),)
    raise cursor.error(_EXPECTED_START)


def _record(version: Version, source: SourceDocument) -> QuestionRecord:
    head = version.head
    assert head.author is not None and head.addressee is not None
    return QuestionRecord(
        number=version.number,
        language=head.language,
        original_language=version.original_language,
        author=head.author.name,
        party=head.author.party,
        date=head.author.date,
        addressee=head.addressee.text,
        offices=head.addressee.offices,
        title=head.title,
        title_parts=tuple(part.strip() for part in head.title.split(" - ") if part.strip()),
        descriptors=tuple(head.descriptors),
        chronology=tuple(head.chronology),
        links=tuple(head.links),
        question=version.question,
        answer=version.answer,
        source=source,
        session=version.session,
        incomplete=version.stop is not None,
    )
