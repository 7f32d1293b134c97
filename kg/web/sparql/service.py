"""The SPARQL 1.1 Service Description of `/sparql`: what RDF clients read to learn what the
endpoint speaks and which dataset it serves."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.rdf.vocab import DCT, RDF, RDFS, VOID, XSD, Vocab, prefixes
from kg.web import rdf_formats
from kg.web.context import KgContext
from kg.web.rdf_formats import Format

SD = Vocab("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Vocab("http://www.w3.org/ns/formats/")

# RDF clients that accept anything get Turtle; browsers ask for HTML and get the query page.
SERVICE_FORMATS: tuple[Format, ...] = tuple(
    sorted(rdf_formats.FORMATS, key=lambda f: (f.media_type != "text/turtle", f.media_type != rdf_formats.HTML))
)

RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


def service_triples(ctx: KgContext) -> list[Triple]:
    base = ctx.minter.base
    service = BlankNode("service")
    dataset = BlankNode("dataset")
    default_graph = BlankNode("defaultGraph")
    named = BlankNode("ontologyGraph")
    ontology_graph = BlankNode("ontologyGraphDescription")
    triples = [
        Triple(service, RDF.type, SD.Service),
        Triple(service, SD.endpoint, NamedNode(base + "sparql")),
        Triple(service, SD.supportedLanguage, SD.SPARQL11Query),
        Triple(service, SD.defaultDataset, dataset),
        Triple(service, DCT.title, Literal(f"{ctx.settings.title}: SPARQL endpoint")),
        Triple(dataset, RDF.type, SD.Dataset),
        Triple(dataset, RDFS.seeAlso, NamedNode(ctx.dataset_uri)),
        Triple(dataset, SD.defaultGraph, default_graph),
        Triple(default_graph, RDF.type, SD.Graph),
        Triple(default_graph, VOID.triples, Literal(str(ctx.store.triple_count()), datatype=XSD.integer)),
        Triple(dataset, SD.namedGraph, named),
        Triple(named, RDF.type, SD.NamedGraph),
        Triple(named, SD.name, NamedNode(ctx.minter.ontology)),
        Triple(named, SD.graph, ontology_graph),
        Triple(ontology_graph, RDF.type, SD.Graph),
        Triple(ontology_graph, RDFS.comment, Literal("The kg vocabulary and its SHACL shapes.", language="en")),
    ]
    triples.extend(Triple(service, SD.resultFormat, FORMATS[name]) for name in RESULT_FORMATS)
    return triples


def service_description(ctx: KgContext, fmt: Format) -> bytes:
    table = prefixes(ctx.minter.ns_iri)
    table["sd"] = SD.iri
    table["formats"] = FORMATS.iri
    return rdf_formats.serialize_triples(service_triples(ctx), fmt, table)
