"""What a question's page says before any text: number, title, who asked (and their party), when,
whom (each office and who held it that day), how it went (status, answer date, days, deadline,
reminders), the Senate's own pages, the sibling questions as one table, the descriptors.

Read from the question's description and a few index lookups (`Store.match`, bound terms only),
never from the documents: the page is a view of the graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Triple

from kg.rdf.vocab import DCT, KG_NS, ORG, RDFS, SCHEMA
from kg.stores import Store
from kg.web.describe import Lru

# The Senate's address of a question's web page, as it publishes them (see docs/fetch.md).
SENATE_PAGE = "https://www.senate.be/www/?MIval=/Vragen/SchriftelijkeVraag&LEG={legislature}&NR={number}&LANG={lang}"


def senate_pages(identifier: str) -> list[tuple[str, str]]:
    """(language, URL) of the Senate's page of question `5-8913` in Dutch and French; none for an
    identifier that is not legislature-number."""
    legislature, _, number = identifier.partition("-")
    if not (legislature.isdigit() and number.isdigit()):
        return []
    return [(lang, SENATE_PAGE.format(legislature=legislature, number=number, lang=lang)) for lang in ("nl", "fr")]


@dataclass
class Facts:
    """The triples of one subject, by predicate IRI."""

    by_predicate: dict[str, list[object]] = field(default_factory=dict)

    @classmethod
    def of(cls, triples: Iterable[Triple]) -> Facts:
        facts = cls()
        for t in triples:
            facts.by_predicate.setdefault(t.predicate.value, []).append(t.object)
        return facts

    def all(self, predicate: str) -> list[object]:
        return self.by_predicate.get(predicate, [])

    def iris(self, predicate: str) -> list[NamedNode]:
        return sorted((o for o in self.all(predicate) if isinstance(o, NamedNode)), key=lambda n: n.value)

    def literal(self, predicate: str) -> Literal | None:
        return next((o for o in self.all(predicate) if isinstance(o, Literal)), None)

    def text(self, predicate: str) -> str | None:
        found = self.literal(predicate)
        return found.value if found is not None else None

    def first(self, predicate: str) -> NamedNode | None:
        found = self.iris(predicate)
        return found[0] if found else None


@dataclass(frozen=True)
class Holder:
    """Who held an office on a day (None: kg holds no incumbency covering that day)."""

    office: NamedNode
    person: NamedNode | None


@dataclass(frozen=True)
class Incumbency:
    """One term of an office: who held it, from when, until when (None: still running)."""

    incumbent: NamedNode | None
    start: str | None
    end: str | None


class QuestionCache:
    """What question pages read about things many questions share, kept while the store is
    unchanged (the server makes one per store version, so an update shows at once): each
    office's incumbencies (thousands of questions go to one office), and the rows of sibling
    questions (a question's row shows on the page of each of its siblings)."""

    def __init__(self, size: int = 10_000):
        self.incumbencies: Lru[NamedNode, list[Incumbency]] = Lru(size)
        self.siblings: Lru[NamedNode, Sibling] = Lru(size)


def incumbencies(store: Store, ns: str, office: NamedNode, cache: QuestionCache) -> list[Incumbency]:
    """The incumbencies of `office`, in the store's order."""
    found = cache.incumbencies.get(office)
    if found is None:
        found = []
        for t in store.match(office, NamedNode(ns + "incumbency"), None):
            facts = Facts.of(store.match(t.object))
            found.append(
                Incumbency(
                    facts.first(ns + "incumbent"), facts.text(SCHEMA.startDate.value), facts.text(SCHEMA.endDate.value)
                )
            )
        cache.incumbencies.put(office, found)
    return found


def holders_on(store: Store, ns: str, offices: list[NamedNode], day: str | None, cache: QuestionCache) -> list[Holder]:
    """Each office with the person whose incumbency covers `day` (ISO date); unknown without a
    day or without a covering incumbency. An incumbency with no end date is still running."""
    found = []
    for office in offices:
        person = None
        if day:
            for term in incumbencies(store, ns, office, cache):
                start, end = term.start, term.end
                if term.incumbent is not None and start is not None and start <= day and (end is None or day <= end):
                    person = term.incumbent
                    break
        found.append(Holder(office, person))
    return found


def parties_of(store: Store, person: NamedNode, day: str | None) -> list[NamedNode]:
    """The parties a person belonged to on `day`: memberships dated to cover it where kg holds dated
    ones, else the memberships kg holds (undated: the party the Senate printed beside the name)."""
    dated: list[NamedNode] = []
    undated: list[NamedNode] = []
    for t in store.match(None, ORG.member, person):
        membership = Facts.of(store.match(t.subject))
        party = membership.first(ORG.organization.value)
        if party is None:
            continue
        start = membership.text(SCHEMA.startDate.value)
        end = membership.text(SCHEMA.endDate.value)
        if start is None and end is None:
            undated.append(party)
        elif day and (start is None or start <= day) and (end is None or day <= end):
            dated.append(party)
    if not dated and not undated:
        undated = [t.object for t in store.match(person, ORG.memberOf, None) if isinstance(t.object, NamedNode)]
    return sorted(set(dated or undated), key=lambda n: n.value)


def party_name_on(store: Store, party: NamedNode, day: str | None) -> str | None:
    """The name a renamed party bore on `day` (an ISO date), from its kg:partyName resources and
    their dates; None for a party with one name, or when no name's dates cover the day."""
    if not day:
        return None
    for t in store.match(party, NamedNode(KG_NS + "partyName"), None):
        name = Facts.of(store.match(t.object))
        start = name.text(SCHEMA.startDate.value)
        end = name.text(SCHEMA.endDate.value)
        label = name.text(RDFS.label.value)
        if label and (start is None or start <= day) and (end is None or day <= end):
            return label
    return None


def membership_last_seen(store: Store, person: NamedNode, party: NamedNode) -> str | None:
    """The last day the documents print `party` beside `person` (kg:lastSeen of the membership)."""
    for t in store.match(None, ORG.member, person):
        membership = Facts.of(store.match(t.subject))
        if membership.first(ORG.organization.value) == party:
            return membership.text(KG_NS + "lastSeen")
    return None


@dataclass(frozen=True)
class Sibling:
    """What the row of a sibling question (the same question sent to another office) shows."""

    uri: NamedNode
    identifier: str
    loaded: bool  # kg holds its document, not only its number
    holders: list[Holder]
    status: str | None  # as `QuestionFacts.status`
    answered: Literal | None

    @property
    def senate(self) -> list[tuple[str, str]]:
        return senate_pages(self.identifier)


@dataclass
class QuestionFacts:
    """A question's header facts, as terms (the page renders them in the reader's language)."""

    uri: NamedNode
    identifier: str
    title: list[Literal]
    asker: NamedNode | None
    parties: list[NamedNode]
    sent: Literal | None
    holders: list[Holder]
    status: str | None  # the local name of kg:answerStatus's value ("AnsweredOnTime", "NotLoaded")
    answered: Literal | None
    days: int | None
    working_days: int | None
    deadline: Literal | None
    reminders: int | None
    legislature: NamedNode | None
    descriptors: list[NamedNode]
    siblings: list[Sibling] = field(default_factory=list)

    @property
    def loaded(self) -> bool:
        return self.status != "NotLoaded" and (self.sent is not None or bool(self.title))

    @property
    def senate(self) -> list[tuple[str, str]]:
        return senate_pages(self.identifier)


def _integer(facts: Facts, predicate: str) -> int | None:
    text = facts.text(predicate)
    return int(text) if text is not None and text.lstrip("-").isdigit() else None


def question_facts(store: Store, ns: str, uri: NamedNode, own: list[Triple], cache: QuestionCache) -> QuestionFacts:
    """The header facts of question `uri` from its own triples; its siblings' read from the store."""
    facts = Facts.of(own)
    sent = _sent(facts)
    day = sent.value if sent is not None else None
    asker = facts.first(DCT.creator.value)
    identifier = facts.text(DCT.identifier.value) or uri.value.rsplit("/", 1)[-1]
    found = QuestionFacts(
        uri=uri,
        identifier=identifier,
        title=[o for o in facts.all(DCT.title.value) if isinstance(o, Literal)],
        asker=asker,
        parties=parties_of(store, asker, day) if asker is not None else [],
        sent=sent,
        holders=holders_on(store, ns, facts.iris(ns + "addressedTo"), day, cache),
        status=_status(facts, ns),
        answered=_answered(store, facts, ns),
        days=_integer(facts, ns + "daysToAnswer"),
        working_days=_integer(facts, ns + "workingDaysToAnswer"),
        deadline=facts.literal(ns + "answerDeadline"),
        reminders=_integer(facts, ns + "remindersSent"),
        legislature=facts.first(ns + "legislature"),
        descriptors=facts.iris(DCT.subject.value),
    )
    found.siblings = [sibling_facts(store, ns, s, cache) for s in facts.iris(ns + "sibling") if s != uri]
    found.siblings.sort(key=lambda s: _number_key(s.identifier))
    return found


def sibling_facts(store: Store, ns: str, uri: NamedNode, cache: QuestionCache) -> Sibling:
    """A sibling's row, read property by property: a question has fifty statements, and reading
    them all costs several times these few lookups."""
    found = cache.siblings.get(uri)
    if found is None:
        found = _sibling(store, ns, uri, cache)
        cache.siblings.put(uri, found)
    return found


def _sibling(store: Store, ns: str, uri: NamedNode, cache: QuestionCache) -> Sibling:
    wanted = (DCT.dateSubmitted, DCT.date, DCT.identifier, DCT.title, *(NamedNode(ns + name) for name in _SIBLING_ROW))
    facts = Facts.of(t for predicate in wanted for t in store.match(uri, predicate))
    sent = _sent(facts)
    status = _status(facts, ns)
    titled = any(isinstance(o, Literal) for o in facts.all(DCT.title.value))
    return Sibling(
        uri=uri,
        identifier=facts.text(DCT.identifier.value) or uri.value.rsplit("/", 1)[-1],
        loaded=status != "NotLoaded" and (sent is not None or titled),
        holders=holders_on(store, ns, facts.iris(ns + "addressedTo"), sent.value if sent is not None else None, cache),
        status=status,
        answered=_answered(store, facts, ns),
    )


_SIBLING_ROW = ("hasAnswer", "answerStatus", "addressedTo")


def _sent(facts: Facts) -> Literal | None:
    return facts.literal(DCT.dateSubmitted.value) or facts.literal(DCT.date.value)


def _status(facts: Facts, ns: str) -> str | None:
    status = facts.first(ns + "answerStatus")
    return status.value[len(ns) :] if status is not None and status.value.startswith(ns) else None


def _answered(store: Store, facts: Facts, ns: str) -> Literal | None:
    answer = facts.first(ns + "hasAnswer")
    if answer is None:
        return None
    return Facts.of(store.match(answer, DCT.date, None)).literal(DCT.date.value)


def _number_key(identifier: str) -> tuple[int, int, str]:
    legislature, _, number = identifier.partition("-")
    if legislature.isdigit() and number.isdigit():
        return (int(legislature), int(number), "")
    return (0, 0, identifier)
