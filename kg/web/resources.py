"""Dereferenceable URIs: `/id/...` things answer 303 to `/doc/...` documents, which describe them
in HTML or RDF by content negotiation; `/ns/kg` documents the vocabulary.

Request paths are mapped onto the configured base URI, so `http://127.0.0.1:PORT/id/x` is
`{base}id/x` whatever host the server answers on; pages keep canonical URIs in the data and use
local paths only for their links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pyoxigraph import Literal, NamedNode, Triple, Variable

from kg.rdf.vocab import OWL, RDF, RDFS, prefixes
from kg.stores.prepared import PreparedGraph
from kg.web import rdf_formats
from kg.web.conneg import negotiate
from kg.web.context import KgContext
from kg.web.describe import PAGE_SIZE, Description, Lru, describe
from kg.web.document_pack import accepts_gzip, is_packed, packed_body
from kg.web.i18n import best_literal, negotiate_language, ui_strings
from kg.web.pages import PageRenderer, description_cache, language_links, reader_language
from kg.web.rdf_formats import HTML, OFFERED, Format
from kg.web.stats import answer_times_of
from kg.web.validators import conditions_of, dataset_state, target_of, validated

router = APIRouter()

_EXISTS = "ASK { { ?s ?p ?o } UNION { ?o ?p ?s } }"
_S = Variable("s")


class BadRequest(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def context(request: Request) -> KgContext:
    return request.app.state.kg


def choose_format(request: Request, suffix: Format | None) -> Format | None:
    """The format a request asks for: the URL suffix, then `?format=`, then Accept; None when the
    client accepts none of them. An unknown `?format=` is a bad request."""
    if suffix is not None:
        return suffix
    name = request.query_params.get("format")
    if name is not None:
        fmt = rdf_formats.BY_NAME.get(name.strip().lower())
        if fmt is None:
            raise BadRequest(f"unknown format {name!r}; one of: " + ", ".join(sorted(rdf_formats.BY_NAME)))
        return fmt
    return negotiated_format(request.headers.get("accept"))


def negotiated_format(accept: str | None) -> Format | None:
    """The format an Accept header prefers among those offered (None: none of them)."""
    media_type = negotiate(accept, OFFERED)
    return rdf_formats.BY_MEDIA_TYPE.get(media_type) if media_type else None


def parse_page(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 10**9:
        raise BadRequest(f"page must be a positive whole number, not {raw!r}")
    return int(raw)


def thing_uri(ctx: KgContext, path: str) -> str | None:
    """The thing `{base}id/{path}`, or None when that is not an IRI (spaces, quotes, brackets...)."""
    uri = ctx.minter.base + "id/" + path
    try:
        NamedNode(uri)
    except ValueError:
        return None
    return uri


def last_modified(ctx: KgContext) -> datetime | None:
    for name in ("graph.nt.gz", "graph.ttl"):
        path = Path(ctx.data_dir) / name
        if path.is_file():
            return datetime.fromtimestamp(int(path.stat().st_mtime), tz=UTC)
    return None


def local_path(path: str) -> str:
    """A path segment sequence quoted for a Location or href (unicode and reserved characters)."""
    return quote(path, safe="/-._~!$&'()*+,;=:@")


@router.api_route("/id/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def thing(path: str, request: Request) -> Response:
    """303 See Other to the document, which negotiates the format (the query string is kept)."""
    return await context(request).render(redirect_to_document, path, request)


def redirect_to_document(path: str, request: Request) -> Response:
    ctx = context(request)
    uri = thing_uri(ctx, path)
    if uri is None or not (is_packed(ctx, path) or bool(ctx.store.query(_EXISTS, substitutions={_S: NamedNode(uri)}))):
        stem, suffix = rdf_formats.split_extension(path)
        try:
            fmt = choose_format(request, suffix) or rdf_formats.BY_MEDIA_TYPE[HTML]
        except BadRequest:
            fmt = rdf_formats.BY_MEDIA_TYPE[HTML]
        return not_found(request, ctx, uri or ctx.minter.base + "id/" + path, fmt)
    location = "/doc/" + local_path(path)
    if request.url.query:
        location += "?" + request.url.query
    return RedirectResponse(location, status_code=303, headers={"Vary": "Accept"})


# Rendered documents, kept while the store is unchanged (the server replaces this cache on every
# operator update): a popular resource is described once, not on every request.
DOCUMENT_CACHE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Rendered:
    body: bytes
    media_type: str
    headers: dict[str, str]


def document_cache(ctx: KgContext) -> Lru[tuple[str, str, str, str], Rendered]:
    return ctx.derived("document-cache", lambda _: Lru(DOCUMENT_CACHE_BYTES, weigh=lambda r: len(r.body) + 512))


@router.api_route("/doc/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def document(path: str, request: Request) -> Response:
    ctx = context(request)
    stem, suffix = rdf_formats.split_extension(path)
    try:
        fmt = choose_format(request, suffix)
        page = parse_page(request)
    except BadRequest as error:
        return bad_request(error.message)
    if fmt is None:
        return not_acceptable()
    # What the bytes depend on: the document, its page and other parameters (the language links
    # repeat them), the format, and for HTML the reader's language.
    key = (path, request.url.query, fmt.extension, reader_language(request) if fmt.rdf is None else "")
    cache = document_cache(ctx)
    rendered = cache.get(key)  # documents written ahead were answered before routing
    if rendered is None:
        response = await ctx.render(describe_document, request, ctx, stem, fmt, page)
        if response.status_code != 200:
            return response
        rendered = Rendered(bytes(response.body), fmt.content_type, dict(response.headers))
        cache.put(key, rendered)
    headers = {k: v for k, v in rendered.headers.items() if k not in ("content-length", "content-type")}
    return Response(rendered.body, media_type=rendered.media_type, headers=headers)


class PackedDocumentsMiddleware:
    """Documents written ahead answered before routing, gzip and the validators' layer: a
    crawler's request for one of them costs a read and the headers it needs, not a walk through
    every route and layer (inside the limits, the CORS layer and the security headers, which
    still apply). Anything else, and any request it cannot answer, goes on as before.

    It makes the answer those layers would: the pack keeps documents gzip-encoded, sent as kept
    to a client that takes gzip and decoded for the others, and the validators come from
    `kg.web.validators`, the same rule the layer applies."""

    def __init__(self, app: Any, context: KgContext):
        self.app = app
        self.context = context

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and scope["path"].startswith("/doc/")
            and not scope.get("query_string")
        ):
            answer = self._packed(scope)
            if answer is not None:
                for message in answer:
                    await send(message)
                return
        await self.app(scope, receive, send)

    def _packed(self, scope: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
        ctx = self.context
        path = scope["path"]
        stem, suffix = rdf_formats.split_extension(path[len("/doc/") :])
        asked: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:  # the first of a repeated header, as Starlette reads it
            if name in _NEGOTIATED and name not in asked:
                asked[name] = value
        fmt = suffix or negotiated_format(_text(asked.get(b"accept")))
        if fmt is None:
            return None  # the route answers 406
        language = ""
        if fmt.rdf is None:
            if suffix is not None:
                return None  # a page is written for the suffix-less path only
            language = negotiate_language(_text(asked.get(b"accept-language")))
        try:
            state = dataset_state(ctx)
        except Exception:  # a store that does not answer: the route says so
            return None
        gzipped = accepts_gzip(_text(asked.get(b"accept-encoding")))
        body = packed_body(ctx, stem, fmt, gzipped=gzipped, language=language)
        if body is None:
            return None
        headers = [
            (name.lower().encode(), (value + ", Accept-Encoding" if name == "Vary" else value).encode("latin-1"))
            for name, value in document_headers(stem, 1, fmt).items()
        ]
        if language:
            headers.append((b"content-language", language.encode()))
        if gzipped:
            headers.append((b"content-encoding", b"gzip"))
        headers += [(b"content-length", str(len(body)).encode()), (b"content-type", fmt.content_type.encode())]
        start = {"type": "http.response.start", "status": 200, "headers": headers}
        start = validated(start, state, target_of(scope), conditions_of(scope), ctx.settings.cache_control)
        if start["status"] == 304:
            body = b""
        return start, {"type": "http.response.body", "body": body, "more_body": False}


# The request headers the packed answer depends on, besides the validators' conditions.
_NEGOTIATED = (b"accept", b"accept-language", b"accept-encoding")


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value is not None else None


def prepared_graph(ctx: KgContext) -> PreparedGraph | None:
    """The build's lines of the graph the store holds, while it holds exactly that graph file
    (opened again after every write through kg, which makes it None until the next build)."""
    return ctx.derived("prepared-graph", _open_prepared)


def _open_prepared(ctx: KgContext) -> PreparedGraph | None:
    loaded_graph = getattr(ctx.store, "loaded_graph", None)  # a backend of the operator's may lack it
    return PreparedGraph.open(loaded_graph()) if loaded_graph is not None else None


def describe_document(request: Request, ctx: KgContext, stem: str, fmt: Format, page: int) -> Response:
    """The document of `{base}id/{stem}` (reads the store: run it off the event loop)."""
    description = describe_resource(ctx, stem, page, parse=fmt.rdf is None)
    if description is None or not description.found or page > description.paging.last:
        return not_found(request, ctx, ctx.minter.base + "id/" + stem, fmt)
    return render_description(request, ctx, description, stem, fmt)


def describe_resource(ctx: KgContext, stem: str, page: int, *, parse: bool) -> Description | None:
    """What the document of `{base}id/{stem}` says (None: not an IRI). `parse`: with the own
    and part triples as triples, which the HTML page needs (RDF formats are written from lines)."""
    uri = thing_uri(ctx, stem)
    if uri is None:
        return None
    return describe(
        ctx.store,
        uri,
        ctx.minter.document_of(uri),
        page=page,
        page_size=PAGE_SIZE,
        dataset=ctx.dataset_uri,
        modified=last_modified(ctx),
        cache=description_cache(ctx),
        prepared=prepared_graph(ctx),
        parse=parse,
    )


def format_links(stem: str, page: int) -> list[tuple[str, Format]]:
    query = f"?page={page}" if page > 1 else ""
    return [(f"/doc/{local_path(stem)}.{f.extension}{query}", f) for f in rdf_formats.FORMATS]


def document_headers(stem: str, page: int, fmt: Format) -> dict[str, str]:
    """What a document's answer says beside its body: where it lives, its other formats."""
    links = format_links(stem, page)
    return {
        "Vary": "Accept, Accept-Language",
        "Content-Location": next(href for href, f in links if f is fmt),
        "Link": ", ".join(f'<{href}>; rel="alternate"; type="{f.media_type}"' for href, f in links if f is not fmt),
    }


