"""HTTP content negotiation: `Accept` as real clients send it (q-values, lists, wildcards,
parameters, junk), chosen against what a route can offer."""

from __future__ import annotations

from dataclasses import dataclass

MAX_ACCEPT_LENGTH = 4096  # longer headers are cut, not rejected: conneg must never break a request
MAX_ACCEPT_ITEMS = 64


@dataclass(frozen=True)
class MediaRange:
    type: str  # "text", "*"
    subtype: str  # "html", "*"
    q: float
    params: tuple[tuple[str, str], ...] = ()

    @property
    def specificity(self) -> int:
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 2 + len(self.params)

    def matches(self, media_type: str) -> bool:
        type_, _, subtype = media_type.partition("/")
        if self.type != "*" and self.type != type_:
            return False
        return self.subtype == "*" or self.subtype == subtype


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header leniently: malformed items are skipped, a malformed q counts as 1
    (as browsers treat it), and an empty or missing header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges: list[MediaRange] = []
    for item in header[:MAX_ACCEPT_LENGTH].split(",")[:MAX_ACCEPT_ITEMS]:
        pieces = [p.strip() for p in item.split(";")]
        media = pieces[0].lower()
        type_, slash, subtype = media.partition("/")
        if not slash or not type_ or not subtype or (type_ == "*" and subtype != "*"):
            continue
        q = 1.0
        params: list[tuple[str, str]] = []
        for piece in pieces[1:]:
            name, eq, value = piece.partition("=")
            name = name.strip().lower()
            value = value.strip().strip('"')
            if not eq:
                continue
            if name == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 1.0
            else:
                params.append((name, value))
        ranges.append(MediaRange(type_, subtype, q, tuple(params)))
    return ranges or [MediaRange("*", "*", 1.0)]


def negotiate(header: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers, or None when it accepts none of them.

    Each offer takes the q of the most specific range that matches it; ties go to the order of
    `offered`, so a route lists its default first.
    """
    ranges = parse_accept(header)
    best: tuple[float, int] | None = None
    chosen: str | None = None
    for index, offer in enumerate(offered):
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        q = max(matching, key=lambda r: (r.specificity, r.q)).q
        if q <= 0:
            continue
        key = (q, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen
