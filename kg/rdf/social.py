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
  `kg:TextSpan`: the sentence (`oa:exact`) with its paragraph index and character offsets;
  audience figures are `schema:InteractionCounter`s on the account (`schema:interactionStatistic`);
- the answer `kg:reportsOn` the agencies it reports on, and any text `kg:mentionsAgency` those it
  names; which office answered for an agency follows from the question's addressed office
  (`queries/agency-answered-for-by.rq` derives it).

Fact URIs are `{answer}/fact/{language}/{n}` in document order: the Dutch and the French version of
one answer are separate texts whose facts must not merge.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pyoxigraph import Literal, NamedNode, Triple

from kg.extract import extract
from kg.extract.gazetteer import Agency, Gazetteer, load_gazetteer
from kg.extract.patterns import Patterns, load_patterns
from kg.extract.records import Account, Extraction, Fact
from kg.rdf.vocab import DCT, FOAF, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SIOC, SKOS, XSD, Vocab
from kg.records import QuestionRecord
from kg.uris import UriMinter

OA = Vocab("http://www.w3.org/ns/oa#")
CBE = "https://org.belgif.be/id/CbeRegisteredEntity/"

AGENCY_CLASSES = {
    "federal-public-service": "FederalPublicService",
    "programming-public-service": "ProgrammingPublicService",
    "ministry": "Ministry",
    "administration": "Administration",
    "public-body": "PublicBody",
    "court": "AdministrativeCourt",
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
        "uses": "{a} uses {p}", "does-not-use": "{a} does not use {p}",
        "plans": "{a} plans to use {p}", "active-since": "{a} active on {p} since {d}",
        "audience": "{p} audience of {a}: {n}", "no-abuse": "{a}: no abuse known",
        "abuse": "{a}: abuse known", "policy": "{a}: {k}",
        "social media": "social media",
    },
    "nl": {
        "uses": "{a} gebruikt {p}", "does-not-use": "{a} gebruikt geen {p}",
        "plans": "{a} plant {p} te gebruiken", "active-since": "{a} actief op {p} sinds {d}",
        "audience": "{p}-publiek van {a}: {n}", "no-abuse": "{a}: geen misbruik bekend",
        "abuse": "{a}: misbruik bekend", "policy": "{a}: {k}",
        "social media": "sociale media",
    },
}


def social_triples(record: QuestionRecord, minter: UriMinter) -> Iterator[Triple]:
    """Every triple the record's question and answer text support about agencies and social
    media: the agencies, their accounts, the facts with their evidence."""
    extraction = extract(record)
    yield from extraction_triples(extraction, record, minter)


def extraction_triples(extraction: Extraction, record: QuestionRecord,
                       minter: UriMinter) -> Iterator[Triple]:
    gazetteer = load_gazetteer()
    patterns = load_patterns()
    kg = _vocab(minter.ns_iri)
    question = NamedNode(minter.question(record.number))
    answer = NamedNode(minter.sub(str(question.value), "answer"))
    texts = {"question": question, "answer": answer}

    described: set[str] = set()
    for mention in extraction.agencies:
        yield from _agency(mention.agency, gazetteer, minter, described)
        yield Triple(texts[mention.evidence.text], kg.mentionsAgency,
                     NamedNode(minter.agency(mention.agency)))
    for agency in extraction.reported:
        yield from _agency(agency, gazetteer, minter, described)
        yield Triple(answer, kg.reportsOn, NamedNode(minter.agency(agency)))

    platforms = {account.ref.platform for account in extraction.accounts}
    platforms |= {fact.platform for fact in extraction.facts if fact.platform}
    for platform in sorted(platforms):
        yield from _platform(platform, patterns, minter)
    for account in extraction.accounts:
        yield from _account(account, texts[account.evidence.text], record.language, gazetteer,
                            patterns, minter)

    for kind, facts in (("question", extraction.question_facts),
                        ("answer", extraction.answer_facts)):
        for number, fact in enumerate(facts, start=1):
            uri = NamedNode(minter.sub(str(texts[kind].value), "fact", record.language, str(number)))
            yield from _agency(fact.agency, gazetteer, minter, described)
            yield from _fact(uri, fact, texts[kind], record.language, gazetteer, patterns, minter)


