"""The facets of the question list: legislature, year, party of the asker, office addressed and
status, read once per state of the store (a few index-backed queries over every question), then
filtered and counted in memory for each request.

A facet value in a URL is the local part of an IRI (`party=open-vld` for `{base}id/party/open-vld`),
a year, or a status's local name; values are looked up, never pasted into a query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, NamedNode, Variable

from kg.rdf.vocab import DCT, KG_NS, ORG
from kg.web.context import KgContext
from kg.web.kept import kept

FACETS = ("legislature", "year", "party", "office", "status")

_CLASS = Variable("class")
_QUESTION = KG_NS + "Question"
# One query per facet, each a join the store answers from its indexes; the class is bound.
_PAIRS = {
    "legislature": f"SELECT ?class ?s ?o WHERE {{ ?s a ?class ; <{KG_NS}legislature> ?o }}",
    "party": f"SELECT ?class ?s ?o WHERE {{ ?s a ?class ; <{DCT.creator.value}> ?c . ?c <{ORG.memberOf.value}> ?o }}",
    "office": f"SELECT ?class ?s ?o WHERE {{ ?s a ?class ; <{KG_NS}addressedTo> ?o }}",
    "status": f"SELECT ?class ?s ?o WHERE {{ ?s a ?class ; <{KG_NS}answerStatus> ?o }}",
    "date": f"SELECT ?class ?s ?o WHERE {{ ?s a ?class ; <{DCT.dateSubmitted.value}> ?o }}",
    "identifier": f"SELECT ?class ?s ?o WHERE {{ ?s a ?class ; <{DCT.identifier.value}> ?o }}",
    "addressee": f"SELECT ?class ?s ?o WHERE {{ ?s a ?class ; <{KG_NS}addressee> ?o }}",
}


@dataclass
class QuestionFacets:
    """Every question's facet values: question IRI -> facet -> values (IRIs or text)."""

    values: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)
    identifiers: dict[str, str] = field(default_factory=dict)
    addressees: dict[str, str] = field(default_factory=dict)

    def of(self, question: str, facet: str) -> set[str]:
        return self.values.get(question, {}).get(facet, set())


def question_facets(ctx: KgContext) -> QuestionFacets:
    """Read once per state of the store."""

    def compute(ctx: KgContext) -> QuestionFacets:
        found = QuestionFacets()
        klass = NamedNode(_QUESTION)
        for name, query in _PAIRS.items():
            for row in ctx.store.query(query, substitutions={_CLASS: klass}):
                subject, value = row["s"], row["o"]
                if not isinstance(subject, NamedNode):
                    continue
                key = subject.value
                if name == "date" and isinstance(value, Literal):
                    if key not in found.dates or value.value < found.dates[key]:
                        found.dates[key] = value.value
                    found.values.setdefault(key, {}).setdefault("year", set()).add(value.value[:4])
                elif name == "identifier" and isinstance(value, Literal):
                    found.identifiers[key] = value.value
                elif name == "addressee" and isinstance(value, NamedNode):
                    found.addressees.setdefault(key, value.value)
                elif name not in ("date", "identifier", "addressee") and isinstance(value, NamedNode):
                    found.values.setdefault(key, {}).setdefault(name, set()).add(value.value)
        return found

    return ctx.derived("question-facets", lambda c: kept(c, "question-facets", compute, _dump, _load))


def _dump(facets: QuestionFacets) -> dict[str, Any]:
    return {
        "values": {q: {name: sorted(v) for name, v in by.items()} for q, by in facets.values.items()},
        "dates": facets.dates,
        "identifiers": facets.identifiers,
        "addressees": facets.addressees,
    }


def _load(data: dict[str, Any]) -> QuestionFacets:
    return QuestionFacets(
        values={str(q): {str(name): set(v) for name, v in by.items()} for q, by in data["values"].items()},
        dates={str(k): str(v) for k, v in data["dates"].items()},
        identifiers={str(k): str(v) for k, v in data["identifiers"].items()},
        addressees={str(k): str(v) for k, v in data["addressees"].items()},
    )


def facet_value(facet: str, raw: str, base: str, ns: str) -> str:
    """The IRI or text a URL's facet value stands for (`open-vld` -> `{base}id/party/open-vld`)."""
    if facet == "year":
        return raw
    if facet == "status":
        return ns + raw
    return f"{base}id/{facet}/{raw}"


def url_value(facet: str, value: str, base: str, ns: str) -> str:
    """The inverse of `facet_value`: what a link puts in the URL."""
    if facet == "year":
        return value
    if facet == "status":
        return value[len(ns) :] if value.startswith(ns) else value
    prefix = f"{base}id/{facet}/"
    return value[len(prefix) :] if value.startswith(prefix) else value


def matches(facets: QuestionFacets, question: str, chosen: dict[str, str]) -> bool:
    return all(value in facets.of(question, facet) for facet, value in chosen.items())
