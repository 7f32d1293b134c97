"""HTML browsing: the home page, a paged and sortable list per class, the stylesheet, and the
presentation of RDF terms every page shares (labels in the reader's language, local links,
readable dates).

Pages carry their facts as attributes too (`about`, `property`, `resource`, `content`, as in
RDFa), so what a page shows can be checked against the RDF it was rendered from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup
from pyoxigraph import BlankNode, Literal, NamedNode, Triple, Variable

from kg.paths import QUERIES_DIR
from kg.queries.header import describe
from kg.rdf.vocab import ANSWER_STATUSES, DCT, FOAF, KG_NS, KG_ONTOLOGY, RDF, RDFS, SCHEMA, SKOS, XSD, prefixes
from kg.web import svg
from kg.web.agency_view import agency_facts
from kg.web.context import KgContext
from kg.web.describe import (
    LABEL_PREDICATES,
    Description,
    DescriptionCache,
    labels_and_types,
    vocabulary_labels,
)
from kg.web.errors import BadRequest
from kg.web.i18n import (
    LANGUAGES,
    best_label,
    best_literal,
    format_date,
    language_order,
    local_name,
    negotiate_language,
    readable_bytes,
    stats_strings,
    ui_strings,
)
from kg.web.kept import file_name, kept
from kg.web.list_facets import FACETS, QuestionFacets, facet_value, matches, question_facets, url_value
from kg.web.person_view import (
    PAGE_SIZE as PERSON_PAGE_SIZE,
)
from kg.web.person_view import (
    SORTS as PERSON_SORTS,
)
from kg.web.person_view import (
    QuestionRow,
    fill,
    number_key,
    offices_held,
    oldest_open,
    per_office,
    per_year,
    person_parties,
    questions_asked,
    questions_received,
)
from kg.web.question_view import (
    QuestionCache,
    QuestionFacts,
    Sibling,
    membership_last_seen,
    party_name_on,
    question_facts,
)
from kg.web.term_labels import term_label
from kg.web.text_view import escaped as _e
from kg.web.text_view import hidden_statement, linkify, term_key, text_roles

router = APIRouter()

STATIC_DIR = Path(__file__).resolve().parent / "static"
LIST_PAGE_SIZE = 50
_LABEL_IRIS = {p.value for p in LABEL_PREDICATES}
# Which label to prefer within one language: a question's title says more than its "Question 5-1".
_LABEL_RANK = {
    iri: rank
    for rank, iri in enumerate(
        (DCT.title.value, SKOS.prefLabel.value, FOAF.name.value, SCHEMA.name.value, RDFS.label.value)
    )
}
_LABEL_NODES = frozenset(NamedNode(iri) for iri in _LABEL_RANK)
_PLAIN = {XSD.string.value, RDF.langString.value}
PERSON_CLASSES = {"http://www.w3.org/ns/person#Person", FOAF.Person.value}
_NATURAL = re.compile(r"(\d+)")
# What may follow a prefix in a CURIE kg writes (no `:` that a reader could take for a scheme,
# no characters a reader would have to unescape).
_CURIE_REST = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-./~%]*")


def description_cache(ctx: KgContext) -> DescriptionCache:
    """The labels, types and counts descriptions share, kept while the store is unchanged."""
    return ctx.derived("description-cache", lambda _: DescriptionCache())


def question_cache(ctx: KgContext) -> QuestionCache:
    """The offices' incumbencies and sibling rows question pages share, kept while the store is unchanged."""
    return ctx.derived("question-cache", lambda _: QuestionCache())


def reader_language(request: Request) -> str:
    """`?lang=` (the language links on every page) wins over Accept-Language."""
    chosen = request.query_params.get("lang")
    if chosen in ("nl", "fr", "en"):
        return chosen
    return negotiate_language(request.headers.get("accept-language"))


