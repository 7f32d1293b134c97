"""Documents -> the published graph files.

Each document is parsed and mapped to triples on its own (in a process pool for large builds);
a document that cannot be read is reported and skipped, the rest still converts. The triples of
all documents are written to disk as N-Triples lines, then sorted and deduplicated, which makes
every output deterministic: `graph.nt.gz` is the sorted lines, `graph.ttl` the same triples in
that order with prefixes. Nothing goes through an rdflib Graph on this path and no process holds
the whole graph in memory: it is built for 100,000 documents.
Every file is written to a temporary name and renamed, so readers never see half a file.

Each document's sorted lines are also kept in `.cache/` of the output folder, keyed by its path
and content (under a fingerprint of the kg version, base URI, reference data and conversion code),
in one pack file per batch and an index, so the next build converts only new and changed
documents and merges the rest from the cache.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg import __version__
from kg.uris import DEFAULT_BASE, UriMinter

TEXT_SUFFIXES = {".txt", ".text", ".htm", ".html"}
POOL_THRESHOLD = 200  # fewer documents convert faster in-process than a pool starts


@dataclass
class BuildReport:
    converted: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    questions: int = 0
    triples: int = 0
    reused: int = 0  # documents whose triples came from the cache (unchanged since the last build)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds: convert, sort, write
    out_dir: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        lines = [f"converted {len(self.converted)}, failed {len(self.failed)}"
                 f" ({self.questions} questions, {self.triples} triples, {self.seconds:.1f} s)"]
        lines.extend(f"  failed: {message}" for _, message in self.failed)
        return "\n".join(lines)


def collect_inputs(inputs: Iterable[Path]) -> list[Path]:
    """Files as given, folders searched recursively for text documents; sorted, no duplicates.
    Hidden files and folders are skipped: they are editor and VCS litter, not documents."""
    found: set[Path] = set()
    for path in inputs:
        if path.is_dir():
            for candidate in path.rglob("*"):
                relative = candidate.relative_to(path).parts
                if (candidate.is_file() and candidate.suffix.lower() in TEXT_SUFFIXES
                        and not any(part.startswith(".") for part in relative)):
                    found.add(candidate)
        elif path.is_file():
            found.add(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return sorted(found, key=lambda p: p.as_posix())


def display_path(path: Path) -> str:
    """Relative to the working directory where possible: what users typed, and stable in output."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# --- per-document conversion (runs in worker processes) -------------------------------------

_STATE: dict[str, object] = {}
BATCH = 256  # documents per task: each task leaves one sorted run of their triples
CACHE = ".cache"  # in the output folder: each document's triples, for incremental builds


@dataclass(frozen=True)
class _Outcome:
    shown: str
    error: str | None
    questions: int
    key: str | None  # the document's cache key (None: nothing to keep, e.g. unreadable)
    entry: tuple[str, int, int] | None  # where its cache entry is: pack, offset, length
    reused: bool = False  # its triples came from the cache


