"""Bring an embedded store from one graph file to the next by the difference between them.

A rebuild that changed 1% of the documents changes about 1% of the triples; reloading the whole
graph into a fresh store costs as much as the first load (two minutes at 21 million triples).
Both graph files are sorted, unique N-Triples (what `kg build` writes), so the difference is one
streaming comparison (`comm`, on the output of two `gzip -dc`), and applying it to a copy of the
store (a checkpoint: hard links to its immutable table files) costs in proportion to the change.

The copy is patched, never the store in use: the caller swaps it in as it swaps in a full load,
so readers and a crash see the old store or the new one, nothing between. Anything unexpected
(a file not sorted, a tool missing, a difference too large to be worth it) gives None, and the
caller loads in full.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.stores.pipes import pipes_available, stop, unpack_into

# A difference bigger than this share of the old graph is loaded in full instead: applying it
# triple by triple would cost more than the bulk load.
MAX_SHARE = 0.2
MIN_LIMIT = 100_000  # lines; small graphs are always patched when they can be


@dataclass(frozen=True)
class Difference:
    removed: list[bytes]  # N-Triples lines, without their line ends
    added: list[bytes]


@dataclass(frozen=True)
class Patch:
    removed: int  # triples the store held and no longer does
    added: int  # triples it did not hold and now does


def sorted_difference(old: Path, new: Path, scratch: Path, limit: int) -> Difference | None:
    """The lines only in `old` and only in `new`, two gzipped files of bytewise sorted lines;
    None when they are not sorted, a tool is missing, or more than `limit` lines differ."""
    comm = shutil.which("comm")
    if comm is None or shutil.which("uniq") is None or not pipes_available():
        return None
    pipes = [scratch / "old.nt.pipe", scratch / "new.nt.pipe"]
    removed: list[bytes] = []
    added: list[bytes] = []
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for source, pipe in zip((old, new), pipes, strict=True):
            # Each file's lines once: `comm` compares multisets, a graph is a set.
            processes += unpack_into(pipe, source, unique=True)
        differ = subprocess.Popen(
            [comm, "-3", "--check-order", str(pipes[0]), str(pipes[1])],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "LC_ALL": "C"},
        )  # the byte order `kg build` sorts in
        processes.append(differ)
        assert differ.stdout is not None
        for line in differ.stdout:
            if line.startswith(b"\t"):
                added.append(line[1:].rstrip(b"\n"))
            else:
                removed.append(line.rstrip(b"\n"))
            if len(removed) + len(added) > limit:
                return None
        # A failed comm first: the writers may be blocked on a pipe nobody reads any more.
        if differ.wait() != 0:
            return None
        for process in processes:
            process.communicate()  # done writing: wait for them to end, and reap them
        if any(process.returncode != 0 for process in processes):
            return None
    finally:
        stop(processes)
        for pipe in pipes:
            pipe.unlink(missing_ok=True)
    return Difference(removed, added)


def patched_copy(
    store_db: Path,
    old_graph: Path,
    new_graph: Path,
    target_db: Path,
    scratch: Path,
    triples: int,
    difference: Difference | None = None,
) -> Patch | None:
    """A copy of the store at `store_db`, loaded from `old_graph` (of `triples` triples), made
    into `target_db` and brought to `new_graph` by `difference`, or by comparing the two files
    when it is not given; None (and nothing usable in `target_db`) when it cannot be done. The
    counts are of triples really removed and added, so the store's size stays exact even if a
    line spelled a triple another line spells too."""
    limit = max(MIN_LIMIT, int(triples * MAX_SHARE))
    if difference is None:
        difference = sorted_difference(old_graph, new_graph, scratch, limit)
    elif len(difference.removed) + len(difference.added) > limit:
        return None
    if difference is None:
        return None
    current = ox.Store.read_only(str(store_db))
    try:
        current.backup(str(target_db))
    finally:
        del current
    copy = ox.Store(str(target_db))
    removed = added = 0
    try:
        for quad in _quads(difference.removed):
            if quad in copy:
                copy.remove(quad)
                removed += 1
        fresh = list(dict.fromkeys(quad for quad in _quads(difference.added) if quad not in copy))
        copy.extend(fresh)
        added = len(fresh)
        copy.flush()
    finally:
        del copy
    return Patch(removed, added)


def _quads(lines: list[bytes]) -> list[ox.Quad]:
    if not lines:
        return []
    return list(ox.parse(b"\n".join(lines) + b"\n", format=ox.RdfFormat.N_TRIPLES))


def write_change(path: Path, before: str, after: str, removed: Iterable[bytes], added: Iterable[bytes]) -> None:
    """Record a change of the graph for the store to apply instead of comparing the whole graph
    files: the sha256 of graph.nt.gz before and after, then the lines removed (after "-") and
    added (after "+"). The build writes it; `read_change` is how the store takes it."""
    header = json.dumps({"from": before, "to": after}).encode() + b"\n"
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temp.open("wb") as out:
            out.write(header)
            out.writelines(b"-" + line + b"\n" for line in removed)
            out.writelines(b"+" + line + b"\n" for line in added)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def read_change(path: Path, before: str, after: str) -> tuple[list[bytes], list[bytes]] | None:
    """(removed, added) lines recorded at `path` for going from the graph file with sha256
    `before` to the one with `after`; None when no such change is recorded."""
    try:
        with path.open("rb") as handle:
            if json.loads(handle.readline()) != {"from": before, "to": after}:
                return None
            removed: list[bytes] = []
            added: list[bytes] = []
            for line in handle:
                (removed if line.startswith(b"-") else added).append(line[1:].rstrip(b"\n"))
    except (OSError, ValueError):
        return None
    return removed, added
