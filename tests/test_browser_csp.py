"""Every kind of HTML page, loaded in a real headless Chromium with the Content-Security-Policy kg
sends: the browser reports no violation in its console (no inline script or style, nothing from
elsewhere), and the policy, framing and sniffing headers are on every page."""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from conftest import LiveServer
from test_browser import CHROMIUM, FLAGS

pytestmark = pytest.mark.browser

QUESTION = "id/question/5-8913"
# One address per page kind: home, list, question, agency, vocabulary and term, query page
# (empty, with results, with an error), dumps, API explorer, dataset, answer times, not found, an
# error page.
PAGES = [
    "",
    "list/questions",
    QUESTION,
    "doc/question/5-8913",
    "ns/kg",
    "sparql",
    "sparql?format=html&query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 5"),
    "sparql?format=html&query=" + quote("SELECT * WHERE { ?s ?p }"),
    "dumps/",
    "api/",
    ".well-known/void",
    "stats",
    "stats?grouping=month&lang=nl",
    "stats/overdue?lang=fr",
    "id/question/0-0",
    "nothing/here",
]


def test_every_page_kind_has_the_security_headers(live_server: LiveServer) -> None:
    for path in PAGES:
        page = httpx.get(live_server.url + path, headers={"Accept": "text/html"}, follow_redirects=True)
        assert page.headers["content-type"].startswith("text/html"), path
        policy = page.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy, path
        assert page.headers["x-content-type-options"] == "nosniff", path
        assert page.headers["referrer-policy"], path


def test_data_answers_cannot_be_rendered_as_pages(live_server: LiveServer) -> None:
    for path, accept in [
        (QUESTION, "text/turtle"),
        (QUESTION, "application/ld+json"),
        ("sparql?query=" + quote("ASK {}"), "application/sparql-results+json"),
        ("nothing/here", "application/json"),
    ]:
        answer = httpx.get(live_server.url + path, headers={"Accept": accept}, follow_redirects=True)
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert "sandbox" in answer.headers["content-security-policy"], path


def test_no_page_kind_violates_its_policy_in_chromium(live_server: LiveServer, tmp_path: Path) -> None:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: install the Debian package `chromium`")
    for i, path in enumerate(PAGES):
        result = subprocess.run(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={tmp_path / f'profile{i}'}",
                "--enable-logging=stderr",
                "--v=0",
                "--dump-dom",
                live_server.url + path,
            ],
            capture_output=True,
            timeout=90,
            check=True,
        )
        console = [line for line in result.stderr.decode("utf-8", "replace").splitlines() if ":CONSOLE" in line]
        violations = [line for line in console if "Content Security Policy" in line]
        assert not violations, (path, violations)
        assert b"<html" in result.stdout, path  # the page did render
