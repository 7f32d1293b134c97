"""`/search` over HTTP against the real server: the page and its JSON twin, facets that narrow,
paging, sorting, malformed queries answered 400, and user text escaped in the page."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest
from conftest import LiveServer, copy_build, search_corpus, start_server, stop_server

from kg.build.pipeline import build
from kg.search.schema import current_folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    files = search_corpus()
    out = tmp_path_factory.mktemp("search-web")
    assert not build(files, out).failed
    live = start_server(out)
    yield live
    stop_server(live)


class Page(HTMLParser):
    """What a test looks at in a page: links by class of their list item or section, marks,
    scripts and styles, and the text of elements by class."""

    def __init__(self, html: str):
        super().__init__()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.links: list[tuple[str, dict[str, str], str]] = []  # (href, attrs, context classes)
        self.marks: list[str] = []
        self.inline: list[str] = []  # <script>, <style> and style= found
        self.forms: list[dict[str, str]] = []
        self._mark: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in ("script", "style") or "style" in values:
            self.inline.append(tag)
        if tag == "form":
            self.forms.append(values)
        if tag == "a":
            context = " ".join(a.get("class", "") + " " + a.get("data-facet", "") for _, a in self.stack)
            self.links.append((values.get("href", ""), values, context))
        if tag == "mark":
            self._mark = []
        if tag not in ("input", "meta", "link", "br", "rect"):
            self.stack.append((tag, values))

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._mark is not None:
            self.marks.append("".join(self._mark))
            self._mark = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._mark is not None:
            self._mark.append(data)

    def hit_links(self) -> list[str]:
        return [href for href, _, context in self.links if "hit" in context.split() and href.startswith("/doc/")]

    def facet_links(self, facet: str) -> list[tuple[str, dict[str, str]]]:
        return [(href, attrs) for href, attrs, context in self.links if facet in context.split()]


def get(server: LiveServer, path: str, **kwargs: object) -> httpx.Response:
    return httpx.get(server.url.rstrip("/") + path, timeout=30, **kwargs)  # type: ignore[arg-type]


def test_the_page_lists_ranked_hits_with_marked_snippets(server: LiveServer) -> None:
    response = get(server, "/search", params={"q": "sociale media", "lang": "nl"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    hits = page.hit_links()
    assert "/doc/question/5-8913" in hits and "/doc/question/5-8916" in hits
    assert {mark.lower() for mark in page.marks} >= {"sociale", "media"}
    assert get(server, hits[0]).status_code == 200  # a hit opens its question's page


def test_the_json_twin_has_the_same_hits_as_the_page(server: LiveServer) -> None:
    params = {"q": "médias sociaux", "lang": "fr"}
    by_path = get(server, "/search.json", params=params).json()
    by_accept = get(server, "/search", params=params, headers={"Accept": "application/json"}).json()
    assert by_path == by_accept or [h["uri"] for h in by_path["hits"]] == [h["uri"] for h in by_accept["hits"]]
    page = Page(get(server, "/search", params=params).text)
    assert [h["uri"].rsplit("/", 1)[1] for h in by_path["hits"]] == [h.rsplit("/", 1)[1] for h in page.hit_links()]
    hit = by_path["hits"][0]
    assert hit["uri"].endswith("/id/question/" + hit["number"]) and hit["score"] > 0
    assert "<mark>" in hit["snippet_html"] and hit["language"] == "fr"
    assert "<mark>" in hit["title_html"] and "médias sociaux" in hit["title"].lower() and "<" not in hit["title"]
    assert by_path["total"] == sum(v["count"] for v in by_path["facets"]["legislature"])
    assert "VALUES ?question" in by_path["sparql"]


def test_a_facet_link_narrows_to_its_count(server: LiveServer) -> None:
    first = get(server, "/search.json", params={"q": "media"}).json()
    party = first["facets"]["party"][0]
    page = Page(get(server, "/search", params={"q": "media"}).text)
    href = next(
        h
        for h, attrs in page.facet_links("party")
        if attrs.get("href") and party["value"] in httpx.URL(h).params.get_list("party")
    )
    narrowed_page = get(server, href)
    assert narrowed_page.status_code == 200
    narrowed = get(server, href.replace("/search", "/search.json", 1)).json()
    assert narrowed["total"] == party["count"] < first["total"]
    assert all(hit["party"] == party["value"] for hit in narrowed["hits"])
    assert narrowed["facets"]["party"] == [{"value": party["value"], "count": party["count"], "selected": True}]


def test_every_facet_has_counts(server: LiveServer) -> None:
    facets = get(server, "/search.json").json()["facets"]
    for name in (
        "legislature",
        "year",
        "asker",
        "party",
        "office",
        "minister",
        "status",
        "descriptor",
        "agency",
        "government",
    ):
        assert facets[name] and all(value["count"] > 0 for value in facets[name]), name


def test_paging_and_sorting(server: LiveServer) -> None:
    everything = get(server, "/search.json", params={"size": 100}).json()
    pages = [get(server, "/search.json", params={"size": 2, "page": n}).json() for n in (1, 2, 3, 4)]
    seen = [hit["number"] for page in pages for hit in page["hits"]]
    assert seen == [hit["number"] for hit in everything["hits"]] and pages[0]["pages"] == 4
    assert [h["asked"] for h in everything["hits"]] == sorted((h["asked"] for h in everything["hits"]), reverse=True)
    oldest = get(server, "/search.json", params={"sort": "date-asc", "size": 100}).json()
    assert [h["number"] for h in oldest["hits"]][0] == min(everything["hits"], key=lambda h: h["asked"])["number"]
    page = Page(get(server, "/search", params={"size": 2, "page": 2}).text)
    assert any(attrs.get("rel") == "next" for _, attrs, _ in page.links)
    assert any(attrs.get("rel") == "prev" for _, attrs, _ in page.links)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": '"sociale media'}, "quote at position 1 is not closed"),
        ({"q": "titel:asiel"}, "unknown field"),
        ({"q": "twitter OR"}, "needs a term after it"),
        ({"q": "x", "page": "zero"}, "page must be a whole number"),
        ({"q": "x", "page": "²"}, "page must be a whole number"),
        ({"q": "x", "page": "0"}, "page must be between 1 and"),
        ({"q": "x", "size": "1000"}, "size must be between"),
        ({"q": "x", "sort": "colour"}, "unknown sort"),
        ({"year": "twenty"}, "year must be a number"),
    ],
)
def test_a_malformed_request_is_a_400_with_a_message(server: LiveServer, params: dict[str, str], message: str) -> None:
    as_json = get(server, "/search.json", params=params)
    assert as_json.status_code == 400 and message in as_json.json()["message"]
    as_page = get(server, "/search", params=params)
    assert as_page.status_code == 400 and message in as_page.text.replace("&#34;", '"')
    assert "Traceback" not in as_page.text


def test_user_text_is_escaped_in_the_page(server: LiveServer) -> None:
    attack = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    for params in ({"q": attack}, {"q": "media", "party": attack}, {"q": '"' + attack}):
        response = get(server, "/search", params=params)
        assert response.status_code in (200, 400)
        assert "<script>alert" not in response.text and "<img src=x" not in response.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
        assert Page(response.text).inline == []  # nothing a Content-Security-Policy would refuse


def test_every_page_header_has_the_search_box(server: LiveServer) -> None:
    for path in ("/", "/search", "/list/questions"):
        page = Page(get(server, path).text)
        assert any(form.get("action") == "/search" and form.get("method") == "get" for form in page.forms), path


def test_the_page_is_in_the_readers_language(server: LiveServer) -> None:
    assert "vragen" in get(server, "/search", params={"q": "media", "lang": "nl"}).text
    assert "<strong>1 vraag</strong>" in get(server, "/search", params={"q": "fedasil", "lang": "nl"}).text
    assert "Affiner" in get(server, "/search", params={"q": "media", "lang": "fr"}).text
    assert "Narrow" in get(server, "/search", params={"q": "media"}, headers={"Accept-Language": "en"}).text


def test_search_is_in_the_openapi_description(server: LiveServer) -> None:
    paths = get(server, "/openapi.json").json()["paths"]
    assert "/search" in paths and "/search.json" in paths


def test_the_histogram_has_a_bar_for_every_year_between_the_first_and_the_last(server: LiveServer) -> None:
    years = get(server, "/search.json").json()["years"]
    first, last = years[0]["year"], years[-1]["year"]
    assert [y["year"] for y in years] == sorted(y["year"] for y in years) and last > first + 1
    assert get(server, "/search").text.count("<rect ") == last - first + 1


def test_a_data_folder_without_an_index_answers_503_and_serves_the_rest(
    server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    bare = start_server(copy_build(server.data_dir, tmp_path_factory.mktemp("no-index")))
    try:
        for path in ("/search?q=media", "/search.json?q=media"):
            response = get(bare, path, headers={"Accept": "application/json"})
            assert response.status_code == 503 and "no search index" in response.json()["message"]
        assert get(bare, "/doc/question/5-8913").status_code == 200
    finally:
        stop_server(bare)


def test_an_index_of_another_format_answers_503_asking_for_a_build(
    server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = copy_build(server.data_dir, tmp_path_factory.mktemp("old-index"))
    shutil.copytree(server.data_dir / "search", data / "search", ignore=shutil.ignore_patterns(".tantivy-*"))
    folder = current_folder(data)
    assert folder is not None
    info = json.loads((folder / "info.json").read_text())
    (folder / "info.json").write_text(json.dumps({**info, "schema": "1"}))  # as kg wrote it before
    old = start_server(data)
    try:
        for path in ("/search?q=media", "/search.json?q=media"):
            response = get(old, path, headers={"Accept": "application/json"})
            message = response.json()["message"]
            assert response.status_code == 503 and "another version of kg" in message and "kg build" in message
        assert get(old, "/doc/question/5-8913").status_code == 200
    finally:
        stop_server(old)
