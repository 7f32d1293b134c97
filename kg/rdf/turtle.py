"""Readable, deterministic Turtle from sorted N-Triples lines.

The build already holds every triple as a sorted N-Triples line; writing Turtle from those lines
directly keeps the order (subject blocks sorted, rdf:type first), sorts the prefixes, and puts a
blank line between subjects, which general serializers do not promise. N-Triples terms are valid
Turtle terms, so only IRIs and datatypes are abbreviated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import BinaryIO

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_BARE = {f'^^<{XSD}integer>': re.compile(r'"[+-]?[0-9]+"'), f'^^<{XSD}boolean>': re.compile(r'"(true|false)"')}


class _Compactor:
    """`<iri>` -> `prefix:local` where the IRI is a namespace plus a safe Turtle name.

    The namespace is found by splitting at the last `#` or `/`, a dictionary look-up rather than
    a scan of every prefix; only vocabulary terms are cached, so memory does not grow with the
    number of distinct subjects."""

    def __init__(self, prefixes: dict[str, str]):
        self.namespaces = {ns: name for name, ns in prefixes.items()}
        self.cache: dict[str, str] = {}

    def __call__(self, term: str) -> str:
        found = self.cache.get(term)
        if found is not None:
            return found
        if not term.startswith("<"):
            return term
        iri = term[1:-1]
        cut = max(iri.rfind("#"), iri.rfind("/")) + 1
        name = self.namespaces.get(iri[:cut])
        if name is None or not _LOCAL.fullmatch(iri[cut:]):
            return term
        found = self.cache[term] = f"{name}:{iri[cut:]}"
        return found


def _object(term: str, compact: _Compactor) -> str:
    if term.startswith("<") or term.startswith("_:"):
        return compact(term)
    if term.endswith(">"):  # a typed literal
        lexical, _, datatype = term.rpartition("^^")
        bare = _BARE.get("^^" + datatype)
        if bare is not None and bare.fullmatch(lexical):
            return lexical[1:-1]
        return f"{lexical}^^{compact(datatype)}"
    return term


def _split(line: str) -> tuple[str, str, str]:
    subject, predicate, rest = line.split(" ", 2)
    return subject, predicate, rest[:-2] if rest.endswith(" .") else rest.rstrip(" .")


def write_turtle(lines: Iterable[bytes], out: BinaryIO, prefixes: dict[str, str]) -> None:
    """Write sorted, deduplicated N-Triples `lines` as Turtle to `out`."""
    compact = _Compactor(prefixes)
    header = "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(prefixes.items()))
    out.write(header.encode("utf-8"))
    block: list[tuple[str, str]] = []
    subject = None
    chunk: list[str] = []

    def flush() -> None:
        if subject is None:
            return
        types = [o for p, o in block if p == RDF_TYPE]
        others = [(p, o) for p, o in block if p != RDF_TYPE]
        groups: list[tuple[str, list[str]]] = [("a", types)] if types else []
        for p, o in others:
            if groups and groups[-1][0] == p:
                groups[-1][1].append(o)
            else:
                groups.append((p, [o]))
        parts = []
        for p, objects in groups:
            name = p if p == "a" else compact(p)
            rendered = [_object(o, compact) for o in objects]
            joiner = " ,\n        " if len(rendered) > 3 else " , "
            parts.append(f"    {name} {joiner.join(rendered)}")
        chunk.append(f"\n{compact(subject)}\n" + " ;\n".join(parts) + " .\n")
        if len(chunk) >= 4096:
            out.write("".join(chunk).encode("utf-8"))
            chunk.clear()

    for raw in lines:
        if not raw:
            continue
        s, p, o = _split(raw.decode("utf-8"))
        if s != subject:
            flush()
            subject, block = s, []
        block.append((p, o))
    flush()
    out.write("".join(chunk).encode("utf-8"))
