"""Readable, deterministic Turtle from sorted N-Triples lines.

The build already holds every triple as a sorted N-Triples line; writing Turtle from those lines
directly keeps the order (subject blocks sorted, rdf:type first), sorts the prefixes, and puts a
blank line between subjects, which general serializers do not promise. N-Triples terms are valid
Turtle terms, so only IRIs and datatypes are abbreviated.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
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


def _header(prefixes: dict[str, str]) -> bytes:
    return "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(prefixes.items())).encode("utf-8")


def write_turtle(lines: Iterable[bytes], out: BinaryIO, prefixes: dict[str, str], *, header: bool = True) -> None:
    """Write sorted, deduplicated N-Triples `lines` as Turtle to `out`."""
    compact = _Compactor(prefixes)
    if header:
        out.write(_header(prefixes))
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


def _subject_of(line: bytes) -> bytes:
    return line.split(b" ", 1)[0]


def split_points(sorted_nt: Path, pieces: int) -> list[int]:
    """Byte offsets cutting a sorted N-Triples file into about equal pieces, each cut at the start
    of a subject's first line so no subject block is split."""
    size = sorted_nt.stat().st_size
    points = [0]
    with sorted_nt.open("rb") as handle:
        for k in range(1, pieces):
            handle.seek(max(size * k // pieces, points[-1]))
            if handle.tell() > 0:
                handle.readline()  # to the start of the next whole line
            previous = None
            while True:
                offset = handle.tell()
                line = handle.readline()
                if not line:
                    break
                subject = _subject_of(line)
                if previous is not None and subject != previous:
                    break
                previous = subject
            if offset > points[-1] and offset < size:
                points.append(offset)
    points.append(size)
    return points


def _write_range(task: tuple[str, int, int, str, dict[str, str]]) -> None:
    source, start, end, target, prefixes = task
    with open(source, "rb") as handle, open(target, "wb") as out:
        handle.seek(start)

        def lines() -> Iterator[bytes]:
            position = start
            for line in handle:
                if position >= end:
                    return
                position += len(line)
                yield line.rstrip(b"\n")

        write_turtle(lines(), out, prefixes, header=False)


def write_turtle_file(sorted_nt: Path, target: Path, prefixes: dict[str, str], processes: int = 1) -> None:
    """Turtle of a sorted N-Triples file; with `processes` > 1, pieces are written in parallel
    and concatenated, which gives the same bytes as one process."""
    points = split_points(sorted_nt, max(processes, 1))
    with target.open("wb") as out:
        out.write(_header(prefixes))
        if len(points) <= 2:
            with sorted_nt.open("rb") as handle:
                write_turtle((line.rstrip(b"\n") for line in handle), out, prefixes, header=False)
            return
        pieces = [target.with_name(f"{target.name}.{index}") for index in range(len(points) - 1)]
        tasks = [(str(sorted_nt), a, b, str(piece), prefixes) for a, b, piece in zip(points, points[1:], pieces)]
        import multiprocessing

        try:
            with multiprocessing.get_context("fork").Pool(len(tasks)) as pool:
                pool.map(_write_range, tasks)
            for piece in pieces:
                with piece.open("rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 20)
        finally:
            for piece in pieces:
                piece.unlink(missing_ok=True)
