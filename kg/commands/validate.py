"""`kg validate [FILE]`: check a built graph against kg's SHACL shapes and the European
Parliament's parliamentary-questions shapes where they apply (docs/linked-data.md).

Exit 0 when it conforms, 1 on violations (one per line: focus node, path, message), 2 when the
file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        nargs="?",
        type=Path,
        default=Path("out/graph.ttl"),
        help="graph to check, Turtle or N-Triples (.nt, .nt.gz); default out/graph.ttl",
    )
    parser.add_argument(
        "--base-uri",
        default=None,
        metavar="URI",
        help="base URI the graph was built with (default: from build.json beside FILE)",
    )


def run(args: argparse.Namespace) -> int:
    from kg.validate import UnreadableGraph, validate_file

    try:
        result = validate_file(args.file, args.base_uri)
    except UnreadableGraph as error:
        print(f"kg validate: {error}", file=sys.stderr)
        return 2
    for violation in result.violations:
        print(violation)
    if result.conforms:
        print(f"{args.file}: conforms", file=sys.stderr)
        return 0
    print(f"{args.file}: {len(result.violations)} results, does not conform", file=sys.stderr)
    return 1