def rdf_document(ctx: KgContext, description: Description, fmt: Format) -> bytes:
    """The description in an RDF format."""
    nt = description.ntriples()
    if nt is not None:
        return rdf_formats.serialize_ntriples(nt, fmt, prefixes(ctx.minter.ns_iri), description.iris())
    return rdf_formats.serialize_triples(description.triples(), fmt, prefixes(ctx.minter.ns_iri), ordered=True)


def page_html(ctx: KgContext, description: Description, stem: str, language: str) -> bytes:
    """The HTML page of a description as a client preferring `language` gets it at the
    suffix-less `/doc/{stem}`, with no query string: what a page written ahead must be."""
    headers = [(b"accept", HTML.encode()), (b"accept-language", language.encode())]
    request = Request(
        {"type": "http", "method": "GET", "path": "/doc/" + stem, "query_string": b"", "headers": headers}
    )
    return bytes(render_description(request, ctx, description, stem, rdf_formats.BY_MEDIA_TYPE[HTML]).body)


def render_description(request: Request, ctx: KgContext, description: Description, stem: str, fmt: Format) -> Response:
    headers = document_headers(stem, description.paging.page, fmt)
    if fmt.rdf is not None:
        return Response(rdf_document(ctx, description, fmt), media_type=fmt.content_type, headers=headers)
    links = format_links(stem, description.paging.page)
    language = reader_language(request)
    renderer = PageRenderer.for_description(ctx, language, description)
    page = renderer.description_page(description, request.query_params)
    page["answer_times"] = answer_times_of(ctx, description.uri, language)
    html = ctx.templates.get_template("resource.html").render(
        lang=language,
        ui=ui_strings(language),
        page=page,
        alternates=[(href, f.media_type, f.name) for href, f in links if f is not fmt],
        languages=language_links(request),
    )
    headers["Content-Language"] = language
    return Response(html, media_type=fmt.content_type, headers=headers)


