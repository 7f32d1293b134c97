"""Errors the SPARQL endpoint, dumps and VoID answer with: a typed exception carrying its status,
rendered once, as text for programs and as a page for browsers."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.web.conneg import negotiate


class HttpError(Exception):
    status = 500
    title = "Server error"

    def __init__(self, message: str, *, headers: dict[str, str] | None = None, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.headers = headers or {}
        self.details = details or []


class BadRequest(HttpError):
    status, title = 400, "Bad request"


class Forbidden(HttpError):
    status, title = 403, "Forbidden"


class NotFound(HttpError):
    status, title = 404, "Not found"


class NotAcceptable(HttpError):
    status, title = 406, "Not acceptable"


class Conflict(HttpError):
    status, title = 409, "Conflict"


class UnsupportedMediaType(HttpError):
    status, title = 415, "Unsupported media type"


class Unavailable(HttpError):
    status, title = 503, "Service unavailable"


def error_response(request: Request, error: HttpError) -> Response:
    """Plain text unless the client prefers HTML or JSON: SPARQL clients show the text as is."""
    chosen = negotiate(request.headers.get("accept"), ["text/plain", "text/html", "application/json"])
    headers = {"Cache-Control": "no-store", **error.headers}
    if chosen == "application/json":
        body = {"status": error.status, "error": error.title, "message": error.message}
        if error.details:
            body["available"] = error.details
        return JSONResponse(body, status_code=error.status, headers=headers)
    if chosen == "text/html":
        return HTMLResponse(render_html(request, error), status_code=error.status, headers=headers)
    text = error.message + "".join(f"\n  {line}" for line in error.details) + "\n"
    return PlainTextResponse(text, status_code=error.status, headers=headers)


def render_html(request: Request, error: HttpError) -> str:
    """The error inside the site's page frame."""
    ctx = request.app.state.kg
    return ctx.templates.get_template("error.html").render(
        status=error.status, title=error.title, message=error.message, details=error.details
    )


def install(app: FastAPI) -> None:
    async def handle(request: Request, error: Exception) -> Response:
        assert isinstance(error, HttpError)
        return error_response(request, error)

    async def handle_framework(request: Request, error: Exception) -> Response:
        """The framework's own errors (no route for a path, a method not allowed) answered like
        ours: a page for browsers, text for programs, instead of bare JSON."""
        assert isinstance(error, StarletteHTTPException)
        status = error.status_code
        message = f"nothing is published at {request.url.path}" if status == 404 else str(error.detail)
        wrapped = HttpError(message, headers=dict(error.headers or {}))
        wrapped.status, wrapped.title = status, HTTPStatus(status).phrase
        return error_response(request, wrapped)

    app.add_exception_handler(HttpError, handle)
    app.add_exception_handler(StarletteHTTPException, handle_framework)
