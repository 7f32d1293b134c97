"""The search index, written by the build beside the graph files.

`DIR/search/` holds index folders named after what they were built from (`index-{digest}`) and
`CURRENT`, the name of the one in use. A build writes a new folder under a temporary name,
renames it, then replaces `CURRENT` (a rename too): a reader sees the old index or the new one,
never part of one, and a crash leaves the old one in use. The folder before the current one is
kept until the next build, for readers that still have it open.

When few questions changed, the new folder starts as hard links to the previous one's files
(Tantivy never rewrites a segment file) and only the changed questions are deleted and added;
otherwise, or when there is no previous folder, it is written whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import tantivy

from kg.search.entries import QuestionDoc, merge
from kg.search.notes import Notes, collect, fingerprint
from kg.search.schema import (
    CURRENT,
    ENGINE_VERSION,
    FACETS,
    INDEX_DIR,
    INFO,
    LANGUAGES,
    SCHEMA_VERSION,
    SET_SEPARATOR,
    TEXT_FIELDS,
    current_folder,
    register,
    schema,
    text_field,
)

NUMBERS = "numbers.json"  # question number -> the documents (cache keys) it was built from
CHANGE_SHARE = 0.25  # more changed questions than this: written whole
HEAP = 256 * 1024 * 1024  # bytes of memory the writer buffers documents in


@dataclass
class IndexReport:
    folder: Path
    questions: int
    changed: int  # questions deleted and added; all of them when written whole
    whole: bool
    seconds: float
    active: bool = True  # False: written, waiting for activate_index


def write_index(
    out_dir: Path, cache: Path, documents: Mapping[str, str], *, progress: bool = False, activate: bool = True
) -> IndexReport:
    """Index the questions of `documents` (shown path -> the build's cache key, in the build's
    order) into `out_dir/search/`, and make it the current one unless `activate` is False (then
    `activate_index` does, once the store holds the same build). `progress` says what it does on
    stderr."""
    started = time.monotonic()
    notes = collect(cache, documents)
    sources: dict[str, list[str]] = {}  # number -> the documents giving it, in the build's order
    for shown in sorted(documents):
        key = documents[shown]
        for number in dict.fromkeys(notes.numbers(key)):
            sources.setdefault(number, []).append(key)
    numbers = {number: ",".join(keys) for number, keys in sorted(sources.items(), key=lambda item: _order(item[0]))}
    # What the entries came from: the notes' code and, in the cache's name, the build's
    # fingerprint (kg version, reference data, conversion code).
    digest = hashlib.sha256(f"{SCHEMA_VERSION}\n{ENGINE_VERSION}\n{fingerprint()}\n{cache.name}\n".encode())
    digest.update(json.dumps(numbers).encode())
    name = f"index-{digest.hexdigest()[:20]}"
    root = out_dir / INDEX_DIR
    root.mkdir(parents=True, exist_ok=True)
    target = root / name
    previous = current_folder(out_dir)
    if previous == target and (target / INFO).exists():
        return IndexReport(target, len(numbers), 0, False, time.monotonic() - started, True)
    temp = root / f".tmp-{os.getpid()}-{time.time_ns():x}"
    try:
        old = _read_numbers(previous) if previous is not None else None
        changed = [n for n, keys in numbers.items() if old is None or old.get(n) != keys]
        removed = [n for n in (old or {}) if n not in numbers]
        whole = old is None or len(changed) + len(removed) > CHANGE_SHARE * max(len(numbers), 1)
        if progress:
            what = f"{len(numbers):,} questions" if whole else f"{len(changed) + len(removed):,} changed questions"
            print(f"writing the search index: {what}", file=sys.stderr, flush=True)
        docs = _questions(notes, sources, numbers if whole else changed)
        if whole:
            _write_whole(temp, docs)
        else:
            assert previous is not None
            _write_change(temp, previous, removed + changed, docs)
        (temp / NUMBERS).write_text(json.dumps(numbers, separators=(",", ":")), encoding="utf-8")
        (temp / INFO).write_text(
            json.dumps({"questions": len(numbers), "schema": SCHEMA_VERSION, "tantivy": ENGINE_VERSION}) + "\n",
            encoding="utf-8",
        )
        _readable(temp)
        if target.exists():
            shutil.rmtree(target)
        os.rename(temp, target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    if activate:
        activate_index(out_dir, name)
    return IndexReport(
        target, len(numbers), len(changed) if not whole else len(numbers), whole, time.monotonic() - started, activate
    )


def activate_index(out_dir: Path, name: str) -> None:
    """Make the index folder `name` the one readers use (a rename of `CURRENT`), and remove the
    folders older than the one it replaces (kept for readers that still have it open)."""
    root = out_dir / INDEX_DIR
    if not (root / name / INFO).exists():
        raise FileNotFoundError(f"no finished search index {name} in {root}")
    previous = current_folder(out_dir)
    if previous is not None and previous.name == name:
        return
    pointer = root / f".{CURRENT}.{os.getpid()}.tmp"
    pointer.write_text(name + "\n", encoding="utf-8")
    os.replace(pointer, root / CURRENT)
    keep = {name, previous.name if previous is not None else ""}
    for other in root.iterdir():
        if other.name not in keep and other.name != CURRENT and other.is_dir() and not other.name.startswith(".tmp-"):
            shutil.rmtree(other, ignore_errors=True)


def _questions(notes: Notes, sources: Mapping[str, list[str]], numbers: Iterable[str]) -> Iterator[QuestionDoc]:
    """Each question from the notes of the documents that give it."""
    for number in numbers:
        entries = [entry for key in sources[number] for entry in notes.entries(key) if entry.number == number]
        if entries:  # none only from a damaged note
            yield merge(entries)


def _readable(folder: Path) -> None:
    """Every file readable by whoever may read the folder (the engine writes its list of files
    for its owner alone), and its lock files writable too: the engine locks one even to read, so
    a server running as another user can open the index in place."""
    for path in folder.iterdir():
        mode = path.stat().st_mode
        wanted = mode | (0o666 if path.name.startswith(".tantivy-") else 0o044)
        if path.is_file() and mode != wanted:
            os.chmod(path, wanted)


def _order(number: str) -> tuple[int, int]:
    legislature, _, sequence = number.partition("-")
    return int(legislature), int(sequence)


def _read_numbers(folder: Path) -> dict[str, str] | None:
    try:
        info = json.loads((folder / INFO).read_text(encoding="utf-8"))
        if info.get("schema") != SCHEMA_VERSION or info.get("tantivy") != ENGINE_VERSION:
            return None
        return json.loads((folder / NUMBERS).read_text(encoding="utf-8"))
    except (OSError, ValueError, AttributeError):
        return None


def _threads() -> int:
    """One indexing thread: the documents then take the engine's ids in the order they are
    added (by question number), so hits of equal score come in the same order after every build
    of the same documents. Several threads deal them out as they come, and measured no faster
    (the Python side is the longer part)."""
    return 1


def _write_whole(folder: Path, docs: Iterable[QuestionDoc]) -> None:
    folder.mkdir()
    index = tantivy.Index(schema(), path=str(folder), reuse=False)
    register(index)
    writer = index.writer(HEAP, _threads())
    for doc in docs:
        writer.add_document(document(doc))
    writer.commit()
    writer.wait_merging_threads()


def _write_change(folder: Path, previous: Path, gone: list[str], docs: Iterable[QuestionDoc]) -> None:
    """The previous index's files linked into `folder`, then the change applied there."""
    folder.mkdir()
    for path in previous.iterdir():
        if path.is_file() and not path.name.startswith(".tantivy-") and path.name not in (NUMBERS, INFO):
            try:
                os.link(path, folder / path.name)
            except OSError:
                shutil.copy2(path, folder / path.name)
    index = tantivy.Index(schema(), path=str(folder), reuse=True)
    register(index)
    writer = index.writer(HEAP, _threads())
    for number in gone:
        writer.delete_documents_by_term("number", number)
    for doc in docs:
        writer.add_document(document(doc))
    writer.commit()
    writer.wait_merging_threads()


