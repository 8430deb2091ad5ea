"""The figures behind the yearly (or five-yearly) summary: the period's summary, the period before it, each
year on its own, the register by category × grade, and the two subsidies' amounts per programme.

Every figure comes from app.services.summary.summarise (the JSON contract), so the PDF, the workbook and
`canlian summary --json` cannot disagree; only the cross-table and the per-programme amounts, which the
JSON does not carry, are counted here. The rows are in the order a work report uses them, so the PDF,
the workbook and the sentences walk the same list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import ON_REGISTER, Person
from app.db.support_models import LIVING, NURSING, SubsidyPayment
from app.domain.disability import CATEGORY_NAMES, GRADE_NAMES
from app.services.settings import unit_info
from app.services.summary import status_at, summarise

Number = int | Decimal
TREND_YEARS = 5  # a one-year summary still shows the last five years side by side


@dataclass(frozen=True)
class Figure:
    """One line of the summary: its label, how to read it from the summary, and its unit."""

    label: str
    read: Callable[[dict[str, Any]], Number]
    unit: str  # 人, 户, 件, 元

    @property
    def money(self) -> bool:
        return self.unit == "元"


def _count(key: str, part: str | None = None) -> Callable[[dict[str, Any]], Number]:
    if part is None:
        return lambda f: int(f[key])
    return lambda f: int(f[key][part])


def _amount(key: str, part: str | None = None) -> Callable[[dict[str, Any]], Number]:
    if part is None:
        return lambda f: Decimal(f[key])
    return lambda f: Decimal(f[key][part])


def _programme(programme: str) -> Callable[[dict[str, Any]], Number]:
    return lambda f: Decimal(f["programme_amounts"][programme])


# (section, figures) in the order of a work report: register, 低保 and insurance, the two subsidies,
# relief and aid, rehabilitation, visits, aids.
SECTIONS: tuple[tuple[str, tuple[Figure, ...]], ...] = (
    ("登记在册", (
        Figure("注册登记残疾人", _count("registered"), "人"),
        Figure("其中有劳动能力", _count("labor_capable"), "人"),
        Figure("新登记", _count("new_registrations"), "人"),
        Figure("死亡", _count("deaths"), "人"),
        Figure("迁出", _count("moved_out"), "人"),
    )),
    ("低保和医保", (
        Figure("纳入最低生活保障", _count("dibao_persons"), "人"),
        Figure("参加城乡居民医保", _count("medical_insurance_persons"), "人"),
    )),
    ("两项补贴", (
        Figure("困难残疾人生活补贴人数", _count("living_subsidy_persons"), "人"),
        Figure("困难残疾人生活补贴金额", _programme(LIVING), "元"),
        Figure("重度残疾人护理补贴人数", _count("nursing_subsidy_persons"), "人"),
        Figure("重度残疾人护理补贴金额", _programme(NURSING), "元"),
        Figure("两项补贴合计人数", _count("two_subsidies_persons"), "人"),
        Figure("两项补贴合计金额", _amount("two_subsidies_amount"), "元"),
    )),
    ("救助与补助", (
        Figure("临时救助人数", _count("temporary_relief", "persons"), "人"),
        Figure("临时救助金额", _amount("temporary_relief", "amount"), "元"),
        Figure("医疗救助人数", _count("medical_aid", "persons"), "人"),
        Figure("医疗救助金额", _amount("medical_aid", "amount"), "元"),
        Figure("教育补助人数", _count("education_subsidy", "persons"), "人"),
        Figure("教育补助金额", _amount("education_subsidy", "amount"), "元"),
        Figure("精神残疾药物补助人数", _count("medicine_subsidy", "persons"), "人"),
        Figure("精神残疾药物补助金额", _amount("medicine_subsidy", "amount"), "元"),
        Figure("危房改造户数", _count("housing_renovation", "households"), "户"),
        Figure("危房改造金额", _amount("housing_renovation", "amount"), "元"),
    )),
    ("康复、慰问和辅助器具", (
        Figure("康复训练", _count("rehab_training_persons"), "人"),
        Figure("节日慰问户数", _count("visits", "households"), "户"),
        Figure("节日慰问金额", _amount("visits", "amount"), "元"),
        Figure("辅助器具发放件数", _count("equipment_issued", "items"), "件"),
        Figure("辅助器具领取人数", _count("equipment_issued", "persons"), "人"),
    )),
)
# The figures a per-year table and the charts show.
TREND: tuple[str, ...] = (
    "注册登记残疾人", "其中有劳动能力", "纳入最低生活保障", "参加城乡居民医保", "两项补贴合计人数", "两项补贴合计金额",
    "临时救助人数", "临时救助金额", "医疗救助人数", "教育补助人数", "精神残疾药物补助人数", "危房改造户数",
    "危房改造金额", "康复训练", "节日慰问户数", "辅助器具发放件数",
)


def all_figures() -> list[Figure]:
    return [figure for _, figures in SECTIONS for figure in figures]


def figure_named(label: str) -> Figure:
    return next(f for f in all_figures() if f.label == label)


@dataclass
class YearlyFigures:
    town: str
    unit: str
    since: int
    year: int
    current: dict[str, Any]
    previous: dict[str, Any]
    years: list[dict[str, Any]]  # one summary per year, oldest first, for the trend table and charts
    cross: dict[str, dict[str, int]] = field(default_factory=dict)  # category -> grade -> persons

    @property
    def five_year(self) -> bool:
        return self.since != self.year

    def period_text(self, figures: dict[str, Any] | None = None) -> str:
        f = figures or self.current
        return f"{f['year']}年" if f["since"] == f["year"] else f"{f['since']}—{f['year']}年"

    @property
    def title(self) -> str:
        return f"{self.town}残疾人工作统计（{self.period_text()}）"


def category_by_grade(session: Session, end: dt.date) -> dict[str, dict[str, int]]:
    """Persons on the register on `end`, by category and grade (every cell present, 0 where none)."""
    stmt = (
        select(Person.category, Person.grade, func.count())
        .where(status_at(end) == ON_REGISTER)
        .group_by(Person.category, Person.grade)
    )
    table = {c: {g: 0 for g in GRADE_NAMES.values()} for c in CATEGORY_NAMES.values()}
    for category, grade, count in session.execute(stmt):
        table[CATEGORY_NAMES[category]][GRADE_NAMES[grade]] += count
    return table


def programme_amounts(session: Session, since: int, year: int) -> dict[str, str]:
    """Yuan paid under each of the two subsidies in the years since..year, from the monthly payments."""
    stmt = (
        select(SubsidyPayment.programme, func.coalesce(func.sum(SubsidyPayment.amount_fen), 0))
        .where(SubsidyPayment.month.between(dt.date(since, 1, 1), dt.date(year, 12, 31)))
        .group_by(SubsidyPayment.programme)
    )
    paid = {LIVING: 0, NURSING: 0}
    for programme, fen in session.execute(stmt):
        if programme in paid:
            paid[programme] += int(fen)
    return {k: f"{Decimal(v) / 100:.2f}" for k, v in paid.items()}


def _with_amounts(session: Session, figures: dict[str, Any]) -> dict[str, Any]:
    figures["programme_amounts"] = programme_amounts(session, figures["since"], figures["year"])
    return figures


def gather(session: Session, *, year: int, since: int | None = None) -> YearlyFigures:
    """Everything the yearly summary prints, for `year` or the years since..year."""
    since = year if since is None else since
    current = _with_amounts(session, summarise(session, year=year, since=since))
    length = year - since + 1
    previous = _with_amounts(session, summarise(session, year=since - 1, since=since - length))
    first = since if length > 1 else year - TREND_YEARS + 1
    years = [_with_amounts(session, summarise(session, year=y)) for y in range(first, year + 1)]
    unit = unit_info(session)
    return YearlyFigures(town=unit.town or "全镇", unit=unit.unit_name, since=since, year=year, current=current,
                         previous=previous, years=years, cross=category_by_grade(session, dt.date(year, 12, 31)))


def fmt(value: Number, money: bool) -> str:
    """How a figure is printed: persons as 12, yuan as 1,234.00."""
    return f"{value:,.2f}" if money else f"{value}"


def change(current: Number, previous: Number, money: bool) -> str:
    """增减: +3, -2, 0 (and +1,234.00 for yuan)."""
    diff = current - previous
    if not diff:
        return "0"
    return ("+" if diff > 0 else "-") + fmt(abs(diff), money)
