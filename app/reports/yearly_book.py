"""The yearly summary as a workbook: the same rows as the PDF (app.reports.yearly_rows), one sheet per table,
numbers as numbers so the county can add them up, with the print set-up of every workbook
(app.reports.workbook.print_setup). Saved under a temporary name
and renamed, so the file is whole or absent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.dates import chinese_date
from app.io.cell_text import keep_text, writable
from app.reports.page import date_line, unit_line
from app.reports.workbook import print_setup, save_whole
from app.reports.yearly_figures import YearlyFigures
from app.reports.yearly_rows import (
    before_name,
    cross_rows,
    headers,
    notes,
    summary_rows,
    trend_headers,
    trend_rows,
    village_rows,
)
from app.reports.yearly_text import sentences

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL = PatternFill("solid", fgColor="E6E6E6")


def _number(text: str) -> int | Decimal | str:
    """A printed figure back to a number ("1,234.00" -> Decimal, "+12" -> 12); other text stays text."""
    plain = text.replace(",", "")
    try:
        return int(plain)
    except ValueError:
        pass
    try:
        return Decimal(plain) if "." in plain else text
    except ArithmeticError:
        return text


def _append(ws: Worksheet, values: Sequence[object]) -> None:
    """A row whose text is written as text (a village named '=…' is no formula) and can be written."""
    ws.append([writable(v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        keep_text(cell)


def _sheet(book: Workbook, name: str, title: str, header: Sequence[str], rows: Sequence[Sequence[str]],
           widths: Sequence[int]) -> Worksheet:
    ws: Worksheet = book.create_sheet(name)
    _append(ws, [title])
    ws["A1"].font = Font(name="宋体", size=14, bold=True)
    _append(ws, list(header))
    for cell in ws[2]:
        cell.font = Font(name="宋体", bold=True)
        cell.fill = _FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        _append(ws, [row[0], *(_number(v) for v in row[1:])])
        for cell in ws[ws.max_row]:
            cell.border = _BORDER
            cell.font = Font(name="宋体")
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    print_setup(ws, landscape=False, header_row=2)
    return ws


def write_book(figures: YearlyFigures, path: Path, today: dt.date) -> Path:
    """Sheets 汇总, 类别等级, 按村, 分年 and 参考文字."""
    book = Workbook()
    if book.active is not None:  # the empty sheet a new workbook starts with
        book.remove(book.active)
    title = figures.title
    summary = _sheet(book, "汇总", f"{title}　{unit_line(figures.unit)}　{date_line(chinese_date(today))}",
                     headers(figures),
                     [[f"{section}：{row[0]}", *row[1:]] for section, row in summary_rows(figures)], [40, 20, 20, 14])
    for i, text in enumerate(notes(figures)):
        _append(summary, [("注：" if i == 0 else "") + text])
    grades = ["类别", *next(iter(figures.cross.values())), "合计"]
    _sheet(book, "类别等级", f"{title}　按残疾类别和等级（{figures.end_text}在册）", grades, cross_rows(figures),
           [10, 10, 10, 10, 10, 10])
    _sheet(book, "按村", f"{title}　按村（期末在册）", ["村", "本期", before_name(figures), "增减"],
           village_rows(figures), [16, 10, 10, 10])
    _sheet(book, "分年", f"{title}　分年情况", trend_headers(figures),
           trend_rows(figures), [28, *([14] * len(figures.years))])
    ws = book.create_sheet("参考文字")
    _append(ws, ["工作报告参考文字"])
    ws.column_dimensions["A"].width = 100
    for text in sentences(figures):
        _append(ws, [text])
        ws.cell(ws.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    return save_whole(book, path)
