"""An agency's page as a reader wants it: its names in Dutch, French and English, its parent,
its enterprise number, its accounts per platform with their audience figures over time, and the
questions and answers that name it. Index lookups with the agency's IRI bound."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from kg.rdf.vocab import DCT, FOAF, KG_NS, ORG, OWL, SCHEMA, SIOC, SKOS
from kg.stores import Store
from kg.web.question_view import Facts


@dataclass
class Figure:
    count: int
    when: Literal | None
    kind: NamedNode | None  # schema:FollowAction ...
    source: NamedNode  # the statement (a fact of an answer)


@dataclass
class Account:
    uri: NamedNode
    platform: NamedNode | None
    page: NamedNode | None
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Mention:
    """A question (or its answer) naming the agency."""

    question: NamedNode
    identifier: str
    date: Literal | None
    title: list[Literal]
    in_answer: bool


@dataclass
class AgencyFacts:
    names: dict[str, list[Literal]]  # language -> preferred and other names
    parent: NamedNode | None
    enterprise_number: str | None
    registry: list[NamedNode]  # owl:sameAs (the enterprise register's IRI)
    accounts: dict[str, list[Account]]  # platform IRI ("" unknown) -> accounts
    mentions: list[Mention]


def _accounts(store: Store, agency: NamedNode, facts: Facts) -> dict[str, list[Account]]:
    found: dict[str, NamedNode] = {}
    for predicate in (FOAF.account.value, KG_NS + "usesAccount"):
        for account in facts.iris(predicate):
            found[account.value] = account
    for t in store.match(None, SIOC.account_of, agency):
        if isinstance(t.subject, NamedNode):
            found[t.subject.value] = t.subject
    by_platform: dict[str, list[Account]] = {}
    for key in sorted(found):
        described = Facts.of(store.match(found[key]))
        entry = Account(found[key], described.first(KG_NS + "platform"), described.first(FOAF.page.value))
        for statistic in described.iris(SCHEMA.interactionStatistic.value):
            figure = Facts.of(store.match(statistic))
            count = figure.text(SCHEMA.userInteractionCount.value)
            if count is None or not count.isdigit():
                continue
            entry.figures.append(
                Figure(
                    int(count),
                    figure.literal(SCHEMA.endTime.value),
                    figure.first(SCHEMA.interactionType.value),
                    statistic,
                )
            )
        entry.figures.sort(key=lambda f: (f.when.value if f.when is not None else "", f.count))
        platform = entry.platform.value if entry.platform is not None else ""
        by_platform.setdefault(platform, []).append(entry)
    return by_platform


def _mentions(store: Store, agency: NamedNode) -> list[Mention]:
    found: dict[str, Mention] = {}
    for t in store.match(None, NamedNode(KG_NS + "mentionsAgency"), agency):
        subject = t.subject
        if not isinstance(subject, NamedNode):
            continue
        facts = Facts.of(store.match(subject))
        question = facts.first("http://data.europa.eu/eli/eli-draft-legislation-ontology#answers_to")
        in_answer = question is not None
        question = question or subject
        if question.value in found:
            found[question.value].in_answer |= in_answer
            continue
        asked = Facts.of(store.match(question)) if in_answer else facts
        found[question.value] = Mention(
            question,
            asked.text(DCT.identifier.value) or question.value.rsplit("/", 1)[-1],
            asked.literal(DCT.dateSubmitted.value) or asked.literal(DCT.date.value),
            [o for o in asked.all(DCT.title.value) if isinstance(o, Literal)],
            in_answer,
        )
    return sorted(found.values(), key=lambda m: (m.date.value if m.date else "", m.identifier), reverse=True)


def agency_facts(store: Store, agency: NamedNode, own: list) -> AgencyFacts:
    facts = Facts.of(own)
    names: dict[str, list[Literal]] = {}
    for predicate in (SKOS.prefLabel.value, SKOS.altLabel.value):
        for name in facts.all(predicate):
            if isinstance(name, Literal):
                names.setdefault(name.language or "", []).append(name)
    return AgencyFacts(
        names=names,
        parent=facts.first(ORG.subOrganizationOf.value),
        enterprise_number=facts.text(KG_NS + "enterpriseNumber"),
        registry=facts.iris(OWL.sameAs.value),
        accounts=_accounts(store, agency, facts),
        mentions=_mentions(store, agency),
    )
