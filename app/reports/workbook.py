"""A report as a workbook: the same rows as the PDF, with the print set-up a clerk would otherwise make
by hand (print_setup: A4, landscape or upright, the header row on every page, fit to the page width,
"第 N 页 共 M 页" in the footer); the yearly workbook (app.reports.yearly_book) uses the same set-up.

Written in openpyxl's write-only mode so a county register streams to disk row by row. ID and
phone columns are strings with the text format "@": a number would lose an ID's last digits.
"""

from __future__ import annotations

import contextlib
import io
import os
from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell as SheetCell
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.io.cell_text import FORMULA_START, keep_text, sheet_title, writable
from app.reports.page import WORKBOOK_FOOTER, date_line, unit_line
from app.reports.table import Cell, Kind, TableReport, all_columns, label_span, lines, parts

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
_MM_PER_CHAR = 2.0  # an Excel width unit is about one Latin character, about 2 mm


class _Cells:
    """Makes the sheet's cells. Assigning a style makes openpyxl hash it (about 60 µs a cell), so
    each combination is styled once and later cells copy its style array: 10x faster on a register."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self._styles: dict[tuple[object, ...], StyleArray] = {}

    def __call__(self, value: Cell, *, text: bool = False, bold: bool = False, size: float = 11,
                 align: str = "center", border: bool = True, fill: PatternFill | None = None,
                 wrap: bool = False) -> SheetCell:
        if value is None or text:
            value = "" if value is None else str(value)
        if isinstance(value, str):
            value = writable(value)
        cell = WriteOnlyCell(self.ws)
        cell.value = value  # set, not passed: types-openpyxl's WriteOnlyCell(value=) leaves out Decimal
        keep_text(cell)  # a name starting with '=' is no formula
        quoted = isinstance(value, str) and value.startswith(FORMULA_START)
        key = (text, bold, size, align, border, fill is not None, wrap, quoted)
        style = self._styles.get(key)
        if style is not None:
            cell._style = copy(style)  # type: ignore[attr-defined]  # openpyxl's style array: not in its stubs
            return cell
        cell.font = Font(name="宋体", size=size, bold=bold)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
        if border:
            cell.border = _BORDER
        if fill is not None:
            cell.fill = fill
        if text:
            cell.number_format = "@"
        self._styles[key] = copy(cell._style)  # type: ignore[attr-defined]  # as above
        return cell


def print_setup(ws: Worksheet, *, landscape: bool, header_row: int) -> None:
    """How every workbook prints: A4, landscape or upright, fit to the page's width, centred, the header
    row repeated on every page and "第 N 页 共 M 页" in the footer."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    page_setup_properties = ws.sheet_properties.pageSetUpPr
    assert page_setup_properties is not None  # openpyxl makes one with every sheet
    page_setup_properties.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    footer = ws.oddFooter
    assert footer is not None  # as above
    footer.center.text = WORKBOOK_FOOTER


def render_xlsx(report: TableReport, path: Path) -> Path:
    """Write the report as a workbook: one sheet (title, unit and date, the table, the signers), and a sheet
    of its own for an appendix."""
    wb = Workbook(write_only=True)
    for part in parts(report):
        _write_sheet(wb, part)
    return save_whole(wb, path)


def _write_sheet(wb: Workbook, report: TableReport) -> None:
    columns = all_columns(report)
    ncols = len(columns)
    last = get_column_letter(ncols)
    ws = wb.create_sheet(sheet_title(report.title))
    cell = _Cells(ws)
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(6.0, col.width / _MM_PER_CHAR * 1.6)
    print_setup(ws, landscape=report.landscape, header_row=3 + len(report.preamble))

    ws.append([cell(report.title, size=16, bold=True, border=False)])
    ws.merged_cells.add(f"A1:{last}1")
    ws.append([cell(unit_line(report.unit), align="left", border=False)]
              + [None] * (ncols - 2)
              + [cell(date_line(report.date_text), align="right", border=False)])
    for text in report.preamble:
        ws.append([cell(text, align="left", border=False)])
    span = label_span(report)
    row_no = 2 + len(report.preamble)
    for line in lines(report):
        row_no += 1
        if line.kind is Kind.HEADER:
            ws.append([cell(v, bold=True, fill=_HEADER_FILL, wrap=True) for v in line.cells])
        elif line.kind is Kind.HEADING:
            ws.append([cell(line.cells[0], bold=True, align="left")]
                      + [cell(None) for _ in range(ncols - 1)])
            ws.merged_cells.add(f"A{row_no}:{last}{row_no}")
        elif line.kind in (Kind.SUBTOTAL, Kind.TOTAL):
            ws.append([cell(v, bold=True) for v in line.cells])
            if span > 1:
                ws.merged_cells.add(f"A{row_no}:{get_column_letter(span)}{row_no}")
        else:
            ws.append([cell(v, text=col.text, align=col.align.lower(), wrap=col.wrap and not col.text)
                       for v, col in zip(line.cells, columns, strict=True)])
    ws.append([cell(report.note, align="left", border=False)] if report.note else [])
    if report.sign_box:
        ws.append([cell(f"{report.sign_box}：", align="left", border=False)])
    if report.signers:
        signers = "    ".join(f"{role}：{name or '__________'}" for role, name in report.signers)
        ws.append([cell(signers, align="left", border=False)])
    if report.seal:
        ws.append([None] * max(0, ncols - 3) + [cell(f"{report.unit}（盖章）", align="right", border=False)])


def save_whole(book: Workbook, path: Path) -> Path:
    """Save the workbook whole or not at all: made in memory (openpyxl's write-only sheets, cut off by a
    failing stick, would leave their row writers open), written beside the path, then renamed into place."""
    buffer = io.BytesIO()
    book.save(buffer)
    tmp = path.with_name(f".{path.name}.part")
    try:
        tmp.write_bytes(buffer.getvalue())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):  # a write-protected stick refuses even this: the first error counts
            tmp.unlink(missing_ok=True)
    return path
