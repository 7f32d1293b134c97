"""`Governments.period`: every day of a period resolves every office as its first day does, which
is what lets the mapping keep addressee lines per period instead of per day."""

from __future__ import annotations

from datetime import date, timedelta

from kg.government import load_governments
from kg.records import Office

PM = Office("eerste minister", "prime-minister")
INTERIOR = Office("minister van Binnenlandse Zaken en Gelijke Kansen", "minister")
ENVIRONMENT = Office("staatssecretaris voor Leefmilieu, Energie en Mobiliteit, toegevoegd aan de minister van "
                     "Binnenlandse Zaken en Gelijke Kansen", "state-secretary",
                     ("Leefmilieu", "Energie", "Mobiliteit"), INTERIOR)
STATE_REFORM = Office("staatssecretaris voor Staatshervorming, toegevoegd aan de eerste minister",
                      "state-secretary", ("Staatshervorming",), PM)
FINANCE = Office("vice-eerste minister en minister van Financiën en Duurzame Ontwikkeling, belast met "
                 "Ambtenarenzaken", "deputy-prime-minister")
LINES = ([PM], [INTERIOR], [ENVIRONMENT, STATE_REFORM], [STATE_REFORM], [FINANCE],
         [Office("Premier ministre", "prime-minister", language="fr")],
         [Office("minister van Justitie", "minister")])


def test_every_day_resolves_as_the_first_day_of_its_period() -> None:
    governments = load_governments()
    day, last = date(2007, 1, 1), date(2016, 1, 1)
    while day <= last:
        period = governments.period(day)
        assert period <= day
        for offices in LINES:
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
