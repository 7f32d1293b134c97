"""Validators on documents and pages, in one layer around every route: an `ETag` and a
`Last-Modified`, `304 Not Modified` for a conditional GET that still matches, and the
`Cache-Control` the operator set (`kg serve --cache-control`), so browsers, proxies and crawlers
revalidate instead of fetching again.

What an answer says depends only on the dataset, the request's path and query, the variant
content negotiation chose (its media type and language), and kg itself (its version, base URI and
titles). The ETag is a digest of exactly these, so routes need not compute anything: it changes
at once when an update through the token (or a rebuild) changes the data. It is weak (`W/`): the
same answer may go out gzip-encoded or not. RFC 9110: `If-None-Match` (weak comparison, `*`)
wins over `If-Modified-Since`, which is read only without it.

Left alone: answers that are not 200, those that say `no-store` (search, errors), those that
carry validators of their own (the dumps, whose ETag is their checksum), SPARQL query answers
(a query may ask for the time or random numbers), and the static files (which set their own).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from kg import __version__
from kg.web.context import KgContext

Message = dict[str, Any]
Scope = dict[str, Any]

# Paths whose answers are not documents of the dataset.
_SKIPPED = ("/sparql", "/static/")
# Headers a 304 repeats from the answer it stands for (RFC 9110, 15.4.5).
_KEPT_BY_304 = (b"cache-control", b"content-location", b"vary", b"expires", b"link", b"etag", b"last-modified")
_CONDITIONAL = (b"if-none-match", b"if-modified-since")


@dataclass(frozen=True)
class DatasetState:
    """What every validator is made from, computed once per store version."""

    tag: bytes  # digest of the data held and of kg's own settings
    modified: datetime  # whole seconds, UTC

    @property
    def last_modified(self) -> str:
        return format_datetime(self.modified, usegmt=True)


def dataset_state(ctx: KgContext) -> DatasetState:
    """The state of the data `ctx` serves now (recomputed after each write or rebuild)."""
    return ctx.derived("validators", _compute_state)


def _compute_state(ctx: KgContext) -> DatasetState:
    settings = ctx.settings
    parts = (__version__, settings.base, settings.title, settings.description, settings.license, ctx.store.version)
    tag = hashlib.blake2b("\0".join(parts).encode(), digest_size=16).digest()
    modified = datetime.fromtimestamp(int(ctx.store.modified), tz=UTC)
    return DatasetState(tag, modified)


def etag(state: DatasetState, target: bytes, media_type: bytes, language: bytes) -> str:
    """The weak ETag of one answer: the dataset, the request target (path and query: which
    document, which page), and the variant chosen (format, language)."""
    digest = hashlib.blake2b(state.tag, digest_size=12)
    for part in (target, media_type, language):
        digest.update(b"\0" + part)
    return f'W/"{digest.hexdigest()}"'


def not_modified(if_none_match: str | None, if_modified_since: str | None, tag: str, modified: datetime) -> bool:
    """Whether a GET with these conditions may be answered 304 (RFC 9110, 13.2.2)."""
    if if_none_match is not None:
        opaque = tag.removeprefix("W/")
        return any(t.strip().removeprefix("W/") in ("*", opaque) for t in if_none_match.split(","))
    if not if_modified_since:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False  # an invalid date is ignored
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return modified <= since


def conditions_of(scope: Scope) -> dict[bytes, bytes]:
    """The request's conditional headers, by lower-case name."""
    return {k.lower(): v for k, v in scope.get("headers", ()) if k.lower() in _CONDITIONAL}


def target_of(scope: Scope) -> bytes:
    """The request target an ETag is made for: the path as sent, and the query."""
    target: bytes = scope.get("raw_path") or scope["path"].encode()
    return target + b"?" + scope["query_string"] if scope.get("query_string") else target


class ValidatorsMiddleware:
    """ETag, Last-Modified, Cache-Control and conditional GET on every document and page."""

    def __init__(self, app: Any, context: KgContext):
        self.app = app
        self.context = context

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or scope["path"].startswith(_SKIPPED):
            await self.app(scope, receive, send)
            return
        # Taken before the answer is made: an answer made across an update carries the older
        # tag, so it is fetched again later rather than kept as the newer one.
        try:
            state = dataset_state(self.context)
        except Exception:  # a store that does not answer: the route says so (503), unvalidated
            await self.app(scope, receive, send)
            return
        request_headers = conditions_of(scope)
        target = target_of(scope)
        answered_304 = False

        async def send_with_validators(message: Message) -> None:
            nonlocal answered_304
            if message["type"] == "http.response.start":
                message = validated(message, state, target, request_headers, self.context.settings.cache_control)
                answered_304 = message["status"] == 304
                if answered_304:
                    await send(message)
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                    return
            elif answered_304:
                return  # the body of the answer a 304 stands for
            await send(message)

        await self.app(scope, receive, send_with_validators)


def validated(
    start: Message, state: DatasetState, target: bytes, conditions: dict[bytes, bytes], cache_control: str
) -> Message:
    """`start` (a response start) with its validators and `cache_control` unless it sets its own,
    or the 304 that stands for it when `conditions` (`conditions_of`) still match."""
    headers: list[tuple[bytes, bytes]] = list(start.get("headers", ()))
    found = {name.lower(): value for name, value in headers}
    if start["status"] != 200 or b"no-store" in found.get(b"cache-control", b"").lower() or b"etag" in found:
        return start
    if b"cache-control" not in found:
        headers.append((b"cache-control", cache_control.encode()))
    language = found.get(b"content-language", b"")
    vary = found.get(b"vary", b"")
    if language and b"accept-language" not in vary.lower():
        headers = [(n, v) for n, v in headers if n.lower() != b"vary"]
        headers.append((b"vary", (vary + b", " if vary else b"") + b"Accept-Language"))
    tag = etag(state, target, found.get(b"content-type", b""), language)
    headers += [(b"etag", tag.encode()), (b"last-modified", state.last_modified.encode())]
    inm, ims = conditions.get(b"if-none-match"), conditions.get(b"if-modified-since")
    if not_modified(
        inm.decode("latin-1") if inm is not None else None,
        ims.decode("latin-1") if ims is not None else None,
        tag,
        state.modified,
    ):
        kept = [(n, v) for n, v in headers if n.lower() in _KEPT_BY_304]
        return {"type": "http.response.start", "status": 304, "headers": kept}
    return {**start, "headers": headers}
