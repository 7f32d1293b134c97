"""The SPARQL 1.1 endpoint `/sparql`: queries for everyone, updates for operators, a service
description for RDF clients and a query page for browsers."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from kg import sparql_reader
from kg.rdf.vocab import prefixes
from kg.sparql_reader import Reading, SparqlSyntaxError
from kg.stores.errors import StoreError
from kg.web.conneg import negotiate
from kg.web.context import KgContext
from kg.web.errors import BadRequest, Conflict, Forbidden, HttpError, NotAcceptable, Unavailable
from kg.web.pages import language_links, reader_language
from kg.web.sparql import page as sparql_page
from kg.web.sparql.cache import answers, cache_key
from kg.web.sparql.pool import PoolBusy, QueryTimeout, WorkerFailed
from kg.web.sparql.protocol import ProtocolRequest, authorized, read_request
from kg.web.sparql.results import HTML, choose_format
from kg.web.sparql.service import SERVICE_FORMATS, service_description
from kg.web.sparql.worker import QueryJob, QueryOutcome

log = logging.getLogger(__name__)

router = APIRouter()

LIMIT_HEADER = "X-KG-Result-Limit"
TRUNCATED_HEADER = "X-KG-Truncated"
CACHE_HEADER = "X-KG-Cache"  # "hit" when the answer was kept from an earlier identical query
NO_SERVICE = (
    "federated queries (SERVICE) are not available on this endpoint: it answers from its own "
    "data only and opens no connection for a request (a word or prefix containing SERVICE "
    "counts as one)"
)


def _ctx(request: Request) -> KgContext:
    return request.app.state.kg


@router.api_route("/sparql", methods=["GET", "HEAD", "POST"], include_in_schema=False)
async def sparql(request: Request) -> Response:
    ctx = _ctx(request)
    proto = await read_request(request)
    if proto.update is not None:
        return await _update(request, ctx, proto.update)
    if proto.query is None:
        if request.method == "POST":
            raise BadRequest("the request has no `query` (or `update`)")
        return _service(request, ctx, proto)
    try:
        reading = sparql_reader.read(proto.query)
    except SparqlSyntaxError as error:
        return _failure(request, ctx, proto, _wants_html(request, proto), BadRequest(f"query syntax error: {error}"))
    if reading.is_update:
        return await _update(request, ctx, proto.query)
    if reading.uses_service:
        return _failure(request, ctx, proto, _wants_html(request, proto), BadRequest(NO_SERVICE))
    return await _query(request, ctx, proto, reading)


@router.options("/sparql", include_in_schema=False)
async def sparql_options() -> Response:
    """Plain OPTIONS (CORS preflights are answered by the middleware before reaching here)."""
    return Response(status_code=204, headers={"Allow": "GET, HEAD, POST, OPTIONS"})


def _wants_html(request: Request, proto: ProtocolRequest) -> bool:
    fmt = choose_format("solutions", request.headers.get("accept"), proto.formats)
    return fmt is not None and fmt.key == HTML


async def _query(request: Request, ctx: KgContext, proto: ProtocolRequest, reading: Reading) -> Response:
    html = _wants_html(request, proto)
    job = QueryJob(
        query=reading.text,  # what kg read is what the engine reads: escapes applied once, here
        accept=request.headers.get("accept"),
        formats=proto.formats,
        default_graph=proto.default_graphs or None,
        named_graphs=proto.named_graphs or None,
        limit=ctx.settings.result_limit,
        prefixes=prefixes(ctx.minter.ns_iri),
    )
    # Answers are kept for an embedded store only: a remote server may be written behind our back.
    # The cache is the one of the version the query starts on: should an update land meanwhile,
    # the answer goes into the cache that update has just retired.
    key = cache_key(job, reading) if ctx.store.answers_stable else None
    cache = answers(ctx) if key is not None else None
    outcome = cache.get(key) if cache is not None and key is not None else None
    hit = outcome is not None
    try:
        if outcome is None:
            outcome = await run_in_threadpool(ctx.pool.run, job)
            if cache is not None and key is not None and outcome.status == 200:
                cache.put(key, outcome)
    except QueryTimeout as error:
        return _failure(
            request,
            ctx,
            proto,
            html,
            Unavailable(
                f"{error}. Narrow the query (a LIMIT, fewer unbound patterns) and try again.",
                headers={"Retry-After": "1"},
            ),
        )
    except PoolBusy as error:
        return _failure(
            request, ctx, proto, html, Unavailable(f"{error}; try again shortly.", headers={"Retry-After": "5"})
        )
    except WorkerFailed as error:
        return _failure(request, ctx, proto, html, Unavailable(str(error)))
    headers = {
        LIMIT_HEADER: str(ctx.settings.result_limit),
        "Vary": "Accept",
        "Cache-Control": "no-cache",
        CACHE_HEADER: "hit" if hit else "miss",
    }
    if outcome.truncated:
        headers[TRUNCATED_HEADER] = "true"
        headers["Warning"] = f'199 kg "results cut at {ctx.settings.result_limit} (the result limit)"'
    if outcome.status == 400:
        return _failure(request, ctx, proto, html, BadRequest(outcome.message or "bad query"))
    if outcome.status == 406:
        return _failure(
            request, ctx, proto, html, NotAcceptable(f"{outcome.message}; available:", details=outcome.available)
        )
    if outcome.format_key == HTML:
        page = sparql_page.render(ctx, query=proto.query, outcome=outcome, formats=proto.formats, **_language(request))
        return HTMLResponse(page, headers={**headers, "Vary": "Accept, Accept-Language", **sparql_page.page_headers()})
    return Response(outcome.body, media_type=_content_type(outcome), headers=headers)


def _content_type(outcome: QueryOutcome) -> str:
    media = outcome.media_type
    if media.startswith("text/") or media.endswith(("+xml", "+json")) or media == "application/n-triples":
        return f"{media}; charset=utf-8"
    return media


def _language(request: Request) -> dict[str, Any]:
    """The reader's language (`?lang=`, else Accept-Language) and the links to the other ones."""
    return {"language": reader_language(request), "languages": language_links(request)}


