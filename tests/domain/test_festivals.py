"""Festival dates: 助残日 and 残疾人日 computed, 春节 and 中秋 from the shipped lunar table."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain import festivals
from app.domain.festivals import FestivalDateError, campaign_name, festival_date, third_sunday_of_may
from app.services.visits.campaigns import lunar_table


@pytest.mark.parametrize(("year", "day"), [(2024, 19), (2025, 18), (2026, 17), (2027, 16), (2021, 16), (2032, 16)])
def test_help_day_is_the_third_sunday_of_may(year: int, day: int) -> None:
    date = third_sunday_of_may(year)
    assert date == dt.date(year, 5, day) and date.weekday() == 6


def test_disability_day_is_the_third_of_december() -> None:
    assert festival_date(festivals.DISABILITY_DAY, 2027, {}) == dt.date(2027, 12, 3)


def test_lunar_festivals_come_from_the_table() -> None:
    table = lunar_table()
    assert festival_date("春节", 2026, table) == dt.date(2026, 2, 17)
    assert festival_date("春节", 2027, table) == dt.date(2027, 2, 6)
    assert festival_date("春节", 2034, table) == dt.date(2034, 2, 19)  # the 2033 leap-month year
    assert festival_date("中秋", 2025, table) == dt.date(2025, 10, 6)
    assert set(table["春节"]) == set(range(2020, 2041)) == set(table["中秋"])
    for year in range(2020, 2041):  # 春节 falls between 21 January and 20 February
        assert dt.date(year, 1, 21) <= table["春节"][year] <= dt.date(year, 2, 20)


def test_a_year_beyond_the_table_says_what_to_do() -> None:
    with pytest.raises(FestivalDateError, match="2041年春节.*其他"):
        festival_date("春节", 2041, lunar_table())
    with pytest.raises(FestivalDateError, match="填写"):
        festival_date("其他", 2027, {})


def test_campaign_names_follow_the_cli_contract() -> None:
    assert campaign_name("春节", 2026) == "2026年春节慰问"


def test_parse_skips_notes() -> None:
    parsed = festivals.parse_lunar_table({"_说明": "x", "春节": {"2030": "2030-02-03"}})
    assert parsed == {"春节": {2030: dt.date(2030, 2, 3)}}
