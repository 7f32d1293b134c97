"""Readable, deterministic Turtle from sorted N-Triples lines, written by Oxigraph (Rust).

The build holds every triple as a sorted N-Triples line. Oxigraph's streaming serializer groups
consecutive triples of one subject (`;`) and of one predicate (`,`), so feeding it the sorted
lines gives one block per subject, in the order of the dump, at about half the CPU of writing
Turtle in Python. Two things it does not promise are added here: the `@prefix` lines come
sorted (Oxigraph writes them in hash order), and a blank line separates subjects. Both are
plain byte edits: Oxigraph escapes line breaks inside literals, so a line ending in ` .` always
ends a subject's block.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox


def _header(prefixes: dict[str, str]) -> bytes:
    return "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(prefixes.items())).encode("utf-8")


class _Range(io.RawIOBase):
    """Bytes `start` to `end` of a file, read as a stream: one piece of the sorted dump."""

    def __init__(self, handle: BinaryIO, start: int, end: int):
        handle.seek(start)
        self.handle, self.left = handle, end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self.left <= 0:
            return 0
        view = memoryview(buffer)[:min(len(buffer), self.left)]
        count = self.handle.readinto(view) or 0
        self.left -= count
        return count


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
            if len(self.skipped) == len(self.header) and \
                    sorted(self.skipped.splitlines()) != sorted(self.header.splitlines()):
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
    spaced = _Spaced(out, _header(prefixes))
    triples = ox.parse(source, format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(triples, spaced, format=ox.RdfFormat.TURTLE, prefixes=dict(sorted(prefixes.items())))
    spaced.close()


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
        write_turtle(io.BufferedReader(_Range(handle, start, end), 1 << 20), out, prefixes)


def write_turtle_file(sorted_nt: Path, target: Path, prefixes: dict[str, str], processes: int = 1) -> None:
    """Turtle of a sorted N-Triples file; with `processes` > 1, pieces are written in parallel
    and concatenated, which gives the same bytes as one process."""
    points = split_points(sorted_nt, max(processes, 1))
    with target.open("wb") as out:
        out.write(_header(prefixes) + b"\n")
        if len(points) <= 2:
            with sorted_nt.open("rb") as handle:
                write_turtle(handle, out, prefixes)
        else:
            _write_pieces(sorted_nt, points, target, out, prefixes)
        if out.tell() > len(_header(prefixes)) + 1:
            out.truncate(out.tell() - 1)  # the blank line after the last block


def _write_pieces(sorted_nt: Path, points: list[int], target: Path, out: BinaryIO,
                  prefixes: dict[str, str]) -> None:
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
