"""The query language users type, parsed into a small tree.

    asielcentrum                 a word (stemmed in Dutch and French, accents and case folded)
    "sociale media"              an exact phrase
    fedasil -facebook            every word must be there; `-` (or NOT) excludes
    twitter OR facebook          either
    soci*                        words starting with "soci"
    title:asiel answer:"x y"     a word or phrase in one field only
    (twitter OR facebook) fod    parentheses group

The tree holds the user's words as values; `kg.search.reader` turns each into engine term
queries, so no user text is ever read as query syntax by the engine. A malformed query raises
`QueryError`, whose message says what is wrong and where, for a 400.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.search.schema import QUERY_FIELDS

MAX_LENGTH = 1000  # characters
MAX_TERMS = 64
MAX_DEPTH = 8
MIN_PREFIX = 2  # letters before a `*`


class QueryError(ValueError):
    """A query that cannot be read; the message is for the person who typed it."""


@dataclass(frozen=True)
class Term:
    text: str
    field: str | None = None
    prefix: bool = False  # `soci*`


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple[Node, ...]


Node = Term | Phrase | Not | And | Or


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "phrase", "not", "or", "(", ")"
    text: str
    position: int  # 1-based character position, for messages
    field: str | None = None


def parse(text: str) -> Node | None:
    """The tree of `text`; None for a query with nothing in it (every question matches)."""
    if len(text) > MAX_LENGTH:
        raise QueryError(f"the query is too long: at most {MAX_LENGTH} characters")
    tokens = _tokens(text)
    if not tokens:
        return None
    if sum(token.kind in ("word", "phrase") for token in tokens) > MAX_TERMS:
        raise QueryError(f"the query has too many terms: at most {MAX_TERMS}")
    parser = _Parser(tokens)
    node = parser.expression(None, 0)
    if parser.index < len(tokens):
        token = tokens[parser.index]
        raise QueryError(f"the closing parenthesis at position {token.position} has no opening one")
    return node


_SPECIAL = set('()"')


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        start = i
        if char in "()":
            tokens.append(_Token(char, char, start + 1))
            i += 1
            continue
        if char == "-" and (i + 1 == n or text[i + 1].isspace()):
            i += 1  # a dash alone separates, as in pasted titles ("politie - sociale media")
            continue
        if char == "-":
            if text[i + 1] in "-)":
                raise QueryError(f"the '-' at position {start + 1} must be followed by a word, a phrase or a group")
            tokens.append(_Token("not", "-", start + 1))
            i += 1
            continue
        if char == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QueryError(f'the quote at position {start + 1} is not closed: add a closing "')
            tokens.append(_Token("phrase", text[i + 1 : end], start + 1))
            i = end + 1
            continue
        while i < n and not text[i].isspace() and text[i] not in _SPECIAL:
            i += 1
        word = text[start:i]
        field, colon, rest = word.partition(":")
        if colon and field.isalpha() and field.lower() not in ("http", "https"):
            name = field.lower()
            if name not in QUERY_FIELDS:
                raise QueryError(
                    f"unknown field '{field}' at position {start + 1}: "
                    f"use one of {', '.join(f + ':' for f in QUERY_FIELDS)}"
                )
            if rest:
                tokens.append(_Token("word", rest, start + len(field) + 2, name))
            elif i < n and text[i] == '"':
                end = text.find('"', i + 1)
                if end < 0:
                    raise QueryError(f'the quote at position {i + 1} is not closed: add a closing "')
                tokens.append(_Token("phrase", text[i + 1 : end], i + 1, name))
                i = end + 1
            elif i < n and text[i] == "(":
                tokens.append(_Token("field", name, start + 1))
            else:
                raise QueryError(
                    f"the field '{field}:' at position {start + 1} must be followed by a word, a phrase or a group"
                )
            continue
        if word in ("OR", "|"):
            tokens.append(_Token("or", word, start + 1))
        elif word == "NOT":
            tokens.append(_Token("not", word, start + 1))
        elif word != "AND":
            tokens.append(_Token("word", word, start + 1))
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def expression(self, field: str | None, depth: int) -> Node:
        """Conjunctions joined by OR."""
        if depth > MAX_DEPTH:
            raise QueryError(f"the query nests parentheses too deeply: at most {MAX_DEPTH}")
        first = self.peek()
        if first is not None and first.kind == "or":
            raise QueryError(f"OR at position {first.position} needs a term before it")
        parts = [self.conjunction(field, depth)]
        while (token := self.peek()) is not None and token.kind == "or":
            self.index += 1
            after = self.peek()
            if after is None or after.kind in ("or", ")"):
                raise QueryError(f"OR at position {token.position} needs a term after it")
            parts.append(self.conjunction(field, depth))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def conjunction(self, field: str | None, depth: int) -> Node:
        parts: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in ("or", ")"):
            parts.append(self.unary(field, depth))
        if not parts:
            token = self.peek()
            where = f" at position {token.position}" if token is not None else ""
            raise QueryError(f"empty parentheses{where}: put words inside or remove them")
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self, field: str | None, depth: int) -> Node:
        token = self.peek()
        assert token is not None
        if token.kind == "not":
            self.index += 1
            after = self.peek()
            if after is None or after.kind in ("or", ")", "not"):
                raise QueryError(
                    f"the {token.text} at position {token.position} must be followed by a word, a phrase or a group"
                )
            return Not(self.atom(field, depth))
        return self.atom(field, depth)

    def atom(self, field: str | None, depth: int) -> Node:
        token = self.peek()
        assert token is not None
        self.index += 1
        if token.kind == "field":
            return self.atom(token.text, depth)  # the group that follows, in that field
        if token.kind == "(":
            node = self.expression(field, depth + 1)
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QueryError(f"the parenthesis at position {token.position} is not closed: add a )")
            self.index += 1
            return node
        if token.kind == "phrase":
            if not token.text.strip():
                raise QueryError(f"the phrase at position {token.position} is empty")
            return Phrase(token.text, token.field or field)
        return _word(token, token.field or field)


def _word(token: _Token, field: str | None) -> Term:
    text = token.text
    prefix = text.endswith("*")
    stem = text.rstrip("*") if prefix else text
    if "*" in stem:
        raise QueryError(f"the * in '{text}' at position {token.position} can only end a word")
    if prefix and sum(char.isalnum() for char in stem) < MIN_PREFIX:
        raise QueryError(
            f"the prefix '{text}' at position {token.position} is too short: at least {MIN_PREFIX} letters before the *"
        )
    return Term(stem, field, prefix)


def terms(node: Node | None) -> list[Term | Phrase]:
    """The words and phrases a query looks for (not those it excludes): what snippets mark."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, (Term, Phrase)):
        return [node]
    return [term for child in node.nodes for term in terms(child)]
