"""The European Parliament's SHACL shapes for parliamentary questions (v2.3.0, shipped in
`ontology/vendor/eli/`), applied to kg's graph where they apply to a Senate question.

The EP's shapes describe the EP's own dataset: its IRIs, its register numbers, its document types,
the Parliament as publisher. kg takes the file as published and changes, in a copy, only what
cannot hold for a question of the Belgian Senate; every change is listed here with its reason
(and in docs/linked-data.md). Everything else is checked as the EP wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import rdflib
from rdflib.namespace import SH

from kg.rdf.vocab import KG_NS
from kg.vocabularies import VENDOR_DIR

SHAPES_FILE = VENDOR_DIR / "eli" / "eli-ep_parliamentary-questions-2.3.0.shacl.ttl"
QUESTIONS = rdflib.Namespace("https://data.europarl.europa.eu/def/parliamentary-questions#")


@dataclass(frozen=True)
class Adaptation:
    """One change to the EP's shapes: `shapes` are local names in the EP's namespace."""

    change: str  # "deactivate", "drop-maxCount", "drop-in", "drop-pattern", "target"
    shapes: tuple[str, ...]
    reason: str


ADAPTATIONS: tuple[Adaptation, ...] = (
    Adaptation(
        "target",
        ("QuestionWrittenWork",),
        "The shape selects works whose eli:work_type is one of the EP's own document types "
        "(ep-document-types:QUESTION_WRITTEN); a Senate question's work type is the EU authority's "
        "resource-type:QUEST_WRITTEN. The shape targets every question kg converted from a document "
        "instead (a question known only by its number has no title or text to check).",
    ),
    Adaptation(
        "drop-pattern",
        (
            "QuestionWrittenWork",
            "Expression",
            "Manifestation",
            "Participation",
            "PersonReference",
            "ParliamentaryTermReference",
        ),
        "The pattern is the IRI scheme of the EP's own data (https://data.europarl.europa.eu/...); "
        "kg's things have kg's IRIs.",
    ),
    Adaptation(
        "drop-pattern",
        ("WorkTypeReference",),
        "The pattern allows only the EU resource-type table, which has no value for an answer; the "
        "EP's own sh:in values (ep-document-types) do not match it either.",
    ),
    Adaptation(
        "drop-pattern",
        ("ParticipationRoleReference",),
        "The pattern allows only the EU role table, while the shape's own sh:in (P133) requires the "
        "EP's ep-roles:AUTHOR and ADDRESSEE, which kg uses; both cannot hold.",
    ),
    Adaptation(
        "drop-closed",
        ("*",),
        "The shapes are closed to the properties of the EP's dataset, which only references people, "
        "organisations and languages; kg describes them in the same graph and adds its own "
        "properties (kg:number, kg:addressedTo, prov:wasDerivedFrom ...).",
    ),
    Adaptation(
        "drop-maxCount",
        ("P9", "P83"),
        "rdf:type at most once: a kg question is also a kg:Question, an answer a kg:Answer "
        "(subclasses of eli:Work). The eli:Work type itself is still required.",
    ),
    Adaptation(
        "drop-in",
        ("P10", "P84"),
        "eli:work_type in the EP's document types: those are the Parliament's own; a Senate "
        "question is typed resource-type:QUEST_WRITTEN, an answer kg:AnswerToWrittenQuestion.",
    ),
    Adaptation(
        "deactivate",
        ("P13", "P87"),
        "epvoc:identifierYear: the year in an EP identifier (E-9-2022-000004); a Senate number (5-8913) has none.",
    ),
    Adaptation(
        "deactivate",
        ("P15", "P89"),
        "rdfs:label as one untagged string: kg labels each question and answer once per language, language-tagged.",
    ),
    Adaptation(
        "deactivate",
        ("P16", "P90", "P18", "P92"),
        "epvoc:epNumber and skos:notation (epvoc:publicRegister): numbers in the EP's public register.",
    ),
    Adaptation(
        "deactivate",
        ("P21",),
        "dcterms:creator as an organisation (corporate-body table): a Senate question's author is a "
        "senator, a person (also given as an eli-dl:Participation with role AUTHOR).",
    ),
    Adaptation(
        "deactivate",
        ("P22", "P95"),
        "dcterms:publisher fixed to the European Parliament.",
    ),
    Adaptation(
        "deactivate",
        ("P86", "P88"),
        "dcterms:identifier and dcterms:title of an answer: the Senate gives an answer neither; it is "
        "published under its question's number and title (the title is its expressions' eli:title).",
    ),
    Adaptation(
        "deactivate",
        ("P126",),
        "dcterms:issued of a manifestation: the Senate's pages do not say when they were published, "
        "and kg does not guess it.",
    ),
    Adaptation(
        "deactivate",
        ("P129",),
        "dcterms:format from the EU file-type table: the Senate's pages are HTML, and no shipped "
        "source confirms that table's IRI for HTML; eli:media_type gives the IANA media type.",
    ),
)


@lru_cache(maxsize=1)
def applicable_shapes() -> rdflib.Graph:
    """The EP's shapes with `ADAPTATIONS` applied (a fresh parse each process, then cached;
    callers must not change the graph)."""
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    for adaptation in ADAPTATIONS:
        _apply(shapes, adaptation)
    return shapes


def _apply(shapes: rdflib.Graph, adaptation: Adaptation) -> None:
    if adaptation.shapes == ("*",):
        targets = list(shapes.subjects(SH.closed, None))
    else:
        targets = [QUESTIONS[name] for name in adaptation.shapes]
    for shape in targets:
        if (shape, None, None) not in shapes:
            raise ValueError(f"{SHAPES_FILE.name}: no shape {shape} to adapt")
        if adaptation.change == "deactivate":
            shapes.set((shape, SH.deactivated, rdflib.Literal(True)))
        elif adaptation.change == "drop-maxCount":
            shapes.remove((shape, SH.maxCount, None))
        elif adaptation.change == "drop-in":
            shapes.remove((shape, SH["in"], None))
        elif adaptation.change == "drop-pattern":
            shapes.remove((shape, SH.pattern, None))
        elif adaptation.change == "drop-closed":
            shapes.remove((shape, SH.closed, None))
        elif adaptation.change == "target":
            shapes.remove((shape, SH.target, None))
            shapes.add((shape, SH.targetSubjectsOf, rdflib.URIRef(KG_NS + "questionText")))
        else:
            raise ValueError(f"unknown adaptation {adaptation.change!r}")
