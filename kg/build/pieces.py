"""The graph files in pieces, so that a rebuild rewrites only the pieces its change touches.

The graph is sorted, unique N-Triples lines. It is cut before the first line of every subject
whose hash is a multiple of SPAN: the cuts depend on the content alone, so a change moves no cut
except where it adds or removes such a subject, and a full build and an incremental one cut the
same graph in the same places. Each piece is

- one gzip member of `graph.nt.gz` (members concatenate into one gzip file for every reader),
- one run of whole subject blocks of `graph.ttl` (subject blocks do not depend on each other),
- one zlib member of the counts file: how many documents give each of its lines that more than
  one document gives, so that a rebuild dropping a line from one document knows whether another
  still gives it.

The piece index says how long each piece is in each file. An incremental build loads only the
pieces its change falls in, applies the change, cuts them again, renders them, and copies every
other piece's bytes from the previous files: the same bytes a full build would write.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import queue
import shutil
import threading
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, compress, pairwise, repeat
from operator import itemgetter, ne
from pathlib import Path
from typing import BinaryIO

import isal
from isal import igzip

import kg.build.lines
import kg.native
from kg.build.lines import count_adjacent
from kg.rdf.turtle import _prefix_pairs, turtle_blocks, turtle_header

SPAN = 128  # subjects per piece, on average: ~900 lines, ~100 KB of N-Triples
SEGMENT = 8 << 20  # bytes of counted lines per task of a full build's writers
INDEX_FORMAT = 1
GZIP_WRITER = f"isal {isal.__version__}"  # pieces another version compressed may differ: not reused
COPY_CHUNK = 1 << 20  # bytes per copy_file_range: on ext4 one call of a GB copies 4x slower than 1 MB calls
CACHE = ".cache"  # in the output folder: what a build keeps for the next one
CHANGE = "change"  # in CACHE: the lines the last incremental build removed and added


class StalePieces(Exception):
    """The piece index does not describe the files, or a change does not fit them: the caller
    writes everything again from the documents' triples."""


def subject_key(line: bytes) -> bytes:
    """A line's subject and the space after it: lines with the same key are neighbours in sorted
    order, and keys sort as their lines do."""
    return line[: line.index(b" ") + 1]


@dataclass(frozen=True)
class Piece:
    key: bytes  # the subject of its first line, with the space after it
    lines: int
    gz: int  # its bytes in graph.nt.gz
    ttl: int  # in graph.ttl
    counts: int  # in the counts file


@dataclass(frozen=True)
class Rendered:
    piece: Piece
    gz: bytes
    ttl: bytes
    counts: bytes


@dataclass(frozen=True)
class Paths:
    """The three files a piece lives in."""

    gz: Path
    ttl: Path
    counts: Path


