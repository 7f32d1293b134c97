"""Conversion benchmark: documents/s and peak memory of `kg build` on N generated documents.

    .venv/bin/python benchmarks/convert.py --documents 10000
    .venv/bin/python benchmarks/convert.py --documents 100000

Documents come from `kg.synth.write_corpus` (seed 0) when it is available; otherwise the seeds are copied
with new question numbers (same size and shape as real pages). Generation is not timed.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from kg.paths import SEEDS_DIR


def generate_from_seeds(count: int, folder: Path) -> None:
    """Copies of the seeds with question numbers 5-1 ... 5-count and varied siblings."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]
    for index in range(count):
        text = seeds[index % len(seeds)]
        number = index + 1
        text = re.sub(r"5-89(\d\d)", lambda m: f"5-{(number + int(m.group(1))) % 99999 + 1}", text)
        text = re.sub(r"(nr\. |Vraag nr\. )5-\d+", rf"\g<1>5-{number}", text)
        sub = folder / f"{number // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"5-{number}-nl.txt").write_text(text, encoding="utf-8")


def generate(count: int, folder: Path) -> str:
    try:
        from kg.synth import write_corpus
    except ImportError:
        generate_from_seeds(count, folder)
        return "seed copies"
    write_corpus(count, folder, seed=0)
    return "kg.synth.write_corpus, seed 0"


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--without-social", action="store_true",
                        help="leave out the social-media extraction, to measure the rest alone")
    parser.add_argument("--reuse", action="store_true",
                        help="keep documents already generated in --work by an earlier run")
    parser.add_argument("--work", type=Path, default=None, help="folder for documents and output (default: temp)")
    args = parser.parse_args()

    from kg.build import build

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    docs, out = work / "docs", work / "out"
    started = time.monotonic()
    if args.reuse and docs.is_dir() and sum(1 for _ in docs.rglob("*.txt")) == args.documents:
        source = "reused"
    else:
        shutil.rmtree(docs, ignore_errors=True)
        docs.mkdir(parents=True)
        source = generate(args.documents, docs)
    print(f"generated {args.documents} documents ({source}) in {time.monotonic() - started:.1f} s", file=sys.stderr)

    started = time.monotonic()
    report = build([docs], out, progress=True, social=not args.without_social)
    seconds = time.monotonic() - started
    size = (out / "graph.ttl").stat().st_size / 1e6
    print(f"social-media extraction: {'no' if args.without_social else 'yes'}")
    print(f"documents: {args.documents}  converted: {len(report.converted)}  failed: {len(report.failed)}")
    print(f"questions: {report.questions}  triples: {report.triples}  graph.ttl: {size:.0f} MB")
    print(f"time: {seconds:.1f} s  rate: {args.documents / seconds:,.0f} documents/s  ("
          + ", ".join(f"{name} {value:.1f} s" for name, value in report.phases.items()) + ")")
    print(f"peak memory: main {peak_mb(resource.RUSAGE_SELF):,.0f} MB, "
          f"largest worker {peak_mb(resource.RUSAGE_CHILDREN):,.0f} MB")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    if args.work is None:
        shutil.rmtree(work)
    return 0 if not report.failed else 1


if __name__ == "__main__":
    sys.exit(main())
