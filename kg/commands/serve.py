"""`kg serve`: publish a built graph over HTTP (SPARQL endpoint, linked-data pages, dumps, VoID)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.cli import EXIT_FAILURE, EXIT_OK, EXIT_USAGE


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("out"), metavar="DIR",
                        help="folder `kg build` wrote (default: out/); built from seeds/ when empty")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument("--base-uri", metavar="URI",
                        help="base of the graph's URIs (default: the one recorded in DIR/build.json)")
    parser.add_argument("--query-timeout", type=float, default=10.0, metavar="S",
                        help="seconds a SPARQL query may run before it is stopped (default: 10)")
    parser.add_argument("--result-limit", type=int, default=10_000, metavar="N",
                        help="most rows or triples a SPARQL query returns (default: 10000)")
    parser.add_argument("--workers", type=int, default=2, metavar="N",
                        help="SPARQL worker processes; one slow query holds only one (default: 2)")


def has_graph(data_dir: Path) -> bool:
    return (data_dir / "graph.nt.gz").is_file() or (data_dir / "graph.ttl").is_file()


def run(args: argparse.Namespace) -> int:
    from kg.store import StoreError, recorded_base
    from kg.uris import normalize_base

    data_dir: Path = args.data
    try:
        base = normalize_base(args.base_uri) if args.base_uri else None
    except ValueError as error:
        print(f"kg serve: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.query_timeout <= 0 or args.result_limit < 1 or args.workers < 1:
        print("kg serve: --query-timeout must be > 0, --result-limit and --workers >= 1", file=sys.stderr)
        return EXIT_USAGE

    if not has_graph(data_dir):
        status = build_seeds(data_dir, base)
        if status != EXIT_OK:
            return status
    recorded = recorded_base(data_dir)
    if base and recorded and normalize_base(recorded) != base:
        print(f"kg serve: {data_dir} was built with base URI {recorded}, not {base}; "
              f"rebuild it with `kg build --base-uri {base}` or drop --base-uri", file=sys.stderr)
        return EXIT_USAGE

    import logging

    import uvicorn

    logging.basicConfig(format="kg serve: %(message)s", level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("kg").setLevel(logging.INFO)

    from kg.web.app import create_app
    from kg.web.settings import Settings

    settings = Settings.for_data(
        data_dir, base=base, query_timeout=args.query_timeout,
        result_limit=args.result_limit, workers=args.workers,
    )
    try:
        app = create_app(settings)
    except StoreError as error:
        print(f"kg serve: {error}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"kg serve: {data_dir} ({app.state.kg.store.triple_count()} triples, base {settings.base}) "
          f"on http://{args.host}:{args.port}/", file=sys.stderr, flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", timeout_graceful_shutdown=5)
    return EXIT_OK


def build_seeds(data_dir: Path, base: str | None) -> int:
    """Nothing to serve yet: build the bundled seed documents into `data_dir`."""
    from kg.paths import SEEDS_DIR

    try:
        from kg.build import build
    except ModuleNotFoundError:
        print(f"kg serve: {data_dir} has no graph and `kg build` is unavailable", file=sys.stderr)
        return EXIT_FAILURE
    print(f"kg serve: nothing in {data_dir} yet; building {SEEDS_DIR}", file=sys.stderr, flush=True)
    options = {"base": base} if base else {}
    report = build([SEEDS_DIR], data_dir, **options)
    for path, message in report.failed:
        print(f"kg serve: {path}: {message}", file=sys.stderr)
    return EXIT_OK if has_graph(data_dir) else EXIT_FAILURE
