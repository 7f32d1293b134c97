"""What stores raise: one family for every backend, so callers catch the same errors whichever is
configured."""

from __future__ import annotations


class StoreError(Exception):
    """The data directory holds nothing servable, or the store cannot be opened."""


class StoreRejected(StoreError, SyntaxError):
    """A SPARQL server refused a request as malformed: a bad public query (a SyntaxError, 400)
    or a request of kg's own (a store error)."""


class StoreUnavailable(StoreError):
    """A remote store does not answer (down, overloaded, unreachable): worth retrying later."""


class StoreTimeout(StoreUnavailable):
    """A remote store did not answer within the time limit."""
