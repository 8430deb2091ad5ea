"""The festivals the office visits at (节日慰问) and their dates.

全国助残日 (the third Sunday of May) and 国际残疾人日 (3 December) are computed. 春节 and 中秋 follow the
lunar calendar, which has no short closed formula: their dates come from a table (resources/
festival_dates.json, 2020-2040, each 春节 checked to fall on a new moon in Beijing time and each 中秋
fourteen days after one), passed in here so this module stays free of files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

SPRING_FESTIVAL = "春节"
HELP_DAY = "全国助残日"  # third Sunday of May
MID_AUTUMN = "中秋"
DISABILITY_DAY = "国际残疾人日"  # 3 December
OTHER = "其他"
FESTIVALS = (SPRING_FESTIVAL, HELP_DAY, MID_AUTUMN, DISABILITY_DAY, OTHER)
LUNAR_FESTIVALS = (SPRING_FESTIVAL, MID_AUTUMN)

LunarTable = Mapping[str, Mapping[int, dt.date]]


class FestivalDateError(ValueError):
    """The date of a festival cannot be known; the text tells the clerk what to do."""


def third_sunday_of_may(year: int) -> dt.date:
    first = dt.date(year, 5, 1)
    first_sunday = first + dt.timedelta(days=(6 - first.weekday()) % 7)
    return first_sunday + dt.timedelta(days=14)


def festival_date(festival: str, year: int, lunar: LunarTable) -> dt.date:
    """The day of `festival` in `year`. 其他 has no date of its own: the clerk types it."""
    if festival == HELP_DAY:
        return third_sunday_of_may(year)
    if festival == DISABILITY_DAY:
        return dt.date(year, 12, 3)
    if festival in LUNAR_FESTIVALS:
        day = lunar.get(festival, {}).get(year)
        if day is None:
            raise FestivalDateError(f"程序中没有{year}年{festival}的日期：请选“其他”，自己填写慰问日期。")
        return day
    if festival == OTHER:
        raise FestivalDateError("“其他”节日没有固定日期：请填写慰问日期。")
    raise FestivalDateError(f"节日“{festival}”不在{'、'.join(FESTIVALS)}之中：请重新选择。")


def campaign_name(festival: str, year: int) -> str:
    """The name a visit round is known by: 2027年春节慰问 (CLI.md)."""
    return f"{year}年{festival}慰问"


def parse_lunar_table(raw: Mapping[str, object]) -> dict[str, dict[int, dt.date]]:
    """The table as stored ({"春节": {"2027": "2027-02-06"}}) to dates by year; keys starting "_" are notes."""
    table: dict[str, dict[int, dt.date]] = {}
    for festival, days in raw.items():
        if festival.startswith("_") or not isinstance(days, Mapping):
            continue
        table[festival] = {int(year): dt.date.fromisoformat(str(day)) for year, day in days.items()}
    return table
