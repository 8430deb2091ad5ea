"""The rows of the yearly summary (年度工作统计) that both its PDF (app.reports.yearly) and its workbook
(app.reports.yearly_book) print: the headers 项目 / 本期 / 上期 / 增减, the summary by section, category ×
grade, by village, year by year, and the notes under them. Plain functions of YearlyFigures."""

from __future__ import annotations

from collections.abc import Iterator

from app.domain.dates import chinese_date
from app.reports.yearly_figures import (
    NOT_COMPARED,
    SECTIONS,
    TREND,
    YearlyFigures,
    change,
    figure_named,
    fmt,
    months_text,
)

NOT_COMPARED_NOTE = "上期无记录的项目不作比较（上期、增减记“—”）。"
UNFINISHED_LINE = "（本年度尚未结束，数字截至打印当日）"


def before_name(figures: YearlyFigures) -> str:
    """上期, or 上年同期 / 上期同期 when the period is not over and is compared with the same days before it."""
    return ("上期同期" if figures.five_year else "上年同期") if figures.unfinished else "上期"


def headers(figures: YearlyFigures, sep: str = "") -> list[str]:
    r"""项目 / 本期 / 上期 / 增减; a period not over compares with the same days before it (上年同期).
    With sep "\n" (a narrow PDF column) the period goes under the name, a long one over two lines."""
    before = before_name(figures)

    def head(name: str, period: str) -> str:
        if not sep:
            return f"{name}（{period}）"
        return f"{name}{sep}{period.replace('—', '—' + sep) if len(period) > 16 else period}"

    return ["项目", head("本期", figures.period_text()), head(before, figures.period_text(figures.previous)), "增减"]


def summary_rows(figures: YearlyFigures) -> Iterator[tuple[str, list[str]]]:
    """(section, [项目, 本期, 上期, 增减]) for every figure, in work-report order; "—" in 上期 and 增减 where
    the earlier period has no records of the figure's kind."""
    for section, items in SECTIONS:
        for figure in items:
            now, before = figure.read(figures.current), figure.read(figures.previous)
            label = f"{figure.label}（{figure.unit}）"
            if figures.compared(figure):
                yield section, [label, fmt(now, figure.money), fmt(before, figure.money),
                                change(now, before, figure.money)]
            else:
                yield section, [label, fmt(now, figure.money), NOT_COMPARED, NOT_COMPARED]


def trend_rows(figures: YearlyFigures) -> list[list[str]]:
    """The key figures year by year: 项目, then one column per year."""
    rows = []
    for label in TREND:
        figure = figure_named(label)
        rows.append([f"{label}（{figure.unit}）", *(fmt(figure.read(y), figure.money) for y in figures.years)])
    return rows


def cross_rows(figures: YearlyFigures) -> list[list[str]]:
    """Category × grade with row and column totals."""
    grades = list(next(iter(figures.cross.values())))
    rows = []
    for category, by_grade in figures.cross.items():
        rows.append([category, *(str(by_grade[g]) for g in grades), str(sum(by_grade.values()))])
    totals = [sum(figures.cross[c][g] for c in figures.cross) for g in grades]
    rows.append(["合计", *(str(t) for t in totals), str(sum(totals))])
    return rows


def village_rows(figures: YearlyFigures) -> list[list[str]]:
    now, before = figures.current["by_village"], figures.previous["by_village"]
    total_now, total_before = sum(now.values()), sum(before.values())
    if not figures.compared(figure_named("注册登记残疾人")):  # nobody on the register yet back then
        return [[v, str(n), NOT_COMPARED, NOT_COMPARED] for v, n in now.items()] + [
            ["合计", str(total_now), NOT_COMPARED, NOT_COMPARED]]
    rows = [[v, str(n), str(before.get(v, 0)), change(n, before.get(v, 0), False)] for v, n in now.items()]
    rows.append(["合计", str(total_now), str(total_before), change(total_now, total_before, False)])
    return rows


def trend_headers(figures: YearlyFigures, sep: str = "") -> list[str]:
    return ["项目", *(figures.year_label(y, sep) for y in figures.years)]


def notes(figures: YearlyFigures) -> list[str]:
    """The notes under the tables: how persons and amounts are counted, what "—" means, and for a period
    not over yet, what it is compared with."""
    out = ["本期、上期的人数为期末在册或期内享受过的人数（同一人只计一次）；金额为期内发放合计。"]
    if figures.until is not None:
        out.append(f"本年度尚未结束：本期数字截至{chinese_date(figures.until)}，与上期同一时段"
                   f"（{figures.period_text(figures.previous)}）比较，未满一年的数字不与全年比较。")
    out.append(months_note(figures))
    if any_not_compared(figures):
        out.append(NOT_COMPARED_NOTE)
    return out


def months_note(figures: YearlyFigures) -> str:
    """Which months the two subsidies cover in each column: a month counts once confirmed (确认发放), and
    the earlier period is read for the same months, so the change is like for like."""
    if not figures.paid_months:
        return "两项补贴：本期尚无确认发放的月份，不作比较。"
    text = f"两项补贴按确认发放的月份统计：本期{months_text(figures.paid_months)}"
    if figures.unpaid_months:
        text += f"（{months_text(figures.unpaid_months)}尚未确认发放）"
    before, unpaid = before_name(figures), figures.previous_unpaid_months
    if not unpaid:
        return text + f"，{before}为同样的月份{months_text(figures.previous_paid_months)}。"
    if len(unpaid) < len(figures.previous_paid_months):
        return text + f"；{before}{months_text(unpaid)}没有发放记录，不作比较。"
    return text + "。"  # the earlier period has no payments at all: NOT_COMPARED_NOTE says so


def any_not_compared(figures: YearlyFigures, section: str | None = None) -> bool:
    return any(row[2] == NOT_COMPARED for s, row in summary_rows(figures) if section in (None, s))
