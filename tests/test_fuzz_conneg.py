"""Content and language negotiation under any header a client may send: they never raise, and
they only ever choose something that was offered."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.web.conneg import negotiate, parse_accept
from kg.web.i18n import LANGUAGES, negotiate_language

OFFERS = ["text/html", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]
PIECES = st.sampled_from(
    [
        "text/html",
        "*/*",
        "text/*",
        "application/ld+json",
        "text/turtle",
        ";q=",
        "q=foo",
        ";q=0",
        ";q=1",
        ";q=nan",
        ";q=inf",
        ";q=-1",
        ";q=1e999",
        ",",
        ";",
        "/",
        "*",
        " ",
        "\t",
        "level=1",
        '"',
        "=",
        "nl",
        "fr-BE",
        "en;q=0.5",
        "x" * 300,
    ]
)
HEADERS = st.one_of(
    st.text(max_size=300), st.lists(PIECES, max_size=60).map("".join), st.lists(PIECES, max_size=3000).map("".join)
)


@settings(max_examples=400, deadline=None)
@given(HEADERS, st.lists(st.sampled_from(OFFERS), min_size=1, max_size=5, unique=True))
def test_negotiate_never_breaks(header: str, offered: list[str]) -> None:
    chosen = negotiate(header, offered)
    assert chosen is None or chosen in offered
    for media_range in parse_accept(header):
        assert 0.0 <= media_range.q <= 1.0 or media_range.q != media_range.q  # NaN is ignored


@settings(max_examples=200, deadline=None)
@given(HEADERS)
def test_negotiate_language_never_breaks(header: str) -> None:
    assert negotiate_language(header) in LANGUAGES


def test_wildcard_with_a_broken_q_still_gets_the_default() -> None:
    assert negotiate("*/*;q=foo", OFFERS) == "text/html"
    assert negotiate("text/turtle;q=foo, text/html;q=0.1", OFFERS) == "text/turtle"
