"""`kg serve`: publish a built graph over HTTP (SPARQL endpoint, linked-data pages, dumps, VoID)."""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from kg.cli import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from kg.web.i18n import DEFAULT_LANGUAGE
from kg.web.i18n import LANGUAGES as PAGE_LANGUAGES

if TYPE_CHECKING:
    from kg.stores.config import RemoteConfig
    from kg.web.context import KgContext, StopFlag
    from kg.web.limits import Limits
    from kg.web.processes import WebProcess
    from kg.web.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from kg.web.settings import CACHE_CONTROL

    parser.add_argument(
        "--data",
        type=Path,
        default=Path("out"),
        metavar="DIR",
        help="folder `kg build` wrote (default: out/); built from seeds/ when empty",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument(
        "--base-uri", metavar="URI", help="base of the graph's URIs (default: the one recorded in DIR/build.json)"
    )
    parser.add_argument(
        "--publisher",
        type=Path,
        metavar="FILE",
        help="TOML file naming the dataset's publisher and contact point (name, email, homepage, "
        "contact, issued) for /.well-known/void (default: DIR/publisher.toml when present)",
    )
    parser.add_argument(
        "--query-timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="seconds a SPARQL query may run before it is stopped (default: 10)",
    )
    parser.add_argument(
        "--result-limit",
        type=int,
        default=10_000,
        metavar="N",
        help="most rows or triples a SPARQL query returns (default: 10000)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="SPARQL worker processes; one slow query holds only one (default: 2)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        metavar="N",
        help="web processes answering on the port, so documents and pages use every core "
        "(default: 1); more than one serves read-only: updates through KG_UPDATE_TOKEN need one",
    )
    parser.add_argument("--web-process", metavar="INDEX:FD:PID", help=argparse.SUPPRESS)  # set by --processes
    parser.add_argument(
        "--search-workers",
        type=int,
        default=2,
        metavar="N",
        help="search worker processes, so searches use every core (default: 2; 0: searches "
        "run in the server's process)",
    )
    parser.add_argument(
        "--query-memory",
        type=int,
        default=2048,
        metavar="MIB",
        help="memory a SPARQL query may take in its worker, beyond what the worker "
        "holds with the store open; a query needing more is stopped and "
        "answers 503 (default: 2048; 0: no cap)",
    )
    parser.add_argument(
        "--queries",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of stored queries (.rq files with a header, see queries/README.md) to serve "
        "as /api/{name} beside kg's own; may be given more than once",
    )
    parser.add_argument(
        "--cache-control",
        metavar="VALUE",
        default=CACHE_CONTROL,
        help="Cache-Control of documents and pages, which carry an ETag and Last-Modified "
        f"(default: {CACHE_CONTROL!r}: caches keep them and revalidate each time)",
    )
    parser.add_argument(
        "--prepare-first",
        action="store_true",
        help="count what the home page and VoID show, and write the documents of --prepare-documents, "
        "before listening, not meanwhile: a slower start, but the first requests (a crawler's) compete "
        "with nothing",
    )
    parser.add_argument(
        "--prepare-documents",
        action="store_true",
        help="write every resource's Turtle and N-Triples document and HTML page ahead (once per build: "
        "kept in DIR/kept/ for the next start; while serving, or before listening with --prepare-first) "
        "and serve them from disk, as fast as cached ones: for crawlers, which ask for each document once",
    )
    parser.add_argument(
        "--prepare-languages",
        type=page_languages,
        default=(DEFAULT_LANGUAGE,),
        metavar="LIST",
        help="with --prepare-documents: the languages whose HTML pages are written ahead, comma-separated "
        f"among {','.join(PAGE_LANGUAGES)}, or 'none' (default: {DEFAULT_LANGUAGE}, what a client naming "
        "no language gets; a page costs several times what a Turtle document does to write: each language "
        "lengthens the writing)",
    )
    limits = parser.add_argument_group("request limits")
    limits.add_argument(
        "--max-uri",
        type=int,
        default=32 * 1024,
        metavar="BYTES",
        help="longest request URI, path and query string; longer answers 414 (default: 32768)",
    )
    limits.add_argument(
        "--max-body",
        type=int,
        default=1024 * 1024,
        metavar="BYTES",
        help="largest request body; larger answers 413 (default: 1048576)",
    )
    limits.add_argument(
        "--request-timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="seconds a client may take to send a request's headers, and "
        "three times that between two pieces of its body (default: 10)",
    )
    limits.add_argument(
        "--send-timeout",
        type=float,
        default=60.0,
        metavar="S",
        help="seconds a client may take to accept a piece of the answer before it is disconnected (default: 60)",
    )
    limits.add_argument(
        "--max-connections",
        type=int,
        default=512,
        metavar="N",
        help="open connections and requests at once; more answer 503 (default: 512)",
    )
    from kg.stores.config import add_store_arguments

    add_store_arguments(parser)


def page_languages(value: str) -> tuple[str, ...]:
    """`--prepare-languages`: "en,nl" -> ("en", "nl"); "none" -> (); refused before anything starts."""
    from kg.web.settings import check_page_languages

    if value.strip().lower() == "none":
        return ()
    try:
        return check_page_languages(tuple(code.strip().lower() for code in value.split(",")))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def has_graph(data_dir: Path) -> bool:
    return (data_dir / "graph.nt.gz").is_file() or (data_dir / "graph.ttl").is_file()


def run(args: argparse.Namespace) -> int:
    from kg.stores.sources import recorded_base
    from kg.uris import normalize_base

    data_dir: Path = args.data
    try:
        base = normalize_base(args.base_uri) if args.base_uri else None
    except ValueError as error:
        print(f"kg serve: {error}", file=sys.stderr)
        return EXIT_USAGE
    if (
        args.query_timeout <= 0
        or args.result_limit < 1
        or args.workers < 1
        or args.query_memory < 0
        or args.search_workers < 0
        or args.processes < 1
    ):
        print(
            "kg serve: --query-timeout must be > 0, --result-limit, --workers and --processes >= 1, "
            "--query-memory and --search-workers >= 0",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from kg.web.limits import Limits

    try:
        limits = Limits(
            max_uri_bytes=args.max_uri,
            max_body_bytes=args.max_body,
            head_timeout=args.request_timeout,
            body_timeout=3 * args.request_timeout,
            send_timeout=args.send_timeout,
            max_connections=args.max_connections,
        )
    except ValueError as error:
        print(f"kg serve: {error}", file=sys.stderr)
        return EXIT_USAGE

    from kg.stores.config import config_from_args

    try:
        remote = config_from_args(args)
    except ValueError as error:
        print(f"kg serve: {error}", file=sys.stderr)
        return EXIT_USAGE

    from kg.web.publisher import PublisherError, find_publisher

    try:
        publisher = find_publisher(data_dir, args.publisher)
    except PublisherError as error:
        print(f"kg serve: {error}", file=sys.stderr)
        return EXIT_USAGE
    if remote is None and not has_graph(data_dir):
        status = build_seeds(data_dir, base)
        if status != EXIT_OK:
            return status
    recorded = recorded_base(data_dir)
    if base and recorded and normalize_base(recorded) != base:
        print(
            f"kg serve: {data_dir} was built with base URI {recorded}, not {base}; "
            f"rebuild it with `kg build --base-uri {base}` or drop --base-uri",
            file=sys.stderr,
        )
        return EXIT_USAGE

    import logging

    logging.basicConfig(format="kg serve: %(message)s", level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("kg").setLevel(logging.INFO)

    from kg.web.settings import Settings

    try:
        settings = Settings.for_data(
            data_dir,
            base=base,
            publisher=publisher,
            query_timeout=args.query_timeout,
            result_limit=args.result_limit,
            workers=args.workers,
            search_workers=args.search_workers,
            query_memory=args.query_memory,
            queries=tuple(args.queries),
            cache_control=args.cache_control,
            prepare_first=args.prepare_first,
            prepare_documents=args.prepare_documents,
            prepared_languages=args.prepare_languages,
        )
    except ValueError as error:
        print(f"kg serve: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.web_process is not None:
        return serve_web_process(args, settings, remote, limits)
    if args.processes == 1:
        return serve_one(args, settings, remote, limits, announce=True)
    if settings.update_token:
        print(
            f"kg serve: --processes {args.processes} serves read-only, as each process holds its own view of "
            "the store: unset KG_UPDATE_TOKEN, or serve with one process to take updates",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.port == 0:
        print("kg serve: --processes needs a port of its own (not 0), which every process listens on", file=sys.stderr)
        return EXIT_USAGE
    from kg.web.processes import Supervisor, check_port

    problem = check_port(args.host, args.port)
    if problem is not None:
        print(f"kg serve: {problem}", file=sys.stderr)
        return EXIT_FAILURE
    command = [sys.executable, "-m", "kg.cli", *args._argv]
    return Supervisor(args.processes, args.host, args.port, command).run()


def serve_web_process(args: argparse.Namespace, settings: Settings, remote: RemoteConfig | None, limits: Limits) -> int:
    """One of the web processes `--processes` starts: on its own socket of the shared port."""
    from kg.web.processes import WebProcess, listening_socket

    try:
        told = WebProcess.parse(args.web_process)
    except ValueError:
        print(f"kg serve: --web-process {args.web_process!r} is not INDEX:FD:PID", file=sys.stderr)
        return EXIT_USAGE
    told.attach()
    try:
        sock = listening_socket(args.host, args.port, shared=True)
    except OSError as error:
        print(f"kg serve: cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILURE
    return serve_one(args, settings, remote, limits, announce=told.index == 0, sock=sock, ready=told)


def serve_one(
    args: argparse.Namespace,
    settings: Settings,
    remote: RemoteConfig | None,
    limits: Limits,
    *,
    announce: bool,
    sock: socket.socket | None = None,
    ready: WebProcess | None = None,
) -> int:
    """Open the store and serve it in this process: on host:port, or on `sock` as one of several
    web processes (`ready`), telling the supervisor once it listens."""
    import uvicorn

    from kg.queries import HeaderError
    from kg.stores.errors import StoreError
    from kg.web.app import create_app
    from kg.web.limits import guarded_protocol

    data_dir = settings.data_dir
    try:
        app = create_app(settings, context=open_context(settings, remote), limits=limits)
    except HeaderError as error:  # a stored query (kg's or the operator's) is broken: not served without it
        print(f"kg serve: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (StoreError, RuntimeError, OSError) as error:  # pyoxigraph reports a damaged store as RuntimeError
        print(f"kg serve: {error}", file=sys.stderr)
        store = data_dir / "store"
        if store.exists():
            print(
                f"kg serve: the store in {store} cannot be opened: move it aside "
                f"(`mv {store} {store}.damaged`) and run `kg serve --data {data_dir}` again, which "
                f"reloads it from the graph files; or rebuild everything with `kg build DOCUMENTS --out {data_dir}`",
                file=sys.stderr,
            )
        return EXIT_FAILURE
    source = data_dir if remote is None else remote.query_url
    try:
        size = f"{app.state.kg.store.triple_count()} triples"
    except StoreError as error:  # a remote store that is down: serve anyway, answering 503 until it is back
        size = f"store unavailable: {error}"
    if announce:
        print(
            f"kg serve: {source} ({size}, base {settings.base}) on http://{args.host}:{args.port}/",
            file=sys.stderr,
            flush=True,
        )
    # On SIGTERM uvicorn stops accepting and lets requests in flight finish: a SPARQL query may
    # take up to its time limit, so the grace period covers it.
    config = uvicorn.Config(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,  # below the level shown: not even its arguments made for each request
        timeout_graceful_shutdown=int(args.query_timeout) + 5,
        http=guarded_protocol(limits),
        limit_concurrency=limits.max_connections,
        timeout_keep_alive=5,
    )
    server = _make_server_class()(config, ready, app.state.kg.stopping)
    server.run(sockets=[sock] if sock is not None else None)
    return EXIT_OK if server.started else EXIT_FAILURE


def open_context(settings: Settings, remote: RemoteConfig | None) -> KgContext:
    """The app's context over the configured store. A remote store gets an HTTP timeout a little
    over the query time limit, so the server's own limit (if set) answers first."""
    from kg.stores import open_store
    from kg.stores.errors import StoreUnavailable
    from kg.web.context import KgContext

    store = open_store(settings.data_dir, base=settings.base, remote=remote, timeout=settings.query_timeout + 2)
    if remote is not None:
        from kg.stores.remote import RemoteStore

        assert isinstance(store, RemoteStore)  # what a remote configuration opens
        try:
            store.data_graph()  # fail now when the server holds no dataset; a server that is down may come back
        except StoreUnavailable:
            pass
    return KgContext.create(settings, store)


def build_seeds(data_dir: Path, base: str | None) -> int:
    """Nothing to serve yet: build the bundled seed documents into `data_dir`."""
    from kg.build.pipeline import build
    from kg.paths import SEEDS_DIR
    from kg.uris import DEFAULT_BASE

    print(f"kg serve: nothing in {data_dir} yet; building {SEEDS_DIR}", file=sys.stderr, flush=True)
    report = build([SEEDS_DIR], data_dir, base=base or DEFAULT_BASE)
    for path, message in report.failed:
        print(f"kg serve: {path}: {message}", file=sys.stderr)
    return EXIT_OK if has_graph(data_dir) else EXIT_FAILURE


def _make_server_class() -> type:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, telling the supervisor (when there is one) once it listens, and the
        app's start work when asked to stop before that (uvicorn looks only after the start)."""

        def __init__(self, config: uvicorn.Config, ready: WebProcess | None, stopping: StopFlag):
            super().__init__(config)
            self.ready = ready
            self.stopping = stopping

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            super().handle_exit(sig, frame)
            self.stopping.set()

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.ready is not None and self.started:
                self.ready.listening()
                self.ready = None

    return Server
