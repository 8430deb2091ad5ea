"""Whether a device (辅助器具) suits a person, and when a replacement may be issued. Pure: no database.

The catalogue keeps, per device type, the disability categories and grades it is meant for, the use period
after which a replacement may be issued and whether an assessment (评估/验配) comes first. These rules say
what the clerk is warned about before issuing; which warnings may be overridden (with a recorded reason)
is decided here too, so the window and the service agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from app.domain.disability import (
    Category,
    category_label,
    category_with_components,
    grade_label,
    parse_category,
    parse_grade,
)

CONDITIONS = ("完好", "需维修", "报废")  # of an item coming back; 报废 goes straight to a write-off
SCRAPPED = "报废"


class Level(Enum):
    REMINDER = "提醒"  # shown, nothing more needed (an assessment should come first)
    WARNING = "警告"  # the clerk may go on, giving a reason that is recorded with the issue


@dataclass(frozen=True)
class DeviceRule:
    """The catalogue's rules for one device type."""

    name: str
    suits_categories: tuple[int, ...] = ()  # empty: any category
    suits_grades: tuple[int, ...] = ()  # empty: any grade
    use_period_months: int = 0  # 0: no replacement period
    needs_assessment: bool = False


@dataclass(frozen=True)
class Disability:
    """What the register says of the person: category, the components of a 多重, grade."""

    category: int
    grade: int
    components: tuple[int, ...] = ()

    def categories(self) -> set[int]:
        """The categories the person has: a 多重 counts as each of its components too."""
        return {self.category, *self.components}


@dataclass(frozen=True)
class IssueWarning:
    level: Level
    text: str

    @property
    def needs_reason(self) -> bool:
        return self.level is Level.WARNING


def codes(text: str) -> tuple[int, ...]:
    """"1,2" (as stored) to (1, 2); empty text is no restriction."""
    return tuple(sorted({int(part) for part in text.replace("，", ",").split(",") if part.strip()}))


def codes_text(values: Iterable[int]) -> str:
    return ",".join(str(v) for v in sorted(set(values)))


def parse_categories(names: Iterable[object]) -> tuple[int, ...]:
    """Names or digits (肢体, 4) from the catalogue file or the form, to category codes."""
    return tuple(sorted({int(parse_category(n)) for n in names}))


def parse_grades(names: Iterable[object]) -> tuple[int, ...]:
    return tuple(sorted({int(parse_grade(n)) for n in names}))


def suits_text(categories: Sequence[int], grades: Sequence[int]) -> str:
    """How the catalogue shows whom a type is for: "肢体 一级、二级", "听力", "不限"."""
    cats = "、".join(category_label(c) for c in categories) if categories else "各类别"
    if not grades:
        return cats if categories else "不限"
    return f"{cats} " + "、".join(grade_label(g) for g in grades)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the last day of a shorter month when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def replacement_from(last_issued: dt.date, use_period_months: int) -> dt.date | None:
    """The first day a replacement may be issued; None when the type has no use period."""
    if use_period_months <= 0:
        return None
    return add_months(last_issued, use_period_months)


def suitability(rule: DeviceRule, person: Disability) -> IssueWarning | None:
    """A warning when the type is not meant for the person's category or grade."""
    if rule.suits_categories and not person.categories() & set(rule.suits_categories):
        wanted = "、".join(category_label(c) for c in rule.suits_categories)
        held = category_with_components(person.category, person.components)
        return IssueWarning(Level.WARNING, f"{rule.name}适用于{wanted}残疾人，此人为{held}残疾。")
    if rule.suits_grades and person.grade not in rule.suits_grades:
        wanted = "、".join(grade_label(g) for g in rule.suits_grades)
        return IssueWarning(Level.WARNING, f"{rule.name}一般发给{wanted}残疾人，此人为{grade_label(person.grade)}。")
    return None


def period_warning(rule: DeviceRule, last_issued: dt.date | None, day: dt.date) -> IssueWarning | None:
    """A warning when the person had this type within its use period."""
    if last_issued is None:
        return None
    due = replacement_from(last_issued, rule.use_period_months)
    if due is None or day >= due:
        return None
    return IssueWarning(
        Level.WARNING,
        f"此人已于{last_issued:%Y年%m月%d日}领过{rule.name}，使用期{_period(rule.use_period_months)}，"
        f"{due:%Y年%m月%d日}起才可更换。",
    )


def _period(months: int) -> str:
    return f"{months // 12}年" if months % 12 == 0 else f"{months}个月"


def issue_warnings(rule: DeviceRule, person: Disability, last_issued: dt.date | None,
                   day: dt.date) -> list[IssueWarning]:
    """Everything the clerk should see before issuing this type to this person on `day`
    (stock is the service's check: being out of stock is a refusal, never a warning)."""
    found = [w for w in (suitability(rule, person), period_warning(rule, last_issued, day)) if w is not None]
    if rule.needs_assessment:
        found.append(IssueWarning(Level.REMINDER, f"{rule.name}需先经评估（验配），请确认已评估。"))
    return found


def person_disability(category: int, grade: int, components: str) -> Disability:
    """The register's columns as a Disability (components stored as "4,5")."""
    parts = codes(components) if category == Category.MULTIPLE else ()
    return Disability(category=category, grade=grade, components=parts)
