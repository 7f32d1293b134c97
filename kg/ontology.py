"""The kg ontology and SHACL shapes.

Ontology files declare kg's fixed namespace (kg.rdf.vocab.KG_NS) and are parsed with the
minter's base as public ID, for any relative IRI they hold. Files are globbed, so other modules'
ontology files join in by existing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.paths import ONTOLOGY_DIR
from kg.rdf.vocab import prefixes
from kg.uris import UriMinter

if TYPE_CHECKING:  # rdflib is imported where a graph is made: an incremental build that only
    import rdflib  # checks which files the ontology is made of does not wait 0.4 s for it


def ontology_files(directory: Path = ONTOLOGY_DIR) -> list[Path]:
    """`ontology/*.ttl` without the shapes, sorted for a deterministic merge."""
    return sorted(p for p in directory.glob("*.ttl") if not p.name.startswith("shapes"))


def shapes_files(directory: Path = ONTOLOGY_DIR) -> list[Path]:
    return sorted(directory.glob("shapes*.ttl"))


def _load(files: list[Path], minter: UriMinter) -> rdflib.Graph:
    import rdflib

    graph = rdflib.Graph()
    for name, namespace in prefixes(minter.ns_iri).items():
        graph.bind(name, namespace, override=True, replace=True)
    for path in files:
        graph.parse(path, format="turtle", publicID=minter.base)
    return graph


def load_ontology(minter: UriMinter, directory: Path = ONTOLOGY_DIR) -> rdflib.Graph:
    """Every ontology file (not the shapes), with the kg namespace under `minter.base`."""
    return _load(ontology_files(directory), minter)


def load_shapes(minter: UriMinter, directory: Path = ONTOLOGY_DIR) -> rdflib.Graph:
    """Every `shapes*.ttl` file, with the kg namespace under `minter.base`."""
    return _load(shapes_files(directory), minter)


def declared_terms(ontology: rdflib.Graph) -> set[str]:
    """IRIs the ontology declares as classes, properties or individuals (anything typed)."""
    import rdflib

    return {str(s) for s in ontology.subjects(rdflib.RDF.type, None) if isinstance(s, rdflib.URIRef)}
