"""The header a stored query (`queries/*.rq`) declares itself with: comment lines at the top of
the file, read here into a `Header`. The syntax is documented in `queries/README.md`.

Plain `#` lines are the description; `#+ key: value` lines are directives (summary, param, column,
pages). Anything the header gets wrong raises `HeaderError` with the file and line, so a broken
query stops the build and the server instead of silently missing from the API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

PARAM_TYPES = ("iri", "date", "integer", "string", "language", "boolean")
COLUMN_TYPES = ("iri", "string", "integer", "decimal", "date", "year", "boolean", "language", "duration")
RESERVED = frozenset({"limit", "offset"})  # the paging parameters
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_DIRECTIVE = re.compile(r"#\+\s*([a-z]+)\s*:\s?(.*)")
_WORD = re.compile(r'\s*(?:([a-z]+)=)?("(?:[^"\\]|\\.)*"|[^\s"]+)')


class HeaderError(ValueError):
    """A header that does not parse: names the file and the line."""

    def __init__(self, path: Path | str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # one of PARAM_TYPES
    description: str
    line: int
    required: bool = False
    many: bool = False
    default: tuple[str, ...] = ()  # lexical values, used when the request gives none
    enum: tuple[str, ...] = ()  # allowed values, given in the header
    values_of: str | None = None  # allowed values taken from the data: objects of this property
    class_iri: str | None = None  # for type iri: the class its values must be instances of
    example: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # one of COLUMN_TYPES
    description: str
    optional: bool  # may be unbound (null) in a row
    line: int


@dataclass(frozen=True)
class Header:
    summary: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[Column, ...]
    pages: bool
    lines: int  # how many lines the header takes
    prefixes: dict[str, str] = field(default_factory=dict)  # filled by the catalog, for expanding class=


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _words(text: str, path: Path | str, line: int) -> list[tuple[str | None, str]]:
    """`key=value` and bare words, values optionally in double quotes."""
    out: list[tuple[str | None, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _WORD.match(text, position)
        if match is None or match.end() == position:
            raise HeaderError(path, line, f"cannot read {text[position:].strip()!r}")
        out.append((match.group(1), _unquote(match.group(2))))
        position = match.end()
    return out


def _list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _split_description(rest: str, path: Path | str, line: int, what: str) -> tuple[str, str]:
    spec, dashes, description = rest.partition(" -- ")
    if not dashes or not description.strip():
        raise HeaderError(path, line, f"a {what} needs a description after ' -- '")
    return spec, description.strip()


def _param(rest: str, path: Path | str, line: int) -> Param:
    spec, description = _split_description(rest, path, line, "param")
    words = _words(spec, path, line)
    if len(words) < 2 or words[0][0] or words[1][0]:
        raise HeaderError(path, line, "expected `#+ param: NAME TYPE [options] -- description`")
    name, kind = words[0][1], words[1][1]
    if not _NAME.fullmatch(name):
        raise HeaderError(path, line, f"{name!r} is not a parameter name (letters, digits, _; a letter first)")
    if name in RESERVED:
        raise HeaderError(path, line, f"{name!r} is reserved for paging")
    if kind not in PARAM_TYPES:
        raise HeaderError(path, line, f"unknown type {kind!r} for {name}; known: {', '.join(PARAM_TYPES)}")
    options: dict[str, object] = {}
    for key, value in words[2:]:
        if key is None:
            if value not in ("required", "many"):
                raise HeaderError(path, line, f"unknown option {value!r} (required, many, or key=value)")
            options[value] = True
        elif key in ("default", "example"):  # repeated for several values
            options[key] = (*options.get(key, ()), value)  # type: ignore[misc]
        elif key == "enum":
            options[key] = _list(value)
        elif key == "values":
            options["values_of"] = value
        elif key == "class":
            options["class_iri"] = value
        else:
            raise HeaderError(
                path, line, f"unknown option {key}= (default=, example=, enum=, values=, class=, required, many)"
            )
    param = Param(name=name, type=kind, description=description, line=line, **options)  # type: ignore[arg-type]
    if param.required and param.default:
        raise HeaderError(path, line, f"{name} is required and has a default: one or the other")
    if kind == "iri" and param.enum:
        raise HeaderError(path, line, f"{name}: an IRI parameter takes class=, not enum=")
    if kind != "iri" and param.class_iri:
        raise HeaderError(path, line, f"{name}: class= is for IRI parameters")
    if param.enum and param.values_of:
        raise HeaderError(path, line, f"{name}: allowed values are given (enum=) or taken from the data (values=)")
    if not param.many and (len(param.default) > 1 or len(param.example) > 1):
        raise HeaderError(path, line, f"{name} takes one value: add `many` to give several")
    if not param.example:
        raise HeaderError(path, line, f"{name} has no example=")
    return param


def _column(rest: str, path: Path | str, line: int) -> Column:
    spec, description = _split_description(rest, path, line, "column")
    words = _words(spec, path, line)
    if len(words) < 2 or any(key for key, _ in words):
        raise HeaderError(path, line, "expected `#+ column: NAME TYPE [optional] -- meaning`")
    name, kind = words[0][1], words[1][1]
    if not _NAME.fullmatch(name):
        raise HeaderError(path, line, f"{name!r} is not a column name")
    if kind not in COLUMN_TYPES:
        raise HeaderError(path, line, f"unknown column type {kind!r}; known: {', '.join(COLUMN_TYPES)}")
    flags = [value for _, value in words[2:]]
    if any(flag != "optional" for flag in flags):
        raise HeaderError(path, line, f"unknown column option in {flags}; only `optional`")
    return Column(name, kind, description, bool(flags), line)


def parse_header(text: str, path: Path | str) -> Header:
    """The header of a stored query's text. Raises HeaderError naming `path` and the line."""
    description: list[str] = []
    summary: str | None = None
    params: list[Param] = []
    columns: list[Column] = []
    pages: bool | None = None
    count = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line.startswith("#"):
            break
        count = number
        if not line.startswith("#+"):
            description.append(line[1:].strip())
            continue
        match = _DIRECTIVE.fullmatch(line)
        if match is None:
            raise HeaderError(path, number, "expected `#+ key: value`")
        key, rest = match.group(1), match.group(2).strip()
        if key == "summary":
            if summary is not None:
                raise HeaderError(path, number, "a second summary")
            if not rest:
                raise HeaderError(path, number, "an empty summary")
            summary = rest
        elif key == "param":
            param = _param(rest, path, number)
            if any(p.name == param.name for p in params):
                raise HeaderError(path, number, f"a second param {param.name}")
            params.append(param)
        elif key == "column":
            column = _column(rest, path, number)
            if any(c.name == column.name for c in columns):
                raise HeaderError(path, number, f"a second column {column.name}")
            columns.append(column)
        elif key == "pages":
            if rest not in ("yes", "no"):
                raise HeaderError(path, number, f"pages: yes or no, not {rest!r}")
            pages = rest == "yes"
        else:
            raise HeaderError(path, number, f"unknown directive {key!r} (summary, param, column, pages)")
    if summary is None:
        raise HeaderError(path, 1, "the header has no `#+ summary:` line")
    text_description = " ".join(part for part in description if part)
    if not text_description:
        raise HeaderError(path, 1, "the header has no description (plain `#` lines)")
    return Header(
        summary=summary,
        description=text_description,
        params=tuple(params),
        columns=tuple(columns),
        pages=bool(pages),
        lines=count,
    )


def describe(text: str) -> str:
    """The description of a query's text (its plain `#` lines, not the directives), for the pages
    that list the stored queries; empty when there is none."""
    parts = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith("#"):
            break
        if not line.startswith("#+"):
            parts.append(line[1:].strip())
    return " ".join(part for part in parts if part)
