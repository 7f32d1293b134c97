"""Stored queries: `.rq` files that declare themselves in a header (summary, typed parameters,
columns, paging), read and checked here, below the web layer that serves them as `/api/{name}`."""

from kg.queries.catalog import StoredQuery, load_catalog, read_query
from kg.queries.header import Column, Header, HeaderError, Param, describe, parse_header
from kg.queries.values import ParamError, bind, parse_value, parse_values

__all__ = [
    "Column",
    "Header",
    "HeaderError",
    "Param",
    "ParamError",
    "StoredQuery",
    "bind",
    "describe",
    "load_catalog",
    "parse_header",
    "parse_value",
    "parse_values",
    "read_query",
]
