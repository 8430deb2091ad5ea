"""Days as the clerk reads them: a person's age on a day, and a date written in Chinese on forms."""

from __future__ import annotations

import datetime as dt


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years from `born` to `day` (a birthday counts from its own day)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def chinese_date(day: dt.date) -> str:
    """2026年3月5日: how printed forms date themselves."""
    return f"{day.year}年{day.month}月{day.day}日"
