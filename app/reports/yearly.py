"""年度工作统计: the town's figures for a year (or five years, for the congress work report) as a printable
A4 PDF: small tables of 项目 / 本期 / 上期 / 增减 in the order a work report uses them, the register by
category × grade and by village, a per-year table, two charts, and a last page of the figures as
sentences (工作报告参考文字). `.xlsx` writes the same figures as a workbook (app.reports.yearly_book).

It is more than one table, so this module writes the file itself (write_report) with platypus, in the
engine's embedded font and with its "第 N 页 共 M 页"; build_report gives the main table as a
TableReport for anything that wants the plain table."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable
from sqlalchemy.orm import Session

from app.reports import ReportRequest
from app.reports.charts import bar_chart
from app.reports.fonts import break_lines, register_font
from app.reports.page import SignersBlock
from app.reports.table import Column, Section, TableReport
from app.reports.yearly_figures import (
    NOT_COMPARED, SECTIONS, TREND, YearlyFigures, change, chinese_date, figure_named, fmt, gather, months_text,
)
from app.reports.yearly_text import sentences
from app.services.settings import unit_info

MARGIN = 18 * mm
_CHINESE_NUMBERS = "一二三四五六七八九十"
_GREY = colors.Color(0.9, 0.9, 0.9)


def _period(request: ReportRequest) -> tuple[int, int | None]:
    year = request.year or (request.today or dt.date.today()).year
    return year, request.since


NOT_COMPARED_NOTE = "上期无记录的项目不作比较（上期、增减记“—”）。"
UNFINISHED_LINE = "（本年度尚未结束，数字截至打印当日）"


def before_name(figures: YearlyFigures) -> str:
    """上期, or 上年同期 / 上期同期 when the period is not over and is compared with the same days before it."""
    return ("上期同期" if figures.five_year else "上年同期") if figures.unfinished else "上期"


def _headers(figures: YearlyFigures, sep: str = "") -> list[str]:
    """项目 / 本期 / 上期 / 增减; a period not over compares with the same days before it (上年同期).
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
    if _any_not_compared(figures):
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


def _any_not_compared(figures: YearlyFigures, section: str | None = None) -> bool:
    return any(row[2] == NOT_COMPARED for s, row in summary_rows(figures) if section in (None, s))


# --- the PDF ---------------------------------------------------------------------------------------
class _NumberedCanvas(Canvas):
    """Holds each page until the end so that every page can say "第 N 页 共 M 页"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(register_font(), 9)
            self.drawCentredString(A4[0] / 2, MARGIN / 2, f"第 {number} 页 共 {total} 页")
            super().showPage()
        super().save()


def _styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1, spaceAfter=4),
        "sub": ParagraphStyle("sub", fontName=font, fontSize=10.5, leading=14, alignment=1, spaceAfter=8),
        "h": ParagraphStyle("h", fontName=font, fontSize=13, leading=18, spaceBefore=8, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=font, fontSize=11.5, leading=21, firstLineIndent=23, spaceAfter=6),
        "note": ParagraphStyle("note", fontName=font, fontSize=9, leading=13, textColor=colors.Color(.3, .3, .3)),
    }


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
           total_row: bool = False) -> Table:
    font = register_font()
    style = [
        ("FONT", (0, 0), (-1, -1), font, 9.5, 13),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), _GREY),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if total_row:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.Color(0.96, 0.96, 0.96)))
    usable = A4[0] - 2 * MARGIN
    scale = usable / sum(widths)
    return Table([list(header), *[list(r) for r in rows]], colWidths=[w * scale for w in widths], repeatRows=1,
                 style=TableStyle(style))


def wrap(text: str, width: float, size: float, indent: float = 0) -> list[str]:
    """Lines of a paragraph by the engine's rules (no line starts with "，" or "；"), the first `indent`
    narrower, and a number such as 24.60 (or 2025年, 10月) never split between two lines."""
    out: list[str] = []
    while text:
        first = break_lines(text, width - (indent if not out else 0), size)[0]
        number = re.search(r"[0-9][0-9.,]*$", first)
        follows = text[len(first):len(first) + 1]
        if number and number.start() > 0 and (follows.isdigit() or follows in ".年月日—"):
            first = first[: number.start()]
        out.append(first)
        text = text[len(first):]
    return out


def _note(text: str, style: ParagraphStyle) -> Paragraph:
    """A note broken by the engine's rules, so that a month such as 10月 is never split over two lines."""
    width = A4[0] - 2 * MARGIN - 12 - style.fontSize
    return Paragraph("<br/>".join(escape(line) for line in wrap(text, width, style.fontSize)), style)


def _section_heading(index: int, text: str, styles: dict[str, ParagraphStyle]) -> Paragraph:
    return Paragraph(f"{_CHINESE_NUMBERS[index]}、{text}", styles["h"])


