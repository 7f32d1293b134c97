"""What a stored query's answer looks like through the API: rows of typed JSON values, their JSON
Schema (from the header's columns), and CSV. Reads SPARQL JSON results, as the query workers
write them; knows nothing of HTTP."""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from kg.queries import Column, StoredQuery

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGER_TYPES = frozenset(
    XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
)
NUMBER_TYPES = frozenset(XSD + name for name in ("decimal", "double", "float"))

# Column type -> the JSON Schema of one of its values.
COLUMN_SCHEMAS: dict[str, dict[str, Any]] = {
    "iri": {"type": "string", "format": "iri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string"},
    "year": {"type": "string"},
    "boolean": {"type": "boolean"},
    "language": {"type": "string"},
    "duration": {"type": "string"},
}


def json_value(term: dict[str, Any] | None) -> Any:
    """A SPARQL JSON term as a plain JSON value: numbers as numbers, booleans as booleans, IRIs
    and every other literal as its text; None when unbound."""
    if term is None:
        return None
    kind = term["type"]
    value = term["value"]
    if kind == "bnode":
        return "_:" + value
    if kind != "literal":
        return value if isinstance(value, str) else json.dumps(value)
    datatype = term.get("datatype")
    try:
        if datatype in INTEGER_TYPES:
            return int(value)
        if datatype in NUMBER_TYPES:
            number = float(value)
            return number if math.isfinite(number) else value
    except ValueError:
        return value
    if datatype == XSD + "boolean":
        return value in ("true", "1")
    return value


def rows_of(results: dict[str, Any], columns: list[str]) -> list[list[dict[str, Any] | None]]:
    """The rows of a SPARQL JSON answer, a term (or None) per column."""
    return [[binding.get(name) for name in columns] for binding in results["results"]["bindings"]]


def as_objects(columns: list[str], rows: list[list[dict[str, Any] | None]]) -> list[dict[str, Any]]:
    return [{name: json_value(term) for name, term in zip(columns, row, strict=True)} for row in rows]


def column_schema(column: Column) -> dict[str, Any]:
    schema = dict(COLUMN_SCHEMAS[column.type])
    if column.optional:
        schema["type"] = [schema["type"], "null"]
    schema["description"] = column.description
    return schema


def row_schema(query: StoredQuery) -> dict[str, Any]:
    columns = query.header.columns
    return {
        "type": "object",
        "properties": {c.name: column_schema(c) for c in columns},
        "required": [c.name for c in columns],
        "additionalProperties": False,
    }


def answer_schema(query: StoredQuery) -> dict[str, Any]:
    """The JSON Schema of `/api/{name}.json`: an array of rows."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": query.header.summary,
        "description": query.header.description,
        "type": "array",
        "items": row_schema(query),
    }


def csv_text(columns: list[str], rows: list[list[dict[str, Any] | None]]) -> bytes:
    """The columns as the first line, then each term's text (empty when unbound)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if term is None else _text(term) for term in row])
    return buffer.getvalue().encode("utf-8")


def _text(term: dict[str, Any]) -> str:
    value = term["value"]
    if term["type"] == "bnode":
        return "_:" + value
    return value if isinstance(value, str) else json.dumps(value)
