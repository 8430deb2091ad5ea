"""Reading .xlsx workbooks into plain rows of cells, fast (python-calamine) and faithfully.

Cells come back as calamine gives them: str, float for every number (so an ID stored as a number is
a float and can be told apart from one typed as text), bool, date/datetime, or None for an empty
cell. Text is cleaned (app.domain.text): what cannot be seen is gone, spaces are plain. Merged areas
below a sheet's title are filled with their top-left value, because a roster often merges the 村 cell
over all the persons of one village. Before calamine sees a file, app.io.workbook_limits checks that
reading it stays within bounds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from app.domain.text import clean
from app.errors import InputError
from app.io.workbook_limits import check_workbook

Cell = str | float | int | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and also every password-protected .xlsx
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULLWIDTH_DIGIT_SET = frozenset("０１２３４５６７８９")


@dataclass(frozen=True)
class MergedArea:
    """A merged block of cells, 0-based and inclusive, as in the sheet."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass
class Sheet:
    """One worksheet: rows[i][j] is the cell at sheet row i+1, column j+1; a row ends at its last value."""

    name: str
    rows: list[list[Cell]]
    merged: list[MergedArea]

    def fill_merged(self, below_row: int) -> None:
        """Give every cell of a merged area that starts below row index below_row its top-left value,
        within the sheet's rows and columns. Areas that overlap again and again (Excel makes none) are
        filled only until the sheet has been filled twice over: the work stays bounded."""
        width = max(map(len, self.rows), default=0)
        budget = 2 * len(self.rows) * width
        for area in self.merged:
            if area.first_row <= below_row:
                continue
            top = self.rows[area.first_row] if area.first_row < len(self.rows) else []
            value = top[area.first_col] if area.first_col < len(top) else None
            last_row, last_col = min(area.last_row, len(self.rows) - 1), min(area.last_col, width - 1)
            budget -= max(0, last_row - area.first_row + 1) * max(0, last_col - area.first_col + 1)
            if value is None or budget < 0:
                continue
            for r in range(area.first_row, last_row + 1):
                row = self.rows[r]
                if len(row) <= last_col:  # rows end at their last value; the area may reach past it
                    row.extend([None] * (last_col + 1 - len(row)))
                for c in range(area.first_col, last_col + 1):
                    row[c] = value


def as_cell(value: Cell) -> Cell:
    """Text cleaned (None when nothing visible is left), full-width digits as ASCII ones; everything
    else as calamine gave it."""
    if isinstance(value, str):
        value = clean(value)
        return value.translate(_FULLWIDTH_DIGITS) if value else None
    return value


def _row_cells(values: Sequence[Cell]) -> list[Cell]:
    """as_cell of each value, with one look at the row's text (nearly all of a roster) instead of one per
    cell: when the row's text cells joined (by a letter, which neither cleaning nor a double space can
    involve) are clean as they are and hold no full-width digit, so is every text cell, but for spaces
    at its own ends; numbers, dates and flags are kept as they are, as as_cell keeps them."""
    joined = "A".join([v for v in values if isinstance(v, str)])
    if clean(joined) != joined or not _FULLWIDTH_DIGIT_SET.isdisjoint(joined):
        return [as_cell(v) for v in values]
    return [v if type(v) is str and v and v == v.strip() else as_cell(v) for v in values]


def _rows(raw: CalamineSheet) -> list[list[Cell]]:
    """The sheet's rows from its first, each ending at its last value: taken from calamine's range one
    row at a time, so the sheet is never held twice as a dense table."""
    if raw.end is None:
        return []
    width = raw.end[1] + 1
    rows: list[list[Cell]] = []
    for values in raw.iter_rows():  # from row 1; columns from the first one with a value
        cells = _row_cells(values)
        while cells and cells[-1] is None:
            cells.pop()
        if cells and len(values) < width:
            cells[:0] = [None] * (width - len(values))
        rows.append(cells)
    return rows


def _refuse_unreadable(path: Path) -> None:
    """InputError, saying what to do, for a file that is missing or is not an .xlsx workbook."""
    if not path.exists():
        raise InputError(f"找不到文件 {path}：请检查文件名和所在文件夹。")
    if path.is_dir():
        raise InputError(f"{path} 是文件夹，不是工作簿：请选择一个 .xlsx 文件。")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        raise InputError(f"文件 {path} 无法打开：可能正在被其他程序使用，请关闭后重试。") from None
    if head.startswith(_OLE):
        if path.suffix.lower() == ".xls":
            raise InputError("这是旧版Excel（.xls）文件：请在Excel中“另存为”.xlsx格式后再导入。")
        raise InputError("这个工作簿设置了打开密码，或是旧版Excel格式：请在Excel中取消密码并另存为.xlsx后再导入。")
    if not head.startswith(_ZIP):
        raise InputError(f"文件 {path.name} 不是Excel工作簿（.xlsx）：请在Excel中打开并另存为.xlsx后再导入。")
    if path.suffix.lower() in (".xlsb", ".ods"):  # read by other readers, which the checks do not cover
        raise InputError(f"文件 {path.name} 是{path.suffix.lower()}格式：请在Excel或WPS中另存为.xlsx后再导入。")


def read_workbook(path: Path) -> list[Sheet]:
    """Every visible worksheet of an .xlsx file, or InputError if it is not one that can be read."""
    path = Path(path)
    _refuse_unreadable(path)
    check_workbook(path)  # a workbook that would take more memory or time than any roster is refused here
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible or meta.typ != SheetTypeEnum.WorkSheet:
                continue
            raw = book.get_sheet_by_name(meta.name)
            rows = _rows(raw)
            merged = [MergedArea(a[0], a[1], b[0], b[1]) for a, b in (raw.merged_cell_ranges or [])]
            sheets.append(Sheet(clean(meta.name) or meta.name, rows, merged))  # shown to the clerk
        book.close()
    except (CalamineError, OSError, ValueError):
        raise InputError(f"文件 {path.name} 已损坏或不是Excel工作簿：请在Excel中打开并另存为.xlsx后再导入。") from None
    return sheets
