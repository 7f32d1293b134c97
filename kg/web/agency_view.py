"""An agency's page as a reader wants it: its names in Dutch, French and English, its parent,
its enterprise number, its accounts per platform with their audience figures over time, and the
questions and answers that name it. Index lookups with the agency's IRI bound."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Variable

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
    figures: list[Figure] = field(default_factory=list)  # the latest FIGURES_SHOWN, oldest first
    figures_total: int = 0


FIGURES_SHOWN = 12
_ACCOUNT = Variable("account")
# An account's latest audience figures: an account cited by thousands of answers has thousands.
_FIGURES = f"""
SELECT ?account ?s ?count ?when ?kind WHERE {{
  ?account <{SCHEMA.interactionStatistic.value}> ?s .
  ?s <{SCHEMA.userInteractionCount.value}> ?count .
  OPTIONAL {{ ?s <{DCT.date.value}> ?when }}
  OPTIONAL {{ ?s <{SCHEMA.interactionType.value}> ?kind }}
}} ORDER BY DESC(?when) ?s LIMIT {FIGURES_SHOWN}"""


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
    mentions: list[Mention]  # the latest MENTIONS_SHOWN
    mentions_total: int


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
        entry.figures_total = len(described.iris(SCHEMA.interactionStatistic.value))
        for row in store.query(_FIGURES, substitutions={_ACCOUNT: found[key]}):
            count, when, kind, statistic = row["count"], row["when"], row["kind"], row["s"]
            if not isinstance(count, Literal) or not count.value.isdigit() or not isinstance(statistic, NamedNode):
                continue
            entry.figures.append(
                Figure(
                    int(count.value),
                    when if isinstance(when, Literal) else None,
                    kind if isinstance(kind, NamedNode) else None,
                    statistic,
                )
            )
        entry.figures.sort(key=lambda f: (f.when.value if f.when is not None else "", f.count))
        platform = entry.platform.value if entry.platform is not None else ""
        by_platform.setdefault(platform, []).append(entry)
    return by_platform


ELI_DL_ANSWERS_TO = "http://data.europa.eu/eli/eli-draft-legislation-ontology#answers_to"
MENTIONS_SHOWN = 100
_AGENCY = Variable("agency")
# The questions naming an agency, in their text or in their answer's, latest first: an agency
# can be named by tens of thousands, so the store sorts and cuts, and the page shows the first.
_MENTIONS = f"""
SELECT ?agency ?q (MAX(?answer) AS ?in_answer) (MIN(?day) AS ?date) WHERE {{
  ?s <{KG_NS}mentionsAgency> ?agency .
  OPTIONAL {{ ?s <{ELI_DL_ANSWERS_TO}> ?asked }}
  BIND(COALESCE(?asked, ?s) AS ?q)
  BIND(BOUND(?asked) AS ?answer)
  OPTIONAL {{ ?q <{DCT.dateSubmitted.value}> ?day }}
}} GROUP BY ?agency ?q ORDER BY DESC(?date) ?q LIMIT {MENTIONS_SHOWN}"""
_MENTION_COUNT = f"""
SELECT ?agency (COUNT(DISTINCT ?q) AS ?n) WHERE {{
  ?s <{KG_NS}mentionsAgency> ?agency .
  OPTIONAL {{ ?s <{ELI_DL_ANSWERS_TO}> ?asked }}
  BIND(COALESCE(?asked, ?s) AS ?q)
}} GROUP BY ?agency"""


def _mentions(store: Store, agency: NamedNode) -> tuple[list[Mention], int]:
    """The latest questions naming the agency (at most MENTIONS_SHOWN), and how many name it."""
    found = []
    for row in store.query(_MENTIONS, substitutions={_AGENCY: agency}):
        question = row["q"]
        if not isinstance(question, NamedNode):
            continue
        asked = Facts.of(store.match(question))
        date = row["date"]
        in_answer = row["in_answer"]
        found.append(
            Mention(
                question,
                asked.text(DCT.identifier.value) or question.value.rsplit("/", 1)[-1],
                date if isinstance(date, Literal) else None,
                [o for o in asked.all(DCT.title.value) if isinstance(o, Literal)],
                isinstance(in_answer, Literal) and in_answer.value == "true",
            )
        )
    total = 0
    for row in store.query(_MENTION_COUNT, substitutions={_AGENCY: agency}):
        count = row["n"]
        total = int(count.value) if isinstance(count, Literal) else 0
    return found, total


def agency_facts(store: Store, agency: NamedNode, own: list) -> AgencyFacts:
    facts = Facts.of(own)
    mentions, total = _mentions(store, agency)
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
        mentions=mentions,
        mentions_total=total,
    )
