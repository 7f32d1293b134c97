"""N-Triples terms as strings, shared by the mapping modules.

The build maps hundreds of thousands of documents and only ever writes N-Triples lines, so the
mapping writes those lines directly: a term is its N-Triples text (`<iri>`, `"text"@nl`,
`"5"^^<...#integer>`) and a triple is `f"{s} {p} {o} ."`. Building pyoxigraph objects only to
serialize them again cost more than half of the mapping. The escaping is Oxigraph's, character
for character, so the bytes are the same as `pyoxigraph.serialize` writes; `kg.rdf.terms.parse`
turns lines back into pyoxigraph triples for callers that want objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache

import pyoxigraph as ox

from kg.rdf import vocab as _vocab
from kg.uris import UriMinter

# What Oxigraph escapes in a literal: controls (short forms where N-Triples has one), the quote,
# the backslash, DEL and the two noncharacters U+FFFE and U+FFFF. Everything else is written as is.
_SHORT = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_ESCAPE = {code: _SHORT.get(chr(code), f"\\u{code:04X}") for code in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)}
_ESCAPE.update({ord(c): escaped for c, escaped in _SHORT.items()})
# Most texts hold none of those: finding that out in C is far cheaper than `translate`, which
# looks every character up in the table (it was a tenth of the conversion's CPU).
_NEEDS_ESCAPE = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_ESCAPE)) + "]")


def quote(text: str) -> str:
    """`text` as an N-Triples string literal, quotes included. An ASCII text needs nothing
    escaped when it is printable (no control, no DEL) and holds no quote or backslash: three
    tests in C that cost less than the search."""
    if text.isascii():
        if text.isprintable() and '"' not in text and "\\" not in text:
            return f'"{text}"'
    elif _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    return '"' + text.translate(_ESCAPE) + '"'


class NtVocab:
    """A namespace whose attributes and items are N-Triples IRIs: `DCT.title` is
    `"<http://purl.org/dc/terms/title>"`. Attributes are set on first use, so later reads are
    plain attribute reads (the mapping reads them millions of times)."""

    def __init__(self, iri: str):
        self.iri = iri

    def __getitem__(self, local: str) -> str:
        return f"<{self.iri}{local}>"

    def __getattr__(self, local: str) -> str:
        if local.startswith("__"):
            raise AttributeError(local)
        term = self[local]
        setattr(self, local, term)
        return term


RDF = NtVocab(_vocab.RDF.iri)
RDFS = NtVocab(_vocab.RDFS.iri)
OWL = NtVocab(_vocab.OWL.iri)
XSD = NtVocab(_vocab.XSD.iri)
DCT = NtVocab(_vocab.DCT.iri)
ORG = NtVocab(_vocab.ORG.iri)
FOAF = NtVocab(_vocab.FOAF.iri)
PERSON = NtVocab(_vocab.PERSON.iri)
SIOC = NtVocab(_vocab.SIOC.iri)
SKOS = NtVocab(_vocab.SKOS.iri)
PROV = NtVocab(_vocab.PROV.iri)
SCHEMA = NtVocab(_vocab.SCHEMA.iri)
ELI = NtVocab(_vocab.ELI.iri)
ELI_DL = NtVocab(_vocab.ELI_DL.iri)
OA = NtVocab(_vocab.OA.iri)
QB = NtVocab(_vocab.QB.iri)
EPVOC = NtVocab(_vocab.EPVOC.iri)

XSD_DATE = XSD.date
XSD_INTEGER = XSD.integer
XSD_LANGUAGE = XSD.language


# The EU's language authority table (Publications Office), the values ELI, DCAT-AP and the European
# Parliament give dct:language and eli:language. Only codes seen in use are listed (the EP's
# shapes and data.europa.eu records); a language without one is an error, never a guessed IRI.
LANGUAGE_AUTHORITY = "http://publications.europa.eu/resource/authority/language/"
EU_LANGUAGE_CODES = {"nl": "NLD", "fr": "FRA", "en": "ENG", "de": "DEU"}


def language_iri(code: str) -> str:
    """The EU language authority IRI of an ISO 639-1 code, as an N-Triples term."""
    try:
        return f"<{LANGUAGE_AUTHORITY}{EU_LANGUAGE_CODES[code]}>"
    except KeyError:
        raise ValueError(f"no EU language authority code known for language {code!r}") from None


def iri(value: str) -> str:
    """A minted IRI (made of slugs and digits, so nothing to check) as an N-Triples term."""
    return f"<{value}>"


@lru_cache(maxsize=1 << 14)
def checked_iri(value: str) -> str:
    """An IRI taken from a document or reference data: validated the way pyoxigraph validates
    it (ValueError when it is not an IRI), then written as a term."""
    return f"<{ox.NamedNode(value).value}>"


def lang(text: str, language: str) -> str:
    return f"{quote(text)}@{language}"


def plain(text: str) -> str:
    return quote(text)


@lru_cache(maxsize=1 << 14)
def day(value: date) -> str:
    """An xsd:date: every date kg publishes is a day, never a timestamp. Cached: the same days
    recur in record after record."""
    return f'"{value.isoformat()}"^^{XSD_DATE}'


def integer(value: int) -> str:
    return f'"{int(value)}"^^{XSD_INTEGER}'


def boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"^^{XSD.boolean}'


def typed(lexical: str, datatype: str) -> str:
    """A literal of `datatype` (an N-Triples IRI term)."""
    return f"{quote(lexical)}^^{datatype}"


def language_tag(value: str) -> str:
    return typed(value, XSD_LANGUAGE)


@lru_cache(maxsize=8)
def kg_vocab(ns_iri: str) -> NtVocab:
    """The kg vocabulary of one base, made once per process."""
    return NtVocab(ns_iri)


def parse(lines: Iterable[str]) -> Iterator[ox.Triple]:
    """N-Triples lines -> pyoxigraph triples, in order: the object form of the mapping's output."""
    data = "\n".join(lines)
    if not data:
        return iter(())
    return (quad.triple for quad in ox.parse(data.encode("utf-8") + b"\n", format=ox.RdfFormat.N_TRIPLES))


# URIs of things that recur across documents, minted (and their references checked) once.


@lru_cache(maxsize=4096)
def question_uri(minter: UriMinter, number: object) -> str:
    return minter.question(number)


@lru_cache(maxsize=1 << 16)
def person_uri(minter: UriMinter, name: str) -> str:
    return minter.person(name)


@lru_cache(maxsize=1 << 16)
def concept_uri(minter: UriMinter, label: str) -> str:
    return minter.concept(label)
