"""`kg build [PATH ...] [--out DIR] [--base-uri URI]`: documents -> graph files."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kg.paths import SEEDS_DIR
from kg.uris import DEFAULT_BASE

if TYPE_CHECKING:
    from kg.stores.config import RemoteConfig


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="documents (text, or web pages saved as .htm/.html) or folders of them, "
        "read recursively (default: seeds/)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("out"),
        metavar="DIR",
        help="where graph.ttl, graph.nt.gz, ontology.ttl and build.json go (default: out/)",
    )
    parser.add_argument(
        "--base-uri", default=DEFAULT_BASE, metavar="URI", help=f"base of every minted URI (default: {DEFAULT_BASE})"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument(
        "--full",
        action="store_true",
        help="convert every document again instead of reusing what the last build "
        "in DIR converted from unchanged documents (kept in DIR/.cache/)",
    )
    parser.add_argument(
        "--as-of",
        type=_day,
        default=None,
        metavar="YYYY-MM-DD",
        help="the reference date of the answer-time statistics: open questions are "
        "overdue when their deadline is before it (default: the latest date in "
        "the documents, so the same documents always give the same graph)",
    )
    from kg.stores.config import add_store_arguments

    add_store_arguments(parser)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def run(args: argparse.Namespace) -> int:
    from kg.build.pipeline import build
    from kg.uris import normalize_base

    try:
        base = normalize_base(args.base_uri)
    except ValueError as error:
        print(f"kg build: {error}", file=sys.stderr)
        return 2
    from kg.stores.config import config_from_args

    try:
        remote = config_from_args(args)
    except ValueError as error:
        print(f"kg build: {error}", file=sys.stderr)
        return 2
    from kg.reference.deadlines import load_deadline_rules
    from kg.reference.descriptors import load_descriptors
    from kg.reference.governments import load_governments
    from kg.reference.links import check_governments, load_links

    try:
        load_deadline_rules()  # read before any document: a wrong rule stops the build at once
        check_governments(load_links(), {g.key for g in load_governments().governments})  # and a bad link
        load_descriptors()
    except ValueError as error:
        print(f"kg build: {error}", file=sys.stderr)
        return 2
    from kg.queries import HeaderError, load_catalog

    try:
        load_catalog()  # a broken stored query stops the build, with its file and line
    except HeaderError as error:
        print(f"kg build: {error}", file=sys.stderr)
        return 2
    paths = args.paths or [SEEDS_DIR]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"kg build: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    report = build(
        paths,
        args.out,
        base=base,
        progress=not args.quiet and sys.stderr.isatty(),
        full=args.full,
        as_of=args.as_of,
        index_now=False,  # made current once the store holds the same build
    )
    for _, message in report.failed:
        print(f"kg build: {message}", file=sys.stderr)
    for _, message in report.incomplete:
        print(f"kg build: warning: {message}", file=sys.stderr)
    print(f"{report.counts()} ({report.questions} questions, {report.triples} triples) -> {args.out}")
    for line in (
        report.coverage_lines() + report.unresolved_lines() + report.unreconciled_lines() + report.unpaired_lines()
    ):
        print(line)
    if report.reused:
        written, pieces = report.pieces
        print(
            f"  {len(report.converted) + len(report.failed) - report.reused} documents new or changed,"
            f" {report.reused} unchanged; {written} of {pieces} pieces of the graph files written anew"
        )
    status = publish_store(args.out, base, remote, quiet=args.quiet, change_file=report.change_file)
    if report.pending_index is not None:
        if status:
            print(
                "kg build: the search index of this build stays unused, as the store was not updated", file=sys.stderr
            )
        else:
            from kg.search.writer import activate_index

            activate_index(args.out, report.pending_index)
    return status if status else (0 if not report.failed else 1)


def publish_store(
    out: Path, base: str, remote: RemoteConfig | None, *, quiet: bool, change_file: Path | None = None
) -> int:
    """Load the graph just written into the store `kg serve` reads: the embedded one in `out`
    (so serving opens it at once, patched with the build's change when it has one) or the SPARQL
    server. 0 when done, 1 when it failed."""
    from kg.stores import publish
    from kg.stores.errors import StoreError

    def progress(message: str) -> None:
        if not quiet:
            print(f"kg build: {message}", file=sys.stderr, flush=True)

    try:
        print(
            publish(
                out,
                base=base,
                remote=remote,
                progress=progress,
                change_file=change_file,
            )
        )
    except (StoreError, OSError) as error:
        print(f"kg build: the store was not updated: {error}", file=sys.stderr)
        return 1
    return 0
