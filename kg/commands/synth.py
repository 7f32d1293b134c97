"""`kg synth`: write realistic written-question documents (all renderings, both languages) for
trying kg out and for benchmarks. The same --count and --seed always give the same files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be zero or more")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--count", type=_count, default=100, metavar="N", help="how many documents to write (default 100)"
    )
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder to write them into (created if missing)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="random seed; the same seed and count give byte-identical files (default 0)",
    )
    parser.add_argument(
        "--profile",
        choices=("mixed", "seeds"),
        default="mixed",
        help="mixed: the record as a whole (about 210 triples a question once built); "
        "seeds: shaped like the seed documents, long answers describing many "
        "agencies and accounts (about 600-700), for benchmarks (default mixed)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress or summary on stderr")


def run(args: argparse.Namespace) -> int:
    from kg.synth import write_corpus

    try:
        paths = write_corpus(
            args.count, args.out, args.seed, progress=not args.quiet and args.count >= 10_000, profile=args.profile
        )
    except OSError as error:
        print(f"kg synth: cannot write to {args.out}: {error}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"kg synth: wrote {len(paths)} documents to {args.out}", file=sys.stderr)
    return 0