def cache_fingerprint(base: str, social: bool) -> str:
    """What a document's triples depend on besides the document: the kg version, the base URI,
    the social-media switch, the reference data and the code of the conversion. A cache made
    under another fingerprint is never read."""
    from kg import __file__ as package_file
    from kg.paths import REFERENCE_DIR

    package = Path(package_file).parent
    digest = hashlib.sha256(f"{__version__}\n{base}\n{social}\n".encode())
    sources = [*sorted(REFERENCE_DIR.glob("*")),
               *(package / name for name in ("__init__.py", "government.py", "records.py", "uris.py")),
               *(path for folder in ("parse", "extract", "rdf") for path in sorted((package / folder).glob("*.py")))]
    for path in sources:
        if path.is_file():
            digest.update(f"{path.parent.name}/{path.name}".encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def _init_worker(base: str, social: bool, cache: str | None, index: dict[str, list]) -> None:
    from kg.government import load_governments
    from kg.parse import parse_text
    from kg.rdf.questions import question_lines

    social_lines = None
    if social:
        try:
            from kg.rdf.social import social_lines
        except ImportError:  # the social-media extraction is optional
            pass
    _STATE.update(minter=UriMinter(base), governments=load_governments(),
                  question_lines=question_lines, social_lines=social_lines,
                  parse_text=parse_text, cache=Path(cache) if cache else None, index=index)


def _convert_text(data: bytes, shown: str) -> tuple[str | None, int, list[str]]:
    """One document's content -> (error message or None, questions, N-Triples lines)."""
    from kg.records import DocumentError

    minter = _STATE["minter"]
    try:
        document = _STATE["parse_text"](data, shown)
    except DocumentError as error:
        return str(error), 0, []
    except (UnicodeError, ValueError) as error:
        return f"{shown}: {error}", 0, []
    if not document.questions:
        return f"{shown}: expected a written question, found none", 0, []
    triples: list[str] = []
    try:
        for record in document.questions:
            triples.extend(_STATE["question_lines"](record, minter, _STATE["governments"]))
            if _STATE["social_lines"] is not None:
                triples.extend(_STATE["social_lines"](record, minter))
    except ValueError as error:  # e.g. a name that yields no URI
        return f"{shown}: cannot map: {error}", 0, []
    return None, len(document.questions), triples


def _convert(path: str, shown: str, out: list[bytes], fresh: list[bytes]) -> _Outcome:
    """One document: its sorted, unique lines appended to `out`, from the cache when the same
    path with the same content was converted before under the same fingerprint; a new cache
    entry is appended to `fresh`."""
    from kg.records import DocumentError

    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return _Outcome(shown, str(DocumentError(shown, None, "a readable file", error.strerror or str(error))),
                        0, None, None)
    cache: Path | None = _STATE["cache"]
    key = hashlib.sha256(shown.encode("utf-8") + b"\0" + data).hexdigest()
    where = _STATE["index"].get(key) if cache is not None else None
    if where is not None:
        try:
            with open(cache / where[0], "rb") as pack:
                pack.seek(where[1])
                head, _, body = pack.read(where[2]).partition(b"\n")
            state = json.loads(head)
            if body:
                out.extend(zlib.decompress(body).split(b"\n"))
            return _Outcome(shown, state.get("error"), state.get("questions", 0), key, tuple(where), True)
        except (OSError, ValueError, TypeError, zlib.error):
            pass  # damaged or gone: convert
    error, questions, triples = _convert_text(data, shown)
    lines = sorted({line.encode("utf-8") for line in triples})
    out.extend(lines)
    if cache is not None:
        head = json.dumps({"error": error} if error else {"questions": questions}).encode()
        # Compressed: a tenth of the bytes for 0.2 ms a document.
        fresh.append(head + b"\n" + (zlib.compress(b"\n".join(lines), 3) if lines else b""))
    return _Outcome(shown, error, questions, key, None)


def _convert_batch(task: tuple[int, list[tuple[str, str]], str]) -> list[_Outcome]:
    """A batch of documents -> one run file of their triples as sorted, unique N-Triples lines,
    and one pack of cache entries for the documents it converted.
    Sorting here, in the workers, leaves the main process a linear merge of the runs. Each
    document's lines are already sorted, which the sort finds and merges."""
    index, jobs, scratch = task
    lines: list[bytes] = []
    fresh: list[bytes] = []
    results = [_convert(path, shown, lines, fresh) for path, shown in jobs]
    lines.sort()
    unique = list(dict.fromkeys(lines))  # sorted, so duplicates are neighbours; order is kept
    (Path(scratch) / f"run-{index:07d}.nt").write_bytes(b"\n".join(unique) + b"\n" if unique else b"")
    if fresh:
        # One file per batch, not per document: creating a file costs more than converting.
        keys = [outcome.key for outcome in results if outcome.key is not None and not outcome.reused]
        name = "pack-" + hashlib.sha256("".join(keys).encode()).hexdigest()[:24]
        offset = 0
        for position, (key, entry) in enumerate(zip(keys, fresh)):
            keys[position] = (key, (name, offset, len(entry)))
            offset += len(entry)
        temp = _STATE["cache"] / f".{name}.{os.getpid()}"
        temp.write_bytes(b"".join(fresh))
        os.replace(temp, _STATE["cache"] / name)  # a crash leaves no half pack
        located = dict(keys)
        results = [replace(outcome, entry=located[outcome.key]) if outcome.key in located else outcome
                   for outcome in results]
    return results


def _results(jobs: list[tuple[str, str]], base: str, social: bool, scratch: Path,
             cache: Path | None, index: dict[str, list]) -> Iterator[_Outcome]:
    tasks = [(i, jobs[start:start + BATCH], str(scratch)) for i, start in enumerate(range(0, len(jobs), BATCH))]
    initargs = (base, social, str(cache) if cache else None, index)
    if len(jobs) < POOL_THRESHOLD or (os.cpu_count() or 1) < 2:
        _init_worker(*initargs)
        for task in tasks:
            yield from _convert_batch(task)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with context.Pool(os.cpu_count(), initializer=_init_worker, initargs=initargs) as pool:
        for results in pool.imap(_convert_batch, tasks):
            yield from results


INDEX = "index.json"  # document key -> [pack, offset, length] of its entry


def _load_index(cache: Path) -> dict[str, list]:
    try:
        index = json.loads((cache / INDEX).read_bytes())
        return index if isinstance(index, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_index(cache_root: Path, cache: Path, index: dict[str, tuple[str, int, int]]) -> None:
    """Record where each current document's entry is, then drop what nothing refers to: packs
    of documents removed or changed since, and caches of other fingerprints."""
    write_atomic(cache / INDEX, lambda p: p.write_text(json.dumps(index, sort_keys=True), encoding="utf-8"))
    for other in cache_root.iterdir():
        if other != cache:
            shutil.rmtree(other, ignore_errors=True) if other.is_dir() else other.unlink(missing_ok=True)
    used = {where[0] for where in index.values()}
    for pack in cache.iterdir():
        if pack.name != INDEX and pack.name not in used:
            pack.unlink(missing_ok=True)


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


def _write_gzip(path: Path, sorted_dump: Path) -> None:
    """Deterministic gzip (no name, no timestamp) of the sorted N-Triples file."""
    with sorted_dump.open("rb") as source, path.open("wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=3) as out:
        shutil.copyfileobj(source, out, 1 << 20)


TURTLE_PIECE = 64 << 20  # bytes of N-Triples per parallel Turtle writer, at least


def _write_turtle(path: Path, sorted_dump: Path, minter: UriMinter) -> None:
    from kg.rdf.turtle import write_turtle_file
    from kg.rdf.vocab import prefixes

    processes = min(os.cpu_count() or 1, max(1, sorted_dump.stat().st_size // TURTLE_PIECE))
    write_turtle_file(sorted_dump, path, prefixes(minter.ns_iri), processes)


def merge_runs(runs: list[Path], target: Path, scratch: Path) -> None:
    """Merge sorted, unique N-Triples runs bytewise into `target`, without duplicates. GNU sort
    merges out of core (memory stays bounded at any size); without it, in memory."""
    sort = shutil.which("sort")
    if sort is not None:
        command = [sort, "-m", "-u", "--batch-size=64", "-S", "256M", "-T", str(scratch),
                   "-o", str(target), *map(str, runs)]
        result = subprocess.run(command, env={**os.environ, "LC_ALL": "C"}, capture_output=True)
        if result.returncode == 0:
            return
    lines = {line for run in runs for line in run.read_bytes().splitlines()}
    lines.discard(b"")
    with target.open("wb") as out:
        for line in sorted(lines):
            out.write(line + b"\n")


def _write_ontology(path: Path, minter: UriMinter) -> None:
    from kg.ontology import load_ontology, load_shapes

    graph = load_ontology(minter)
    graph += load_shapes(minter)
    from kg.rdf.vocab import prefixes

    for name, namespace in prefixes(minter.ns_iri).items():
        graph.bind(name, namespace, override=True, replace=True)
    path.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))


def _reference_lines(minter: UriMinter) -> list[str]:
    """What every build holds whatever its documents: the governments and the conversion."""
    from kg.government import load_governments
    from kg.rdf.governments import government_triples
    from kg.rdf.questions import provenance_lines

    return sorted({*government_triples(load_governments(), minter), *provenance_lines(minter)})


def _stage(target: Path, write: Callable[[Path], None], staged: list[tuple[Path, Path]]) -> None:
    """Write `target`'s new content to its temporary name, synced, for `_commit` to rename."""
    temp = _atomic_path(target)
    staged.append((temp, target))
    write(temp)
    with temp.open("rb") as handle:
        os.fsync(handle.fileno())


def _commit(staged: list[tuple[Path, Path]]) -> None:
    """Rename every staged file into place, one right after the other: the outputs of one build
    replace those of the previous one together, so a build killed while writing leaves the
    previous graph, dumps and build.json, never some of each."""
    for temp, target in staged:
        os.replace(temp, target)


def _discard(staged: list[tuple[Path, Path]]) -> None:
    for temp, _ in staged:
        temp.unlink(missing_ok=True)


def _write_outputs(out_dir: Path, sorted_dump: Path, minter: UriMinter, staged: list[tuple[Path, Path]]) -> None:
    """Stage graph.nt.gz, graph.ttl and ontology.ttl (committed with build.json, by `build`)."""
    # Compression releases the GIL: the dump is written while the Turtle is.
    errors: list[BaseException] = []
    dump: list[tuple[Path, Path]] = []

    def write_dump() -> None:
        try:
            _stage(out_dir / "graph.nt.gz", lambda p: _write_gzip(p, sorted_dump), dump)
        except BaseException as error:  # re-raised below, in the caller's thread
            errors.append(error)

    gzip_thread = threading.Thread(target=write_dump, name="graph.nt.gz")
    gzip_thread.start()
    try:
        _stage(out_dir / "graph.ttl", lambda p: _write_turtle(p, sorted_dump, minter), staged)
        _stage(out_dir / "ontology.ttl", lambda p: _write_ontology(p, minter), staged)
    finally:
        gzip_thread.join()
        staged[:0] = dump
    if errors:
        raise errors[0]


class _Progress:
    """Documents done, rate and time left on stderr, at most once a second."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled = total, enabled
        self.start = self.last = time.monotonic()

    def step(self, done: int, reused: int = 0) -> None:
        now = time.monotonic()
        if self.enabled and (now - self.last >= 1.0 or done == self.total):
            self.last = now
            rate = done / max(now - self.start, 1e-9)
            left = (self.total - done) / rate if rate else 0.0
            cached = f", {reused} unchanged" if reused else ""
            print(f"\r{done}/{self.total} documents{cached} ({rate:,.0f}/s, {left:,.0f} s left)  ",
                  end="", file=sys.stderr, flush=True)
            if done == self.total:
                print(file=sys.stderr)

    def say(self, message: str) -> None:
        if self.enabled:
            print(message, file=sys.stderr, flush=True)


def build(inputs: list[Path], out_dir: Path, *, base: str = DEFAULT_BASE,
          progress: bool = False, social: bool = True, full: bool = False) -> BuildReport:
    """Convert `inputs` (files and folders) into `out_dir`: graph.ttl, graph.nt.gz, ontology.ttl
    and build.json. Failed documents are in the report; they never stop the others.

    Builds are incremental: each document's triples are kept in `out_dir/.cache/`, keyed by its
    path and content, and only new or changed documents are converted again; the graph is then
    merged from every current document's triples, so it is the same, byte for byte, as a full
    build of the same documents (a removed document's triples go unless another gives them).
    `full=True` drops the cache and converts everything. `social=False` leaves out the
    social-media extraction (`kg.rdf.social`), e.g. to measure the rest of the conversion."""
    started = time.monotonic()
    minter = UriMinter(base)
    files = collect_inputs(inputs)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = BuildReport(out_dir=out_dir)
    meter = _Progress(len(files), progress)
    jobs = [(str(path), display_path(path)) for path in files]
    cache_root = out_dir / CACHE
    if full:
        shutil.rmtree(cache_root, ignore_errors=True)
    cache = cache_root / cache_fingerprint(minter.base, social)
    cache.mkdir(parents=True, exist_ok=True)
    index: dict[str, tuple[str, int, int]] = {}

    with tempfile.TemporaryDirectory(prefix=".kg-build-", dir=out_dir) as scratch_name:
        scratch = Path(scratch_name)
        parts = scratch / "parts"
        parts.mkdir()
        (parts / "reference.nt").write_bytes(("\n".join(_reference_lines(minter)) + "\n").encode("utf-8"))
        # Every batch of documents leaves a sorted run on disk: no process holds the graph.
        for done, outcome in enumerate(_results(jobs, minter.base, social, parts, cache, _load_index(cache)),
                                       start=1):
            if outcome.error is not None:
                report.failed.append((outcome.shown, outcome.error))
            else:
                report.converted.append(outcome.shown)
                report.questions += outcome.questions
            if outcome.key is not None and outcome.entry is not None:
                index[outcome.key] = outcome.entry
            report.reused += outcome.reused
            meter.step(done, report.reused)
        report.phases["convert"] = time.monotonic() - started
        meter.say("sorting triples")
        sorted_dump = scratch / "sorted.nt"
        merge_runs(sorted(parts.iterdir()), sorted_dump, scratch)
        shutil.rmtree(parts)
        report.phases["sort"] = time.monotonic() - started - report.phases["convert"]
        with sorted_dump.open("rb") as counting:
            report.triples = sum(chunk.count(b"\n") for chunk in iter(lambda: counting.read(1 << 20), b""))
        meter.say(f"writing {report.triples} triples")
        staged: list[tuple[Path, Path]] = []
        try:
            _write_outputs(out_dir, sorted_dump, minter, staged)
        except BaseException:
            _discard(staged)
            raise
        report.phases["write"] = time.monotonic() - started - report.phases["convert"] - report.phases["sort"]

    _save_index(cache_root, cache, index)
    report.seconds = time.monotonic() - started
    info = {
        "base": minter.base,
        "kg_version": __version__,
        "documents": len(files),
        "converted": len(report.converted),
        "failed": len(report.failed),
        "questions": report.questions,
        "triples": report.triples,
        "failures": [{"path": path, "message": message} for path, message in report.failed],
    }
    try:
        _stage(out_dir / "build.json",
               lambda p: p.write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"), staged)
        _commit(staged)
    finally:
        _discard(staged)
    return report
