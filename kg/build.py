"""Documents -> the published graph files.

Each document is parsed and mapped to triples on its own (in a process pool for large builds);
a document that cannot be read is reported and skipped, the rest still converts. The triples of
all documents are written to disk as N-Triples lines, then sorted and deduplicated, which makes
every output deterministic: `graph.nt.gz` is the sorted lines, `graph.ttl` the same triples in
that order with prefixes. Nothing goes through an rdflib Graph on this path and no process holds
the whole graph in memory: it is built for 100,000 documents.
Every file is written to a temporary name and renamed, so readers never see half a file.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

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


def _init_worker(base: str, social: bool) -> None:
    from kg.government import load_governments
    from kg.parse import parse_document
    from kg.rdf.questions import question_triples

    social_triples = None
    if social:
        try:
            from kg.rdf.social import social_triples
        except ImportError:  # the social-media extraction is optional
            pass
    _STATE.update(minter=UriMinter(base), governments=load_governments(),
                  question_triples=question_triples, social_triples=social_triples,
                  parse_document=parse_document)


def _convert(path: str, shown: str, out: list[ox.Triple]) -> tuple[str, str | None, int]:
    """One document: its triples appended to `out`; (display, error message or None, questions)."""
    from kg.records import DocumentError

    minter = _STATE["minter"]
    try:
        document = _STATE["parse_document"](Path(path), shown)
    except DocumentError as error:
        return shown, str(error), 0
    except (OSError, UnicodeError, ValueError) as error:
        return shown, f"{shown}: {error}", 0
    if not document.questions:
        return shown, f"{shown}: expected a written question, found none", 0
    triples: list[ox.Triple] = []
    try:
        for record in document.questions:
            triples.extend(_STATE["question_triples"](record, minter, _STATE["governments"]))
            if _STATE["social_triples"] is not None:
                triples.extend(_STATE["social_triples"](record, minter))
    except ValueError as error:  # e.g. a name that yields no URI
        return shown, f"{shown}: cannot map: {error}", 0
    out.extend(triples)
    return shown, None, len(document.questions)


def _convert_batch(task: tuple[int, list[tuple[str, str]], str]) -> list[tuple[str, str | None, int]]:
    """A batch of documents -> one run file of their triples as sorted, unique N-Triples lines.
    Sorting here, in the workers, leaves the main process a linear merge of the runs."""
    index, jobs, scratch = task
    triples: list[ox.Triple] = []
    results = [_convert(path, shown, triples) for path, shown in jobs]
    lines = sorted(set(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines()))
    (Path(scratch) / f"run-{index:07d}.nt").write_bytes(b"\n".join(lines) + b"\n" if lines else b"")
    return results


def _results(jobs: list[tuple[str, str]], base: str, social: bool,
             scratch: Path) -> Iterator[tuple[str, str | None, int]]:
    tasks = [(i, jobs[start:start + BATCH], str(scratch)) for i, start in enumerate(range(0, len(jobs), BATCH))]
    if len(jobs) < POOL_THRESHOLD or (os.cpu_count() or 1) < 2:
        _init_worker(base, social)
        for task in tasks:
            yield from _convert_batch(task)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with context.Pool(os.cpu_count(), initializer=_init_worker, initargs=(base, social)) as pool:
        for results in pool.imap(_convert_batch, tasks):
            yield from results


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


def _reference_lines(minter: UriMinter) -> list[bytes]:
    from kg.government import load_governments
    from kg.rdf.governments import government_triples
    from kg.rdf.questions import provenance_triples

    triples = set(government_triples(load_governments(), minter))
    triples.update(provenance_triples(minter))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines()


def _write_outputs(out_dir: Path, sorted_dump: Path, minter: UriMinter) -> None:
    # Compression releases the GIL: the dump is written while the Turtle is.
    errors: list[BaseException] = []

    def write_dump() -> None:
        try:
            write_atomic(out_dir / "graph.nt.gz", lambda p: _write_gzip(p, sorted_dump))
        except BaseException as error:  # re-raised below, in the caller's thread
            errors.append(error)

    gzip_thread = threading.Thread(target=write_dump, name="graph.nt.gz")
    gzip_thread.start()
    try:
        write_atomic(out_dir / "graph.ttl", lambda p: _write_turtle(p, sorted_dump, minter))
        write_atomic(out_dir / "ontology.ttl", lambda p: _write_ontology(p, minter))
    finally:
        gzip_thread.join()
    if errors:
        raise errors[0]


class _Progress:
    """Documents done and rate on stderr, at most once a second."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled = total, enabled
        self.start = self.last = time.monotonic()

    def step(self, done: int) -> None:
        now = time.monotonic()
        if self.enabled and (now - self.last >= 1.0 or done == self.total):
            self.last = now
            rate = done / max(now - self.start, 1e-9)
            print(f"\r{done}/{self.total} documents ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
            if done == self.total:
                print(file=sys.stderr)

    def say(self, message: str) -> None:
        if self.enabled:
            print(message, file=sys.stderr, flush=True)


def build(inputs: list[Path], out_dir: Path, *, base: str = DEFAULT_BASE,
          progress: bool = False, social: bool = True) -> BuildReport:
    """Convert `inputs` (files and folders) into `out_dir`: graph.ttl, graph.nt.gz, ontology.ttl
    and build.json. Failed documents are in the report; they never stop the others.
    `social=False` leaves out the social-media extraction (`kg.rdf.social`), e.g. to measure
    the rest of the conversion on its own."""
    started = time.monotonic()
    minter = UriMinter(base)
    files = collect_inputs(inputs)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = BuildReport(out_dir=out_dir)
    meter = _Progress(len(files), progress)
    jobs = [(str(path), display_path(path)) for path in files]

    with tempfile.TemporaryDirectory(prefix=".kg-build-", dir=out_dir) as scratch_name:
        scratch = Path(scratch_name)
        parts = scratch / "parts"
        parts.mkdir()
        (parts / "reference.nt").write_bytes(b"\n".join(sorted(set(_reference_lines(minter)))) + b"\n")
        # Every batch of documents leaves a sorted run on disk: no process holds the graph.
        for done, (shown, error, questions) in enumerate(
                _results(jobs, minter.base, social, parts), start=1):
            if error is not None:
                report.failed.append((shown, error))
            else:
                report.converted.append(shown)
                report.questions += questions
            meter.step(done)
        report.phases["convert"] = time.monotonic() - started
        meter.say("sorting triples")
        sorted_dump = scratch / "sorted.nt"
        merge_runs(sorted(parts.iterdir()), sorted_dump, scratch)
        shutil.rmtree(parts)
        report.phases["sort"] = time.monotonic() - started - report.phases["convert"]
        with sorted_dump.open("rb") as counting:
            report.triples = sum(chunk.count(b"\n") for chunk in iter(lambda: counting.read(1 << 20), b""))
        meter.say(f"writing {report.triples} triples")
        _write_outputs(out_dir, sorted_dump, minter)
        report.phases["write"] = time.monotonic() - started - report.phases["convert"] - report.phases["sort"]

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
    write_atomic(out_dir / "build.json",
                 lambda p: p.write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"))
    return report