@dataclass
class PieceIndex:
    pieces: list[Piece]
    header: int  # bytes of graph.ttl before the first piece: the @prefix lines and a blank line
    files: dict[str, list[int]]  # what file_stats said of the files when they were written
    graph_sha256: str  # of graph.nt.gz
    build: str = ""  # which build wrote it (the build's other records say the same)

    @property
    def triples(self) -> int:
        return sum(piece.lines for piece in self.pieces)

    def save(self, path: Path) -> None:
        data = {
            "format": INDEX_FORMAT,
            "span": SPAN,
            "gzip": GZIP_WRITER,
            "header": self.header,
            "files": self.files,
            "graph_sha256": self.graph_sha256,
            "build": self.build,
            "pieces": [[p.key.decode("utf-8"), p.lines, p.gz, p.ttl, p.counts] for p in self.pieces],
        }
        path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, path: Path, paths: Paths) -> PieceIndex | None:
        """The index at `path` if it describes the files at `paths` as they are now, else None."""
        try:
            data = json.loads(path.read_bytes())
            if data.get("format") != INDEX_FORMAT or data.get("span") != SPAN or data.get("gzip") != GZIP_WRITER:
                return None
            index = cls(
                [Piece(key.encode("utf-8"), *sizes) for key, *sizes in data["pieces"]],
                data["header"],
                data["files"],
                data["graph_sha256"],
                data["build"],
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return index if index.files == file_stats(paths) else None


def file_stats(paths: Paths) -> dict[str, list[int]]:
    """Size, mtime and inode of each file, by its role: renaming a file keeps them."""
    stats = {}
    for role, path in (("gz", paths.gz), ("ttl", paths.ttl), ("counts", paths.counts)):
        try:
            st = path.stat()
        except OSError:
            return {}
        stats[role] = [st.st_size, st.st_mtime_ns, st.st_ino]
    return stats


# --- one piece -------------------------------------------------------------------------------


def render(lines: list[bytes], counts: list[int], prefixes: dict[str, str]) -> Rendered:
    """A piece's bytes in each file. Its Turtle starts with the blank line that separates it
    from what comes before, so pieces concatenate after the @prefix lines into the whole."""
    nt = b"\n".join(lines) + b"\n"
    ttl = b"\n" + turtle_blocks(nt, prefixes)[:-1]  # each block is followed by a blank line: moved before
    shared = b"\n".join(b"%d %d" % (i, count) for i, count in enumerate(counts) if count != 1)
    gz = igzip.compress(nt, compresslevel=2, mtime=0)  # ISA-L: 4x zlib's speed at level 3, as small
    # (kg._native.segment gives the same pieces; `_native_segment` compresses them the same way)
    counted = zlib.compress(shared, 1)
    return Rendered(Piece(subject_key(lines[0]), len(lines), len(gz), len(ttl), len(counted)), gz, ttl, counted)


def render_all(chunks: list[tuple[list[bytes], list[int]]], prefixes: dict[str, str]) -> list[Rendered]:
    return [render(lines, counts, prefixes) for lines, counts in chunks]


def decode(gz: bytes, counted: bytes) -> tuple[list[bytes], list[int]]:
    """A piece's lines and their counts, from its bytes in graph.nt.gz and the counts file."""
    try:
        lines = gzip.decompress(gz).split(b"\n")
        shared = zlib.decompress(counted)
    except (OSError, EOFError, zlib.error) as error:
        raise StalePieces(f"a piece cannot be read: {error}") from error
    if lines.pop() != b"":
        raise StalePieces("a piece does not end with a line end")
    counts = [1] * len(lines)
    for entry in shared.split(b"\n") if shared else ():
        position, count = entry.split(b" ")
        counts[int(position)] = int(count)
    return lines, counts


def cuts(lines: list[bytes]) -> list[int]:
    """Positions of the lines a piece starts at: the first line of each subject that is a cut.
    Every step over all lines runs in C (map, compress); Python sees only each subject's start."""
    subjects = list(map(itemgetter(0), map(bytes.partition, lines, repeat(b" "))))
    starts = compress(range(1, len(subjects)), map(ne, subjects[1:], subjects))
    return [position for position in chain((0,) if lines else (), starts) if zlib.crc32(subjects[position]) % SPAN == 0]


def split(
    lines: list[bytes], counts: list[int]
) -> tuple[tuple[list[bytes], list[int]], list[tuple[list[bytes], list[int]]]]:
    """(the lines before the first cut, the pieces from each cut to the next)."""
    points = cuts(lines)
    head = points[0] if points else len(lines)
    bounds = [*points, len(lines)]
    return (lines[:head], counts[:head]), [(lines[a:b], counts[a:b]) for a, b in pairwise(bounds)]


# --- a full build ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spilled:
    """A segment's whole pieces as a pool's process left them in a file of the scratch folder:
    their gzip members, then their Turtle, then their counts, each in piece order. Only the
    file's name and the pieces' index cross the pipe (2.5 MB of rendered bytes a block, pickled
    and piped, held each writer 5 ms between blocks); the bytes go to the graph files in the
    kernel (`os.sendfile`), and the file is removed once they have."""

    path: str
    pieces: list[Piece]

    def sizes(self) -> tuple[int, int, int]:
        return (
            sum(piece.gz for piece in self.pieces),
            sum(piece.ttl for piece in self.pieces),
            sum(piece.counts for piece in self.pieces),
        )


@dataclass(frozen=True)
class _Segment:
    head: tuple[list[bytes], list[int]]  # lines before its first cut: they end the piece before
    done: list[Rendered] | _Spilled  # the pieces from one cut to the next
    tail: tuple[list[bytes], list[int]] | None  # from its last cut to its end (None: no cut)


@dataclass(frozen=True)
class _FileRange:
    """A block of the merged file, read by offset (the pool's processes inherit `fd`)."""

    fd: int
    start: int
    end: int

    def read(self) -> bytes:
        return _pread(self.fd, self.start, self.end - self.start)


@dataclass(frozen=True)
class _RunSlices:
    """A block of the runs' merge: each run's slice of it, merged in C (`kg._native.merge_slices`)."""

    fds: tuple[int, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def read(self) -> bytes:
        loops = kg.native.loops
        assert loops is not None  # runs are sliced only where the C loops are (`write_runs`)
        return loops.merge_slices(self.fds, self.starts, self.ends)


def _write_segment(task: tuple[_FileRange | _RunSlices, dict[str, str], str | None]) -> _Segment:
    """A block read, counted, cut and rendered; with a file name, its whole pieces are left in
    that file (`_Spilled`) rather than returned."""
    source, prefixes, spill = task
    segment = _render_segment(source, prefixes)
    if spill is None or not segment.done:
        return segment
    assert isinstance(segment.done, list)
    fd = os.open(spill, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        for part in ("gz", "ttl", "counts"):
            for rendered in segment.done:
                _write_fully(fd, getattr(rendered, part))
    finally:
        os.close(fd)
    return _Segment(segment.head, _Spilled(spill, [rendered.piece for rendered in segment.done]), segment.tail)


def _write_fully(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _render_segment(source: _FileRange | _RunSlices, prefixes: dict[str, str]) -> _Segment:
    block = source.read()
    pairs = _prefix_pairs(tuple(sorted(prefixes.items())))
    if kg.native.loops is not None and pairs is not None:
        return _native_segment(block, prefixes, pairs)
    distinct, counts = count_adjacent(block)
    head, pieces = split(distinct.split(b"\n")[:-1], counts)
    if not pieces:
        return _Segment(head, [], None)
    return _Segment(head, render_all(pieces[:-1], prefixes), pieces[-1])


def _native_segment(block: bytes, prefixes: dict[str, str], pairs: tuple[tuple[bytes, bytes], ...]) -> _Segment:
    """`_write_segment` with the counting, cutting and Turtle in C (`kg._native.segment`): the
    same pieces, byte for byte; only compressing them is left here."""
    loops = kg.native.loops
    assert loops is not None  # `_write_segment` comes here only where the C loops are
    head, pieces, tail = loops.segment(block, SPAN, pairs)

    def chunk(nt: bytes, counts: bytes) -> tuple[list[bytes], list[int]]:
        return nt.split(b"\n")[:-1], array("I", counts).tolist()

    done = []
    for key, lines, nt, ttl, shared in pieces:
        if ttl is None:  # something only Oxigraph can say how to write
            ttl = b"\n" + turtle_blocks(nt, prefixes, native=False)[:-1]
        gz = igzip.compress(nt, compresslevel=2, mtime=0)
        counted = zlib.compress(shared, 1)
        done.append(Rendered(Piece(key, lines, len(gz), len(ttl), len(counted)), gz, ttl, counted))
    return _Segment(chunk(*head), done, chunk(*tail) if tail is not None else None)


def _pread(fd: int, offset: int, size: int) -> bytes:
    parts = []
    while size > 0:
        data = os.pread(fd, size, offset)
        if not data:
            break
        parts.append(data)
        offset, size = offset + len(data), size - len(data)
    return b"".join(parts) if len(parts) != 1 else parts[0]


def block_bounds(fd: int, size: int, step: int) -> list[int]:
    """Offsets cutting the sorted lines of file `fd` into blocks of about `step` bytes, each
    starting at the first line of a subject (so the cut test needs nothing from the block
    before, and a line's repeats, which share its subject, are all in one block); from 0 to
    `size`. Only the lines near each cut are read."""
    bounds = [0]
    at = step
    while at < size:
        start = _next_subject(fd, at, size)
        if start >= size:
            break
        bounds.append(start)
        at = max(start + 1, bounds[-1] + step)
    bounds.append(size)
    return bounds


def _next_subject(fd: int, at: int, size: int) -> int:
    """The start of the first line after byte `at` whose subject is not that of the first line
    starting after `at` (`size` when there is none). A subject's lines can fill megabytes (a
    platform named by every answer): the end of its block is found by probing ahead in growing
    steps, then halving, reading a line at each probe, never the whole block."""
    found = _line_after(fd, at, size)
    if found is None:
        return size
    low, line = found
    key = subject_key(line)
    high, step = size, 1 << 12  # low: a line of the subject; high: one of another, or the end
    while low + step < size:
        probe = _line_after(fd, low + step, size)
        if probe is None:
            break
        if not probe[1].startswith(key):
            high = probe[0]
            break
        low, step = probe[0], step * 2
    while high - low > 1 << 16:
        probe = _line_after(fd, (low + high) // 2, high)
        if probe is None:
            break  # no line starts between the middle and `high`: scan from `low`
        if probe[1].startswith(key):
            low = probe[0]
        else:
            high = probe[0]
    data = _pread(fd, low, high - low)
    position = 0
    while True:
        end = data.find(b"\n", position)
        if end < 0:
            return high
        if not data.startswith(key, position):
            return low + position
        position = end + 1


def _line_after(fd: int, at: int, limit: int) -> tuple[int, bytes] | None:
    """(start, line) of the first line starting after byte `at` - 1 and before `limit`, its line
    end included; None when there is none."""
    chunk = 1 << 12
    data = _pread(fd, at - 1, chunk) if at > 0 else b"\n" + _pread(fd, 0, chunk)
    newline = data.find(b"\n")
    while newline < 0 and len(data) == chunk:  # inside a line longer than a read
        at += chunk - 1
        data = _pread(fd, at - 1, chunk)
        newline = data.find(b"\n")
    start = at + newline
    if newline < 0 or start >= limit:
        return None
    line = data[newline + 1 :]
    while b"\n" not in line:
        more = _pread(fd, start + len(line), max(chunk, len(line)))
        if not more:
            return None  # a last line without its line end
        line += more
    return start, line[: line.index(b"\n") + 1]


class _Writer:
    """Appends pieces to the three files and keeps their index."""

    def __init__(self, paths: Paths, header: bytes, source: Paths | None = None):
        self.paths = paths
        self.outs = [paths.gz.open("wb"), paths.ttl.open("wb"), paths.counts.open("wb")]
        self.sources = [path.open("rb") for path in (source.gz, source.ttl, source.counts)] if source else []
        self.outs[1].write(header)
        self.header = len(header)
        self.pieces: list[Piece] = []
        self.lines = 0  # in the pieces written so far

    def add(self, rendered: Rendered) -> None:
        for out, data in zip(self.outs, (rendered.gz, rendered.ttl, rendered.counts), strict=True):
            out.write(data)
        self.pieces.append(rendered.piece)
        self.lines += rendered.piece.lines

    def copy(self, offsets: tuple[int, int, int], pieces: list[Piece]) -> None:
        """Pieces as they are in the source files, from the given offsets on."""
        sizes = (sum(p.gz for p in pieces), sum(p.ttl for p in pieces), sum(p.counts for p in pieces))
        for source, out, offset, size in zip(self.sources, self.outs, offsets, sizes, strict=True):
            out.flush()
            copy_range(source, out, offset, size)
        self.pieces.extend(pieces)
        self.lines += sum(piece.lines for piece in pieces)

    def close(self) -> PieceIndex:
        """Every file synced, and graph.nt.gz hashed meanwhile, from the page cache: both wait on
        the system, not the GIL (a second each for the files of 100,000 documents)."""
        for handle in self.outs:
            handle.flush()
        digest: list[str] = []
        hashing = threading.Thread(target=lambda: digest.append(sha256(self.paths.gz)), name="kg-graph-hash")
        hashing.start()
        try:
            for handle in self.outs:
                os.fsync(handle.fileno())
        finally:
            hashing.join()
        self.abandon()
        if not digest:
            raise OSError(f"{self.paths.gz}: could not be read back to hash it")
        return PieceIndex(self.pieces, self.header, {}, digest[0])

    def abandon(self) -> None:
        for handle in self.outs + self.sources:
            handle.close()

    def discard(self) -> None:
        """Stop on a failure: nothing half-written is left behind."""
        self.abandon()
        for path in (self.paths.gz, self.paths.ttl, self.paths.counts):
            path.unlink(missing_ok=True)


class _BackgroundWriter(_Writer):
    """A `_Writer` whose writes, and the hash of graph.nt.gz, run in a thread of their own: the
    writes release the GIL, so the pool's rendered pieces keep being taken meanwhile (a full
    build writes 1.6 GB at 100,000, seconds of the main process before). Pieces only, no copies."""

    def __init__(self, paths: Paths, header: bytes):
        super().__init__(paths, header)
        self.digest = hashlib.sha256()
        self.queue: queue.Queue[Rendered | _Spilled | None] = queue.Queue(maxsize=256)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._write, name="kg-graph-files", daemon=True)
        self.thread.start()

    def add(self, rendered: Rendered) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(rendered)
        self.pieces.append(rendered.piece)
        self.lines += rendered.piece.lines

    def add_spilled(self, spilled: _Spilled) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(spilled)
        self.pieces.extend(spilled.pieces)
        self.lines += sum(piece.lines for piece in spilled.pieces)

    def _write(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:
                try:
                    if isinstance(item, _Spilled):
                        self._copy_spilled(item)
                        continue
                    for out, data in zip(self.outs, (item.gz, item.ttl, item.counts), strict=True):
                        out.write(data)
                    self.digest.update(item.gz)
                except BaseException as error:  # raised in the build's thread, at the next add or close
                    self.error = error

    def _copy_spilled(self, spilled: _Spilled) -> None:
        with open(spilled.path, "rb") as source:
            offset = 0
            for out, size in zip(self.outs, spilled.sizes(), strict=True):
                if out is self.outs[0]:
                    self.digest.update(_pread(source.fileno(), offset, size))
                out.flush()
                _send(source.fileno(), out.fileno(), offset, size)
                out.seek(0, os.SEEK_END)
                offset += size
        os.unlink(spilled.path)

    def _stop(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()

    def close(self) -> PieceIndex:
        self._stop()
        if self.error is not None:
            self.discard()
            raise self.error
        for handle in self.outs:
            handle.flush()
            os.fsync(handle.fileno())
        self.abandon()
        return PieceIndex(self.pieces, self.header, {}, self.digest.hexdigest())

    def abandon(self) -> None:
        self._stop()
        super().abandon()


def copy_range(source: BinaryIO, out: BinaryIO, offset: int, size: int) -> None:
    """`size` bytes of `source` from `offset`, appended to `out`, in the kernel where it can."""
    position = out.tell()
    while size > 0:
        try:
            done = os.copy_file_range(source.fileno(), out.fileno(), min(size, COPY_CHUNK), offset, position)
        except (AttributeError, OSError):
            done = 0
        if done <= 0:
            source.seek(offset)
            out.seek(position)
            _copy_slow(source, out, size)
            return
        _drop_cached(source.fileno(), offset, done)
        offset, position, size = offset + done, position + done, size - done
    out.seek(position)


def _send(source: int, out: int, offset: int, size: int) -> None:
    """`size` bytes of the file open as `source`, from `offset`, appended where `out` is: in the
    kernel (`os.sendfile`) where it can, else read and written here."""
    while size > 0:
        try:
            sent = os.sendfile(out, source, offset, size)
        except OSError:
            sent = -1
        if sent <= 0:
            data = _pread(source, offset, size)
            if len(data) < size:
                raise StalePieces("a rendered segment is shorter than its pieces say")
            _write_fully(out, data)
            return
        offset, size = offset + sent, size - sent


def _drop_cached(fd: int, offset: int, size: int) -> None:
    """Let the system drop what it caches of a range just copied: the source is a graph file
    this build replaces, and the pages it frees go to the copy's next megabyte, where new pages
    cost more (a 1% change at 100,000: its write phase 4.0-5.2 s to 3.6-4.2 s)."""
    try:
        os.posix_fadvise(fd, offset, size, os.POSIX_FADV_DONTNEED)
    except (AttributeError, OSError):
        pass


def _copy_slow(source: BinaryIO, out: BinaryIO, size: int) -> None:
    while size > 0:
        chunk = source.read(min(size, 1 << 20))
        if not chunk:
            raise StalePieces("a graph file is shorter than its piece index says")
        out.write(chunk)
        size -= len(chunk)


def sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_all(
    merged: Path,
    paths: Paths,
    prefixes: dict[str, str],
    processes: int = 1,
    progress: Callable[[int], None] | None = None,
) -> PieceIndex:
    """Write the graph files from the file `merged`: sorted lines, each as many times as
    documents give it. It is cut into blocks at subjects (`block_bounds`), and each block is
    read, counted, cut into pieces and rendered in `processes` processes, which read it from the
    file themselves: no line passes through this process on its way in. The pieces that
    straddle two blocks are rendered here. `progress` is told the number of triples written
    after each block."""
    with merged.open("rb") as source:
        fd = source.fileno()
        bounds = block_bounds(fd, os.fstat(fd).st_size, SEGMENT)
        return _write_blocks(
            [_FileRange(fd, start, end) for start, end in pairwise(bounds)],
            paths,
            prefixes,
            processes,
            progress,
            merged.parent,
        )


def write_runs(
    runs: list[Path],
    paths: Paths,
    prefixes: dict[str, str],
    scratch: Path,
    processes: int = 1,
    progress: Callable[[int], None] | None = None,
) -> PieceIndex:
    """Write the graph files from the sorted runs (each document's lines once per run): their
    merge is cut into blocks at subjects (`kg._native.plan_blocks`, a few lines of each run read
    per block), and each writer merges its block from the runs' slices itself, so that no
    merged file is written and read again and the merge runs in every writer at once. The runs
    are consumed: what the blocks have read is freed as they are written (`_write_blocks`). Without
    the C loops, or with more runs than files may be open, the runs are merged into a file in
    `scratch` first (`merge_runs`, `write_all`)."""
    if kg.native.loops is None or len(runs) > _open_files_allowed() - 64:
        merged = scratch / "merged.nt"
        merge_runs(runs, merged, scratch)
        return write_all(merged, paths, prefixes, processes, progress)
    try:
        plan = kg.native.loops.plan_blocks([str(run) for run in runs], SEGMENT)
    except (OSError, ValueError) as error:
        raise RuntimeError(f"merging the triples failed: {error}") from error
    fds: list[int] = []
    try:
        for run in runs:
            fds.append(os.open(run, os.O_RDWR))  # for `release`, which punches holes
        blocks = [_RunSlices(tuple(fds), tuple(starts), tuple(ends)) for starts, ends in pairwise(plan)]
        return _write_blocks(blocks, paths, prefixes, processes, progress, scratch)
    finally:
        for fd in fds:
            os.close(fd)


def _write_blocks(
    blocks: list[_FileRange] | list[_RunSlices],
    paths: Paths,
    prefixes: dict[str, str],
    processes: int,
    progress: Callable[[int], None] | None,
    spill: Path,
) -> PieceIndex:
    writer = _BackgroundWriter(paths, turtle_header(prefixes))
    # What every block so far has read of each run, freed as the blocks come back in order:
    # the graph files are written into memory just freed, not into pages the system must find.
    released = list(blocks[0].starts) if blocks and isinstance(blocks[0], _RunSlices) else None
    try:
        carry: tuple[list[bytes], list[int]] = ([], [])
        for number, segment in enumerate(_segments(blocks, prefixes, processes, spill)):
            if released is not None:
                block = blocks[number]
                assert isinstance(block, _RunSlices)
                loops = kg.native.loops
                assert loops is not None  # runs are sliced only where the C loops are (`write_runs`)
                released = loops.release(block.fds, released, block.ends)
            carry = (carry[0] + segment.head[0], carry[1] + segment.head[1])
            if segment.tail is None:
                continue
            if carry[0]:
                writer.add(render(*carry, prefixes))
            if isinstance(segment.done, _Spilled):
                writer.add_spilled(segment.done)
            else:
                for rendered in segment.done:
                    writer.add(rendered)
            carry = segment.tail
            if progress is not None:
                progress(writer.lines)
        if carry[0]:
            writer.add(render(*carry, prefixes))
    except BaseException:
        writer.discard()
        raise
    return writer.close()


def _segments(
    blocks: Sequence[_FileRange | _RunSlices], prefixes: dict[str, str], processes: int, spill: Path
) -> Iterator[_Segment]:
    """Each block written, in order; in a pool (forked: its processes read the files open here
    as they are) when there is more than one block, its pieces left in a file of `spill`, with
    a bounded number of blocks in flight, so that what the pool has rendered does not pile up."""
    if len(blocks) < 2 or processes < 2:
        yield from map(_write_segment, [(block, prefixes, None) for block in blocks])
        return
    tasks = [
        (block, prefixes, str(spill / f".segment-{os.getpid()}-{number:06d}")) for number, block in enumerate(blocks)
    ]
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
        window: deque[Future[_Segment]] = deque()
        for task in tasks:
            window.append(pool.submit(_write_segment, task))
            if len(window) > 8 * processes:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def merge_runs(runs: list[Path], merged: Path, scratch: Path) -> None:
    """Merge the sorted runs of lines (each document's lines once per run) into the file
    `merged`, sorted, repeats kept (`write_all` counts them: how many documents give each line):
    what a build does without the C loops (`write_runs`), or with more runs than files may be
    open at once. GNU sort merges out of core, in passes when there are that many runs, so
    memory stays bounded at any size; without it, in memory."""
    import subprocess

    sort = shutil.which("sort")
    if sort is None:
        _merge_in_memory(runs, merged)
        return
    env = {**os.environ, "LC_ALL": "C"}  # the byte order the runs are sorted in
    batch = max(16, min(len(runs) + 1, _open_files_allowed() - 32))  # one merge pass if it can
    done = subprocess.run(
        [sort, "-m", f"--batch-size={batch}", "-S", "256M", "-T", str(scratch), "-o", str(merged), *map(str, runs)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    if done.returncode != 0:
        raise RuntimeError(f"merging the triples failed: {sort}: {done.stderr.decode(errors='replace').strip()}")


def _open_files_allowed() -> int:
    try:
        import resource

        return resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):
        return 64


def _merge_in_memory(runs: list[Path], merged: Path) -> None:
    lines: list[bytes] = []
    for run in runs:
        lines.extend(line for line in run.read_bytes().split(b"\n") if line)
    lines.sort()
    with merged.open("wb") as out:
        out.writelines(line + b"\n" for line in lines)


# --- an incremental build ------------------------------------------------------------------------


@dataclass
class Change:
    """What an incremental build did to the graph: the lines it removed and added, sorted."""

    removed: list[bytes]
    added: list[bytes]
    index: PieceIndex
    rendered: int  # pieces written anew; the others were copied


Chunk = tuple[list[bytes], list[int]]  # a piece's lines and counts, not yet rendered
PARALLEL_PIECES = 64  # fewer touched pieces are changed here faster than a pool starts


@dataclass(frozen=True)
class _Changed:
    """What became of one touched piece."""

    head: Chunk  # its lines before its first cut: they join the piece before
    pieces: list[Rendered]  # from each cut on
    removed: list[bytes]
    added: list[bytes]


def _change_piece(task: tuple[bytes, bytes, list[tuple[bytes, int]], dict[str, str]]) -> _Changed:
    gz, counted, changes, prefixes = task
    lines, counts = decode(gz, counted) if gz else ([], [])
    removed: list[bytes] = []
    added: list[bytes] = []
    lines, counts = _moved(lines, counts, changes, removed, added)
    head, pieces = split(lines, counts)
    return _Changed(head, render_all(pieces, prefixes), removed, added)


def _changed_pieces(
    tasks: Iterator[tuple[bytes, bytes, list[tuple[bytes, int]], dict[str, str]]], count: int, processes: int
) -> Iterator[_Changed]:
    if processes < 2 or count < PARALLEL_PIECES:
        yield from map(_change_piece, tasks)
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(processes) as pool:
        yield from pool.imap(_change_piece, tasks, chunksize=8)


def apply_change(
    index: PieceIndex, old: Paths, new: Paths, delta: dict[bytes, int], prefixes: dict[str, str], processes: int = 1
) -> Change:
    """Write to `new` the files of `old` with each line's count of documents moved by `delta`
    (a line at 0 goes, a new line comes). Each touched piece is read, changed, cut again and
    rendered on its own (in `processes` processes); every other piece is copied. Raises
    StalePieces when the change does not fit (a count below 0): the caller then writes
    everything again."""
    keys = [piece.key for piece in index.pieces]
    touched: dict[int, list[tuple[bytes, int]]] = {}
    for line in sorted(delta):
        touched.setdefault(max(bisect_right(keys, line) - 1, 0), []).append((line, delta[line]))
    offsets = _offsets(index.pieces, index.header)
    removed: list[bytes] = []
    added: list[bytes] = []
    rendered = [0]  # pieces written anew
    # The new sequence of pieces, written as it is known (copying while the workers render),
    # all but its last: the next touched piece may join what it has left to that one.
    plan: list[int | Rendered] = []  # an int is a piece kept as it is
    writer = _Writer(new, turtle_header(prefixes), old)

    def flush(keep: int) -> None:
        done = len(plan) - keep
        step_at = 0
        while step_at < done:
            step = plan[step_at]
            if isinstance(step, int):  # kept: with the kept pieces right after it, one copy
                last, end = step_at, step  # the run's last place in the plan, and the piece there
                while last + 1 < done and plan[last + 1] == end + 1:
                    last, end = last + 1, end + 1
                writer.copy(offsets[step], index.pieces[step : end + 1])
                step_at = last + 1
            else:
                writer.add(step)
                rendered[0] += 1
                step_at += 1
        del plan[:done]

    try:
        with old.gz.open("rb") as gz, old.counts.open("rb") as counted:

            def read(position: int) -> tuple[bytes, bytes]:
                if not index.pieces:
                    return b"", b""
                piece, (at_gz, _, at_counts) = index.pieces[position], offsets[position]
                gz.seek(at_gz)
                counted.seek(at_counts)
                return gz.read(piece.gz), counted.read(piece.counts)

            order = sorted(touched)
            tasks = [(*read(position), touched[position], prefixes) for position in order]
            results = zip(order, _changed_pieces(iter(tasks), len(order), processes), strict=True)
            position = 0
            for at, changed in chain(results, [(max(len(index.pieces), 1 if touched else 0), None)]):
                plan.extend(range(position, at))  # kept as they are
                if changed is None:
                    break
                position = at + 1
                removed += changed.removed
                added += changed.added
                if changed.head[0]:  # its first subject is gone: what is left joins the piece before
                    if plan:
                        last = plan.pop()
                        before = decode(*read(last)) if isinstance(last, int) else decode(last.gz, last.counts)
                        plan.append(render(before[0] + changed.head[0], before[1] + changed.head[1], prefixes))
                    else:
                        plan.append(render(*changed.head, prefixes))
                plan.extend(changed.pieces)
                flush(keep=1)
            flush(keep=0)
    except BaseException:
        writer.discard()
        raise
    return Change(removed, added, writer.close(), rendered[0])


def _offsets(pieces: list[Piece], header: int) -> list[tuple[int, int, int]]:
    """Where each piece starts in graph.nt.gz, graph.ttl and the counts file."""
    found = []
    gz, ttl, counts = 0, header, 0
    for piece in pieces:
        found.append((gz, ttl, counts))
        gz, ttl, counts = gz + piece.gz, ttl + piece.ttl, counts + piece.counts
    return found


def _moved(
    lines: list[bytes], counts: list[int], changes: list[tuple[bytes, int]], removed: list[bytes], added: list[bytes]
) -> tuple[list[bytes], list[int]]:
    """A piece's lines and counts with `changes` (sorted lines, count deltas) applied; the
    lines that went and came are appended to `removed` and `added`."""
    held = dict(zip(lines, counts, strict=True))
    for line, step in changes:
        before = held.get(line, 0)
        after = before + step
        if after < 0:
            raise StalePieces(f"a line is taken from more documents than gave it: {line[:200]!r}")
        if after == 0:
            if before:
                del held[line]
                removed.append(line)
        else:
            if not before:
                added.append(line)
            held[line] = after
    ordered = sorted(held)
    return ordered, [held[line] for line in ordered]
