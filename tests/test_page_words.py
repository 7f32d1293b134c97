"""Words for people over HTTP on the seeds: every property and type named in the reader's
language (no `dct:creator` left), the language chosen kept from page to page, web addresses and
handles in texts clickable, byte sizes readable."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from conftest import LiveServer

from kg.web.i18n import readable_bytes
from kg.web.text_view import linkify

PAGES = [
    "/doc/question/5-8913",
    "/doc/question/5-8913/answer",
    "/doc/person/martine-taelman",
    "/doc/agency/fod-financien",
    "/doc/office/di-rupo-state-secretary-state-reform-cdh",
    "/doc/account/facebook/marnaque",
    "/doc/concept/sociale-media",
    "/doc/source/c5011b530540dcf2",
]
CURIE = re.compile(r"[a-z][a-z-]*:[A-Za-z_]+")


def html(server: LiveServer, path: str, **params: str) -> str:
    response = httpx.get(server.url.rstrip("/") + path, params=params, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_every_property_and_type_has_a_name_in_the_readers_language(
    live_server: LiveServer, path: str, language: str
) -> None:
    page = html(live_server, path, lang=language)
    names = re.findall(r'class="property"[^>]*>([^<]*)<', page)
    names += re.findall(r'property="rdf:type" resource="[^"]*"(?: href="[^"]*")?>([^<]*)<', page)
    names += re.findall(r"<li><i>([^<]*)</i>", page)
    assert names
    assert not [n for n in names if CURIE.fullmatch(n)], names


@pytest.mark.parametrize("language, asked_by", [("nl", "gesteld door"), ("fr", "posée par"), ("en", "asked by")])
def test_creator_reads_asked_by(live_server: LiveServer, language: str, asked_by: str) -> None:
    page = html(live_server, "/doc/question/5-8913", lang=language)
    assert re.search(f'title="http://purl.org/dc/terms/creator">{asked_by}<', page.replace("&#x27;", "'"))


def local_links(page: str) -> list[str]:
    return [href for href in re.findall(r'href="(/[^"]*)"', page) if not href.startswith("/static/")]


def test_chosen_language_is_carried_by_every_local_link(live_server: LiveServer) -> None:
    page = html(live_server, "/doc/question/5-8913", lang="fr")
    links = local_links(page.replace("&amp;", "&"))
    assert len(links) > 50
    for href in links:
        if re.search(r"\.(ttl|nt|jsonld|rdf|trig|nq)$", urlsplit(href).path):
            continue  # the RDF documents: no language to keep
        query = parse_qs(urlsplit(href).query)
        if "lang" in query and query["lang"] != ["fr"]:
            assert href in {f"/doc/question/5-8913?lang={code}" for code in ("nl", "en")}, href  # the switch
        else:
            assert query.get("lang") == ["fr"], href


def test_language_is_kept_when_following_links(live_server: LiveServer) -> None:
    page = html(live_server, "/doc/question/5-8913", lang="nl")
    person = next(h for h in local_links(page) if h.startswith("/doc/person/martine-taelman"))
    following = httpx.get(
        live_server.url.rstrip("/") + person, headers={"Accept": "text/html", "Accept-Language": "en"}
    )
    assert following.headers["content-language"] == "nl"
    listing = next(h for h in local_links(following.text) if h.startswith("/list/questions"))
    assert (
        httpx.get(live_server.url.rstrip("/") + listing, headers={"Accept-Language": "en"}).headers["content-language"]
        == "nl"
    )


def test_without_a_choice_links_stay_bare(live_server: LiveServer) -> None:
    page = html(live_server, "/doc/question/5-8913")
    assert not [h for h in local_links(page) if "lang=" in h and "languages" not in h][3:]  # only the switch


def test_addresses_and_handles_become_links_and_nothing_else() -> None:
    text = (
        "Zie https://www.fin.belgium.be/nl. of @FOD_Financien, mail info@fin.fgov.be <script>x</script> www.belgium.be"
    )
    out = linkify(text)
    assert (
        '<a class="ext" href="https://www.fin.belgium.be/nl" rel="nofollow">https://www.fin.belgium.be/nl</a>.' in out
    )
    assert '<a class="ext" href="https://x.com/FOD_Financien" rel="nofollow">@FOD_Financien</a>' in out
    assert "info@fin.fgov.be" in out and "x.com/fin" not in out
    assert "&lt;script&gt;" in out and "<script>" not in out
    assert '<a class="ext" href="https://www.belgium.be" rel="nofollow">www.belgium.be</a>' in out


@pytest.mark.parametrize(
    "size, language, text",
    [(512, "en", "512 bytes"), (1234, "en", "1.2 KB"), (128394, "nl", "128 kB"), (5_432_100, "fr", "5,4 Mo")],
)
def test_readable_bytes(size: int, language: str, text: str) -> None:
    assert readable_bytes(size, language) == text


def test_dumps_page_shows_readable_sizes_in_the_readers_language(live_server: LiveServer) -> None:
    page = httpx.get(live_server.url + "dumps/", params={"lang": "fr"}, headers={"Accept": "text/html"}).text
    assert '<html lang="fr">' in page and "Taille" in page
    assert re.search(r'<data value="\d+" title="\d+ bytes">\d+(,\d)? (octets|ko|Mo)</data>', page)
