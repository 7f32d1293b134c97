"""Conversion benchmark: documents/s and peak memory of `kg build` on N generated documents.

    .venv/bin/python benchmarks/convert.py --documents 10000
    .venv/bin/python benchmarks/convert.py --documents 100000 --work DIR --reuse --incremental

A full build (`full=True`: the cache is dropped) is timed first; with `--incremental`, 1% of the
documents then change (a third edited, a third removed, a third new) and the incremental build
that follows is timed too, and checked against a full build of the final documents.
CPU time (user + system, workers and `sort` included) is printed beside wall time: on a shared
machine it is the steadier figure.

Documents come from `kg.synth.write_corpus` (seed 0), in the profile `--profile` names: "mixed"
(the record as a whole, about 235 triples a question) or "seeds" (the seeds' size and shape, about
880). Generation is not timed.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def generate(count: int, folder: Path, profile: str) -> str:
    from kg.synth import write_corpus

    write_corpus(count, folder, seed=0, profile=profile)
    return f"kg.synth.write_corpus, seed 0, profile {profile}"


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(call):
    """(result, wall seconds, CPU seconds of this process and its children)."""
    wall, cpu = time.monotonic(), cpu_seconds()
    result = call()
    return result, time.monotonic() - wall, cpu_seconds() - cpu


def change_one_percent(docs: Path) -> tuple[int, dict[Path, bytes | None]]:
    """Edit, remove and add a third of 1% of the documents each (evenly spread, deterministic).
    Returns the count and what undoes it (path -> original bytes, None for a new file)."""
    files = sorted(docs.rglob("*.txt"))
    count = max(3, len(files) // 100)
    step = len(files) // count
    chosen = files[::step][:count]
    undo: dict[Path, bytes | None] = {}
    for index, path in enumerate(chosen):
        undo[path] = path.read_bytes()
        if index % 3 == 0:
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + " Later toegevoegd.\n", encoding="utf-8")
        elif index % 3 == 1:
            path.unlink()
        else:  # a new document: a copy of another under a new question number
            source = files[(files.index(path) + 1) % len(files)]
            text = source.read_text(encoding="utf-8")
            added = path.parent / f"new-{index}-{path.name}"
            added.write_text(text.replace("-", "-9", 1), encoding="utf-8")
            undo[added] = None
    return count, undo


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument(
        "--profile",
        choices=("mixed", "seeds"),
        default="mixed",
        help="kg synth's profile: the record as a whole, or documents the seeds' size",
    )
    parser.add_argument(
        "--without-social", action="store_true", help="leave out the social-media extraction, to measure the rest alone"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep documents already generated in --work by an earlier run"
    )
    parser.add_argument("--work", type=Path, default=None, help="folder for documents and output (default: temp)")
    parser.add_argument(
        "--incremental", action="store_true", help="then change 1%% of the documents and time the incremental build"
    )
    args = parser.parse_args()

    from kg.build.pipeline import build

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    docs, out = work / ("docs" if args.profile == "mixed" else f"docs-{args.profile}"), work / "out"
    started = time.monotonic()
    if args.reuse and docs.is_dir() and sum(1 for _ in docs.rglob("*.txt")) == args.documents:
        source = "reused"
    else:
        shutil.rmtree(docs, ignore_errors=True)
        docs.mkdir(parents=True)
        source = generate(args.documents, docs, args.profile)
    print(f"generated {args.documents} documents ({source}) in {time.monotonic() - started:.1f} s", file=sys.stderr)

    report, seconds, cpu = timed(lambda: build([docs], out, progress=True, social=not args.without_social, full=True))
    size = (out / "graph.ttl").stat().st_size / 1e6
    print(f"social-media extraction: {'no' if args.without_social else 'yes'}")
    print(f"documents: {args.documents}  converted: {len(report.converted)}  failed: {len(report.failed)}")
    print(f"questions: {report.questions}  triples: {report.triples}  graph.ttl: {size:.0f} MB")
    print(
        f"full build: {seconds:.1f} s  rate: {args.documents / seconds:,.0f} documents/s, "
        f"{report.triples / seconds:,.0f} triples/s  CPU {cpu:.1f} s ({cpu * 1000 / args.documents:.2f} ms/document)  ("
        + ", ".join(f"{name} {value:.1f} s" for name, value in report.phases.items())
        + ")"
    )
    if args.incremental:
        changed, undo = change_one_percent(docs)
        report, seconds, cpu = timed(lambda: build([docs], out, progress=True, social=not args.without_social))
        print(
            f"incremental build, {changed} documents changed: {seconds:.1f} s  CPU {cpu:.1f} s  "
            f"reused {report.reused}  pieces written anew {report.pieces[0]:,} of {report.pieces[1]:,}  ("
            + ", ".join(f"{name} {value:.1f} s" for name, value in report.phases.items())
            + ")"
        )
        memory = peak_mb(resource.RUSAGE_SELF)  # of the builds, before the check below
        check = work / "check"
        build([docs], check, social=not args.without_social, full=True)
        same = all(
            filecmp.cmp(out / name, check / name, shallow=False) for name in ("graph.ttl", "graph.nt.gz", "build.json")
        )
        print(f"incremental result equals a full build: {'yes' if same else 'NO'}")
        shutil.rmtree(check)
        for path, content in undo.items():  # the documents as generated, for the next --reuse
            path.unlink(missing_ok=True) if content is None else path.write_bytes(content)
    print(
        f"peak memory: main {memory if args.incremental else peak_mb(resource.RUSAGE_SELF):,.0f} MB, "
        f"largest worker {peak_mb(resource.RUSAGE_CHILDREN):,.0f} MB"
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if args.work is None:
        shutil.rmtree(work)
    return 0 if not report.failed else 1


if __name__ == "__main__":
    sys.exit(main())
