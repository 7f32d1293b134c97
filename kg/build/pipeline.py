"""Documents -> the published graph files.

Each document is parsed and mapped to triples on its own (in a process pool for large builds);
a document that cannot be read is reported and skipped, the rest still converts. Each batch of
documents leaves a sorted run of N-Triples lines (in memory when there is room, else on disk:
`scratch_root`); the writers merge the runs block by block, count (how many documents give each
line) and write them as the graph files in pieces (`kg.build.pieces`), which
makes every output deterministic: `graph.nt.gz` is the sorted lines, `graph.ttl` the same
triples in that order with prefixes. Nothing goes through an rdflib Graph on this path and no
process holds the whole graph in memory: it is built for 100,000 documents.
Every file is written to a temporary name and renamed, so readers never see half a file.

Each document's sorted lines are also kept in `.cache/` of the output folder (under a
fingerprint of the kg version, base URI, reference data and conversion code), in one pack file
per batch, with an index of the documents by path, so the next build converts only new and
changed documents and applies their change to the pieces of the graph files it falls in.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from isal import isal_zlib

from kg import __version__
from kg.build.coverage import LegislatureCoverage
from kg.build.lines import block_lines, document_block, merge_blocks
from kg.build.pieces import CACHE, CHANGE, Paths, PieceIndex, StalePieces, apply_change, file_stats, write_runs
from kg.build.tally import Tally, load_tally, spans, tally_bytes
from kg.machine import memory_available
from kg.parse.records import STOPS_IN_HEADER
from kg.rdf.answer_times import Timing, timing_of
from kg.rdf.social import social_lines as extract_social_lines  # imported here: a broken install fails at start
from kg.search.notes import append_notes, document_key
from kg.search.notes import entries_line as search_note
from kg.search.writer import IndexReport, activate_index, write_index
from kg.stores.patch import write_change
from kg.stores.prepared import blocks_path, write_blocks
from kg.uris import DEFAULT_BASE, UriMinter

TEXT_SUFFIXES = {".txt", ".text", ".htm", ".html"}  # text documents, and web pages saved as HTML
POOL_THRESHOLD = 200  # fewer documents convert faster in-process than a pool starts
# Documents from which a full merge writes the search index in a process of its own while the
# graph files are written (it needs only the workers' notes); fewer: after them, in this process.
INDEX_BESIDE_THRESHOLD = 2000


@dataclass
class BuildReport:
    converted: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    incomplete: list[tuple[str, str]] = field(default_factory=list)  # converted, stopping early: (path, warning)
    questions: int = 0
    triples: int = 0
    reused: int = 0  # documents whose triples came from the cache (unchanged since the last build)
    pieces: tuple[int, int] = (0, 0)  # pieces of the graph files written anew, and in all
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds: convert, write
    out_dir: Path | None = None
    change_file: Path | None = None  # the lines removed and added, for the store to apply (incremental builds)
    unresolved: Counter[str] = field(default_factory=Counter)  # office wording -> questions
    unreconciled: Counter[str] = field(default_factory=Counter)  # printed name -> questions
    unpaired: Counter[str] = field(default_factory=Counter)  # French descriptor no document pairs -> questions
    reference_date: date | None = None  # "now" for the answer-time statistics
    coverage: list[LegislatureCoverage] = field(default_factory=list)  # per legislature, in order
    pending_index: str | None = None  # the search index folder to activate after the store load

    def unresolved_lines(self) -> list[str]:
        """Each office wording no holder was found for, with how many questions name it; most
        frequent first, then by wording, so the list reads the same from build to build."""
        return [
            f"  unresolved office ({count}): {wording}"
            for wording, count in sorted(self.unresolved.items(), key=lambda item: (-item[1], item[0]))
        ]

    def unreconciled_lines(self) -> list[str]:
        """Each printed name the reference data of people does not know, as `unresolved_lines`."""
        return [
            f"  unreconciled person ({count}): {name}"
            for name, count in sorted(self.unreconciled.items(), key=lambda item: (-item[1], item[0]))
        ]

    def unpaired_lines(self) -> list[str]:
        """Each French descriptor whose Dutch label no document nor the reference data gives
        (no Dutch version of its questions with as many descriptors), as `unresolved_lines`."""
        return [
            f"  unpaired descriptor ({count}): {label}"
            for label, count in sorted(self.unpaired.items(), key=lambda item: (-item[1], item[0]))
        ]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def stopped_in_header(self) -> int:
        """Failed documents that stop (are cut off) inside their header."""
        return sum(message.endswith(STOPS_IN_HEADER) for _, message in self.failed)

    def counts(self) -> str:
        """ "converted 2, failed 1; stopping early: 1 converted incomplete, 1 failed in its header"."""
        return (
            f"converted {len(self.converted)}, failed {len(self.failed)}; stopping early:"
            f" {len(self.incomplete)} converted incomplete, {self.stopped_in_header} failed in its header"
        )

    def summary(self) -> str:
        lines = [f"{self.counts()} ({self.questions} questions, {self.triples} triples, {self.seconds:.1f} s)"]
        lines.extend(f"  failed: {message}" for _, message in self.failed)
        lines.extend(f"  incomplete: {message}" for _, message in self.incomplete)
        lines.extend(self.coverage_lines())
        lines.extend(self.unresolved_lines())
        lines.extend(self.unreconciled_lines())
        lines.extend(self.unpaired_lines())
        return "\n".join(lines)

    def coverage_lines(self) -> list[str]:
        """Per legislature: questions, answered, offices resolved to a holder, askers reconciled."""
        return [item.line() for item in self.coverage]


def collect_inputs(inputs: Iterable[Path]) -> list[Path]:
    """Files as given, folders searched recursively for text documents; sorted, no duplicates.
    Hidden files and folders are skipped: they are editor and VCS litter, not documents."""
    return [Path(name) for name in _document_names(inputs)]


def _document_names(inputs: Iterable[Path]) -> list[str]:
    """`collect_inputs` as strings, which is what the build uses: a Path for each of 100,000
    documents costs the build a second alone."""
    found: set[str] = set()
    for path in inputs:
        if path.is_dir():
            _find_documents(str(path), found)
        elif path.is_file():
            found.add(path.as_posix())
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return sorted(found)


def _find_documents(folder: str, found: set[str]) -> None:
    """Text documents under `folder` (not following links to folders); the directory entries
    say which are files, so listing 100,000 documents costs no call per file."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                _find_documents(entry.path, found)
            elif os.path.splitext(entry.name)[1].lower() in TEXT_SUFFIXES and entry.is_file():
                found.add(entry.path)


class _DisplayPaths:
    """Each path relative to the working directory where possible, else as given: what users
    typed, and stable in output. Folders are resolved and spelled once each, not every file
    (100,000 resolves cost seconds, 100,000 Paths a second)."""

    def __init__(self) -> None:
        self.cwd = Path.cwd().resolve()
        self.folders: dict[str, str] = {}  # folder -> how its files' names start

    def __call__(self, path: str) -> str:
        folder_name, name = os.path.split(path)
        start = self.folders.get(folder_name)
        if start is None:
            try:
                folder = Path(folder_name).resolve().relative_to(self.cwd).as_posix()
            except ValueError:
                folder = Path(folder_name).as_posix()
            start = self.folders[folder_name] = "" if folder == "." else folder.rstrip("/") + "/"
        return start + name


