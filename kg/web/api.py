"""The query API: each stored query (`queries/*.rq`, and an operator's `--queries` folder) as
`GET /api/{name}`, with typed parameters, JSON / CSV / HTML (Turtle, JSON-LD, N-Triples for
CONSTRUCT), paging, ETags, and the OpenAPI description of it all at `/api/openapi.json`.

A request's values are read into RDF terms by their declared types and bound into the query's
`VALUES` blocks (`kg.queries.values`); the bound query runs where `/sparql` queries run (the
worker pool, or the remote store through it), under the same time and result limits.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from kg import sparql_reader
from kg.queries import Param, StoredQuery, bind
from kg.web import api_output
from kg.web.api_request import EXTENSIONS, ApiRequest, check_in_data, formats_of, read_params
from kg.web.context import KgContext
from kg.web.errors import BadRequest, NotFound, Unavailable
from kg.web.openapi import openapi_document
from kg.web.sparql.cache import answers, cache_key
from kg.web.sparql.page import Linker
from kg.web.sparql.pool import PoolBusy, QueryTimeout, WorkerFailed
from kg.web.sparql.worker import QueryJob, QueryOutcome

router = APIRouter()

ENUM_LIMIT = 200  # allowed values taken from the data are listed in the description up to this many
_NONCE = os.urandom(8).hex()  # an ETag never outlives the process that made it: updates may be lost


def _ctx(request: Request) -> KgContext:
    return request.app.state.kg


def catalog(request: Request) -> dict[str, StoredQuery]:
    return request.app.state.queries


# -- the description --------------------------------------------------------------------------


def data_enums(ctx: KgContext, queries: dict[str, StoredQuery]) -> dict[tuple[str, str], list[str]]:
    """Allowed values taken from the data, per (query, parameter), where there are few enough to
    list (the description then names them; more are checked per request, not listed)."""

    def compute(_: KgContext) -> dict[tuple[str, str], list[str]]:
        found: dict[tuple[str, str], list[str]] = {}
        for query in queries.values():
            for param in query.header.params:
                values = _listed_values(ctx, query, param)
                if values is not None:
                    found[(query.name, param.name)] = values
        return found

    return ctx.derived("api-enums", compute)


def _listed_values(ctx: KgContext, query: StoredQuery, param: Param) -> list[str] | None:
    class_iri, prop = query.class_iri(param), query.values_of(param)
    if class_iri is not None:
        text = "SELECT DISTINCT ?v WHERE { VALUES ?c { UNDEF } ?v a ?c } ORDER BY ?v LIMIT %d" % (ENUM_LIMIT + 1)
        bound = bind(text, {"c": [ox.NamedNode(class_iri)]})
    elif prop is not None:
        text = "SELECT DISTINCT (STR(?o) AS ?v) WHERE { VALUES ?p { UNDEF } ?s ?p ?o } ORDER BY ?v LIMIT %d" % (
            ENUM_LIMIT + 1
        )
        bound = bind(text, {"p": [ox.NamedNode(prop)]})
    else:
        return None
    values = [row[0].value for row in ctx.store.query(bound) if row[0] is not None]
    return values if len(values) <= ENUM_LIMIT else None


def description(request: Request) -> dict[str, Any]:
    ctx = _ctx(request)
    queries = catalog(request)
    return openapi_document(
        ctx.settings.title,
        ctx.settings.description,
        queries=queries,
        enums=data_enums(ctx, queries),
        result_limit=ctx.settings.result_limit,
    )


@router.get("/api/openapi.json", include_in_schema=False)
async def api_openapi(request: Request) -> Response:
    document = await _ctx(request).render(description, request, lane="lists")
    return JSONResponse(document, headers={"Cache-Control": "no-cache"})


@router.get("/openapi.json", include_in_schema=False)
async def old_openapi(request: Request) -> Response:
    """Where the description was before the query API: still answered (clients that do not follow
    redirects keep working), naming its new address."""
    response = await api_openapi(request)
    response.headers["Link"] = '</api/openapi.json>; rel="canonical"'
    return response


# -- one query ----------------------------------------------------------------------------------


def resolve(request: Request, name: str) -> tuple[StoredQuery, str | None]:
    """The query a path names, and the extension it asks a format by."""
    queries = catalog(request)
    if name in queries:
        return queries[name], None
    stem, dot, extension = name.rpartition(".")
    if dot and stem in queries and extension in EXTENSIONS:
        return queries[stem], extension
    raise NotFound(f"no stored query is called {name!r}; the queries:", details=sorted(queries))


@router.get("/api/{name}/schema", include_in_schema=False)
async def api_schema(request: Request, name: str) -> Response:
    query, extension = resolve(request, name)
    if extension is not None or query.kind != "solutions":
        raise NotFound(f"{name} has no JSON Schema: only a SELECT query's JSON answer has one")
    return JSONResponse(api_output.answer_schema(query), media_type="application/schema+json")


def dataset_tag(ctx: KgContext) -> str:
    """Changes with the data: a new build (build.json), an operator's update, a remote rebuild."""

    def compute(_: KgContext) -> str:
        digest = hashlib.sha256(_NONCE.encode())
        build = ctx.data_dir / "build.json"
        try:
            digest.update(build.read_bytes())
        except OSError:
            pass
        digest.update(f"{ctx.store.generation}\0{ctx.version}".encode())
        return digest.hexdigest()[:20]

    return ctx.derived("api-dataset-tag", compute)