def not_found(request: Request, ctx: KgContext, uri: str, fmt: Format) -> Response:
    """404 in the format asked for: an HTML page, or an RDF document saying so about itself."""
    headers = {"Vary": "Accept, Accept-Language"}
    message = f"No description of <{uri}> in this dataset."
    if fmt.rdf is not None:
        doc = NamedNode(ctx.minter.base + local_path(request.url.path.lstrip("/")))
        body = rdf_formats.serialize_triples([Triple(doc, RDFS.comment, _literal(message))], fmt, {})
        return Response(body, status_code=404, media_type=fmt.content_type, headers=headers)
    language = reader_language(request)
    html = ctx.templates.get_template("not_found.html").render(lang=language, ui=ui_strings(language), uri=uri)
    headers["Content-Language"] = language
    return Response(html, status_code=404, media_type=fmt.content_type, headers=headers)


def _literal(text: str) -> Literal:
    return Literal(text, language="en")


def bad_request(message: str) -> Response:
    return Response(message + "\n", status_code=400, media_type="text/plain; charset=utf-8")


def not_acceptable() -> Response:
    offered = ", ".join(f.media_type for f in rdf_formats.FORMATS)
    return Response(
        f"None of the formats you accept is available. Available: {offered}\n",
        status_code=406,
        media_type="text/plain; charset=utf-8",
        headers={"Vary": "Accept"},
    )