def _agency(key: str, gazetteer: Gazetteer, minter: UriMinter,
            described: set[str]) -> Iterator[Triple]:
    """The agency's description from the gazetteer, with its parents' (once per record)."""
    if key in described:
        return
    described.add(key)
    agency = gazetteer[key]
    kg = _vocab(minter.ns_iri)
    node = NamedNode(minter.agency(key))
    yield Triple(node, RDF.type, kg.Agency)
    yield Triple(node, RDF.type, kg[AGENCY_CLASSES[agency.kind]])
    for language, name in sorted(agency.names.items()):
        yield Triple(node, SKOS.prefLabel, Literal(name, language=language))
    for label, language in agency.labels():
        yield Triple(node, SKOS.altLabel, Literal(label, language=language))
    if agency.parent:
        yield Triple(node, ORG.subOrganizationOf, NamedNode(minter.agency(agency.parent)))
        yield from _agency(agency.parent, gazetteer, minter, described)
    if agency.replaced_by:
        yield Triple(node, DCT.isReplacedBy, NamedNode(minter.agency(agency.replaced_by)))
        yield from _agency(agency.replaced_by, gazetteer, minter, described)
    if agency.cbe:
        yield Triple(node, kg.enterpriseNumber, Literal(agency.cbe))
        yield Triple(node, OWL.sameAs, NamedNode(CBE + agency.cbe.replace(".", "")))


def _platform(key: str, patterns: Patterns, minter: UriMinter) -> Iterator[Triple]:
    platform = patterns.platforms[key]
    node = NamedNode(platform_uri(minter, key))
    yield Triple(node, RDF.type, _vocab(minter.ns_iri).Platform)
    yield Triple(node, RDFS.label, Literal(platform.label))
    yield Triple(node, FOAF.homepage, NamedNode(platform.homepage))


def platform_uri(minter: UriMinter, key: str) -> str:
    return minter.mint_uri("platform", key)


def account_uri(minter: UriMinter, platform: str, key: str) -> str:
    return minter.account(platform, key)


def _account(account: Account, text: NamedNode, language: str, gazetteer: Gazetteer,
             patterns: Patterns, minter: UriMinter) -> Iterator[Triple]:
    kg = _vocab(minter.ns_iri)
    node = NamedNode(account_uri(minter, account.ref.platform, account.ref.key))
    platform = patterns.platforms[account.ref.platform]
    yield Triple(node, RDF.type, SIOC.UserAccount)
    yield Triple(node, RDF.type, FOAF.OnlineAccount)
    yield Triple(node, kg.platform, NamedNode(platform_uri(minter, account.ref.platform)))
    yield Triple(node, FOAF.accountServiceHomepage, NamedNode(platform.homepage))
    yield Triple(node, kg.mentionedIn, text)
    if account.handle:
        yield Triple(node, FOAF.accountName, Literal(account.handle))
        yield Triple(node, RDFS.label, Literal("@" + account.handle))
    elif account.name:
        yield Triple(node, RDFS.label, Literal(account.name))
    elif account.owner:
        names = gazetteer[account.owner].names
        yield Triple(node, RDFS.label, Literal(f"{platform.label} account of {names.get('en', names['nl'])}", language="en"))
        yield Triple(node, RDFS.label, Literal(f"{platform.label}-account van {names['nl']}", language="nl"))
        yield Triple(node, RDFS.label, Literal(f"compte {platform.label} de {names['fr']}", language="fr"))
    if account.url:
        yield Triple(node, FOAF.page, NamedNode(_absolute(account.url)))
    if account.language:
        yield Triple(node, DCT.language, Literal(account.language, datatype=XSD.language))
    for topic in account.topics:
        yield Triple(node, kg.topic, Literal(topic, language=language))
    if account.owner:
        owner = NamedNode(minter.agency(account.owner))
        yield Triple(node, SIOC.account_of, owner)
        yield Triple(owner, FOAF.account, node)