def _story(figures: YearlyFigures, today: dt.date, signers: SignersBlock) -> list[Flowable]:
    styles = _styles()
    story: list[Flowable] = [
        Paragraph(figures.title, styles["title"]),
        Paragraph(f"{figures.unit}　　{chinese_date(today)}", styles["sub"]),
    ]
    if figures.until is not None:
        story.append(Paragraph(UNFINISHED_LINE, styles["sub"]))
    rows = list(summary_rows(figures))
    n = 0
    for section, _ in SECTIONS:
        part = [r for s, r in rows if s == section]
        block: list[Flowable] = [_section_heading(n, section, styles),
                                 _table(_headers(figures, "\n"), part, (62, 46, 46, 26))]
        if _any_not_compared(figures, section):
            block.append(Paragraph(f"注：{NOT_COMPARED_NOTE}", styles["note"]))
        n += 1
        story.append(KeepTogether(block))
        if section == "登记在册":
            grades = ["类别", *next(iter(figures.cross.values())), "合计"]
            story.append(KeepTogether([
                Paragraph(f"按残疾类别和等级（{figures.end_text}在册）", styles["h"]),
                _table(grades, cross_rows(figures), (30, 20, 20, 20, 20, 22), total_row=True),
            ]))
            by_category = figures.current["by_category"]
            story.append(bar_chart(f"{figures.end_text}在册残疾人（按类别）", list(by_category),
                                   [("人数", list(by_category.values()))], "人"))
            story.append(KeepTogether([
                Paragraph(f"按村（{'期末' if figures.until is None else figures.end_text}在册）", styles["h"]),
                _table(["村", "本期", before_name(figures), "增减"], village_rows(figures), (60, 30, 30, 30), total_row=True),
            ]))
            if not figures.compared(figure_named("注册登记残疾人")):
                story.append(Paragraph(f"注：{NOT_COMPARED_NOTE}", styles["note"]))
        elif section == "两项补贴":
            story.append(_note(f"注：{months_note(figures)}", styles["note"]))
            story.append(Spacer(1, 4 * mm))
            story.append(_spending_chart(figures))
    story.append(KeepTogether([
        _section_heading(n, "分年情况", styles),
        _table(trend_headers(figures, "\n"), trend_rows(figures),
               (62, *([24] * len(figures.years)))),
    ]))
    story.append(Spacer(1, 3 * mm))
    story += [_note(("注：" if i == 0 else "") + text, styles["note"]) for i, text in enumerate(notes(figures))]
    story.append(signers)  # the figures are signed; the sentences after them are a draft to quote
    story.append(PageBreak())
    story.append(Paragraph("工作报告参考文字", styles["title"]))
    story.append(Paragraph(f"（{figures.period_text()}，可直接引用）", styles["sub"]))
    body = styles["body"]
    width = A4[0] - 2 * MARGIN - 12 - body.fontSize  # the frame's padding, and break_lines' one-character grace
    story += [Paragraph("<br/>".join(escape(line) for line in wrap(text, width, body.fontSize, body.firstLineIndent)),
                        body) for text in sentences(figures)]
    return story


def _spending_chart(figures: YearlyFigures) -> Flowable:
    labels = [f"{y['year']}年" for y in figures.years]  # the year not over is named in the title: room is short
    until = figures.until
    last = [m for m in figures.paid_months if m.year == figures.year]
    cut = f"；{months_text(last)}" if until is not None and last else ""
    series = [(name, [Decimal(y["programme_amounts"][key]) / 10000 for y in figures.years])
              for key, name in (("living", "生活补贴"), ("nursing", "护理补贴"))]
    return bar_chart(f"两项补贴发放金额（按年{cut}）", labels, series, "万元")


def _write_pdf(figures: YearlyFigures, path: Path, today: dt.date, signers: SignersBlock) -> Path:
    tmp = path.with_name(f".{path.name}.part")
    doc = SimpleDocTemplate(str(tmp), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=figures.title, author=figures.unit, creator="残联工作台",
                            initialFontName=register_font())  # else every page names Helvetica, not embedded
    try:
        doc.build(_story(figures, today, signers), canvasmaker=_NumberedCanvas)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):  # a write-protected stick refuses even this: the first error counts
            tmp.unlink(missing_ok=True)
    return path


def write_report(session: Session, request: ReportRequest, progress: Callable[[int], None] | None = None) -> Path:
    """Write the yearly summary to request.out: a PDF, or a workbook when the name ends in .xlsx."""
    year, since = _period(request)
    today = request.today or dt.date.today()
    figures = gather(session, year=year, since=since, today=today)
    out = Path(request.out)
    if out.suffix.lower() == ".xlsx":
        from app.reports.yearly_book import write_book

        return write_book(figures, out, today)
    unit = unit_info(session)
    signers = SignersBlock([("经办人", unit.clerk), ("审核人", unit.reviewer), ("负责人", unit.head)],
                           figures.unit, chinese_date(today))
    path = _write_pdf(figures, out, today, signers)
    if progress is not None:
        progress(1)
    return path


def build_report(session: Session, request: ReportRequest) -> TableReport:
    """The summary table (项目 / 本期 / 上期 / 增减 by section) as a plain TableReport."""
    year, since = _period(request)
    figures = gather(session, year=year, since=since, today=request.today or dt.date.today())
    headers = _headers(figures)

    def rows() -> Iterator[Sequence[str] | Section]:
        current = ""
        for section, row in summary_rows(figures):
            if section != current:
                current = section
                yield Section(section)
            yield row

    return TableReport(
        title=figures.title, unit=figures.unit, date_text=chinese_date(request.today or dt.date.today()),
        columns=[Column(headers[0], 60, align="LEFT"), *(Column(h, 35, align="RIGHT") for h in headers[1:])],
        rows=rows(), numbered=False, subtotals=False, grand_total=False, landscape=False,
        note="注：" + "\n".join(notes(figures)),
    )
