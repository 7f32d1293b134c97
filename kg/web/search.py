"""`/search`: full-text search over the questions, as a page and as JSON.

The page and its JSON twin (`/search.json`, or `/search` with `Accept: application/json`) take
the same parameters: `q` (the query language of `kg.search.query`), one parameter per facet
(`party=Open Vld&year=2013`, repeatable: any value of a facet, every facet), `sort`
(relevance, date, date-asc), `page`, `size`, `lang` and `facets` (0: the hits alone). A query
that cannot be read answers 400 with what is wrong. The index is the one `kg build` wrote beside
the graph, opened read-only.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import Markup

from kg.search.query import QueryError
from kg.search.reader import MAX_PAGE_SIZE, Hit, IndexMissing, SearchIndex, SearchRequest, SearchResult
from kg.search.schema import FACETS
from kg.web.conneg import negotiate
from kg.web.context import KgContext
from kg.web.errors import BadRequest, Unavailable
from kg.web.i18n import format_date, ui_strings
from kg.web.pages import reader_language
from kg.web.search_pool import SearchFailed
from kg.web.search_text import facet_label, status_label, text

router = APIRouter()

MAX_VALUES = 20  # values per facet in one request
MAX_VALUE_LENGTH = 300
PARAMETERS = ("q", "sort", "page", "size", "lang", *FACETS)


def search_index(ctx: KgContext) -> SearchIndex:
    """The data folder's index (it follows the build's swaps itself)."""
    return ctx.derived("search-index", lambda c: SearchIndex(c.data_dir))


def read_request(request: Request, language: str) -> SearchRequest:
    """The request's parameters as a SearchRequest; BadRequest for one that cannot be read."""
    params = request.query_params
    filters = []
    for facet in FACETS:
        values = tuple(dict.fromkeys(v for v in params.getlist(facet) if v))
        if len(values) > MAX_VALUES:
            raise BadRequest(f"at most {MAX_VALUES} values of {facet} at once")
        if any(len(v) > MAX_VALUE_LENGTH for v in values):
            raise BadRequest(f"a value of {facet} is longer than {MAX_VALUE_LENGTH} characters")
        if values:
            filters.append((facet, values))
    numbers = {}
    for name, default in (("page", 1), ("size", 20)):
        raw = params.get(name) or str(default)
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:  # "²" is a digit to isdigit
            raise BadRequest(f"{name} must be a whole number, not '{raw[:40]}'")
        numbers[name] = int(raw)
    if not 1 <= numbers["size"] <= MAX_PAGE_SIZE:
        raise BadRequest(f"size must be between 1 and {MAX_PAGE_SIZE}")
    q = params.get("q", "").strip()
    sort = params.get("sort") or ("relevance" if q else "date")
    facets = params.get("facets", "1")
    if facets not in ("0", "1"):
        raise BadRequest(f"facets must be 0 or 1, not '{facets[:40]}'")
    return SearchRequest(
        q=q,
        filters=tuple(filters),
        sort=sort,
        page=numbers["page"],
        size=numbers["size"],
        language=language,
        facets=facets == "1",
    )


def run_search(ctx: KgContext, search: SearchRequest) -> SearchResult:
    """`search` answered by a search worker process, or in this process when there are none."""
    try:
        if ctx.settings.search_workers:
            return ctx.search_pool.run(search)
        return search_index(ctx).search(search)
    except IndexMissing as error:
        raise Unavailable(str(error)) from None
    except QueryError as error:
        raise BadRequest(str(error)) from None
    except SearchFailed as error:
        raise Unavailable(str(error)) from None


async def searched(ctx: KgContext, search: SearchRequest) -> SearchResult:
    """The result of `search`, off the event loop: in the search lane's one thread when searches
    run in this process, else in a thread per worker, each only waiting for its worker."""
    return await ctx.render(run_search, ctx, search, lane="search", threads=max(1, ctx.settings.search_workers))


@router.get(
    "/search.json",
    summary="Full-text search, as JSON",
    description="The same parameters as /search; hits with their URIs, scores and highlighted "
    "snippets, facet counts and hits per year.",
)
async def search_json(request: Request) -> Response:
    ctx: KgContext = request.app.state.kg
    language = reader_language(request)
    try:
        search = read_request(request, language)
        result = await searched(ctx, search)
    except (BadRequest, Unavailable) as error:
        return JSONResponse(
            {"status": error.status, "error": error.title, "message": error.message},
            status_code=error.status,
            headers={"Cache-Control": "no-store"},
        )
    return JSONResponse(result_json(ctx, result), headers={"Cache-Control": "no-store"})


