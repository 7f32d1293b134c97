"""The one reader of SPARQL text in kg: a lexer written by the SPARQL 1.1 grammar (§19.8) and the
answers the guards need from it.

Every decision kg takes about a query before an engine sees it (is it an update, does it call
`SERVICE`, does it call a function whose answer changes between runs, where does its WHERE pattern
open, which prefixes does it use) is taken here, on tokens, so that a string, an IRI or a comment
can never hide a keyword from one check and show it to another. Codepoint escapes (`\\u0053`,
`\\U00000053`) are applied first, as the grammar says an engine does before parsing.

The lexer is strict: text that is not made of SPARQL tokens is refused with the line and column,
so a query is either read whole or not accepted at all. Where engines read keywords more loosely
than the grammar (Oxigraph matches a keyword without a word boundary: `SERVICEex:s` is `SERVICE
ex:s` to it), the answers are conservative: a word or prefix that contains `SERVICE` counts as a
call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

# -- the grammar's terminals (SPARQL 1.1 Query Language, §19.8) ------------------------------

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_ECHAR = r"\\[tbnrf\\\"']"
_EXPONENT = r"[eE][+-]?[0-9]+"

# Kinds of token, in the order they are tried where two could start at the same character.
_TERMINALS: tuple[tuple[str, str], ...] = (
    ("string", f"'''(?:(?:'|'')?(?:[^'\\\\]|{_ECHAR}))*'''"),
    ("string", f'"""(?:(?:"|"")?(?:[^"\\\\]|{_ECHAR}))*"""'),
    ("string", f"'(?:[^'\\\\\\n\\r]|{_ECHAR})*'"),
    ("string", f'"(?:[^"\\\\\\n\\r]|{_ECHAR})*"'),
    ("iri", r"<[^<>\"{}|^`\\\x00-\x20]*>"),
    ("var", f"[?$]{_VARNAME}"),
    ("bnode", f"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
    ("pname", f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    (
        "number",
        f"[0-9]+\\.[0-9]*{_EXPONENT}|\\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT}"
        r"|[0-9]*\.[0-9]+|[0-9]+",
    ),
    ("word", r"[A-Za-z][A-Za-z0-9_]*"),
    ("punct", r"\^\^|\|\||&&|!=|<=|>=|[{}()\[\].,;*+\-/!=<>|^?]"),
)
_TOKEN = re.compile("|".join(f"(?P<{kind}{i}>{pattern})" for i, (kind, pattern) in enumerate(_TERMINALS)))
_KINDS = {f"{kind}{i}": kind for i, (kind, _) in enumerate(_TERMINALS)}
# Whitespace and comments. A comment ends at any line break (CR and LF, and the breaks some
# readers also honour), so text after one is never hidden from the checks.
_GAP = re.compile(r"(?:[ \t\r\n]+|#[^\r\n\x0b\x0c\x85\u2028\u2029]*)+")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
UPDATE_OPERATIONS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
# Functions whose value changes from one evaluation to the next.
VOLATILE_FUNCTIONS = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE"})


# Every word SPARQL 1.1 (and the SPARQL 1.2 drafts Oxigraph reads) has: keywords and built-in
# function names. Any other word is a vendor's extension (Virtuoso's DEFINE, which can make it
# fetch a URL; OPTION) and is refused, on every backend.
SPARQL_WORDS = frozenset(
    """
    BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK ORDER BY LIMIT OFFSET DISTINCT REDUCED FROM NAMED WHERE
    GRAPH OPTIONAL UNION FILTER A SERVICE SILENT BIND AS VALUES UNDEF MINUS EXISTS NOT IN GROUP HAVING
    ASC DESC LOAD CLEAR DROP CREATE ADD MOVE COPY INSERT DELETE DATA WITH USING DEFAULT ALL INTO TO
    TRUE FALSE SEPARATOR LATERAL
    STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE
    LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES
    SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT
    SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE COUNT SUM MIN MAX AVG SAMPLE
    GROUP_CONCAT TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE LANGDIR HASLANG HASLANGDIR STRLANGDIR ADJUST
""".split()
)
# IRI schemes some servers run as code (Virtuoso's built-in and SQL functions).
CODE_SCHEMES = ("bif:", "sql:")


class SparqlSyntaxError(SyntaxError):
    """Text that is not SPARQL, with where it stops being so (1-based line and column)."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(f"{message} at line {line}, column {column}")
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Token:
    kind: str  # string, iri, var, bnode, pname, langtag, number, word, punct
    text: str
    start: int  # offsets in the unescaped text (`Reading.text`)
    end: int

    @property
    def upper(self) -> str:
        return self.text.upper()