def _failure(request: Request, ctx: KgContext, proto: ProtocolRequest, html: bool, error: HttpError) -> Response:
    """Errors for the query page come back on the page, with the query kept in the editor."""
    if not html:
        raise error
    page = sparql_page.render(ctx, query=proto.query, error=error, formats=proto.formats, **_language(request))
    return HTMLResponse(
        page,
        status_code=error.status,
        headers={"Cache-Control": "no-store", **error.headers, **sparql_page.page_headers()},
    )


async def _update(request: Request, ctx: KgContext, update: str) -> Response:
    if not authorized(request, ctx.settings.update_token):
        raise Forbidden(
            "this SPARQL endpoint is read-only: updates are not accepted (operators authenticate with a bearer token)"
        )
    if request.method != "POST":
        raise BadRequest("updates are sent with POST (SPARQL 1.1 Protocol), not GET")
    try:
        reading = sparql_reader.read(update)
    except SparqlSyntaxError as error:
        raise BadRequest(f"update syntax error: {error}") from error
    if reading.uses_service:
        raise BadRequest(NO_SERVICE)
    if reading.loads_from_the_web:
        raise BadRequest(
            "LOAD is not available on this endpoint: kg opens no connection for a request; load data with `kg build`"
        )
    update = reading.text

    def apply() -> None:
        with ctx.pool.exclusive():
            ctx.store.update(update)
        ctx.changed()

    try:
        await run_in_threadpool(apply)
    except SyntaxError as error:
        raise BadRequest(f"update syntax error: {error}") from error
    except StoreError as error:
        log.error("an operator's update failed in the store: %s", error)
        raise Conflict("the store could not apply the update (the server's log says why)") from error
    except OSError as error:
        log.error("an operator's update failed: %s", error)
        raise BadRequest("the update failed (the server's log says why)") from error
    log.warning("SPARQL update applied by an operator (%d characters)", len(update))
    return PlainTextResponse("update applied\n", headers={"Cache-Control": "no-store"})


def _service(request: Request, ctx: KgContext, proto: ProtocolRequest) -> Response:
    """GET /sparql without a query: the service description, or the query page for browsers."""
    if proto.formats:
        wanted = proto.formats[0].strip().lower()
        fmt = next((f for f in SERVICE_FORMATS if wanted in f.names or wanted == f.media_type), None)
        if fmt is None:
            raise NotAcceptable(
                f"unknown format {wanted!r}; available:", details=[f.media_type for f in SERVICE_FORMATS]
            )
    else:
        media = negotiate(request.headers.get("accept"), [f.media_type for f in SERVICE_FORMATS])
        if media is None:
            raise NotAcceptable(
                "none of the requested formats is available; available:",
                details=[f.media_type for f in SERVICE_FORMATS],
            )
        fmt = next(f for f in SERVICE_FORMATS if f.media_type == media)
    headers = {"Vary": "Accept, Accept-Language"}
    if fmt.rdf is None:
        page = sparql_page.render(ctx, query=None, **_language(request))
        return HTMLResponse(page, headers={**headers, **sparql_page.page_headers()})
    body = service_description(ctx, fmt)
    return Response(body, media_type=fmt.content_type, headers=headers)
