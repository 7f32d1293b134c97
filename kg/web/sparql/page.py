"""The query page: an editor that works without JavaScript, the example queries one click away,
and results as a table whose URIs link to their pages on this server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kg import sparql_reader
from kg.paths import QUERIES_DIR
from kg.queries.header import describe
from kg.rdf.vocab import prefixes
from kg.web.context import KgContext
from kg.web.errors import HttpError
from kg.web.headers import html_policy
from kg.web.i18n import DEFAULT_LANGUAGE, ui_strings
from kg.web.sparql.worker import QueryOutcome
from kg.web.tool_words import editor_words, tool_strings
from kg.web.vendor import EDITOR_STYLE_HASHES, editor_urls

DEFAULT_BODY = "SELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n"

# (value of `format`, label) offered next to the Run button.
PAGE_FORMATS = (
    ("html", "Table"),
    ("json", "JSON"),
    ("xml", "XML"),
    ("csv", "CSV"),
    ("tsv", "TSV"),
    ("turtle", "Turtle (CONSTRUCT/DESCRIBE)"),
    ("jsonld", "JSON-LD (CONSTRUCT/DESCRIBE)"),
    ("ntriples", "N-Triples (CONSTRUCT/DESCRIBE)"),
    ("rdfxml", "RDF/XML (CONSTRUCT/DESCRIBE)"),
)


@dataclass(frozen=True)
class Example:
    name: str
    description: str
    query: str

    @property
    def href(self) -> str:
        return "/sparql?query=" + quote(self.query, safe="")


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    note: str | None = None  # language tag or datatype of a literal


def load_examples(folder: Path = QUERIES_DIR) -> list[Example]:
    """Every `queries/*.rq`, described by its leading `#` comment lines (not the `#+` directives)."""
    examples = []
    for path in sorted(folder.glob("*.rq")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        description = describe(text) or path.stem.replace("-", " ")
        examples.append(Example(path.stem, description, text))
    return examples


def declaring_prefixes(query: str, table: dict[str, str]) -> str:
    """`query` with a PREFIX line for each prefix it uses from `table` without declaring it: the
    endpoint supplies them, but the editor checks a query as written (and the text then runs on
    any endpoint). Text that does not read as SPARQL is returned as it is."""
    try:
        reading = sparql_reader.read(query)
    except sparql_reader.SparqlSyntaxError:
        return query
    missing = sorted((reading.used_prefixes - reading.declared_prefixes) & table.keys())
    return "".join(f"PREFIX {name}: <{table[name]}>\n" for name in missing) + query


def prefix_block(ctx: KgContext) -> str:
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes(ctx.minter.ns_iri).items())


class Linker:
    """Turns result terms into table cells: URIs under the base link to this server's pages."""

    def __init__(self, ctx: KgContext):
        self.base = ctx.minter.base
        self.prefixes = sorted(prefixes(ctx.minter.ns_iri).items(), key=lambda item: -len(item[1]))

    def href(self, uri: str) -> str | None:
        if uri.startswith(self.base + "id/"):
            return "/doc/" + uri[len(self.base) + 3 :]
        if uri.startswith(self.base):
            return "/" + uri[len(self.base) :]
        return uri if uri.startswith(("http://", "https://")) else None

    def compact(self, uri: str) -> str:
        for name, iri in self.prefixes:
            if uri.startswith(iri) and len(uri) > len(iri):
                return f"{name}:{uri[len(iri) :]}"
        return uri

    def cell(self, term: dict[str, Any] | None) -> Cell:
        if term is None:
            return Cell("")
        kind = term["type"]
        if kind == "uri":
            return Cell(self.compact(term["value"]), self.href(term["value"]))
        if kind == "bnode":
            return Cell("_:" + term["value"])
        if kind == "literal":
            if "xml:lang" in term:
                return Cell(term["value"], note="@" + term["xml:lang"])
            if "datatype" in term:
                return Cell(term["value"], note=self.compact(term["datatype"]))
            return Cell(term["value"])
        inner = term["value"]
        return Cell("<< " + " ".join(self.cell(inner[p]).text for p in ("subject", "predicate", "object")) + " >>")


def page_headers() -> dict[str, str]:
    """Headers of the query page: with the editor, a policy that also allows the few fixed rules
    its results table writes into the page (see kg.web.vendor.EDITOR_STYLE_HASHES)."""
    if editor_urls() is None:
        return {}
    return {"Content-Security-Policy": html_policy(EDITOR_STYLE_HASHES)}


def render(
    ctx: KgContext,
    *,
    query: str | None,
    outcome: QueryOutcome | None = None,
    error: HttpError | None = None,
    formats: tuple[str, ...] = (),
    language: str = DEFAULT_LANGUAGE,
    languages: list[tuple[str, str]] | None = None,
) -> str:
    """The page in `language`, with links to it in the others (`languages`); with the editor's
    files when they are installed."""
    linker = Linker(ctx)
    words = tool_strings(language)
    table = outcome.table if outcome is not None else None
    rows = [[linker.cell(term) for term in row] for row in table.rows] if table else []
    known = prefixes(ctx.minter.ns_iri)
    examples = [(example, declaring_prefixes(example.query, known)) for example in load_examples()]
    return ctx.templates.get_template("sparql.html").render(
        query=query if query is not None else prefix_block(ctx) + "\n" + DEFAULT_BODY,
        examples=examples,
        formats=[(value, words["format_table"] if value == "html" else label) for value, label in PAGE_FORMATS],
        chosen_format=formats[0] if formats else "html",
        outcome=outcome,
        variables=table.variables if table else [],
        rows=rows,
        boolean=table.boolean if table else None,
        error=error,
        result_limit=ctx.settings.result_limit,
        query_timeout=ctx.settings.query_timeout,
        alternates=[("/sparql?format=turtle", "text/turtle", words["service_description"])],
        lang=language,
        ui=ui_strings(language),
        words=words,
        languages=languages or [],
        editor=editor_urls(),
        editor_words=editor_words(language),
    )
