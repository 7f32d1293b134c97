"""HTML browsing: the home page, a paged and sortable list per class, the stylesheet, and the
presentation of RDF terms every page shares (labels in the reader's language, local links,
readable dates).

Pages carry their facts as attributes too (`about`, `property`, `resource`, `content`, as in
RDFa), so what a page shows can be checked against the RDF it was rendered from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from html import escape as html_escape
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup
from pyoxigraph import BlankNode, Literal, NamedNode, Triple, Variable

from kg.paths import QUERIES_DIR
from kg.queries.header import describe
from kg.rdf.vocab import DCT, FOAF, KG_ONTOLOGY, RDF, RDFS, SCHEMA, SKOS, XSD, prefixes
from kg.web.context import KgContext
from kg.web.describe import (
    LABEL_PREDICATES,
    Description,
    DescriptionCache,
    labels_and_types,
    vocabulary_labels,
)
from kg.web.i18n import LANGUAGES, best_label, format_date, language_order, local_name, negotiate_language, ui_strings

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
_PLAIN = {XSD.string.value, RDF.langString.value}
_NATURAL = re.compile(r"(\d+)")


def description_cache(ctx: KgContext) -> DescriptionCache:
    """The labels, types and counts descriptions share, kept while the store is unchanged."""
    return ctx.derived("description-cache", lambda _: DescriptionCache())


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
    iri: str | None = None  # the IRI, or "_:id" for a blank node (the `resource` attribute)
    href: str | None = None
    lexical: str | None = None  # a literal's value (the `content` attribute)
    language: str | None = None
    datatype: str | None = None  # None for plain strings
    when: str | None = None  # ISO date for <time datetime=...>

    @property
    def is_literal(self) -> bool:
        return self.lexical is not None

    def html(self, predicate: str | None = None) -> Markup:
        """The term as HTML, its fact in attributes (`property` when a predicate is given)."""
        return Markup(self._html(predicate))

    def _html(self, predicate: str | None = None) -> str:
        # Written here rather than as template macros: a question page shows a thousand values,
        # and a macro call costs ten times this. Every value is escaped.
        prop = f' property="{_e(predicate)}"' if predicate else ""
        text = _e(self.text)
        if self.lexical is not None:
            lang = f' lang="{_e(self.language)}"' if self.language else ""
            datatype = f' datatype="{_e(self.datatype)}"' if self.datatype else ""
            if self.when:
                text = f'<time datetime="{_e(self.when)}">{text}</time>'
            tag = f' <small class="tag">{_e(self.language)}</small>' if self.language else ""
            return f'<span class="literal"{prop} content="{_e(self.lexical)}"{lang}{datatype}>{text}</span>{tag}'
        if self.href:
            return f'<a{prop} resource="{_e(self.iri or "")}" href="{_e(self.href)}">{text}</a>'
        return f'<span{prop} resource="{_e(self.iri or "")}">{text}</span>'

    def predicate_html(self) -> str:
        """The term as the name of a property (a row heading)."""
        if self.href:
            return f'<a class="property" href="{_e(self.href)}" title="{_e(self.iri or "")}">{_e(self.text)}</a>'
        return f'<span class="property" title="{_e(self.iri or "")}">{_e(self.text)}</span>'


def _e(text: str) -> str:
    """HTML-escaped text (quotes too: values go into attributes). IRIs and labels recur across
    a page and across pages, so short strings are remembered."""
    return _escape_short(text) if len(text) < 256 else html_escape(text, quote=True)


@lru_cache(maxsize=65536)
def _escape_short(text: str) -> str:
    return html_escape(text, quote=True)


_TYPE = RDF.type
_RDF_TYPE = RDF.type.value
_XSD_DATE = XSD.date.value
_XSD_DATE_TIME = XSD.dateTime.value


def types_html(types: list[TermView]) -> Markup:
    if not types:
        return Markup("")
    spans = "".join(f'<span class="type">{t._html(_RDF_TYPE)}</span>' for t in types)
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
        iri = row.predicate.iri
        values = "".join(f'<div class="value">{v._html(iri)}</div>' for v in row.values)
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
            f'<section class="block" id="{_e(self.anchor)}" about="{_e(self.subject.iri or "")}">\n'
            f"<h3>{self.subject._html()}</h3>\n{types_html(self.types)}\n{rows_html(self.rows)}\n"
            f"</section>"
        )


class PageRenderer:
    """Turns triples into what a page shows, in one reader's language."""

    def __init__(self, ctx: KgContext, language: str, triples: list[Triple] | None = None):
        self.base = ctx.minter.base
        self.ns = ctx.minter.ns_iri
        self.language = language
        self.order = {tag: i for i, tag in enumerate(language_order(language))}
        self.vocabulary = vocabulary_labels(ctx.store, description_cache(ctx))
        self.prefixes = prefixes(ctx.minter.ns_iri)
        self._labels: dict[str, list[tuple[int, str, Literal]]] = {}
        self.labels: dict[str, list[Literal]] = {}
        self._shown: dict[str, str] = {}  # label() per IRI, for this page
        self._hrefs: dict[str, str | None] = {}
        for triple in triples or ():
            self.add_label(triple)

    def add_label(self, triple: Triple) -> None:
        """Keep a label triple; a title beats a name beats an rdfs:label within one language."""
        rank = _LABEL_RANK.get(triple.predicate.value)
        if rank is None or not isinstance(triple.object, Literal):
            return
        key = _key(triple.subject)
        ranked = self._labels.setdefault(key, [])
        ranked.append((rank, triple.object.value, triple.object))
        ranked.sort(key=lambda item: item[:2])
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
            return "/ns/kg#" + quote(iri[len(self.ns) :], safe="-._~")
        if iri == KG_ONTOLOGY:
            return "/ns/kg"
        if iri.startswith(self.base):
            rest = iri[len(self.base) :]
            if rest.startswith("id/"):
                rest = "doc/" + rest[3:]
            path, hash_, fragment = rest.partition("#")
            return "/" + quote(path, safe="/-._~!$&'()*+,;=:@?") + hash_ + quote(fragment, safe="-._~")
        if iri.startswith(("http://", "https://")):
            return iri
        return None

    def label(self, iri: str) -> str:
        shown = self._shown.get(iri)
        if shown is None:
            literals = self.labels.get(iri) or self.vocabulary.get(iri) or []
            if literals:
                shown = best_label(literals, self.language, iri)
            else:
                shown = self.curie(iri) or local_name(iri)
            self._shown[iri] = shown
        return shown

    def curie(self, iri: str) -> str | None:
        """`dct:title` for a reused vocabulary's term without a label of its own."""
        for name, namespace in self.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace) and name != "kg":
                return f"{name}:{iri[len(namespace) :]}"
        return None

    # terms ---------------------------------------------------------------------------------------
    def term(self, term: object) -> TermView:
        if isinstance(term, NamedNode):
            return TermView(self.label(term.value), iri=term.value, href=self.href(term.value))
        if isinstance(term, BlankNode):
            label = best_label(self.labels.get(_key(term), []), self.language) or "…"
            return TermView(label, iri="_:" + term.value, href="#b-" + term.value)
        if isinstance(term, Literal):
            return self.literal(term)
        return TermView(str(term))

    def literal(self, literal: Literal) -> TermView:
        datatype = literal.datatype.value
        view = TermView(
            literal.value,
            lexical=literal.value,
            language=literal.language,
            datatype=None if datatype in _PLAIN else datatype,
        )
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
        return TermView(self.label(iri), iri=iri, href=self.href(iri))

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

    def description_page(self, description: Description) -> dict:
        """Everything resource.html shows, from one description."""
        node = NamedNode(description.uri)
        main = self.block(node, description.own)
        incoming = [(self.term(t.subject), self.predicate(t.predicate.value)) for t in description.incoming]
        paging = description.paging

        def page_href(number: int) -> str:
            return f"?page={number}" if number > 1 else "?"

        return {
            "texts": self.texts(description),
            "accounts": self.accounts(description),
            "uri": description.uri,
            "title": self.label(description.uri),
            "main": main,
            "parts": self.blocks(description.parts),
            "incoming": incoming,
            "incoming_total": paging.total,
            "linked": self.blocks(description.context),
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

    def texts(self, description: Description) -> list[dict]:
        """The question and answer texts, each in the reader's best language, paragraphs in
        order (kg:position) and marked with their numbered part."""
        ns = self.ns
        triples = description.own + description.parts
        objects: dict[tuple[str, str], list] = {}
        for t in triples:
            objects.setdefault((_key(t.subject), t.predicate.value), []).append(t.object)

        def first_literal(subject: str, predicate: str) -> Literal | None:
            return next((o for o in objects.get((subject, predicate), []) if isinstance(o, Literal)), None)

        text_class = NamedNode(ns + "Text")
        pointing_at: dict[object, str] = {}  # a text -> the first property pointing at it
        for u in triples:
            pointing_at.setdefault(u.object, u.predicate.value)
        roles: dict[str, list[dict]] = {}
        for t in triples:
            if t.object == text_class and t.predicate == _TYPE:
                pointing = pointing_at.get(t.subject, "")
                text = _key(t.subject)
                part_label = {}
                for part in objects.get((text, ns + "part"), []):
                    label = first_literal(_key(part), ns + "partLabel")
                    for paragraph in objects.get((_key(part), ns + "paragraph"), []):
                        part_label[_key(paragraph)] = label.value if label is not None else ""
                paragraphs = []
                for paragraph in objects.get((text, ns + "paragraph"), []):
                    value = first_literal(_key(paragraph), RDF.value.value)
                    position = first_literal(_key(paragraph), ns + "position")
                    if value is None:
                        continue
                    order = int(position.value) if position is not None and position.value.isdigit() else 0
                    paragraphs.append(
                        (
                            order,
                            {
                                "text": value.value,
                                "part": part_label.get(_key(paragraph)),
                                "language": value.language or "",
                            },
                        )
                    )
                paragraphs.sort(key=lambda item: item[0])
                language = paragraphs[0][1]["language"] if paragraphs else ""
                roles.setdefault(pointing, []).append(
                    {
                        "heading": _sentence_case(self.label(pointing)) if pointing else "",
                        "language": language,
                        "paragraphs": [p for _, p in paragraphs],
                    }
                )
        chosen = []
        for pointing in sorted(roles, key=lambda p: (p != ns + "questionText", p)):
            versions = sorted(roles[pointing], key=lambda v: self.order.get(v["language"], 9))
            chosen.append(versions[0])
        return chosen

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


def _key(term: object) -> str:
    if isinstance(term, BlankNode):
        return "_:" + term.value
    return getattr(term, "value", str(term))


def _anchor(iri: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", iri.rsplit("/id/", 1)[-1]).strip("-") or "resource"


# -- the stylesheet --------------------------------------------------------------------------------


@router.get("/static/kg.css", include_in_schema=False)
def stylesheet() -> Response:
    css = (STATIC_DIR / "kg.css").read_bytes()
    return Response(css, media_type="text/css; charset=utf-8", headers={"Cache-Control": "public, max-age=3600"})


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
    return ctx.derived("class-counts", _count_classes)


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

    return ctx.derived("class-data " + class_iri, compute)


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
    """What the home page needs (class counts, the questions by date), computed before anyone
    asks: on a large graph the first home page would otherwise wait seconds for it."""
    questions = list_class(ctx, LISTS_BY_SLUG["questions"])
    for language in LANGUAGES:
        class_order(ctx, questions, "date", True, language)


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


def _html(
    ctx: KgContext, request: Request, template: str, language: str, status: int = 200, **values: object
) -> Response:
    html = ctx.templates.get_template(template).render(
        lang=language, ui=ui_strings(language), languages=language_links(request), **values
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
    try:
        sort = _choice(request, "sort", ("label", "date"))
        order = _choice(request, "order", ("asc", "desc"))
        page = _page_number(request)
    except PageError as error:
        return Response(error.message + "\n", status_code=error.status, media_type="text/plain; charset=utf-8")
    class_iri = list_class(ctx, entry)
    total = class_counts(ctx).get(class_iri, 0)
    last = max(1, -(-total // LIST_PAGE_SIZE))
    if page > last:
        return _html(ctx, request, "not_found.html", language, 404, uri=str(request.url))
    renderer = PageRenderer(ctx, language)
    items = list_items(ctx, class_iri, renderer, sort=sort, descending=order == "desc", page=page)

    def href(**changes: object) -> str:
        params = {"sort": sort, "order": order, "page": page, **changes}
        return f"/list/{slug}?" + urlencode(params)

    return _html(
        ctx,
        request,
        "list.html",
        language,
        slug=slug,
        entry=entry,
        items=items,
        total=total,
        class_term=renderer.term(NamedNode(class_iri)),
        sort=sort,
        order=order,
        paging={
            "page": page,
            "last": last,
            "first": href(page=1),
            "previous": href(page=page - 1) if page > 1 else None,
            "next": href(page=page + 1) if page < last else None,
            "last_href": href(page=last),
        },
        sort_links={(s, o): href(sort=s, order=o, page=1) for s in ("label", "date") for o in ("asc", "desc")},
    )


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
    return _html(
        ctx,
        request,
        "home.html",
        language,
        lists=lists,
        classes=classes,
        latest=latest,
        examples=example_queries(),
        triples=ctx.store.triple_count(),
    )
