"""Small constructors for pyoxigraph terms, shared by the mapping modules.

Triples are built as pyoxigraph terms straight away (never through rdflib) because the build maps
hundreds of thousands of documents; these helpers keep the mapping code readable at that speed.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from pyoxigraph import Literal, NamedNode

from kg.rdf.vocab import XSD, Vocab

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
def kg_vocab(ns_iri: str) -> Vocab:
    """The kg vocabulary of one base, kept so its NamedNodes are made once per process
    (`UriMinter.ns` builds a fresh, empty Vocab on every access)."""
    return Vocab(ns_iri)