@dataclass(frozen=True)
class ValuesBlock:
    """`VALUES ?variable { ... }`: `start` and `end` are the offsets (in `Reading.text`) of its
    braces, `end` just after the closing one; `line` is 1-based; `data` the tokens between."""

    variable: str
    start: int
    end: int
    line: int
    data: tuple[Token, ...]


def unescape_codepoints(text: str) -> str:
    """`text` with `\\uXXXX` and `\\UXXXXXXXX` replaced by their characters, as the grammar applies
    them before anything else (an escape that names no character is left as written, and the
    lexer then refuses the backslash)."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _CODEPOINT.sub(replace, text)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def tokenize(text: str) -> list[Token]:
    """The tokens of `text` (already unescaped), whitespace and comments left out. Raises
    SparqlSyntaxError at the first character no SPARQL token starts with."""
    tokens: list[Token] = []
    position = 0
    size = len(text)
    while True:
        gap = _GAP.match(text, position)
        if gap:
            position = gap.end()
        if position >= size:
            return tokens
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            line, column = _position(text, position)
            shown = text[position : position + 20].split("\n")[0]
            raise SparqlSyntaxError(f"unexpected {shown!r}", line, column)
        kind = _KINDS[match.lastgroup or ""]
        tokens.append(Token(kind, match.group(), position, match.end()))
        position = match.end()


@dataclass(frozen=True)
class Reading:
    """A query or update read into tokens, and what the guards ask of it."""

    source: str  # as the client sent it
    text: str  # after codepoint escapes: what an engine parses, and what kg forwards
    tokens: tuple[Token, ...]

    def _words(self) -> list[str]:
        return [t.upper for t in self.tokens if t.kind == "word"]

    @cached_property
    def _body_start(self) -> int:
        """Index of the first token after the prologue (BASE and PREFIX declarations)."""
        tokens = self.tokens
        i = 0
        while i < len(tokens):
            word = tokens[i].upper if tokens[i].kind == "word" else ""
            if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
                i += 2
            elif (
                word == "PREFIX"
                and i + 2 < len(tokens)
                and tokens[i + 1].kind == "pname"
                and tokens[i + 1].text.endswith(":")
                and tokens[i + 2].kind == "iri"
            ):
                i += 3
            else:
                break
        return i

    @property
    def form(self) -> str | None:
        """SELECT, CONSTRUCT, DESCRIBE or ASK for a query; the first operation of an update
        (INSERT, DELETE, LOAD ...); None when the text starts with neither."""
        if self._body_start < len(self.tokens):
            first = self.tokens[self._body_start]
            if first.kind == "word" and first.upper in QUERY_FORMS | UPDATE_OPERATIONS:
                return first.upper
        return None

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_OPERATIONS

    @property
    def loads_from_the_web(self) -> bool:
        """Whether an update reads a document from a URL (LOAD)."""
        return any(t.kind == "word" and "LOAD" in t.upper for t in self.tokens)

    @property
    def uses_service(self) -> bool:
        """Whether the text may call SERVICE (federation, which opens connections). Counts every
        word, and every prefix of a prefixed name, that contains SERVICE in any case: engines
        that match keywords without a word boundary read `SERVICEex:s` as `SERVICE ex:s`."""
        for token in self.tokens:
            if token.kind == "word" and "SERVICE" in token.upper:
                return True
            if token.kind == "pname" and "SERVICE" in token.text.partition(":")[0].upper():
                return True
        return False

    @property
    def volatile_functions(self) -> frozenset[str]:
        """The functions called whose value changes between runs (NOW, RAND, UUID, STRUUID, BNODE)."""
        return frozenset(word for word in self._words() if word in VOLATILE_FUNCTIONS)

    @property
    def declared_prefixes(self) -> frozenset[str]:
        tokens = self.tokens
        return frozenset(
            tokens[i + 1].text[:-1]
            for i in range(len(tokens) - 1)
            if tokens[i].kind == "word" and tokens[i].upper == "PREFIX" and tokens[i + 1].kind == "pname"
        )

    @property
    def used_prefixes(self) -> frozenset[str]:
        """Prefixes of the prefixed names used outside PREFIX declarations."""
        tokens = self.tokens
        return frozenset(
            t.text.partition(":")[0]
            for i, t in enumerate(tokens)
            if t.kind == "pname" and not (i and tokens[i - 1].kind == "word" and tokens[i - 1].upper == "PREFIX")
        )

    def values_blocks(self) -> list[ValuesBlock]:
        """Every one-variable `VALUES ?name { ... }` block, wherever it is (top level or inside a
        subquery), with the offsets of its data block: where a stored query's parameter values
        are substituted, as terms, for the ones written in the file."""
        tokens = self.tokens
        blocks = []
        for i in range(len(tokens) - 2):
            if not (tokens[i].kind == "word" and tokens[i].upper == "VALUES" and tokens[i + 1].kind == "var"):
                continue
            opening = tokens[i + 2]
            if opening.kind != "punct" or opening.text != "{":
                continue
            for j in range(i + 3, len(tokens)):
                if tokens[j].kind == "punct" and tokens[j].text == "}":
                    line, _ = _position(self.text, tokens[i].start)
                    blocks.append(
                        ValuesBlock(tokens[i + 1].text[1:], opening.start, tokens[j].end, line, tokens[i + 3 : j])
                    )
                    break
        return blocks

    def modifiers_after_pattern(self) -> frozenset[str]:
        """The words written after the query's outermost pattern closes (ORDER, BY, LIMIT, OFFSET,
        GROUP, HAVING, VALUES ...): whether a LIMIT and OFFSET can be added at the end."""
        depth = 0
        opened = False
        words: set[str] = set()
        for token in self.tokens[self._body_start :]:
            if token.kind == "punct" and token.text == "{":
                depth += 1
                opened = True
            elif token.kind == "punct" and token.text == "}":
                depth -= 1
                if depth == 0:
                    words.clear()  # a later top-level pattern (CONSTRUCT's WHERE) starts again
            elif depth == 0 and opened and token.kind == "word":
                words.add(token.upper)
        return frozenset(words)

    def where_brace(self) -> int:
        """Offset in `text` just after the `{` that opens the query's WHERE pattern, where a
        VALUES block can go. Raises ValueError when there is none (DESCRIBE without WHERE) or it
        cannot hold one (CONSTRUCT WHERE)."""
        form = self.form
        if form not in QUERY_FORMS:
            raise ValueError("only a query (SELECT, CONSTRUCT, DESCRIBE, ASK) has a WHERE pattern")
        depth = 0
        seen_where = False
        braces_at_top = 0
        for token in self.tokens[self._body_start :]:
            if token.kind == "punct" and token.text == "{":
                if depth == 0:
                    braces_at_top += 1
                    if seen_where or form in ("SELECT", "ASK"):
                        return token.end
                depth += 1
            elif token.kind == "punct" and token.text == "}":
                depth -= 1
            elif depth == 0 and token.kind == "word" and token.upper == "WHERE":
                if form == "CONSTRUCT" and braces_at_top == 0:
                    raise ValueError("CONSTRUCT WHERE cannot bind values; write the template out")
                seen_where = True
        raise ValueError("the query has no WHERE pattern to bind values in")


def read(text: str) -> Reading:
    """Read a query or an update. Raises SparqlSyntaxError when the text is not SPARQL tokens."""
    unescaped = unescape_codepoints(text)
    left = _CODEPOINT.search(unescaped)
    if left is not None:
        # An escape that spells another escape (`\\u005Cu0053`) reads differently to engines
        # that unescape once and to those that unescape again: not accepted.
        raise SparqlSyntaxError(
            "a codepoint escape that spells another codepoint escape", *_position(unescaped, left.start())
        )
    tokens = tuple(tokenize(unescaped))
    for token in tokens:
        if token.kind == "word" and token.upper not in SPARQL_WORDS:
            raise SparqlSyntaxError(
                f"{token.text!r} is not a SPARQL 1.1 keyword or function", *_position(unescaped, token.start)
            )
        name = (token.text[1:] if token.kind == "iri" else token.text if token.kind == "pname" else "").lower()
        if name.startswith(CODE_SCHEMES):
            raise SparqlSyntaxError(
                f"{token.text} names a server's built-in code, which is not accepted",
                *_position(unescaped, token.start),
            )
    return Reading(text, unescaped, tokens)
