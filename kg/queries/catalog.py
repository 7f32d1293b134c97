"""The stored queries: every `.rq` file of kg's `queries/` folder and of an operator's folder,
read, checked and ready to bind.

Checked at load, so `kg build`, `kg serve` and the test suite all stop on the same mistakes, each
with its file and line: a header that does not parse, a query that is not SPARQL, a prefix used
but not declared (a stored query must run as written on any SPARQL 1.1 endpoint), a parameter
without its `VALUES` block, a query that pages but ends in its own LIMIT, and an example that does
not run or whose columns are not the ones declared (it is run on an empty store: that evaluates
every part of it without data).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import BrokenInstall, sparql_reader
from kg.paths import QUERIES_DIR
from kg.queries.header import Header, HeaderError, Param, parse_header
from kg.queries.values import ParamError, Term, bind, parse_value
from kg.rdf.vocab import KG_NS
from kg.sparql_reader import Reading, SparqlSyntaxError

_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
RESERVED_NAMES = frozenset({"openapi", "static", "docs", "index"})  # other things live under /api/
FORMS = {"SELECT": "solutions", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


@dataclass(frozen=True)
class StoredQuery:
    name: str  # the file's stem: /api/{name}
    path: Path
    text: str  # as written in the file
    header: Header
    form: str  # SELECT, CONSTRUCT or DESCRIBE
    prefixes: dict[str, str]  # what the query declares

    @property
    def kind(self) -> str:
        """ "solutions" or "graph"."""
        return FORMS[self.form]

    def param(self, name: str) -> Param | None:
        return next((p for p in self.header.params if p.name == name), None)

    def class_iri(self, param: Param) -> str | None:
        return self.expand(param.class_iri) if param.class_iri else None

    def values_of(self, param: Param) -> str | None:
        return self.expand(param.values_of) if param.values_of else None

    def expand(self, name: str) -> str:
        """A prefixed name of the header (kg:Agency) as the IRI the query's prefixes make it."""
        if name.startswith("<") and name.endswith(">"):
            return name[1:-1]
        prefix, _, local = name.partition(":")
        return self.prefixes[prefix] + local

    def example_values(self) -> dict[str, list[Term] | None]:
        """Each parameter's example, as terms."""
        return {p.name: [parse_value(p, v) for v in p.example] for p in self.header.params}

    def bound(self, values: dict[str, list[Term] | None], page: tuple[int, int] | None = None) -> str:
        return bind(self.text, values, page)


def _line_of(reading: Reading, offset: int) -> int:
    return reading.text.count("\n", 0, offset) + 1


def _check_name_refs(query: StoredQuery, param: Param) -> None:
    for ref in (param.class_iri, param.values_of):
        if ref and not (ref.startswith("<") and ref.endswith(">")):
            prefix = ref.partition(":")[0]
            if ":" not in ref or prefix not in query.prefixes:
                raise HeaderError(query.path, param.line, f"{ref!r}: not an <IRI> or a name with a declared prefix")


