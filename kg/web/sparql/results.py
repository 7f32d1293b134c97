"""SPARQL result formats: which media types a query form can be answered in, and the writers for
SELECT/ASK results (JSON, XML, CSV, TSV) that stop at the result limit.

Knows no HTTP framework: it runs in the query worker processes as well as in the server.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.web.conneg import negotiate

Kind = Literal["solutions", "boolean", "graph"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class ResultFormat:
    key: str  # "json"
    media_type: str  # what the answer's Content-Type says
    accepts: tuple[str, ...]  # media types in Accept that select it (media_type first)
    names: tuple[str, ...]  # values of the `format` parameter that select it
    rdf_format: ox.RdfFormat | None = None  # for graph results


HTML = "html"

SOLUTION_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat(
        "json",
        "application/sparql-results+json",
        ("application/sparql-results+json", "application/json", "text/javascript", "application/javascript"),
        ("json", "srj"),
    ),
    ResultFormat(
        "xml",
        "application/sparql-results+xml",
        ("application/sparql-results+xml", "application/xml", "text/xml"),
        ("xml", "srx"),
    ),
    ResultFormat("csv", "text/csv", ("text/csv",), ("csv",)),
    ResultFormat("tsv", "text/tab-separated-values", ("text/tab-separated-values",), ("tsv",)),
    ResultFormat(HTML, "text/html", ("text/html", "application/xhtml+xml"), ("html",)),
)

GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat(
        "turtle",
        "text/turtle",
        ("text/turtle", "application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3", "application/n3"),
        ("turtle", "ttl", "n3"),
        ox.RdfFormat.TURTLE,
    ),
    ResultFormat(
        "ntriples",
        "application/n-triples",
        ("application/n-triples", "text/plain"),
        ("ntriples", "nt", "n-triples"),
        ox.RdfFormat.N_TRIPLES,
    ),
    ResultFormat(
        "jsonld",
        "application/ld+json",
        ("application/ld+json", "application/x-json+ld", "application/json"),
        ("jsonld", "json-ld", "json"),
        ox.RdfFormat.JSON_LD,
    ),
    ResultFormat(
        "rdfxml",
        "application/rdf+xml",
        ("application/rdf+xml", "application/xml", "text/xml"),
        ("rdfxml", "rdf+xml", "rdf", "xml"),
        ox.RdfFormat.RDF_XML,
    ),
    ResultFormat(HTML, "text/html", ("text/html", "application/xhtml+xml"), ("html",)),
)


def formats_for(kind: Kind) -> tuple[ResultFormat, ...]:
    return GRAPH_FORMATS if kind == "graph" else SOLUTION_FORMATS


def choose_format(kind: Kind, accept: str | None, requested: Sequence[str]) -> ResultFormat | None:
    """The format to answer in: the first recognised `format` parameter value (a name such as
    "json" or a media type), else the Accept header. None when nothing offered fits."""
    formats = formats_for(kind)
    if requested:
        for value in requested:
            value = value.strip().lower()
            for fmt in formats:
                if value in fmt.names or value in fmt.accepts:
                    return fmt
        return None
    # Each format's own media type first, aliases after: `text/*` means CSV, not text/javascript.
    offered = [fmt.accepts[0] for fmt in formats] + [m for fmt in formats for m in fmt.accepts[1:]]
    chosen = negotiate(accept, offered)
    if chosen is None:
        return None
    return next(fmt for fmt in formats if chosen in fmt.accepts)


def available(kind: Kind) -> list[str]:
    """What a client may ask for, for the 406 answer."""
    return [f"{fmt.media_type} (format={fmt.names[0]})" for fmt in formats_for(kind)]


# -- terms --------------------------------------------------------------------------------------


def term_json(term: Any) -> dict[str, Any]:
    """A term as SPARQL 1.1 JSON results write it (and as the HTML table reads it)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_json(term.subject),
                "predicate": term_json(term.predicate),
                "object": term_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attr = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != XSD_STRING:
            attr = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attr = ""
        return f"<literal{attr}>{escape(_xml_safe(term.value))}</literal>"
    if isinstance(term, ox.Triple):
        return (
            "<triple>"
            + "".join(
                f"<{part}>{_xml_term(getattr(term, part))}</{part}>" for part in ("subject", "predicate", "object")
            )
            + "</triple>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot carry most control characters; replace them rather than write bad XML."""
    return "".join(c if c >= " " or c in "\t\n\r" else "\ufffd" for c in text)


def _csv_value(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _tsv_value(term: Any) -> str:
    if term is None:
        return ""
    return str(term).replace("\t", "\\t")


# -- writers ------------------------------------------------------------------------------------

Row = Sequence[Any]  # one solution: a term or None per variable


def write_solutions(key: str, variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    if key == "json":
        bindings = [{v: term_json(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if key == "xml":
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
            "<head>",
            *(f"<variable name={quoteattr(v)}/>" for v in variables),
            "</head><results>",
        ]
        for row in rows:
            out.append("<result>")
            out.extend(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode("utf-8")
    if key == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_value(t) for t in row] for row in rows)
        return buffer.getvalue().encode("utf-8")
    if key == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines.extend("\t".join(_tsv_value(t) for t in row) for row in rows)
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"no solutions writer for {key!r}")


def write_boolean(key: str, value: bool) -> bytes:
    text = "true" if value else "false"
    if key == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if key == "xml":
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{text}</boolean></sparql>\n"
        ).encode()
    if key == "csv":
        return f"_askResult\r\n{text}\r\n".encode()
    if key == "tsv":
        return f"?_askResult\n{text}\n".encode()
    raise ValueError(f"no boolean writer for {key!r}")


def write_graph(fmt: ResultFormat, triples: Sequence[ox.Triple], prefixes: dict[str, str]) -> bytes:
    assert fmt.rdf_format is not None
    options: dict[str, Any] = {}
    if fmt.rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD):
        used = _used_prefixes(triples, prefixes)
        if used:
            options["prefixes"] = used
    body = ox.serialize(triples, format=fmt.rdf_format, **options)
    return body if body is not None else b""


def _used_prefixes(triples: Sequence[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """Only the prefixes the triples use, so a small answer is not mostly declarations."""
    iris = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {name: ns for name, ns in prefixes.items() if any(iri.startswith(ns) for iri in iris)}
