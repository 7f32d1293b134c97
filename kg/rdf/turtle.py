"""Readable, deterministic Turtle from sorted N-Triples lines, written by Oxigraph (Rust).

The build holds every triple as a sorted N-Triples line. Oxigraph's streaming serializer groups
consecutive triples of one subject (`;`) and of one predicate (`,`), so feeding it the sorted
lines gives one block per subject, in the order of the dump, at about half the CPU of writing
Turtle in Python. Two things it does not promise are added here: the `@prefix` lines come
sorted (Oxigraph writes them in hash order), and a blank line separates subjects. Both are
plain byte edits: Oxigraph escapes line breaks inside literals, so a line ending in ` .` always
ends a subject's block.

The build writes tens of millions of lines, and the round trip through Oxigraph's Python objects
costs about 2 us a line; `kg._native.turtle` writes the same bytes from the lines themselves in
a tenth of that, and hands back to Oxigraph any piece it cannot be sure of.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import IO, BinaryIO, cast

import pyoxigraph as ox

import kg.native  # kg.native.loops: None without the C loops (Oxigraph writes every piece)


def turtle_header(prefixes: dict[str, str]) -> bytes:
    """The @prefix lines, sorted."""
    return "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(prefixes.items())).encode("utf-8")


class _Spaced:
    """Oxigraph's output minus its own `@prefix` lines, with a blank line after each block.
    Only whole lines are edited, so a block's closing ` .\\n` is never cut between writes."""

    def __init__(self, out: BinaryIO, header: bytes):
        self.out, self.header, self.skipped, self.tail = out, header, b"", b""

    def write(self, data: bytes) -> int:
        size = len(data)
        data = bytes(data)
        if len(self.skipped) < len(self.header):
            cut = len(self.header) - len(self.skipped)
            self.skipped += data[:cut]
            data = data[cut:]
            if len(self.skipped) == len(self.header) and sorted(self.skipped.splitlines()) != sorted(
                self.header.splitlines()
            ):
                raise ValueError("unexpected Turtle header from the serializer")
        data = self.tail + data
        end = data.rfind(b"\n") + 1
        self.tail = data[end:]
        if end:
            self.out.write(data[:end].replace(b" .\n", b" .\n\n"))
        return size

    def flush(self) -> None:
        self.out.flush()

    def close(self) -> None:
        if self.tail:
            raise ValueError("Turtle from the serializer ends in the middle of a line")


def write_turtle(source: BinaryIO, out: BinaryIO, prefixes: dict[str, str]) -> None:
    """Write the sorted, deduplicated N-Triples of `source` to `out` as Turtle without the
    `@prefix` header (the caller writes it once, before every piece); each subject's block is
    followed by a blank line, so pieces written apart concatenate to the whole."""
    spaced = _Spaced(out, turtle_header(prefixes))
    triples = ox.parse(source, format=ox.RdfFormat.N_TRIPLES)
    # Oxigraph only calls `write` and `flush` on its output, which _Spaced has; the stub asks for a whole IO[bytes].
    ox.serialize(triples, cast(IO[bytes], spaced), format=ox.RdfFormat.TURTLE, prefixes=dict(sorted(prefixes.items())))
    spaced.close()


@lru_cache(maxsize=8)
def _prefix_pairs(items: tuple[tuple[str, str], ...]) -> tuple[tuple[bytes, bytes], ...] | None:
    """The prefixes as `kg._native.turtle` takes them; None when one namespace starts another
    (which prefix Oxigraph picks then is its own affair)."""
    namespaces = [ns for _, ns in items]
    if any(a != b and b.startswith(a) for a in namespaces for b in namespaces):
        return None
    return tuple((name.encode("utf-8"), ns.encode("utf-8")) for name, ns in items)


def turtle_blocks(nt: bytes, prefixes: dict[str, str], native: bool = True) -> bytes:
    """`write_turtle` of the sorted, deduplicated N-Triples lines `nt`, as bytes: in C where it
    can be sure of every line (the same bytes), else by Oxigraph. `native=False` always asks
    Oxigraph."""
    if native and kg.native.loops is not None:
        pairs = _prefix_pairs(tuple(sorted(prefixes.items())))
        if pairs is not None:
            written = kg.native.loops.turtle(nt, pairs)
            if written is not None:
                return written
    body = io.BytesIO()
    write_turtle(io.BytesIO(nt), body, prefixes)
    return body.getvalue()
