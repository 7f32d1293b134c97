"""The web application: SPARQL endpoint, dumps, VoID, and the linked-data pages, over one store."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware

from kg import __version__
from kg.web.context import KgContext
from kg.web.limits import Limits, LimitsMiddleware
from kg.web.openapi import openapi_document
from kg.web.settings import Settings

log = logging.getLogger(__name__)

# Routers, in the order their routes are tried. Each module exposes `router`; a module that is not
# there (yet) is skipped, so the endpoint works on its own.
ROUTERS = (
    "kg.web.sparql",
    "kg.web.dumps",
    "kg.web.void",
    "kg.web.search",
    "kg.web.resources",
    "kg.web.pages",
)

# Headers a cross-origin script may read: the result cap is part of the answer.
EXPOSED_HEADERS = ["X-KG-Result-Limit", "X-KG-Truncated", "X-KG-Cache", "Warning", "ETag", "Last-Modified", "Content-Length"]


def create_app(settings: Settings, context: KgContext | None = None, limits: Limits | None = None) -> FastAPI:
    """The app for `settings`. The store is opened here, so `app.state.kg` is usable at once;
    query worker processes start on the first SPARQL query and stop with the app. `limits`
    bound the size and pace of requests (`kg.web.limits`)."""
    kg = context or KgContext.create(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        kg.pool  # start the query workers now, so the first query does not wait for them
        threading.Thread(target=_warm, args=(kg,), daemon=True, name="kg-warm").start()
        try:
            yield
        finally:
            kg.close()
            log.info("query workers stopped")

    app = FastAPI(title=settings.title, version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.openapi = lambda: openapi_document(settings.title, settings.description)  # type: ignore[method-assign]
    app.state.kg = kg
    for name in ROUTERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise  # the module exists but something it imports is missing: a real error
            log.info("%s not present; its routes are not served", name)
            continue
        app.include_router(module.router)
    install_error_handlers(app)
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
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
    """Compute what the home page shows, count the VoID statistics and checksum the dumps before
    anyone asks."""
    for module, what in (("kg.web.pages", "the home page"), ("kg.web.void", "the VoID description")):
        try:
            warm = importlib.import_module(module).warm
        except ModuleNotFoundError:
            continue
        try:
            warm(kg)
        except Exception:  # a failure here shows again, with its status, on the first request
            log.exception("could not prepare %s", what)


def install_error_handlers(app: FastAPI) -> None:
    try:
        from kg.web.errors import install
    except ModuleNotFoundError as error:
        if error.name != "kg.web.errors":
            raise
        return
    install(app)
    install_store_errors(app)


def install_store_errors(app: FastAPI) -> None:
    """A remote store that does not answer fails the request with 503, not 500: the client may
    retry, and the next request reaches the store again once it is back."""
    from fastapi import Request
    from fastapi.responses import Response

    from kg.store import StoreUnavailable
    from kg.web.errors import Unavailable, error_response

    async def unavailable(request: Request, error: Exception) -> Response:
        log.warning("store unavailable: %s", error)
        return error_response(request, Unavailable(f"the data store is unavailable: {error}",
                                                   headers={"Retry-After": "5"}))

    app.add_exception_handler(StoreUnavailable, unavailable)
