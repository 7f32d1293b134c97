"""The web application: SPARQL endpoint, dumps, VoID, and the linked-data pages, over one store."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import Response

from kg import __version__
from kg.queries import load_catalog
from kg.stores.errors import StoreError, StoreUnavailable
from kg.web import (
    api,
    api_page,
    charts,
    document_pack,
    dumps,
    editor,
    errors,
    overdue,
    pages,
    resources,
    search,
    stats,
    vendor,
    void,
)
from kg.web.context import KgContext
from kg.web.limits import Limits, LimitsMiddleware
from kg.web.settings import Settings
from kg.web.sparql import endpoint as sparql
from kg.web.validators import ValidatorsMiddleware

log = logging.getLogger(__name__)

WORKERS_STARTED = 60.0  # seconds `--prepare-first` waits for the SPARQL workers before listening

# Routers, in the order their routes are tried.
ROUTERS = (
    editor.router,
    api_page.router,
    sparql.router,
    api.router,
    dumps.router,
    void.router,
    search.router,
    resources.router,
    pages.router,
    overdue.router,
    charts.router,
    stats.router,
)

# Headers a cross-origin script may read: the result cap is part of the answer.
EXPOSED_HEADERS = [
    "X-KG-Result-Limit",
    "X-KG-Truncated",
    "X-KG-Cache",
    "Warning",
    "ETag",
    "Last-Modified",
    "Content-Length",
    "Link",  # the query API's next page and editor link
]


WRITER_STOPS = 60.0  # seconds a stop waits for the documents being written ahead to stop


def create_app(settings: Settings, context: KgContext | None = None, limits: Limits | None = None) -> FastAPI:
    """The app for `settings`. The store is opened here, so `app.state.kg` is usable at once;
    query worker processes start on the first SPARQL query and stop with the app. `limits`
    bound the size and pace of requests (`kg.web.limits`). A broken stored query (kg's or in
    `settings.queries`) raises `kg.queries.HeaderError`, naming its file and line."""
    queries = load_catalog(settings.queries)
    kg = context or KgContext.create(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        note = vendor.startup_note()
        if note:
            log.warning(note)
        _ = kg.pool  # start the query workers now, so the first query does not wait for them
        # What every document needs, before the server listens (uvicorn binds its socket after
        # this): a fraction of a second. What the home page and VoID show (a minute of counting
        # at 10,000 seed-like questions) is prepared meanwhile, so the server is up at once,
        # unless the operator asked for it first (`--prepare-first`).
        # Documents written ahead: before listening with --prepare-first, else while serving.
        writer: threading.Thread | None = None
        await anyio.to_thread.run_sync(_warm_documents, kg)
        if kg.settings.prepare_documents and kg.settings.prepare_first:
            await anyio.to_thread.run_sync(document_pack.prepare, kg)
        if not kg.stopping.is_set():  # asked to stop while the documents were written: nothing more to start
            await anyio.to_thread.run_sync(document_pack.warm, kg)  # the first requests do not read its index
            if kg.settings.prepare_documents and not kg.settings.prepare_first:
                writer = document_pack.prepare_meanwhile(kg)
            if kg.settings.prepare_first:
                await anyio.to_thread.run_sync(_warm, kg)
                await anyio.to_thread.run_sync(kg.pool.wait_started, WORKERS_STARTED)
            else:
                threading.Thread(target=_warm, args=(kg,), daemon=True, name="kg-warm").start()
        try:
            yield
        finally:
            if writer is not None:  # the batches under way are finished, the rest dropped
                kg.stopping.set()
                writer.join(timeout=WRITER_STOPS)
            kg.close()
            log.info("query workers stopped")

    app = FastAPI(
        title=settings.title,
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # kg.web.api serves the description, with the stored queries in it
    )
    app.state.kg = kg
    app.state.queries = queries
    for router in ROUTERS:
        app.include_router(router)
    install_error_handlers(app)
    app.add_middleware(ValidatorsMiddleware, context=kg)  # inside gzip: one weak ETag whatever the coding
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
    # Before routing, gzip and the validators (it answers as they would), inside the CORS layer
    # and the limits.
    app.add_middleware(resources.PackedDocumentsMiddleware, context=kg)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=EXPOSED_HEADERS,
        max_age=86400,
    )
    app.add_middleware(LimitsMiddleware, limits=limits or Limits())  # outermost: sizes checked first
    return app


def _warm(kg: KgContext) -> None:
    """Compute what the home page shows, count the VoID statistics and checksum the dumps, and
    read the documents written ahead into memory, before anyone asks."""
    started = time.monotonic()
    for warm, what in ((pages.warm, "the home page"), (void.warm, "the VoID description")):
        try:
            warm(kg)
        except Exception:  # a failure here shows again, with its status, on the first request
            log.exception("could not prepare %s", what)
    log.info("prepared the home page and the VoID statistics in %.1f s", time.monotonic() - started)
    try:
        document_pack.read_ahead(kg)
    except Exception:  # the documents are read as asked
        log.exception("could not read the documents written ahead into memory")
    # What was read so far (kept counts, labels, the written documents' index) lives as long as
    # the server: kept out of the collector's sight, it is not walked by every full collection,
    # which otherwise held a request up to 80 ms now and then (the p99 of documents asked once).
    gc.collect()
    gc.freeze()


def _warm_documents(kg: KgContext) -> None:
    """Read the ontology's labels and types, which every description and page uses, and open
    the build's prepared lines of the graph (`resources.prepared_graph`)."""
    started = time.monotonic()
    try:
        pages.description_cache(kg).vocabulary(kg.store)
        prepared = resources.prepared_graph(kg)
    except Exception:  # a store that does not answer yet: the first document reads them
        log.exception("could not prepare the labels of descriptions")
        return
    log.info("prepared the labels of descriptions in %.2f s", time.monotonic() - started)
    if prepared is not None:
        log.info("resource documents: own triples and parts read from graph.nt.gz (graph.nt.gz.blocks)")
    else:
        log.info("resource documents: read from the store (no graph.nt.gz.blocks for the graph it holds)")


def install_error_handlers(app: FastAPI) -> None:
    """Typed errors answered as text, JSON or a page; a remote store that does not answer fails
    the request with 503, not 500: the client may retry, and the next request reaches the store
    again once it is back. What the store said goes to the log, not to the client."""
    errors.install(app)

    async def unavailable(request: Request, error: Exception) -> Response:
        log.warning("store unavailable: %s", error)
        return errors.error_response(
            request,
            errors.Unavailable("the data store is unavailable; try again shortly", headers={"Retry-After": "5"}),
        )

    async def failed(request: Request, error: Exception) -> Response:
        log.error("the data store failed a request for %s: %s", request.url.path, error)
        return errors.error_response(
            request, errors.Unavailable("the data store could not answer this request", headers={"Retry-After": "5"})
        )

    app.add_exception_handler(StoreUnavailable, unavailable)
    app.add_exception_handler(StoreError, failed)