@router.get(
    "/search",
    summary="Full-text search",
    description="Questions found by words, phrases, exclusions, OR, prefixes and field filters "
    "(title:, question:, answer:, descriptor:, asker:, party:, office:, agency:), "
    "narrowed by facets (one parameter per facet). HTML, or JSON with "
    "Accept: application/json (as /search.json).",
)
async def search_page(request: Request) -> Response:
    chosen = negotiate(request.headers.get("accept"), ["text/html", "application/json"])
    if chosen == "application/json":
        response = await search_json(request)
        response.headers["Vary"] = "Accept, Accept-Language"
        return response
    ctx: KgContext = request.app.state.kg
    language = reader_language(request)
    status, error, result = 200, None, None
    try:
        search = read_request(request, language)
        result = await searched(ctx, search)
    except BadRequest as problem:
        status, error = problem.status, problem.message
        search = SearchRequest(q=request.query_params.get("q", "")[:1000], language=language)
    json_href = "/search.json" + ("?" + str(request.url.query) if request.url.query else "")
    page = ctx.templates.get_template("search.html").render(
        lang=language,
        ui=ui_strings(language),
        t=text(language),
        error=error,
        search=search,
        view=_view(ctx, search, result, language) if result is not None else None,
        alternates=[(json_href, "application/json", "JSON")],
        languages=[(code, _href(search, lang=code)) for code in ("nl", "fr", "en")],
    )
    return HTMLResponse(
        page,
        status_code=status,
        headers={
            "Cache-Control": "no-store",
            "Vary": "Accept, Accept-Language",
            "Content-Language": language,
            "Link": f'<{json_href}>; rel="alternate"; type="application/json"',
        },
    )


def result_json(ctx: KgContext, result: SearchResult) -> dict[str, Any]:
    search = result.request
    return {
        "query": search.q,
        "filters": {facet: list(values) for facet, values in search.filters},
        "sort": search.sort,
        "page": search.page,
        "size": search.size,
        "pages": result.pages,
        "total": result.total,
        "hits": [hit_json(ctx, hit) for hit in result.hits],
        "facets": {
            facet: [{"value": v.value, "count": v.count, "selected": v.selected} for v in values]
            for facet, values in result.facets.items()
        },
        "years": [{"year": year, "count": count} for year, count in result.years],
        "sparql": sparql_of(ctx, result),
    }


def hit_json(ctx: KgContext, hit: Hit) -> dict[str, Any]:
    """A hit as JSON: its fields by name (written out: `dataclasses.asdict` deep-copies every
    value, which cost more than the search itself)."""
    return {
        "uri": ctx.minter.question(hit.number),
        "title": _plain(hit.title_html),
        "number": hit.number,
        "score": hit.score,
        "language": hit.language,
        "title_html": hit.title_html,
        "snippet_html": hit.snippet_html,
        "asked": hit.asked,
        "answered": hit.answered,
        "status": list(hit.status),
        "asker": hit.asker,
        "party": hit.party,
        "offices": list(hit.offices),
        "ministers": list(hit.ministers),
        "languages": list(hit.languages),
    }


def _plain(marked: str) -> str:
    """The text of an escaped snippet with <mark>s."""
    return html.unescape(marked.replace("<mark>", "").replace("</mark>", ""))


def sparql_of(ctx: KgContext, result: SearchResult) -> str:
    """A SPARQL query over this page's hits, for the query page."""
    uris = " ".join(f"<{ctx.minter.question(hit.number)}>" for hit in result.hits)
    return (
        "PREFIX dct: <http://purl.org/dc/terms/>\n"
        "SELECT ?question ?title WHERE {\n"
        f"  VALUES ?question {{ {uris} }}\n"
        "  OPTIONAL { ?question dct:title ?title }\n"
        "}"
    )


# -- the page's view ---------------------------------------------------------------------------


