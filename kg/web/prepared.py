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

import re
from dataclasses import dataclass

from kg.stores.prepared import PreparedGraph, as_stored


@dataclass(frozen=True)
class PreparedLines:
    """A resource's own and part lines, sorted, each once, as the store holds them."""

    lines: list[bytes]
    linked: frozenset[str]  # IRIs the lines point at, other than the described ones

    @property
    def text(self) -> bytes:
        return b"\n".join(self.lines) + b"\n" if self.lines else b""


# A line's subject and, when it is an IRI, its object (IRIs hold no space, quote or angle bracket).
_SUBJECT_OBJECT = re.compile(rb'^<([^<>" ]*)> <[^<>" ]*> (?:<([^<>" ]*)>)?', re.M)


def prepared_lines(graph: PreparedGraph, uri: str, *, hub: bool, max_parts: int) -> PreparedLines | None:
    """The own and part lines of `uri` as `describe` would find them, or None when the run of
    lines is not surely what its walk finds."""
    prefix = uri + "/"
    try:
        own = graph.subject(uri)
        parts = graph.under(prefix)
    except ValueError:
        return None
    text = b"\n".join(own + parts)
    edges: dict[str, set[str]] = {}
    subjects: set[str] = set()
    objects: set[str] = set()
    for raw_subject, raw_object in _SUBJECT_OBJECT.findall(text):
        subject = raw_subject.decode("utf-8")
        subjects.add(subject)
        if not raw_object:
            continue
        obj = raw_object.decode("utf-8")
        objects.add(obj)
        if obj.startswith(prefix) or (obj == uri and not hub):
            if obj != subject:
                edges.setdefault(subject, set()).add(obj)
                edges.setdefault(obj, set()).add(subject)
    # The resource and every IRI under it that the walk can step to.
    reached = {uri}
    frontier = [uri]
    while frontier:
        node = frontier.pop()
        for neighbour in edges.get(node, ()):
            if neighbour not in reached:
                reached.add(neighbour)
                frontier.append(neighbour)
    if not subjects <= reached or len(reached) > max_parts:
        return None
    stored = as_stored(own + parts)
    if stored is None:
        return None
    return PreparedLines(stored, frozenset(objects - subjects - {uri}))
