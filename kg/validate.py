"""SHACL validation of a built graph against kg's shapes (all `ontology/shapes*.ttl`) and the
European Parliament's parliamentary-questions shapes where they apply to a Senate question
(`kg.ep_shapes`).

The ontology is mixed into a copy of the data so class constraints see subclasses (an office
typed kg:StateSecretary is a kg:Office) and the ontology's individuals; the file itself is never
changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import rdflib
from rdflib.namespace import SH

from kg.uris import DEFAULT_BASE, UriMinter


class UnreadableGraph(Exception):
    """The file to validate is missing or is not RDF."""


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str  # "Violation", "Warning", "Info"
    shape: str | None = None

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: <{self.focus}>{where}: {self.message}"


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool
    violations: tuple[Violation, ...]


def _format_for(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".nt", ".nt.gz")):
        return "nt"
    return "turtle"


def read_graph(path: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    try:
        if path.name.endswith(".gz"):
            import gzip

            with gzip.open(path, "rb") as handle:
                # A GzipFile reads as a binary file; typeshed just does not declare BufferedIOBase an IO[bytes].
                graph.parse(cast(IO[bytes], handle), format=_format_for(path))
        else:
            graph.parse(path, format=_format_for(path))
    except FileNotFoundError:
        raise UnreadableGraph(f"{path}: no such file") from None
    except Exception as error:  # rdflib raises many parser types; all mean "not RDF we can read"
        raise UnreadableGraph(f"{path}: cannot read as RDF: {error}") from None
    return graph


def base_of(path: Path) -> str:
    """The base URI the graph was built with, from build.json beside it, else the default."""
    import json

    info = path.parent / "build.json"
    try:
        return json.loads(info.read_text(encoding="utf-8"))["base"]
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_BASE


def validate_graph(data: rdflib.Graph, minter: UriMinter) -> ValidationResult:
    import pyshacl

    from kg.ep_shapes import applicable_shapes
    from kg.ontology import load_ontology, load_shapes

    # The whole ontology is mixed into a copy of the data: class constraints then see subclasses
    # and the ontology's own individuals (kinds of events, renderings) as the data's classes.
    mixed = rdflib.Graph()
    mixed.namespace_manager = data.namespace_manager
    mixed += data
    mixed += load_ontology(minter)
    shapes = load_shapes(minter)
    shapes += applicable_shapes()
    conforms, results, _ = pyshacl.validate(
        mixed, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    violations = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        path = results.value(result, SH.resultPath)
        severity = results.value(result, SH.resultSeverity)
        shape = results.value(result, SH.sourceShape)
        violations.append(
            Violation(
                focus=str(results.value(result, SH.focusNode)),
                path=_short(data, path) if isinstance(path, rdflib.URIRef) else None,
                message=str(results.value(result, SH.resultMessage) or "does not conform"),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                shape=str(shape) if isinstance(shape, rdflib.URIRef) else None,
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return ValidationResult(bool(conforms), tuple(violations))


def _short(graph: rdflib.Graph, term: rdflib.URIRef) -> str:
    try:
        return graph.namespace_manager.normalizeUri(term)
    except Exception:
        return f"<{term}>"


def validate_file(path: Path, base: str | None = None) -> ValidationResult:
    graph = read_graph(path)
    return validate_graph(graph, UriMinter(base or base_of(path)))
