"""The server's OpenAPI description (`/api/openapi.json`): its own routes written out by hand, and
one operation per stored query generated from the query's header.

The routes read their parameters from the request themselves (content negotiation, the SPARQL
Protocol's three ways of sending a query, free paths under `/id/` and `/doc/`), so FastAPI
cannot infer them; this document says what each route takes and answers, for client generators
and for property-based testing of the server against its own description.
"""

from __future__ import annotations

from typing import Any

from kg import __version__
from kg.queries import Param, StoredQuery

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


def openapi_document(
    title: str,
    description: str,
    *,
    queries: dict[str, StoredQuery] | None = None,
    enums: dict[tuple[str, str], list[str]] | None = None,
    result_limit: int = 10_000,
) -> dict[str, Any]:
    """The whole server: its own operations and each stored query's (`/api/{name}`)."""
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
    paths.update(api_paths(queries or {}, enums or {}, result_limit))
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": __version__, "description": description},
        "paths": paths,
    }


# -- the query API (/api/{name}), generated from the stored queries' headers --------------------

API_ERRORS = (304, 400, 406, 503)
_PARAM_SCHEMAS: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "format": "iri", "pattern": "^https?://", "maxLength": 1000},
    "date": {"type": "string", "format": "date"},
    "integer": {"type": "integer", "minimum": -(10**18) + 1, "maximum": 10**18 - 1},
    "string": {"type": "string", "maxLength": 1000},
    "language": {"type": "string", "pattern": "^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$"},
    "boolean": {"type": "boolean"},
}


def _typed(value: str, kind: str) -> Any:
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        return value == "true"
    return value


def _query_param(query: StoredQuery, param: Param, enum: list[str] | None) -> dict[str, Any]:
    schema: dict[str, Any] = dict(_PARAM_SCHEMAS[param.type])
    allowed = list(param.enum) or enum
    if allowed is not None:
        schema["enum"] = [_typed(v, param.type) for v in allowed]
    if param.many:
        schema = {"type": "array", "items": schema, "maxItems": 100}
        if param.default:
            schema["default"] = [_typed(v, param.type) for v in param.default]
        example: Any = [_typed(v, param.type) for v in param.example]
    else:
        if param.default:
            schema["default"] = _typed(param.default[0], param.type)
        example = _typed(param.example[0], param.type)
    words = [param.description]
    if query.class_iri(param):
        words.append(f"(an instance of <{query.class_iri(param)}>)")
    if query.values_of(param):
        words.append(f"(a value of <{query.values_of(param)}> in the data)")
    out = _param(
        param.name, "query", schema, " ".join(words), required=param.required, explode=True if param.many else None
    )
    out["example"] = example
    return out


def _api_operation(query: StoredQuery, enums: dict[tuple[str, str], list[str]], result_limit: int) -> dict[str, Any]:
    from kg.web.api_output import row_schema

    params = [_query_param(query, p, enums.get((query.name, p.name))) for p in query.header.params]
    params.append(
        _param(
            "If-None-Match",
            "header",
            STRING,
            "an ETag this query gave for these values: 304 while the data is unchanged",
        )
    )
    if query.header.pages:
        params.append(
            _param(
                "limit",
                "query",
                {"type": "integer", "minimum": 1, "maximum": result_limit, "default": 100},
                "rows per page",
            )
        )
        params.append(
            _param(
                "offset",
                "query",
                {"type": "integer", "minimum": 0, "maximum": 1_000_000_000, "default": 0},
                "rows to skip",
            )
        )
    if query.kind == "solutions":
        content: dict[str, Any] = {
            "application/json": {"schema": {"type": "array", "items": row_schema(query)}},
            "text/csv": {"schema": STRING},
            "text/html": {"schema": STRING},
        }
        formats = "JSON (an array of rows), CSV or an HTML table"
    else:
        content = {m: {"schema": STRING} for m in ("text/turtle", "application/n-triples", "text/html")}
        content["application/ld+json"] = {"schema": {"type": ["object", "array"]}}
        formats = "Turtle, JSON-LD, N-Triples or an HTML table"
    link = {
        "description": 'rel="next" (when there is a next page), rel="related" (the query in the editor)',
        "schema": STRING,
    }
    responses = _responses(*API_ERRORS)
    responses["200"] = {
        "description": f"{formats}, by Accept or by extension (/api/{query.name}.json ...)",
        "headers": {"ETag": {"schema": STRING}, "Link": link},
        "content": content,
    }
    return {
        "get": {
            "operationId": "query_" + query.name.replace("-", "_"),
            "summary": query.header.summary,
            "description": query.header.description,
            "tags": ["stored queries"],
            "parameters": params,
            "responses": dict(sorted(responses.items())),
        }
    }


def api_paths(
    queries: dict[str, StoredQuery], enums: dict[tuple[str, str], list[str]], result_limit: int
) -> dict[str, Any]:
    paths = {f"/api/{name}": _api_operation(query, enums, result_limit) for name, query in sorted(queries.items())}
    selects = sorted(name for name, query in queries.items() if query.kind == "solutions")
    paths["/api/{name}/schema"] = {
        "get": {
            "summary": "The JSON Schema of a stored SELECT query's JSON answer",
            "tags": ["stored queries"],
            "parameters": [_param("name", "path", {"type": "string", "enum": selects}, "the query")],
            "responses": {
                "200": {"description": "OK", "content": {"application/schema+json": {"schema": {"type": "object"}}}},
                "404": {"description": "Not found"},
            },
        }
    }
    paths["/api/openapi.json"] = {
        "get": {
            "summary": "This description (OpenAPI 3.1)",
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
            },
        }
    }
    return paths
