"""The search query language: what each piece of syntax parses into, and the message a malformed
query gets."""

from __future__ import annotations

import pytest

from kg.search.query import And, Not, Or, Phrase, QueryError, Term, parse, terms


def test_words_are_all_required() -> None:
    assert parse("fedasil facebook") == And((Term("fedasil"), Term("facebook")))


def test_quotes_make_a_phrase() -> None:
    assert parse('"sociale media" twitter') == And((Phrase("sociale media"), Term("twitter")))


def test_minus_and_not_exclude() -> None:
    assert parse("fedasil -facebook") == And((Term("fedasil"), Not(Term("facebook"))))
    assert parse("fedasil NOT facebook") == parse("fedasil -facebook")
    assert parse('-"sociale media"') == Not(Phrase("sociale media"))


def test_or_binds_looser_than_and() -> None:
    assert parse("a b OR c") == Or((And((Term("a"), Term("b"))), Term("c")))
    assert parse("a (b OR c)") == And((Term("a"), Or((Term("b"), Term("c")))))


def test_lower_case_or_and_a_hyphen_inside_a_word_are_words() -> None:
    assert parse("twitter or facebook") == And((Term("twitter"), Term("or"), Term("facebook")))
    assert parse("e-mail") == Term("e-mail")


def test_a_dash_alone_separates_like_a_space() -> None:
    assert parse("politie - sociale media -") == And((Term("politie"), Term("sociale"), Term("media")))


def test_star_at_the_end_is_a_prefix() -> None:
    assert parse("soci*") == Term("soci", prefix=True)


def test_field_filters_apply_to_a_word_a_phrase_or_a_group() -> None:
    assert parse("title:asiel") == Term("asiel", "title")
    assert parse('answer:"sociale media"') == Phrase("sociale media", "answer")
    assert parse("asker:(taelman OR khattabi)") == Or((Term("taelman", "asker"), Term("khattabi", "asker")))
    assert parse("Title:asiel") == Term("asiel", "title")


def test_a_web_address_is_not_a_field() -> None:
    assert parse("https://www.facebook.com/selor.be") == Term("https://www.facebook.com/selor.be")


def test_an_empty_query_matches_everything() -> None:
    assert parse("") is None
    assert parse("   ") is None


def test_terms_leave_out_what_is_excluded() -> None:
    assert terms(parse('a -b "c d"')) == [Term("a"), Phrase("c d")]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"sociale media', "quote at position 1 is not closed"),
        ("(twitter OR facebook", "parenthesis at position 1 is not closed"),
        ("twitter)", "closing parenthesis at position 8 has no opening one"),
        ("OR twitter", "OR at position 1 needs a term before it"),
        ("twitter OR", "OR at position 9 needs a term after it"),
        ("twitter OR OR facebook", "needs a term after it"),
        ("titel:asiel", "unknown field 'titel'"),
        ("title: asiel", "must be followed by a word"),
        ("s*", "too short"),
        ("so*ci", "can only end a word"),
        ("()", "empty parentheses"),
        ("twitter --x", "must be followed by a word"),
        ('""', "phrase at position 1 is empty"),
        ("x" * 1001, "too long"),
        (" ".join(["w"] * 65), "too many terms"),
        ("(" * 10 + "a" + ")" * 10, "nests parentheses too deeply"),
    ],
)
def test_malformed_queries_say_what_is_wrong(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace("*", r"\*")):
        parse(query)