def read_query(path: Path) -> StoredQuery:
    """One `.rq` file, read and checked. Raises HeaderError (file:line)."""
    name = path.stem
    if not _NAME.fullmatch(name) or name in RESERVED_NAMES:
        raise HeaderError(path, 1, f"{name!r} cannot name a query: lower-case letters, digits and -, not reserved")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise HeaderError(path, 1, f"cannot be read: {error}") from error
    header = parse_header(text, path)
    try:
        reading = sparql_reader.read(text)
    except SparqlSyntaxError as error:
        raise HeaderError(path, error.line, f"not SPARQL: {error}") from error
    form = reading.form
    if form not in FORMS:
        raise HeaderError(path, header.lines + 1, f"a stored query is a SELECT, CONSTRUCT or DESCRIBE, not {form}")
    if reading.uses_service:
        raise HeaderError(path, header.lines + 1, "a stored query does not call SERVICE")
    missing = sorted(reading.used_prefixes - reading.declared_prefixes)
    if missing:
        first = next(t for t in reading.tokens if t.kind == "pname" and t.text.partition(":")[0] in missing)
        raise HeaderError(path, _line_of(reading, first.start), f"prefixes used but not declared: {', '.join(missing)}")
    prefixes = _declared(reading)
    if prefixes.get("kg", KG_NS) != KG_NS:
        raise HeaderError(path, header.lines + 1, f"kg: is <{KG_NS}> on every deployment, not <{prefixes['kg']}>")
    query = StoredQuery(name, path, text, header, form, prefixes)
    blocks = reading.values_blocks()
    for param in header.params:
        _check_name_refs(query, param)
        found = [b for b in blocks if b.variable == param.name]
        if len(found) != 1:
            raise HeaderError(
                path,
                param.line,
                f"{param.name} needs exactly one `VALUES ?{param.name} {{ ... }}` block, found {len(found)}",
            )
        for value in (*param.default, *param.example):
            try:
                parse_value(param, value)
            except ParamError as error:
                raise HeaderError(path, param.line, str(error)) from error
    if header.pages:
        if form != "SELECT":
            raise HeaderError(path, 1, "only a SELECT query pages")
        clash = reading.modifiers_after_pattern() & {"LIMIT", "OFFSET", "VALUES"}
        if clash:
            raise HeaderError(
                path, 1, f"a query that pages ends without {', '.join(sorted(clash))}: kg adds LIMIT and OFFSET"
            )
    if form == "SELECT" and not header.columns:
        raise HeaderError(path, 1, "a SELECT query declares its columns (`#+ column:`)")
    if form != "SELECT" and header.columns:
        raise HeaderError(path, header.columns[0].line, "only a SELECT query has columns")
    _run_example(query)
    return query


def _declared(reading: Reading) -> dict[str, str]:
    tokens = reading.tokens
    return {
        tokens[i + 1].text[:-1]: tokens[i + 2].text[1:-1]
        for i in range(len(tokens) - 2)
        if tokens[i].kind == "word" and tokens[i].upper == "PREFIX" and tokens[i + 1].kind == "pname"
    }


def _run_example(query: StoredQuery) -> None:
    """The query, bound with its examples (and paged), evaluated on an empty store: a mistake the
    parser lets through (a wrong function, a type error in a binding) fails here; a SELECT's
    variables must be its declared columns, in order."""
    page = (11, 0) if query.header.pages else None
    try:
        text = query.bound(query.example_values(), page)
        results = ox.Store().query(text)
    except (SyntaxError, ValueError, TypeError, OSError, RuntimeError) as error:
        raise HeaderError(query.path, 1, f"the example does not run: {error}") from error
    if isinstance(results, ox.QuerySolutions):
        variables = [v.value for v in results.variables]
        declared = [c.name for c in query.header.columns]
        if variables != declared:
            raise HeaderError(
                query.path,
                query.header.columns[0].line if query.header.columns else 1,
                f"the query's columns are {', '.join(variables)}; the header declares {', '.join(declared)}",
            )


def load_folder(folder: Path) -> list[StoredQuery]:
    return [read_query(path) for path in sorted(folder.glob("*.rq"))]


def load_catalog(extra: Iterable[Path] = ()) -> dict[str, StoredQuery]:
    """kg's stored queries and those of the operator's folders, by name. Raises HeaderError for
    a broken one, and for a name given twice; BrokenInstall when kg's own are missing."""
    if not QUERIES_DIR.is_dir():
        raise BrokenInstall(f"the stored queries ({QUERIES_DIR}) are missing: reinstall kg")
    catalog: dict[str, StoredQuery] = {}
    for folder in (QUERIES_DIR, *extra):
        if not folder.is_dir():
            raise HeaderError(folder, 0, "no such folder of queries")
        for query in load_folder(folder):
            if query.name in catalog:
                raise HeaderError(query.path, 1, f"{query.name} is already the name of {catalog[query.name].path}")
            catalog[query.name] = query
    return catalog