def _href(search: SearchRequest, **changes: Any) -> str:
    """`/search` with the request's parameters, some changed (None removes one)."""
    values: dict[str, Any] = {
        "q": search.q,
        "sort": search.sort,
        "page": search.page,
        "size": search.size,
        "lang": search.language,
        **{facet: list(v) for facet, v in search.filters},
    }
    values.update(changes)
    if "page" not in changes:
        values["page"] = 1
    default_sort = "relevance" if values["q"] else "date"
    pairs = []
    for name in PARAMETERS:
        value = values.get(name)
        if (
            value in (None, "", [])
            or (name == "page" and value == 1)
            or (name == "size" and value == 20)
            or (name == "sort" and value == default_sort)
        ):
            continue
        pairs += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
    return "/search" + ("?" + urlencode(pairs) if pairs else "")


def _toggle(search: SearchRequest, facet: str, value: str) -> str:
    current = dict(search.filters).get(facet, ())
    values = [v for v in current if v != value] if value in current else [*current, value]
    return _href(search, **{facet: values})


def _view(ctx: KgContext, search: SearchRequest, result: SearchResult, language: str) -> dict[str, Any]:
    """What the template shows: plain values and links, every one already built."""
    hits = []
    for hit in result.hits:
        hits.append(
            {
                "number": hit.number,
                "href": "/doc/question/" + hit.number,
                "language": hit.language,
                "title": Markup(hit.title_html),  # escaped by the reader, <mark> around matches
                "snippet": Markup(hit.snippet_html),
                "asked": format_date(_date(hit.asked), language) if hit.asked else "",
                "asked_iso": hit.asked,
                "answered": format_date(_date(hit.answered), language) if hit.answered else None,
                "status": [(code, status_label(code, language)) for code in hit.status],
                "asker": hit.asker,
                "party": hit.party,
                "offices": hit.offices,
                "ministers": hit.ministers,
                "score": f"{hit.score:.2f}" if hit.score is not None else None,
            }
        )
    facets = []
    for facet, values in result.facets.items():
        if not values:
            continue
        facets.append(
            {
                "name": facet,
                "label": facet_label(facet, language),
                "options": [
                    {
                        "text": status_label(v.value, language) if facet == "status" else v.value,
                        "count": v.count,
                        "selected": v.selected,
                        "href": _toggle(search, facet, v.value),
                    }
                    for v in values
                ],
            }
        )
    chosen = [
        {
            "facet": facet_label(facet, language),
            "text": status_label(v, language) if facet == "status" else v,
            "href": _toggle(search, facet, v),
        }
        for facet, values in search.filters
        for v in values
    ]
    counts = dict(result.years)
    years = [(year, counts.get(year, 0)) for year in range(min(counts), max(counts) + 1)] if counts else []
    peak = max((count for _, count in years), default=0)
    bars = []
    width = 100 / max(len(years), 1)
    for i, (year, count) in enumerate(years):  # every year between the first and the last, hits or not
        height = round(60 * count / peak, 1) if peak else 0
        bars.append(
            {
                "year": year,
                "count": count,
                "x": round(i * width, 2),
                "width": round(width * 0.8, 2),
                "y": round(60 - height, 1),
                "height": height,
                "href": _toggle(search, "year", str(year)),
            }
        )
    pages = []
    first = max(1, search.page - 3)
    for number in range(first, min(result.pages, first + 7) + 1):
        pages.append({"number": number, "href": _href(search, page=number), "current": number == search.page})
    sparql = sparql_of(ctx, result)
    return {
        "result": result,
        "hits": hits,
        "facets": facets,
        "chosen": chosen,
        "bars": bars,
        "pages": pages,
        "previous": _href(search, page=search.page - 1) if search.page > 1 else None,
        "next": _href(search, page=search.page + 1) if search.page < result.pages else None,
        "sorts": [
            (code, text(language)[f"sort_{code.replace('-', '_')}"], _href(search, sort=code), code == search.sort)
            for code in ("relevance", "date", "date-asc")
        ],
        "sparql_href": "/sparql?" + urlencode({"query": sparql}) if result.hits else None,
        "milliseconds": round(result.seconds * 1000, 1),
        "filters": [(facet, v) for facet, values in search.filters for v in values],
        "size": search.size,
    }


def _date(iso: str) -> date:
    return date.fromisoformat(iso)
