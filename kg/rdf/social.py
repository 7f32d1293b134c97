"""Extraction records -> triples: agencies, their social media accounts and the facts answers
state about them, each fact with the sentence it rests on.

Modelling (declared in `ontology/social.ttl`):
- an agency is a `kg:Agency` (an `org:FormalOrganization`) with SKOS labels in nl/fr/en from the
  gazetteer, `org:subOrganizationOf` its parent and `owl:sameAs` its registered entity in the
  Crossroads Bank for Enterprises where the number is known;
- an account is a `sioc:UserAccount` with `kg:platform`, `foaf:accountName` (handle) or
  `foaf:page` (URL), `dct:language`, `kg:topic`, `sioc:account_of` its agency (and the agency
  `foaf:account` it);
- a fact is a `kg:SocialMediaFact` (a `prov:Entity`) of a subclass per kind, with `kg:agency`,
  `kg:platform`, `kg:account`, `prov:wasDerivedFrom` the answer (or question) and `kg:evidence` a
  `kg:TextSpan`, a Web Annotation `oa:SpecificResource` of the paragraph the sentence is in
  (`oa:hasSource`), with a `oa:TextQuoteSelector` (`oa:exact`, `oa:prefix`, `oa:suffix`) and a
  `oa:TextPositionSelector` (`oa:start`, `oa:end`: character offsets in the paragraph's text);
  audience figures are `schema:InteractionCounter`s on the account (`schema:interactionStatistic`),
  dated by `dct:date` (the day they were counted on);
- the answer `kg:reportsOn` the agencies it reports on, and any text `kg:mentionsAgency` those it
  names; which office answered for an agency follows from the question's addressed office
  (`queries/agency-answered-for-by.rq` derives it).

Fact URIs are `{answer}/fact/{language}/{n}` in document order: the Dutch and the French version of
one answer are separate texts whose facts must not merge.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from types import SimpleNamespace

from pyoxigraph import Triple

from kg.extract import extract
from kg.extract.facts import Account, Evidence, Extraction, Fact
from kg.extract.gazetteer import Agency, Gazetteer, load_gazetteer
from kg.extract.patterns import Patterns, load_patterns
from kg.parse.records import QuestionRecord, Text
from kg.rdf.terms import (
    DCT,
    FOAF,
    OA,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SIOC,
    SKOS,
    XSD,
    NtVocab,
    boolean,
    checked_iri,
    day,
    integer,
    lang,
    language_iri,
    parse,
    plain,
    typed,
)
from kg.uris import UriMinter

CBE = "https://org.belgif.be/id/CbeRegisteredEntity/"

AGENCY_CLASSES = {
    "federal-public-service": "FederalPublicService",
    "programming-public-service": "ProgrammingPublicService",
    "ministry": "Ministry",
    "administration": "Administration",
    "public-body": "PublicBody",
    "court": "AdministrativeCourt",
    "public-company": "PublicCompany",
}
FACT_CLASSES = {
    "uses": "PlatformUse",
    "does-not-use": "PlatformNonUse",
    "plans": "PlatformPlan",
    "active-since": "ActiveSince",
    "audience": "AudienceFigure",
    "no-abuse": "NoAbuseReported",
    "abuse": "AbuseReported",
    "policy": "SocialMediaPolicy",
}
INTERACTIONS = {"follow": "FollowAction", "like": "LikeAction", "join": "JoinAction"}

# Fact labels, so pages and query results read as sentences. {a}: agency, {p}: platform.
_LABELS = {
    "en": {
        "uses": "{a} uses {p}",
        "does-not-use": "{a} does not use {p}",
        "plans": "{a} plans to use {p}",
        "active-since": "{a} active on {p} since {d}",
        "audience": "{p} audience of {a}: {n}",
        "no-abuse": "{a}: no abuse known",
        "abuse": "{a}: abuse known",
        "policy": "{a}: {k}",
        "social media": "social media",
    },
    "nl": {
        "uses": "{a} gebruikt {p}",
        "does-not-use": "{a} gebruikt geen {p}",
        "plans": "{a} plant {p} te gebruiken",
        "active-since": "{a} actief op {p} sinds {d}",
        "audience": "{p}-publiek van {a}: {n}",
        "no-abuse": "{a}: geen misbruik bekend",
        "abuse": "{a}: misbruik bekend",
        "policy": "{a}: {k}",
        "social media": "sociale media",
    },
}


def social_triples(record: QuestionRecord, minter: UriMinter) -> Iterator[Triple]:
    """Every triple the record's question and answer text support about agencies and social
    media: the agencies, their accounts, the facts with their evidence."""
    return parse(social_lines(record, minter))


def social_lines(record: QuestionRecord, minter: UriMinter) -> list[str]:
    """`social_triples` as N-Triples lines (no newline), the form the build writes. Lists, not
    generators, all the way down: passing each line up through nested generators cost more
    than making it."""
    extraction = extract(record)
    if extraction.agencies or extraction.reported or extraction.accounts or extraction.facts:
        return extraction_lines(extraction, record, minter)
    return []


def extraction_triples(extraction: Extraction, record: QuestionRecord, minter: UriMinter) -> Iterator[Triple]:
    return parse(extraction_lines(extraction, record, minter))


def extraction_lines(extraction: Extraction, record: QuestionRecord, minter: UriMinter) -> list[str]:
    out: list[str] = []
    add = out.append
    mapper = _mapper(minter.base)
    k = mapper.k
    question_uri = minter.question(record.number)
    question = f"<{question_uri}>"
    answer = f"<{question_uri}/answer>"
    texts = {"question": question, "answer": answer}
    # Where evidence is: the paragraphs of each text, under the URIs kg.rdf.questions gives them.
    bodies: dict[str, tuple[str, Text | None]] = {
        "question": (f"{question_uri}/text/{record.language}", record.question),
        "answer": (f"{question_uri}/answer/text/{record.language}", record.answer.text if record.answer else None),
    }

    described: set[str] = set()
    for mention in extraction.agencies:
        mapper.agency(mention.agency, described, out)
        add(f"{texts[mention.evidence.text]} {k.mentionsAgency} {mapper.agency_node(mention.agency)} .")
    for agency in extraction.reported:
        mapper.agency(agency, described, out)
        add(f"{answer} {k.reportsOn} {mapper.agency_node(agency)} .")

    platforms = {account.ref.platform for account in extraction.accounts}
    platforms |= {fact.platform for fact in extraction.facts if fact.platform}
    for platform in sorted(platforms):
        out.extend(mapper.platform(platform))
    for account in extraction.accounts:
        out.extend(mapper.account(account, texts[account.evidence.text], record.language))

    for kind, facts in (("question", extraction.question_facts), ("answer", extraction.answer_facts)):
        prefix = f"{texts[kind][:-1]}/fact/{record.language}/"
        for number, fact in enumerate(facts, start=1):
            mapper.agency(fact.agency, described, out)
            out.extend(mapper.fact(f"{prefix}{number}>", fact, texts[kind], record.language))
            out.extend(evidence_lines(f"{prefix}{number}/evidence>", fact.evidence, bodies, record.language))
    return out


TYPE = RDF.type
_KG_TERMS = (
    "Agency",
    "Platform",
    "SocialMediaFact",
    "TextSpan",
    "mentionsAgency",
    "reportsOn",
    "enterpriseNumber",
    "platform",
    "mentionedIn",
    "topic",
    "agency",
    "account",
    "since",
    "plannedYear",
    "conditional",
    "policyKind",
    "audienceLanguage",
    "evidence",
    "inText",
    "usesPlatform",
    "usesAccount",
)


@lru_cache(maxsize=8)
def _mapper(base: str) -> _Mapper:
    return _Mapper(UriMinter(base), load_gazetteer(), load_patterns())


class _Mapper:
    """The mapping for one base URI, with what repeats from record to record (agency
    descriptions, platform and account nodes, fact labels) made once."""

    def __init__(self, minter: UriMinter, gazetteer: Gazetteer, patterns: Patterns):
        self.minter = minter
        self.gazetteer = gazetteer
        self.patterns = patterns
        self.kg = NtVocab(minter.ns_iri)
        self.k = SimpleNamespace(**{name: self.kg[name] for name in _KG_TERMS})  # fast attributes
        self._classes = {kind: self.kg[name] for kind, name in FACT_CLASSES.items()}
        self._agencies: dict[str, tuple[str, ...]] = {}
        self._agency_nodes: dict[str, str] = {}
        self._platform_nodes: dict[str, str] = {}
        self._platforms: dict[str, tuple[str, ...]] = {}
        self._account_nodes: dict[tuple[str, str], str] = {}
        self._labels: dict[tuple, tuple[str, ...]] = {}

    def agency_node(self, key: str) -> str:
        node = self._agency_nodes.get(key)
        if node is None:
            node = self._agency_nodes[key] = f"<{self.minter.agency(key)}>"
        return node

    def platform_node(self, key: str) -> str:
        node = self._platform_nodes.get(key)
        if node is None:
            node = self._platform_nodes[key] = f"<{platform_uri(self.minter, key)}>"
        return node

    def account_node(self, platform: str, key: str) -> str:
        node = self._account_nodes.get((platform, key))
        if node is None:
            node = self._account_nodes[(platform, key)] = f"<{account_uri(self.minter, platform, key)}>"
        return node

    def agency(self, key: str, described: set[str], out: list[str]) -> None:
        """The agency's description from the gazetteer, with its parents' (once per record),
        added to `out`."""
        if key in described:
            return
        described.add(key)
        triples = self._agencies.get(key)
        if triples is None:
            triples = self._agencies[key] = tuple(self._describe_agency(key))
        out.extend(triples)
        agency = self.gazetteer[key]
        for other in (agency.parent, agency.replaced_by):
            if other:
                self.agency(other, described, out)

    def _describe_agency(self, key: str) -> Iterator[str]:
        agency = self.gazetteer[key]
        kg = self.kg
        node = self.agency_node(key)
        yield f"{node} {RDF.type} {kg.Agency} ."
        yield f"{node} {RDF.type} {kg[AGENCY_CLASSES[agency.kind]]} ."
        for language, name in sorted(agency.names.items()):
            yield f"{node} {SKOS.prefLabel} {lang(name, language)} ."
        for label, language in agency.labels():
            yield f"{node} {SKOS.altLabel} {lang(label, language)} ."
        if agency.parent:
            yield f"{node} {ORG.subOrganizationOf} {self.agency_node(agency.parent)} ."
        if agency.replaced_by:
            yield f"{node} {DCT.isReplacedBy} {self.agency_node(agency.replaced_by)} ."
        if agency.cbe:
            yield f"{node} {kg.enterpriseNumber} {plain(agency.cbe)} ."
            yield f"{node} {OWL.sameAs} {checked_iri(CBE + agency.cbe.replace('.', ''))} ."

    def platform(self, key: str) -> tuple[str, ...]:
        triples = self._platforms.get(key)
        if triples is None:
            platform = self.patterns.platforms[key]
            node = self.platform_node(key)
            triples = self._platforms[key] = (
                f"{node} {RDF.type} {self.kg.Platform} .",
                f"{node} {RDFS.label} {plain(platform.label)} .",
                f"{node} {FOAF.homepage} {checked_iri(platform.homepage)} .",
            )
        return triples

    def account(self, account: Account, text: str, language: str) -> list[str]:
        out: list[str] = []
        add = out.append
        kg = self.kg
        node = self.account_node(account.ref.platform, account.ref.key)
        platform = self.patterns.platforms[account.ref.platform]
        add(f"{node} {RDF.type} {SIOC.UserAccount} .")
        add(f"{node} {RDF.type} {FOAF.OnlineAccount} .")
        add(f"{node} {kg.platform} {self.platform_node(account.ref.platform)} .")
        add(f"{node} {FOAF.accountServiceHomepage} {checked_iri(platform.homepage)} .")
        add(f"{node} {kg.mentionedIn} {text} .")
        if account.handle:
            add(f"{node} {FOAF.accountName} {plain(account.handle)} .")
            add(f"{node} {RDFS.label} {plain('@' + account.handle)} .")
        elif account.name:
            add(f"{node} {RDFS.label} {plain(account.name)} .")
        elif account.owner:
            names = self.gazetteer[account.owner].names
            label = platform.label
            english = lang(f"{label} account of {names.get('en', names['nl'])}", "en")
            add(f"{node} {RDFS.label} {english} .")
            add(f"{node} {RDFS.label} {lang(label + '-account van ' + names['nl'], 'nl')} .")
            add(f"{node} {RDFS.label} {lang('compte ' + label + ' de ' + names['fr'], 'fr')} .")
        if account.url:
            add(f"{node} {FOAF.page} {checked_iri(_absolute(account.url))} .")
        if account.language:
            add(f"{node} {DCT.language} {language_iri(account.language)} .")
        for topic in account.topics:
            add(f"{node} {kg.topic} {lang(topic, language)} .")
        if account.owner:
            owner = self.agency_node(account.owner)
            add(f"{node} {SIOC.account_of} {owner} .")
            add(f"{owner} {FOAF.account} {node} .")
        return out

    def fact(self, uri: str, fact: Fact, text: str, language: str) -> list[str]:
        out: list[str] = []
        add = out.append
        k = self.k
        agency = self.agency_node(fact.agency)
        add(f"{uri} {TYPE} {k.SocialMediaFact} .")
        add(f"{uri} {TYPE} {self._classes[fact.kind]} .")
        add(f"{uri} {k.agency} {agency} .")
        if fact.kind == "uses":  # summed up on the agency: the same line from every answer, kept once
            if fact.platform:
                add(f"{agency} {k.usesPlatform} {self.platform_node(fact.platform)} .")
            if fact.account:
                add(f"{agency} {k.usesAccount} {self.account_node(fact.account.platform, fact.account.key)} .")
        add(f"{uri} {PROV.wasDerivedFrom} {text} .")
        if fact.platform:
            add(f"{uri} {k.platform} {self.platform_node(fact.platform)} .")
        if fact.account:
            add(f"{uri} {k.account} {self.account_node(fact.account.platform, fact.account.key)} .")
        if fact.kind == "active-since" and fact.date:
            add(f"{uri} {k.since} {day(fact.date)} .")
        if fact.kind == "plans":
            if fact.year:
                add(f"{uri} {k.plannedYear} {typed(str(fact.year), XSD.gYear)} .")
            add(f"{uri} {k.conditional} {boolean(fact.conditional)} .")
        if fact.kind == "policy" and fact.policy:
            add(f"{uri} {k.policyKind} {self.kg[policy_class(fact.policy)]} .")
        if fact.kind == "audience":
            add(f"{uri} {TYPE} {SCHEMA.InteractionCounter} .")
            add(f"{uri} {SCHEMA.interactionType} {SCHEMA[INTERACTIONS[fact.interaction or 'follow']]} .")
            add(f"{uri} {SCHEMA.userInteractionCount} {integer(fact.count or 0)} .")
            if fact.platform:
                add(f"{uri} {SCHEMA.interactionService} {self.platform_node(fact.platform)} .")
            if fact.date:  # a day, not a time: schema:endTime wants a date-time
                add(f"{uri} {DCT.date} {day(fact.date)} .")
            if fact.audience_language:
                add(f"{uri} {k.audienceLanguage} {typed(fact.audience_language, XSD.language)} .")
            if fact.account:
                account = self.account_node(fact.account.platform, fact.account.key)
                add(f"{account} {SCHEMA.interactionStatistic} {uri} .")
        labels = self._labels.get(fact.key())
        if labels is None:
            labels = self._labels[fact.key()] = tuple(
                lang(text_label, label_language)
                for label_language, text_label in _fact_labels(fact, self.gazetteer, self.patterns)
            )
        for label in labels:
            add(f"{uri} {RDFS.label} {label} .")

        span = f"{uri[:-1]}/evidence>"
        add(f"{uri} {k.evidence} {span} .")
        add(f"{span} {TYPE} {k.TextSpan} .")
        add(f"{span} {k.inText} {text} .")
        return out


# How much context a quote selector keeps on each side, as Web Annotation suggests, to find the
# sentence again should the paragraph's text change.
CONTEXT = 32


def evidence_lines(
    span: str, evidence: Evidence, bodies: dict[str, tuple[str, Text | None]], language: str
) -> list[str]:
    """A span as Web Annotation has it: the paragraph (oa:hasSource) and two selectors of the
    sentence in the paragraph's text, by quote with context and by character positions."""
    out: list[str] = []
    add = out.append
    text_uri, body = bodies[evidence.text]
    if body is None or not 0 <= evidence.paragraph < len(body.paragraphs):
        raise ValueError(f"evidence in paragraph {evidence.paragraph} of a {evidence.text} text without it")
    paragraph = body.paragraphs[evidence.paragraph].text
    quote, position = f"{span[:-1]}/quote>", f"{span[:-1]}/position>"
    add(f"{span} {TYPE} {OA.SpecificResource} .")
    add(f"{span} {OA.hasSource} <{text_uri}/p/{evidence.paragraph + 1}> .")
    add(f"{span} {OA.hasSelector} {quote} .")
    add(f"{span} {OA.hasSelector} {position} .")
    add(f"{quote} {TYPE} {OA.TextQuoteSelector} .")
    add(f"{quote} {OA.exact} {lang(evidence.quote, language)} .")
    before, after = (
        paragraph[max(0, evidence.start - CONTEXT) : evidence.start],
        paragraph[evidence.end : evidence.end + CONTEXT],
    )
    if before:
        add(f"{quote} {OA.prefix} {lang(before, language)} .")
    if after:
        add(f"{quote} {OA.suffix} {lang(after, language)} .")
    add(f"{position} {TYPE} {OA.TextPositionSelector} .")
    add(f"{position} {OA.start} {typed(str(evidence.start), XSD.nonNegativeInteger)} .")
    add(f"{position} {OA.end} {typed(str(evidence.end), XSD.nonNegativeInteger)} .")
    return out


