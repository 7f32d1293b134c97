"""Minting of kg's URIs.

Things get `{base}id/{type}/{reference}`, documents about them `{base}doc/{type}/{reference}`,
and the vocabulary is documented at `{base}ns/kg` (the Belgian and Flemish URI standards'
id/doc/ns pattern). The vocabulary's own IRIs do not move with the base: they are `KG_NS`
(kg.rdf.vocab), so queries, shapes and clients work on every deployment. References are readable slugs that never change for the same thing, so the same
senator in two documents gets one URI.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

from kg.rdf.vocab import KG_NS, Vocab
from kg.text import slugify

DEFAULT_BASE = "http://localhost:8000/"


def normalize_base(base: str) -> str:
    """The base with a trailing slash. It must be a valid http(s) IRI: every URI kg mints, and
    the graph names it writes into SPARQL updates for a remote store, start with it."""
    if not base.startswith(("http://", "https://")):
        raise ValueError(f"base URI must be http(s): {base!r}")
    try:
        NamedNode(base)
    except ValueError as error:
        raise ValueError(f"base URI is not a valid IRI: {base!r} ({error})") from None
    return base if base.endswith("/") else base + "/"


@dataclass(frozen=True)
class UriMinter:
    """Mints every URI kg publishes, under one configurable base. URIs are returned as str."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", normalize_base(self.base))

    @property
    def ns_iri(self) -> str:
        """The kg vocabulary namespace: the fixed `KG_NS`, whatever the base."""
        return KG_NS

    @property
    def ns(self) -> Vocab:
        """The kg vocabulary, as NamedNodes: `minter.ns.Question`."""
        return Vocab(self.ns_iri)

    @property
    def ontology(self) -> str:
        """Where this deployment documents the vocabulary (and the store's graph holding it)."""
        return self.base + "ns/kg"

    def mint_uri(self, type_: str, reference: str) -> str:
        """`{base}id/{type}/{reference}`; reference segments are kept, each must be a slug."""
        for segment in reference.split("/"):
            if not segment or slugify(segment) != segment:
                raise ValueError(f"not a URI reference segment: {segment!r}")
        return f"{self.base}id/{type_}/{reference}"

    def document_of(self, uri: str) -> str:
        """The `/doc/` URI describing an `/id/` URI."""
        prefix = self.base + "id/"
        if not uri.startswith(prefix):
            raise ValueError(f"not a kg thing URI: {uri}")
        return self.base + "doc/" + uri[len(prefix) :]

    # The kinds of things kg mints. Each takes what identifies the thing in the documents.

    def question(self, number: object) -> str:
        return self.mint_uri("question", str(number))

    def person(self, name: str) -> str:
        return self.mint_uri("person", slugify(name))

    def party(self, name: str) -> str:
        return self.mint_uri("party", slugify(name))

    def office(self, key: str) -> str:
        return self.mint_uri("office", slugify(key))

    def concept(self, key: str) -> str:
        return self.mint_uri("concept", slugify(key))

    def agency(self, key: str) -> str:
        return self.mint_uri("agency", slugify(key))

    def account(self, platform: str, key: str) -> str:
        return self.mint_uri("account", f"{slugify(platform)}/{slugify(key)}")

    def government(self, key: str) -> str:
        return self.mint_uri("government", slugify(key))

    def legislature(self, number: int) -> str:
        return self.mint_uri("legislature", str(number))

    def source(self, sha256: str) -> str:
        """A source document, by content hash: the same bytes are the same document."""
        return self.mint_uri("source", sha256[:16])

    def sub(self, uri: str, *segments: str) -> str:
        """A thing that only exists as part of another (an answer, a chronology event, a fact):
        `{uri}/{segment}/...`, so it dereferences like any other."""
        for segment in segments:
            if slugify(segment) != segment:
                raise ValueError(f"not a URI reference segment: {segment!r}")
        return uri + "/" + "/".join(segments)
