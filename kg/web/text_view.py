"""A question's and an answer's texts as a page shows them: every language kg holds (the reader's
open, the others a click away, no JavaScript), paragraphs in order with their numbered part,
the sentences the extracted facts come from marked in place, URLs and handles clickable.

Each paragraph carries its `rdf:value` as RDFa: the texts are where the page states them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from html import escape

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.rdf.vocab import OA, RDF

# A web address, or a handle (@name) not inside an e-mail address.
_LINKABLE = re.compile(r"(?P<url>https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]])|(?<![\w@.])@(?P<handle>[A-Za-z0-9_]{2,30})\b")
# What every address or handle above holds (a quick test before looking for them).
_MAY_LINK = re.compile(r"http|@|www\.", re.I)
_WWW = re.compile(r"(?<![\w/.])(?P<www>www\.[a-z0-9-]+(\.[a-z0-9-]+)+(/[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?)", re.I)


def escaped(text: str) -> str:
    """HTML-escaped text (quotes too: values go into attributes). IRIs and labels recur across
    a page and across pages, so short strings are remembered."""
    return _escape_short(text) if len(text) < 256 else escape(text, quote=True)


@lru_cache(maxsize=65536)
def _escape_short(text: str) -> str:
    return escape(text, quote=True)


_e = escaped


def linkify(text: str) -> str:
    """Text as HTML, escaped, with web addresses and @handles made links (a handle to its search
    on X/Twitter, where the Senate's answers cite them). Nothing else becomes markup."""
    if not _MAY_LINK.search(text):  # most sentences: no address to look for
        return _e(text)
    out: list[str] = []
    position = 0
    spans: list[tuple[int, int, str]] = []
    for match in _LINKABLE.finditer(text):
        if match.group("url"):
            spans.append((match.start(), match.end(), match.group("url")))
        else:
            spans.append((match.start(), match.end(), "https://x.com/" + match.group("handle")))
    for match in _WWW.finditer(text):
        if not any(start <= match.start() < end for start, end, _ in spans):
            spans.append((match.start(), match.end(), "https://" + match.group("www")))
    for start, end, href in sorted(spans):
        if start < position:
            continue
        out.append(_e(text[position:start]))
        out.append(f'<a class="ext" href="{_e(href)}" rel="nofollow">{_e(text[start:end])}</a>')
        position = end
    out.append(_e(text[position:]))
    return "".join(out)


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    anchor: str
    attributes: str = ""  # RDFa attributes of the <mark>, escaped
    hidden: str = ""  # RDFa statements about the marked span, as empty elements


def marked(text: str, marks: list[Mark]) -> tuple[str, list[Mark]]:
    """Text as HTML with each mark's span in a <mark id=anchor>, links inside and outside the marks
    made clickable; and the marks placed. Marks of the same span nest (each one's text is the
    span's); a mark overlapping another span is left out."""
    out: list[str] = []
    placed: list[Mark] = []
    position = 0
    spans: dict[tuple[int, int], list[Mark]] = {}
    for mark in marks:
        spans.setdefault((mark.start, mark.end), []).append(mark)
    for (start, end), same in sorted(spans.items()):
        if start < position or end <= start:
            continue
        same.sort(key=lambda m: m.anchor)
        opening = "".join(f'<mark id="{_e(m.anchor)}"{m.attributes}>' for m in same)
        closing = "".join(f"{m.hidden}</mark>" for m in reversed(same))
        out.append(linkify(text[position:start]))
        out.append(f"{opening}{linkify(text[start:end])}{closing}")
        placed.extend(same)
        position = end
    out.append(linkify(text[position:]))
    return "".join(out), placed


def hidden_statement(predicate: str, term: object, ref: Callable[[str], str]) -> str:
    """One statement as an empty element carrying it in RDFa (`predicate` as RDFa writes it):
    <meta> for a literal, <link> for a resource, as HTML+RDFa allows in the body."""
    if isinstance(term, Literal):
        if term.language:
            extra = f' lang="{_e(term.language)}"'
        elif term.datatype.value == XSD_STRING:
            extra = ' lang=""'
        else:
            extra = f' datatype="{_e(ref(term.datatype.value))}"'
        return f'<meta property="{_e(predicate)}" content="{_e(term.value)}"{extra}>'
    target = term_key(term)
    return f'<link property="{_e(predicate)}" resource="{_e(target if target.startswith("_:") else ref(target))}">'


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass
class Paragraph:
    about: str  # the paragraph's IRI as RDFa writes it
    html: str  # the text, escaped, marks and links in place
    part: str | None
    language: str
    typeof: str = ""  # its types, as RDFa writes them
    position: str | None = None  # its kg:position


@dataclass
class Version:
    language: str
    about: str = ""  # the text's IRI as RDFa writes it
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class TextRole:
    """The question, or the answer: its versions, the reader's best first."""

    heading: str
    key: str  # "question" or "answer"
    versions: list[Version] = field(default_factory=list)


@dataclass
class Evidence:
    anchor: str
    fact: NamedNode | BlankNode
    quote: str
    key: str = ""  # the span's IRI or blank node id
    placed: bool = False  # marked in the text


def term_key(term: object) -> str:
    """A term as a dictionary key: an IRI or a literal's text, `_:id` for a blank node."""
    kind = type(term)
    if kind is NamedNode or kind is Literal:  # most terms: no attribute lookup with a default
        return term.value  # type: ignore[attr-defined]
    if kind is BlankNode:
        return "_:" + term.value  # type: ignore[attr-defined]
    return getattr(term, "value", str(term))


def text_roles(
    triples: list[Triple], ns: str, order: dict[str, int], ref: Callable[[str], str], heading: Callable[[str], str]
) -> tuple[list[TextRole], list[Evidence], set[tuple[str, str, str]]]:
    """The texts stated by `triples` (a description's own triples and parts), the evidence spans
    marked in them, and the statements the texts carry as RDFa (each paragraph's value, types and
    position, each text's paragraphs: they need no other place on the page), as (subject key,
    predicate IRI, object key)."""
    # One pass over the triples (a question's parts are a thousand): triples by subject, and the
    # links to texts and evidence in their order. Objects by property are sorted out only for
    # the subjects asked about (reading every triple's property IRI costs more than all the rest).
    span_triples: dict[str, list[Triple]] = {}
    text_links: dict[tuple[str, str], list[object]] = {}  # (holder, property) -> texts
    evidence_links: list[Triple] = []
    evidence_iri = ns + "evidence"
    text_roles_by_property = {ns + "questionText": "question", ns + "answerText": "answer"}
    linking = frozenset(NamedNode(iri) for iri in (evidence_iri, *text_roles_by_property))
    for t in triples:
        subject = term_key(t.subject)
        span_triples.setdefault(subject, []).append(t)
        if t.predicate in linking:
            predicate = t.predicate.value
            if predicate == evidence_iri:
                evidence_links.append(t)
            else:
                text_links.setdefault((subject, predicate), []).append(t.object)
    by_property: dict[str, dict[str, list[object]]] = {}

    def objects(subject: str, predicate: str) -> list[object]:
        found = by_property.get(subject)
        if found is None:
            found = by_property[subject] = {}
            for t in span_triples.get(subject, ()):
                found.setdefault(t.predicate.value, []).append(t.object)
        return found.get(predicate, [])

    def first_literal(subject: str, predicate: str) -> Literal | None:
        return next((o for o in objects(subject, predicate) if isinstance(o, Literal)), None)

    def paragraphs_of(text: str) -> list[tuple[str, Literal, str | None]]:
        part_label: dict[str, str] = {}
        for part in objects(text, ns + "part"):
            label = first_literal(term_key(part), ns + "partLabel")
            for paragraph in objects(term_key(part), ns + "paragraph"):
                part_label[term_key(paragraph)] = label.value if label is not None else ""
        found = []
        for paragraph in objects(text, ns + "paragraph"):
            key = term_key(paragraph)
            value = first_literal(key, RDF.value.value)
            position = first_literal(key, ns + "position")
            if value is None:
                continue
            order_key = int(position.value) if position is not None and position.value.isdigit() else 0
            found.append((order_key, key, value, part_label.get(key)))
        found.sort(key=lambda item: (item[0], item[1]))
        return [(key, value, part) for _, key, value, part in found]

    # holder (question or answer) -> role, texts
    roles: dict[str, tuple[str, list[str]]] = {}
    for (subject, predicate), values in text_links.items():
        roles.setdefault(subject, (text_roles_by_property[predicate], []))[1].extend(term_key(v) for v in values)

    # evidence spans: (text holder, language) -> [(source paragraph, start, end, quote, mark)]. A span
    # is an oa:SpecificResource of its paragraph (oa:hasSource) with a quote selector (oa:exact) and
    # a position selector (oa:start, oa:end); the mark states the quote selector.
    spans: dict[tuple[str, str], list[tuple[str, int, int, str, Mark]]] = {}
    evidence: list[Evidence] = []

    def selector(span: str, kind: str) -> str | None:
        for chosen in objects(span, OA.hasSelector.value):
            if OA[kind] in objects(term_key(chosen), RDF.type.value):
                return term_key(chosen)
        return None

    for t in evidence_links:
        key = term_key(t.object)
        quoting, placing = selector(key, "TextQuoteSelector"), selector(key, "TextPositionSelector")
        quote = first_literal(quoting, OA.exact.value) if quoting is not None else None
        holder = next(iter(objects(key, ns + "inText")), None)
        if quote is None or holder is None or quoting is None:
            continue
        source = next(iter(objects(key, OA.hasSource.value)), None)
        numbers = [first_literal(placing, OA[name].value) if placing else None for name in ("start", "end")]
        start, end = (int(n.value) if n is not None and n.value.isdigit() else -1 for n in numbers)
        anchor = "ev-" + str(len(evidence) + 1)
        assert not isinstance(t.subject, Triple)
        evidence.append(Evidence(anchor, t.subject, quote.value, quoting))
        # The mark states the quote selector: its quote is the marked text, its other statements hidden.
        own = span_triples.get(quoting, [])
        span_types = " ".join(sorted(ref(term_key(u.object)) for u in own if u.predicate == RDF.type))
        about = quoting if quoting.startswith("_:") else ref(quoting)
        attributes = f' about="{_e(about)}"' + (f' typeof="{_e(span_types)}"' if span_types else "")
        attributes += f' property="{_e(ref(OA.exact.value))}"' + (
            f' lang="{_e(quote.language)}"' if quote.language else ' lang=""'
        )
        hidden = "".join(
            hidden_statement(ref(u.predicate.value), u.object, ref)
            for u in own
            if u.predicate != RDF.type and not (u.predicate.value == OA.exact.value and u.object == quote)
        )
        mark = Mark(0, 0, anchor, attributes, hidden)
        paragraph = term_key(source) if source is not None else ""
        spans.setdefault((term_key(holder), quote.language or ""), []).append(
            (paragraph, start, end, quote.value, mark)
        )

    shown: set[tuple[str, str, str]] = set()
    result: list[TextRole] = []
    by_anchor = {e.anchor: e for e in evidence}
    for holder, (role, texts) in sorted(roles.items(), key=lambda item: item[1][0] != "question"):
        entry = TextRole(heading(role), role)
        for text in texts:
            paragraphs = paragraphs_of(text)
            if not paragraphs:
                continue
            language = paragraphs[0][1].language or ""
            version = Version(language, ref(text) if not text.startswith("_:") else text)
            marks: dict[int, list[Mark]] = {}
            places: dict[str, int] = {}  # paragraph key -> its place
            for place, (key, _, _) in enumerate(paragraphs):
                places.setdefault(key, place)
            for source, start, end, quoted, mark in spans.get((holder, language), []):
                where = _locate(paragraphs, places.get(source, -1), start, end, quoted)
                if where is not None:
                    marks.setdefault(where[0], []).append(replace(mark, start=where[1], end=where[2]))
            for number, (key, value, part) in enumerate(paragraphs):
                types: list[str] = [term_key(o) for o in objects(key, RDF.type.value) if isinstance(o, NamedNode)]
                position = first_literal(key, ns + "position")
                shown.add((text, ns + "paragraph", key))
                shown.add((key, RDF.value.value, term_key(value)))
                shown.update((key, RDF.type.value, t) for t in types)
                if position is not None and position.datatype.value.endswith("#integer"):
                    shown.add((key, ns + "position", position.value))
                else:
                    position = None
                html, placed = marked(value.value, marks.get(number, []))
                for mark in placed:
                    span = by_anchor[mark.anchor]
                    span.placed = True
                    shown.update(
                        (term_key(u.subject), u.predicate.value, term_key(u.object))
                        for u in span_triples.get(span.key, [])
                    )
                version.paragraphs.append(
                    Paragraph(
                        ref(key) if not key.startswith("_:") else key,
                        html,
                        part,
                        language,
                        " ".join(sorted(ref(t) for t in types)),
                        position.value if position is not None else None,
                    )
                )
            entry.versions.append(version)
        entry.versions.sort(key=lambda v: (order.get(v.language, 9), v.language))
        if entry.versions:
            result.append(entry)
    return result, evidence, shown


def _locate(
    paragraphs: list[tuple[str, Literal, str | None]], index: int, start: int, end: int, quote: str
) -> tuple[int, int, int] | None:
    """Where a quoted sentence is: at its recorded paragraph and offsets when they hold it, else
    the first place its text occurs (offsets may count from another rendering of the text)."""
    if 0 <= index < len(paragraphs) and paragraphs[index][1].value[start:end] == quote:
        return index, start, end
    for number, (_, value, _) in enumerate(paragraphs):
        found = value.value.find(quote)
        if found >= 0:
            return number, found, found + len(quote)
    return None
