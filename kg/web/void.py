"""`/.well-known/void`: the dataset described in VoID and DCAT, for crawlers and catalogues.

The dataset is `{base}.well-known/void#dataset`, a fragment of this document, so its URI always
dereferences to its description. Statistics (triples, entities, class and property partitions)
are counted in the store once per store version, so the document is served from memory, and
kept in the data folder for the next start on the same build (`kg.web.kept`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.rdf.vocab import DCAT, DCT, FOAF, OWL, RDF, RDFS, SKOS, VOID, XSD, Vocab, prefixes
from kg.text import slugify
from kg.web import rdf_formats
from kg.web.conneg import negotiate
from kg.web.context import KgContext
from kg.web.dumps import index_of
from kg.web.errors import NotAcceptable
from kg.web.kept import kept
from kg.web.settings import Settings

SPDX = Vocab("http://spdx.org/rdf/terms#")
FORMATS = Vocab("http://www.w3.org/ns/formats/")
VCARD = Vocab("http://www.w3.org/2006/vcard/ns#")
IANA = "http://www.iana.org/assignments/media-types/"
EU_LANGUAGE = Vocab("http://publications.europa.eu/resource/authority/language/")
EU_THEME = Vocab("http://publications.europa.eu/resource/authority/data-theme/")
LANGUAGES = ("NLD", "FRA")  # the languages of the questions, answers and labels
THEMES = {"GOVE": "Government and public sector"}  # the EU data themes, with their English labels


@dataclass(frozen=True)
class Target:
    """A dataset kg links to: one VoID linkset per target, counted in the store."""

    key: str  # the fragment: `#linkset-{key}`, `#target-{key}`
    title: str
    homepage: str
    uri_space: str  # the objects of the links start with it
    predicate: str  # the link property


TARGETS = (
    Target("wikidata", "Wikidata", "https://www.wikidata.org/", "http://www.wikidata.org/entity/", OWL.sameAs.value),
    Target(
        "kbo",
        "Crossroads Bank for Enterprises (KBO/BCE), as Belgif organisations",
        "https://kbopub.economie.fgov.be/",
        "https://org.belgif.be/id/CbeRegisteredEntity/",
        OWL.sameAs.value,
    ),
    Target(
        "eurovoc",
        "EuroVoc",
        "https://op.europa.eu/en/web/eu-vocabularies/th-dataset/-/resource/dataset/eurovoc",
        "http://eurovoc.europa.eu/",
        SKOS.exactMatch.value,
    ),
)

router = APIRouter()


@dataclass(frozen=True)
class Partition:
    iri: str  # the class or property
    count: int  # entities of the class, or triples with the property


@dataclass(frozen=True)
class Statistics:
    triples: int
    entities: int  # distinct subjects in the URI space `{base}id/`
    distinct_subjects: int
    distinct_objects: int
    classes: tuple[Partition, ...]
    properties: tuple[Partition, ...]
    examples: tuple[str, ...]
    linksets: tuple[tuple[Target, int], ...] = ()  # each target with the links to it, when any


# Distinct subjects are counted once and filtered in Python: a FILTER on STR(?s) over every triple
# is ten times slower than over the subjects.
_SUBJECTS = "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"
_OBJECTS = "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"
_CLASSES = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
# `{cls}` and `{values}` are filled with terms serialized by pyoxigraph (escaped N-Triples
# syntax), never with request input: substitutions cannot bind a variable that is not projected.
_EXAMPLE_OF_CLASS = """
SELECT ?s WHERE {{ ?s a {cls} ; ?p ?o }} GROUP BY ?s ORDER BY DESC(COUNT(?p)) ?s LIMIT 1
"""
_EXAMPLE_AMONG = """
SELECT ?s WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }} GROUP BY ?s ORDER BY DESC(COUNT(?p)) ?s LIMIT 1
"""
MAX_EXAMPLE_CANDIDATES = 5000
# `{predicate}` and `{space}` are filled from `TARGETS`, constants of this module, never request input.
_LINKS = """
SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{predicate}> ?o FILTER(ISIRI(?o) && STRSTARTS(STR(?o), "{space}")) }}
"""


def _int(term: object) -> int:
    return int(term.value) if term is not None else 0  # type: ignore[attr-defined]


def compute_statistics(ctx: KgContext) -> Statistics:
    store, minter = ctx.store, ctx.minter
    space, agency_space = minter.base + "id/", minter.base + "id/agency/"
    subjects = entities = 0
    agencies: list[NamedNode] = []
    for row in store.query(_SUBJECTS):
        subject = row["s"]
        subjects += 1
        if isinstance(subject, NamedNode) and subject.value.startswith(space):
            entities += 1
            if subject.value.startswith(agency_space) and len(agencies) < MAX_EXAMPLE_CANDIDATES:
                agencies.append(subject)
    objects = next(iter(store.query(_OBJECTS)))["n"]
    classes = tuple(
        Partition(r["c"].value, _int(r["n"])) for r in store.query(_CLASSES) if isinstance(r["c"], NamedNode)
    )
    properties = tuple(Partition(r["p"].value, _int(r["n"])) for r in store.query(_PROPERTIES))
    examples = [row["s"].value for row in store.query(_EXAMPLE_OF_CLASS.format(cls=minter.ns.Question))]
    if agencies:
        values = " ".join(str(agency) for agency in agencies)
        examples.extend(row["s"].value for row in store.query(_EXAMPLE_AMONG.format(values=values)))
    counted = (
        (target, _int(next(iter(store.query(_LINKS.format(predicate=target.predicate, space=target.uri_space))))["n"]))
        for target in TARGETS
    )
    return Statistics(
        linksets=tuple((target, count) for target, count in counted if count),
        triples=store.triple_count(),
        entities=entities,
        distinct_subjects=subjects,
        distinct_objects=_int(objects),
        classes=classes,
        properties=properties,
        examples=tuple(examples),
    )


def statistics(ctx: KgContext) -> Statistics:
    """Counted once per store version, and kept for the next start on the same build."""
    return ctx.derived(
        "void-statistics", lambda c: kept(c, "void-statistics", compute_statistics, _dump_statistics, _load_statistics)
    )


def _dump_statistics(stats: Statistics) -> dict[str, Any]:
    return {
        "triples": stats.triples,
        "entities": stats.entities,
        "distinct_subjects": stats.distinct_subjects,
        "distinct_objects": stats.distinct_objects,
        "classes": [[p.iri, p.count] for p in stats.classes],
        "properties": [[p.iri, p.count] for p in stats.properties],
        "examples": list(stats.examples),
        "linksets": [[target.key, n] for target, n in stats.linksets],
    }


def _load_statistics(data: dict[str, Any]) -> Statistics:
    by_key = {target.key: target for target in TARGETS}
    return Statistics(
        triples=int(data["triples"]),
        entities=int(data["entities"]),
        distinct_subjects=int(data["distinct_subjects"]),
        distinct_objects=int(data["distinct_objects"]),
        classes=tuple(Partition(str(iri), int(n)) for iri, n in data["classes"]),
        properties=tuple(Partition(str(iri), int(n)) for iri, n in data["properties"]),
        examples=tuple(str(e) for e in data["examples"]),
        linksets=tuple((by_key[str(k)], int(n)) for k, n in data["linksets"]),
    )


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def _partition_nodes(base: str, kind: str, partitions: tuple[Partition, ...], table: dict[str, str]) -> list[NamedNode]:
    """Readable, stable fragment URIs: `#class-kg-question`, `#property-dct-title`."""
    names: list[NamedNode] = []
    used: set[str] = set()
    for partition in partitions:
        compact = partition.iri
        for prefix, namespace in table.items():
            if partition.iri.startswith(namespace):
                compact = f"{prefix}-{partition.iri[len(namespace) :]}"
                break
        try:
            slug = slugify(compact)
        except ValueError:
            slug = "x"
        candidate, n = slug, 2
        while candidate in used:
            candidate, n = f"{slug}-{n}", n + 1
        used.add(candidate)
        names.append(NamedNode(f"{base}.well-known/void#{kind}-{candidate}"))
    return names


def void_triples(ctx: KgContext) -> list[Triple]:
    stats = statistics(ctx)
    base = ctx.minter.base
    settings = ctx.settings
    table = prefixes(ctx.minter.ns_iri)
    dataset = NamedNode(ctx.dataset_uri)
    document = NamedNode(base + ".well-known/void")
    sparql = NamedNode(base + "sparql")
    t = [
        Triple(document, RDF.type, VOID.DatasetDescription),
        Triple(document, FOAF.primaryTopic, dataset),
        Triple(document, DCT.title, Literal(f"Description of the dataset {settings.title}", language="en")),
        Triple(dataset, RDF.type, VOID.Dataset),
        Triple(dataset, RDF.type, DCAT.Dataset),
        Triple(dataset, DCT.title, Literal(settings.title, language="en")),
        Triple(dataset, DCT.description, Literal(settings.description, language="en")),
        Triple(dataset, DCT.license, NamedNode(settings.license)),
        Triple(dataset, DCAT.landingPage, NamedNode(base)),
        Triple(dataset, FOAF.homepage, NamedNode(base)),
        Triple(dataset, VOID.uriSpace, Literal(base + "id/")),
        Triple(dataset, VOID.sparqlEndpoint, sparql),
        Triple(dataset, VOID.triples, _integer(stats.triples)),
        Triple(dataset, VOID.entities, _integer(stats.entities)),
        Triple(dataset, VOID.distinctSubjects, _integer(stats.distinct_subjects)),
        Triple(dataset, VOID.distinctObjects, _integer(stats.distinct_objects)),
        Triple(dataset, VOID.classes, _integer(len(stats.classes))),
        Triple(dataset, VOID.properties, _integer(len(stats.properties))),
        Triple(dataset, VOID.feature, FORMATS.Turtle),
        Triple(dataset, VOID.feature, FORMATS["N-Triples"]),
        Triple(dataset, VOID.feature, FORMATS["JSON-LD"]),
        Triple(dataset, VOID.feature, FORMATS.RDF_XML),
        Triple(dataset, VOID.vocabulary, NamedNode(ctx.minter.ns_iri)),
    ]
    used_terms = [p.iri for p in stats.classes + stats.properties]
    for namespace in table.values():
        if namespace != ctx.minter.ns_iri and any(iri.startswith(namespace) for iri in used_terms):
            t.append(Triple(dataset, VOID.vocabulary, NamedNode(namespace)))
    t.extend(Triple(dataset, VOID.exampleResource, NamedNode(uri)) for uri in stats.examples)

    for node, partition in zip(_partition_nodes(base, "class", stats.classes, table), stats.classes, strict=True):
        t += [
            Triple(dataset, VOID.classPartition, node),
            Triple(node, VOID["class"], NamedNode(partition.iri)),
            Triple(node, VOID.entities, _integer(partition.count)),
        ]
    for node, partition in zip(
        _partition_nodes(base, "property", stats.properties, table), stats.properties, strict=True
    ):
        t += [
            Triple(dataset, VOID.propertyPartition, node),
            Triple(node, VOID.property, NamedNode(partition.iri)),
            Triple(node, VOID.triples, _integer(partition.count)),
        ]

    modified: datetime | None = None
    for dump in index_of(ctx).all():
        url = NamedNode(dump.url(base))
        dist = NamedNode(f"{base}.well-known/void#dump-{slugify(dump.name)}")
        checksum = BlankNode(f"checksum-{slugify(dump.name)}")
        t += [
            Triple(dataset, VOID.dataDump, url),
            Triple(dataset, DCAT.distribution, dist),
            Triple(dist, RDF.type, DCAT.Distribution),
            Triple(dist, DCT.title, Literal(dump.kind.title, language="en")),
            Triple(dist, DCAT.downloadURL, url),
            Triple(dist, DCAT.accessURL, url),
            Triple(dist, DCAT.mediaType, NamedNode(IANA + dump.kind.media_type)),
            Triple(NamedNode(IANA + dump.kind.media_type), RDF.type, DCT.MediaType),
            Triple(dist, DCAT.byteSize, Literal(str(dump.size), datatype=XSD.nonNegativeInteger)),
            Triple(dist, DCT.license, NamedNode(settings.license)),
            Triple(dist, DCT.modified, Literal(dump.modified.isoformat(), datatype=XSD.dateTime)),
            Triple(dist, SPDX.checksum, checksum),
            Triple(checksum, RDF.type, SPDX.Checksum),
            Triple(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
            Triple(checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)),
        ]
        if dump.name.startswith("graph") and (modified is None or dump.modified > modified):
            modified = dump.modified
    if modified is not None:
        t.append(Triple(dataset, DCT.modified, Literal(modified.isoformat(), datatype=XSD.dateTime)))

    t += _dcat_ap_triples(dataset, settings)
    t += _linkset_triples(base, dataset, stats)
    service = NamedNode(base + ".well-known/void#sparql")
    endpoint_dist = NamedNode(base + ".well-known/void#sparql-distribution")
    t += [
        Triple(dataset, DCAT.distribution, endpoint_dist),
        Triple(endpoint_dist, RDF.type, DCAT.Distribution),
        Triple(endpoint_dist, DCT.title, Literal("SPARQL 1.1 endpoint", language="en")),
        Triple(endpoint_dist, DCAT.accessURL, sparql),
        Triple(endpoint_dist, DCAT.accessService, service),
        Triple(service, RDF.type, DCAT.DataService),
        Triple(service, DCT.title, Literal("SPARQL 1.1 endpoint", language="en")),
        Triple(NamedNode("https://www.w3.org/TR/sparql11-protocol/"), RDF.type, DCT.Standard),
        Triple(service, DCAT.endpointURL, sparql),
        Triple(sparql, RDF.type, RDFS.Resource),
        Triple(service, DCAT.endpointDescription, sparql),
        Triple(service, DCT.conformsTo, NamedNode("https://www.w3.org/TR/sparql11-protocol/")),
        Triple(service, DCAT.servesDataset, dataset),
        Triple(dataset, RDFS.seeAlso, NamedNode(base + "dumps/")),
    ]
    return t


def _dcat_ap_triples(dataset: NamedNode, settings: Settings) -> list[Triple]:
    """What DCAT-AP asks of a dataset beyond VoID: languages, themes, the licence's class, and the
    publisher and contact point where the deployment names them (`kg.web.publisher`)."""
    t = [
        Triple(NamedNode(settings.license), RDF.type, DCT.LicenseDocument),
        Triple(SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm),
        Triple(NamedNode(dataset.value.split(".well-known/")[0]), RDF.type, FOAF.Document),  # the landing page
    ]
    for code in LANGUAGES:
        t += [
            Triple(dataset, DCT.language, EU_LANGUAGE[code]),
            Triple(EU_LANGUAGE[code], RDF.type, DCT.LinguisticSystem),
        ]
    for code, label in THEMES.items():
        t += [
            Triple(dataset, DCAT.theme, EU_THEME[code]),
            Triple(EU_THEME[code], RDF.type, SKOS.Concept),
            Triple(EU_THEME[code], SKOS.prefLabel, Literal(label, language="en")),
        ]
    publisher = settings.publisher
    if publisher is None:
        return t
    agent = NamedNode(dataset.value.replace("#dataset", "#publisher"))
    contact = NamedNode(dataset.value.replace("#dataset", "#contact-point"))
    t += [
        Triple(dataset, DCT.publisher, agent),
        Triple(agent, RDF.type, FOAF.Agent),
        Triple(agent, FOAF.name, Literal(publisher.name)),
        Triple(dataset, DCAT.contactPoint, contact),
        Triple(contact, RDF.type, VCARD.Kind),
        Triple(contact, VCARD.fn, Literal(publisher.contact_name)),
        Triple(contact, VCARD.hasEmail, NamedNode("mailto:" + publisher.email)),
    ]
    if publisher.homepage is not None:
        t.append(Triple(agent, FOAF.homepage, NamedNode(publisher.homepage)))
    if publisher.issued is not None:
        t.append(Triple(dataset, DCT.issued, Literal(publisher.issued.isoformat(), datatype=XSD.date)))
    return t


def _linkset_triples(base: str, dataset: NamedNode, stats: Statistics) -> list[Triple]:
    """One VoID linkset per dataset kg links to, with how many links the store holds."""
    t = []
    for target, count in stats.linksets:
        linkset = NamedNode(f"{base}.well-known/void#linkset-{target.key}")
        other = NamedNode(f"{base}.well-known/void#target-{target.key}")
        t += [
            Triple(dataset, VOID.subset, linkset),
            Triple(linkset, RDF.type, VOID.Linkset),
            Triple(linkset, VOID.target, dataset),
            Triple(linkset, VOID.target, other),
            Triple(linkset, VOID.linkPredicate, NamedNode(target.predicate)),
            Triple(linkset, VOID.triples, _integer(count)),
            Triple(other, RDF.type, VOID.Dataset),
            Triple(other, DCT.title, Literal(target.title, language="en")),
            Triple(other, FOAF.homepage, NamedNode(target.homepage)),
            Triple(other, VOID.uriSpace, Literal(target.uri_space)),
        ]
    return t


VOID_FORMATS = tuple(
    sorted(rdf_formats.FORMATS, key=lambda f: (f.media_type != "text/turtle", f.media_type != rdf_formats.HTML))
)


@router.api_route("/.well-known/void", methods=["GET", "HEAD"], include_in_schema=False)
async def void(request: Request) -> Response:
    from fastapi.concurrency import run_in_threadpool

    ctx: KgContext = request.app.state.kg
    fmt = _choose(request)
    headers = {"Vary": "Accept"}  # validators and Cache-Control: kg.web.validators
    if fmt.rdf is None:
        from kg.web.sparql.page import Linker

        linker = Linker(ctx)
        stats = await run_in_threadpool(statistics, ctx)
        page = ctx.templates.get_template("void.html").render(
            settings=ctx.settings,
            stats=stats,
            dataset_uri=ctx.dataset_uri,
            base=ctx.minter.base,
            local=lambda uri: linker.href(uri) or uri,
            compact=linker.compact,
            alternates=[
                ("/.well-known/void?format=" + f.names[0], f.media_type, f.name)
                for f in VOID_FORMATS
                if f.rdf is not None
            ],
        )
        return HTMLResponse(page, headers=headers)
    body = await run_in_threadpool(lambda: ctx.derived(f"void-{fmt.extension}", lambda c: _serialize(c, fmt)))
    return Response(body, media_type=fmt.content_type, headers=headers)


def _serialize(ctx: KgContext, fmt: rdf_formats.Format) -> bytes:
    table = prefixes(ctx.minter.ns_iri)
    table["spdx"] = SPDX.iri
    table["formats"] = FORMATS.iri
    table["vcard"] = VCARD.iri
    return rdf_formats.serialize_triples(void_triples(ctx), fmt, table)


def _choose(request: Request) -> rdf_formats.Format:
    wanted = request.query_params.get("format")
    if wanted:
        fmt = rdf_formats.BY_NAME.get(wanted.strip().lower())
        if fmt is None:
            raise NotAcceptable(f"unknown format {wanted!r}; available:", details=sorted(rdf_formats.BY_NAME))
        return fmt
    media = negotiate(request.headers.get("accept"), [f.media_type for f in VOID_FORMATS])
    if media is None:
        raise NotAcceptable("the VoID description is available as:", details=[f.media_type for f in VOID_FORMATS])
    return rdf_formats.BY_MEDIA_TYPE[media]


def warm(ctx: KgContext) -> None:
    """Count the statistics ahead of the first request (called in the background at start-up)."""
    statistics(ctx)
    index_of(ctx).all()
