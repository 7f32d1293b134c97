"""`/api/`: the interactive API explorer, Swagger UI (from npm, served by kg) over kg's OpenAPI
description. Without JavaScript, or without the vendored files, the page still links the
description itself."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kg.web.context import KgContext
from kg.web.i18n import ui_strings
from kg.web.pages import language_links, reader_language
from kg.web.tool_words import tool_strings
from kg.web.vendor import api_explorer_urls

# Where the OpenAPI description is served; the explorer and the page's link read it from here.
OPENAPI_URL = "/api/openapi.json"

router = APIRouter()


@router.api_route("/api", methods=["GET", "HEAD"], include_in_schema=False)
def api_redirect(request: Request) -> Response:
    query = request.url.query
    return RedirectResponse("/api/" + ("?" + query if query else ""), status_code=308)


@router.api_route("/api/", methods=["GET", "HEAD"], include_in_schema=False)
def api_page(request: Request) -> Response:
    ctx: KgContext = request.app.state.kg
    language = reader_language(request)
    page = ctx.templates.get_template("api.html").render(
        lang=language,
        ui=ui_strings(language),
        words=tool_strings(language),
        languages=language_links(request),
        openapi_url=OPENAPI_URL,
        explorer=api_explorer_urls(),
        alternates=[(OPENAPI_URL, "application/json", "OpenAPI")],
    )
    return HTMLResponse(page, headers={"Vary": "Accept-Language"})