def language_links(request: Request) -> list[tuple[str, str]]:
    """(code, href) for reading the same page in each language."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return [(code, request.url.path + "?" + urlencode([*params, ("lang", code)])) for code in ("nl", "fr", "en")]


@lru_cache(maxsize=65536)
def natural_key(text: str) -> tuple:
    """ "p2" before "p10": numbers inside IRIs and labels compare as numbers."""
    return tuple(int(piece) if piece.isdigit() else piece.lower() for piece in _NATURAL.split(text))


# -- terms as a reader sees them -------------------------------------------------------------------


@dataclass
class TermView:
    """One RDF term on a page: the text shown, and what it is (for links and attributes)."""

    text: str
    iri: str | None = None  # the IRI, or "_:id" for a blank node
    href: str | None = None
    lexical: str | None = None  # a literal's value (the `content` attribute)
    language: str | None = None
    datatype: str | None = None  # None for plain strings; a CURIE where one fits
    when: str | None = None  # ISO date for <time datetime=...>
    ref: str | None = None  # the IRI as RDFa writes it (a CURIE where a prefix fits)
    rich: str | None = None  # the text as HTML (links made clickable), escaped already

    @property
    def is_literal(self) -> bool:
        return self.lexical is not None

    def html(self, predicate: str | None = None) -> Markup:
        """The term as HTML, its fact in attributes (`property` when a predicate is given)."""
        return Markup(self._html(predicate))

    def _html(self, predicate: str | None = None, tag: bool = True) -> str:
        # Written here rather than as template macros: a question page shows a thousand values,
        # and a macro call costs ten times this. Every value is escaped.
        prop = f' property="{_e(predicate)}"' if predicate else ""
        if self.lexical is not None:
            text = self.rich if self.rich is not None else _e(self.text)
            # An untagged string says lang="" so that it does not inherit the page's language.
            if self.language:
                lang = f' lang="{_e(self.language)}"'
            else:
                lang = "" if self.datatype else ' lang=""'
            datatype = f' datatype="{_e(self.datatype)}"' if self.datatype else ""
            if self.when:
                text = f'<time datetime="{_e(self.when)}">{text}</time>'
            # `content` only where the text shown is not the value (dates, links made clickable).
            # (links made clickable keep the text: their text content is the value)
            plain = (self.rich is not None or text == _e(self.lexical)) and not self.when and "\r" not in self.lexical
            content = "" if plain else f' content="{_e(self.lexical)}"'
            small = f' <small class="tag">{_e(self.language)}</small>' if self.language and tag else ""
            return f"<span{prop}{content}{lang}{datatype}>{text}</span>{small}"
        resource = _e(self.ref or self.iri or "")
        if self.href:
            return f'<a{prop} resource="{resource}" href="{_e(self.href)}">{_e(self.text)}</a>'
        return f'<span{prop} resource="{resource}">{_e(self.text)}</span>'

    def predicate_html(self) -> str:
        """The term as the name of a property (a row heading)."""
        if self.href:
            return f'<a class="property" href="{_e(self.href)}" title="{_e(self.iri or "")}">{_e(self.text)}</a>'
        return f'<span class="property" title="{_e(self.iri or "")}">{_e(self.text)}</span>'


_TYPE = RDF.type
_RDF_TYPE = RDF.type.value
_XSD_DATE = XSD.date.value
_XSD_DATE_TIME = XSD.dateTime.value


def types_html(types: list[TermView]) -> Markup:
    if not types:
        return Markup("")
    spans = "".join(f'<span class="type">{t._html("rdf:type")}</span>' for t in types)
    return Markup(f'<p class="types">{spans}</p>')


@dataclass
class Row:
    predicate: TermView
    values: list[TermView]


def rows_html(rows: list[Row]) -> Markup:
    """A table of properties and their values, each value carrying its fact."""
    if not rows:
        return Markup("")
    out = ['\n<table class="properties">']
    for row in rows:
        ref = row.predicate.ref or row.predicate.iri
        values = "".join(f'<div class="value">{v._html(ref)}</div>' for v in row.values)
        out.append(f'\n<tr><th scope="row">{row.predicate.predicate_html()}</th><td>{values}</td></tr>')
    out.append("\n</table>")
    return Markup("".join(out))


@dataclass
class Block:
    """The statements of one subject: the resource, one of its parts, or a linked resource."""

    subject: TermView
    anchor: str
    rows: list[Row] = field(default_factory=list)
    types: list[TermView] = field(default_factory=list)

    def rows_html(self) -> Markup:
        return rows_html(self.rows)

    def types_html(self) -> Markup:
        return types_html(self.types)

    def html(self) -> Markup:
        """The block as a section whose `about` is its subject."""
        return Markup(
            f'<section class="block" id="{_e(self.anchor)}" about="{_e(self.subject.ref or self.subject.iri or "")}">\n'
            f"<h3>{self.subject._html()}</h3>\n{types_html(self.types)}\n{rows_html(self.rows)}\n"
            f"</section>"
        )


class PageRenderer:
    """Turns triples into what a page shows, in one reader's language."""

    def __init__(self, ctx: KgContext, language: str, triples: list[Triple] | None = None):
        self.ctx = ctx
        self.base = ctx.minter.base
        self.ns = ctx.minter.ns_iri
        self.language = language
        # Local links carry the language the reader chose (`carry_language`), so that it is kept
        # from page to page; without a choice they are left bare (the Accept-Language header
        # chooses again on the next page).
        self.lang_query = ""
        self.order = {tag: i for i, tag in enumerate(language_order(language))}
        self.vocabulary = vocabulary_labels(ctx.store, description_cache(ctx))
        self.prefixes = prefixes(ctx.minter.ns_iri)
        self._curie_namespaces = tuple(namespace for name, namespace in self.prefixes.items() if name != "kg")
        # RDFa writes IRIs as CURIEs where a prefix fits: a question page names a thousand of them.
        self.rdfa_prefixes = {**self.prefixes, "id": self.base + "id/", "doc": self.base + "doc/"}
        self._by_length = sorted(self.rdfa_prefixes.items(), key=lambda item: -len(item[1]))
        self._refs: dict[str, str] = {}
        self._labels: dict[str, list[tuple[int, str, Literal]]] = {}
        self.labels: dict[str, list[Literal]] = {}
        self._shown: dict[str, str] = {}  # label() per IRI, for this page
        self._hrefs: dict[str, str | None] = {}
        self.add_labels(triples or ())

    @classmethod
    def for_description(cls, ctx: KgContext, language: str, description: Description) -> PageRenderer:
        """A renderer holding the labels `description` states, read from its triples in any
        order (`add_labels` orders them; labels that tie show the same text)."""
        everything = (description.own, description.parts, description.incoming, description.context, description.meta)
        return cls(ctx, language, [t for triples in everything for t in triples])

    def add_label(self, triple: Triple) -> None:
        """Keep a label triple; a title beats a name beats an rdfs:label within one language."""
        self.add_labels((triple,))

    def add_labels(self, triples: Iterable[Triple]) -> None:
        """Keep the label triples among `triples`, each subject's labels ordered once: by rank
        (a title beats a name beats an rdfs:label within one language), then text, then as given."""
        touched: dict[str, None] = {}
        for triple in triples:
            label = triple.object
            if triple.predicate not in _LABEL_NODES or not isinstance(label, Literal):
                continue
            key = term_key(triple.subject)
            self._labels.setdefault(key, []).append((_LABEL_RANK[triple.predicate.value], label.value, label))
            touched[key] = None
        for key in touched:
            ranked = self._labels[key]
            ranked.sort(key=_rank_and_text)
            self.labels[key] = [literal for _, _, literal in ranked]
            self._shown.pop(key, None)

    # links ---------------------------------------------------------------------------------------
    def href(self, iri: str) -> str | None:
        """A local path for the base's IRIs (a thing links straight to its document), the IRI
        itself for other web IRIs, nothing for other schemes (no `javascript:` links from data)."""
        if iri in self._hrefs:
            return self._hrefs[iri]
        href = self._hrefs[iri] = self._href(iri)
        return href

    def _href(self, iri: str) -> str | None:
        if iri.startswith(self.ns):  # kg's terms are documented here, at /ns/kg#Term
            return self._with_language("/ns/kg#" + quote(iri[len(self.ns) :], safe="-._~"))
        if iri == KG_ONTOLOGY:
            return self._with_language("/ns/kg")
        if iri.startswith(self.base):
            rest = iri[len(self.base) :]
            if rest.startswith("id/"):
                rest = "doc/" + rest[3:]
            path, hash_, fragment = rest.partition("#")
            local = "/" + _quote_path(path)
            return self._with_language(local + hash_ + quote(fragment, safe="-._~"))
        if iri.startswith(("http://", "https://")):
            return iri
        return None

    def label(self, iri: str) -> str:
        shown = self._shown.get(iri)
        if shown is None:
            literals = self.labels.get(iri) or self.vocabulary.get(iri) or []
            chosen = best_literal(literals, self.language)
            if chosen is None or (chosen.language or "").lower().split("-")[0] != self.language:
                # no label in the reader's language: the interface's name of a vocabulary term
                named = term_label(iri, self.language, KG_NS)
                if named is not None:
                    self._shown[iri] = named
                    return named
            if chosen is not None:
                shown = chosen.value
            else:
                shown = self.curie(iri) or local_name(iri)
            self._shown[iri] = shown
        return shown

    def carry_language(self, query: Mapping[str, str] | None) -> None:
        """Make local links carry `lang` when the reader chose one (`?lang=`)."""
        if query is not None and query.get("lang") == self.language:
            self.lang_query = "lang=" + self.language
            self._hrefs.clear()

    def _with_language(self, href: str) -> str:
        if not self.lang_query:
            return href
        path, hash_, fragment = href.partition("#")
        separator = "" if path.endswith("?") else "&" if "?" in path else "?"
        return path + separator + self.lang_query + hash_ + fragment

    def ref(self, iri: str) -> str:
        """The IRI as an RDFa attribute writes it: `kg:Question`, `id:question/5-8913`, or whole."""
        found = self._refs.get(iri)
        if found is None:
            found = iri
            for name, namespace in self._by_length:
                if iri.startswith(namespace) and _CURIE_REST.fullmatch(iri, len(namespace)):
                    found = f"{name}:{iri[len(namespace) :]}"
                    break
            self._refs[iri] = found
        return found

    def local_prefix(self, uri: str) -> None:
        """Declare `r:` for the IRIs minted under the page's resource (its parts)."""
        self.rdfa_prefixes["r"] = uri + "/"
        self._by_length = sorted(self.rdfa_prefixes.items(), key=lambda item: -len(item[1]))
        self._refs.clear()

    def rdfa_prefix(self) -> str:
        """The `prefix` attribute declaring every prefix `ref` uses."""
        return " ".join(f"{name}: {namespace}" for name, namespace in sorted(self.rdfa_prefixes.items()))

    def curie(self, iri: str) -> str | None:
        """`dct:title` for a reused vocabulary's term without a label of its own."""
        if not iri.startswith(self._curie_namespaces):  # most IRIs: one test instead of one per prefix
            return None
        for name, namespace in self.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace) and name != "kg":
                return f"{name}:{iri[len(namespace) :]}"
        return None

    # terms ---------------------------------------------------------------------------------------
    def party_term(self, party: NamedNode, on: str | None) -> TermView:
        """A party as it was named on `on` (sp.a before it was Vooruit), else by its label."""
        view = self.term(party)
        name = party_name_on(self.ctx.store, party, on)
        return replace(view, text=name) if name is not None else view

    def term(self, term: object) -> TermView:
        if isinstance(term, NamedNode):
            return TermView(
                self.label(term.value), iri=term.value, href=self.href(term.value), ref=self.ref(term.value)
            )
        if isinstance(term, BlankNode):
            label = best_label(self.labels.get(term_key(term), []), self.language) or "…"
            return TermView(label, iri="_:" + term.value, href="#b-" + term.value, ref="_:" + term.value)
        if isinstance(term, Literal):
            return self.literal(term)
        return TermView(str(term))

    def term_text(self, term: object) -> str:
        """`term(term).text`, without making the view."""
        if isinstance(term, NamedNode):
            return self.label(term.value)
        if isinstance(term, BlankNode):
            return best_label(self.labels.get(term_key(term), []), self.language) or "…"
        return self.term(term).text

    def terse_term(self, term: object) -> TermView:
        """A term as a part's line shows it: a resource by the last segment of its IRI (its
        labels are on its own page), a literal as `literal` does."""
        if isinstance(term, NamedNode):
            iri = term.value
            return TermView(local_name(iri), iri=iri, href=self.href(iri), ref=self.ref(iri))
        if isinstance(term, BlankNode):
            key = "_:" + term.value
            return TermView(local_name(key), iri=key, href="#b-" + term.value, ref=key)
        return self.term(term)

    def literal(self, literal: Literal) -> TermView:
        datatype = literal.datatype.value
        view = TermView(
            literal.value,
            lexical=literal.value,
            language=literal.language,
            datatype=None if datatype in _PLAIN else self.ref(datatype),
        )
        if datatype in _PLAIN and ("http" in literal.value or "@" in literal.value or "www." in literal.value):
            rich = linkify(literal.value)  # addresses and handles in values are clickable
            if rich != _e(literal.value):
                view.rich = rich
        try:
            if datatype == _XSD_DATE:
                view.text = format_date(date.fromisoformat(literal.value), self.language)
                view.when = literal.value
            elif datatype == _XSD_DATE_TIME:
                moment = datetime.fromisoformat(literal.value)
                view.text = f"{format_date(moment.date(), self.language)} {moment:%H:%M}"
                view.when = literal.value
        except ValueError:
            pass  # an ill-formed date is shown as written
        return view

    def predicate(self, iri: str) -> TermView:
        return TermView(self.label(iri), iri=iri, href=self.href(iri), ref=self.ref(iri))

    def sort_key(self, view: TermView) -> tuple:
        if view.is_literal:
            return (0, self.order.get((view.language or "").split("-")[0], 9), natural_key(view.lexical or ""))
        return (1, natural_key(view.text), view.iri or "")

    # groups of triples --------------------------------------------------------------------------
    def block(self, subject: NamedNode | BlankNode, triples: list[Triple]) -> Block:
        """A subject's triples as rows (one per property) and types; rdf:type first, labels next."""
        by_predicate: dict[str, list[TermView]] = {}
        types: list[TermView] = []
        for triple in triples:
            view = self.term(triple.object)
            if triple.predicate == _TYPE:
                types.append(view)
            else:
                by_predicate.setdefault(triple.predicate.value, []).append(view)
        rows = [Row(self.predicate(p), sorted(values, key=self.sort_key)) for p, values in by_predicate.items()]
        rows.sort(key=lambda row: (row.predicate.iri not in _LABEL_IRIS, natural_key(row.predicate.text)))
        subject_view = self.term(subject)
        anchor = "b-" + subject.value if isinstance(subject, BlankNode) else "r-" + _anchor(subject.value)
        return Block(subject_view, anchor, rows, sorted(types, key=self.sort_key))

    def blocks(self, triples: list[Triple]) -> list[Block]:
        """One block per subject, in natural order of their IRIs (parts numbered 2 before 10)."""
        grouped: dict[NamedNode | BlankNode, list[Triple]] = {}
        for triple in triples:
            subject = triple.subject
            assert not isinstance(subject, Triple), "kg writes no quoted triples (RDF-star)"
            grouped.setdefault(subject, []).append(triple)
        subjects = sorted(grouped, key=lambda s: (isinstance(s, BlankNode), natural_key(s.value)))
        return [self.block(s, grouped[s]) for s in subjects]

    def part_anchors(self, keys: Iterable[str]) -> dict[str, str]:
        """An in-page anchor per part (by its key), in natural order of their IRIs (2 before 10)."""
        ordered = sorted(keys, key=_part_order)
        return {key: f"p{number}" for number, key in enumerate(ordered, 1)}

    def parts_html(self, grouped: Groups, anchors: dict[str, str], headings: dict[str, str] | None = None) -> Markup:
        """Statements about parts (`_group_parts`), compactly (a question has a hundred parts): one
        block per part, its types as `typeof`, a line per property; links between parts stay on
        the page. `headings` links a part's heading elsewhere on the page (a fact to its sentence)."""
        keys = sorted(grouped, key=_part_order)
        out = []
        for key in keys:
            subject, group = grouped[key]
            types = ""
            rows: dict[str, list[str]] = {}
            for predicate, objects in _by_property(group):
                if predicate == _RDF_TYPE:
                    types = " ".join(sorted(self.ref(term_key(o)) for o in objects))
                    continue
                attribute = self.ref(predicate)
                rows[predicate] = [self._part_value(obj, attribute, anchors) for obj in objects]
            typeof = f' typeof="{_e(types)}"' if types else ""
            lines = "".join(f"<li><i>{_e(self.label(p))}</i> {' · '.join(v)}" for p, v in rows.items())
            about = _e(self.ref(key) if not key.startswith("_:") else key)
            heading = _e(self.term_text(subject))
            if headings and key in headings:
                heading = f'<a href="{_e(headings[key])}">{heading}</a>'
            out.append(
                f'<div class="part" id="{anchors.get(key, "")}" about="{about}"{typeof}><b>{heading}</b>'
                f"<ul>{lines}</ul></div>"
            )
        return Markup("\n".join(out))

    def _part_value(self, term: object, attribute: str, anchors: dict[str, str]) -> str:
        """`terse_term(term)._html(attribute, tag=False)`, a link to a part on the page going to
        its anchor, written without the view: a question's parts have a thousand values."""
        kind = type(term)
        if kind is not NamedNode and kind is not BlankNode:
            return self.terse_term(term)._html(attribute, tag=False)
        key = term_key(term)
        anchor = anchors.get(key)
        if anchor is not None:
            href: str | None = "#" + anchor
        else:
            href = self.href(key) if kind is NamedNode else "#b-" + key[2:]
        resource = _e(self.ref(key) if kind is NamedNode else key)
        text = _e(local_name(key))
        if href:
            return f'<a property="{_e(attribute)}" resource="{resource}" href="{_e(href)}">{text}</a>'
        return f'<span property="{_e(attribute)}" resource="{resource}">{text}</span>'

    def facts_html(self, grouped: Groups, anchors: dict[str, str], headings: dict[str, str]) -> Markup:
        """What was found in the texts (`_group_parts`), one line per fact: its label in the reader's
        language, linked to the sentence marked in the text; its other statements carried as RDFa only."""
        out = ['<ol class="facts-found">']
        for key in sorted(grouped, key=natural_key):
            group = grouped[key][1]
            labels = [t.object for t in group if t.predicate == RDFS.label and isinstance(t.object, Literal)]
            shown = best_literal(labels, self.language)
            types = " ".join(sorted(self.ref(term_key(t.object)) for t in group if t.predicate == _TYPE))
            typeof = f' typeof="{_e(types)}"' if types else ""
            about = _e(self.ref(key) if not key.startswith("_:") else key)
            text = "…"
            if shown is not None:
                view = self.literal(shown)
                if key in headings:  # the link inside the literal: a link around it would be its subject
                    view.rich = f'<a href="{_e(headings[key])}">{_e(view.text)}</a>'
                text = view._html(self.ref(RDFS.label.value), tag=False)
            hidden = "".join(
                hidden_statement(self.ref(t.predicate.value), t.object, self.ref)
                for t in sorted(group, key=lambda t: (t.predicate.value, term_key(t.object)))
                if t.predicate != _TYPE and not (t.predicate == RDFS.label and t.object == shown)
            )
            out.append(f'<li id="{anchors.get(key, "")}" about="{about}"{typeof}>{text}{hidden}</li>')
        out.append("</ol>")
        return Markup("\n".join(out))

    def description_page(self, description: Description, query: Mapping[str, str] | None = None) -> dict:
        """Everything resource.html shows, from one description (and, for the views of a
        question, a person or an agency, a few index lookups of their own)."""
        self.carry_language(query)
        self.local_prefix(description.uri)
        node = NamedNode(description.uri)
        main = self.block(node, description.own)
        incoming = [(self.term(t.subject), self.predicate(t.predicate.value)) for t in description.incoming]
        paging = description.paging
        ui = ui_strings(self.language)
        roles, evidence, shown = text_roles(
            description.own + description.parts, self.ns, self.order, self.ref, lambda role: ui[role]
        )
        # The texts state their paragraphs and marked sentences, the list of what was found in
        # them states the facts: the parts do not repeat them.
        subjects, unshown = _group_parts(description.parts, shown)
        anchors = self.part_anchors(subjects)
        fact_keys = {term_key(e.fact) for e in evidence}
        headings = {term_key(e.fact): "#" + e.anchor for e in evidence if e.placed}
        facts = {key: group for key, group in unshown.items() if key in fact_keys}
        parts = {key: group for key, group in unshown.items() if key not in fact_keys}
        types = {t.object.value for t in description.own if t.predicate == _TYPE and isinstance(t.object, NamedNode)}

        def page_href(number: int) -> str:
            return self._with_language(f"?page={number}" if number > 1 else "?")

        page = {
            "kind": "resource",
            "roles": roles,
            "facts": self.facts_html(facts, anchors, headings),
            "facts_count": len(fact_keys),
            "accounts": self.accounts(description),
            "uri": description.uri,
            "ref": self.ref(description.uri),
            "typeof": " ".join(sorted(self.ref(t) for t in types)),
            "lang_query": self.lang_query,
            "rdfa_prefix": self.rdfa_prefix(),
            "title": self.label(description.uri),
            "main": main,
            "parts": self.parts_html(parts, anchors),
            "parts_count": len(parts),
            "incoming": incoming,
            "incoming_total": paging.total,
            "linked": self.linked_html(description.context),
            "meta": self.blocks(description.meta),
            "document": description.document,
            "paging": {
                "page": paging.page,
                "last": paging.last,
                "paged": paging.paged,
                "first": page_href(1),
                "previous": page_href(paging.page - 1) if paging.page > 1 else None,
                "next": page_href(paging.page + 1) if paging.page < paging.last else None,
                "last_href": page_href(paging.last),
            },
        }
        if self.ns + "Question" in types:
            page["kind"] = "question"
            header = question_facts(self.ctx.store, self.ns, node, description.own, question_cache(self.ctx))
            page["question"] = self.question_header(header)
        elif types & PERSON_CLASSES:
            page["kind"] = "person"
            page["person"] = self.person_header(node, query or {})
        elif self.ns + "Agency" in types:
            page["kind"] = "agency"
            page["agency"] = self.agency_header(node, description.own)
        return page

    def question_row(self, row: QuestionRow) -> dict:
        words = stats_strings(self.language)
        return {
            "question": self.term(row.uri),
            "identifier": row.identifier,
            "date": self.literal(row.date) if row.date is not None else None,
            "title": best_literal(row.title, self.language),
            "offices": [self.term(o) for o in row.offices],
            "addressee": self.term(row.addressee) if row.addressee is not None else None,
            "status_key": row.status or "",
            "status": words.get("status_" + (row.status or ""), words["unknown"]),
            "days": row.days,
        }

    def person_header(self, node: NamedNode, query: Mapping[str, str]) -> dict:
        """A senator's questions (paged, sorted as asked) and a minister's offices and questions."""
        store = self.ctx.store
        asked = questions_asked(store, node)
        sort = query.get("qsort", "date")
        if sort not in PERSON_SORTS:
            raise BadRequest(f"qsort must be one of {', '.join(PERSON_SORTS)}, not {sort!r}")
        order = query.get("qorder", "desc")
        if order not in ("asc", "desc"):
            raise BadRequest(f"qorder must be asc or desc, not {order!r}")
        raw_page = query.get("qpage", "1")
        if not (raw_page.isdigit() and 0 < int(raw_page) <= 10**6):
            raise BadRequest(f"qpage must be a whole number from 1, not {raw_page!r}")
        number = int(raw_page)
        last = max(1, -(-len(asked) // PERSON_PAGE_SIZE))
        number = min(number, last)
        if sort in ("title", "addressee"):
            fill(store, asked)
            self._labels_for([o for row in asked for o in row.offices])
        keys: dict[str, Callable[[QuestionRow], Any]] = {
            "date": lambda r: (r.date is not None, r.date.value if r.date else ""),
            "number": lambda r: number_key(r.identifier),
            "title": lambda r: (best_label(r.title, self.language) or "").lower(),
            "addressee": lambda r: " ".join(self.label(o.value) for o in r.offices).lower(),
            "status": lambda r: r.status or "",
            "days": lambda r: (r.days is not None, r.days or 0),
        }
        ordered = sorted(asked, key=keys[sort], reverse=order == "desc")
        shown = ordered[(number - 1) * PERSON_PAGE_SIZE : number * PERSON_PAGE_SIZE]
        fill(store, shown)
        self._labels_for([o for r in shown for o in r.offices] + [r.addressee for r in shown if r.addressee])

        def href(**changes: object) -> str:
            params = {"qsort": sort, "qorder": order, "qpage": number, **changes}
            return self._with_language("?" + urlencode(params)) + "#asked"

        terms = offices_held(store, node)
        received = questions_received(store, node, {t.office.value for t in terms})
        today = max(
            [r.date.value for r in asked + received if r.date is not None] + [t.end or "" for t in terms] or [""]
        )
        self._labels_for([t.office for t in terms] + [t.government for t in terms if t.government])
        parties = person_parties(store, node)
        self._labels_for(parties)
        figures = per_office(received)
        self._labels_for([f.office for f in figures if f.office is not None])
        ui = ui_strings(self.language)
        oldest = oldest_open(received)
        fill(store, oldest)
        governments: dict[str, NamedNode] = {t.government.value: t.government for t in terms if t.government}
        return {
            # named as on the last day the documents show the membership, else the person's last
            # dated day here (a minister's party comes from the governments, undated)
            "parties": [self.party_term(p, membership_last_seen(store, node, p) or today or None) for p in parties],
            "asked_total": len(asked),
            "asked": [self.question_row(r) for r in shown],
            "sort": sort,
            "order": order,
            "sorts": [
                (key, href(qsort=key, qorder="asc" if sort == key and order == "desc" else "desc", qpage=1))
                for key in PERSON_SORTS
            ],
            "paging": {
                "page": number,
                "last": last,
                "first": href(qpage=1),
                "previous": href(qpage=number - 1) if number > 1 else None,
                "next": href(qpage=number + 1) if number < last else None,
                "last_href": href(qpage=last),
            },
            "per_year": svg.bars(per_year(asked), ui["questions_per_year"]),
            "per_year_table": per_year(asked),
            "terms": [
                {
                    "office": self.term(t.office),
                    "start": self.literal(Literal(t.start, datatype=XSD.date)) if t.start else None,
                    "end": self.literal(Literal(t.end, datatype=XSD.date)) if t.end else None,
                    "government": self.term(t.government) if t.government else None,
                }
                for t in terms
            ],
            "timeline": svg.timeline(
                [(self.label(t.office.value), t.start, t.end) for t in terms], ui["offices_held"], today or "9999-12-31"
            ),
            "governments": [self.term(g) for g in sorted(governments.values(), key=lambda g: g.value)],
            "received_total": len(received),
            "per_office": [
                {
                    "office": self.term(f.office) if f.office is not None else None,
                    "questions": f.questions,
                    "answered": f.answered,
                    "median_days": f.median_days,
                    "open": f.open,
                }
                for f in figures
            ],
            "oldest_open": [self.question_row(r) for r in oldest],
        }

    def _labels_for(self, nodes: list[NamedNode]) -> None:
        missing = sorted({n for n in nodes if n.value not in self.labels}, key=lambda n: n.value)
        self.add_labels(labels_and_types(self.ctx.store, missing, description_cache(self.ctx)))

    def agency_header(self, node: NamedNode, own: list[Triple]) -> dict:
        """An agency's names, parent, enterprise number, accounts and figures, mentions."""
        found = agency_facts(self.ctx.store, node, own)
        platforms = [NamedNode(p) for p in found.accounts if p]
        accounts = [a for group in found.accounts.values() for a in group]
        self._labels_for(platforms + [a.uri for a in accounts] + ([found.parent] if found.parent else []))
        return {
            "names": [
                (code, [n.value for n in found.names.get(code, [])])
                for code in ("nl", "fr", "en")
                if code in found.names
            ],
            "parent": self.term(found.parent) if found.parent else None,
            "enterprise_number": found.enterprise_number,
            "registry": [self.term(r) for r in found.registry],
            "platforms": [
                {
                    "platform": self.term(NamedNode(platform)) if platform else None,
                    "accounts": [
                        {
                            "account": self.term(a.uri),
                            "page": a.page.value if a.page else None,
                            "figures": [
                                {
                                    "count": f.count,
                                    "when": self.literal(f.when) if f.when is not None else None,
                                    "kind": self.label(f.kind.value) if f.kind else "",
                                }
                                for f in a.figures
                            ],
                            "figures_total": a.figures_total,
                        }
                        for a in group
                    ],
                }
                for platform, group in sorted(found.accounts.items())
            ],
            "mentions": [
                {
                    "question": self.term(m.question),
                    "identifier": m.identifier,
                    "date": self.literal(m.date) if m.date is not None else None,
                    "title": best_literal(m.title, self.language),
                    "in_answer": m.in_answer,
                }
                for m in found.mentions
            ],
            "mentions_total": found.mentions_total,
        }

    def question_header(self, facts: QuestionFacts) -> dict:
        """The question's header facts as terms and words in the reader's language."""
        words = stats_strings(self.language)

        def day(literal: Literal | None) -> TermView | None:
            return self.literal(literal) if literal is not None else None

        def status(found: QuestionFacts | Sibling) -> tuple[str, str]:
            key = found.status or ("NotLoaded" if not found.loaded else "")
            return key, words.get("status_" + key, words["unknown"]) if key else words["unknown"]

        def holders(found: QuestionFacts | Sibling) -> list[tuple[TermView, TermView | None]]:
            return [(self.term(h.office), self.term(h.person) if h.person is not None else None) for h in found.holders]

        self._load_labels(facts)
        key, text = status(facts)
        return {
            "identifier": facts.identifier,
            "title": best_literal(facts.title, self.language),
            "asker": self.term(facts.asker) if facts.asker is not None else None,
            "parties": [
                self.party_term(p, facts.sent.value if facts.sent is not None else None) for p in facts.parties
            ],
            "sent": day(facts.sent),
            "holders": holders(facts),
            "status_key": key,
            "status": text,
            "answered": day(facts.answered),
            "days": facts.days,
            "working_days": facts.working_days,
            "deadline": day(facts.deadline),
            "reminders": facts.reminders,
            "legislature": self.term(facts.legislature) if facts.legislature is not None else None,
            "descriptors": sorted((self.term(d) for d in facts.descriptors), key=lambda v: natural_key(v.text)),
            "senate": facts.senate,
            "siblings": [
                {
                    "question": self.term(s.uri),
                    "identifier": s.identifier,
                    "loaded": s.loaded,
                    "holders": holders(s),
                    "status_key": status(s)[0],
                    "status": status(s)[1],
                    "answered": day(s.answered),
                    "senate": s.senate,
                }
                for s in facts.siblings
            ],
        }

    def _load_labels(self, facts: QuestionFacts) -> None:
        """Load the labels the header needs that the description does not hold (siblings' offices
        and their holders, parties)."""
        nodes = {h.office for s in facts.siblings for h in s.holders}
        holders = facts.holders + [h for s in facts.siblings for h in s.holders]
        nodes |= {h.person for h in holders if h.person is not None}
        nodes |= set(facts.parties)
        missing = sorted((n for n in nodes if n.value not in self.labels), key=lambda n: n.value)
        self.add_labels(labels_and_types(self.ctx.store, missing, description_cache(self.ctx)))

    def linked_html(self, triples: list[Triple]) -> Markup:
        """The labels and types of linked resources, compactly: one line per resource, its types
        as `typeof`, its labels as literals."""
        grouped: dict[str, tuple[object, list[Triple]]] = {}
        for t in triples:
            grouped.setdefault(term_key(t.subject), (t.subject, []))[1].append(t)
        out = ['<ul class="linked">']
        for key in sorted(grouped, key=natural_key):
            subject, group = grouped[key]
            types = " ".join(sorted(self.ref(term_key(t.object)) for t in group if t.predicate == _TYPE))
            typeof = f' typeof="{_e(types)}"' if types else ""
            values = " ".join(
                self.literal(t.object)._html(self.ref(t.predicate.value), tag=False)
                for t in sorted(group, key=lambda t: (t.predicate.value, term_key(t.object)))
                if t.predicate != _TYPE and isinstance(t.object, Literal)
            )
            others = " ".join(
                self.term(t.object)._html(self.ref(t.predicate.value))
                for t in group
                if t.predicate != _TYPE and not isinstance(t.object, Literal)
            )
            out.append(f'<li about="{_e(self.ref(key))}"{typeof}>{values} {others}</li>')
        out.append("</ul>")
        return Markup("\n".join(out)) if grouped else Markup("")

    def accounts(self, description: Description) -> list[TermView]:
        """Linked resources that are online accounts (an agency's page lists them first)."""
        account_classes = {self.ns + c[3:] if c.startswith("kg:") else c for c in LISTS_BY_SLUG["accounts"].candidates}
        typed = {
            t.subject for t in description.context if t.predicate == RDF.type and _is_in(t.object, account_classes)
        }
        typed |= {t.subject for t in description.parts if t.predicate == RDF.type and _is_in(t.object, account_classes)}
        linked = [t.object for t in description.own if t.object in typed]
        linked += [t.subject for t in description.incoming if t.subject in typed]
        unique = {term.value: term for term in linked if not isinstance(term, Triple)}
        return sorted((self.term(term) for term in unique.values()), key=self.sort_key)


def _is_in(term: NamedNode | BlankNode | Literal | Triple, values: set[str]) -> bool:
    """Whether the term's IRI (blank node id, literal text) is one of `values`; a quoted triple
    (RDF-star, which kg does not write) has none."""
    return not isinstance(term, Triple) and term.value in values


# The triples of parts by their subject's key (`term_key`), in the order their subjects first come.
Groups = dict[str, tuple[NamedNode | BlankNode, list[Triple]]]


def _group_parts(parts: list[Triple], shown: set[tuple[str, str, str]]) -> tuple[dict[str, None], Groups]:
    """Every part's key (in the order they first come), and the triples of parts the texts do
    not state (`shown`: (subject key, predicate IRI, object key)) grouped by part. One pass over
    a question's thousand part triples, each subject's key made once."""
    shown_subjects = {subject for subject, _, _ in shown}
    keys: dict[str, None] = {}
    grouped: Groups = {}
    for t in parts:
        subject = t.subject
        assert not isinstance(subject, Triple), "kg writes no quoted triples (RDF-star)"
        key = term_key(subject)
        keys[key] = None
        if key in shown_subjects and (key, t.predicate.value, term_key(t.object)) in shown:
            continue
        group = grouped.get(key)
        if group is None:
            group = grouped[key] = (subject, [])
        group[1].append(t)
    return keys, grouped


def _part_order(key: str) -> tuple[bool, tuple]:
    """Parts in natural order of their IRIs (2 before 10), blank nodes last."""
    return key.startswith("_:"), natural_key(key)


def _by_property(triples: list[Triple]) -> list[tuple[str, list[object]]]:
    """The objects of `triples` by property IRI, in IRI order, each property's objects in natural
    order (numbers inside compare as numbers); natural keys are made only where a property has
    more than one object."""
    grouped: dict[NamedNode, list[object]] = {}
    for t in triples:  # by the node: its IRI is made once per property, not once per triple
        grouped.setdefault(t.predicate, []).append(t.object)
    ordered = []
    for predicate, objects in sorted(((p.value, objects) for p, objects in grouped.items()), key=_first):
        if len(objects) > 1:
            objects.sort(key=lambda o: natural_key(term_key(o)))
        ordered.append((predicate, objects))
    return ordered


def _rank_and_text(label: tuple[int, str, Literal]) -> tuple[int, str]:
    return label[0], label[1]


def _first(pair: tuple[str, object]) -> str:
    return pair[0]


_PATH_SAFE = "/-._~!$&'()*+,;=:@?"
# What `quote(path, safe=_PATH_SAFE)` leaves as it is (ASCII letters and digits, `_.-~`, and those).
_PATH_KEPT = re.compile(r"[A-Za-z0-9_.~/!$&'()*+,;=:@?-]*")


def _quote_path(path: str) -> str:
    """A local path quoted for a link; most of kg's paths need no quoting, found by one match."""
    return path if _PATH_KEPT.fullmatch(path) else quote(path, safe=_PATH_SAFE)


def _anchor(iri: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", iri.rsplit("/id/", 1)[-1]).strip("-") or "resource"


# -- the stylesheet --------------------------------------------------------------------------------


@router.get("/static/kg.css", include_in_schema=False)
def stylesheet() -> Response:
    css = (STATIC_DIR / "kg.css").read_bytes()
    return Response(css, media_type="text/css; charset=utf-8", headers={"Cache-Control": "public, max-age=3600"})


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    """The site's icon (browsers ask for it on every first visit; a 404 is a console error)."""
    icon = (STATIC_DIR / "favicon.svg").read_bytes()
    return Response(icon, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


# -- home and lists --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassList:
    slug: str
    ui_key: str  # the interface word naming it
    candidates: tuple[str, ...]  # class IRIs, kg-relative ("kg:Question") or absolute, best first


LISTS: tuple[ClassList, ...] = (
    ClassList("questions", "list_questions", ("kg:Question",)),
    ClassList("people", "list_people", ("http://www.w3.org/ns/person#Person", "http://xmlns.com/foaf/0.1/Person")),
    ClassList("parties", "list_parties", ("kg:Party", "kg:PoliticalParty")),
    ClassList("offices", "list_offices", ("kg:Office", "http://www.w3.org/ns/org#Post")),
    ClassList("agencies", "list_agencies", ("kg:Agency", "kg:GovernmentAgency", "kg:PublicAgency")),
    ClassList(
        "accounts",
        "list_accounts",
        (
            "kg:Account",
            "kg:SocialMediaAccount",
            "http://rdfs.org/sioc/ns#UserAccount",
            "http://xmlns.com/foaf/0.1/OnlineAccount",
        ),
    ),
    ClassList("concepts", "list_concepts", ("http://www.w3.org/2004/02/skos/core#Concept",)),
)
LISTS_BY_SLUG = {entry.slug: entry for entry in LISTS}

_CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"""


def class_counts(ctx: KgContext) -> dict[str, int]:
    """Instances per class: counted once per state of the store (an operator update starts a
    new count), as every page of the home and the lists needs them."""
    return ctx.derived("class-counts", lambda c: kept(c, "class-counts", _count_classes, dict, _load_counts))


def _load_counts(data: dict[str, Any]) -> dict[str, int]:
    return {str(iri): int(n) for iri, n in data.items()}


def _count_classes(ctx: KgContext) -> dict[str, int]:
    return {
        row["class"].value: int(row["n"].value)
        for row in ctx.store.query(_CLASS_COUNTS)
        if isinstance(row["class"], NamedNode)
    }


def list_class(ctx: KgContext, entry: ClassList) -> str:
    """The class a list shows: the first candidate with instances (the first at all otherwise)."""
    counts = class_counts(ctx)
    resolved = [ctx.minter.ns_iri + c[3:] if c.startswith("kg:") else c for c in entry.candidates]
    return next((c for c in resolved if counts.get(c)), resolved[0])


# A list is a slice of its class's instances in order. The order is worked out once per class,
# sort and language (per state of the store) from two kinds of index lookups, instead of one
# query per page that groups and sorts every instance: that query took seconds at 10,000
# questions and grew with them.
_INSTANCES_WITH = "SELECT ?class ?p ?s ?o WHERE { ?s a ?class . ?s ?p ?o }"
# What a list sorts by date: a question's submission date, an answer's date.
DATE_PREDICATES: tuple[NamedNode, ...] = (DCT.dateSubmitted, DCT.date)


@dataclass(frozen=True)
class ClassData:
    """What the lists of one class sort by: each instance's labels and earliest date."""

    subjects: list[NamedNode]
    labels: dict[NamedNode, list[Literal]]
    dates: dict[NamedNode, Literal]


def class_data(ctx: KgContext, class_iri: str) -> ClassData:
    def compute(ctx: KgContext) -> ClassData:
        klass = NamedNode(class_iri)
        subjects = sorted(
            {t.subject for t in ctx.store.match(None, RDF.type, klass) if isinstance(t.subject, NamedNode)},
            key=lambda n: n.value,
        )
        labels: dict[NamedNode, list[Literal]] = {}
        dates: dict[NamedNode, Literal] = {}
        for predicate in (*LABEL_PREDICATES, *DATE_PREDICATES):
            rows = ctx.store.query(_INSTANCES_WITH, substitutions={Variable("class"): klass, Variable("p"): predicate})
            for row in rows:
                subject, value = row["s"], row["o"]
                if not isinstance(value, Literal) or not isinstance(subject, NamedNode):
                    continue
                if predicate in DATE_PREDICATES:
                    if value.datatype == XSD.date and (subject not in dates or value.value < dates[subject].value):
                        dates[subject] = value
                else:
                    labels.setdefault(subject, []).append(value)
        return ClassData(subjects, labels, dates)

    name = "class-data-" + file_name(class_iri)
    return ctx.derived("class-data " + class_iri, lambda c: kept(c, name, compute, _dump_class_data, _load_class_data))


def _dump_class_data(data: ClassData) -> dict[str, Any]:
    """Subjects as their IRIs; labels and dates by the subject's place in `subjects`, each
    literal as [value, language, datatype]."""
    place = {subject: number for number, subject in enumerate(data.subjects)}

    def literal(value: Literal) -> list[str | None]:
        return [value.value, value.language, value.datatype.value]

    return {
        "subjects": [s.value for s in data.subjects],
        "labels": [[place[s], [literal(v) for v in values]] for s, values in data.labels.items() if s in place],
        "dates": [[place[s], literal(v)] for s, v in data.dates.items() if s in place],
    }


def _load_class_data(data: dict[str, Any]) -> ClassData:
    subjects = [NamedNode(iri) for iri in data["subjects"]]

    def literal(item: list[str | None]) -> Literal:
        value, language, datatype = item
        if language:
            return Literal(str(value), language=language)
        return Literal(str(value), datatype=NamedNode(str(datatype)))

    labels = {subjects[n]: [literal(v) for v in values] for n, values in data["labels"]}
    dates = {subjects[n]: literal(v) for n, v in data["dates"]}
    return ClassData(subjects, labels, dates)


def class_order(ctx: KgContext, class_iri: str, sort: str, descending: bool, language: str) -> list[NamedNode]:
    """The instances of a class in list order: by date, or by label in the reader's language
    (a label in a language earlier in `language_order` wins, then the smallest lower-cased text);
    instances without one come first in ascending order, last in descending; ties by IRI."""

    def compute(ctx: KgContext) -> list[NamedNode]:
        data = class_data(ctx, class_iri)
        ranks = {tag: index for index, tag in enumerate(language_order(language))}

        def key(subject: NamedNode) -> tuple:
            if sort == "date":
                date = data.dates.get(subject)
                return (date is not None, date.value if date is not None else "")
            labels = data.labels.get(subject)
            if not labels:
                return (False, (0, ""))
            return (True, min((ranks.get((label.language or "").lower(), 9), label.value.lower()) for label in labels))

        ordered = list(data.subjects)  # by IRI: the tie-breaker, kept by the stable sort below
        ordered.sort(key=key, reverse=descending)
        return ordered

    return ctx.derived(f"class-order {class_iri} {sort} {'desc' if descending else 'asc'} {language}", compute)


def warm(ctx: KgContext) -> None:
    """What the home page needs (class counts, the questions by date, their facets), computed
    before anyone asks: on a large graph the first home page would otherwise wait seconds for it."""
    questions = list_class(ctx, LISTS_BY_SLUG["questions"])
    for language in LANGUAGES:
        class_order(ctx, questions, "date", True, language)
    question_facets(ctx)


@dataclass(frozen=True)
class ListItem:
    term: TermView
    date: TermView | None


def list_items(
    ctx: KgContext,
    class_iri: str,
    renderer: PageRenderer,
    *,
    sort: str,
    descending: bool,
    page: int,
    size: int = LIST_PAGE_SIZE,
) -> list[ListItem]:
    ordered = class_order(ctx, class_iri, sort, descending, renderer.language)
    subjects = ordered[(page - 1) * size : page * size]
    for triple in labels_and_types(ctx.store, subjects, description_cache(ctx)):
        renderer.add_label(triple)
    dates = class_data(ctx, class_iri).dates
    return [
        ListItem(renderer.term(subject), renderer.literal(dates[subject]) if subject in dates else None)
        for subject in subjects
    ]


class PageError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _choice(request: Request, name: str, allowed: tuple[str, ...]) -> str:
    value = request.query_params.get(name, allowed[0])
    if value not in allowed:
        raise PageError(400, f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 10**9:
        raise PageError(400, f"page must be a positive whole number, not {raw!r}")
    return int(raw)


def page_context(request: Request) -> dict[str, object]:
    """What base.html needs from a request: the reader's language, the interface's words in it,
    links to the page in other languages, the `lang` to carry in links; and `readable_bytes`."""
    language = reader_language(request)
    chosen = request.query_params.get("lang") == language
    return {
        "lang": language,
        "ui": ui_strings(language),
        "languages": language_links(request),
        "lang_query": f"lang={language}" if chosen else "",
        "readable_bytes": lambda size: readable_bytes(size, language),
    }


def _html(
    ctx: KgContext, request: Request, template: str, language: str, status: int = 200, **values: object
) -> Response:
    chosen = request.query_params.get("lang") == language
    html = ctx.templates.get_template(template).render(
        lang=language,
        ui=ui_strings(language),
        languages=language_links(request),
        lang_query=f"lang={language}" if chosen else "",
        **values,
    )
    return Response(
        html,
        status_code=status,
        media_type="text/html; charset=utf-8",
        headers={"Content-Language": language, "Vary": "Accept-Language"},
    )


def _sentence_case(label: str) -> str:
    """A property's label ("question text", by the vocabularies' custom) as a heading."""
    return label[:1].upper() + label[1:]


@router.get("/list/{slug}", include_in_schema=False)
async def class_list(slug: str, request: Request) -> Response:
    return await request.app.state.kg.render(class_list_page, slug, request, lane="lists")


def class_list_page(slug: str, request: Request) -> Response:
    ctx: KgContext = request.app.state.kg
    language = reader_language(request)
    entry = LISTS_BY_SLUG.get(slug)
    if entry is None:
        return _html(ctx, request, "not_found.html", language, 404, uri=str(request.url.path))
    questions = slug == "questions"
    try:
        sort = _choice(request, "sort", ("label", "date", "number") if questions else ("label", "date"))
        order = _choice(request, "order", ("asc", "desc"))
        page = _page_number(request)
        chosen = _facet_choices(request) if questions else {}
    except PageError as error:
        return Response(error.message + "\n", status_code=error.status, media_type="text/plain; charset=utf-8")
    class_iri = list_class(ctx, entry)
    renderer = PageRenderer(ctx, language)
    renderer.carry_language(request.query_params)
    base, ns = ctx.minter.base, ctx.minter.ns_iri
    facets_view: list[dict] = []
    rows: list[dict] = []
    if questions:
        facets = question_facets(ctx)
        wanted = {facet: facet_value(facet, raw, base, ns) for facet, raw in chosen.items()}
        if sort == "number":
            ordered = ctx.derived(
                f"question-number-order {order}",
                lambda ctx: sorted(
                    class_order(ctx, class_iri, "date", False, language),
                    key=lambda q: number_key(facets.identifiers.get(q.value, q.value.rsplit("/", 1)[-1])),
                    reverse=order == "desc",
                ),
            )
        else:
            ordered = class_order(ctx, class_iri, sort, order == "desc", language)
        selected = [q for q in ordered if matches(facets, q.value, wanted)] if wanted else ordered
        total = len(selected)
        if wanted:
            facets_view = _facet_options(ctx, renderer, facets, ordered, wanted, chosen)
        else:  # the unfiltered list's options: the same for every request in one language
            facets_view = ctx.derived(
                f"question-facet-options {language}",
                lambda ctx: _facet_options(ctx, renderer, facets, ordered, wanted, chosen),
            )
    else:
        total = class_counts(ctx).get(class_iri, 0)
    last = max(1, -(-total // LIST_PAGE_SIZE))
    if page > last and total:
        return _html(ctx, request, "not_found.html", language, 404, uri=str(request.url))
    if questions:
        subjects = selected[(page - 1) * LIST_PAGE_SIZE : page * LIST_PAGE_SIZE]
        rows = _question_rows(ctx, renderer, subjects, facets)
        items: list[ListItem] = []
    else:
        items = list_items(ctx, class_iri, renderer, sort=sort, descending=order == "desc", page=page)

    def href(**changes: object) -> str:
        params = {**chosen, "sort": sort, "order": order, "page": page, **changes}
        return renderer._with_language(f"/list/{slug}?" + urlencode({k: v for k, v in params.items() if v != ""}))

    sorts = ("label", "date", "number") if questions else ("label", "date")
    return _html(
        ctx,
        request,
        "list.html",
        language,
        slug=slug,
        entry=entry,
        items=items,
        rows=rows,
        facets=facets_view,
        chosen=chosen,
        total=total,
        class_term=renderer.term(NamedNode(class_iri)),
        sort=sort,
        order=order,
        sorts=sorts,
        paging={
            "page": page,
            "last": last,
            "first": href(page=1),
            "previous": href(page=page - 1) if page > 1 else None,
            "next": href(page=page + 1) if page < last else None,
            "last_href": href(page=last),
        },
        sort_links={(s, o): href(sort=s, order=o, page=1) for s in sorts for o in ("asc", "desc")},
        clear_href=renderer._with_language(f"/list/{slug}?" + urlencode({"sort": sort, "order": order})),
    )


_FACET_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~/-]{0,200}")
STATUS_NAMES = ANSWER_STATUSES


def _facet_choices(request: Request) -> dict[str, str]:
    """The facet values a list request asks for, checked (a bad one is a 400 naming it)."""
    chosen = {}
    for facet in FACETS:
        raw = request.query_params.get(facet, "").strip()
        if not raw:
            continue
        if facet == "year" and not (raw.isdigit() and len(raw) == 4):
            raise PageError(400, f"year must be four digits, not {raw!r}")
        if facet == "status" and raw not in STATUS_NAMES:
            raise PageError(400, f"status must be one of {', '.join(STATUS_NAMES)}, not {raw!r}")
        if not _FACET_VALUE.fullmatch(raw) or ".." in raw:
            raise PageError(400, f"{facet} is not a valid identifier: {raw!r}")
        chosen[facet] = raw
    return chosen


def _facet_options(
    ctx: KgContext,
    renderer: PageRenderer,
    facets: QuestionFacets,
    ordered: list[NamedNode],
    wanted: dict[str, str],
    chosen: dict[str, str],
) -> list[dict]:
    """Each facet's values with how many questions have them among those the other facets keep."""
    base, ns = ctx.minter.base, ctx.minter.ns_iri
    words = stats_strings(renderer.language)
    # One pass: a question every chosen value matches counts for every facet; one that misses
    # exactly one chosen facet counts for that facet only (what choosing another value would keep).
    tallies: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
    for question in ordered:
        values = facets.values.get(question.value, {})
        missed = [f for f, v in wanted.items() if v not in values.get(f, ())]
        if len(missed) > 1:
            continue
        for facet in missed or FACETS:
            tally = tallies[facet]
            for value in values.get(facet, ()):
                tally[value] = tally.get(value, 0) + 1
    views = []
    for facet in FACETS:
        found = tallies[facet]
        if facet not in ("year", "status"):
            renderer._labels_for([NamedNode(v) for v in found])
        options = []
        for value, count in found.items():
            if facet == "year":
                label = value
            elif facet == "status":
                label = words.get("status_" + url_value(facet, value, base, ns), url_value(facet, value, base, ns))
            else:
                label = renderer.label(value)
            options.append({"value": url_value(facet, value, base, ns), "label": label, "count": count})
        options = ordered_options(facet, options)
        views.append({"name": facet, "options": options, "selected": chosen.get(facet, "")})
    return views


def ordered_options(facet: str, options: list[dict]) -> list[dict]:
    """A facet's options as listed: years newest first, the others by label, and labels that tie
    (two offices named alike) by value, so the page is the same whatever Python's hash seed."""
    if facet == "year":
        return sorted(options, key=lambda o: str(o["value"]), reverse=True)
    return sorted(options, key=lambda o: (natural_key(str(o["label"])), str(o["value"])))


def _question_rows(
    ctx: KgContext, renderer: PageRenderer, subjects: list[NamedNode], facets: QuestionFacets
) -> list[dict]:
    """What tells two questions apart: number, title, addressee, date, status."""
    ns = ctx.minter.ns_iri
    words = stats_strings(renderer.language)
    titles: dict[str, list[Literal]] = {}
    for triple in labels_and_types(ctx.store, subjects, description_cache(ctx)):
        renderer.add_label(triple)
        if triple.predicate == DCT.title and isinstance(triple.object, Literal):
            titles.setdefault(term_key(triple.subject), []).append(triple.object)
    offices = [NamedNode(o) for q in subjects for o in sorted(facets.of(q.value, "office"))]
    addressees = [NamedNode(facets.addressees[q.value]) for q in subjects if q.value in facets.addressees]
    renderer._labels_for(offices + addressees)
    rows = []
    for question in subjects:
        key = question.value
        status = next(iter(sorted(facets.of(key, "status"))), "")
        status_name = status[len(ns) :] if status.startswith(ns) else ""
        date_text = facets.dates.get(key)
        rows.append(
            {
                "question": renderer.term(question),
                "identifier": facets.identifiers.get(key, key.rsplit("/", 1)[-1]),
                "title": best_literal(titles.get(key, []), renderer.language),
                "offices": [renderer.term(NamedNode(o)) for o in sorted(facets.of(key, "office"))],
                "addressee": renderer.term(NamedNode(facets.addressees[key])) if key in facets.addressees else None,
                "date": renderer.literal(Literal(date_text, datatype=XSD.date)) if date_text else None,
                "status_key": status_name,
                "status": words.get("status_" + status_name, words["unknown"]),
            }
        )
    return rows


@dataclass(frozen=True)
class ExampleQuery:
    name: str
    description: str
    href: str


def example_queries() -> list[ExampleQuery]:
    """`queries/*.rq`, each described by its leading `#` comment lines (not the `#+` directives)."""
    examples = []
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        description = describe(text) or path.stem
        examples.append(ExampleQuery(path.stem, description, "/sparql?" + urlencode({"query": text})))
    return examples


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    return await request.app.state.kg.render(home_page, request, lane="lists")


def home_page(request: Request) -> Response:
    ctx: KgContext = request.app.state.kg
    language = reader_language(request)
    renderer = PageRenderer(ctx, language)
    renderer.carry_language(request.query_params)
    counts = class_counts(ctx)
    lists = []
    for entry in LISTS:
        class_iri = list_class(ctx, entry)
        lists.append((entry, counts.get(class_iri, 0)))
    classes = sorted(
        ((renderer.term(NamedNode(iri)), n) for iri, n in counts.items()),
        key=lambda pair: (-pair[1], pair[0].text.lower()),
    )
    question_class = list_class(ctx, LISTS_BY_SLUG["questions"])
    latest = list_items(ctx, question_class, renderer, sort="date", descending=True, page=1, size=10)
    # what tells two questions with the same title and date apart: number, office, status
    facets = question_facets(ctx)
    details = _question_rows(ctx, renderer, [NamedNode(item.term.iri or "") for item in latest], facets)
    return _html(
        ctx,
        request,
        "home.html",
        language,
        lists=lists,
        classes=classes,
        latest=list(zip(latest, details, strict=True)),
        examples=example_queries(),
        triples=ctx.store.triple_count(),
    )