# --- per-document conversion (runs in worker processes) -------------------------------------

_ISAL_ERROR: type[Exception] = isal_zlib.error  # type: ignore[assignment]  # the stubs call the class an instance
_STATE: dict[str, Any] = {}  # what a worker process set up once: the minter, reference data, the converters
BATCH = 256  # documents per task: each task leaves one sorted run of their triples
RACY_NS = 2_000_000_000  # a file changed this close to a build may not show it in its times


@dataclass(frozen=True)
class _Known:
    """What a build knew of a document: its cache key (path and content) and entry, the file's
    size, times and inode when read, and what converting it gave."""

    key: str
    entry: tuple[str, int, int] | None  # pack, offset, length (None: not yet written)
    stat: tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
    questions: int
    error: str | None
    # What the build sums over every document, as compact JSON (empty for a failed one): kept as
    # the worker wrote it and decoded once for all documents, never per document (`_facts`).
    facts: bytes = b""


class _Fact:
    """Where each of a document's facts is in its decoded JSON list."""

    UNRESOLVED = 0  # [office wording, questions] resolved to no holder
    UNRECONCILED = 1  # [printed name, questions] the reference data of people does not know
    WARNING = 2  # converted, but the document stops early: why (or null)
    TIMINGS = 3  # each question's `kg.rdf.answer_times.Timing.to_json()`
    DEFERRED = 4  # [question number, French descriptor] left to the build to pair
    VERSIONS = 5  # [number, language, [descriptors]] per record with descriptors


def _facts_json(
    unresolved: Unresolved,
    unreconciled: Unresolved,
    warning: str | None,
    timings: tuple[list[Any], ...],
    deferred: Deferred,
    versions: Versions,
) -> bytes:
    return _COMPACT_JSON([unresolved, unreconciled, warning, timings, deferred, versions]).encode("ascii")


@dataclass(frozen=True)
class _Job:
    path: str
    shown: str
    known: _Known | None  # as the last build left it
    trusted: bool  # the file is as the last build read it (by its size, times and inode)


@dataclass(frozen=True)
class _Outcome:
    shown: str
    error: str | None
    questions: int
    known: _Known | None  # None: nothing to keep (unreadable)
    reused: bool = False  # its triples are those the last build had
    removed: tuple[bytes, ...] = ()  # what a change took from and gave to its lines
    added: tuple[bytes, ...] = ()
    stale: bool = False  # its previous lines could not be read: the change cannot be applied


def cache_fingerprint(base: str, social: bool) -> str:
    """What a document's triples depend on besides the document: the kg version, the base URI,
    the social-media switch, the reference data and the code of the conversion. A cache made
    under another fingerprint is never read."""
    from kg import __file__ as package_file
    from kg.paths import REFERENCE_DIR

    package = Path(package_file).parent
    digest = hashlib.sha256(f"{__version__}\n{base}\n{social}\n".encode())
    sources = [
        *sorted(REFERENCE_DIR.rglob("*")),
        *(package / name for name in ("__init__.py", "text.py", "uris.py")),
        *(
            path
            for folder in ("parse", "extract", "rdf", "reference", "search")
            for path in sorted((package / folder).glob("*.py"))
        ),
    ]
    for path in sources:
        if path.is_file():
            digest.update(f"{path.parent.name}/{path.name}".encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def _init_worker(base: str, social: bool, cache: str) -> None:
    from kg.parse import parse_text
    from kg.rdf.questions import question_lines
    from kg.reference.descriptors import load_descriptors
    from kg.reference.governments import load_governments

    social_lines = extract_social_lines if social else None
    _STATE.update(
        minter=UriMinter(base),
        governments=load_governments(),
        descriptors=load_descriptors(),
        question_lines=question_lines,
        social_lines=social_lines,
        parse_text=parse_text,
        cache=Path(cache),
    )


def _init_pool_worker(base: str, social: bool, cache: str) -> None:
    """`_init_worker` in a pool's process, whose garbage collector is then tuned: the reference
    data just loaded is frozen out of its scans, and it runs after 20,000 new objects rather
    than 700 (the conversion makes and drops objects by the thousand: 8-15% of its CPU)."""
    import gc

    _init_worker(base, social, cache)
    if _STATE["social_lines"] is not None:  # loaded now, so that they are frozen too
        from kg.extract.gazetteer import load_gazetteer
        from kg.extract.patterns import load_patterns

        load_gazetteer(), load_patterns()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


Unresolved = tuple[tuple[str, int], ...]
Versions = tuple[tuple[str, str, tuple[str, ...]], ...]
Deferred = tuple[tuple[str, str], ...]


# json.dumps with arguments makes an encoder at every call: this one is made once.
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":")).encode


def _convert_text(
    data: bytes, shown: str, key: str | None = None
) -> tuple[str | None, int, list[str], Unresolved, Unresolved, str | None, tuple[list[Any], ...], Deferred, Versions]:
    """One document's content -> (error message or None, questions, N-Triples lines, office
    wordings that resolved to no holder and names of unknown people, with their counts, a
    warning or None: the document stops early, its questions' timings (`Timing.to_json`), its French
    descriptors with no known Dutch label, counted, and each record's number, language and
    descriptors). Its search note, under `key` (the build's cache key of the document), waits
    in the worker's state for the batch's notes to be written at once."""
    from kg.parse.records import DocumentError
    from kg.rdf.concepts import document_pairs, unpaired

    minter = _STATE["minter"]
    try:
        document = _STATE["parse_text"](data, shown)
    except DocumentError as error:
        return str(error), 0, [], (), (), None, (), (), ()
    except (UnicodeError, ValueError) as error:
        return f"{shown}: {error}", 0, [], (), (), None, (), (), ()
    if not document.questions:
        return f"{shown}: expected a written question, found none", 0, [], (), (), None, (), (), ()
    triples: list[str] = []
    governments = _STATE["governments"]
    unresolved: Counter[str] = Counter()
    unreconciled: Counter[str] = Counter()
    deferred: list[tuple[str, str]] = []
    timings = []
    try:
        pairs = document_pairs(document.questions)
        for record in document.questions:
            triples.extend(_STATE["question_lines"](record, minter, governments, pairs, defer_unpaired=True))
            deferred.extend((str(record.number), label) for label in unpaired(record, pairs, _STATE["descriptors"]))
            timings.append(timing_of(record, minter, governments).to_json())
            unresolved.update(governments.unresolved(record.offices, record.date))
            if not governments.people.identify(record.author, record.date).reconciled:
                unreconciled[record.author] += 1
            if _STATE["social_lines"] is not None:
                triples.extend(_STATE["social_lines"](record, minter))
    except ValueError as error:  # e.g. a name that yields no URI
        return f"{shown}: cannot map: {error}", 0, [], (), (), None, (), (), ()
    line = search_note(key or document_key(shown, data), document.questions, governments)
    if line:
        _STATE.setdefault("notes", []).append(line)
    warning = "; ".join(str(warning) for warning in document.warnings) or None
    return (
        None,
        len(document.questions),
        triples,
        tuple(sorted(unresolved.items())),
        tuple(sorted(unreconciled.items())),
        warning,
        tuple(timings),
        tuple(sorted(set(deferred))),
        tuple(sorted({(str(r.number), r.language, tuple(r.descriptors)) for r in document.questions if r.descriptors})),
    )


