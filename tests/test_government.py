"""Government reference data: its integrity, and matching printed offices to the person in them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kg.parse.records import Office
from kg.reference.governments import Governments, load_governments, normalize_title, parse_governments, read_reference

PM = Office("eerste minister", "prime-minister")
INTERIOR = Office("minister van Binnenlandse Zaken en Gelijke Kansen", "minister")
ENVIRONMENT = Office(
    "staatssecretaris voor Leefmilieu, Energie en Mobiliteit, toegevoegd aan de minister van "
    "Binnenlandse Zaken en Gelijke Kansen",
    "state-secretary",
    ("Leefmilieu", "Energie", "Mobiliteit"),
    INTERIOR,
)
STATE_REFORM = Office(
    "staatssecretaris voor Staatshervorming, toegevoegd aan de eerste minister",
    "state-secretary",
    ("Staatshervorming",),
    PM,
)
ASYLUM = Office(
    "staatssecretaris voor Asiel en Migratie, Maatschappelijke Integratie en Armoedebestrijding, "
    "toegevoegd aan de minister van Justitie",
    "state-secretary",
    ("Asiel en Migratie", "Maatschappelijke Integratie", "Armoedebestrijding"),
    Office("minister van Justitie", "minister"),
)
FINANCE = Office(
    "vice-eerste minister en minister van Financiën en Duurzame Ontwikkeling, belast met Ambtenarenzaken",
    "deputy-prime-minister",
)
APRIL_30 = date(2013, 4, 30)


@pytest.fixture(scope="module")
def governments() -> Governments:
    return load_governments()


def holders(governments: Governments, offices: list[Office], on: date) -> list[str | None]:
    return [r.holder.person if r.holder else None for r in governments.resolve(offices, on)]


def test_seed_offices_resolve_to_the_holders_of_30_april_2013(governments: Governments) -> None:
    assert holders(governments, [ENVIRONMENT, STATE_REFORM], APRIL_30) == ["Melchior Wathelet"] * 2
    assert holders(governments, [ASYLUM], APRIL_30) == ["Maggie De Block"]
    resolved = governments.resolve([ENVIRONMENT], APRIL_30)[0].reference
    assert resolved is not None and resolved.attached_to == "di-rupo-minister-interior"


def test_two_state_secretaries_for_state_reform_stay_unresolved_alone(governments: Governments) -> None:
    # Wathelet (cdH) and Verherstraeten (CD&V) both held it: alone, the title says not who.
    [alone] = governments.resolve([STATE_REFORM], APRIL_30)
    assert alone.reference is None and alone.holder is None


def test_reshuffle_hands_finance_from_vanackere_to_geens(governments: Governments) -> None:
    assert holders(governments, [FINANCE], date(2013, 3, 4)) == ["Steven Vanackere"]
    assert holders(governments, [FINANCE], date(2013, 3, 5)) == ["Koen Geens"]  # the newcomer on the day
    pensions = Office("minister van Pensioenen", "minister")
    assert holders(governments, [pensions], date(2012, 6, 1)) == ["Vincent Van Quickenborne"]
    assert holders(governments, [pensions], date(2013, 6, 1)) == ["Alexander De Croo"]
    assert holders(governments, [pensions], date(2012, 10, 19)) == [None]  # between the two: no guess


def test_french_titles_match_the_same_office(governments: Governments) -> None:
    french = Office(
        "secrétaire d'État à l'Environnement, à l'Énergie et à la Mobilité, adjoint à la "
        "ministre de l'Intérieur et de l'Égalité des chances",
        "state-secretary",
        language="fr",
    )
    [resolved] = governments.resolve([french], APRIL_30)
    assert resolved.reference is not None
    assert resolved.reference.key == "di-rupo-state-secretary-environment-energy-mobility"


def test_office_of_another_government_matches_by_date(governments: Governments) -> None:
    justice = Office("minister van Justitie", "minister")
    assert holders(governments, [justice], date(2010, 5, 1)) == ["Stefaan De Clerck"]
    assert holders(governments, [justice], date(2012, 5, 1)) == ["Annemie Turtelboom"]
    assert holders(governments, [justice], date(1990, 5, 1)) == [None]


def test_portfolio_matches_when_the_wording_differs(governments: Governments) -> None:
    reworded = Office("minister belast met Justitie", "minister", ("Justitie",))
    assert holders(governments, [reworded], APRIL_30) == ["Annemie Turtelboom"]


def test_unknown_office_is_left_without_holder(governments: Governments) -> None:
    unknown = Office("minister van Ruimtevaart", "minister", ("Ruimtevaart",))
    assert holders(governments, [unknown], APRIL_30) == [None]


@pytest.mark.parametrize(
    "printed, normalized",
    [
        (
            "de Staatssecretaris voor Leefmilieu,  Energie en Mobiliteit",
            "staatssecretaris leefmilieu energie mobiliteit",
        ),
        ("au secrétaire d'État à l'Environnement, adjoint au ministre de l'Intérieur", "secretaire etat environnement"),
        ("vice-eersteminister en minister van Werk", "minister werk"),
    ],
)
def test_normalize_title(printed: str, normalized: str) -> None:
    assert normalize_title(printed) == normalized


def test_reference_data_is_complete_and_consistent(governments: Governments) -> None:
    assert {g.key for g in governments.governments} >= {"leterme-ii", "di-rupo"}
    for government in governments.governments:
        assert government.sources, government.key
        for office in government.offices:
            assert office.titles_nl and office.titles_fr, office.key
            assert office.holders, office.key
            for holding in office.holders:
                assert holding.party, (office.key, holding.person)
    # Offices with one wording per language and one holder at a time.
    for office in governments.offices.values():
        for day in (h.start for h in office.holders):
            assert office.holder_on(day) is not None


def _broken(mutate) -> dict:
    data = read_reference()
    mutate(data)
    return data


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d["government"][0]["office"].append(dict(d["government"][0]["office"][0])), "duplicate office"),
        (lambda d: d["government"][0]["office"][1].update(attached_to="nowhere"), "unknown office"),
        (lambda d: d["government"][0]["office"][0].update(kind="king"), "unknown kind"),
        (lambda d: d["government"][0]["office"][0]["holders"][0].update(end=date(1990, 1, 1)), "bad dates"),
        (lambda d: d["government"][0]["office"][0]["holders"][0].pop("start"), "holder without"),
        (
            lambda d: d["government"][0]["office"][0]["holders"][0].update(end=date(2001, 1, 1)),
            "1995-dehaene-ii.toml: dehaene-ii/prime-minister: Jean-Luc Dehaene held it outside the government's dates",
        ),
        (
            lambda d: d["government"][0]["office"][0]["holders"].append(
                {"person": "Someone Else", "party": "X", "start": date(1999, 1, 1), "end": date(1999, 2, 1)}
            ),
            "Jean-Luc Dehaene and Someone Else overlap",
        ),
        (lambda d: d["government"][0].pop("start"), "government without 'start'"),
    ],
)
def test_broken_reference_data_is_refused(mutate, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_governments(_broken(mutate))


# `Governments.period`: every day of a period resolves every office as its first day does, which
# is what lets the mapping keep addressee lines per period instead of per day.
PERIOD_LINES = (
    [PM],
    [INTERIOR],
    [ENVIRONMENT, STATE_REFORM],
    [STATE_REFORM],
    [FINANCE],
    [Office("Premier ministre", "prime-minister", language="fr")],
    [Office("minister van Justitie", "minister")],
)


def test_every_day_resolves_as_the_first_day_of_its_period() -> None:
    governments = load_governments()
    day, last = date(2007, 1, 1), date(2016, 1, 1)
    while day <= last:
        period = governments.period(day)
        assert period <= day
        for offices in PERIOD_LINES:
            assert governments.resolve(offices, day) == governments.resolve(offices, period), (day, offices)
        day += timedelta(days=1)


def test_periods_start_where_a_government_or_a_holding_changes() -> None:
    governments = load_governments()
    assert governments.period(date(1900, 1, 1)) == date.min
    for government in governments.governments:
        assert governments.period(government.start) == government.start
        for office in government.offices:
            for holding in office.holders:
                assert governments.period(holding.start) == holding.start
                if holding.end is not None:
                    assert governments.period(holding.end + timedelta(days=1)) == holding.end + timedelta(days=1)
