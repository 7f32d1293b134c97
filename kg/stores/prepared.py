"""One subject's lines of the graph file, read straight from `graph.nt.gz` by its block index.

`graph.nt.gz` is sorted N-Triples written as a run of gzip members, each a run of whole subjects
(`kg build` cuts it so). `graph.nt.gz.blocks`, written by the build beside it, lists where each
member starts and the subject of its first line, so the lines of a subject, or of every IRI
under a prefix (a question's answer, texts and facts are all `{question}/...`), are found by a
binary search and one or two members decompressed: no lookup per triple, no copy of the graph.

The lines are those of the file; what the store holds may differ in form (Oxigraph keeps numbers
and some datatypes in canonical form: `"82.0"^^xsd:decimal` is `"82"`), so `as_stored` writes
them as the store gives them back. The lines stand for the store's triples only while the store
holds exactly that file (`Store.loaded_graph`: loaded from it, nothing written since); `open`
checks it and returns None otherwise, and callers then read the store.
"""

from __future__ import annotations

import json
import os
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from itertools import compress, repeat
from operator import getitem, gt, itemgetter, not_, or_
from pathlib import Path

import pyoxigraph as ox
from isal import igzip

from kg import native

BLOCKS_SUFFIX = ".blocks"  # graph.nt.gz -> graph.nt.gz.blocks
BLOCKS_FORMAT = 1
CACHED_BLOCKS = 32  # decompressed members kept (about 100 KB each): neighbours share them
CANONICAL_ENTRIES = 200_000  # typed literals remembered in the store's form


class NotPrepared(ValueError):
    """These lines may not say what the store holds: read the store."""


@dataclass(frozen=True)
class LoadedGraph:
    """The graph file a store holds exactly (loaded from it, not written since)."""

    path: Path
    sha256: str


def blocks_path(graph: Path) -> Path:
    return graph.with_name(graph.name + BLOCKS_SUFFIX)


def write_blocks(path: Path, sha256: str, keys: list[bytes], sizes: list[int]) -> None:
    """The block index of the graph file whose SHA-256 is `sha256`: the first subject of each
    gzip member (`<s> `) and its length in bytes, in order (they add up to the file's size). The
    same graph gives the same bytes."""
    data = {
        "format": BLOCKS_FORMAT,
        "sha256": sha256,
        "keys": [key.decode("utf-8") for key in keys],
        "sizes": sizes,
    }
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")


