"""CPU time per document of the conversion `kg build` runs in its workers, in one process.

    .venv/bin/python benchmarks/convert_cpu.py DOCS [--limit N] [--repeat R] [--profile] [--dump FILE]

Reads the documents into memory first (reading is not timed), loads the reference data once as
a `kg build` worker does, then times the conversion a worker runs per document (`parse_text`,
then `question_lines` and `social_lines` per record: parse -> records -> extraction ->
N-Triples lines) with `time.process_time`: CPU, not wall, so a busy machine matters less. It
calls the conversion modules directly, not `kg.build.pipeline`, so it measures them alone.

Compare first passes: `--repeat` runs the whole set again in the same process, but a later pass
finds every repeated line, text and record in the caches, which no worker meets. On a shared
machine alternate the versions compared over several runs and take the least of each.
`--dump` writes the sorted unique lines of all documents, to compare outputs before and after a
change. `--worker` times what a `kg build` worker runs per document instead
(`kg.build.pipeline._convert_text`, set up as a pool worker is: the above, and the questions'
timings, descriptor pairs and search notes, a batch's notes written at once to a temporary cache).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import time
from pathlib import Path

from kg.extract.gazetteer import load_gazetteer
from kg.extract.patterns import load_patterns
from kg.parse import parse_text
from kg.parse.records import DocumentError
from kg.rdf.questions import question_lines
from kg.rdf.social import social_lines
from kg.reference.governments import Governments, load_governments
from kg.uris import DEFAULT_BASE, UriMinter


def load(folder: Path, limit: int | None) -> list[tuple[bytes, str]]:
    paths = sorted(folder.rglob("*.txt"))[:limit]
    return [(path.read_bytes(), str(path)) for path in paths]


def convert(data: bytes, shown: str, minter: UriMinter, governments: Governments) -> list[str]:
    """One document's N-Triples lines, as a build worker makes them (errors give none)."""
    try:
        document = parse_text(data, shown)
    except (DocumentError, ValueError):  # ValueError: UnicodeError among others
        return []
    lines: list[str] = []
    for record in document.questions:
        lines.extend(question_lines(record, minter, governments))
        lines.extend(social_lines(record, minter))
    return lines


def one_pass(documents: list[tuple[bytes, str]], keep: set[str] | None) -> float:
    """Seconds of CPU for converting every document once."""
    minter, governments = UriMinter(DEFAULT_BASE), load_governments()
    start = time.process_time()
    for data, shown in documents:
        lines = convert(data, shown, minter, governments)
        if keep is not None:
            keep.update(lines)
    return time.process_time() - start


def worker_pass(documents: list[tuple[bytes, str]], keep: set[str] | None) -> float:
    """Seconds of CPU for converting every document once as a build worker does."""
    import tempfile

    from kg.build import pipeline
    from kg.search.notes import append_notes

    cache = Path(tempfile.mkdtemp(prefix="kg-convert-cpu-"))
    pipeline._init_pool_worker(DEFAULT_BASE, True, str(cache))
    start = time.process_time()
    for index, (data, shown) in enumerate(documents, start=1):
        lines = pipeline._convert_text(data, shown)[2]
        if keep is not None:
            keep.update(lines)
        if index % pipeline.BATCH == 0:
            append_notes(cache, pipeline._STATE.pop("notes", []))
    append_notes(cache, pipeline._STATE.pop("notes", []))
    seconds = time.process_time() - start
    shutil.rmtree(cache, ignore_errors=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("docs", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--worker", action="store_true", help="time a build worker's whole conversion")
    args = parser.parse_args()
    run = worker_pass if args.worker else one_pass

    documents = load(args.docs, args.limit)
    load_governments(), load_gazetteer(), load_patterns()  # once per worker, not per document
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        run(documents, None)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(45)
        return
    keep: set[str] | None = set() if args.dump else None
    passes = [run(documents, keep) for _ in range(args.repeat)]
    for index, seconds in enumerate(passes, start=1):
        print(
            f"pass {index}: {len(documents)} documents, {seconds:.3f} s CPU, "
            f"{seconds / len(documents) * 1e3:.3f} ms/document"
        )
    if args.dump and keep is not None:
        args.dump.write_text("".join(line + "\n" for line in sorted(keep)), encoding="utf-8")


if __name__ == "__main__":
    main()
