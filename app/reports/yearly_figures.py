"""The figures behind the yearly (or five-yearly) summary: the period's summary, the period before it, each
year on its own, the register by category × grade, and the two subsidies' amounts per programme.

Every figure comes from app.services.summary.figures.summarise (the JSON contract), so the PDF, the workbook and
`canlian summary --json` cannot disagree; only the cross-table and the per-programme amounts, which the
JSON does not carry, are counted here. The rows are in the order a work report uses them, so the PDF,
the workbook and the sentences walk the same list."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.domain.dates import chinese_date
from app.domain.words import Programme
from app.reports.mapped import mapped_reads
from app.services.settings import unit_info
from app.services.summary.figures import Period, category_by_grade, register_figures, register_rows, summarise
from app.services.summary.records import (
    CAMPAIGNS,
    DEPARTURES,
    LEDGER,
    OVERPAYMENTS,
    PAYMENTS,
    REGISTER,
    REGISTRATIONS,
    STOCK,
    recorded_sources,
)
from app.services.summary.subsidies_and_relief import paid_months, subsidies_with_amounts, subsidy_figures
from app.services.summary.work_report import Records, gather_records

Number = int | Decimal
TREND_YEARS = 5  # a one-year summary still shows the last five years side by side


@dataclass(frozen=True)
class Figure:
    """One line of the summary: its label, how to read it from the summary, and its unit."""

    label: str
    read: Callable[[dict[str, Any]], Number]
    unit: str  # 人, 户, 件, 元
    source: str  # the kind of record it is counted from (app.services.summary.records)

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
# relief, rehabilitation, visits, devices.
SECTIONS: tuple[tuple[str, tuple[Figure, ...]], ...] = (
    ("登记在册", (
        Figure("注册登记残疾人", _count("registered"), "人", REGISTER),
        Figure("其中有劳动能力", _count("labor_capable"), "人", REGISTER),
        Figure("新登记", _count("new_registrations"), "人", REGISTRATIONS),
        Figure("死亡", _count("deaths"), "人", DEPARTURES),
        Figure("迁出", _count("moved_out"), "人", DEPARTURES),
    )),
    ("低保和医保", (
        Figure("纳入最低生活保障", _count("dibao_persons"), "人", REGISTER),
        Figure("参加城乡居民医保", _count("medical_insurance_persons"), "人", REGISTER),
    )),
    ("两项补贴", (
        Figure("困难残疾人生活补贴人数", _count("living_subsidy_persons"), "人", PAYMENTS),
        Figure("困难残疾人生活补贴金额", _programme(Programme.LIVING), "元", PAYMENTS),
        Figure("重度残疾人护理补贴人数", _count("nursing_subsidy_persons"), "人", PAYMENTS),
        Figure("重度残疾人护理补贴金额", _programme(Programme.NURSING), "元", PAYMENTS),
        Figure("两项补贴合计人数", _count("two_subsidies_persons"), "人", PAYMENTS),
        Figure("两项补贴合计金额", _amount("two_subsidies_amount"), "元", PAYMENTS),
        # 应追回: paid for months after a late-reported death, move or lost 低保; what came back, what was
        # written off, and what is still owed at the end of the period
        Figure("两项补贴应追回人数", _count("overpayments", "persons"), "人", OVERPAYMENTS),
        Figure("两项补贴应追回金额", _amount("overpayments", "amount"), "元", OVERPAYMENTS),
        Figure("两项补贴已追回金额", _amount("overpayments", "recovered"), "元", OVERPAYMENTS),
        Figure("两项补贴核销金额", _amount("overpayments", "written_off"), "元", OVERPAYMENTS),
        Figure("两项补贴未追回金额", _amount("overpayments", "outstanding"), "元", OVERPAYMENTS),
    )),
    ("救助与补助", (
        Figure("临时救助人数", _count("temporary_relief", "persons"), "人", LEDGER),
        Figure("临时救助金额", _amount("temporary_relief", "amount"), "元", LEDGER),
        Figure("医疗救助人数", _count("medical_aid", "persons"), "人", LEDGER),
        Figure("医疗救助金额", _amount("medical_aid", "amount"), "元", LEDGER),
        Figure("教育补助人数", _count("education_subsidy", "persons"), "人", LEDGER),
        Figure("教育补助金额", _amount("education_subsidy", "amount"), "元", LEDGER),
        Figure("精神残疾药物补助人数", _count("medicine_subsidy", "persons"), "人", LEDGER),
        Figure("精神残疾药物补助金额", _amount("medicine_subsidy", "amount"), "元", LEDGER),
        Figure("危房改造户数", _count("housing_renovation", "households"), "户", LEDGER),
        Figure("危房改造金额", _amount("housing_renovation", "amount"), "元", LEDGER),
    )),
    ("康复、慰问和辅助器具", (
        Figure("康复训练", _count("rehab_training_persons"), "人", LEDGER),
        Figure("节日慰问户数", _count("visits", "households"), "户", CAMPAIGNS),
        Figure("节日慰问金额", _amount("visits", "amount"), "元", CAMPAIGNS),
        Figure("辅助器具发放件数", _count("equipment_issued", "items"), "件", STOCK),
        Figure("辅助器具领取人数", _count("equipment_issued", "persons"), "人", STOCK),
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
    until: dt.date | None = None  # the day an unfinished period is counted to (the day it is printed)
    previous_recorded: frozenset[str] = frozenset()  # the kinds of record the earlier period has
    # The two subsidies are compared like for like: the months confirmed in this period against the same
    # months of the earlier one (ten confirmed months against eleven would read as a fall).
    paid_months: tuple[dt.date, ...] = ()  # confirmed in this period (first days)
    previous_paid_months: tuple[dt.date, ...] = ()  # the same months of the earlier period
    previous_unpaid_months: tuple[dt.date, ...] = ()  # of those, the months the earlier period has no payments in
    records: Records = field(default_factory=Records)  # what the sentences may say beyond the counts

    @property
    def five_year(self) -> bool:
        return self.since != self.year

    @property
    def unfinished(self) -> bool:
        return self.until is not None

    def period_text(self, figures: dict[str, Any] | None = None) -> str:
        """2025年, 2021—2025年; cut short: 2026年1月1日—11月29日, 2022年1月1日—2026年11月29日."""
        f = figures or self.current
        until: dt.date | None = f.get("until")
        if until is None:
            return f"{f['year']}年" if f["since"] == f["year"] else f"{f['since']}—{f['year']}年"
        end = f"{until.month}月{until.day}日" if f["since"] == f["year"] else chinese_date(until)
        return f"{f['since']}年1月1日—{end}"

    @property
    def end_text(self) -> str:
        """The day the register is counted on: "2025年末", or "截至2026年11月29日" in a year not over yet."""
        return f"截至{chinese_date(self.until)}" if self.until is not None else f"{self.year}年末"

    def year_label(self, figures: dict[str, Any], sep: str = "") -> str:
        """A column of the per-year table: "2025年"; for the year not over "2026年（截至11月29日）", or with
        sep "2026年" sep "截至11月29日"."""
        until: dt.date | None = figures.get("until")
        if until is None:
            return f"{figures['year']}年"
        return f"{figures['year']}年{sep}截至{until.month}月{until.day}日" if sep else \
            f"{figures['year']}年（截至{until.month}月{until.day}日）"

    def compared(self, figure: Figure) -> bool:
        """Whether the earlier period has records of the kind the figure is counted from."""
        return figure.source in self.previous_recorded

    @property
    def unpaid_months(self) -> list[dt.date]:
        """The months of this period (up to its last day) not confirmed yet: the subsidy figures leave them out."""
        end = self.until or dt.date(self.year, 12, 31)
        months = [dt.date(y, m, 1) for y in range(self.since, end.year + 1) for m in range(1, 13)
                  if dt.date(y, m, 1) <= end]
        return sorted(set(months) - set(self.paid_months))

    @property
    def title(self) -> str:
        return f"{self.town}残疾人工作统计（{self.period_text(self.current | {'until': None})}）"


def months_text(months: Sequence[dt.date]) -> str:
    """Months as a form writes them: 2026年1—10月, 2022年1月—2026年10月, 2026年1—3月、5—10月, 2026年3月."""
    runs: list[list[dt.date]] = []
    for month in sorted(months):
        if runs and _month_index(month) == _month_index(runs[-1][-1]) + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    parts, year = [], None
    for run in runs:
        first, last = run[0], run[-1]
        prefix = "" if first.year == year else f"{first.year}年"
        if first == last:
            parts.append(f"{prefix}{first.month}月")
        elif first.year == last.year:
            parts.append(f"{prefix}{first.month}—{last.month}月")
        else:
            parts.append(f"{prefix}{first.month}月—{last.year}年{last.month}月")
        year = last.year
    return "、".join(parts)


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month


def years_back(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 February for a 29th that year has not)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _figures(session: Session, since: int, year: int, until: dt.date | None,
             months: Sequence[dt.date] | None = None,
             registers: dict[dt.date, list[Any]] | None = None) -> dict[str, Any]:
    """The summary (the JSON contract) with what only the report needs: the per-programme amounts and the
    day the period is cut short on (None for whole years). With `months`, the two subsidies are counted
    over those months only (the period before, like for like). The subsidies and their per-programme amounts
    are counted in one pass; `registers` holds the register of each day already read (five years and their
    last year end on the same day)."""
    period = Period(since=since, year=year, until=until)
    registers = {} if registers is None else registers
    figures = summarise(session, year=year, since=since, until=until,
                        leave_out=[subsidy_figures, register_figures])
    if period.end not in registers:
        registers[period.end] = register_rows(session, period.end)
    figures.update(register_figures(session, period, registers[period.end]))
    paid, figures["programme_amounts"] = subsidies_with_amounts(session, period, months)
    figures.update(paid)
    figures["until"] = until if until is not None and until < dt.date(year, 12, 31) else None
    return figures


def gather(session: Session, *, year: int, since: int | None = None, today: dt.date | None = None) -> YearlyFigures:
    """Everything the yearly summary prints, for `year` or the years since..year (read through mapped pages
    on SQLite: app.reports.mapped)."""
    with mapped_reads(session):
        return _gather(session, year=year, since=since, today=today)


def _gather(session: Session, *, year: int, since: int | None, today: dt.date | None) -> YearlyFigures:
    """Everything the yearly summary prints, for `year` or the years since..year.

    A period not over on `today` is counted up to today, and compared with the same days of the period
    before it (1 January to the same month and day): eleven months against a whole year would read as a
    fall in every payment. With no records of a kind in the period before, that kind is not compared."""
    since = year if since is None else since
    until = today if today is not None and today < dt.date(year, 12, 31) else None
    length = year - since + 1
    earlier = years_back(until, length) if until is not None else None
    now = Period(since=since, year=year, until=until)
    before = Period(since=since - length, year=since - 1, until=earlier)
    # the two subsidies: this period's confirmed months against the same months of the period before
    paid = paid_months(session, now.start, now.end)
    same = [years_back(month, length) for month in paid]
    unpaid = sorted(set(same) - set(paid_months(session, before.start, before.end)))
    registers: dict[dt.date, list[Any]] = {}  # the register of each day read, by village, category and grade
    current = _figures(session, since, year, until, registers=registers)
    previous = _figures(session, before.since, before.year, earlier, months=same, registers=registers)
    first = since if length > 1 else year - TREND_YEARS + 1
    # a one-year summary's own year is the trend's last: counted once (a county's takes seconds)
    years = [copy.deepcopy(current) if (y, y, until if y == year else None) == (since, year, until)
             else _figures(session, y, y, until if y == year else None, registers=registers)
             for y in range(first, year + 1)]
    unit = unit_info(session)
    recorded = recorded_sources(session, before)
    if not paid or unpaid:
        recorded -= {PAYMENTS}
    return YearlyFigures(town=unit.town or "全镇", unit=unit.unit_name, since=since, year=year, current=current,
                         previous=previous, years=years,
                         cross=category_by_grade(session, now.end, registers.get(now.end)),
                         until=current["until"], previous_recorded=recorded, paid_months=tuple(paid),
                         previous_paid_months=tuple(same), previous_unpaid_months=tuple(unpaid),
                         records=gather_records(session, now))


def fmt(value: Number, money: bool) -> str:
    """How a figure is printed: persons as 12, yuan as 1,234.00."""
    return f"{value:,.2f}" if money else f"{value}"


NOT_COMPARED = "—"  # 无记录: the earlier period has no records of the kind


def change(current: Number, previous: Number, money: bool) -> str:
    """增减: +3, -2, 0 (and +1,234.00 for yuan)."""
    diff = current - previous
    if not diff:
        return "0"
    # -diff, not abs(diff): abs of an int-or-Decimal has no type the checker knows
    return ("+" if diff > 0 else "-") + fmt(diff if diff > 0 else -diff, money)
