"""Typed records of what an answer says about agencies and their social media.

The extraction produces these from a `QuestionRecord` and knows nothing of RDF; `kg.rdf.social`
maps them to triples. Every fact carries the sentence it was read from, so each claim in the
graph can be checked against the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

TextKind = Literal["question", "answer"]
FactKind = Literal[
    "uses",  # the agency uses the platform (through the account, when one is named)
    "does-not-use",  # the agency says it does not use the platform (None: no social media at all)
    "plans",  # the agency plans to use the platform (year and condition when said)
    "active-since",  # the agency's channels are active since a date
    "audience",  # an account's audience figure (count, interaction, language, date)
    "no-abuse",  # no case of abuse is known to the agency
    "abuse",  # a case of abuse is known to the agency
    "policy",  # the agency has a stated policy (monitoring, guidelines, ...)
]
FACT_KINDS: tuple[str, ...] = (
    "uses",
    "does-not-use",
    "plans",
    "active-since",
    "audience",
    "no-abuse",
    "abuse",
    "policy",
)
Interaction = Literal["follow", "like", "join"]


@dataclass(frozen=True)
class Evidence:
    """The sentence a fact was read from: which text, which paragraph, and where in it.

    `start`/`end` are character offsets into the paragraph's (repaired) text, so
    `paragraphs[paragraph].text[start:end] == quote`.
    """

    text: TextKind
    paragraph: int
    start: int
    end: int
    quote: str


@dataclass(frozen=True, order=True)
class AccountRef:
    """An account's identity: its platform and a key (the handle or page name as a slug, or
    `of-{agency}` for an account the text mentions without naming it)."""

    platform: str
    key: str

    def __str__(self) -> str:
        return f"{self.platform}/{self.key}"


@dataclass(frozen=True)
class Account:
    """One social media account, with everything the text says of it."""

    ref: AccountRef
    evidence: Evidence  # its first mention
    handle: str | None = None  # as printed, without "@"
    url: str | None = None  # as printed
    name: str | None = None  # a page name given in quotes: “Pasoplichting”
    owner: str | None = None  # agency key
    language: str | None = None  # "nl" for @statbel_nl, Statistics-Belgium-NL
    topics: tuple[str, ...] = ()  # what the account is for, as printed: "consumentenbedrog"


@dataclass(frozen=True)
class AgencyMention:
    """An agency the text names (or whose account it names), at its first mention."""

    agency: str  # gazetteer key
    surface: str  # as printed: "FOD Mobiliteit en Vervoer", "DVZ", "@statbel_nl"
    evidence: Evidence


@dataclass(frozen=True)
class Fact:
    """One claim about an agency and social media, with its supporting sentence."""

    kind: FactKind
    agency: str
    evidence: Evidence
    platform: str | None = None  # None: social media in general
    account: AccountRef | None = None
    date: date | None = None  # active since (active-since) or counted on (audience)
    year: int | None = None  # planned for (plans)
    count: int | None = None  # audience
    audience_language: str | None = None  # audience: "474 Nederlandstalige volgers" -> "nl"
    interaction: Interaction | None = None  # audience: followers -> "follow"
    conditional: bool = False  # plans: "als de nodige capaciteit kan verzekerd worden"
    policy: str | None = None  # policy kind: "monitoring", "guidelines", ...

    def key(self) -> tuple[str, str, str | None, str | None, str | None]:
        """(kind, agency, platform, account, detail): what the fact says, without where it
        was said; two sentences saying the same thing give the same key."""
        detail: str | None = None
        if self.kind == "plans":
            detail = (
                " ".join(
                    part
                    for part in (str(self.year) if self.year else None, "conditional" if self.conditional else None)
                    if part
                )
                or None
            )
        elif self.kind == "active-since":
            detail = self.date.isoformat() if self.date else None
        elif self.kind == "audience":
            detail = " ".join(
                part
                for part in (
                    str(self.count),
                    self.interaction,
                    self.audience_language,
                    self.date.isoformat() if self.date else None,
                )
                if part
            )
        elif self.kind == "policy":
            detail = self.policy
        account = str(self.account) if self.account else None
        return (self.kind, self.agency, self.platform, account, detail)


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one record (one language version of one question)."""

    language: str
    agencies: tuple[AgencyMention, ...] = ()
    accounts: tuple[Account, ...] = ()
    question_facts: tuple[Fact, ...] = ()  # in document order
    answer_facts: tuple[Fact, ...] = ()  # in document order
    reported: tuple[str, ...] = ()  # agencies the answer reports on (its sections, its facts)

    @property
    def facts(self) -> tuple[Fact, ...]:
        return self.question_facts + self.answer_facts