def _day(iso: str) -> int:
    return int(iso.replace("-", ""))


def document(doc: QuestionDoc) -> tantivy.Document:
    """A question as an index document."""
    values: dict[str, object] = {
        "number": doc.number,
        "order": doc.legislature * 1_000_000 + doc.sequence,
        "day": _day(doc.asked),
        "legislature": doc.legislature,
        "year": doc.year,
        "status": list(doc.status),
        "asker_facet": doc.asker,
        "minister_facet": list(doc.holders),
        "government_facet": list(doc.governments),
        "asked": doc.asked,
        "asker_text": doc.asker,
    }
    if doc.answered:
        values["answered"] = doc.answered
    if doc.deadline:
        values["deadline"] = doc.deadline
    if doc.status:
        values["status_set"] = SET_SEPARATOR.join(doc.status)
    if doc.party:
        values["party_facet"] = doc.party
        values["party_text"] = doc.party
    descriptors = {language: "\n".join(items) for language, items in doc.descriptors.items() if items}
    for name, texts in zip(TEXT_FIELDS, (doc.titles, doc.questions, doc.answers, descriptors), strict=True):
        for language, text in texts.items():
            values[text_field(name, language)] = text
    for facet, source in (("descriptor", doc.descriptors), ("office", doc.offices), ("agency", doc.agencies)):
        field = FACETS[facet][0]
        for language in LANGUAGES:
            if source.get(language):
                values[f"{field}_{language}"] = list(source[language])
        every = [value for language in LANGUAGES for value in source.get(language, ())]
        if facet == "office":
            every += [*doc.holders, *doc.governments]
        if every and facet != "descriptor":
            values[text_field(facet, None)] = " \n ".join(every)
    return tantivy.Document(**values)
