"""年度工作统计: the town's figures for a year (or five years, for the congress work report) as a printable
A4 PDF: small tables of 项目 / 本期 / 上期 / 增减 in the order a work report uses them, the register by
category × grade and by village, a per-year table, two charts, and a last page of the figures as
sentences (工作报告参考文字). `.xlsx` writes the same figures as a workbook (app.reports.yearly_book).

It is more than one table, so this module writes the file itself (write_report) with platypus, in the
engine's embedded font, with the page frame's unit and date line and "第 N 页 共 M 页" (app.reports.page);
build_report gives the main table as a TableReport for anything that wants the plain table."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable
from sqlalchemy.orm import Session

from app.domain.dates import chinese_date
from app.reports import ReportRequest
from app.reports.charts import bar_chart
from app.reports.fonts import break_lines, register_font
from app.reports.page import SignersBlock, StyleCommand, date_line, draw_page_number, finish_pages, unit_line
from app.reports.table import Column, Section, TableReport
from app.reports.yearly_figures import SECTIONS, YearlyFigures, figure_named, gather, months_text
from app.reports.yearly_rows import (
    NOT_COMPARED_NOTE,
    UNFINISHED_LINE,
    any_not_compared,
    before_name,
    cross_rows,
    headers,
    months_note,
    notes,
    summary_rows,
    trend_headers,
    trend_rows,
    village_rows,
)
from app.reports.yearly_text import sentences
from app.services.settings import unit_info

MARGIN = 18 * mm
_CHINESE_NUMBERS = "一二三四五六七八九十"
_GREY = colors.Color(0.9, 0.9, 0.9)


def _period(request: ReportRequest) -> tuple[int, int | None]:
    year = request.year or (request.today or dt.date.today()).year
    return year, request.since


# --- the PDF ---------------------------------------------------------------------------------------
class _NumberedCanvas(Canvas):
    """Numbers each page as the page frame does (app.reports.page: "第 N 页 共 M 页", M filled in at the end)."""

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        draw_page_number(self, A4[0] / 2, MARGIN / 2, self.getPageNumber())
        super().showPage()

    def save(self) -> None:
        finish_pages(self, self.getPageNumber() - 1)
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
    style: list[StyleCommand] = [
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
        Paragraph(f"{unit_line(figures.unit)}　　{date_line(chinese_date(today))}", styles["sub"]),
    ]
    if figures.until is not None:
        story.append(Paragraph(UNFINISHED_LINE, styles["sub"]))
    rows = list(summary_rows(figures))
    n = 0
    for section, _ in SECTIONS:
        part = [r for s, r in rows if s == section]
        block: list[Flowable] = [_section_heading(n, section, styles),
                                 _table(headers(figures, "\n"), part, (62, 46, 46, 26))]
        if any_not_compared(figures, section):
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
                _table(["村", "本期", before_name(figures), "增减"], village_rows(figures), (60, 30, 30, 30),
                       total_row=True),
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
        from app.reports.yearly_book import write_book  # openpyxl only for the workbook (0.3 s to load)

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
    heads = headers(figures)

    def rows() -> Iterator[Sequence[str] | Section]:
        current = ""
        for section, row in summary_rows(figures):
            if section != current:
                current = section
                yield Section(section)
            yield row

    return TableReport(
        title=figures.title, unit=figures.unit, date_text=chinese_date(request.today or dt.date.today()),
        columns=[Column(heads[0], 60, align="LEFT"), *(Column(h, 35, align="RIGHT") for h in heads[1:])],
        rows=rows(), numbered=False, subtotals=False, grand_total=False, landscape=False,
        note="注：" + "\n".join(notes(figures)),
    )