def etag(ctx: KgContext, api: ApiRequest) -> str:
    key = json.dumps(
        [dataset_tag(ctx), api.query.name, api.query.text, sorted(api.given.items()), api.page, api.format.key]
    )
    return 'W/"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _matches(header: str | None, tag: str) -> bool:
    if not header:
        return False
    given = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in given or tag.removeprefix("W/") in given


def editor_text(query: StoredQuery, bound: str) -> str:
    """The bound query for the editor: its header's directives left out (the header lines come
    first and binding does not touch them), its summary kept as a comment."""
    body = bound.split("\n")[query.header.lines :]
    return "\n".join([f"# {query.header.summary}", *body])


def page_href(request: Request, api: ApiRequest, offset: int) -> str:
    assert api.page is not None
    items = [(name, value) for name, values in api.given.items() for value in values]
    items += [("limit", str(api.page[0])), ("offset", str(offset))]
    return request.url.path + "?" + urlencode(items)


@router.api_route("/api/{name}", methods=["GET", "HEAD"], include_in_schema=False)
async def api_query(request: Request, name: str) -> Response:
    ctx = _ctx(request)
    query, extension = resolve(request, name)
    api = read_params(request, query, extension)
    await run_in_threadpool(check_in_data, ctx, api)  # first: a value not in the data is never a 304
    tag = etag(ctx, api)
    if _matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers={"ETag": tag, "Cache-Control": "no-cache", "Vary": "Accept"})
    page = (api.page[0] + 1, api.page[1]) if api.page else None
    text = query.bound(api.values, page)
    outcome = await _run(ctx, text, api)
    # The editor gets the page asked for (the extra row that tells whether there is more is ours).
    editor = "/sparql?query=" + quote(editor_text(query, query.bound(api.values, api.page)), safe="")
    headers = {
        "ETag": tag,
        "Cache-Control": "no-cache",
        "Vary": "Accept",
    }
    links = [f'<{editor}>; rel="related"; title="this query in the query editor"']
    if query.kind == "solutions":
        links.append(f'</api/{query.name}/schema>; rel="describedby"; type="application/schema+json"')
    if outcome.truncated:
        headers["X-KG-Truncated"] = "true"
        headers["Warning"] = f'199 kg "results cut at {ctx.settings.result_limit} (the result limit)"'
    if query.kind == "graph":
        headers["Link"] = ", ".join(links)
        if api.format.key == "html":
            assert outcome.table is not None
            return _html(ctx, api, outcome.table.variables, outcome.table.rows, editor, None, headers)
        return Response(outcome.body, media_type=api.format.media_type + "; charset=utf-8", headers=headers)
    results = json.loads(outcome.body)
    columns = [c.name for c in query.header.columns]
    rows = api_output.rows_of(results, columns)
    next_href = None
    if api.page is not None:
        limit, offset = api.page
        if len(rows) > limit:
            rows = rows[:limit]
            next_href = page_href(request, api, offset + limit)
            links.insert(0, f'<{next_href}>; rel="next"')
    headers["Link"] = ", ".join(links)
    if api.format.key == "json":
        body = json.dumps(api_output.as_objects(columns, rows), ensure_ascii=False, separators=(",", ":"))
        return Response(body.encode("utf-8"), media_type="application/json", headers=headers)
    if api.format.key == "csv":
        return Response(api_output.csv_text(columns, rows), media_type="text/csv; charset=utf-8", headers=headers)
    return _html(ctx, api, columns, rows, editor, next_href, headers)


async def _run(ctx: KgContext, text: str, api: ApiRequest) -> QueryOutcome:
    """The bound query through the worker pool (and the answer cache), as `/sparql` runs one."""
    reading = sparql_reader.read(text)
    if api.query.kind == "solutions":
        wanted = "json"
    else:
        wanted = api.format.key
    limit = ctx.settings.result_limit + (1 if api.page else 0)
    job = QueryJob(query=reading.text, formats=(wanted,), limit=limit, prefixes=dict(api.query.prefixes))
    key = cache_key(job, reading) if ctx.store.answers_stable else None
    cache = answers(ctx) if key is not None else None
    outcome = cache.get(key) if cache is not None and key is not None else None
    if outcome is None:
        try:
            outcome = await run_in_threadpool(ctx.pool.run, job)
        except QueryTimeout as error:
            raise Unavailable(f"{error}; try again later", headers={"Retry-After": "1"}) from error
        except PoolBusy as error:
            raise Unavailable(f"{error}; try again shortly", headers={"Retry-After": "5"}) from error
        except WorkerFailed as error:
            raise Unavailable(str(error)) from error
        if cache is not None and key is not None and outcome.status == 200:
            cache.put(key, outcome)
    if outcome.status != 200:
        raise BadRequest(f"{api.query.name} could not run with these values: {outcome.message}")
    return outcome


def _html(
    ctx: KgContext,
    api: ApiRequest,
    columns: list[str],
    rows: list[list[dict[str, Any] | None]],
    editor: str,
    next_href: str | None,
    headers: dict[str, str],
) -> Response:
    linker = Linker(ctx)
    items = [(name, value) for name, values in api.given.items() for value in values]
    query_string = ("?" + urlencode(items)) if items else ""
    alternates = [
        (f"/api/{api.query.name}.{f.extension}{query_string}", f.media_type, f.name)
        for f in formats_of(api.query)
        if f.key != "html"
    ]
    page = ctx.templates.get_template("api_query.html").render(
        query=api.query,
        given=api.given,
        columns=columns,
        rows=[[linker.cell(term) for term in row] for row in rows],
        editor=editor,
        next_href=next_href,
        offset=api.page[1] if api.page else 0,
        alternates=alternates,
    )
    return HTMLResponse(page, headers=headers)
