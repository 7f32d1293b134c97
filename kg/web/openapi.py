"""The server's OpenAPI description (`/openapi.json`), written out by hand.

The routes read their parameters from the request themselves (content negotiation, the SPARQL
Protocol's three ways of sending a query, free paths under `/id/` and `/doc/`), so FastAPI
cannot infer them; this document says what each route takes and answers, for client generators
and for property-based testing of the server against its own description.
"""

from __future__ import annotations

from typing import Any

from kg import __version__

RDF_MEDIA = ["text/html", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]
SPARQL_MEDIA = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/n-triples",
    "text/html",
]
DUMP_NAMES = ["graph.nt.gz", "graph.ttl", "ontology.ttl"]
LIST_SLUGS = ["questions", "people", "parties", "offices", "agencies", "accounts", "concepts"]


def _param(
    name: str,
    where: str,
    schema: dict[str, Any],
    description: str,
    *,
    required: bool = False,
    explode: bool | None = None,
) -> dict[str, Any]:
    param: dict[str, Any] = {
        "name": name,
        "in": where,
        "required": required or where == "path",
        "schema": schema,
        "description": description,
    }
    if explode is not None:
        param["explode"] = explode
    return param


def _responses(*codes: int, media: list[str] | None = None) -> dict[str, Any]:
    texts = {
        200: "OK",
        303: "See Other: the document describing the thing",
        304: "Not Modified",
        400: "Bad request (the message says what is wrong)",
        403: "Forbidden",
        404: "Not found",
        406: "None of the accepted formats is available",
        408: "The request body stopped arriving",
        413: "Request body too large",
        414: "Request URI too long",
        415: "Unsupported media type",
        503: "The query ran past the time limit, or no query worker was free: retry later",
    }
    out: dict[str, Any] = {}
    for code in codes:
        entry: dict[str, Any] = {"description": texts[code]}
        if code == 200 and media:
            entry["content"] = {m: {"schema": {"type": "string"}} for m in media}
        out[str(code)] = entry
    return out


STRING = {"type": "string"}
PAGE = {"type": "integer", "minimum": 1, "maximum": 1_000_000_000}
LANG = _param(
    "lang",
    "query",
    {"type": "string", "enum": ["en", "nl", "fr"]},
    "interface language of HTML pages (default: from Accept-Language)",
)
FORMAT = _param(
    "format",
    "query",
    {"type": "string", "enum": ["html", "ttl", "jsonld", "rdf", "nt"]},
    "the format, instead of the Accept header",
)


SEARCH_FACETS = [
    "legislature",
    "year",
    "status",
    "asker",
    "party",
    "office",
    "minister",
    "government",
    "descriptor",
    "agency",
]
SEARCH_PARAMS = [
    _param(
        "q",
        "query",
        {"type": "string", "maxLength": 1000},
        'words, "phrases", -excluded, OR, prefix*, field:word (title, question, answer, descriptor, asker, '
        "party, office, agency); empty: every question",
    ),
    _param(
        "sort",
        "query",
        {"type": "string", "enum": ["relevance", "date", "date-asc"]},
        "order of the hits (default: relevance with a query, else date)",
    ),
    _param("page", "query", {"type": "integer", "minimum": 1, "maximum": 10_001}, "page number"),
    _param("size", "query", {"type": "integer", "minimum": 1, "maximum": 100}, "hits per page (default 20)"),
    _param("facets", "query", {"type": "string", "enum": ["0", "1"]}, "0: the hits alone, no facet counts"),
    LANG,
    *(
        _param(
            name,
            "query",
            {"type": "array", "items": STRING},
            f"only questions with this {name} (any of them)",
            explode=True,
        )
        for name in SEARCH_FACETS
    ),
]


STATS_PARAMS = [
    _param(
        "grouping",
        "query",
        {
            "type": "string",
            "enum": ["minister", "office", "government", "legislature", "party", "asker", "year", "month"],
        },
        "what the figures are grouped by",
    ),
    _param(
        "sort",
        "query",
        {
            "type": "string",
            "enum": [
                "questions",
                "group",
                "answered",
                "answered_share",
                "median_days",
                "p90_days",
                "median_working_days",
                "p90_working_days",
                "on_time_share",
                "open_past_deadline",
            ],
        },
        "sort column",
    ),
    _param("order", "query", {"type": "string", "enum": ["asc", "desc"]}, "sort order"),
    LANG,
]


