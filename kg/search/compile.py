"""The query tree of `kg.search.query`, and facet filters, as engine queries.

Every word the user typed reaches the engine as a term of a field, analysed as that field's text
is (Dutch, French, or folded names): never as query text the engine would parse. A prefix
becomes a regular expression of letters and digits only, followed by `.*`.
"""

from __future__ import annotations

import tantivy

from kg.search.query import And, Node, Not, Phrase, QueryError, Term
from kg.search.schema import BOOSTS, FACETS, LANGUAGES, QUERY_FIELDS, TEXT_FIELDS, analyzer, schema, text_field


def compile_query(node: Node | None) -> tantivy.Query | None:
    """The engine query of a tree; None when nothing in it can be searched for."""
    if node is None:
        return None
    if isinstance(node, (Term, Phrase)):
        return _words(node)
    if isinstance(node, Not):
        return _conjunction((node,))
    if isinstance(node, And):
        return _conjunction(node.nodes)
    subqueries = [q for q in (compile_query(child) for child in node.nodes) if q is not None]
    return _any(subqueries)


def _conjunction(nodes: tuple[Node, ...]) -> tantivy.Query | None:
    musts = [q for q in (compile_query(n) for n in nodes if not isinstance(n, Not)) if q is not None]
    nots = [q for q in (compile_query(n.node) for n in nodes if isinstance(n, Not)) if q is not None]
    if not musts and not nots:
        return None
    if not musts:
        musts = [tantivy.Query.all_query()]  # "-facebook": every question without it
    if len(musts) == 1 and not nots:
        return musts[0]
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, q) for q in musts] + [(tantivy.Occur.MustNot, q) for q in nots]
    )


def _any(queries: list[tantivy.Query]) -> tantivy.Query | None:
    if not queries:
        return None
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


def _words(node: Term | Phrase) -> tantivy.Query | None:
    """A word or phrase in its field, or in every field: each field's analysis applied to it."""
    names = (node.field,) if node.field else QUERY_FIELDS
    queries = []
    for name in names:
        languages: tuple[str | None, ...] = LANGUAGES if name in TEXT_FIELDS else (None,)
        for language in languages:
            query = _field_query(text_field(name, language), language, node)
            if query is not None:
                boost = BOOSTS.get(name)
                queries.append(tantivy.Query.boost_query(query, boost) if boost else query)
    return _any(queries)


def _field_query(name: str, language: str | None, node: Term | Phrase) -> tantivy.Query | None:
    tokens = [token for token in analyzer(language).analyze(node.text) if token]
    if not tokens:
        return None
    if isinstance(node, Term) and node.prefix:
        if len(tokens) > 1:
            raise QueryError(f"the prefix '{node.text}*' must be one word")
        # Stems are what the index holds: "sociale*" must reach "social", "soci*" reaches all.
        word = analyzer(None).analyze(node.text)[0]
        start = tokens[0] if word.startswith(tokens[0]) else word
        if not start.isalnum():
            raise QueryError(f"the prefix '{node.text}*' must be letters or digits")
        return tantivy.Query.regex_query(schema(), name, start + ".*")
    if len(tokens) == 1:
        return tantivy.Query.term_query(schema(), name, tokens[0])
    words: list[str | tuple[int, str]] = list(tokens)
    return tantivy.Query.phrase_query(schema(), name, words)


def facet_filter(facet: str, values: tuple[str, ...]) -> tantivy.Query:
    """Questions with any of `values` for `facet` (a value in either language's field)."""
    if facet not in FACETS:
        raise QueryError(f"unknown facet '{facet}': use one of {', '.join(FACETS)}")
    name, kind = FACETS[facet]
    queries = []
    for value in values:
        if kind == "int":
            try:
                number = int(value)
            except ValueError:
                raise QueryError(f"{facet} must be a number, not '{value[:40]}'") from None
            queries.append(tantivy.Query.term_query(schema(), name, number))
        elif kind == "lang":
            queries += [tantivy.Query.term_query(schema(), f"{name}_{language}", value) for language in LANGUAGES]
        else:
            queries.append(tantivy.Query.term_query(schema(), name, value))
    combined = _any(queries)
    assert combined is not None
    return combined
