"""The server against its own OpenAPI description: schemathesis generates requests for every
operation (valid ones, and invalid ones that break the schema) and no answer may be a 5xx."""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from conftest import LiveServer
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kg.queries import load_catalog
from kg.web.openapi import openapi_document

EXAMPLES = 15  # per operation and mode: about 600 requests in all


@pytest.fixture(scope="module")
def api_schema(live_server: LiveServer) -> schemathesis.BaseSchema:
    """The description as the server publishes it."""
    return schemathesis.openapi.from_url(live_server.url + "api/openapi.json")


OPERATIONS = [
    (path, method.upper())
    for path, item in openapi_document("t", "d")["paths"].items()  # kg's own routes
    for method in item
]
API_OPERATIONS = sorted(
    path for path in openapi_document("t", "d", queries=load_catalog())["paths"] if path.startswith("/api/")
)
API_EXAMPLES = 6  # per stored query and mode: about 300 requests
API_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_server_errors(
    live_server: LiveServer, api_schema: schemathesis.BaseSchema, path: str, method: str, mode: GenerationMode
) -> None:
    """Requests that fit the description, and requests that break it (wrong types, missing or
    extra parameters, junk bodies), never get a 5xx."""
    operation = api_schema[path][method]
    seen: list[int] = []

    @given(operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case: schemathesis.Case) -> None:
        response = case.call(base_url=live_server.url.rstrip("/"), timeout=30)
        seen.append(response.status_code)
        assert response.status_code < 500, (case.as_curl_command(), response.status_code, response.text[:500])

    try:
        check()
    except Unsatisfiable:
        if mode is GenerationMode.NEGATIVE and not seen:
            pytest.skip("nothing can break this operation's description (free strings, or no parameters)")
        raise
    assert seen  # requests were really sent


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("path", API_OPERATIONS)
def test_stored_queries_answer_as_described(
    live_server: LiveServer, api_schema: schemathesis.BaseSchema, path: str, mode: GenerationMode
) -> None:
    """Each stored query's operation: requests that fit its parameters (from the header) and
    requests that break them; no 5xx, every status documented, every body of the declared media
    type and matching its schema (the JSON rows their JSON Schema)."""
    operation = api_schema[path]["GET"]
    seen: list[int] = []

    @given(operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=API_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        response = case.call(base_url=live_server.url.rstrip("/"), timeout=30)
        seen.append(response.status_code)
        case.validate_response(response, checks=API_CHECKS)

    try:
        check()
    except Unsatisfiable:
        if mode is GenerationMode.NEGATIVE and not seen:
            pytest.skip("nothing can break this operation's description (free strings, or no parameters)")
        raise
    assert seen
    if mode is GenerationMode.POSITIVE:
        assert 200 in seen or 304 in seen, seen  # valid requests are answered, not all refused


def test_the_old_description_address_still_answers(live_server: LiveServer) -> None:
    old = httpx.get(live_server.url + "openapi.json")
    assert old.status_code == 200 and old.links["canonical"]["url"] == "/api/openapi.json"
    assert old.json() == httpx.get(live_server.url + "api/openapi.json").json()


def test_the_description_covers_every_public_route(live_server: LiveServer) -> None:
    document = httpx.get(live_server.url + "api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    for route in (
        "/",
        "/sparql",
        "/id/{type}/{reference}",
        "/doc/{type}/{reference}",
        "/list/{slug}",
        "/ns/kg",
        "/dumps/",
        "/dumps/{name}",
        "/.well-known/void",
        "/api/openapi.json",
        *(f"/api/{name}" for name in load_catalog()),
    ):
        assert route in paths
    assert set(document["paths"]["/sparql"]) == {"get", "post"}
    body = document["paths"]["/sparql"]["post"]["requestBody"]["content"]
    assert {"application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"} <= set(body)