def openapi_document(title: str, description: str) -> dict[str, Any]:
    sparql_params = [
        _param("query", "query", STRING, "a SPARQL 1.1 query"),
        _param("default-graph-uri", "query", {"type": "array", "items": STRING}, "default graph IRIs"),
        _param("named-graph-uri", "query", {"type": "array", "items": STRING}, "named graph IRIs"),
        _param("format", "query", STRING, "result format (json, xml, csv, tsv, turtle, html...), instead of Accept"),
    ]
    sparql_body = {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": STRING,
                        "update": STRING,
                        "default-graph-uri": STRING,
                        "named-graph-uri": STRING,
                    },
                }
            },
            "application/sparql-query": {"schema": STRING},
            "application/sparql-update": {"schema": STRING},
        }
    }
    doc_params = [
        _param("type", "path", {"type": "string", "pattern": "^[^/]+$"}, "kind of thing: question, person..."),
        _param(
            "reference",
            "path",
            {"type": "string", "pattern": "^[^/]+$"},
            "the thing's reference, optionally with a format extension (.ttl, .jsonld, .rdf, .nt, .html)",
        ),
        _param("page", "query", PAGE, "page of a long description"),
        FORMAT,
        LANG,
    ]
    paths: dict[str, Any] = {
        "/": {
            "get": {
                "summary": "Home page: what the dataset holds",
                "parameters": [LANG],
                "responses": _responses(200, media=["text/html"]),
            }
        },
        "/search": {
            "get": {
                "summary": "Full-text search (HTML, or JSON with Accept: application/json)",
                "parameters": SEARCH_PARAMS,
                "responses": _responses(200, 400, 503, media=["text/html", "application/json"]),
            }
        },
        "/search.json": {
            "get": {
                "summary": "Full-text search as JSON: hits with URIs, scores and snippets, facets",
                "parameters": SEARCH_PARAMS,
                "responses": _responses(200, 400, 503, media=["application/json"]),
            }
        },
        "/sparql": {
            "get": {
                "summary": "SPARQL 1.1 query (without a query: service description or query page)",
                "parameters": sparql_params,
                "responses": _responses(200, 400, 403, 406, 414, 503, media=SPARQL_MEDIA),
            },
            "post": {
                "summary": "SPARQL 1.1 query, or update with an operator's bearer token",
                "parameters": sparql_params[1:],
                "requestBody": sparql_body,
                "responses": _responses(200, 400, 403, 406, 408, 413, 415, 503, media=SPARQL_MEDIA),
            },
        },
        "/id/{type}/{reference}": {
            "get": {
                "summary": "A thing: 303 to its document",
                "parameters": doc_params[:2],
                "responses": _responses(303, 404),
            }
        },
        "/doc/{type}/{reference}": {
            "get": {
                "summary": "A thing's description, by content negotiation",
                "parameters": doc_params,
                "responses": _responses(200, 400, 404, 406, media=RDF_MEDIA),
            }
        },
        "/list/{slug}": {
            "get": {
                "summary": "Entities of one class, paged and sorted",
                "parameters": [
                    _param("slug", "path", {"type": "string", "enum": LIST_SLUGS}, "which list"),
                    _param("page", "query", PAGE, "page number"),
                    _param("sort", "query", {"type": "string", "enum": ["label", "date"]}, "sort key"),
                    _param("order", "query", {"type": "string", "enum": ["asc", "desc"]}, "sort order"),
                    LANG,
                ],
                "responses": _responses(200, 400, 404, media=["text/html"]),
            }
        },
        "/ns/kg": {
            "get": {
                "summary": "The kg vocabulary",
                "parameters": [FORMAT, LANG],
                "responses": _responses(200, 400, 406, media=RDF_MEDIA),
            }
        },
        "/ns/kg/{term}": {
            "get": {
                "summary": "A vocabulary term: 303 to its place in /ns/kg",
                "parameters": [_param("term", "path", STRING, "class or property name")],
                "responses": _responses(303),
            }
        },
        "/dumps/": {
            "get": {
                "summary": "The downloadable dumps, with sizes and SHA-256",
                "parameters": [
                    _param("format", "query", {"type": "string", "enum": ["html", "json"]}, "listing format")
                ],
                "responses": _responses(200, 406, media=["text/html", "application/json"]),
            }
        },
        "/dumps/{name}": {
            "get": {
                "summary": "One dump",
                "parameters": [_param("name", "path", {"type": "string", "enum": DUMP_NAMES}, "the file")],
                "responses": _responses(200, 304, 404, media=["application/gzip", "text/turtle"]),
            }
        },
        "/.well-known/void": {
            "get": {
                "summary": "VoID and DCAT description of the dataset",
                "parameters": [FORMAT],
                "responses": _responses(200, 406, media=RDF_MEDIA),
            }
        },
        "/static/kg.css": {"get": {"summary": "The stylesheet", "responses": _responses(200, media=["text/css"])}},
        **{
            path: {
                "get": {
                    "summary": summary,
                    "parameters": STATS_PARAMS,
                    "responses": _responses(200, 400, media=[media]),
                }
            }
            for path, summary, media in (
                (
                    "/stats",
                    "Answer times: figures per group, a chart, the questions open past their deadline",
                    "text/html",
                ),
                ("/stats.json", "The answer-time figures and overdue questions as JSON", "application/json"),
                ("/stats.csv", "The answer-time figures of one grouping as CSV", "text/csv"),
                ("/stats/overdue.csv", "The questions open past their deadline as CSV", "text/csv"),
            )
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": __version__, "description": description},
        "paths": paths,
    }
