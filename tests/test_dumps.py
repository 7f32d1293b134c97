"""/dumps/: the listing (HTML and JSON) and the files, with checksums and HTTP caching."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from html.parser import HTMLParser

import httpx
import pytest

NAMES = ["graph.nt.gz", "graph.ttl", "ontology.ttl"]
IDENTITY = {"Accept-Encoding": "identity"}


def listing(server) -> dict:
    response = httpx.get(server.url + "dumps/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    return response.json()


def test_json_listing_matches_the_files(live_server) -> None:
    dumps = listing(live_server)["dumps"]
    assert [d["name"] for d in dumps] == NAMES
    for dump in dumps:
        content = (live_server.data_dir / dump["name"]).read_bytes()
        assert dump["size"] == len(content)
        assert dump["sha256"] == hashlib.sha256(content).hexdigest()
        assert dump["url"] == "http://localhost:8000/dumps/" + dump["name"]


def test_html_listing_links_every_dump(live_server) -> None:
    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.hrefs.append(dict(attrs).get("href", ""))

    response = httpx.get(live_server.url + "dumps/", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    parser = Links()
    parser.feed(response.text)
    for name in NAMES:
        assert f"/dumps/{name}" in parser.hrefs
        assert hashlib.sha256((live_server.data_dir / name).read_bytes()).hexdigest() in response.text
    assert httpx.get(live_server.url + "dumps/", headers={"Accept": "image/png"}).status_code == 406
    assert httpx.get(live_server.url + "dumps/", params={"format": "json"}).json()["dumps"]


@pytest.mark.parametrize("name", NAMES)
def test_download_with_validators(live_server, name) -> None:
    content = (live_server.data_dir / name).read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    response = httpx.get(live_server.url + "dumps/" + name, headers=IDENTITY)
    assert response.status_code == 200
    assert response.content == content
    assert response.headers["content-length"] == str(len(content))
    assert digest in response.headers["etag"]
    parsedate_to_datetime(response.headers["last-modified"])
    if name.endswith(".gz"):
        assert response.headers["content-type"] == "application/gzip"
        assert "attachment" in response.headers["content-disposition"]
    else:
        assert response.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize("name", NAMES)
def test_conditional_requests(live_server, name) -> None:
    url = live_server.url + "dumps/" + name
    first = httpx.get(url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    digest = hashlib.sha256((live_server.data_dir / name).read_bytes()).hexdigest()
    for tag in (etag, f'"{digest}"', f'W/"{digest}"', f'"other", {etag}', "*"):
        again = httpx.get(url, headers={"If-None-Match": tag})
        assert again.status_code == 304, tag
        assert again.content == b""
        assert again.headers["etag"] == etag
    assert httpx.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    assert httpx.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    earlier = format_datetime(parsedate_to_datetime(modified) - timedelta(days=1), usegmt=True)
    assert httpx.get(url, headers={"If-Modified-Since": earlier}).status_code == 200
    assert httpx.get(url, headers={"If-Modified-Since": "not a date"}).status_code == 200
    # If-None-Match wins over If-Modified-Since
    both = httpx.get(url, headers={"If-None-Match": '"something-else"', "If-Modified-Since": modified})
    assert both.status_code == 200


def test_text_dumps_are_gzipped_on_request_and_the_gz_is_not(live_server) -> None:
    with httpx.Client() as client:
        ttl = client.get(live_server.url + "dumps/graph.ttl", headers={"Accept-Encoding": "gzip"})
        assert ttl.headers["content-encoding"] == "gzip"
        assert ttl.content == (live_server.data_dir / "graph.ttl").read_bytes()
        assert ttl.num_bytes_downloaded < len(ttl.content)
        gz = client.get(live_server.url + "dumps/graph.nt.gz", headers={"Accept-Encoding": "gzip"})
        assert "content-encoding" not in gz.headers
        assert gz.content == (live_server.data_dir / "graph.nt.gz").read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "dumps/build.json",
        "dumps/../build.json",
        "dumps/%2e%2e%2fbuild.json",
        "dumps/..%2Fbuild.json",
        "dumps/store",
        "dumps/store%2Ffingerprint.json",
        "dumps/%2Fetc%2Fpasswd",
        "dumps/graph.ttl%00",
        "dumps/GRAPH.TTL",
    ],
)
def test_only_listed_files_are_served(live_server, path) -> None:
    response = httpx.get(live_server.url + path)
    assert response.status_code == 404
    assert "root:" not in response.text and '"files"' not in response.text


def test_range_requests_on_the_big_dump(live_server) -> None:
    response = httpx.get(live_server.url + "dumps/graph.nt.gz", headers={"Range": "bytes=0-9"})
    assert response.status_code == 206
    assert response.content == (live_server.data_dir / "graph.nt.gz").read_bytes()[:10]
