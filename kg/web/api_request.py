"""Reading a request to a stored query (`/api/{name}`): the format it asks for (by extension or
`Accept`), its parameters read into RDF terms by their declared types, paging, and the values that
must be in the data looked up there. Every mistake is a 400 (406 for a format) naming what was
expected."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import Request

from kg.queries import ParamError, StoredQuery, bind, parse_values
from kg.queries.values import EXPECTED, Term
from kg.web.conneg import negotiate
from kg.web.context import KgContext
from kg.web.errors import BadRequest, NotAcceptable

DEFAULT_LIMIT = 100
MAX_OFFSET = 1_000_000_000


@dataclass(frozen=True)
class Format:
    key: str  # json, csv, html; turtle, jsonld, ntriples
    media_type: str
    extension: str
    name: str


SELECT_FORMATS = (
    Format("json", "application/json", "json", "JSON"),
    Format("csv", "text/csv", "csv", "CSV"),
    Format("html", "text/html", "html", "HTML table"),
)
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", "ttl", "Turtle"),
    Format("jsonld", "application/ld+json", "jsonld", "JSON-LD"),
    Format("ntriples", "application/n-triples", "nt", "N-Triples"),
    Format("html", "text/html", "html", "HTML table"),
)
EXTENSIONS = frozenset(f.extension for f in (*SELECT_FORMATS, *GRAPH_FORMATS))


def formats_of(query: StoredQuery) -> tuple[Format, ...]:
    return SELECT_FORMATS if query.kind == "solutions" else GRAPH_FORMATS


@dataclass(frozen=True)
class ApiRequest:
    query: StoredQuery
    values: dict[str, list[Term] | None]
    given: dict[str, list[str]]  # the parameters as sent (for links and the form)
    page: tuple[int, int] | None  # (limit, offset) when the query pages
    format: Format


def read_params(request: Request, query: StoredQuery, extension: str | None) -> ApiRequest:
    """The request's parameters, typed and checked. Raises BadRequest naming the parameter."""
    params = request.query_params
    known = {p.name for p in query.header.params} | ({"limit", "offset"} if query.header.pages else set())
    unknown = sorted(set(params.keys()) - known)
    if unknown:
        takes = ", ".join(sorted(known)) or "no parameters"
        raise BadRequest(f"unknown parameter {unknown[0]}: {query.name} takes {takes}")
    values: dict[str, list[Term] | None] = {}
    given: dict[str, list[str]] = {}
    try:
        for param in query.header.params:
            texts = [t for t in params.getlist(param.name) if t != "" or param.type == "string"]
            if texts:
                given[param.name] = texts
                values[param.name] = parse_values(param, texts)
            elif param.required:
                raise ParamError(param.name, f"is required: expected {EXPECTED[param.type]}")
            elif param.default:
                values[param.name] = parse_values(param, list(param.default))
            else:
                values[param.name] = None
    except ParamError as error:
        raise BadRequest(str(error)) from error
    page = None
    if query.header.pages:
        limit = _integer(params.getlist("limit"), "limit", 1, request.app.state.kg.settings.result_limit, DEFAULT_LIMIT)
        offset = _integer(params.getlist("offset"), "offset", 0, MAX_OFFSET, 0)
        page = (limit, offset)
    return ApiRequest(query, values, given, page, choose(request, query, extension))


def _integer(texts: list[str], name: str, low: int, high: int, default: int) -> int:
    if not texts:
        return default
    if len(texts) > 1:
        raise BadRequest(f"parameter {name}: takes one value, got {len(texts)}")
    text = texts[0]
    if not text.isascii() or not text.isdigit() or len(text) > 12 or not low <= int(text) <= high:
        raise BadRequest(f"parameter {name}: expected an integer from {low} to {high}, got {text[:40]!r}")
    return int(text)


def choose(request: Request, query: StoredQuery, extension: str | None) -> Format:
    formats = formats_of(query)
    if extension is not None:
        found = next((f for f in formats if f.extension == extension), None)
        if found is None:
            raise NotAcceptable(f".{extension} is not a format of {query.name}; available:", details=_available(query))
        return found
    media = negotiate(request.headers.get("accept"), [f.media_type for f in formats])
    if media is None:
        raise NotAcceptable("none of the requested formats is available; available:", details=_available(query))
    return next(f for f in formats if f.media_type == media)


def _available(query: StoredQuery) -> list[str]:
    return [f"{f.media_type} (/api/{query.name}.{f.extension})" for f in formats_of(query)]


def check_in_data(ctx: KgContext, api: ApiRequest) -> None:
    """Values that must be in the data (`class=`, `values=`) are looked up there. Raises
    BadRequest naming the first that is not."""
    for param in api.query.header.params:
        terms = api.values.get(param.name)
        if not terms or param.name not in api.given:
            continue
        class_iri, prop = api.query.class_iri(param), api.query.values_of(param)
        if class_iri is not None:
            text = "SELECT DISTINCT ?v WHERE { VALUES ?v { UNDEF } VALUES ?c { UNDEF } ?v a ?c }"
            found = _found(ctx, bind(text, {"v": list(terms), "c": [ox.NamedNode(class_iri)]}))
            what = f"an instance of {class_iri}"
        elif prop is not None:
            text = "SELECT DISTINCT ?v WHERE { VALUES ?v { UNDEF } VALUES ?p { UNDEF } ?s ?p ?v }"
            found = _found(ctx, bind(text, {"v": list(terms), "p": [ox.NamedNode(prop)]}))
            rest = [t for t in terms if t.value not in found]
            if rest:  # language-tagged or typed objects: compare their text
                text = (
                    "SELECT DISTINCT ?v WHERE { VALUES ?v { UNDEF } VALUES ?p { UNDEF } ?s ?p ?o FILTER(STR(?o) = ?v) }"
                )
                found |= _found(ctx, bind(text, {"v": rest, "p": [ox.NamedNode(prop)]}))
            what = f"a value of {prop} in the data"
        else:
            continue
        for term in terms:
            if term.value not in found:
                raise BadRequest(f"parameter {param.name}: expected {what}, got {term.value[:80]!r}")


def _found(ctx: KgContext, text: str) -> set[str]:
    return {row[0].value for row in ctx.store.query(text) if row[0] is not None}
