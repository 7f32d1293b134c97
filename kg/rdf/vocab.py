"""The vocabularies kg reuses, as pyoxigraph terms for fast triple building.

`DCT.title` is a `NamedNode`; `PREFIXES` is what dumps and the query editor declare.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

_OWN = frozenset({"iri", "_cache"})  # a Vocab's own attributes, never terms


class Vocab:
    """A namespace whose attributes and items are NamedNodes: `ORG.Post`, `SCHEMA["startTime"]`."""

    def __init__(self, iri: str):
        self.iri = iri
        self._cache: dict[str, NamedNode] = {}

    def __getitem__(self, local: str) -> NamedNode:
        node = self._cache.get(local)
        if node is None:
            node = self._cache[local] = NamedNode(self.iri + local)
        return node

    def __getattr__(self, local: str) -> NamedNode:
        """Called once per name: the node is then kept as an attribute, which Python finds
        without calling this again (`RDF.type` in a loop over a thousand triples)."""
        if local.startswith("__") or local in _OWN:
            raise AttributeError(local)
        node = self[local]
        setattr(self, local, node)
        return node

    def __repr__(self) -> str:
        return f"Vocab({self.iri!r})"


RDF = Vocab("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Vocab("http://www.w3.org/2000/01/rdf-schema#")
OWL = Vocab("http://www.w3.org/2002/07/owl#")
XSD = Vocab("http://www.w3.org/2001/XMLSchema#")
DCT = Vocab("http://purl.org/dc/terms/")
DCAT = Vocab("http://www.w3.org/ns/dcat#")
VOID = Vocab("http://rdfs.org/ns/void#")
ORG = Vocab("http://www.w3.org/ns/org#")
FOAF = Vocab("http://xmlns.com/foaf/0.1/")
PERSON = Vocab("http://www.w3.org/ns/person#")
SIOC = Vocab("http://rdfs.org/sioc/ns#")
SKOS = Vocab("http://www.w3.org/2004/02/skos/core#")
PROV = Vocab("http://www.w3.org/ns/prov#")
SCHEMA = Vocab("http://schema.org/")
ELI = Vocab("http://data.europa.eu/eli/ontology#")
ELI_DL = Vocab("http://data.europa.eu/eli/eli-draft-legislation-ontology#")
SH = Vocab("http://www.w3.org/ns/shacl#")
TIME = Vocab("http://www.w3.org/2006/time#")
HYDRA = Vocab("http://www.w3.org/ns/hydra/core#")
OA = Vocab("http://www.w3.org/ns/oa#")
QB = Vocab("http://purl.org/linked-data/cube#")
EPVOC = Vocab("https://data.europarl.europa.eu/def/epvoc#")

# kg's own vocabulary. Fixed, whatever base URI a deployment publishes under, so that the same
# property has the same IRI on every server; a w3id.org redirect sends it to a deployment's
# `/ns/kg` (docs/vocabulary.md). Each deployment still serves the ontology at `{base}ns/kg`.
KG_NS = "https://w3id.org/written-questions/kg#"
KG_ONTOLOGY = KG_NS.rstrip("#")
# kg's answer statuses (local names of kg: individuals), in the order pages list them.
ANSWER_STATUSES = (
    "AnsweredOnTime",
    "AnsweredLate",
    "AnsweredDeadlineUnknown",
    "OpenWithinDeadline",
    "OpenPastDeadline",
    "OpenDeadlineUnknown",
    "ClosedWithoutAnswer",
    "LapsedAtEndOfLegislature",
    "NotLoaded",
)

REUSED: dict[str, Vocab] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "dct": DCT,
    "dcat": DCAT,
    "void": VOID,
    "org": ORG,
    "foaf": FOAF,
    "person": PERSON,
    "sioc": SIOC,
    "skos": SKOS,
    "prov": PROV,
    "schema": SCHEMA,
    "eli": ELI,
    "eli-dl": ELI_DL,
    "sh": SH,
    "time": TIME,
    "hydra": HYDRA,
    "oa": OA,
    "qb": QB,
    "epvoc": EPVOC,
}


def prefixes(kg_namespace: str) -> dict[str, str]:
    """Prefix -> namespace IRI for everything kg writes, `kg` included (normally `KG_NS`)."""
    table = {name: vocab.iri for name, vocab in REUSED.items()}
    table["kg"] = kg_namespace
    return dict(sorted(table.items()))