class PreparedGraph:
    """Sorted N-Triples lines of `graph.nt.gz` by subject, for a store that holds exactly it."""

    def __init__(self, fd: int, keys: list[bytes], offsets: list[int]):
        self._fd = fd
        self._keys = keys
        self._offsets = offsets  # where each member starts; the last entry is the file's size
        self._blocks: OrderedDict[int, list[bytes] | None] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def open(cls, loaded: LoadedGraph | None) -> PreparedGraph | None:
        """The prepared lines of `loaded`, or None when there is no block index, when it does not
        describe the file in place, or when that file is not the one the store holds."""
        if loaded is None:
            return None
        try:
            data = json.loads(blocks_path(loaded.path).read_bytes())
            if data.get("format") != BLOCKS_FORMAT or data.get("sha256") != loaded.sha256:
                return None
            keys = [key.encode("utf-8") for key in data["keys"]]
            sizes = [int(size) for size in data["sizes"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        if len(keys) != len(sizes) or keys != sorted(keys) or any(size <= 0 for size in sizes):
            return None
        try:
            fd = os.open(loaded.path, os.O_RDONLY)
        except OSError:
            return None
        st = os.fstat(fd)
        offsets = [0]
        for size in sizes:
            offsets.append(offsets[-1] + size)
        # The store holds the graph the index was written for (same SHA-256); the file in place is
        # that graph when its size is the members' (each member read is checked again: it must
        # decompress and start with the subject the index names).
        if offsets[-1] != st.st_size:
            os.close(fd)
            return None
        return cls(fd, keys, offsets)

    def close(self) -> None:
        fd, self._fd = self._fd, -1
        if fd >= 0:
            os.close(fd)

    def __del__(self) -> None:
        try:
            self.close()
        except (AttributeError, TypeError, OSError):  # at interpreter exit, `os` may be gone already
            pass

    def subject(self, iri: str) -> list[bytes]:
        """The lines whose subject is `<iri>`."""
        head = b"<" + iri.encode("utf-8") + b">"
        return self.lines(head + b" ", head + b"!")

    def under(self, prefix: str) -> list[bytes]:
        """The lines whose subject is an IRI starting with `prefix` (which ends with `/`)."""
        head = b"<" + prefix.encode("utf-8")
        return self.lines(head, head[:-1] + bytes([head[-1] + 1]))

    def lines(self, low: bytes, high: bytes) -> list[bytes]:
        """The lines from `low` (included) to `high` (excluded), in order. Raises ValueError
        when a member cannot be read (the file changed under the index), NotPrepared when it
        holds escape sequences (rare: read the store then)."""
        first = max(bisect_right(self._keys, low) - 1, 0)
        last = bisect_left(self._keys, high) - 1
        found: list[bytes] = []
        for number in range(first, last + 1):
            block = self._block(number)
            found.extend(block[bisect_left(block, low) : bisect_left(block, high)])
        return found

    def _block(self, number: int) -> list[bytes]:
        with self._lock:
            if number in self._blocks:
                self._blocks.move_to_end(number)
                cached = self._blocks[number]
                if cached is None:
                    raise NotPrepared(f"member {number} of the graph file holds escape sequences")
                return cached
        start, end = self._offsets[number], self._offsets[number + 1]
        data = os.pread(self._fd, end - start, start)
        try:
            text = igzip.decompress(data)
        except (OSError, EOFError, ValueError) as error:
            raise ValueError(f"member {number} of the graph file cannot be read: {error}") from error
        block: list[bytes] | None = text.split(b"\n")
        assert block is not None
        if block.pop() != b"" or not block or not block[0].startswith(self._keys[number]):
            raise ValueError(f"member {number} of the graph file is not the one its index names")
        # Escape sequences: what the store holds is not worked out here (the one-byte test first:
        # it is ten times faster, and almost no member has a backslash). Blank nodes are left to
        # `as_stored`, which reads no object it does not know.
        if b"\\" in text and (b"\\u" in text or b"\\U" in text):
            block = None
        with self._lock:
            self._blocks[number] = block
            while len(self._blocks) > CACHED_BLOCKS:
                self._blocks.popitem(last=False)
        if block is None:
            raise NotPrepared(f"member {number} of the graph file holds escape sequences")
        return block


# -- the store's form of the lines ------------------------------------------------------------------

_canonical: dict[bytes, bytes] = {}
_canonical_lock = threading.Lock()
_XSD_STRING = b"http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = b"http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class StoredLines:
    """Lines of the graph file as the store gives their triples back, and their terms."""

    lines: list[bytes]  # sorted, each once
    subjects: set[bytes]  # `<iri>`
    predicates: set[bytes]  # `<iri>`
    objects: set[bytes]  # the objects that are IRIs, `<iri>`
    link_subjects: list[bytes]  # of the lines whose object is an IRI,
    link_objects: list[bytes]  # and their objects
    datatypes: set[bytes]  # of the literal objects, bare IRIs


def as_stored(lines: list[bytes]) -> StoredLines | None:
    """`lines` (of IRI subjects, from members `PreparedGraph` read: no escape sequences) as the
    store gives their triples back, in one pass; None when one holds something whose stored form
    is not worked out here (a blank node, an upper-case language tag): read the store then. Typed
    literals are put in the store's canonical form (`"82.0"^^xsd:decimal` is `"82"`), asked of an
    in-memory Oxigraph store once per distinct literal. With kg's C loops the pass is one call
    (`stored_lines`, on the request path of every prepared description); `as_stored_python` is
    the same in Python, and gives the same result."""
    loops = native.loops
    if loops is None:
        return as_stored_python(lines)
    found = loops.stored_lines(lines, _canonical, None)
    if isinstance(found, list):  # typed literals whose stored form is not known yet
        learned = _learn(set(found))
        if learned is None:
            return None
        found = loops.stored_lines(lines, _canonical, learned)
    if not isinstance(found, tuple):
        return None
    return StoredLines(*found)


def as_stored_python(lines: list[bytes]) -> StoredLines | None:
    """`as_stored` in Python, for a kg built without its C loops (and to hold them to)."""
    # Every step over all lines runs in C (map, compress); Python sees the typed and tagged ones.
    split = list(map(bytes.split, lines, repeat(b" "), repeat(2)))
    subjects = list(map(itemgetter(0), split))
    rests = list(map(itemgetter(2), split))
    named = list(map(bytes.startswith, rests, repeat(b"<")))
    plain = list(map(bytes.endswith, rests, repeat(b'" .')))
    closed = list(map(bytes.endswith, rests, repeat(b"> .")))  # an IRI or a typed literal
    objects: list[bytes] = list(map(getitem, compress(rests, named), repeat(slice(None, -2))))  # `<iri>`
    datatypes: set[bytes] = {_XSD_STRING} if any(plain) else set()
    typed: list[tuple[int, bytes, bytes, bytes]] = []
    for number in compress(range(len(lines)), map(gt, closed, named)):
        subject, predicate, rest = split[number]
        typed.append((number, subject, predicate, rest[:-2]))
    for rest in compress(rests, map(not_, map(or_, plain, closed))):
        at = rest.rfind(b'"@')  # a language tag, which the store keeps in lower case
        if at == -1 or not rest[at + 2 : -2].islower():
            return None  # or a blank node
        datatypes.add(_LANG_STRING)
    written = lines  # sorted and each once, as the file holds them, unless a form changes
    changed = False
    if typed:
        known = {literal: _canonical.get(literal) for *_, literal in typed}
        missing = {literal for literal, stored in known.items() if stored is None}
        if missing:
            learned = _learn(missing)
            if learned is None:
                return None
            known.update(learned)
        written = list(lines)
        for number, subject, predicate, literal in typed:
            stored = known[literal]
            if stored is None:
                return None
            if stored != literal:
                written[number] = b"%s %s %s ." % (subject, predicate, stored)
                changed = True
            at = stored.rfind(b'"^^<') if stored.endswith(b">") else -1  # `"x"`: an xsd:string
            datatypes.add(stored[at + 4 : -1] if at != -1 else _XSD_STRING)
    return StoredLines(
        sorted(set(written)) if changed else written,
        set(subjects),
        set(map(itemgetter(1), split)),
        set(objects),
        list(compress(subjects, named)),
        objects,
        datatypes,
    )


def _learn(literals: set[bytes]) -> dict[bytes, bytes] | None:
    """The store's form of each typed literal in `literals` (also kept in the table); None
    when Oxigraph does not read one of them."""
    ordered = sorted(literals)
    text = b"".join(b"<urn:x:%d> <urn:x:p> %s .\n" % (n, literal) for n, literal in enumerate(ordered))
    store = ox.Store()
    try:
        store.load(text, format=ox.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError, OSError):
        return None
    found: dict[bytes, bytes] = {}
    for quad in store:
        number = int(quad.subject.value.rpartition(":")[2])
        found[ordered[number]] = str(quad.object).encode("utf-8")
    if len(found) != len(ordered):
        return None
    with _canonical_lock:
        if len(_canonical) + len(found) > CANONICAL_ENTRIES:
            _canonical.clear()
        _canonical.update(found)
    return found
