"""A resource's own triples and parts from the build's sorted graph file, as N-Triples lines.

`describe` walks the parts of a resource (its answer, texts, facts...: the IRIs under
`{uri}/`) with two store lookups each, about 340 lookups for a seed-like question. The graph file
is sorted by subject, so the same parts are one run of lines (`<{uri}/` ... ) beside the
resource's own (`<{uri}> `): `kg.stores.prepared` reads both with one or two decompressions.

The run is the walk's answer only when every subject in it is reached by the walk: connected to
the resource through IRIs under `{uri}/` (either direction; a hub's parts that only point at
it are not reached, as `describe` does not read a hub's incoming links whole), no blank nodes,
and not more parts than `describe` follows. Anything else returns None and `describe` walks
the store as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress, repeat
from operator import eq, or_

from kg import native
from kg.stores.prepared import PreparedGraph, as_stored


@dataclass(frozen=True)
class PreparedLines:
    """A resource's own and part lines, sorted, each once, as the store holds them."""

    lines: list[bytes]
    linked: frozenset[str]  # IRIs the lines point at, other than the described ones
    iris: frozenset[str]  # every IRI of the lines' terms, with their literals' datatypes


def prepared_lines(graph: PreparedGraph, uri: str, *, hub: bool, max_parts: int) -> PreparedLines | None:
    """The own and part lines of `uri` as `describe` would find them, or None when the run of
    lines is not surely what its walk finds."""
    prefix = uri + "/"
    try:
        lines = graph.under(prefix) + graph.subject(uri)
    except ValueError:  # a member that cannot be read, or that holds what is not worked out here
        return None
    stored = as_stored(lines)
    if stored is None:
        return None
    root, head = b"<" + uri.encode("utf-8") + b">", b"<" + prefix.encode("utf-8")
    walk = reached_terms if native.loops is None else native.loops.reached_terms
    found = walk(
        stored.subjects,
        stored.predicates,
        stored.objects,
        stored.link_subjects,
        stored.link_objects,
        stored.datatypes,
        root,
        head,
        hub,
        max_parts,
    )
    if found is None:
        return None
    linked, iris = found
    return PreparedLines(stored.lines, linked, iris)


def reached_terms(
    subjects: set[bytes],
    predicates: set[bytes],
    objects: set[bytes],
    link_subjects: list[bytes],
    link_objects: list[bytes],
    datatypes: set[bytes],
    root: bytes,
    head: bytes,
    hub: bool,
    max_parts: int,
) -> tuple[frozenset[str], frozenset[str]] | None:
    """(linked, iris) of a resource's stored lines (`StoredLines`' fields) when the walk from
    `root` (`<uri>`) along the links to IRIs under `head` (`<uri/`) reaches every subject and no
    more than `max_parts` IRIs; else None. kg's C loops do the same (`reached_terms`)."""
    # The resource and every IRI under it that the walk can step to, either way along a line.
    edges: dict[bytes, list[bytes]] = {}
    inner = map(bytes.startswith, link_objects, repeat(head))
    if not hub:  # a hub's walk does not read what points at it
        inner = map(or_, inner, map(eq, link_objects, repeat(root)))
    for subject, obj in compress(zip(link_subjects, link_objects, strict=True), inner):
        if obj != subject:
            edges.setdefault(subject, []).append(obj)
            edges.setdefault(obj, []).append(subject)
    reached = {root}
    frontier = [root]
    while frontier:
        for neighbour in edges.get(frontier.pop(), ()):
            if neighbour not in reached:
                reached.add(neighbour)
                frontier.append(neighbour)
    if not subjects <= reached or len(reached) > max_parts:
        return None
    terms = subjects | predicates | objects
    iris = {term[1:-1].decode("utf-8") for term in terms} | {d.decode("utf-8") for d in datatypes}
    linked = {term[1:-1].decode("utf-8") for term in objects - subjects - {root}}
    return frozenset(linked), frozenset(iris)
