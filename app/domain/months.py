"""A calendar month as a value (payments, policies and stops are all "from a month"), stored in the
database as the first day of the month."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from app.errors import InputError


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 2999:
            raise InputError(f"月份“{self.year}-{self.month:02d}”不存在：请写成 2026-11 这样的年-月。")

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """2026-11, 2026-1, 2026/11, 2026年11月 or 202611 to a Month; InputError otherwise."""
        cleaned = str(text).strip()
        found = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))", cleaned)
        if not found:
            raise InputError(f"月份“{cleaned}”看不懂：请写成 2026-11 这样的年-月。")
        return cls(int(found.group(1)), int(found.group(2) or found.group(3)))

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    def next(self, months: int = 1) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def previous(self) -> Month:
        return self.next(-1)

    def until(self, last: Month) -> list[Month]:
        """This month through `last`, inclusive (empty when last is earlier)."""
        months, current = [], self
        while current <= last:
            months.append(current)
            current = current.next()
        return months

    @property
    def label(self) -> str:
        """2026年11月, as forms write it."""
        return f"{self.year}年{self.month}月"

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"
