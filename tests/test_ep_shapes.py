"""The European Parliament's parliamentary-questions shapes (2.3.0), applied where they apply to a
Senate question: the seeds conform, a question or answer without what the shapes require does
not, and every change to the EP's file is one docs/linked-data.md lists."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH
from test_build import ROOT, run_command

from kg.ep_shapes import ADAPTATIONS, QUESTIONS, SHAPES_FILE, applicable_shapes
from kg.ontology import load_ontology
from kg.uris import UriMinter

ELI = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
ELI_DL = rdflib.Namespace("http://data.europa.eu/eli/eli-draft-legislation-ontology#")
Q = rdflib.URIRef("http://localhost:8000/id/question/5-8913")


@pytest.fixture(scope="module")
def seeds_graph(seeds_out: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(seeds_out / "graph.ttl", format="turtle")


def ep_results(graph: rdflib.Graph) -> tuple[bool, set[tuple[str, str]]]:
    """Whether `graph` conforms to the applicable EP shapes, and (focus node, EP shape) of each
    result."""
    mixed = graph + load_ontology(UriMinter())
    ok, report, _ = pyshacl.validate(mixed, shacl_graph=applicable_shapes(), inference="none", advanced=True)
    found = {
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.sourceShape)).rpartition("#")[2])
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    return bool(ok), found


def test_the_seeds_questions_and_answers_conform_to_the_ep_shapes(seeds_graph: rdflib.Graph) -> None:
    ok, found = ep_results(seeds_graph)
    assert ok, sorted(found)


def test_a_question_and_answer_missing_what_the_ep_requires_violate_its_shapes(seeds_graph: rdflib.Graph) -> None:
    graph = rdflib.Graph()
    graph += seeds_graph
    answer, expression = rdflib.URIRef(f"{Q}/answer"), rdflib.URIRef(f"{Q}/expression/nl")
    graph.remove((Q, ELI.date_document, None))  # P11: one eli:date_document
    graph.remove((answer, ELI.is_realized_by, None))  # P96, reached from the question by P26
    graph.set((expression, ELI.language, rdflib.Literal("nl")))  # P123: a language authority IRI
    author = rdflib.URIRef(f"{Q}/participation/author")
    graph.set((author, ELI_DL.participation_role, rdflib.URIRef("https://example.org/role/speaker")))  # P133
    ok, found = ep_results(graph)
    assert not ok
    assert {(str(Q), "P11"), (str(answer), "P96"), (str(expression), "P123"), (str(author), "P133")} <= found


def test_kg_validate_reports_a_violation_of_the_ep_shapes(seeds_out: Path, tmp_path: Path) -> None:
    shutil.copy(seeds_out / "build.json", tmp_path / "build.json")
    # epvoc:byteSize is an xsd:long (P128): only the EP's shapes say so
    manifestation = f"<{Q}/expression/nl/web>"
    extra = f'\n{manifestation} <https://data.europarl.europa.eu/def/epvoc#byteSize> "large" .\n'
    (tmp_path / "graph.ttl").write_text((seeds_out / "graph.ttl").read_text(encoding="utf-8") + extra, encoding="utf-8")
    result = run_command("validate", str(tmp_path / "graph.ttl"), cwd=ROOT)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert f"Violation: {manifestation} epvoc:byteSize: Value is not Literal with datatype xsd:long" in lines
    # the rest are the shapes leading to it: the expression's (P122), the question's (P23)
    assert all("parliamentary-questions#" in line or "byteSize" in line for line in lines)


def test_every_change_to_the_ep_shapes_names_an_ep_shape_and_is_in_the_docs() -> None:
    original = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    docs = (ROOT / "docs" / "linked-data.md").read_text(encoding="utf-8")
    for adaptation in ADAPTATIONS:
        assert adaptation.reason
        for name in adaptation.shapes:
            if name != "*":
                assert (QUESTIONS[name], None, None) in original, name
                assert f"`{name}`" in docs or f"{name}," in docs or f"{name} " in docs, name


def test_only_the_listed_constraints_change() -> None:
    """Apart from the listed changes, the applied shapes are the EP's file: same shapes, same
    paths; deactivated are the EP's own deactivated shapes and the listed ones."""
    original = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    applied = applicable_shapes()
    assert set(original.subjects(SH.path, None)) == set(applied.subjects(SH.path, None))
    listed = {QUESTIONS[n] for a in ADAPTATIONS if a.change == "deactivate" for n in a.shapes}
    assert set(applied.subjects(SH.deactivated, rdflib.Literal(True))) == (
        set(original.subjects(SH.deactivated, rdflib.Literal(True))) | listed
    )
    assert not set(applied.subjects(SH.closed, None))


def test_generated_documents_in_every_rendering_and_both_languages_conform(tmp_path: Path) -> None:
    """The seeds are two Dutch web pages; generated documents bring French, the print and the
    bilingual print versions, unanswered questions: all conform to the EP's shapes too."""
    from kg.build.pipeline import build
    from kg.synth import write_corpus

    write_corpus(40, tmp_path / "docs", seed=3)
    report = build([tmp_path / "docs"], tmp_path / "out")
    assert not report.failed
    graph = rdflib.Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    formats = {str(o).rpartition("#")[2] for o in graph.objects(None, ELI["format"])}
    assert formats == {"WebRendering", "PrintRendering", "BilingualPrintRendering"}
    languages = {str(o).rpartition("/")[2] for o in graph.objects(None, ELI.language)}
    assert languages == {"NLD", "FRA"}
    ok, found = ep_results(graph)
    assert ok, sorted(found)