def platform_uri(minter: UriMinter, key: str) -> str:
    return minter.mint_uri("platform", key)


def account_uri(minter: UriMinter, platform: str, key: str) -> str:
    return minter.account(platform, key)


def policy_class(kind: str) -> str:
    """ "posting-schedule" -> "PostingSchedule", the kg:PolicyKind individual."""
    return "".join(part.capitalize() for part in kind.split("-"))


def _fact_labels(fact: Fact, gazetteer: Gazetteer, patterns: Patterns) -> Iterator[tuple[str, str]]:
    agency: Agency = gazetteer[fact.agency]
    for language, templates in _LABELS.items():
        name = _short_name(agency, language)
        platform = patterns.platforms[fact.platform].label if fact.platform else templates["social media"]
        if fact.account and fact.kind != "audience":
            platform += f" ({fact.account.key})" if not fact.account.key.startswith("of-") else ""
        count = " ".join(
            part
            for part in (str(fact.count), fact.audience_language or "", fact.date.isoformat() if fact.date else "")
            if part
        )
        label = templates[fact.kind].format(
            a=name,
            p=platform,
            d=fact.date.isoformat() if fact.date else "?",
            n=count,
            k=(fact.policy or "").replace("-", " "),
        )
        if fact.kind == "plans" and fact.year:
            label += f" ({fact.year})"
        yield language, label


def _short_name(agency: Agency, language: str) -> str:
    """A readable name for labels: "FOD Mobiliteit en Vervoer", "Dienst Vreemdelingenzaken",
    "Fedasil" rather than the long official name."""
    prefixes = {"nl": ("FOD ", "POD "), "en": ("FPS ", "PPS "), "fr": ("SPF ", "SPP ")}[language]
    aliases = agency.aliases.get(language, ())
    name = agency.names.get(language, agency.names["nl"])
    abbreviations = agency.abbreviations.get(language, ())
    for candidate in (
        *(a for a in aliases if a.startswith(prefixes)),
        *((name,) if len(name) <= 45 else ()),
        *abbreviations,
        *aliases,
    ):
        return candidate
    return name


def _absolute(url: str) -> str:
    return url if "://" in url else "https://" + url