def _fact(uri: NamedNode, fact: Fact, text: NamedNode, language: str, gazetteer: Gazetteer,
          patterns: Patterns, minter: UriMinter) -> Iterator[Triple]:
    kg = _vocab(minter.ns_iri)
    yield Triple(uri, RDF.type, kg.SocialMediaFact)
    yield Triple(uri, RDF.type, kg[FACT_CLASSES[fact.kind]])
    yield Triple(uri, kg.agency, NamedNode(minter.agency(fact.agency)))
    yield Triple(uri, PROV.wasDerivedFrom, text)
    if fact.platform:
        yield Triple(uri, kg.platform, NamedNode(platform_uri(minter, fact.platform)))
    if fact.account:
        account = NamedNode(account_uri(minter, fact.account.platform, fact.account.key))
        yield Triple(uri, kg.account, account)
    if fact.kind == "active-since" and fact.date:
        yield Triple(uri, kg.since, Literal(fact.date.isoformat(), datatype=XSD.date))
    if fact.kind == "plans":
        if fact.year:
            yield Triple(uri, kg.plannedYear, Literal(str(fact.year), datatype=XSD.gYear))
        yield Triple(uri, kg.conditional, Literal(fact.conditional))
    if fact.kind == "policy" and fact.policy:
        yield Triple(uri, kg.policyKind, kg[policy_class(fact.policy)])
    if fact.kind == "audience":
        yield Triple(uri, RDF.type, SCHEMA.InteractionCounter)
        yield Triple(uri, SCHEMA.interactionType, SCHEMA[INTERACTIONS[fact.interaction or "follow"]])
        yield Triple(uri, SCHEMA.userInteractionCount, Literal(fact.count or 0))
        if fact.platform:
            yield Triple(uri, SCHEMA.interactionService,
                         NamedNode(platform_uri(minter, fact.platform)))
        if fact.date:
            yield Triple(uri, SCHEMA.endTime, Literal(fact.date.isoformat(), datatype=XSD.date))
        if fact.audience_language:
            yield Triple(uri, kg.audienceLanguage,
                         Literal(fact.audience_language, datatype=XSD.language))
        if fact.account:
            yield Triple(NamedNode(account_uri(minter, fact.account.platform, fact.account.key)),
                         SCHEMA.interactionStatistic, uri)
    for label_language, text_label in _fact_labels(fact, gazetteer, patterns):
        yield Triple(uri, RDFS.label, Literal(text_label, language=label_language))

    span = NamedNode(minter.sub(str(uri.value), "evidence"))
    evidence = fact.evidence
    yield Triple(uri, kg.evidence, span)
    yield Triple(span, RDF.type, kg.TextSpan)
    yield Triple(span, kg.inText, text)
    yield Triple(span, OA.exact, Literal(evidence.quote, language=language))
    yield Triple(span, kg.paragraphIndex, Literal(evidence.paragraph))
    yield Triple(span, kg.startOffset, Literal(evidence.start))
    yield Triple(span, kg.endOffset, Literal(evidence.end))


@lru_cache(maxsize=8)
def _vocab(ns_iri: str) -> Vocab:
    """The kg vocabulary of one base, made once: its NamedNodes are then cached."""
    return Vocab(ns_iri)


def policy_class(kind: str) -> str:
    """"posting-schedule" -> "PostingSchedule", the kg:PolicyKind individual."""
    return "".join(part.capitalize() for part in kind.split("-"))


def _fact_labels(fact: Fact, gazetteer: Gazetteer, patterns: Patterns) -> Iterator[tuple[str, str]]:
    agency: Agency = gazetteer[fact.agency]
    for language, templates in _LABELS.items():
        name = _short_name(agency, language)
        platform = patterns.platforms[fact.platform].label if fact.platform \
            else templates["social media"]
        if fact.account and fact.kind != "audience":
            platform += f" ({fact.account.key})" if not fact.account.key.startswith("of-") else ""
        count = " ".join(part for part in (
            str(fact.count), fact.audience_language or "",
            fact.date.isoformat() if fact.date else "") if part)
        label = templates[fact.kind].format(
            a=name, p=platform, d=fact.date.isoformat() if fact.date else "?", n=count,
            k=(fact.policy or "").replace("-", " "))
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
    for candidate in (*(a for a in aliases if a.startswith(prefixes)),
                      *((name,) if len(name) <= 45 else ()), *abbreviations, *aliases):
        return candidate
    return name


def _absolute(url: str) -> str:
    return url if "://" in url else "https://" + url
