"""The formats a description is published in, and their serialization.

One fixed table maps media type, file extension and `?format=` names to a serializer, so a
document URL (`/doc/x.ttl`), a format parameter and an Accept header all mean the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse, serialize

from kg.rdf.turtle import turtle_blocks

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


def serialize_ntriples(nt: bytes, fmt: Format, prefixes: dict[str, str], iris: set[str] | None = None) -> bytes:
    """`serialize_triples` of the sorted, unique N-Triples lines `nt` (as Oxigraph writes
    triples), the same bytes, with no Python object per triple for Turtle and N-Triples: the
    lines are the N-Triples, and Turtle comes from kg's C writer of Oxigraph's Turtle (which
    hands back anything it is not sure of). `iris`: those of the lines' terms and datatypes
    (`iris_of`), when the caller knows them; else they are read from the lines."""
    if fmt.rdf is None:
        raise ValueError(f"{fmt.name} is not an RDF format")
    if fmt.rdf == RdfFormat.N_TRIPLES:
        return nt
    if fmt.rdf == RdfFormat.JSON_LD:
        written = serialize(_quads(nt), format=fmt.rdf)
    else:
        used = _prefixes_of(_iris_of_lines(nt) if iris is None else iris, prefixes)
        if fmt.rdf == RdfFormat.TURTLE:
            # no blank line between subjects, which the build's writer adds
            return _turtle_header(tuple(used.items())) + turtle_blocks(nt, used).replace(b" .\n\n", b" .\n")
        written = serialize(_quads(nt), format=fmt.rdf, prefixes=used)
    assert written is not None  # without an output to write to, serialize returns the bytes
    return written


_ANY = NamedNode("urn:x")


@lru_cache(maxsize=256)
def _turtle_header(used: tuple[tuple[str, str], ...]) -> bytes:
    """The @prefix lines Oxigraph writes for `used`, in its order (that of its hash table)."""
    written = serialize([Triple(_ANY, _ANY, _ANY)], format=RdfFormat.TURTLE, prefixes=dict(used))
    assert written is not None  # without an output to write to, serialize returns the bytes
    return b"".join(line for line in written.splitlines(keepends=True) if line.startswith(b"@prefix "))


def _quads(nt: bytes) -> Iterator[Triple]:
    return (quad.triple for quad in parse(nt, format=RdfFormat.N_TRIPLES))


# Each line's IRIs: subject, predicate, and the object or the datatype of a literal object (one
# that ends in `" .` is a plain string, in `@tag .` a language-tagged one).
_LINE_IRIS = re.compile(
    rb'^(?:<([^<>" ]*)>|_:\S+) <([^<>" ]*)> (?:<([^<>" ]*)>|_:\S+|.*"\^\^<([^<>" ]*)>|.*(")|.*"(@)[a-zA-Z0-9-]+) \.$',
    re.M,
)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _iris_of_lines(nt: bytes) -> set[str]:
    found: set[bytes] = set()
    for groups in _LINE_IRIS.findall(nt):
        found.update(groups)
    iris = {iri.decode("utf-8") for iri in found if iri not in (b"", b'"', b"@")}
    if b'"' in found:
        iris.add(_XSD_STRING)
    if b"@" in found:
        iris.add(_LANG_STRING)
    return iris


def _used_prefixes(triples: list[Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """Only the prefixes the triples use, so small documents keep a short header."""
    return _prefixes_of(iris_of(triples), prefixes)


def iris_of(triples: Iterable[Triple]) -> set[str]:
    """The IRIs of the triples' terms and of their literals' datatypes."""
    iris: set[str] = set()
    for triple in triples:
        iris.add(triple.predicate.value)
        for term in (triple.subject, triple.object):
            if isinstance(term, NamedNode):
                iris.add(term.value)
            elif isinstance(term, Literal):
                iris.add(term.datatype.value)
    return iris


def _prefixes_of(iris: set[str], prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes some of `iris` start with and go on after."""
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
