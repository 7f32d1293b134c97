"""Parameter values: a request's text read into RDF terms by the parameter's declared type, and
those terms bound into a stored query where its `VALUES ?name { ... }` block is.

A value becomes a pyoxigraph term first (which refuses what is not an IRI, escapes every quote
and line break of a string), and only the term's N-Triples form reaches the query, in the data
block `kg.sparql_reader` found: a value can never be read as SPARQL code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

import pyoxigraph as ox

from kg import sparql_reader
from kg.queries.header import Param

XSD = "http://www.w3.org/2001/XMLSchema#"
MAX_VALUES = 100  # values of one parameter in one request
MAX_LENGTH = 1000  # characters of one value
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
EXPECTED = {
    "iri": "an absolute IRI (http://... or https://...)",
    "date": "a date, YYYY-MM-DD",
    "integer": "an integer",
    "string": f"text of at most {MAX_LENGTH} characters",
    "language": "a language tag such as nl or fr",
    "boolean": "true or false",
}


class ParamError(ValueError):
    """A value that does not fit its parameter: says which parameter and what was expected."""

    def __init__(self, param: str, message: str):
        super().__init__(f"parameter {param}: {message}")
        self.param = param


Term = ox.NamedNode | ox.Literal


def parse_value(param: Param, text: str) -> Term:
    """`text` as the term `param` takes. Raises ParamError."""
    kind = param.type
    wrong = ParamError(param.name, f"expected {EXPECTED[kind]}, got {text[:80]!r}")
    if len(text) > MAX_LENGTH:
        raise ParamError(param.name, f"a value longer than {MAX_LENGTH} characters")
    if kind == "iri":
        if not text.startswith(("http://", "https://")):
            raise wrong
        try:
            term: Term = ox.NamedNode(text)
        except ValueError:
            raise wrong from None
    elif kind == "date":
        if not _DATE.fullmatch(text):
            raise wrong
        try:
            date.fromisoformat(text)
        except ValueError:
            raise wrong from None
        term = ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
    elif kind == "integer":
        if not _INTEGER.fullmatch(text):
            raise wrong
        term = ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
    elif kind == "boolean":
        if text not in ("true", "false"):
            raise wrong
        term = ox.Literal(text, datatype=ox.NamedNode(XSD + "boolean"))
    elif kind == "language":
        if not _LANGUAGE.fullmatch(text):
            raise wrong
        term = ox.Literal(text.lower())
    else:
        if any(ord(c) < 0x20 and c not in "\t\n\r" for c in text):
            raise ParamError(param.name, "expected text without control characters")
        term = ox.Literal(text)
    if param.enum and term.value not in param.enum:
        raise ParamError(param.name, f"expected one of {', '.join(param.enum)}, got {text[:80]!r}")
    return term


def parse_values(param: Param, texts: Sequence[str]) -> list[Term]:
    """Every value a request gives `param`. Raises ParamError (one value where one is allowed)."""
    if len(texts) > 1 and not param.many:
        raise ParamError(param.name, f"takes one value, got {len(texts)}")
    if len(texts) > MAX_VALUES:
        raise ParamError(param.name, f"takes at most {MAX_VALUES} values, got {len(texts)}")
    return [parse_value(param, text) for text in texts]


def bind(text: str, values: Mapping[str, Sequence[Term] | None], page: tuple[int, int] | None = None) -> str:
    """`text` with the data block of each `VALUES ?name { ... }` replaced by the terms given for
    `name` (None: `UNDEF`, the variable left free), and `LIMIT`/`OFFSET` added for `page`
    (rows, offset). The query is read by the one SPARQL reader; the result is read again, so
    what comes out is always a whole query."""
    reading = sparql_reader.read(text)
    pieces: list[str] = []
    at = 0
    for block in reading.values_blocks():
        if block.variable not in values:
            continue
        terms = values[block.variable]
        data = " ".join(str(term) for term in terms) if terms else "UNDEF"
        pieces.append(reading.text[at : block.start])
        pieces.append("{ " + data + " }")
        at = block.end
    pieces.append(reading.text[at:])
    bound = "".join(pieces)
    if page is not None:
        rows, offset = page
        bound = f"{bound.rstrip()}\nLIMIT {int(rows)}\nOFFSET {int(offset)}\n"
    sparql_reader.read(bound)
    return bound
