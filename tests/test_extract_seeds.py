"""Extraction from the two seed documents: the COMPLETE lists of agencies, accounts and facts,
compared as sets, so a missing item and an extra one both fail."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract import Extraction, extract
from kg.parse import parse_document
from kg.parse.records import QuestionRecord
from kg.paths import SEEDS_DIR


def seed(name: str) -> QuestionRecord:
    (record,) = parse_document(SEEDS_DIR / name).questions
    return record


@pytest.fixture(scope="module")
def mobility() -> Extraction:
    return extract(seed("5-8913-nl.txt"))


@pytest.fixture(scope="module")
def asylum() -> Extraction:
    return extract(seed("5-8916-nl.txt"))


# Both questions carry the same question text, with two Twitter handles in it.
QUESTION_ACCOUNTS = {
    ("twitter/fod-financien", "fod-financien", "FOD_Financien", None, None, ()),
    ("twitter/belgiumbe", "fod-kanselarij", "belgiumbe", None, None, ()),
}
QUESTION_FACTS = {
    ("uses", "fod-financien", "twitter", "twitter/fod-financien", None),
    ("uses", "fod-kanselarij", "twitter", "twitter/belgiumbe", None),
}

STATBEL = "https://www.facebook.com/pages/Statistics-Belgium-{}/{}"
MOBILITY_ACCOUNTS = QUESTION_ACCOUNTS | {
    ("twitter/of-fod-mobiliteit", "fod-mobiliteit", None, None, None, ()),
    ("twitter/statbel-nl", "statbel", "statbel_nl", None, "nl", ("statistieken en cijfers",)),
    ("twitter/statbel-fr", "statbel", "statbel_fr", None, "fr", ("statistieken en cijfers",)),
    ("twitter/statbel-en", "statbel", "statbel_en", None, "en", ("statistieken en cijfers",)),
    (
        "facebook/statistics-belgium-nl",
        "statbel",
        None,
        STATBEL.format("NL", "276179792458308"),
        "nl",
        ("statistieken en cijfers",),
    ),
    (
        "facebook/statistics-belgium-fr",
        "statbel",
        None,
        STATBEL.format("FR", "296451327090320"),
        "fr",
        ("statistieken en cijfers",),
    ),
    (
        "facebook/statistics-belgium-en",
        "statbel",
        None,
        STATBEL.format("EN", "217351098363952"),
        "en",
        ("statistieken en cijfers",),
    ),
    (
        "facebook/pasoplichting",
        "fod-economie",
        None,
        "https://www.facebook.com/Pasoplichting",
        None,
        ("consumentenbedrog",),
    ),
    ("facebook/marnaque", "fod-economie", None, "https://www.facebook.com/Marnaque", None, ("consumentenbedrog",)),
    (
        "facebook/continentaalplat",
        "dienst-continentaal-plat",
        None,
        "https://www.facebook.com/continentaalplat",
        None,
        (),
    ),
    (
        "facebook/service-plateau-continental",
        "dienst-continentaal-plat",
        None,
        "https://www.facebook.com/pages/Service-Plateau-Continental/319506274818192",
        None,
        (),
    ),
}
MOBILITY_FACTS = {
    ("uses", "fod-mobiliteit", "twitter", "twitter/of-fod-mobiliteit", None),
    ("plans", "fod-mobiliteit", "linkedin", None, None),
    ("plans", "fod-mobiliteit", "facebook", None, "conditional"),
    ("audience", "fod-mobiliteit", "twitter", "twitter/of-fod-mobiliteit", "474 follow nl 2013-05-02"),
    ("audience", "fod-mobiliteit", "twitter", "twitter/of-fod-mobiliteit", "136 follow fr 2013-05-02"),
    ("policy", "fod-mobiliteit", None, None, "editorial-control"),
    ("no-abuse", "fod-mobiliteit", None, None, None),
    ("policy", "fod-mobiliteit", "twitter", None, "monitoring"),
    ("uses", "fod-volksgezondheid", "facebook", None, None),
    ("uses", "fod-volksgezondheid", "twitter", None, None),
    ("uses", "fod-volksgezondheid", "linkedin", None, None),
    ("policy", "fod-volksgezondheid", None, None, "communication-plan"),
    ("policy", "fod-volksgezondheid", None, None, "guidelines"),
    ("no-abuse", "fod-volksgezondheid", None, None, None),
    ("policy", "fod-volksgezondheid", None, None, "monitoring"),
    ("uses", "statbel", "twitter", "twitter/statbel-nl", None),
    ("uses", "statbel", "twitter", "twitter/statbel-fr", None),
    ("uses", "statbel", "twitter", "twitter/statbel-en", None),
    ("uses", "statbel", "facebook", "facebook/statistics-belgium-nl", None),
    ("uses", "statbel", "facebook", "facebook/statistics-belgium-fr", None),
    ("uses", "statbel", "facebook", "facebook/statistics-belgium-en", None),
    ("uses", "fod-economie", "facebook", "facebook/pasoplichting", None),
    ("uses", "fod-economie", "facebook", "facebook/marnaque", None),
    ("uses", "dienst-continentaal-plat", "facebook", "facebook/continentaalplat", None),
    ("uses", "dienst-continentaal-plat", "facebook", "facebook/service-plateau-continental", None),
    ("active-since", "fod-economie", None, None, "2012-12-03"),
    ("uses", "fod-economie", "twitter", None, None),
    ("policy", "fod-economie", None, None, "posting-schedule"),
    ("policy", "fod-economie", None, None, "editorial-control"),
    ("policy", "fod-economie", None, None, "guidelines"),
    ("no-abuse", "fod-economie", None, None, None),
    ("policy", "fod-economie", None, None, "monitoring"),
}

ASYLUM_ACCOUNTS = QUESTION_ACCOUNTS | {
    ("facebook/of-fod-binnenlandse-zaken", "fod-binnenlandse-zaken", None, None, None, ()),
}
ASYLUM_FACTS = {
    ("does-not-use", "dvz", None, None, None),
    ("uses", "fod-binnenlandse-zaken", "facebook", "facebook/of-fod-binnenlandse-zaken", None),
    ("uses", "cgvs", "facebook", "facebook/of-fod-binnenlandse-zaken", None),
    ("no-abuse", "cgvs", None, None, None),
    ("does-not-use", "rvv", None, None, None),
    ("uses", "fedasil", "facebook", None, None),
    ("plans", "fedasil", "twitter", None, "2013"),
    ("policy", "fedasil", None, None, "management-note"),
    ("policy", "fedasil", "facebook", None, "guidelines"),
    ("no-abuse", "fedasil", None, None, None),
    ("uses", "pod-maatschappelijke-integratie", "facebook", None, None),
    ("uses", "pod-maatschappelijke-integratie", "twitter", None, None),
    ("no-abuse", "pod-maatschappelijke-integratie", None, None, None),
}


def accounts(extraction: Extraction) -> set[tuple]:
    return {(str(a.ref), a.owner, a.handle, a.url, a.language, a.topics) for a in extraction.accounts}


def test_mobility_answer_agencies(mobility: Extraction) -> None:
    assert {m.agency for m in mobility.agencies} == {
        "fod-financien",
        "fod-kanselarij",
        "fod-mobiliteit",
        "fod-volksgezondheid",
        "fod-economie",
        "statbel",
        "dienst-continentaal-plat",
    }
    assert len(mobility.agencies) == 7  # each once


def test_mobility_answer_accounts(mobility: Extraction) -> None:
    assert accounts(mobility) == MOBILITY_ACCOUNTS


def test_mobility_answer_facts(mobility: Extraction) -> None:
    assert {f.key() for f in mobility.question_facts} == QUESTION_FACTS
    assert {f.key() for f in mobility.answer_facts} == MOBILITY_FACTS
    assert len(mobility.answer_facts) == len(MOBILITY_FACTS)  # no fact twice


def test_mobility_answer_reports_on_its_sections(mobility: Extraction) -> None:
    assert mobility.reported[:3] == ("fod-mobiliteit", "fod-volksgezondheid", "fod-economie")
    assert set(mobility.reported) == {
        "fod-mobiliteit",
        "fod-volksgezondheid",
        "fod-economie",
        "statbel",
        "dienst-continentaal-plat",
    }


def test_asylum_answer_agencies(asylum: Extraction) -> None:
    assert {m.agency for m in asylum.agencies} == {
        "fod-financien",
        "fod-kanselarij",
        "dvz",
        "cgvs",
        "fod-binnenlandse-zaken",
        "rvv",
        "fedasil",
        "pod-maatschappelijke-integratie",
    }
    assert len(asylum.agencies) == 8


def test_asylum_answer_accounts(asylum: Extraction) -> None:
    assert accounts(asylum) == ASYLUM_ACCOUNTS


def test_asylum_answer_facts(asylum: Extraction) -> None:
    assert {f.key() for f in asylum.question_facts} == QUESTION_FACTS
    assert {f.key() for f in asylum.answer_facts} == ASYLUM_FACTS
    assert len(asylum.answer_facts) == len(ASYLUM_FACTS)


def test_the_agencies_the_answer_names_under_any_variant(asylum: Extraction, mobility: Extraction) -> None:
    surfaces = {m.agency: m.surface for m in asylum.agencies + mobility.agencies}
    assert surfaces["fod-mobiliteit"] == "Federale Overheidsdienst (FOD) Mobiliteit"
    assert surfaces["fod-volksgezondheid"] == "FOD Volksgezondheid en Leefmilieu"
    assert (
        surfaces["pod-maatschappelijke-integratie"]
        == "Programmatorische Overheidsdienst (POD) Maatschappelijke Integratie"
    )
    assert surfaces["statbel"] == "@statbel_nl"


def test_evidence_points_into_the_paragraphs() -> None:
    for name in ("5-8913-nl.txt", "5-8916-nl.txt"):
        record = seed(name)
        extraction = extract(record)
        assert record.answer is not None
        texts = {"question": record.question, "answer": record.answer.text}
        for fact in extraction.facts:
            evidence = fact.evidence
            paragraph = texts[evidence.text].paragraphs[evidence.paragraph].text
            assert paragraph[evidence.start : evidence.end] == evidence.quote
            assert evidence.quote.strip() == evidence.quote and evidence.quote


def test_audience_and_plan_details(mobility: Extraction, asylum: Extraction) -> None:
    audience = [f for f in mobility.answer_facts if f.kind == "audience"]
    assert [(f.count, f.audience_language, f.date, f.interaction) for f in audience] == [
        (474, "nl", date(2013, 5, 2), "follow"),
        (136, "fr", date(2013, 5, 2), "follow"),
    ]
    (plan,) = [f for f in asylum.answer_facts if f.kind == "plans"]
    assert (plan.agency, plan.platform, plan.year, plan.conditional) == ("fedasil", "twitter", 2013, False)
    assert plan.evidence.quote == "Later dit jaar zal Fedasil ook gebruik maken van Twitter."


def test_facts_are_in_document_order(mobility: Extraction) -> None:
    positions = [(f.evidence.paragraph, f.evidence.start) for f in mobility.answer_facts]
    assert positions == sorted(positions)
