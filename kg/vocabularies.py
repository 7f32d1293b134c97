"""The official files of the vocabularies kg reuses (`ontology/vendor/`), and the check that every
reused term kg writes exists in them.

A term "exists" when the shipped file of its namespace declares it (any IRI of the namespace in
subject position), or when a shipped application profile constrains it (SHACL paths, classes and
values: ELI-DL 2 and 3 are published only through the European Parliament's profile), or, for the
few namespaces without a shipped file, when `vocabularies.toml` lists it by hand. A misspelt or
invented term is then caught before anyone else's software ignores it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.paths import ONTOLOGY_DIR

VENDOR_DIR = ONTOLOGY_DIR / "vendor"
INDEX = VENDOR_DIR / "vocabularies.toml"

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
_SH = "http://www.w3.org/ns/shacl#"
# What a profile's shapes constrain: the terms a profile defines for its data.
_PROFILE_PREDICATES = frozenset(_SH + p for p in ("path", "inversePath", "class", "targetClass", "hasValue"))
_RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"


@dataclass(frozen=True)
class Namespace:
    """A reused namespace, its shipped files (path, kind) or, for an exception, the hand list."""

    prefix: str
    iri: str
    files: tuple[tuple[Path, str], ...] = ()
    listed: frozenset[str] | None = None  # exceptions: the terms written by hand
    reason: str = ""


@dataclass(frozen=True)
class UnknownTerm:
    term: str
    namespace: str
    where: str  # which graph uses it

    def __str__(self) -> str:
        return f"{self.where}: {self.term} is not defined by the shipped {self.namespace} vocabulary"


def namespaces(index: Path = INDEX) -> tuple[Namespace, ...]:
    """Every namespace of the index, longest IRI first (so a namespace inside another wins)."""
    try:
        data = tomllib.loads(index.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{index}: {error}") from error
    found = [
        Namespace(
            entry["prefix"],
            entry["namespace"],
            tuple((index.parent / f["path"], f["kind"]) for f in entry["files"]),
        )
        for entry in data.get("vocabulary", [])
    ]
    found += [
        Namespace(
            entry["prefix"],
            entry["namespace"],
            listed=frozenset(entry["namespace"] + term for term in entry["terms"]),
            reason=entry["reason"],
        )
        for entry in data.get("exception", [])
    ]
    return tuple(sorted(found, key=lambda n: (-len(n.iri), n.iri)))


@lru_cache(maxsize=64)
def defined_terms(namespace: Namespace) -> frozenset[str]:
    """The IRIs of `namespace` its files define (or its hand list, for an exception)."""
    if namespace.listed is not None:
        return namespace.listed
    terms: set[str] = set()
    for path, kind in namespace.files:
        try:
            # Relative IRIs (some files have them) resolve against the namespace document.
            quads = list(ox.parse(path=str(path), format=_FORMATS[path.suffix], base_iri=namespace.iri.rstrip("#")))
        except (OSError, SyntaxError, KeyError) as error:
            raise ValueError(f"{path}: cannot be read as RDF: {error}") from error
        if kind == "vocabulary":
            terms.update(q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode))
        elif kind == "profile":
            terms.update(_profile_terms(quads))
        else:
            raise ValueError(f"{path}: unknown kind {kind!r} (vocabulary or profile)")
    return frozenset(t for t in terms if t.startswith(namespace.iri) and t != namespace.iri)


def _profile_terms(quads: list[ox.Quad]) -> set[str]:
    """Terms a SHACL profile constrains, `sh:in` lists included."""
    predicates = _PROFILE_PREDICATES | {_RDF_FIRST}
    return {q.object.value for q in quads if q.predicate.value in predicates and isinstance(q.object, ox.NamedNode)}


def graph_terms(graph: Iterable[ox.Triple | ox.Quad]) -> set[str]:
    """Every IRI a graph names: predicates, classes, subjects and objects alike."""
    found: set[str] = set()
    for triple in graph:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                found.add(term.value)
            elif isinstance(term, ox.Literal):
                found.add(term.datatype.value)
    return found


def unknown_terms(terms: Iterable[str], where: str, index: Path = INDEX) -> list[UnknownTerm]:
    """The terms of a reused namespace that its shipped file (or hand list) does not define,
    sorted. Terms outside every reused namespace (kg's own, the data's) are not judged here."""
    spaces = namespaces(index)
    unknown = []
    for term in sorted(set(terms)):
        namespace = next((n for n in spaces if term.startswith(n.iri)), None)
        if namespace is not None and term != namespace.iri and term not in defined_terms(namespace):
            unknown.append(UnknownTerm(term, namespace.prefix, where))
    return unknown