def _cached_block(entry: tuple[str, int, int] | None, cache: Path | None = None) -> bytes | None:
    """A cache entry's lines as a block, each ending in a line end (in the worker's cache folder
    unless `cache` is given); None when there is none or it cannot be read."""
    if entry is None:
        return None
    try:
        with open((cache or _STATE["cache"]) / entry[0], "rb") as pack:
            pack.seek(entry[1])
            head, _, body = pack.read(entry[2]).partition(b"\n")
        json.loads(head)  # what was said of the document: damage shows here first
        return isal_zlib.decompress(body) + b"\n" if body else b""
    except (OSError, ValueError, _ISAL_ERROR):
        return None


def _cached_lines(entry: tuple[str, int, int] | None, cache: Path | None = None) -> list[bytes] | None:
    block = _cached_block(entry, cache)
    return None if block is None else block_lines(block)


def _read_file(path: str) -> tuple[os.stat_result, bytes]:
    """A file's status and whole content, by the system calls alone: a buffered file object
    costs more than the reading (a tenth of a millisecond a hundred documents)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        chunks = [os.read(fd, st.st_size + 1)]
        while chunks[-1]:  # to the end, as it is now
            chunks.append(os.read(fd, 1 << 16))
        return st, b"".join(chunks)
    finally:
        os.close(fd)


def _convert(job: _Job, fresh: list[tuple[str, bytes]]) -> tuple[_Outcome, bytes | None]:
    """One document -> its outcome and its sorted, unique lines as a block (`kg.build.lines`); None
    for the lines when they are the ones the last build had (the same file, or the same
    content) and were not read. A document converted anew adds its cache entry to `fresh`."""
    from kg.parse.records import DocumentError

    known = job.known
    if job.trusted and known is not None:
        return _Outcome(job.shown, known.error, known.questions, known, True), None
    try:
        st, data = _read_file(job.path)
    except OSError as failure:
        message = str(DocumentError(job.shown, None, "a readable file", failure.strerror or str(failure)))
        return _Outcome(job.shown, message, 0, None), b""
    stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    key = document_key(job.shown, data)
    if known is not None and known.key == key and known.entry is not None:
        return _Outcome(job.shown, known.error, known.questions, replace(known, stat=stat), True), None
    error, questions, triples, unresolved, unreconciled, warning, timings, deferred, versions = _convert_text(
        data, job.shown, key=key
    )
    block = document_block(triples)
    head = json.dumps({"error": error} if error else {"questions": questions}).encode()
    # Compressed by ISA-L: a thirteenth of the bytes for 0.04 ms a document (zlib: 0.15 ms).
    fresh.append((key, head + b"\n" + (isal_zlib.compress(block[:-1], 1) if block else b"")))
    return _Outcome(
        job.shown,
        error,
        questions,
        _Known(
            key,
            None,
            stat,
            questions,
            error,
            b"" if error else _facts_json(unresolved, unreconciled, warning, timings, deferred, versions),
        ),
    ), block


def _convert_batch(task: tuple[int, list[_Job], str | None]) -> list[_Outcome]:
    """A batch of documents -> their outcomes, and one pack of cache entries for those it
    converted. With a scratch folder (a full build), one run file of their lines, sorted, each
    document's lines once (so merging the runs counts how many documents give each line);
    without (an incremental build), each changed document's lines removed and added."""
    number, jobs, scratch = task
    fresh: list[tuple[str, bytes]] = []
    blocks: list[bytes] = []
    results = []
    for job in jobs:
        outcome, block = _convert(job, fresh)
        if scratch is not None:
            if block is None:
                block = _cached_block(outcome.known.entry if outcome.known else None)
                if block is None:  # its entry is damaged or gone: convert it again
                    outcome, block = _convert(replace(job, known=None, trusted=False), fresh)
            blocks.append(block or b"")
        elif block is not None:
            before = _cached_lines(job.known.entry) if job.known is not None else []
            if before is None:
                outcome = replace(outcome, stale=True)
            else:
                old, new = set(before), set(block_lines(block))
                outcome = replace(outcome, removed=tuple(old - new), added=tuple(new - old))
        results.append(outcome)
    append_notes(_STATE["cache"], _STATE.pop("notes", []))  # before the packs, as each note was
    if scratch is not None:
        (Path(scratch) / f"run-{number:07d}.nt").write_bytes(merge_blocks(blocks))
    if fresh:
        # One file per batch, not per document: creating a file costs more than converting.
        name = "pack-" + hashlib.sha256("".join(key for key, _ in fresh).encode()).hexdigest()[:24]
        located: dict[str, tuple[str, int, int]] = {}
        offset = 0
        for key, entry in fresh:
            located[key] = (name, offset, len(entry))
            offset += len(entry)
        temp = _STATE["cache"] / f".{name}.{os.getpid()}.tmp"
        temp.write_bytes(b"".join(entry for _, entry in fresh))
        os.replace(temp, _STATE["cache"] / name)  # a crash leaves no half pack
        results = [
            _with_entry(outcome, located[outcome.known.key])
            if outcome.known is not None and outcome.known.entry is None
            else outcome
            for outcome in results
        ]
    return results


def _with_entry(outcome: _Outcome, entry: tuple[str, int, int]) -> _Outcome:
    """`outcome` with its cache entry: `dataclasses.replace` made by hand, for it is called for
    every document and reads the fields' definitions on every call."""
    known = outcome.known
    assert known is not None
    return _Outcome(
        outcome.shown,
        outcome.error,
        outcome.questions,
        _Known(
            known.key,
            entry,
            known.stat,
            known.questions,
            known.error,
            known.facts,
        ),
        outcome.reused,
        outcome.removed,
        outcome.added,
        outcome.stale,
    )


def _results(jobs: list[_Job], base: str, social: bool, cache: Path, scratch: Path | None) -> Iterator[_Outcome]:
    tasks = [
        (i, jobs[start : start + BATCH], str(scratch) if scratch else None)
        for i, start in enumerate(range(0, len(jobs), BATCH))
    ]
    initargs = (base, social, str(cache))
    if len(jobs) < POOL_THRESHOLD or (os.cpu_count() or 1) < 2:
        _init_worker(*initargs)
        for task in tasks:
            yield from _convert_batch(task)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with context.Pool(os.cpu_count(), initializer=_init_pool_worker, initargs=initargs) as pool:
        for results in pool.imap(_convert_batch, tasks):
            yield from results


