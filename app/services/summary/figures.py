"""The yearly (or five-yearly) summary: the figures the county 残联 asks for and the congress work report
quotes. Every figure is an SQL aggregate over the period, so a county of 100,000 persons sums in well
under a second. The JSON keys are a contract (CLI.md, "The summary's JSON keys").

"On the register" means status 在册 on the last day of the period, read from the status history: the
latest change dated on or before that day. Work recorded by later modules (subsidies, relief, visits,
devices, rehabilitation) is added by a FigureSource in SOURCES; until then its keys stay at zero."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session, aliased

from app.db.models import Household, Person, StatusChange, Village
from app.domain.disability import CATEGORY_NAMES, GRADE_NAMES
from app.domain.money import yuan_plain
from app.domain.words import PersonStatus
from app.errors import InputError
from app.services.actions import long_query
from app.services.devices.history import issued_figures
from app.services.register.status_changes import status_at
from app.services.summary.subsidies_and_relief import overpayments_figures, relief_figures, subsidy_figures
from app.services.visits.history import visit_figures

NO_VILLAGE = "未填村"


@dataclass(frozen=True)
class Period:
    since: int
    year: int
    until: dt.date | None = None  # cut short on this day: a year not over yet, or the same days a year back

    @property
    def start(self) -> dt.date:
        return dt.date(self.since, 1, 1)

    @property
    def end(self) -> dt.date:
        year_end = dt.date(self.year, 12, 31)
        return min(year_end, self.until) if self.until is not None else year_end


FigureSource = Callable[[Session, Period], dict[str, Any]]


def empty_figures(period: Period) -> dict[str, Any]:
    """Every key with nothing in it: a key always appears, with 0 where there is nothing."""
    return {
        "year": period.year,
        "since": period.since,
        "registered": 0,
        "by_category": {name: 0 for name in CATEGORY_NAMES.values()},
        "by_grade": {name: 0 for name in GRADE_NAMES.values()},
        "by_village": {},
        "labor_capable": 0,
        "dibao_persons": 0,
        "medical_insurance_persons": 0,
        "living_subsidy_persons": 0,
        "nursing_subsidy_persons": 0,
        "two_subsidies_persons": 0,
        "two_subsidies_amount": yuan_plain(0),
        "temporary_relief": {"persons": 0, "amount": yuan_plain(0)},
        "medical_aid": {"persons": 0, "amount": yuan_plain(0)},
        "education_subsidy": {"persons": 0, "amount": yuan_plain(0)},
        "medicine_subsidy": {"persons": 0, "amount": yuan_plain(0)},
        "housing_renovation": {"households": 0, "amount": yuan_plain(0)},
        "visits": {"households": 0, "amount": yuan_plain(0)},
        "equipment_issued": {"items": 0, "persons": 0},
        "rehab_training_persons": 0,
        "new_registrations": 0,
        "deaths": 0,
        "moved_out": 0,
        # added after the contract's keys: 两项补贴应追回 (raised, recovered, written off in the period;
        # owed at its end)
        "overpayments": {"persons": 0, "amount": yuan_plain(0), "recovered": yuan_plain(0),
                         "written_off": yuan_plain(0), "outstanding": yuan_plain(0)},
    }


def _how_many(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def register_rows(session: Session, end: dt.date) -> list[Any]:
    """Who is on the register on `end`, counted by village, category and grade, with those able to work, in
    低保 households and insured: one pass over the register, from which both register_figures and the
    yearly summary's category × grade table are summed (each pass is a second at 100,000 persons)."""
    stmt = (
        select(
            Person.village_id,
            Person.category,
            Person.grade,
            func.count(),
            _how_many(Person.labor_ability == "有"),
            _how_many(Household.dibao.is_(True)),
            _how_many(Person.medical_insurance.is_(True)),
        )
        .outerjoin(Household, Household.id == Person.household_id)
        .where(status_at(end) == PersonStatus.ON_REGISTER)
        .group_by(Person.village_id, Person.category, Person.grade)
    )
    return list(session.execute(stmt))


def register_figures(session: Session, period: Period, rows: list[Any] | None = None) -> dict[str, Any]:
    """Who is on the register at the end of the period, by category, grade and village, with those able
    to work, in 低保 households and insured (summed from register_rows, or from `rows` already read)."""
    categories, grades = dict(CATEGORY_NAMES.items()), dict(GRADE_NAMES.items())
    names = dict(session.execute(select(Village.id, Village.name).order_by(Village.sort_order, Village.name)).all())
    out: dict[str, Any] = {
        "registered": 0, "labor_capable": 0, "dibao_persons": 0, "medical_insurance_persons": 0,
        "by_category": {name: 0 for name in categories.values()},
        "by_grade": {name: 0 for name in grades.values()},
        "by_village": {name: 0 for name in names.values()},
    }
    for village_id, category, grade, registered, able, dibao, insured in (
            register_rows(session, period.end) if rows is None else rows):
        out["registered"] += registered
        out["labor_capable"] += able or 0
        out["dibao_persons"] += dibao or 0
        out["medical_insurance_persons"] += insured or 0
        if category in categories:
            out["by_category"][categories[category]] += registered
        if grade in grades:
            out["by_grade"][grades[grade]] += registered
        village = NO_VILLAGE if village_id is None else names.get(village_id, NO_VILLAGE)
        out["by_village"][village] = out["by_village"].get(village, 0) + registered
    return out


