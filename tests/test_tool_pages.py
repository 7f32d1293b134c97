"""The query page, the dumps and the API page over HTTP, on the live server: their languages, the
dataset terms the editor completes from, the front-end files kg serves itself (versioned URLs,
cached for a year, 304s, nothing outside its list), and what happens without those files."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from conftest import LiveServer
from playwright_chromium import skip_without_front_end

from kg.rdf.vocab import KG_NS, prefixes
from kg.web.api_page import OPENAPI_URL
from kg.web.sparql.page import declaring_prefixes
from kg.web.vendor import STATIC_DIR, VENDOR_FILES, Assets, copy_vendor_files, startup_note

HTML = {"Accept": "text/html"}


def _h1(page: str) -> str:
    found = re.search(r"<main>\s*<h1>(.*?)</h1>", page, re.S)
    assert found, page[:500]
    return found.group(1)


@pytest.mark.parametrize(
    ("path", "language", "title"),
    [
        ("sparql", "en", "SPARQL query"),
        ("sparql", "nl", "SPARQL-query"),
        ("sparql", "fr", "Requête SPARQL"),
        ("dumps/", "en", "Dumps"),
        ("dumps/", "nl", "Downloads"),
        ("dumps/", "fr", "Téléchargements"),
        ("api/", "fr", "API"),
    ],
)
def test_tool_pages_speak_the_readers_language(live_server: LiveServer, path: str, language: str, title: str) -> None:
    chosen = httpx.get(live_server.url + path, params={"lang": language}, headers=HTML, timeout=30)
    negotiated = httpx.get(live_server.url + path, headers={**HTML, "Accept-Language": f"{language};q=0.9"}, timeout=30)
    for page in (chosen, negotiated):
        assert page.status_code == 200
        assert f'<html lang="{language}">' in page.text
        assert _h1(page.text) == title
        assert "Accept-Language" in page.headers["vary"]
        for code in ("nl", "fr", "en"):  # the switch to every language, keeping the page
            assert re.search(rf'href="/{re.escape(path)}\?lang={code}" hreflang="{code}"', page.text), (path, code)


def test_the_query_form_keeps_the_language_it_was_sent_in(live_server: LiveServer) -> None:
    page = httpx.get(live_server.url + "sparql", params={"lang": "nl"}, headers=HTML, timeout=30).text
    assert '<input type="hidden" name="lang" value="nl">' in page
    answer = httpx.get(
        live_server.url + "sparql", params={"query": "ASK {}", "format": "html", "lang": "nl"}, headers=HTML, timeout=30
    )
    assert answer.status_code == 200 and _h1(answer.text) == "SPARQL-query" and "Resultaten" in answer.text


def test_terms_list_the_datasets_classes_properties_and_prefixes(live_server: LiveServer) -> None:
    answer = httpx.get(live_server.url + "sparql/terms.json", timeout=30)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    terms = answer.json()
    assert terms["prefixes"] == prefixes(KG_NS)
    assert KG_NS + "Question" in terms["classes"]
    assert "http://purl.org/dc/terms/title" in terms["properties"]
    assert terms["classes"] == sorted(set(terms["classes"])) and terms["properties"] == sorted(set(terms["properties"]))
    again = httpx.get(live_server.url + "sparql/terms.json", headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304


def test_front_end_files_are_served_with_versioned_urls_cached_for_a_year(live_server: LiveServer) -> None:
    skip_without_front_end()
    page = httpx.get(live_server.url + "sparql", headers=HTML, timeout=30).text
    sources = re.findall(r'<script src="(/static/[^"?]+)\?v=([0-9a-f]{16})" defer>', page)
    assert {path for path, _ in sources} == {"/static/vendor/yasgui/yasgui.min.js", "/static/editor.js"}
    for path, version in sources:
        answer = httpx.get(live_server.url + path.lstrip("/"), params={"v": version}, timeout=30)
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "text/javascript; charset=utf-8"
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert answer.content == (STATIC_DIR / path.removeprefix("/static/")).read_bytes()
        assert answer.headers["etag"] == f'"{version}"'
        unchanged = httpx.get(
            live_server.url + path.lstrip("/"), params={"v": version}, headers={"If-None-Match": f'"{version}"'}
        )
        assert unchanged.status_code == 304 and not unchanged.content


@pytest.mark.parametrize(
    "path",
    [
        "static/vendor/yasgui/yasgui.esm.js",  # in the package, not in kg's list
        "static/vendor/package.json",
        "static/vendor/..%2F..%2Fapp.py",
        "static/vendor/yasgui/..%2F..%2F..%2Fapp.py",
    ],
)
def test_only_the_listed_front_end_files_are_served(live_server: LiveServer, path: str) -> None:
    answer = httpx.get(live_server.url + path, timeout=30)
    assert answer.status_code == 404
    assert "Traceback" not in answer.text


def test_the_api_page_points_at_the_openapi_description(live_server: LiveServer) -> None:
    page = httpx.get(live_server.url + "api/", headers=HTML, timeout=30)
    assert page.status_code == 200
    assert f'<a href="{OPENAPI_URL}" type="application/json">' in page.text
    assert httpx.get(live_server.url + OPENAPI_URL.lstrip("/"), timeout=30).json()["openapi"].startswith("3.")
    moved = httpx.get(live_server.url + "api", params={"lang": "nl"}, headers=HTML, timeout=30)
    assert moved.status_code == 308 and moved.headers["location"] == "/api/?lang=nl"


def test_without_the_front_end_files_the_pages_have_no_scripts_and_say_why(tmp_path: Path) -> None:
    (tmp_path / "editor.js").write_text("/* kg */")
    (tmp_path / "editor.css").write_text("/* kg */")
    assets = Assets(tmp_path)
    assert assets.urls(("yasgui/yasgui.min.js",)) is None
    assert assets.missing_vendor_files() == list(VENDOR_FILES)
    assert assets.urls(("editor.js", "editor.css"), vendor=False) == {
        "editor.js": f"/static/editor.js?v={assets.get('editor.js').digest}",  # type: ignore[union-attr]
        "editor.css": f"/static/editor.css?v={assets.get('editor.css').digest}",  # type: ignore[union-attr]
    }
    assert assets.get("../editor.js") is None and assets.get("vendor/unlisted.js") is None
    note = startup_note(assets)
    assert note is not None and "yasgui/yasgui.min.js" in note and "python3 dev.py setup" in note
    copy_vendor_files(tmp_path / "node_modules", tmp_path / "vendor")  # nothing to copy: still missing
    for name in VENDOR_FILES:
        (tmp_path / "vendor" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "vendor" / name).write_text("x")
    assert startup_note(Assets(tmp_path)) is None


def test_setup_copies_only_the_listed_files_from_node_modules(tmp_path: Path) -> None:
    modules = tmp_path / "node_modules"
    first, second = list(VENDOR_FILES.items())[:2]
    for _, source in (first, second):
        (modules / source).parent.mkdir(parents=True, exist_ok=True)
        (modules / source).write_text(f"content of {source}")
    (modules / "@zazuko/yasgui/build/yasgui.esm.js").write_text("not listed")
    target = tmp_path / "vendor"
    absent = copy_vendor_files(modules, target)
    assert absent == list(VENDOR_FILES)[2:]
    copied = sorted(str(path.relative_to(target)) for path in target.rglob("*") if path.is_file())
    assert copied == sorted([first[0], second[0]])
    assert (target / first[0]).read_text() == f"content of {first[1]}"


def test_examples_open_with_the_prefixes_they_use_declared() -> None:
    table = prefixes(KG_NS)
    query = "PREFIX dct: <http://purl.org/dc/terms/>\nSELECT * WHERE { ?q a kg:Question ; dct:title ?t ; skos:x ?y }"
    declared = declaring_prefixes(query, table)
    assert declared == (f"PREFIX kg: <{KG_NS}>\nPREFIX skos: <{table['skos']}>\n" + query)
    assert declaring_prefixes(declared, table) == declared  # nothing twice
    assert declaring_prefixes('SELECT * WHERE { ?s ?p "unclosed }', table) == 'SELECT * WHERE { ?s ?p "unclosed }'
    assert declaring_prefixes("SELECT * WHERE { ?s a unknown:Thing }", table).startswith("SELECT")