INDEX = "index.jsonl"  # what the last build knew of each document, by path (`_manifest_bytes`)
INDEX_FORMAT = 2
PIECES = "pieces.json"  # where each piece of the graph is in the graph files
ONTOLOGY = "ontology"  # what the ontology.ttl in place was written from, and its size, time and inode
COUNTS = "counts"  # how many documents give each line more than one gives, per piece
TALLY = "tally"  # the sums of the statistics the graph holds (kg.build.tally), for the next build to count on


@dataclass
class _Manifest:
    documents: dict[str, _Known]
    scanned: int  # time_ns when the build that wrote it started looking at the files
    build: str = ""  # which build wrote it: the piece index of the same build says the same

    def trusts(self, known: _Known | None, st: os.stat_result) -> bool:
        """Whether a file is the one that build read: same size, times and inode, and not
        changed so close to that build that the times could hide a later change."""
        return (
            known is not None
            and known.entry is not None
            and known.stat == (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            and known.stat[2] < self.scanned - RACY_NS
        )


def _load_manifest(cache: Path) -> _Manifest:
    """The document index as the last build wrote it (`_manifest_bytes`); empty when there is
    none or it is not whole. Each document's facts stay undecoded bytes."""
    try:
        data = (cache / INDEX).read_bytes()
        cut = data.index(b"\n") + 1
        head = json.loads(data[:cut])
        body = memoryview(data)[cut:]
        if head["format"] != INDEX_FORMAT or head["bytes"] != len(body) or head["crc32"] != zlib.crc32(body):
            return _Manifest({}, 0)
        heads, facts = [], []
        for line in data[cut:].split(b"\n")[:-1]:
            known, _, fact = line.partition(b"\t")
            heads.append(known)
            facts.append(fact)
        rows = json.loads(b"[" + b",".join(heads) + b"]")  # one decoding for all of them
        documents = {
            shown: _Known(key, tuple(entry) if entry else None, tuple(stat), questions, error, fact)
            for (shown, key, entry, stat, questions, error), fact in zip(rows, facts, strict=True)
        }
        return _Manifest(documents, int(head["scanned"]), str(head["build"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return _Manifest({}, 0)


def _manifest_bytes(manifest: _Manifest) -> bytes:
    """The document index: a line of JSON saying which build wrote it and how long and what
    checksum the rest has, then a line per document, by path: its path, cache key, entry, file
    status, questions and error as JSON, a tab, and its facts as the worker wrote them (compact
    JSON has no tab nor line end). Read and written without decoding or encoding the facts,
    which are most of its bytes (about 1 KB a document)."""
    body = b"".join(
        [
            _COMPACT_JSON([shown, k.key, k.entry, k.stat, k.questions, k.error]).encode("ascii")
            + b"\t"
            + k.facts
            + b"\n"
            for shown, k in sorted(manifest.documents.items())
        ]
    )
    head = {
        "format": INDEX_FORMAT,
        "build": manifest.build,
        "scanned": manifest.scanned,
        "bytes": len(body),
        "crc32": zlib.crc32(body),
    }
    return _COMPACT_JSON(head).encode("ascii") + b"\n" + body


def _drop_unused(cache_root: Path, cache: Path, manifest: _Manifest) -> None:
    """Drop what nothing refers to once a build is in place: packs of documents removed or
    changed since, and caches of other fingerprints."""
    for other in cache_root.iterdir():
        if other != cache and other.name != CHANGE:
            shutil.rmtree(other, ignore_errors=True) if other.is_dir() else other.unlink(missing_ok=True)
    (cache / "stats.nt").unlink(missing_ok=True)  # what builds kept before the tally: read no more
    used = {known.entry[0] for known in manifest.documents.values() if known.entry}
    for pack in cache.glob("pack-*"):
        if pack.name not in used:
            pack.unlink(missing_ok=True)


SCRATCH_ENV = "KG_SCRATCH"  # a folder for the build's runs, instead of choosing one
MEMORY_SCRATCH = Path("/dev/shm")
RUN_BYTES = 60_000  # bytes of run a document gives, about (49 KB on average, generated documents)


def scratch_root(out_dir: Path, documents: int) -> Path:
    """Where a build puts its runs: every line of every document, written once, read once by
    the merge and deleted (4.7 GB at 100,000 documents). Written to disk, the kernel writes them
    back while the build runs and holds the writers back once gigabytes wait; in memory (a tmpfs,
    /dev/shm) they cost no disk at all. So: $KG_SCRATCH when set, /dev/shm when it has room for
    twice the runs and the machine has that much memory available, else the output folder."""
    chosen = os.environ.get(SCRATCH_ENV)
    if chosen:
        return Path(chosen)
    needed = 2 * RUN_BYTES * documents
    try:
        st = os.statvfs(MEMORY_SCRATCH)
        room = st.f_bavail * st.f_frsize
        if room < needed or (memory_available() or 0) < needed or not os.access(MEMORY_SCRATCH, os.W_OK):
            return out_dir
    except OSError:
        return out_dir
    return MEMORY_SCRATCH


def _sweep(out_dir: Path, cache: Path) -> None:
    """Remove what builds killed before their end left: temporary files and scratch folders
    named after a process that is gone (hundreds of MB each at scale), here and in memory, and
    the half-loaded store copies of a build killed while it loaded the store."""
    from kg.stores.embedded import remove_stale_copies

    remove_stale_copies(out_dir)
    memory = scratch_root(out_dir, 0)
    for folder in dict.fromkeys((out_dir, out_dir / CACHE, cache, memory)):
        for path in folder.glob(".kg-build-*" if folder == memory and folder != out_dir else ".*"):
            parts = path.name.split(".")
            pid = (
                parts[-2]
                if path.name.endswith(".tmp") and len(parts) > 2
                else path.name.split("-")[2]
                if path.name.startswith(".kg-build-") and path.name.count("-") >= 3
                else None
            )
            if pid is None or not pid.isdigit() or _alive(int(pid)):
                continue
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's: alive
    return True


# --- output ----------------------------------------------------------------------------------


def _atomic_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def _replace(temp: Path, target: Path) -> None:
    with temp.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, target)


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Call `write(temp_path)`, then rename over `target`; the temp file goes on failure."""
    temp = _atomic_path(target)
    try:
        write(temp)
        _replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def _write_ontology(path: Path, minter: UriMinter) -> None:
    from kg.ontology import load_ontology, load_shapes

    graph = load_ontology(minter)
    graph += load_shapes(minter)
    from kg.rdf.vocab import prefixes

    for name, namespace in prefixes(minter.ns_iri).items():
        graph.bind(name, namespace, override=True, replace=True)
    path.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))


def _ontology_digest(minter: UriMinter) -> str:
    """What ontology.ttl is made from: the ontology and shape files and the base URI."""
    from kg.ontology import ontology_files, shapes_files

    digest = hashlib.sha256(minter.base.encode())
    for path in [*ontology_files(), *shapes_files()]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _stat_line(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return "-"
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ino}"


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _reference_lines(minter: UriMinter) -> list[str]:
    """What every build holds whatever its documents: the governments and the conversion."""
    from kg.rdf.governments import government_triples, party_lines
    from kg.rdf.links import link_lines
    from kg.rdf.questions import provenance_lines
    from kg.reference.governments import load_governments
    from kg.reference.links import load_links
    from kg.reference.parties import load_parties

    governments = load_governments()
    return sorted(
        {
            *government_triples(governments, minter),
            *party_lines(load_parties(), minter),
            *link_lines(load_links(), governments, minter),
            *provenance_lines(minter),
        }
    )


def _stage(target: Path, write: Callable[[Path], object], staged: list[tuple[Path, Path]]) -> None:
    """Write `target`'s new content to its temporary name, synced, for `_commit` to rename."""
    temp = _atomic_path(target)
    staged.append((temp, target))
    write(temp)
    with temp.open("rb") as handle:
        os.fsync(handle.fileno())


def _commit(staged: list[tuple[Path, Path]]) -> list[Path]:
    """Rename every staged file into place, one right after the other: the outputs of one build
    replace those of the previous one together, so a build killed while writing leaves the
    previous graph, dumps and build.json, never some of each. The files replaced are first
    linked aside, so that no rename waits for the blocks of a gigabyte file to be freed: the
    names aside are returned, to be removed (or by the next build's `_sweep`)."""
    aside = []
    for number, (_, target) in enumerate(staged):
        name = target.with_name(f".kg-build-{os.getpid()}-replaced-{number}-{time.time_ns():x}")
        try:
            os.link(target, name)
        except OSError:  # none yet, or no hard links here: the rename frees it
            continue
        aside.append(name)
    for temp, target in staged:
        os.replace(temp, target)
    return aside


def _discard(staged: list[tuple[Path, Path]]) -> None:
    for temp, _ in staged:
        temp.unlink(missing_ok=True)


class _Progress:
    """Documents done, rate and time left on stderr, at most once a second."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled = total, enabled
        self.start = self.last = self.phase = time.monotonic()

    def step(self, done: int, reused: int = 0) -> None:
        now = time.monotonic()
        if self.enabled and (now - self.last >= 1.0 or done == self.total):
            self.last = now
            rate = done / max(now - self.start, 1e-9)
            left = (self.total - done) / rate if rate else 0.0
            cached = f", {reused} unchanged" if reused else ""
            print(
                f"\r{done}/{self.total} documents{cached} ({rate:,.0f}/s, {left:,.0f} s left)  ",
                end="",
                file=sys.stderr,
                flush=True,
            )
            if done == self.total:
                print(file=sys.stderr)

    def triples(self, done: int) -> None:
        """Triples written so far, and their rate, while the graph files are written."""
        now = time.monotonic()
        if self.enabled and now - self.last >= 1.0:
            self.last = now
            rate = done / max(now - self.phase, 1e-9)
            print(f"\r{done:,} triples written ({rate:,.0f}/s)  ", end="", file=sys.stderr, flush=True)

    def say(self, message: str) -> None:
        """A line of its own; a new phase starts timing here."""
        self.phase = time.monotonic()
        if self.enabled:
            print(message, file=sys.stderr, flush=True)


def build(
    inputs: list[Path],
    out_dir: Path,
    *,
    base: str = DEFAULT_BASE,
    progress: bool = False,
    social: bool = True,
    full: bool = False,
    as_of: date | None = None,
    index_now: bool = True,
) -> BuildReport:
    """Convert `inputs` (files and folders) into `out_dir`: graph.ttl, graph.nt.gz, ontology.ttl
    and build.json. Failed documents are in the report; they never stop the others.
    `index_now=False` writes the search index without making it current: the caller activates
    it (`report.pending_index`) once the store holds this build, so no hit names a question the
    store does not have yet.

    Builds are incremental: each document's triples are kept in `out_dir/.cache/`, keyed by its
    path and content, and only new or changed documents are converted again; their change is
    applied to the pieces of the graph files it falls in (`kg.build.pieces`), and the other pieces are
    copied, so the files are the same, byte for byte, as a full build of the same documents
    writes (a removed document's triples go unless another gives them). `full=True` drops the
    cache and converts everything. `social=False` leaves out the social-media extraction
    (`kg.rdf.social`), e.g. to measure the rest of the conversion. `as_of`: the reference date of
    the answer-time statistics (default: the latest date in the documents)."""
    started = time.monotonic()
    minter = UriMinter(base)
    files = _document_names(inputs)
    out_dir.mkdir(parents=True, exist_ok=True)
    cache_root = out_dir / CACHE
    # Removing folders and files, and writing the document index, go on in threads meanwhile.
    with _fewer_collections(), ThreadPoolExecutor(2, thread_name_prefix="kg-build") as background:
        if full and (dropped := _move_aside(cache_root, out_dir)) is not None:
            background.submit(shutil.rmtree, dropped, ignore_errors=True)
        cache = cache_root / cache_fingerprint(minter.base, social)
        cache.mkdir(parents=True, exist_ok=True)
        _sweep(out_dir, cache)
        manifest = _load_manifest(cache)
        scanned = time.time_ns()
        current = Paths(out_dir / "graph.nt.gz", out_dir / "graph.ttl", cache / COUNTS)
        pieces = PieceIndex.load(cache / PIECES, current)
        if pieces is not None and pieces.build != manifest.build:
            pieces = None  # a build stopped between renaming the two: they may not agree
        token = f"{scanned:x}-{os.getpid()}"
        staged: list[tuple[Path, Path]] = []
        context: _BuildContext | None = None
        try:
            scratch_parent = scratch_root(out_dir, len(files))
            scratch_parent.mkdir(parents=True, exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix=f".kg-build-{os.getpid()}-", dir=scratch_parent))
            try:
                context = _BuildContext(
                    files,
                    out_dir,
                    cache,
                    minter,
                    social,
                    manifest,
                    scratch,
                    _Progress(len(files), progress),
                    staged,
                    started,
                    token,
                    scanned,
                    background,
                    as_of,
                )
                report = _build_change(context, pieces) if pieces is not None else None
                if report is None:
                    _discard(staged)
                    staged.clear()
                    report = _build_all(context)
            finally:  # the runs' gigabytes, freed while the rest is written
                background.submit(shutil.rmtree, scratch, ignore_errors=True)
            known = _Manifest(context.documents, scanned, token)
            index_json = context.index_json.result() if context.index_json is not None else _manifest_bytes(known)
            _stage(cache / INDEX, lambda p: p.write_bytes(index_json), staged)
            report.seconds = time.monotonic() - started
            info = {
                "base": minter.base,
                "kg_version": __version__,
                "documents": len(files),
                "converted": len(report.converted),
                "failed": len(report.failed),
                "incomplete": len(report.incomplete),
                "stopped_in_header": report.stopped_in_header,
                "questions": report.questions,
                "reference_date": report.reference_date.isoformat() if report.reference_date else None,
                "triples": report.triples,
                "failures": [{"path": path, "message": message} for path, message in report.failed],
                "coverage": [item.to_json() for item in report.coverage],
                "unresolved_offices": [
                    {"wording": wording, "questions": count}
                    for wording, count in sorted(report.unresolved.items(), key=lambda item: (-item[1], item[0]))
                ],
                "unreconciled_people": [
                    {"name": name, "questions": count}
                    for name, count in sorted(report.unreconciled.items(), key=lambda item: (-item[1], item[0]))
                ],
                "unpaired_descriptors": [
                    {"label": label, "language": "fr", "questions": count}
                    for label, count in sorted(report.unpaired.items(), key=lambda item: (-item[1], item[0]))
                ],
                "warnings": [{"path": path, "message": message} for path, message in report.incomplete],
            }
            _stage(
                out_dir / "build.json",
                lambda p: p.write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"),
                staged,
            )
            for replaced in _commit(staged):
                background.submit(replaced.unlink, missing_ok=True)
            context.finish_index(report, progress=progress, activate=index_now)
        finally:
            _discard(staged)
            if context is not None and context.search_index is not None:
                wait([context.search_index])  # a build that failed: its temporary folder removed
    _drop_unused(cache_root, cache, known)
    return report


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The collector's thresholds raised while a build runs, then put back. What the build keeps
    (an entry per document, every question's timing) grows to millions of objects that live
    until it ends and hold no cycles to speak of; a full collection walks all of them, and they
    came one after another as they grew (0.3 s in the build's process at 10,000 documents, 5
    collections). The young generations are still collected, so short-lived cycles still go."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 20_000), max(before[1], 20), max(before[2], 1_000))
    try:
        yield
    finally:
        gc.set_threshold(*before)


Decoded = tuple[dict[str, list[Any]], dict[str, list[Timing]]]
DECODED_AT_ONCE = 4096  # documents' facts per call of json.loads


def _decode(documents: dict[str, _Known]) -> Decoded:
    """Each converted document's facts (`_Fact`), in the order of `documents`, and its questions'
    timings: decoded in one call for all of them, for a hundred thousand calls of json.loads
    cost more."""
    shown = [name for name, known in documents.items() if known.facts]
    values: list[Any] = []
    for start in range(0, len(shown), DECODED_AT_ONCE):  # in slices: no copy of all the bytes at once
        texts = [documents[name].facts for name in shown[start : start + DECODED_AT_ONCE]]
        decoded = json.loads(b"[" + b",".join(texts) + b"]")
        if not isinstance(decoded, list) or len(decoded) != len(texts):  # one of them is not one value
            decoded = [json.loads(text) for text in texts]
        values.extend(decoded)
    facts = dict(zip(shown, values, strict=True))
    timings = {}
    for name, found in facts.items():
        timings[name] = [Timing.from_json(value) for value in found[_Fact.TIMINGS]]
        found[_Fact.TIMINGS] = None  # held once, as Timings: most of the facts' memory
    return facts, timings


def _indexed(documents: dict[str, _Known]) -> dict[str, str]:
    """What the search index is written from: each converted document's cache key."""
    return {shown: known.key for shown, known in documents.items() if known.error is None}


def _move_aside(folder: Path, into: Path) -> Path | None:
    """`folder` renamed out of the build's way, to be removed meanwhile (None: there is none,
    or it could not be moved and was removed here). Under the name it gets, what a build killed
    before removing it left is removed by the next build's `_sweep`."""
    moved = into / f".kg-build-{os.getpid()}-dropped-{time.time_ns():x}"
    try:
        folder.rename(moved)
    except FileNotFoundError:
        return None
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return moved


@dataclass
class _BuildContext:
    files: list[str]  # the documents' paths
    out_dir: Path
    cache: Path
    minter: UriMinter
    social: bool
    manifest: _Manifest  # as the last build left it
    scratch: Path
    meter: _Progress
    staged: list[tuple[Path, Path]]
    started: float
    token: str  # this build's, in its piece index and its document index
    scanned: int  # time_ns when it started looking at the files
    background: ThreadPoolExecutor
    as_of: date | None
    index_json: Future[bytes] | None = None  # the document index, once every document is known
    search_index: Future[IndexReport] | None = None  # the search index, written beside the graph files
    documents: dict[str, _Known] = field(default_factory=dict)  # what this build knows
    facts: dict[str, list[Any]] = field(default_factory=dict)  # each converted document's, decoded
    timings: dict[str, list[Timing]] = field(default_factory=dict)  # each converted document's questions'
    converted: set[str] = field(default_factory=set)  # documents this build converted

    def jobs(self) -> list[_Job]:
        """A job per document, trusted when its file is as the last build read it."""
        found = []
        display_path = _DisplayPaths()
        documents, trusts = self.manifest.documents, self.manifest.trusts
        for path in self.files:
            shown = display_path(path)
            known = documents.get(shown)
            try:
                trusted = known is not None and trusts(known, os.stat(path))
            except OSError:
                trusted = False
            found.append(_Job(path, shown, known, trusted))
        return found

    def record(self, outcome: _Outcome, report: BuildReport) -> None:
        if outcome.error is not None:
            report.failed.append((outcome.shown, outcome.error))
        else:
            report.converted.append(outcome.shown)
            report.questions += outcome.questions
        if outcome.known is not None and outcome.known.entry is not None:
            self.documents[outcome.shown] = outcome.known
        report.reused += outcome.reused and outcome.shown not in self.converted

    def documents_known(self, report: BuildReport, early: Future[Decoded] | None = None) -> None:
        """Every document is known: the document index is serialised in the background while
        the graph files are written, and every converted document's facts are decoded, at once,
        for what the report sums up (offices, people, warnings) and the statistics. `early`:
        those of the documents known unchanged, decoded while the others were converted."""
        known = _Manifest(dict(self.documents), self.scanned, self.token)
        self.index_json = self.background.submit(_manifest_bytes, known)
        facts, timings = early.result() if early is not None else ({}, {})
        later = {shown: known for shown, known in self.documents.items() if known.facts and shown not in facts}
        more_facts, more_timings = _decode(later)
        order = [shown for shown, known in self.documents.items() if known.facts]
        self.facts = {shown: facts[shown] if shown in facts else more_facts[shown] for shown in order}
        self.timings = {shown: timings[shown] if shown in timings else more_timings[shown] for shown in order}
        unresolved: dict[str, int] = {}  # summed in plain dicts: Counter.update costs more
        unreconciled: dict[str, int] = {}
        for shown, said in self.facts.items():
            for wording, count in said[_Fact.UNRESOLVED]:
                unresolved[wording] = unresolved.get(wording, 0) + count
            for name, count in said[_Fact.UNRECONCILED]:
                unreconciled[name] = unreconciled.get(name, 0) + count
            if said[_Fact.WARNING] is not None:
                report.incomplete.append((shown, said[_Fact.WARNING]))
        report.unresolved.update(unresolved)
        report.unreconciled.update(unreconciled)

    def start_index(self) -> None:
        """Every document is known: at INDEX_BESIDE_THRESHOLD documents or more, the search index
        is written by another process while this one writes the graph files. It is turning the
        notes into the engine's documents, Python on one core (20 s at 100,000 documents), which
        the graph files' merge does not need. It is not made current there: `finish_index` does,
        at the same point of the build as when it is written after the graph files."""
        if len(self.documents) < INDEX_BESIDE_THRESHOLD or self.search_index is not None:
            return  # one already written: an incremental build that merges everything after all
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        writer = ProcessPoolExecutor(1, mp_context=context)
        self.search_index = writer.submit(
            write_index, self.out_dir, self.cache, _indexed(self.documents), progress=False, activate=False
        )
        writer.shutdown(wait=False)  # the process ends once the index is written
        self.meter.say("writing the search index beside the graph files")

    def finish_index(self, report: BuildReport, *, progress: bool, activate: bool) -> None:
        """The search index written (or waited for), and made current when `activate`."""
        waited = time.monotonic()
        if self.search_index is not None:
            index = self.search_index.result()
            report.phases["search_wait"] = time.monotonic() - waited
            if activate and not index.active:
                activate_index(self.out_dir, index.folder.name)
                index.active = True
        else:
            index = write_index(
                self.out_dir, self.cache, _indexed(self.documents), progress=progress, activate=activate
            )
            report.phases["search_wait"] = index.seconds
        report.phases["search"] = index.seconds
        report.pending_index = None if index.active else index.folder.name

    def statistics(self, report: BuildReport) -> bytes:
        """The answer-time lines of every document this build knows, as a block of sorted lines
        (`kg.build.lines`), counted from every question (`kg.rdf.cube`); their sums are staged
        in the cache (`kg.build.tally`) for the next build to count only what changed."""
        from kg.build.pairing import deferred_counts
        from kg.build.recount import count_everything
        from kg.reference.governments import load_governments

        governments = load_governments()
        lines, tally = count_everything(self.timings, self.minter, governments, self.as_of)
        report.reference_date = tally.as_of if tally is not None else None
        report.coverage = tally.coverage(spans(governments)) if tally is not None else []
        candidates = self.pair_candidates()
        descriptors, report.unpaired = self.descriptor_lines(candidates)
        if tally is not None:
            tally.candidates, tally.deferred = candidates, deferred_counts(self.facts.values())
        lines.update(descriptors)
        ordered = sorted(lines)
        block = ("\n".join(ordered) + "\n").encode("utf-8") if ordered else b""
        self.facts, self.timings = {}, {}  # nothing after the statistics reads them: their memory goes
        self.stage_tally(tally)
        return block

    def statistics_change(self, report: BuildReport, tally: Tally, before: dict[str, bytes]) -> dict[bytes, int]:
        """What the answer-time lines lose (-1) and gain (+1) since the last build, whose
        `tally` this is and whose documents' facts were `before`: only the questions and
        descriptors of the documents that changed are counted again (`kg.build.recount`,
        `kg.build.pairing`); when the reference date moved, every question, before and after."""
        from kg.build.pairing import recount_deferred, recount_pairs
        from kg.build.recount import count_everything, old_timings, recount
        from kg.rdf.questions import descriptor_scheme
        from kg.rdf.terms import iri
        from kg.reference.descriptors import load_descriptors
        from kg.reference.governments import load_governments

        governments = load_governments()
        after = {shown: known.facts for shown, known in self.documents.items()}
        changed = {shown for shown in before.keys() | after.keys() if before.get(shown, b"") != after.get(shown, b"")}
        was = {shown: json.loads(before[shown]) for shown in changed if before.get(shown)}
        now = {shown: self.facts[shown] for shown in changed if shown in self.facts}
        unchanged = (facts for shown, facts in self.facts.items() if shown not in changed)
        paired = recount_pairs(tally.candidates, was, now, unchanged)
        scheme = iri(descriptor_scheme(self.minter))
        candidates, deferred = tally.candidates, tally.deferred
        gone, came, report.unpaired = recount_deferred(
            deferred, was, now, candidates, paired, self.minter, scheme, load_descriptors()
        )
        found = recount(tally, before, after, self.timings, self.minter, governments, self.as_of)
        if found is not None:
            removed, added = found.removed, found.added
            report.reference_date, report.coverage = found.reference_date, found.coverage
            kept: Tally | None = tally
        else:  # every question counted again, as the last build had them and as they are
            timings = {shown: mine for shown, mine in self.timings.items() if before.get(shown) == after[shown]}
            timings.update((shown, old_timings(facts)) for shown, facts in before.items() if facts != after.get(shown))
            removed, _ = count_everything(timings, self.minter, governments, tally.as_of)
            added, kept = count_everything(self.timings, self.minter, governments, self.as_of)
            report.reference_date = kept.as_of if kept is not None else None
            report.coverage = kept.coverage(spans(governments)) if kept is not None else []
            if kept is not None:
                kept.candidates, kept.deferred = candidates, deferred
            removed, added = removed - added, added - removed
        removed |= gone
        added |= came
        self.facts, self.timings = {}, {}
        self.stage_tally(kept)
        delta = {line.encode("utf-8"): -1 for line in removed}
        for line in added:
            key = line.encode("utf-8")
            delta[key] = delta.get(key, 0) + 1
        return delta

    def stage_tally(self, tally: Tally | None) -> None:
        """The statistics' sums for the next build; no question: none (the next build counts
        everything)."""
        target = self.cache / TALLY
        if tally is None:
            target.unlink(missing_ok=True)
            return
        data = tally_bytes(tally, self.token, self.minter.base)
        _stage(target, lambda p: p.write_bytes(data), self.staged)

    def descriptor_lines(self, candidates: dict[str, dict[str, int]]) -> tuple[list[str], Counter[str]]:
        """The French descriptors the documents left unpaired, paired from the Dutch version of
        the same question wherever any document gives it: `candidates` are the partners every
        document's versions give (`kg.rdf.concepts.pair_candidates`)."""
        from kg.build.pairing import Pairs
        from kg.rdf.concepts import deferred_descriptor_lines
        from kg.rdf.questions import descriptor_scheme
        from kg.rdf.terms import iri
        from kg.reference.descriptors import load_descriptors

        deferred = ((number, label) for facts in self.facts.values() for number, label in facts[_Fact.DEFERRED])
        scheme = iri(descriptor_scheme(self.minter))
        return deferred_descriptor_lines(deferred, Pairs(candidates), self.minter, scheme, load_descriptors())

    def pair_candidates(self) -> dict[str, dict[str, int]]:
        """Every document's versions' French-Dutch partners, counted (`kg.build.pairing`)."""
        from kg.rdf.concepts import pair_candidates

        return pair_candidates(
            (number, language, tuple(labels))
            for facts in self.facts.values()
            for number, language, labels in facts[_Fact.VERSIONS]
        )

    def new_paths(self) -> Paths:
        """Temporary names for the next graph files, committed with build.json."""
        targets = (self.out_dir / "graph.nt.gz", self.out_dir / "graph.ttl", self.cache / COUNTS)
        for target in targets:
            self.staged.append((_atomic_path(target), target))
        return Paths(*(_atomic_path(target) for target in targets))

    def stage_index(self, index: PieceIndex, paths: Paths) -> None:
        """The piece index, with the files it describes as they will be once renamed."""
        index.files = file_stats(paths)
        index.build = self.token
        _stage(self.cache / PIECES, index.save, self.staged)
        # Where each piece starts in graph.nt.gz, for the server to read one subject's lines.
        keys, sizes = [p.key for p in index.pieces], [p.gz for p in index.pieces]
        _stage(
            blocks_path(self.out_dir / "graph.nt.gz"),
            lambda p: write_blocks(p, index.graph_sha256, keys, sizes),
            self.staged,
        )

    def stage_ontology(self) -> None:
        """ontology.ttl, unless it is the one written from the same ontology files before."""
        target = self.out_dir / "ontology.ttl"
        digest = _ontology_digest(self.minter)
        if _read_text(self.cache / ONTOLOGY) != f"{digest} {_stat_line(target)}":
            written = _atomic_path(target)  # where _stage writes it
            _stage(target, lambda p: _write_ontology(p, self.minter), self.staged)
            _stage(
                self.cache / ONTOLOGY,
                lambda p: p.write_text(f"{digest} {_stat_line(written)}", encoding="utf-8"),
                self.staged,
            )


def _build_all(context: _BuildContext) -> BuildReport:
    """Every document's lines, converted or from the cache, merged into new graph files."""
    from kg.rdf.vocab import prefixes

    (context.out_dir / CACHE / CHANGE).unlink(missing_ok=True)

    report = BuildReport(out_dir=context.out_dir)
    context.documents.clear()
    context.stage_ontology()
    jobs = context.jobs()
    runs = context.scratch / "runs"
    runs.mkdir()
    (runs / "reference.nt").write_bytes(("\n".join(_reference_lines(context.minter)) + "\n").encode("utf-8"))
    # Every batch of documents leaves a sorted run on disk: no process holds the graph.
    outcomes = _results(jobs, context.minter.base, context.social, context.cache, runs)
    for done, outcome in enumerate(outcomes, start=1):
        context.record(outcome, report)
        context.meter.step(done, report.reused)
    context.documents_known(report)
    context.start_index()
    (runs / "stats.nt").write_bytes(context.statistics(report))
    report.phases["convert"] = time.monotonic() - context.started
    context.meter.say("merging triples and writing the graph files")
    paths = context.new_paths()
    index = write_runs(
        sorted(runs.iterdir()),
        paths,
        prefixes(context.minter.ns_iri),
        context.scratch,
        os.cpu_count() or 1,
        context.meter.triples,
    )
    context.meter.say(f"\r{index.triples:,} triples written")
    context.stage_index(index, paths)
    report.triples = index.triples
    report.pieces = (len(index.pieces), len(index.pieces))
    report.phases["write"] = time.monotonic() - context.started - report.phases["convert"]
    return report


def _current_paths(context: _BuildContext) -> Paths:
    return Paths(context.out_dir / "graph.nt.gz", context.out_dir / "graph.ttl", context.cache / COUNTS)


CHANGE_SHARE = 0.25  # more changed documents than this share (and the floor): a full merge costs less
CHANGE_FLOOR = 2000  # documents: a change this small is applied whatever the share


def _build_change(context: _BuildContext, pieces: PieceIndex) -> BuildReport | None:
    """Convert only the documents whose files changed, and apply the change of their lines to
    the graph files; None when it cannot be applied (the caller merges everything)."""
    from kg.rdf.vocab import prefixes

    report = BuildReport(out_dir=context.out_dir)
    jobs = context.jobs()
    before = {shown: known.facts for shown, known in context.manifest.documents.items()}  # as the last build had them
    current = {job.shown for job in jobs}
    gone = [known for shown, known in context.manifest.documents.items() if shown not in current]
    changed = [job for job in jobs if not job.trusted]  # or changed so recently the times may not say
    # What the documents known unchanged say, decoded while the others convert in the pool.
    early = context.background.submit(
        _decode, {job.shown: job.known for job in jobs if job.trusted and job.known is not None}
    )
    limit = max(CHANGE_SHARE * len(jobs), CHANGE_FLOOR) - len(gone)
    delta: dict[bytes, int] = {}
    outcomes = _results(changed, context.minter.base, context.social, context.cache, None)
    by_path = {}
    unchanged = len(jobs) - len(changed)
    applicable = True
    for done, outcome in enumerate(outcomes, start=unchanged + 1):
        if outcome.known is not None:  # converted: a full merge would read it from the cache
            context.manifest.documents[outcome.shown] = outcome.known
            if not outcome.reused:
                context.converted.add(outcome.shown)
        if outcome.stale or (not outcome.reused and (limit := limit - 1) < 0):
            applicable = False  # a change this big merges everything, from the cache
            delta.clear()
        by_path[outcome.shown] = outcome
        if applicable:
            for line in outcome.removed:
                delta[line] = delta.get(line, 0) - 1
            for line in outcome.added:
                delta[line] = delta.get(line, 0) + 1
        unchanged += outcome.reused
        context.meter.step(done, unchanged)
    if not changed:
        context.meter.step(len(jobs), unchanged)
    if not applicable:
        return None
    for known in gone:
        lines = _cached_lines(known.entry, context.cache)
        if lines is None:
            return None
        for line in lines:
            delta[line] = delta.get(line, 0) - 1
    for job in jobs:
        found = by_path.get(job.shown)
        if found is None:
            assert job.known is not None
            found = _Outcome(job.shown, job.known.error, job.known.questions, job.known, True)
        context.record(found, report)
    context.documents_known(report, early)
    tally = load_tally(context.cache / TALLY, context.manifest.build, context.minter.base)
    if tally is None:
        return None  # what the graph holds of the statistics is not known: merge everything
    context.start_index()
    for line, step in context.statistics_change(report, tally, before).items():
        delta[line] = delta.get(line, 0) + step
    report.phases["convert"] = time.monotonic() - context.started
    context.stage_ontology()
    delta = {line: step for line, step in delta.items() if step}
    if not delta:  # the same triples from the same documents: the graph files stay as they are
        context.stage_index(pieces, _current_paths(context))
        report.triples, report.pieces = pieces.triples, (0, len(pieces.pieces))
        return report
    old = _current_paths(context)
    paths = context.new_paths()
    try:
        change = apply_change(pieces, old, paths, delta, prefixes(context.minter.ns_iri), os.cpu_count() or 1)
    except StalePieces as error:
        context.meter.say(f"merging everything: {error}")
        return None
    context.stage_index(change.index, paths)
    report.change_file = context.out_dir / CACHE / CHANGE
    write_change(report.change_file, pieces.graph_sha256, change.index.graph_sha256, change.removed, change.added)
    report.triples = change.index.triples
    report.pieces = (change.rendered, len(change.index.pieces))
    report.phases["write"] = time.monotonic() - context.started - report.phases["convert"]
    return report