def category_by_grade(session: Session, end: dt.date, rows: list[Any] | None = None) -> dict[str, dict[str, int]]:
    """Persons on the register on `end`, by category and grade (every cell present, 0 where none): the
    yearly summary's cross-table, which the JSON does not carry (summed from register_rows, or `rows`)."""
    table = {c: {g: 0 for g in GRADE_NAMES.values()} for c in CATEGORY_NAMES.values()}
    for _village, category, grade, count, *_ in register_rows(session, end) if rows is None else rows:
        table[CATEGORY_NAMES[category]][GRADE_NAMES[grade]] += count
    return table


def movement_figures(session: Session, period: Period) -> dict[str, Any]:
    """New registrations (a person's first 在册 falls in the period), deaths and moves out in the period."""
    # a person's first 在册 is in the period: a 在册 in it and none before it. Not the first 在册 of every
    # person of the register (a GROUP BY over the whole history, half a second at 100,000 persons, seven
    # times in a yearly summary): only the changes of the period are read, each checked by the person's index.
    earlier = aliased(StatusChange)
    before = (select(earlier.id)
              .where(earlier.person_id == StatusChange.person_id, earlier.status == PersonStatus.ON_REGISTER,
                     earlier.date < period.start))
    new = session.scalar(
        select(func.count(func.distinct(StatusChange.person_id)))
        .where(StatusChange.status == PersonStatus.ON_REGISTER, StatusChange.date.between(period.start, period.end),
               ~before.exists())
    ) or 0

    def persons_with(status: str) -> int:
        stmt = select(func.count(func.distinct(StatusChange.person_id))).where(
            StatusChange.status == status, StatusChange.date.between(period.start, period.end)
        )
        return session.scalar(stmt) or 0

    return {"new_registrations": new, "deaths": persons_with(PersonStatus.DEAD),
            "moved_out": persons_with(PersonStatus.MOVED_OUT)}


# Later modules append theirs: subsidies, relief, visits, devices, rehabilitation.
SOURCES: list[FigureSource] = [register_figures, movement_figures]
SOURCES.append(issued_figures)  # equipment_issued: 辅助器具发放
SOURCES.append(visit_figures)  # visits: 节日慰问
SOURCES += [subsidy_figures, relief_figures]  # 两项补贴 and the relief ledger
SOURCES.append(overpayments_figures)  # 两项补贴应追回


def summarise(session: Session, *, year: int, since: int | None = None, until: dt.date | None = None,
              leave_out: Collection[FigureSource] = ()) -> dict[str, Any]:
    """The figures of `year`, or of the years since..year together (a five-year report); with `until`, only
    up to that day (the register as on that day), for a year not over yet and the same days of the year before.
    `leave_out`: sources whose keys the caller counts otherwise (they stay at zero here)."""
    period = Period(since=since if since is not None else year, year=year, until=until)
    if period.since > period.year:
        raise InputError(f"起始年份{period.since}晚于{period.year}：请把较早的年份写在 --since。")
    if period.year > dt.date.today().year:
        raise InputError(f"{period.year}年还没有到，没有统计数字：请写今年或以前的年份。")
    figures = empty_figures(period)
    for source in SOURCES:
        if source not in leave_out:
            figures.update(source(session, period))
    return figures


_LABELS = (
    ("registered", "在册残疾人"), ("labor_capable", "有劳动能力"), ("dibao_persons", "低保户中的残疾人"),
    ("medical_insurance_persons", "参加城乡居民医保"), ("new_registrations", "新登记"), ("deaths", "死亡"),
    ("moved_out", "迁出"), ("living_subsidy_persons", "困难残疾人生活补贴"),
    ("nursing_subsidy_persons", "重度残疾人护理补贴"), ("two_subsidies_persons", "两项补贴合计"),
    ("two_subsidies_amount", "两项补贴金额（元）"), ("temporary_relief", "临时救助"), ("medical_aid", "医疗救助"),
    ("education_subsidy", "教育补助"), ("medicine_subsidy", "精神残疾药物补助"), ("housing_renovation", "危房改造"),
    ("visits", "节日慰问"), ("equipment_issued", "辅助器具发放"), ("rehab_training_persons", "康复训练"),
    ("overpayments", "两项补贴应追回"),
)
_UNITS = {"persons": "人", "households": "户", "items": "件", "amount": "元"}
_OVERPAID = {"recovered": "已追回", "written_off": "核销", "outstanding": "未追回"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _value(key: str, value: Any) -> str:
    if key == "overpayments":  # 应追回2人600.00元，已追回100.00元，核销0.00元，未追回500.00元
        return f"应追回{value['persons']}人{value['amount']}元，" + "，".join(
            f"{label}{value[part]}元" for part, label in _OVERPAID.items())
    if isinstance(value, dict):
        return "，".join(f"{v}{_UNITS[k]}" for k, v in value.items())
    if key.endswith("amount"):
        return str(value)
    return f"{value}人"


def format_table(figures: dict[str, Any]) -> str:
    """The summary as a plain table for the terminal: a title, then one figure a line."""
    year, since = figures["year"], figures["since"]
    title = f"{year}年残疾人工作统计" if since == year else f"{since}—{year}年残疾人工作统计"
    label_width = max(_width(label) for _, label in _LABELS) + 2
    lines = [title, "=" * _width(title)]
    for key, label in _LABELS:
        lines.append(_pad(label, label_width) + _value(key, figures[key]))
    for heading, key in (("按残疾类别", "by_category"), ("按残疾等级", "by_grade"), ("按村", "by_village")):
        lines.append("")
        lines.append(heading)
        for name, count in figures[key].items():
            lines.append("  " + _pad(name, label_width - 2) + f"{count}人")
    return "\n".join(lines)


@long_query
def yearly_summary(session: Session, *, year: int, since: int | None = None) -> dict[str, Any]:
    """`canlian summary`: the figures of summarise as a read of the store (the JSON keys of CLI.md)."""
    return summarise(session, year=year, since=since)
