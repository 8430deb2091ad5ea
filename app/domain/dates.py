"""Days as the clerk reads them: a person's age on a day, and a date written in Chinese on forms."""

from __future__ import annotations

import datetime as dt


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years from `born` to `day` (a birthday counts from its own day)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def chinese_date(day: dt.date) -> str:
    """2026年3月5日: how printed forms date themselves."""
    return f"{day.year}年{day.month}月{day.day}日"


def moment_text(at: dt.datetime, today: dt.date | None = None) -> str:
    """11月30日 10:42 (with the year when it is not this year's): when another clerk did something."""
    today = today or dt.date.today()
    day = f"{at.month}月{at.day}日" if at.year == today.year else chinese_date(at.date())
    return f"{day} {at:%H:%M}"
