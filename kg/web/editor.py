"""What the query editor loads besides the page: the front-end files (`kg.web.vendor`) and the
dataset's own terms for autocompletion (`/sparql/terms.json`): the prefixes kg writes, and the
classes and properties the store uses, so completion proposes what this dataset holds rather
than a remote vocabulary catalogue."""

from __future__ import annotations

import hashlib
import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.rdf.vocab import prefixes
from kg.web.context import KgContext
from kg.web.errors import NotFound
from kg.web.vendor import ASSETS, OWN_FILES, VENDOR_FILES, media_type
from kg.web.void import statistics

router = APIRouter()

# A versioned URL (`?v=` digest) never changes content: cache it for a year.
FOREVER = "public, max-age=31536000, immutable"


def _etag_matches(request: Request, etag: str) -> bool:
    wanted = request.headers.get("if-none-match")
    if wanted is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    return "*" in tags or etag in tags


def _serve(request: Request, name: str) -> Response:
    asset = ASSETS.get(name)
    if asset is None:
        raise NotFound(f"no static file {name!r}: the front-end libraries are installed by `python3 dev.py setup`")
    etag = f'"{asset.digest}"'
    headers = {"ETag": etag, "Cache-Control": FOREVER if request.query_params.get("v") else "public, max-age=3600"}
    if _etag_matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(asset.path.read_bytes(), media_type=media_type(name), headers=headers)


@router.api_route("/static/vendor/{name:path}", methods=["GET", "HEAD"], include_in_schema=False)
def vendor_file(name: str, request: Request) -> Response:
    if name not in VENDOR_FILES:
        raise NotFound(f"no vendored file {name!r}; kg serves: " + ", ".join(VENDOR_FILES))
    return _serve(request, "vendor/" + name)


def _own_route(name: str) -> None:
    @router.api_route(f"/static/{name}", methods=["GET", "HEAD"], include_in_schema=False)
    def own_file(request: Request) -> Response:
        return _serve(request, name)


for _name in OWN_FILES:
    _own_route(_name)


def terms_document(ctx: KgContext) -> bytes:
    """The JSON the editor completes from, computed once per store version (from the VoID
    statistics, which count the same classes and properties)."""

    def compute(c: KgContext) -> bytes:
        stats = statistics(c)
        body = {
            "prefixes": prefixes(c.minter.ns_iri),
            "classes": sorted(p.iri for p in stats.classes),
            "properties": sorted(p.iri for p in stats.properties),
        }
        return json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1).encode()

    return ctx.derived("editor-terms", compute)


@router.api_route("/sparql/terms.json", methods=["GET", "HEAD"], include_in_schema=False)
async def terms(request: Request) -> Response:
    ctx: KgContext = request.app.state.kg
    body = await ctx.render(terms_document, ctx, lane="lists")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if _etag_matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
