"""Small constructors for pyoxigraph terms, shared by the mapping modules.

Triples are built as pyoxigraph terms straight away (never through rdflib) because the build maps
hundreds of thousands of documents; these helpers keep the mapping code readable at that speed.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from pyoxigraph import Literal, NamedNode

from kg.rdf import vocab as _vocab
from kg.rdf.vocab import Vocab
from kg.uris import UriMinter


class FastVocab(Vocab):
    """A Vocab whose terms become plain attributes on first use: the mapping reads `DCT.title`
    millions of times in a build, and a normal attribute is much cheaper than `__getattr__`."""

    def __getattr__(self, local: str):
        node = super().__getattr__(local)
        setattr(self, local, node)
        return node


RDF = FastVocab(_vocab.RDF.iri)
RDFS = FastVocab(_vocab.RDFS.iri)
XSD = FastVocab(_vocab.XSD.iri)
DCT = FastVocab(_vocab.DCT.iri)
ORG = FastVocab(_vocab.ORG.iri)
FOAF = FastVocab(_vocab.FOAF.iri)
PERSON = FastVocab(_vocab.PERSON.iri)
SKOS = FastVocab(_vocab.SKOS.iri)
PROV = FastVocab(_vocab.PROV.iri)
SCHEMA = FastVocab(_vocab.SCHEMA.iri)
ELI = FastVocab(_vocab.ELI.iri)
ELI_DL = FastVocab(_vocab.ELI_DL.iri)

XSD_DATE = XSD.date
XSD_LANGUAGE = XSD.language


def iri(value: str) -> NamedNode:
    return NamedNode(value)


def lang(text: str, language: str) -> Literal:
    return Literal(text, language=language)


def plain(text: str) -> Literal:
    return Literal(text)


def day(value: date) -> Literal:
    """An xsd:date: every date kg publishes is a day, never a timestamp."""
    return Literal(value.isoformat(), datatype=XSD_DATE)


def integer(value: int) -> Literal:
    return Literal(value)


def boolean(value: bool) -> Literal:
    return Literal(value)


def language_tag(value: str) -> Literal:
    return Literal(value, datatype=XSD_LANGUAGE)


@lru_cache(maxsize=8)
def kg_vocab(ns_iri: str) -> FastVocab:
    """The kg vocabulary of one base, kept so its NamedNodes are made once per process
    (`UriMinter.ns` builds a fresh, empty Vocab on every access)."""
    return FastVocab(ns_iri)


# URIs of things that recur across documents, minted (and their references checked) once.

@lru_cache(maxsize=1 << 16)
def question_uri(minter: UriMinter, number: object) -> str:
    return minter.question(number)


@lru_cache(maxsize=1 << 16)
def person_uri(minter: UriMinter, name: str) -> str:
    return minter.person(name)


@lru_cache(maxsize=1 << 16)
def concept_uri(minter: UriMinter, label: str) -> str:
    return minter.concept(label)
