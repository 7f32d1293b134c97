"""The formats a description is published in, and their serialization.

One fixed table maps media type, file extension and `?format=` names to a serializer, so a
document URL (`/doc/x.ttl`), a format parameter and an Accept header all mean the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

HTML = "text/html"


@dataclass(frozen=True)
class Format:
    media_type: str
    extension: str  # without the dot
    name: str  # shown to people
    names: tuple[str, ...]  # accepted by ?format=
    rdf: RdfFormat | None  # None for HTML

    @property
    def content_type(self) -> str:
        if self.media_type == HTML or self.media_type.endswith(("turtle", "n-triples")):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


FORMATS: tuple[Format, ...] = (
    Format(HTML, "html", "HTML", ("html", "htm"), None),
    Format("text/turtle", "ttl", "Turtle", ("ttl", "turtle"), RdfFormat.TURTLE),
    Format("application/ld+json", "jsonld", "JSON-LD", ("jsonld", "json-ld", "json"), RdfFormat.JSON_LD),
    Format("application/rdf+xml", "rdf", "RDF/XML", ("rdf", "rdfxml", "xml"), RdfFormat.RDF_XML),
    Format("application/n-triples", "nt", "N-Triples", ("nt", "ntriples", "n-triples"), RdfFormat.N_TRIPLES),
)
RDF_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.rdf is not None)

BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
BY_EXTENSION = {f.extension: f for f in FORMATS}
BY_NAME = {name: f for f in FORMATS for name in f.names}

# What a document offers to content negotiation; HTML first so a browser's `*/*` gets a page.
OFFERED = [f.media_type for f in FORMATS]


def split_extension(path: str) -> tuple[str, Format | None]:
    """`question/5-8913.ttl` -> (`question/5-8913`, Turtle). kg's references are slugs, which
    never hold a dot, so a known extension is always a format suffix."""
    stem, dot, extension = path.rpartition(".")
    if dot and "/" not in extension and extension.lower() in BY_EXTENSION:
        return stem, BY_EXTENSION[extension.lower()]
    return path, None


def sort_triples(triples: Iterable[Triple]) -> list[Triple]:
    """Each triple once, by subject, predicate and object: the same triples always give the same
    bytes, and each subject's triples come together (as Turtle groups them). Sorting by the
    N-Triples text is the fastest stable key: it is made in one call to the store's library."""
    return sorted(set(triples), key=str)


def serialize_triples(
    triples: Iterable[Triple], fmt: Format, prefixes: dict[str, str], *, ordered: bool = False
) -> bytes:
    """Triples in `fmt`, sorted (unless `ordered` says they are, by `sort_triples`) so the same
    description always gives the same bytes."""
    if fmt.rdf is None:
        raise ValueError(f"{fmt.name} is not an RDF format")
    if not ordered:
        triples = sort_triples(triples)
    ordered_triples = triples if isinstance(triples, list) else list(triples)
    if fmt.rdf in (RdfFormat.TURTLE, RdfFormat.RDF_XML):
        written = serialize(ordered_triples, format=fmt.rdf, prefixes=_used_prefixes(ordered_triples, prefixes))
    else:
        written = serialize(ordered_triples, format=fmt.rdf)
    assert written is not None  # without an output to write to, serialize returns the bytes
    return written


def _used_prefixes(triples: list[Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """Only the prefixes the triples use, so small documents keep a short header."""
    iris: set[str] = set()
    for triple in triples:
        iris.add(triple.predicate.value)
        for term in (triple.subject, triple.object):
            if isinstance(term, NamedNode):
                iris.add(term.value)
            elif isinstance(term, Literal):
                iris.add(term.datatype.value)
    # One string of every IRI, one line each: a namespace is used when a line starts with it and
    # goes on; a substring search per namespace instead of a comparison per IRI and namespace.
    lines = "\n" + "\n".join(iris) + "\n"
    used = {}
    for name, ns in prefixes.items():
        needle = "\n" + ns
        at = lines.find(needle)
        while at != -1:
            if lines[at + len(needle)] != "\n":
                used[name] = ns
                break
            at = lines.find(needle, at + 1)
    return used
