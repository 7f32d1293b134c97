"""A document's N-Triples lines, a batch's run and the merged lines, as blocks of bytes.

The build moves every line of the graph several times: a document's lines are sorted once and
kept, a batch's are merged into a run, and the merged runs are counted. Done on one bytes block
each (in C, `kg._native`, when kg was built with it), none of these makes a Python object per
line. The Python versions below give the same bytes; `kg.native` says which run.
"""

from __future__ import annotations

from array import array
from itertools import chain, groupby

from kg import native


def document_block(lines: list[str]) -> bytes:
    """A document's lines: sorted by their UTF-8 bytes, each once, each ending in a line end."""
    if native.loops is not None:
        return native.loops.document_block(lines)
    return b"".join(line + b"\n" for line in sorted({line.encode("utf-8") for line in lines}))


def block_lines(block: bytes) -> list[bytes]:
    return block.split(b"\n")[:-1]


def merge_blocks(blocks: list[bytes]) -> bytes:
    """Sorted blocks merged into one sorted block, every line of each kept."""
    if native.loops is not None:
        return native.loops.merge_blocks(blocks)
    return b"".join(line + b"\n" for line in sorted(chain.from_iterable(map(block_lines, blocks))))


def count_adjacent(block: bytes) -> tuple[bytes, list[int]]:
    """Sorted lines with repeats (each a whole line) -> the block with each line once, and how
    many times each came."""
    if native.loops is not None:
        distinct, counts = native.loops.count_adjacent(block)
        return distinct, array("I", counts).tolist()
    lines, counts = [], []
    for text, same in groupby(block.split(b"\n")[:-1]):
        lines.append(text)
        counts.append(sum(1 for _ in same))
    return b"".join(line + b"\n" for line in lines), counts
