"""Reading a SPARQL 1.1 Protocol request: GET parameters, a form POST, or a query or update sent
directly as the body. Produces one plain record whatever way the client used."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import Request

from kg.web.errors import BadRequest, UnsupportedMediaType

MAX_BODY = 1_000_000  # bytes: a query longer than this is not a query people write

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


@dataclass(frozen=True)
class ProtocolRequest:
    query: str | None
    update: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    formats: tuple[str, ...]  # `format` parameter values, in order


def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"the request has {len(values)} `{name}` parameters; send exactly one")
    return values[0] if values else None


async def read_request(request: Request) -> ProtocolRequest:
    params = request.query_params
    fields: dict[str, list[str]] = {k: params.getlist(k) for k in params.keys()}
    query: str | None = None
    update: str | None = None
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type in FORM_TYPES:
            form = await request.form()
            for key in form.keys():
                fields.setdefault(key, []).extend(str(v) for v in form.getlist(key))
        elif content_type in (QUERY_TYPE, UPDATE_TYPE):
            body = await request.body()
            if len(body) > MAX_BODY:
                raise BadRequest(f"the request body is longer than {MAX_BODY} bytes")
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as error:
                raise BadRequest(f"the request body is not UTF-8: {error}") from error
            if content_type == QUERY_TYPE:
                query = text
            else:
                update = text
        else:
            raise UnsupportedMediaType(
                f"POST a form ({FORM_TYPES[0]}), a query ({QUERY_TYPE}) or an update ({UPDATE_TYPE}), "
                f"not {content_type or 'a body without Content-Type'}"
            )
    if query is None and update is None:
        query = _single(fields.get("query", []), "query")
        update = _single(fields.get("update", []), "update")
        if query is not None and update is not None:
            raise BadRequest("send either `query` or `update`, not both")
    if query is not None and len(query.encode("utf-8", "replace")) > MAX_BODY:
        raise BadRequest(f"the query is longer than {MAX_BODY} bytes")
    return ProtocolRequest(
        query=query,
        update=update,
        default_graphs=tuple(fields.get("default-graph-uri", [])),
        named_graphs=tuple(fields.get("named-graph-uri", [])),
        formats=tuple(v for v in fields.get("format", []) if v.strip()),
    )


def authorized(request: Request, token: str | None) -> bool:
    """Operators update with `Authorization: Bearer TOKEN`; without a configured token, nobody."""
    if not token:
        return False
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())
