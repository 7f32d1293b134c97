"""What the build's workers note for the index, and how the writer reads it back.

A worker notes each document it converts in one line of a log of its own process in the build's
cache (a batch's lines appended at once): the document's cache key (the sha256 of its path and
content, as the build keys it) and the entries of its records. The writer keeps the lines of the
documents the build holds in one compacted file, so an incremental build that converts one
document rebuilds the index from the others' notes without parsing them again. A document without a note (a cache written before, or a
note lost) is parsed here: slower, never wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.parse.records import QuestionRecord
from kg.search.entries import Entry, record_entry

COMPACTED = "entries.jsonl"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """The entries depend on this code too (the build's cache fingerprint covers the rest)."""
    digest = hashlib.sha256()
    for name in ("entries.py", "notes.py", "schema.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:12]


def notes_dir(cache: Path) -> Path:
    return cache / f"search-{fingerprint()}"


def document_key(shown: str, data: bytes) -> str:
    """The build's cache key of a document: its path as shown and its content."""
    return hashlib.sha256(shown.encode("utf-8") + b"\0" + data).hexdigest()


def agencies_named(record: QuestionRecord) -> list[str]:
    """The agencies the extraction finds in a record (the build's mapping has just asked for the
    same record's, which the extraction keeps), named in the record's language."""
    from kg.extract import extract
    from kg.extract.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    names = []
    for mention in extract(record).agencies:
        agency = gazetteer[mention.agency]
        names.append(agency.names.get(record.language) or next(iter(agency.names.values()), mention.agency))
    return names


# json.dumps with arguments makes an encoder at every call: this one is made once.
_NOTE_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def entries_line(key: str, records: Iterable[QuestionRecord], governments: Any) -> bytes:
    """A converted document's note, by the build's cache key of the document (made in the
    build's workers, which append a batch's notes at once with `append_notes`)."""
    entries = [record_entry(record, governments, agencies_named).to_json() for record in records]
    return (_NOTE_JSON([key, entries]) + "\n").encode("utf-8")


def append_notes(cache: Path, lines: list[bytes]) -> None:
    """Append whole notes to the log of this process: one write for a batch of documents, made
    before the batch's cache entries are, so a crash loses no more than they. A note cut short
    is not read (`_sound`); a failure to write only means the writer parses the documents
    again."""
    if not lines:
        return
    folder = notes_dir(cache)
    log = folder / f"log-{os.getpid()}.jsonl"
    data = b"".join(lines)
    try:
        try:
            fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except FileNotFoundError:  # the first note of this cache
            folder.mkdir(exist_ok=True)
            fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            view = memoryview(data)
            while view:  # a regular file takes it in one write; go on should it not
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError:
        pass


# Where each entry of a note starts, and its number: `["<key>",[["5-8913","nl",...],["5-8913","fr",...]]]`.
# A `"` inside a JSON string is escaped, so `[["` and `],["` only occur between entries.
_ENTRY_START = re.compile(rb'(?:\[\[|\],\[)"(\d+-\d+)","(?:nl|fr)"')
_ENTRY_REST = re.compile(rb'"(\d+-\d+)","(?:nl|fr)"')  # what follows its opening


class Notes:
    """The notes of a build's documents, by cache key, read as far as asked: which questions a
    document gives is found without decoding its note, so an incremental build decodes only the
    notes of the questions it changes."""

    def __init__(self, lines: dict[str, bytes]):
        self.lines = lines

    def numbers(self, key: str) -> list[str]:
        """The question numbers of a document's entries, in order (one per language version):
        where `_ENTRY_START` matches, found by looking for its two openings with `bytes.find`
        (a scan in C at memory speed) and trying the rest of it only there, not by the pattern
        tried at every position of the entries' texts."""
        line = self.lines.get(key)
        if line is None:
            return []
        found = []
        for opening in (b'[["', b'],["'):
            at = line.find(opening)
            while at >= 0:
                match = _ENTRY_REST.match(line, at + len(opening) - 1)
                if match is not None:
                    found.append((at, match.group(1).decode("ascii")))
                at = line.find(opening, at + 1)
        return [number for _, number in sorted(found)]

    def entries(self, key: str) -> list[Entry]:
        line = self.lines.get(key)
        try:
            return [Entry.from_json(values) for values in json.loads(line)[1]] if line is not None else []
        except (ValueError, TypeError):
            return []  # damaged in a way `_sound` did not see: the question is left out, not the build


def _sound(line: bytes) -> bool:
    """A whole note: one header (a crash then a later append to the same log could join two)."""
    return line.endswith((b"]]]\n", b",[]]\n")) and line.count(b'",[[') + line.count(b'",[]]') == 1


def collect(cache: Path, documents: Mapping[str, str]) -> Notes:
    """The notes of `documents` (shown path -> cache key); the notes are compacted to those
    documents. Documents without a sound note are parsed from their path."""
    folder = notes_dir(cache)
    folder.mkdir(parents=True, exist_ok=True)
    wanted = set(documents.values())
    lines: dict[str, bytes] = {}
    logs = sorted(folder.glob("log-*.jsonl"))
    for path in [folder / COMPACTED, *logs]:
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            continue
        for line in content.splitlines(keepends=True):
            key = line[2:66].decode("ascii", "replace")
            if key in wanted and _sound(line):
                lines[key] = line
    missing = {shown: key for shown, key in documents.items() if key not in lines}
    if missing:
        lines.update(_parse(missing))
    if missing or logs or not (folder / COMPACTED).exists():
        temp = folder / f".{COMPACTED}.{os.getpid()}.tmp"
        temp.write_bytes(b"".join(lines[key] for key in sorted(lines)))
        os.replace(temp, folder / COMPACTED)
        for log in logs:
            log.unlink(missing_ok=True)
    for other in cache.glob("search-*"):
        if other != folder and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
    return Notes(lines)


def _parse(documents: Mapping[str, str]) -> dict[str, bytes]:
    """Lines for documents that have no note: read and parsed here, by the build's parser."""
    from kg.parse import parse_text
    from kg.parse.records import DocumentError
    from kg.reference.governments import load_governments

    governments = load_governments()
    found: dict[str, bytes] = {}
    for shown, key in documents.items():
        try:
            data = Path(shown).read_bytes()
        except OSError:
            continue
        if document_key(shown, data) != key:
            continue  # changed since the build read it: the next build notes it
        try:
            records = parse_text(data, shown).questions
        except (DocumentError, UnicodeError, ValueError):
            continue
        found[key] = entries_line(key, records, governments)
    return found
