"""Choosing the store: `embedded` or a SPARQL server, by options or environment variables.
Kept free of heavy imports, since every `kg` command parses its options with it."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

STORE_ENV = "KG_STORE"
UPDATE_URL_ENV = "KG_STORE_UPDATE_URL"
GRAPH_STORE_URL_ENV = "KG_STORE_GRAPH_STORE_URL"
USER_ENV = "KG_STORE_USER"
PASSWORD_ENV = "KG_STORE_PASSWORD"
GRAPH_ENV = "KG_STORE_GRAPH"

# Endpoint paths of the servers kg knows, relative to the URL after `KIND+`:
# (query, update, graph store).
PRESETS: dict[str, tuple[str, str, str | None]] = {
    "sparql": ("", "", None),  # the URL is the endpoint for queries and updates
    "oxigraph": ("/query", "/update", "/store"),
    "virtuoso": ("/sparql", "/sparql-auth", "/sparql-graph-crud-auth"),
    "fuseki": ("/query", "/update", "/data"),  # URL: the dataset, http://host:3030/NAME
    "graphdb": ("", "/statements", "/rdf-graphs/service"),  # URL: http://host:7200/repositories/ID
}

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*")


@dataclass(frozen=True)
class RemoteConfig:
    """Where a SPARQL server answers and how to log in."""

    query_url: str
    update_url: str
    graph_store_url: str | None = None  # None: load with SPARQL Update
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    graph: str | None = None  # a fixed graph to serve ("default": the server's own); None: kg's layout
    kind: str = "sparql"
    load_timeout: float = 300.0  # seconds per request while loading


def parse_store(
    spec: str | None,
    *,
    update_url: str | None = None,
    graph_store_url: str | None = None,
    user: str | None = None,
    password: str | None = None,
    graph: str | None = None,
) -> RemoteConfig | None:
    """`embedded` (or nothing) -> None; `KIND+http(s)://...` -> the server's URLs.
    Raises ValueError with what is wrong."""
    if spec is None or spec.strip() in ("", "embedded"):
        if update_url or graph_store_url or graph:
            raise ValueError("--store-update-url, --store-graph-store-url and --store-graph need a remote --store")
        return None
    kind, plus, url = spec.strip().partition("+")
    if not plus or kind not in PRESETS:
        raise ValueError(
            f"--store {spec!r}: expected `embedded` or KIND+URL with KIND one of "
            f"{', '.join(PRESETS)} (e.g. sparql+http://127.0.0.1:7878/query)"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"--store {spec!r}: {url!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise ValueError(f"--store {spec!r}: give credentials with --store-user and {PASSWORD_ENV}, not in the URL")
    root = url.rstrip("/") if kind != "sparql" else url
    query_path, update_path, store_path = PRESETS[kind]
    for name, value in (("--store-update-url", update_url), ("--store-graph-store-url", graph_store_url)):
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError(f"{name} {value!r} is not an http(s) URL")
    if graph not in (None, "default") and not _IRI.fullmatch(graph):
        raise ValueError(f"--store-graph {graph!r}: not an absolute IRI")
    return RemoteConfig(
        query_url=root + query_path,
        update_url=update_url or root + update_path,
        graph_store_url=graph_store_url or (root + store_path if store_path else None),
        user=user or None,
        password=password,
        graph=graph,
        kind=kind,
    )


def add_store_arguments(parser: argparse.ArgumentParser) -> None:
    """The options choosing the store, shared by `kg build` and `kg serve`."""
    group = parser.add_argument_group("store")
    group.add_argument(
        "--store",
        metavar="SPEC",
        default=None,
        help="`embedded` (the on-disk store in the data folder) or a SPARQL server: "
        "sparql+URL (one endpoint), oxigraph+URL, virtuoso+URL, fuseki+URL of the "
        f"dataset, graphdb+URL of the repository (default: ${STORE_ENV} or embedded)",
    )
    group.add_argument(
        "--store-update-url",
        metavar="URL",
        default=None,
        help=f"the server's SPARQL Update endpoint, when not the preset's (${UPDATE_URL_ENV})",
    )
    group.add_argument(
        "--store-graph-store-url",
        metavar="URL",
        default=None,
        help="the server's Graph Store Protocol endpoint, when not the preset's; without "
        f"one, data is loaded with SPARQL Update (${GRAPH_STORE_URL_ENV})",
    )
    group.add_argument(
        "--store-user",
        metavar="NAME",
        default=None,
        help=f"user for the server (basic or digest auth; ${USER_ENV}); the password "
        f"comes from ${PASSWORD_ENV} or --store-password-file",
    )
    group.add_argument(
        "--store-password-file",
        metavar="FILE",
        type=Path,
        default=None,
        help="file holding the server password (first line)",
    )
    group.add_argument(
        "--store-graph",
        metavar="IRI",
        default=None,
        help="serve this graph of the server (or `default`: its default graph) instead "
        f"of the dataset `kg build` loaded (${GRAPH_ENV})",
    )


def config_from_args(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> RemoteConfig | None:
    """The remote store the options (or the environment) name, None for the embedded store.
    Raises ValueError for unusable settings."""
    env = os.environ if environ is None else environ
    password = env.get(PASSWORD_ENV)
    if args.store_password_file is not None:
        try:
            password = args.store_password_file.read_text(encoding="utf-8").splitlines()[0]
        except (OSError, IndexError, UnicodeDecodeError) as error:
            raise ValueError(
                f"--store-password-file {args.store_password_file}: cannot read a password ({error})"
            ) from None
    return parse_store(
        args.store or env.get(STORE_ENV),
        update_url=args.store_update_url or env.get(UPDATE_URL_ENV),
        graph_store_url=args.store_graph_store_url or env.get(GRAPH_STORE_URL_ENV),
        user=args.store_user or env.get(USER_ENV),
        password=password,
        graph=args.store_graph or env.get(GRAPH_ENV),
    )
