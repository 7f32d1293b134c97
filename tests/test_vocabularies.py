"""Every reused term kg writes exists in the official file of its vocabulary, shipped in
ontology/vendor/ (or, for the few namespaces without one, in the hand list of vocabularies.toml);
an invented or misspelt term is caught."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.ontology import ontology_files, shapes_files
from kg.rdf.vocab import REUSED
from kg.vocabularies import VENDOR_DIR, defined_terms, graph_terms, namespaces, unknown_terms

ELI = "http://data.europa.eu/eli/ontology#"
ELI_DL = "http://data.europa.eu/eli/eli-draft-legislation-ontology#"


def _turtle(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri="https://example.org/"))


def test_every_reused_term_of_the_seeds_graph_exists_in_its_vocabulary(seeds_out: Path) -> None:
    terms = graph_terms(_turtle(seeds_out / "graph.ttl"))
    assert ELI + "Work" in terms and ELI_DL + "answers_to" in terms  # the check sees reused terms
    assert [str(u) for u in unknown_terms(terms, "graph.ttl")] == []


@pytest.mark.parametrize("path", [*ontology_files(), *shapes_files()], ids=lambda p: p.name)
def test_every_reused_term_of_the_ontology_and_shapes_exists_in_its_vocabulary(path: Path) -> None:
    assert [str(u) for u in unknown_terms(graph_terms(_turtle(path)), path.name)] == []


def test_an_invented_term_in_a_doctored_graph_is_reported(seeds_out: Path) -> None:
    doctored = (seeds_out / "graph.ttl").read_text(encoding="utf-8") + (
        '\n<https://example.org/q> <http://purl.org/dc/terms/daet> "2013-04-30" ;\n'
        f"  a <{ELI}Wrok> ;\n"
        f"  <{ELI_DL}answer_to> <https://example.org/a> ;\n"
        "  <http://www.w3.org/2002/07/owl#sameAss> <https://example.org/b> ;\n"
        '  <http://schema.org/endTime> "x"^^<http://www.w3.org/2001/XMLSchema#dateTim> .\n'
    )
    path = seeds_out.parent / "doctored.ttl"
    path.write_text(doctored, encoding="utf-8")
    unknown = {u.term for u in unknown_terms(graph_terms(_turtle(path)), "doctored.ttl")}
    assert unknown == {
        "http://purl.org/dc/terms/daet",
        ELI + "Wrok",
        ELI_DL + "answer_to",
        "http://www.w3.org/2002/07/owl#sameAss",
        "http://www.w3.org/2001/XMLSchema#dateTim",
    }


def test_eli_dl_terms_of_the_ep_profile_count_and_the_2020_release_lacks_them() -> None:
    """ELI-DL's 2020 file lacks answers_to and Participation; the EP profile defines them."""
    eli_dl = next(n for n in namespaces() if n.prefix == "eli-dl")
    release_only = {ELI_DL + t for t in ("answers_to", "Participation", "ParliamentaryTerm")}
    release = ox.parse(path=str(eli_dl.files[0][0]), format=ox.RdfFormat.RDF_XML)
    assert not release_only & {q.subject.value for q in release if isinstance(q.subject, ox.NamedNode)}
    assert release_only <= defined_terms(eli_dl)


def test_every_reused_namespace_has_a_vendored_file_or_is_a_known_exception() -> None:
    indexed = {n.iri: n for n in namespaces()}
    for prefix, vocab in REUSED.items():
        assert vocab.iri in indexed, prefix
        namespace = indexed[vocab.iri]
        assert namespace.files or namespace.reason, prefix
        assert all(path.is_file() for path, _ in namespace.files), prefix


def test_vendored_files_are_the_recorded_copies() -> None:
    """Each file of SOURCES.md has the sha256 it was recorded with (byte-for-byte copies)."""
    sources = (VENDOR_DIR / "SOURCES.md").read_text(encoding="utf-8")
    recorded = 0
    for row in sources.splitlines():
        match = re.match(r"\| ([\w./-]+\.(?:ttl|rdf|owl|jsonld)) \|.*sha256 ([0-9a-f]{16})", row)
        if match:
            recorded += 1
            data = (VENDOR_DIR / match[1]).read_bytes()
            assert hashlib.sha256(data).hexdigest()[:16] == match[2], match[1]
    shipped = [p for p in VENDOR_DIR.rglob("*") if p.suffix in {".ttl", ".rdf", ".owl", ".jsonld"}]
    assert recorded == len(shipped)


def _code_terms() -> set[str]:
    """Every reused term kg's code names as `DCT.title` or `SCHEMA["startTime"]` (kg.rdf.vocab and
    kg.rdf.terms namespaces), in every module: the web's VoID and Hydra terms too, which no
    built graph holds."""
    import ast

    import kg
    from kg.rdf import terms, vocab

    spaces = {name: value.iri for name, value in vars(vocab).items() if isinstance(value, vocab.Vocab)}
    spaces |= {name: value.iri for name, value in vars(terms).items() if isinstance(value, terms.NtVocab)}
    found: set[str] = set()
    for path in Path(kg.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in spaces:
                if node.attr != "iri":
                    found.add(spaces[node.value.id] + node.attr)
            elif (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Name)
                and node.value.id in spaces
                and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, str)
            ):
                found.add(spaces[node.value.id] + node.slice.value)
    return found


def test_every_reused_term_kg_code_names_exists_in_its_vocabulary() -> None:
    terms = _code_terms()
    assert "http://www.w3.org/ns/hydra/core#PartialCollectionView" in terms  # the web's terms are seen
    assert "http://rdfs.org/ns/void#sparqlEndpoint" in terms
    assert [str(u) for u in unknown_terms(terms, "kg's code")] == []
