"""Request limits: what one client may ask of the server, so that no request, however large or
slow, holds memory or a connection for long.

- `LimitsMiddleware` (ASGI): a request target longer than `max_uri_bytes` answers 414, a body
  longer than `max_body_bytes` 413 (by its Content-Length, or counted while it arrives), a body
  that stops arriving for `body_timeout` seconds 408, and a client that does not take the
  response for `send_timeout` seconds is disconnected. Every answer also gets the security
  headers (`kg.web.headers`).
- `guarded_protocol(limits)`: the HTTP protocol for uvicorn, which closes a connection whose
  request head (request line and headers) has not arrived within `head_timeout` seconds. Uvicorn
  has no such timeout of its own: a client sending half a request would keep its connection open
  forever, and enough of them would exhaust the connection limit.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from kg.web.headers import with_security_headers

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Message = dict[str, Any]


@dataclass(frozen=True)
class Limits:
    # Path and query string of one request. Below 64 KiB: uvicorn's httptools protocol refuses
    # longer request lines itself, with a bare 400, before any application sees them.
    max_uri_bytes: int = 32 * 1024
    max_body_bytes: int = 1024 * 1024
    head_timeout: float = 10.0  # seconds to send the request line and headers
    body_timeout: float = 30.0  # seconds the body may pause between two chunks
    send_timeout: float = 60.0  # seconds the client may take to accept one chunk of the response
    max_connections: int = 512  # open connections and requests; beyond it uvicorn answers 503

    def __post_init__(self) -> None:
        if min(self.max_uri_bytes, self.max_body_bytes, self.max_connections) < 1:
            raise ValueError("request size and connection limits must be at least 1")
        if min(self.head_timeout, self.body_timeout, self.send_timeout) <= 0:
            raise ValueError("request timeouts must be positive")


class _BodyTooLarge(Exception):
    pass


class _BodyTimeout(Exception):
    pass


class _SendTimeout(Exception):
    pass


def _plain(status: int, text: str) -> tuple[Message, Message]:
    body = text.encode("utf-8") + b"\n"
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
            (b"cache-control", b"no-store"),
        ],
    }
    return with_security_headers(start), {"type": "http.response.body", "body": body, "more_body": False}


class LimitsMiddleware:
    """Checks sizes before the application sees the request, and times the body and the
    response while it runs. Added outermost, so its answers never become 500s on the way out."""

    def __init__(self, app: Any, limits: Limits | None = None):
        self.app = app
        self.limits = limits or Limits()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limits = self.limits
        target = len(scope.get("raw_path") or scope["path"].encode("utf-8")) + len(scope.get("query_string", b""))
        if target > limits.max_uri_bytes:
            await self._answer(
                send,
                414,
                f"the request URI is longer than {limits.max_uri_bytes} bytes; send a long SPARQL query with POST",
            )
            return
        declared = _content_length(scope)
        if declared is not None and declared > limits.max_body_bytes:
            await self._answer(send, 413, f"the request body is longer than {limits.max_body_bytes} bytes")
            return

        received = 0
        body_done = False
        started = False
        timed_out_sending = False

        async def limited_receive() -> Message:
            nonlocal received, body_done
            if body_done:  # after the body, receive() waits for a disconnect: no time limit
                return await receive()
            try:
                async with asyncio.timeout(limits.body_timeout):  # no task per message, as wait_for makes
                    message = await receive()
            except TimeoutError:
                raise _BodyTimeout from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limits.max_body_bytes:
                    raise _BodyTooLarge
                body_done = not message.get("more_body", False)
            else:
                body_done = True
            return message

        async def timed_send(message: Message) -> None:
            nonlocal started, timed_out_sending
            if message["type"] == "http.response.start":
                started = True
                message = with_security_headers(message)
            try:
                async with asyncio.timeout(limits.send_timeout):
                    await send(message)
            except TimeoutError:
                timed_out_sending = True
                raise _SendTimeout from None

        try:
            await self.app(scope, limited_receive, timed_send)
        except BaseException as error:  # also an exception group from a task group in a response
            if timed_out_sending:
                log.warning(
                    "a client took more than %.0f s to accept a response to %s; disconnected",
                    limits.send_timeout,
                    scope["path"],
                )
                return  # uvicorn closes a connection whose response was left incomplete
            cause = _limit_error(error)
            if cause is None or started:
                raise
            if isinstance(cause, _BodyTooLarge):
                await self._answer(send, 413, f"the request body is longer than {limits.max_body_bytes} bytes")
            else:
                await self._answer(send, 408, f"the request body stopped arriving for {limits.body_timeout:g} s")

    @staticmethod
    async def _answer(send: Any, status: int, text: str) -> None:
        start, body = _plain(status, text)
        await send(start)
        await send(body)


def _limit_error(error: BaseException) -> BaseException | None:
    """The limit this error (or one inside an exception group) reports, if any."""
    if isinstance(error, (_BodyTooLarge, _BodyTimeout)):
        return error
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            found = _limit_error(inner)
            if found is not None:
                return found
    context = error.__cause__ or error.__context__
    if isinstance(context, (_BodyTooLarge, _BodyTimeout)):
        return context
    return None


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


# uvicorn has no public hook for a request-head deadline, so this subclasses its httptools
# protocol; pyproject.toml pins uvicorn to the releases tests/test_sparql_limits.py proves it on,
# and `guarded_protocol` refuses to start on one whose protocol lacks what it overrides.
_OVERRIDDEN = ("connection_made", "on_message_begin", "on_headers_complete", "connection_lost")


def guarded_protocol(limits: Limits) -> type:
    """uvicorn's httptools protocol with a deadline for each request head."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    missing = [name for name in _OVERRIDDEN if not callable(getattr(HttpToolsProtocol, name, None))]
    if missing:
        raise RuntimeError(
            f"this uvicorn's HttpToolsProtocol has no {', '.join(missing)}: "
            "install the uvicorn release kg pins (pyproject.toml)"
        )

    class HeadTimeoutProtocol(HttpToolsProtocol):
        """Closes the connection when a request head takes longer than `head_timeout`: from
        the connection's start, and from the first byte of every further request on it."""

        _head_timer: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(limits.head_timeout, self._head_overdue)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_overdue(self) -> None:
            self._head_timer = None
            if not self.transport.is_closing():
                log.info("closed a connection whose request head took more than %.0f s", limits.head_timeout)
                self.transport.close()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._arm()

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return HeadTimeoutProtocol