# -- the vocabulary: /ns/kg (a hash namespace: its terms are fragments of this one document) --------

_ONTOLOGY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


@router.api_route("/ns/{name}", methods=["GET", "HEAD"], include_in_schema=False)
async def vocabulary(name: str, request: Request) -> Response:
    return await context(request).render(vocabulary_document, name, request)


def vocabulary_document(name: str, request: Request) -> Response:
    ctx = context(request)
    stem, suffix = rdf_formats.split_extension(name)
    if stem != "kg":
        return not_found(request, ctx, ctx.minter.base + "ns/" + name, rdf_formats.BY_MEDIA_TYPE[HTML])
    try:
        fmt = choose_format(request, suffix)
    except BadRequest as error:
        return bad_request(error.message)
    if fmt is None:
        return not_acceptable()
    triples = ontology_triples(ctx)
    links = [(f"/ns/kg.{f.extension}", f) for f in rdf_formats.FORMATS]
    headers = {
        "Vary": "Accept, Accept-Language",
        "Content-Location": next(href for href, f in links if f is fmt),
        "Link": ", ".join(f'<{href}>; rel="alternate"; type="{f.media_type}"' for href, f in links if f is not fmt),
    }
    if fmt.rdf is not None:
        body = rdf_formats.serialize_triples(triples, fmt, prefixes(ctx.minter.ns_iri))
        return Response(body, media_type=fmt.content_type, headers=headers)
    language = reader_language(request)
    page = vocabulary_page(PageRenderer(ctx, language, triples), ctx.minter.ns_iri, ctx.minter.ontology, triples)
    html = ctx.templates.get_template("vocabulary.html").render(
        lang=language,
        ui=ui_strings(language),
        page=page,
        languages=language_links(request),
        alternates=[(href, f.media_type, f.name) for href, f in links if f is not fmt],
    )
    headers["Content-Language"] = language
    return Response(html, media_type=fmt.content_type, headers=headers)


@router.api_route("/ns/kg/{term}", methods=["GET", "HEAD"], include_in_schema=False)
def vocabulary_term(term: str, request: Request) -> Response:
    """`/ns/kg/Question` -> `/ns/kg#Question`, for clients that drop the fragment's `#`."""
    return RedirectResponse("/ns/kg#" + quote(term, safe="-._~"), status_code=303)


def ontology_triples(ctx: KgContext) -> list[Triple]:
    """The ontology graph of the store (ontology and shapes, as the build resolved them)."""
    graph = ctx.store.ontology_graph
    if not graph:
        return []
    rows = ctx.store.query(_ONTOLOGY, default_graph=[graph])
    return [Triple(row["s"], row["p"], row["o"]) for row in rows]


_CLASS_TYPES = {OWL.Class.value, RDFS.Class.value}
_PROPERTY_TYPES = {
    OWL.ObjectProperty.value,
    OWL.DatatypeProperty.value,
    OWL.AnnotationProperty.value,
    RDF.Property.value,
}


def vocabulary_page(renderer: PageRenderer, ns: str, ontology: str, triples: list[Triple]) -> dict:
    """The kg terms, classes then properties, each with its label, comment, and relations."""
    by_subject: dict[str, list[Triple]] = {}
    for triple in triples:
        if isinstance(triple.subject, NamedNode) and triple.subject.value.startswith(ns):
            by_subject.setdefault(triple.subject.value, []).append(triple)
    classes, properties, others = [], [], []
    for iri in sorted(by_subject, key=str.lower):
        statements = by_subject[iri]
        types = {t.object.value for t in statements if t.predicate == RDF.type and isinstance(t.object, NamedNode)}
        comments = [t.object for t in statements if t.predicate == RDFS.comment and isinstance(t.object, Literal)]
        comment = best_literal(comments, renderer.language)
        entry = {
            "id": iri[len(ns) :],
            "block": renderer.block(NamedNode(iri), statements),
            "label": renderer.label(iri),
            "comment": comment.value if comment is not None else "",
            "comment_lang": (comment.language or "") if comment is not None else "",
        }
        if types & _CLASS_TYPES:
            classes.append(entry)
        elif types & _PROPERTY_TYPES:
            properties.append(entry)
        else:
            others.append(entry)
    header = [t for t in triples if isinstance(t.subject, NamedNode) and t.subject.value == ontology]
    return {
        "uri": ontology,
        "title": renderer.label(ontology),
        "header": renderer.block(NamedNode(ontology), header) if header else None,
        "classes": classes,
        "properties": properties,
        "others": others,
    }
